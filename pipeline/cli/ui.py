"""The look shared by every command's summary table, and the one way text reaches the console.

Text from a PDF, a file name or an exception is never read as rich markup (a TOC entry
"五、[/x]…" or pdfminer's "[/'A']" would raise MarkupError or vanish), and terminal control
characters in it (escape sequences, bell, bidi overrides) are replaced, so a hostile name cannot
repaint the terminal. Undecodable file-name bytes (surrogates) are shown as U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from ..batch.results import DocResult

Justify = Literal["left", "right"]

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, lone surrogates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _replacement(m: re.Match[str]) -> str:
    ch = m.group()
    return "\ufffd" if "\ud800" <= ch <= "\udfff" else "?"


def clean(text: object) -> str:
    """`text` as printable characters only: controls become "?", undecodable bytes U+FFFD."""
    return _UNSAFE.sub(_replacement, str(text))


def cell(text: object, style: str = "") -> Text:
    """A table cell shown exactly as written (no markup), cleaned."""
    return Text(clean(text), style=style)


def escaped(text: object) -> str:
    """Cleaned text for a place that reads markup (a progress bar's description)."""
    return escape(clean(text))


def say(console: Console, text: object) -> None:
    """Print one line of plain text (never markup, never highlighted), cleaned."""
    console.print(clean(text), markup=False, highlight=False, emoji=False)


def progress_bars(console: Console, shown: bool = True) -> Progress:
    """The progress display of `ingest` and `backfill` (on stderr; hidden with `--json`), gone when done."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not shown,
    )


def summary_frame(title: str, columns: Iterable[tuple[str, Justify]], squeeze: Iterable[str] = ()) -> Table:
    """An empty summary table that fits the terminal (80 columns too) without splitting a value across lines.

    Every cell stays on one line. When the table is too wide, the `squeeze` columns (a file name,
    a reason) give up their width first and their cells end in "…"; the full text is in the
    error lines above the table and in `--json`.
    """
    shrink = set(squeeze)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=0, show_edge=False)
    for name, justify in columns:
        # squeezable columns count as wrappable, so rich narrows them first; their cells still never wrap
        table.add_column(name, justify=justify, no_wrap=name not in shrink, overflow="ellipsis")
    return table


def one_line(text: object, style: str = "") -> Text:
    """A cell that is cut with "…" rather than wrapped (see `summary_frame`)."""
    return Text(clean(text), style=style, no_wrap=True, overflow="ellipsis")


STATUS_STYLE = {"done": "green", "skipped": "dim", "failed": "red", "unloaded": "yellow"}
STATUS_SHOWN = {"unloaded": "not loaded"}  # written, but the database load failed


def results_table(title: str, results: Iterable[DocResult], done: str = "done") -> Table:
    """The summary of `ingest` and `backfill`: one row per input, the reason of a failure or refusal last
    (`done`: the word for a document written and loaded as asked)."""
    table = summary_frame(
        title,
        (
            ("file", "left"),
            ("status", "left"),
            ("doc_id", "left"),
            ("pages", "right"),
            ("tables", "right"),
            ("warn", "right"),
            ("db", "left"),
            ("s", "right"),
            ("reason", "left"),
        ),
        squeeze=("file", "reason"),
    )
    for r in results:
        written = r.status in ("done", "unloaded")
        db, _, detail = r.database.partition(": ")
        reason = r.reason.removeprefix(f"{r.path}: ") or (r.database if detail else "")
        table.add_row(
            one_line(r.path.rsplit("/", 1)[-1]),
            cell(done if r.status == "done" else STATUS_SHOWN.get(r.status, r.status), STATUS_STYLE[r.status]),
            cell(r.doc_id or "-"),
            str(r.pages) if written else "-",
            str(r.tables) if written else "-",
            str(r.warnings) if written else "-",
            cell(db or "-"),
            f"{r.seconds:.1f}" if written or r.status == "failed" else "-",
            one_line(reason),
        )
    return table
