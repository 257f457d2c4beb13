"""CSV as the outputs write it: one dialect for every file (CRLF rows; emit adds the UTF-8 BOM)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

ROWS_PER_PART = 500


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV as text; written with a BOM (utf-8-sig) so spreadsheet programs read the Chinese correctly."""
    return "".join(csv_parts(header, rows))


def csv_parts(header: Iterable[str], rows: Iterable[Iterable[object]], per_part: int = ROWS_PER_PART) -> Iterator[str]:
    """`csv_text` in pieces of `per_part` rows (the header in the first): emit writes a long report's
    facts.csv as they come instead of holding its text and bytes whole."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else v for v in row])
        if n % per_part == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
