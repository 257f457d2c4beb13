"""Pages in parallel (issue 14): a long document's page runs read by worker processes give exactly the
serial read's pages, in order; short documents and daemonic processes read serially."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipeline.load import iter_pages, load_pdf
from pipeline.readers import READERS
from pipeline.readers.parallel import page_source, runs, use_workers
from pipeline.settings import DEFAULT_SETTINGS, Settings

from .pdfgen import CJK_BOLD_FONT, CJK_FONT

PAGES = 11


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages that differ from each other: text, a bold heading, a ruled box, a landscape page."""
    path = tmp_path_factory.mktemp("parallel") / "long.pdf"
    c = Canvas(str(path), pagesize=A4)
    for n in range(1, PAGES + 1):
        size = (A4[1], A4[0]) if n == 7 else A4
        c.setPageSize(size)
        c.setFont(CJK_BOLD_FONT, 16)
        c.drawString(72, size[1] - 72, f"第{n}页 标题")
        c.setFont(CJK_FONT, 11)
        for line in range(n % 4 + 1):
            c.drawString(72, size[1] - 110 - 18 * line, f"正文第{line + 1}行，数字 {n * 100 + line}.5%")
        c.rect(72, 200, 200 + 10 * n, 60, stroke=1, fill=0)
        c.line(72, 150, 400, 150)
        c.showPage()
    c.save()
    return path


def forced(reader: str, workers: int = 2, window: int = 3) -> Settings:
    load = replace(DEFAULT_SETTINGS.load, reader=reader, parallel_pages=2, workers=workers, page_window=window)
    return replace(DEFAULT_SETTINGS, load=load)


@pytest.mark.parametrize("reader", READERS)
def test_parallel_read_gives_the_serial_pages(long_pdf: Path, reader: str) -> None:
    serial = replace(forced(reader), load=replace(forced(reader).load, workers=1))
    assert use_workers(PAGES, forced(reader).load) and not use_workers(PAGES, serial.load)
    one = load_pdf(long_pdf, reader=reader, settings=serial)
    many = load_pdf(long_pdf, reader=reader, settings=forced(reader))
    assert [p.number for p in many.pages] == list(range(1, PAGES + 1))
    assert many.pages == one.pages  # every char, rule, box and image, page by page
    assert sum(len(p.chars) for p in one.pages) > PAGES * 10


def test_runs_cover_every_page_once() -> None:
    assert runs(11, 3) == [(0, 3), (3, 6), (6, 9), (9, 11)]
    assert runs(3, 50) == [(0, 3)]


def test_short_documents_and_defaults_read_serially(long_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.readers import parallel

    assert DEFAULT_SETTINGS.load.parallel_pages > PAGES
    assert not use_workers(PAGES, DEFAULT_SETTINGS.load)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda *a, **k: pytest.fail("a worker pool was started"))
    assert len(list(page_source("pdfium", long_pdf, DEFAULT_SETTINGS.load))) == PAGES
    with pytest.raises(pytest.fail.Exception, match="worker pool"):
        list(page_source("pdfium", long_pdf, forced("pdfium").load))  # the same file over the threshold


def test_unknown_reader_fails_at_once_and_the_file_is_opened_late(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load stage checks the input before anything opens it (a FIFO named .pdf must not block)."""
    from pipeline.readers import parallel

    with pytest.raises(ValueError, match="unknown PDF reader"):
        page_source("mupdf", long_pdf, forced("pdfium").load)
    opened: list[Path] = []
    real = parallel.page_count
    monkeypatch.setattr(parallel, "page_count", lambda path, pw=None: opened.append(path) or real(path, pw))
    source = page_source("pdfium", long_pdf, replace(forced("pdfium").load, workers=1, parallel_pages=PAGES + 1))
    serial_settings = replace(forced("pdfium").load, workers=2, parallel_pages=PAGES + 1)
    counted = page_source("pdfium", long_pdf, serial_settings)
    assert opened == []
    assert next(source).number == 1 and opened == []  # one worker: no need to count
    assert next(counted).number == 1 and opened == [long_pdf]


def test_a_consumer_that_stops_early_ends_the_workers(long_pdf: Path) -> None:
    t0 = time.perf_counter()
    stream = iter_pages(long_pdf, reader="pdfplumber", settings=forced("pdfplumber", window=1))
    first = next(stream)
    stream.close()
    assert first.number == 1 and time.perf_counter() - t0 < 60


def test_a_failing_run_is_read_again_here_with_the_readers_error(tmp_path: Path, long_pdf: Path) -> None:
    """A wrong password: every worker fails, and the error is the serial reader's own."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "locked.pdf"
    c = Canvas(str(path), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    for n in range(4):
        c.setFont(CJK_FONT, 12)
        c.drawString(72, 700, f"加密第{n}页")
        c.showPage()
    c.save()
    from pipeline.errors import InputError

    settings = forced("pdfium", window=1)
    assert [p.number for p in load_pdf(path, settings=settings, password="secret").pages] == [1, 2, 3, 4]
    with pytest.raises(InputError, match="encrypted PDF"):
        load_pdf(path, settings=settings, password="wrong")


def test_workers_that_cannot_start_leave_the_read_to_this_process(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.readers import parallel

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def submit(self, *args: object) -> None:
            raise BrokenProcessPool("a child process terminated abruptly")

        def shutdown(self, *args: object, **kwargs: object) -> None:
            pass

    settings = forced("pdfium")
    expected = load_pdf(long_pdf, settings=replace(settings, load=replace(settings.load, workers=1))).pages
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Broken)
    assert load_pdf(long_pdf, settings=settings).pages == expected
