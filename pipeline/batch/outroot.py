"""The output root's shared state: the write lock and the debris of killed runs.

Writes to one output root are serialised by an flock (`emit_lock`): `ids.place` picks a folder
by looking at what exists, so two workers emitting documents with the same doc_id must not
interleave. The lock also makes `sweep_leftovers` safe: whoever holds it knows that no
cooperating process is half-way through a write, so every hidden `.tmp-*` folder is debris.
Light imports only: the CLI calls this before deciding whether there is any work.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NianbaoError

LOCK_FILE = ".nianbao.lock"


class OutputFolderError(NianbaoError):
    """The output folder cannot be written (read-only, no permission, a planted symlink): one line, no traceback."""


def _open_lock(root: Path) -> int:
    """The lock file's descriptor, never through a symlink (O_NOFOLLOW): a planted link must not make
    us create or truncate a file elsewhere."""
    lock = root / LOCK_FILE
    try:
        root.mkdir(parents=True, exist_ok=True)
        return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if lock.is_symlink():
            raise OutputFolderError(root, f"{LOCK_FILE} is a symbolic link; refusing to follow it (remove it)") from exc
        raise OutputFolderError(root, f"cannot write the output folder ({exc.strerror or exc})") from exc


def check_output_root(out_root: str | Path) -> None:
    """Raise OutputFolderError now, before any work, when the output root cannot be locked and written."""
    with emit_lock(out_root):
        pass


@contextmanager
def emit_lock(out_root: str | Path) -> Iterator[None]:
    """Exclusive lock on `<out_root>/.nianbao.lock` for the processes of this machine; OutputFolderError
    when the folder cannot be written or the lock file is a symlink."""
    root = Path(out_root)
    fd = _open_lock(root)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


_LEFTOVER = re.compile(r"\.(tmp|old)-(.+)-[0-9a-f]{8}")


def sweep_leftovers(out_root: str | Path) -> list[str]:
    """Clear what killed writes left in out_root; returns the names handled.

    `.tmp-<id>-*` is a folder that was never finished: deleted. `.old-<id>-*` is a complete
    earlier output set aside just before a swap: put back if `<id>` is missing (the kill hit
    between the two renames), deleted otherwise.
    """
    root = Path(out_root)
    if not root.is_dir():
        return []
    handled: list[str] = []
    with emit_lock(root):
        for entry in sorted(root.iterdir()):
            m = _LEFTOVER.fullmatch(entry.name)
            if m is None or not entry.is_dir():
                continue
            final = root / m.group(2)
            if m.group(1) == "old" and not final.exists():
                entry.rename(final)
            else:
                shutil.rmtree(entry, ignore_errors=True)
            handled.append(entry.name)
    return handled
