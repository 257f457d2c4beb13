"""Pure serialisers for `tables/<table_id>.csv` and `tables/<table_id>.json` (emit writes them).

The CSV is what a spreadsheet user opens: one row of flattened column names, then the body rows
as printed, UTF-8 with a BOM so Excel detects the encoding. The JSON keeps the structure.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Document, Table


def table_csv_bytes(table: Table) -> bytes:
    """Flattened header + body rows, UTF-8 with BOM, CRLF line ends (RFC 4180 / Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.name for c in table.columns] if table.columns else (table.header[-1] if table.header else []))
    w.writerows(table.rows)
    return buf.getvalue().encode("utf-8-sig")


def table_json(table: Table) -> dict[str, Any]:
    """The table as stored in document.json: header rows, rows, spans, columns, pages, bboxes."""
    return table.model_dump(mode="json")


def table_files(doc: Document) -> Mapping[str, bytes]:
    """`tables/<id>.csv` and `tables/<id>.json` for every table: one of the renderers emit writes.

    Each file is rendered when it is read (emit writes one before the next is made: a long report's
    tables are megabytes of text).
    """
    return _TableFiles(doc.tables)


class _TableFiles(Mapping[str, bytes]):
    def __init__(self, tables: Sequence[Table]) -> None:
        self._files: dict[str, tuple[Table, bool]] = {}  # name → (table, is it the CSV)
        for t in tables:
            self._files[f"tables/{t.id}.csv"] = (t, True)
            self._files[f"tables/{t.id}.json"] = (t, False)

    def __getitem__(self, name: str) -> bytes:
        table, csv_file = self._files[name]
        if csv_file:
            return table_csv_bytes(table)
        return (json.dumps(table_json(table), ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)
