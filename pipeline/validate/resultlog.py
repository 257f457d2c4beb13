"""Every result of a validation run, written out as it is made; the failures kept at hand.

A run judges every row of every frame: ~1,800 results on a 70-page report, ~24,000 on a
1,000-page one, each ~1.1 KB as a model (27 MB), held from the validate stage to emit although
only validation.json reads them all. A `ResultLog` writes each result's validation.json text to
an unlinked temporary file the moment it is made and keeps the failures as models (document.json,
the database and the CLI read them); emit copies the texts into validation.json as they stand
(`jsonparts.Prerendered`), and iterating the log reads the models back (tests, the odd caller).
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from ..jsonparts import Prerendered, element_json
from ..model import ValidationResult
from ..spill import AppendFile

_FLUSH_BYTES = 1 << 20  # texts gathered before one write to the file


class _Spill:
    """One log's texts in an unlinked temporary file, appended to; `ends[i]` is where text i ends."""

    def __init__(self) -> None:
        self._file = AppendFile("nianbao-results-")
        self.ends = array("q")
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        blob = text.encode("utf-8")
        with self._lock:
            self.ends.append((self.ends[-1] if self.ends else 0) + len(blob))
            self._pending.append(blob)
            self._pending_size += len(blob)
            if self._pending_size >= _FLUSH_BYTES:
                self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._file.append(b"".join(self._pending))
            self._pending, self._pending_size = [], 0

    def text(self, i: int) -> str:
        start = self.ends[i - 1] if i else 0
        with self._lock:
            self._flush()
        return self._file.read(start, self.ends[i] - start).decode("utf-8")

    def __len__(self) -> int:
        return len(self.ends)


class ResultLog(Sequence[ValidationResult], Prerendered):
    """The results of a run in the order they were made: `append` one, `joined` several logs in turn.

    Read back, a result is the model validation.json's text describes (`model_validate_json`), equal
    to the one appended. The log is not changed once its run is summarised, so a copy is the log itself.
    """

    def __init__(self, results: Iterable[ValidationResult] = ()) -> None:
        self._spills: list[_Spill] = []
        self._own: _Spill | None = None
        self._failures: list[ValidationResult] = []
        for r in results:
            self.append(r)

    @classmethod
    def joined(cls, logs: Iterable[ResultLog]) -> ResultLog:
        """One log reading `logs` one after the other (their files are shared, not copied)."""
        out = cls()
        for log in logs:
            out._spills.extend(log._spills)
            out._failures.extend(log._failures)
        return out

    def append(self, result: ValidationResult) -> None:
        if self._own is None:
            self._own = _Spill()
            self._spills.append(self._own)
        self._own.add(element_json(result))
        if not result.success:
            self._failures.append(result)

    @property
    def failures(self) -> list[ValidationResult]:
        """The results that did not pass, in order (a new list)."""
        return list(self._failures)

    def element_texts(self) -> Iterator[str]:
        for spill in self._spills:
            for i in range(len(spill)):
                yield spill.text(i)

    def __len__(self) -> int:
        return sum(len(s) for s in self._spills)

    @overload
    def __getitem__(self, i: int) -> ValidationResult: ...
    @overload
    def __getitem__(self, i: slice) -> list[ValidationResult]: ...
    def __getitem__(self, i: int | slice) -> ValidationResult | list[ValidationResult]:
        if isinstance(i, slice):
            return [self[k] for k in range(len(self))[i]]
        i = range(len(self))[i]
        for spill in self._spills:
            if i < len(spill):
                return ValidationResult.model_validate_json(spill.text(i))
            i -= len(spill)
        raise IndexError(i)  # pragma: no cover - range() above has checked it

    def __iter__(self) -> Iterator[ValidationResult]:
        return (ValidationResult.model_validate_json(text) for text in self.element_texts())

    def __add__(self, other: Iterable[ValidationResult]) -> list[ValidationResult]:
        """The results of both, read back, as a list (a run's results were a list before)."""
        return [*self, *other]

    def __radd__(self, other: Iterable[ValidationResult]) -> list[ValidationResult]:
        return [*other, *self]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ResultLog):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self.element_texts(), other.element_texts(), strict=True)
            )
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> ResultLog:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> ResultLog:
        return self

    def __reduce__(self) -> tuple[type[ResultLog], tuple[list[ValidationResult]]]:
        return (ResultLog, (list(self),))  # another process gets its own file

    def __repr__(self) -> str:
        return f"ResultLog({len(self)} results, {len(self._failures)} failed)"
