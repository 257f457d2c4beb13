"""The look shared by every command's summary table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from rich.table import Table

Justify = Literal["left", "right"]


def summary_frame(title: str, columns: Iterable[tuple[str, Justify]]) -> Table:
    """An empty summary table: left-aligned title, long cells folded rather than cut."""
    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    return table
