"""Character sources: the libraries that can fill the load stage's records, by name.

Each reader is a module `<name>_reader` with `iter_pages(path, window, password=None, pages=None) ->
Iterator[PageData]` that yields the pages (all, or the 0-based indexes in `pages`) one by one (the
library's caches released page by page, and its document-wide ones every `window` pages, so reading
holds no more than a window) and raises
`InputError` for what it cannot read (an encrypted PDF without the right password says
"encrypted PDF: give --password"); `pipeline.load` checks the file, hashes it and calls the
chosen one. pdfium (pypdfium2) is the default, ~4x faster, and made to agree with pdfplumber, the
reference (bench/bench_readers.py: every character, its font facts, render mode and clip, every
section, table cell, element box and table quality figure of the report and the real PDFs, and the
same output files; tests/test_readers.py); pdfplumber stays available (`--reader pdfplumber`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from ..load import PageData

READERS = ("pdfplumber", "pdfium")
DEFAULT_READER = "pdfium"


class PageReader(Protocol):
    def __call__(
        self, path: Path, window: int, password: str | None = None, pages: range | None = None
    ) -> Iterator[PageData]: ...


def get_reader(name: str) -> PageReader:
    """The `iter_pages` function of the reader called `name` (imported on first use)."""
    if name not in READERS:
        raise ValueError(f"unknown PDF reader {name!r}: choose one of {', '.join(READERS)}")
    module = importlib.import_module(f"{__name__}.{name}_reader")
    return cast(PageReader, module.iter_pages)


__all__ = ["DEFAULT_READER", "READERS", "PageReader", "get_reader"]
