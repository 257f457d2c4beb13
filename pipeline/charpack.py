"""Glyph records set aside once a page is read or laid out, so a long document's memory stays flat.

A page holds hundreds of `Char` records (~0.35 KB each as Python objects): kept for every page of a
1,000-page report they cost a quarter of a gigabyte, although after layout they are read only now
and then (a line split at a run-in heading, a paragraph's bold lead, a caption's glyphs). So the
load stage sets each page's records aside as it is read and layout does the same with each line's,
into a `CharSpill`: one temporary file per document (unlinked at once, closed when the last record
pointing into it goes), written with `pickle` (exact floats). `PageData.chars` and `Line.chars`
read the same as before: a list of `Char`, rebuilt from the file on each access of a set-aside
record (keep it in a local variable while it is used), the list itself where none was set aside.

A reader may also hand its glyphs over as rows, each a tuple of a `Char`'s fields in order
(`with_rows`): made into `Char`s on each access like set-aside ones, packed as they are. The load
stage reads what it needs of a page's glyphs (`values`) and sets them aside without ever making
them into records (~0.7 µs a glyph, ~8 % of the pdfium reader's load).
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import fields, replace
from itertools import starmap
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .spill import AppendFile

if TYPE_CHECKING:
    from .load import Char


class CharSpill:
    """One document's set-aside glyph records: an unlinked temporary file, appended to."""

    def __init__(self) -> None:
        from .load import Char  # load declares its records packable, so not at import time

        self._char = Char
        self._fields = attrgetter(*(f.name for f in fields(Char)))
        self._file = AppendFile("nianbao-chars-")

    def pack(self, chars: Sequence[Char]) -> Packed:
        """Write `chars` out; the record that reads them back."""
        return self.pack_rows(list(map(self._fields, chars)))

    def pack_rows(self, rows: list[tuple[Any, ...]]) -> Packed:
        """Write out glyphs given as rows (`with_rows`); the record that reads them back."""
        blob = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        ink = any(row[0].strip() for row in rows)
        return Packed(self, self._file.append(blob), len(blob), len(rows), ink)

    def read(self, offset: int, length: int) -> list[Char]:
        return list(starmap(self._char, self.read_rows(offset, length)))

    def read_rows(self, offset: int, length: int) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = pickle.loads(self._file.read(offset, length))
        return rows

    def release(self, record: _T) -> _T:
        """`record` (a page or a line, made by the caller) with its glyphs set aside, in place."""
        slot = _slot(record)
        value = slot.raw(record)
        if isinstance(value, Rows):
            slot.raw_set(record, self.pack_rows(value.rows))
        elif not isinstance(value, Packed):
            slot.raw_set(record, self.pack(value))
        return record


class Packed:
    """Where a record's glyphs lie in a `CharSpill`, and how many there are."""

    __slots__ = ("count", "ink", "length", "offset", "spill")

    def __init__(self, spill: CharSpill, offset: int, length: int, count: int, ink: bool) -> None:
        self.spill, self.offset, self.length, self.count = spill, offset, length, count
        self.ink = ink  # some glyph is not blank

    def unpack(self) -> list[Char]:
        return self.spill.read(self.offset, self.length)

    def rows(self) -> list[tuple[Any, ...]]:
        return self.spill.read_rows(self.offset, self.length)


class Rows:
    """Glyphs as a reader handed them over: tuples of a `Char`'s fields in order, not yet records."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def unpack(self) -> list[Char]:
        from .load import Char

        return list(starmap(Char, self.rows))


class _PackableSlot:
    """The `chars` attribute of a slotted dataclass: a list of `Char`, or a `Packed` or `Rows` made into
    one on each access."""

    def __init__(self, slot: Any) -> None:
        self._slot = slot  # the class's own member descriptor

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = self._slot.__get__(obj, owner)
        return value.unpack() if isinstance(value, Packed | Rows) else value

    def __set__(self, obj: object, value: Any) -> None:
        self._slot.__set__(obj, value)

    def raw(self, obj: object) -> Any:
        return self._slot.__get__(obj, type(obj))

    def raw_set(self, obj: object, value: Any) -> None:
        self._slot.__set__(obj, value)


class _HasChars(Protocol):
    chars: list[Char]


_T = TypeVar("_T", bound=_HasChars)


def packable(cls: type, name: str = "chars") -> None:
    """Let the slotted dataclass `cls` hold its `name` field (a list of `Char`) set aside."""
    setattr(cls, name, _PackableSlot(cls.__dict__[name]))


def _slot(record: object) -> _PackableSlot:
    slot = type(record).__dict__.get("chars")
    if not isinstance(slot, _PackableSlot):
        raise TypeError(f"{type(record).__name__}.chars cannot be set aside (see charpack.packable)")
    return slot


def char_count(record: _HasChars) -> int:
    """len(record.chars), without reading set-aside glyphs back."""
    value = _slot(record).raw(record)
    if isinstance(value, Rows):
        return len(value.rows)
    return value.count if isinstance(value, Packed) else len(value)


def has_ink(record: _HasChars) -> bool:
    """Whether some glyph of `record` is not blank (`c.text.strip()`), without reading set-aside glyphs back."""
    value = _slot(record).raw(record)
    if isinstance(value, Rows):
        return any(row[0].strip() for row in value.rows)
    return value.ink if isinstance(value, Packed) else any(c.text.strip() for c in value)


def with_rows(record: _T, rows: list[tuple[Any, ...]]) -> _T:
    """`record` (made by the caller) holding glyphs given as rows: tuples of a `Char`'s fields in order."""
    _slot(record).raw_set(record, Rows(rows))
    return record


def values(record: _HasChars, *names: str) -> list[tuple[Any, ...]]:
    """The fields `names` of each glyph of `record`, as tuples, without making the glyphs into records."""
    from .load import Char

    value = _slot(record).raw(record)
    if isinstance(value, Rows | Packed):
        order = [f.name for f in fields(Char)]
        pick: Any = itemgetter(*(order.index(name) for name in names))
        found = map(pick, value.rows if isinstance(value, Rows) else value.rows())
    else:
        found = map(attrgetter(*names), value)
    return list(found) if len(names) > 1 else list(zip(found, strict=True))


def set_aside(record: _HasChars) -> bool:
    """Whether `record`'s glyphs are set aside (a `CharSpill` reads them back on each access)."""
    return isinstance(_slot(record).raw(record), Packed)


def unpacked(record: _T) -> _T:
    """A copy of `record` holding its glyphs as a plain list (read back once), to work on."""
    return replace(record, chars=record.chars)  # type: ignore[type-var]


__all__ = [
    "CharSpill",
    "Packed",
    "Rows",
    "char_count",
    "has_ink",
    "packable",
    "set_aside",
    "unpacked",
    "values",
    "with_rows",
]
