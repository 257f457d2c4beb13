"""Files kept in a private temporary folder instead of memory, read back one at a time.

The review page's images are ~80 KB a page (80 MB at 1,000 pages) and are only written out by
emit; held as bytes they grow the run's memory with the page count (bench/bench_memory.py).
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path


class SpilledFiles(Mapping[str, bytes]):
    """A {name: bytes} mapping whose bytes live in a temporary folder; `add` puts one in.

    The folder goes with the last mapping that uses it (`prefixed` shares it) or at exit.
    """

    def __init__(self, folder: tempfile.TemporaryDirectory[str] | None = None, names: dict[str, str] | None = None):
        self._folder = folder if folder is not None else tempfile.TemporaryDirectory(prefix="nianbao-spill-")
        self._names: dict[str, str] = dict(names or {})  # key → file name in the folder

    @property
    def folder(self) -> Path:
        return Path(self._folder.name)

    def add(self, key: str, data: bytes) -> None:
        self.add_text(key, (data,))

    def add_text(self, key: str, parts: Iterable[str] | Iterable[bytes]) -> None:
        """Put in a file made of `parts` (str parts are UTF-8 encoded), each written as it comes."""
        name = secrets.token_hex(8)
        with (self.folder / name).open("wb") as out:
            for part in parts:
                out.write(part.encode("utf-8") if isinstance(part, str) else part)
        self._names[key] = name

    def prefixed(self, prefix: str) -> SpilledFiles:
        """The same files under `prefix` + their keys (a new mapping; the files are not copied)."""
        return SpilledFiles(self._folder, {prefix + k: v for k, v in self._names.items()})

    def __getitem__(self, key: str) -> bytes:
        return (self.folder / self._names[key]).read_bytes()

    def chunks(self, key: str, size: int = 1 << 20) -> Iterator[bytes]:
        """A file's bytes `size` at a time (a long report's review index.html is megabytes)."""
        with (self.folder / self._names[key]).open("rb") as fh:
            while chunk := fh.read(size):
                yield chunk

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class AppendFile:
    """Bytes appended to an unlinked temporary file and read back by offset (glyph records, validation
    results): nothing to clean up after a crash, the file goes with its descriptor."""

    def __init__(self, prefix: str) -> None:
        fd, name = tempfile.mkstemp(prefix=prefix)
        os.unlink(name)
        self._fd = fd
        self._end = 0
        self._lock = threading.Lock()
        self._closer = weakref.finalize(self, os.close, fd)

    def append(self, blob: bytes) -> int:
        """Write `blob` after what is there; its offset."""
        with self._lock:
            offset, self._end = self._end, self._end + len(blob)
        os.pwrite(self._fd, blob, offset)
        return offset

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._fd, length, offset)
