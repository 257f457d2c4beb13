"""CSV as the outputs write it: one dialect for every file (CRLF rows; emit adds the UTF-8 BOM)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV as text; written with a BOM (utf-8-sig) so spreadsheet programs read the Chinese correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()
