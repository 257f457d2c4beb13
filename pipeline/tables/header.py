"""Header rows, flattened column names, spans and the final `Table` record (a raw grid).

Multi-level headers stay as header rows (a merged header cell repeated over the columns it
covers) and are also flattened per column by `normalize.columns.flatten_header`: levels joined
with "/" (国赛（个）/一等奖), a level repeated by a vertical merge (时间 over two header rows)
once, names made unique (指标, 指标_2). Columns carry their names
only: units and types are read once, by the normalize stage (pipeline/normalize/columns.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Column, Provenance, Span, Table
from ..normalize.columns import flatten_header
from .stitch import LCell, Stitched


def spans(cells: Sequence[LCell], header_rows: int) -> list[Span]:
    """Every merge once; a merge is listed in the part (header/body) where it starts, clipped to it."""
    out = []
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        if c.rowspan == 1 and c.colspan == 1:
            continue
        if c.row < header_rows:
            rs = min(c.rowspan, header_rows - c.row)
            if rs > 1 or c.colspan > 1:
                out.append(Span(part="header", row=c.row, col=c.col, rowspan=rs, colspan=c.colspan))
        else:
            out.append(Span(part="body", row=c.row - header_rows, col=c.col, rowspan=c.rowspan, colspan=c.colspan))
    return out


def to_table(st: Stitched, table_id: str, kind: str, number: str | None, caption: str, section: str | None) -> Table:
    """The output record of one stitched table (grids rectangular, merged text repeated)."""
    grid = st.texts()
    h = min(st.header_rows, len(grid))
    header, rows = grid[:h], grid[h:]
    names = flatten_header(header, st.n_cols)
    boxes = st.bboxes()
    pages = sorted(boxes)
    return Table(
        id=table_id,
        kind=kind,  # type: ignore[arg-type]
        number=number,
        caption=caption,
        section=section,
        pages=pages,
        header=header,
        subtitle=st.pieces[0].subtitle,
        rows=rows,
        spans=spans(st.cells, h),
        columns=[Column(name=n) for n in names],  # typed (unit, dtype) once, by normalize
        provenance=[Provenance(page=p, bbox=boxes[p]) for p in pages],
        row_pages=[[min(p), max(p)] for p in st.row_pages[h:]],
        extractor="+".join(sorted({p.extractor for p in st.pieces})),
        quality=round(min(p.quality for p in st.pieces), 3),
    )
