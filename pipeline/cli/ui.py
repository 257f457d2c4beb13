"""The look shared by every command's summary table, and the one way text reaches the console.

Text from a PDF, a file name or an exception is never read as rich markup (a TOC entry
"五、[/x]…" or pdfminer's "[/'A']" would raise MarkupError or vanish), and terminal control
characters in it (escape sequences, bell, bidi overrides) are replaced, so a hostile name cannot
repaint the terminal. Undecodable file-name bytes (surrogates) are shown as U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

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


def summary_frame(title: str, columns: Iterable[tuple[str, Justify]]) -> Table:
    """An empty summary table: left-aligned title, long cells folded rather than cut."""
    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    return table
