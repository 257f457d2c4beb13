"""A per-document time limit inside the calling process (`nianbao ingest`).

`backfill` enforces its `--timeout` by killing the document's worker process. `ingest` runs its
stages as Prefect tasks in the main thread, so the same limit is a real-time interval timer whose
signal interrupts that thread (with a BaseException no parser swallows) and becomes
`DocumentTimeout`: a PDF that makes a parser spin (an indirect reference cycle in a MediaBox)
fails with its reason and the next file is processed. The error is a NianbaoError, not an
OSError, so no I/O retry runs the spin again.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from .errors import NianbaoError


class DocumentTimeout(NianbaoError):
    """One document took longer than its time limit."""


class _Expired(BaseException):
    """Raised by the timer: a BaseException, so a parser's `except Exception` retry loop cannot swallow it."""


@contextmanager
def time_limit(seconds: float, path: str | Path) -> Iterator[None]:
    """Raise DocumentTimeout in this thread after `seconds`; a no-op outside the main thread (no signals)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)  # and again every 0.5 s, should one be swallowed
    try:
        yield
    except _Expired:
        signal.setitimer(signal.ITIMER_REAL, 0)
        raise DocumentTimeout(path, f"timed out after {seconds:g} s (--timeout)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
