"""A long document's pages read by worker processes, handed on in page order.

Above `load.parallel_pages` pages, `page_source` splits the document into runs of
`load.page_window` pages and has `load.workers` processes (spawned: nothing of this process is
inherited, so it is safe whatever threads are running) read them with the chosen reader. At most
`workers + 1` runs are in flight or waiting, so memory stays bounded as with a serial read, and the
pages come out exactly as the serial read gives them: each page's records depend only on that page
and the document's font dictionaries, which every worker reads for itself.

Where a run fails in a worker (a damaged page, a wrong password), it is read again here, serially,
so the error raised is the reader's own; where the workers cannot start or die (a main module
spawn cannot import, the machine out of memory), the rest is read here. Daemonic processes (a
batch document's worker) may not have children: they read serially.
"""

from __future__ import annotations

import multiprocessing
import pickle
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from . import get_reader

if TYPE_CHECKING:
    from ..load import PageData
    from ..settings import LoadSettings


def page_count(path: Path, password: str | None = None) -> int:
    """The number of pages (0 when pdfium cannot open the file: the serial read reports why)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path), password=password or None)
    except Exception:
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def read_run(reader: str, path: Path, window: int, password: str | None, start: int, stop: int) -> list[bytes]:
    """Pages start..stop-1 (0-based) of `path`, one worker's share, each pickled and compressed
    (`unpack_page`): the runs waiting here for their turn hold ~1/10 of the records' memory."""
    pages = get_reader(reader)(path, window, password, range(start, stop))
    return [zlib.compress(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), 1) for page in pages]


def unpack_page(blob: bytes) -> PageData:
    page: PageData = pickle.loads(zlib.decompress(blob))
    return page


def runs(count: int, size: int) -> list[tuple[int, int]]:
    """[start, stop) page runs of `size` covering `count` pages."""
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def use_workers(count: int, settings: LoadSettings) -> bool:
    return settings.workers > 1 and count >= settings.parallel_pages and not multiprocessing.current_process().daemon


def page_source(
    reader: str, path: Path, settings: LoadSettings, password: str | None = None, count: int | None = None
) -> Iterator[PageData]:
    """The pages of `path` in order: read by worker processes when the document is long, else here.

    An unknown reader name is a ValueError at once; the file is opened only when the first page is
    asked for (after the load stage has checked that it is a regular file and a PDF).
    """
    read = get_reader(reader)

    def pages() -> Iterator[PageData]:
        n = count if count is not None else page_count(path, password) if settings.workers > 1 else 0
        if use_workers(n, settings):
            yield from _in_workers(reader, path, settings, password, n)
        else:
            yield from read(path, settings.page_window, password)

    return pages()


def _in_workers(
    reader: str, path: Path, settings: LoadSettings, password: str | None, count: int
) -> Iterator[PageData]:
    todo = deque(runs(count, settings.page_window))
    pool = ProcessPoolExecutor(max_workers=settings.workers, mp_context=multiprocessing.get_context("spawn"))
    pending: deque[tuple[tuple[int, int], Future[list[bytes]]]] = deque()
    window = settings.page_window
    finished = broken = False
    try:
        while todo or pending:
            while todo and len(pending) <= settings.workers and not broken:
                start, stop = todo[0]
                try:
                    job = pool.submit(read_run, reader, path, window, password, start, stop)
                    pending.append(((start, stop), job))
                except BrokenProcessPool:  # workers could not start (or died): the rest is read here
                    broken = True
                    break
                todo.popleft()
            if pending:
                (start, stop), future = pending.popleft()
                try:
                    blobs = future.result()
                except Exception:  # read it here: the reader's own error, or the pages if the worker died
                    blobs = None
                del future
                if blobs is not None:
                    for i in range(len(blobs)):  # each page unpacked when its turn comes, its blob let go
                        page, blobs[i] = unpack_page(blobs[i]), b""
                        yield page
                    continue
            else:
                start, stop = todo.popleft()
            yield from get_reader(reader)(path, window, password, range(start, stop))
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:  # stopped early (an error, a timeout, the consumer let go): end the workers now
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
