"""`nianbao review OUTPUT/<doc_id> [--pdf PATH]`: write the folder's review page (review/index.html).

The source PDF is the one document.json names (relative to the current folder) unless --pdf
gives it; its sha256 must match. A missing folder or PDF gives one error line and exit code 1.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from . import app


@app.command()
def review(
    folder: Annotated[Path, typer.Argument(help="An output folder (OUTPUT/<doc_id>) holding document.json.")],
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="The source PDF, if not at the path document.json records.")
    ] = None,
) -> None:
    """Write OUTPUT/<doc_id>/review/index.html: each page with the recorded boxes, tables, sections, failures."""
    from ..review import ReviewError, write_review

    t0 = time.perf_counter()
    try:
        index = write_review(folder, pdf)
    except ReviewError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    pages = len(list(index.parent.glob("page-*.png")))
    typer.echo(f"wrote {index} ({pages} page images, {time.perf_counter() - t0:.1f} s)")
