"""Intermediate records of the tables stage: a table candidate and the table found on one page.

A `PageTable` is one page's piece of a table on that page's own grid, found once by layout and
never changed after: caption attachment makes captioned copies. `stitch` joins pieces of the same
table into one `pipeline.model.Table`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, NamedTuple, Protocol, TypeVar

from ..load import Rule
from ..model import BBox

CandidateKind = Literal["ruled", "open"]


class Spanning(Protocol):
    """What a merged cell has: its origin, its spans and its text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


S = TypeVar("S", bound=Spanning)


def cover_grid(cells: Iterable[S], n_rows: int, n_cols: int) -> list[list[S | None]]:
    """The cell covering each (row, col) position of an n_rows x n_cols grid."""
    g: list[list[S | None]] = [[None] * n_cols for _ in range(n_rows)]
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                g[r][k] = c
    return g


def grid_texts(grid: Sequence[Sequence[Spanning | None]]) -> list[list[str]]:
    """Full rectangular text grid, a merged cell's text repeated in every position it covers."""
    return [[c.text if c else "" for c in row] for row in grid]


class Gridded(Generic[S]):
    """The grid views shared by a page table and a stitched table: both have column edges `xs`,
    merged `cells` and a row count."""

    __slots__ = ()
    xs: list[float]
    cells: list[S]

    @property
    def n_rows(self) -> int:
        raise NotImplementedError

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def grid(self) -> list[list[S | None]]:
        """The cell covering each (row, col) position."""
        return cover_grid(self.cells, self.n_rows, self.n_cols)

    def texts(self) -> list[list[str]]:
        """Full rectangular text grid, a merged cell's text repeated in every position it covers."""
        return grid_texts(self.grid())


@dataclass(slots=True)
class Candidate:
    """Rules that plausibly frame one table: a connected grid ("ruled") or a stack of h-rules ("open")."""

    page: int
    bbox: BBox
    rules: list[Rule]
    kind: CandidateKind


class Corners(NamedTuple):
    """A cell's box as four floats: a `BBox` model costs ~0.6 KB, and a 1,000-page report's pages
    hold ~25,000 cells from layout to the tables stage."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(slots=True)
class Cell:
    """A cell on its page grid (row/col 0-based, spans >= 1) with its printed text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bbox: Corners | BBox

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1


@dataclass(frozen=True, slots=True)
class PageTable(Gridded["Cell"]):
    """A table (or a piece of one) on one page: column edges xs, row edges ys, cells.

    The caption fields and text flags are empty as found; `captions.attach_captions` fills them
    in copies.
    """

    page: int
    bbox: BBox
    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    header_rows: int
    extractor: str
    quality: float
    caption_number: str | None = None
    caption_title: str | None = None
    caption_position: str | None = None
    continued: bool = False  # a "续表" line marks it as the continuation of an earlier table
    text_above: bool = False  # body text between the page's top (furniture aside) and the table
    text_below: bool = False  # body text between the table and the page's bottom
    subtitle: str | None = None  # a full-width title row inside the frame, above the header (not in the grid)
    ruleless: bool = False  # no rule drawn: columns of text found next to a caption or going on from one (bare.py)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1
