"""Character sources: the libraries that can fill the load stage's records, by name.

Each reader is a module `<name>_reader` with `read_pages(path, password=None) -> list[PageData]`
that raises `InputError` for what it cannot read (an encrypted PDF without the right password says
"encrypted PDF: give --password"); `pipeline.load.load_pdf` checks the file, hashes it and
calls the chosen one. pdfplumber is the reference; pdfium (pypdfium2) is much faster and made to
agree with it (bench/bench_readers.py measures how far it does).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from ..load import PageData

READERS = ("pdfplumber", "pdfium")
DEFAULT_READER = "pdfplumber"


class PageReader(Protocol):
    def __call__(self, path: Path, password: str | None = None) -> list[PageData]: ...


def get_reader(name: str) -> PageReader:
    """The `read_pages` function of the reader called `name` (imported on first use)."""
    if name not in READERS:
        raise ValueError(f"unknown PDF reader {name!r}: choose one of {', '.join(READERS)}")
    module = importlib.import_module(f"{__name__}.{name}_reader")
    return cast(PageReader, module.read_pages)


__all__ = ["DEFAULT_READER", "READERS", "PageReader", "get_reader"]
