"""Every tunable threshold of the stages, in one validated, immutable object.

Like pdfplumber's `TableSettings`: one dataclass per stage group, each field with a default, a
unit and bounds, checked when the object is made, so a bad value is named at once rather than
silently skewing the output. Geometric values are relative: to the page size ("page_w",
"page_h"), or to the body font size ("em"; the dominant size of body text, found by layout).
No rule may compare against an absolute point value: the next report uses another page size,
another font size and another word processor.

    Settings()                                  # the defaults
    Settings.from_mapping({"layout": {...}})    # overrides (unknown keys are errors)
    Settings.from_file("settings.toml")         # the same from a TOML or JSON file (--settings FILE)

A stage receives the whole object and reads its own group (`settings.layout.furniture_zone`).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .readers import DEFAULT_READER, READERS

OCR_MODES = ("auto", "never", "always")

# units a relative threshold may be expressed in (documentation and validation only)
UNITS = {
    "em": "multiples of the body font size",
    "page_w": "share of the page width",
    "page_h": "share of the page height",
    "share": "a share between 0 and 1",
    "chars": "a count of characters",
    "count": "a count",
    "pages": "a count of pages",
    "pt": "PDF points (only for sub-glyph tolerances below one point-size of text)",
    "choice": "one name of a fixed set",
    "dpi": "pixels per inch of a page rendered as an image",
}


def setting(
    default: Any,
    unit: str,
    lo: float | None = None,
    hi: float | None = None,
    why: str = "",
    choices: tuple[str, ...] = (),
) -> Any:
    """A settings field: its default, unit (see UNITS), inclusive bounds (or the names it may take) and a reason."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    return field(default=default, metadata={"unit": unit, "lo": lo, "hi": hi, "why": why, "choices": choices})


class _Group:
    """Validation shared by every settings group: type and bounds of each field."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            where = f"{type(self).SECTION}.{f.name}"  # type: ignore[attr-defined]
            if isinstance(f.default, bool):
                if not isinstance(value, bool):
                    raise SettingsError(f"{where} must be true or false, not {value!r}")
                continue
            if f.metadata.get("choices"):
                if value not in f.metadata["choices"]:
                    raise SettingsError(f"{where} = {value!r} is not one of {', '.join(f.metadata['choices'])}")
                continue
            if isinstance(f.default, int | float):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise SettingsError(f"{where} must be a number ({UNITS[f.metadata['unit']]}), not {value!r}")
                lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    raise SettingsError(
                        f"{where} = {value!r} is out of range [{lo if lo is not None else '-inf'}, "
                        f"{hi if hi is not None else 'inf'}] ({UNITS[f.metadata['unit']]})"
                    )


@dataclass(frozen=True, slots=True)
class LoadSettings(_Group):
    """How the PDF is read (pipeline/load.py, pipeline/readers/)."""

    SECTION = "load"

    reader: str = setting(
        DEFAULT_READER,
        "choice",
        why="the character source: pdfplumber (the reference) or pdfium (several times faster; bench/bench_readers.py)",
        choices=READERS,
    )
    page_window: int = setting(
        50,
        "pages",
        1,
        None,
        "the reader's document-wide caches are emptied every this many pages, so reading a long PDF holds"
        " no more than a window of it (bench/bench_memory.py)",
    )
    parallel_pages: int = setting(
        200,
        "pages",
        2,
        None,
        "a document this long has its pages read by `workers` processes, `page_window` pages at a time"
        " (pipeline/readers/parallel.py; each worker costs ~1 s to start, a 70-page report reads in 0.7 s)",
    )
    workers: int = setting(2, "count", 1, 64, "processes reading one long document's pages (1: always in this process)")
    ocr: str = setting(
        "auto",
        "choice",
        why="OCR (pipeline/ocr/): auto reads scanned pages (no text layer, or a page-sized image over little text),"
        " always reads every page by OCR instead of its text layer, never reads none",
        choices=OCR_MODES,
    )
    ocr_image_cover: float = setting(
        0.5, "share", 0.0, 1.0, "an image covering this share of the page makes it a scan (auto)"
    )
    ocr_max_chars: int = setting(
        20, "chars", 0, None, "… when the text layer over it holds at most this many glyphs (more: the page has text)"
    )
    ocr_dpi: int = setting(
        144, "dpi", 72, 600, "the page is rendered at this resolution for OCR (~30 px per line of 11 pt body text)"
    )
    ocr_min_confidence: float = setting(
        0.8, "share", 0.0, 1.0, "OCR text read with a lower confidence is reported (ocr_low_confidence)"
    )
    ocr_rule_length: float = setting(
        0.015, "page_w", 0.0, 1.0, "on a scan, a straight dark run this long (text masked out) is a ruling line"
    )


@dataclass(frozen=True, slots=True)
class LayoutSettings(_Group):
    """Lines, page furniture, text boxes (pipeline/lines.py, furniture.py, layout.py)."""

    SECTION = "layout"

    furniture_zone: float = setting(
        0.14, "page_h", 0.0, 0.5, "top and bottom bands where running headers, footers and page numbers may sit"
    )
    furniture_share: float = setting(
        0.3, "share", 0.0, 1.0, "a header/footer text is running when it repeats on this share of the pages"
    )
    furniture_min_repeats: int = setting(2, "count", 2, None, "… and on at least this many pages")
    furniture_min_pages: int = setting(4, "pages", 1, None, "a shorter file has no running header or footer")
    page_number_gap: float = setting(
        1.0, "em", 0.0, 10.0, "a page number above the body stands this many of its sizes clear of the first body line"
    )
    line_gap: float = setting(
        2.0, "em", 0.5, 20.0, "a gap this many of the line's own font sizes wide is column-like (Line.gaps)"
    )
    text_box_width: float = setting(
        6.67, "em", 0.0, 100.0, "a filled or bordered rectangle this wide can hold text (a case box, a call-out)"
    )
    text_box_height: float = setting(1.25, "em", 0.0, 100.0, "… and at least this tall: one line of body text")
    edge_tol: float = setting(
        2.0, "pt", 0.0, 3.0, "sub-glyph: two drawn edges this close are one edge (drawing jitter, stroke width)"
    )
    same_box_tol: float = setting(
        1.0, "pt", 0.0, 3.0, "sub-glyph: a rectangle drawn twice (fill, then stroke) differs by less than this"
    )
    centre_tol: float = setting(
        1.0, "pt", 0.0, 3.0, "sub-glyph: a line whose centre lies this close to a table or box belongs to it"
    )
    cell_row_tol: float = setting(
        1.5, "pt", 0.0, 3.0, "sub-glyph: shaded cells of one table row share their top and bottom to within this"
    )
    white_level: float = setting(
        0.95, "share", 0.0, 1.0, "text this light (every RGB channel, 1 = white) off any shape or image is unseen"
    )
    overprint_share: float = setting(
        0.6, "share", 0.0, 1.0, "two glyphs sharing this much of the smaller one's box are printed one on the other"
    )


@dataclass(frozen=True, slots=True)
class TableSettings(_Group):
    """Finding, extracting, captioning and stitching tables (pipeline/tables/)."""

    SECTION = "tables"

    rule_tol: float = setting(
        3.0, "pt", 0.0, 5.0, "sub-glyph: rules this close meet, or are the same line (stroke width, drawing jitter)"
    )
    merge_tol: float = setting(
        1.5, "pt", 0.0, 3.0, "sub-glyph: colinear rule pieces this close are one rule (Word draws each cell's border)"
    )
    min_rule: float = setting(2.0, "pt", 0.0, 5.0, "sub-glyph: a shorter segment is a dot, not a rule")
    glyph_tol: float = setting(
        1.0, "pt", 0.0, 3.0, "sub-glyph: a glyph reaching this far over its cell's side still sits in the cell"
    )
    open_rule: float = setting(
        0.1, "page_w", 0.0, 1.0, "a horizontal rule of a three-line table (no verticals) spans at least this width"
    )
    open_rule_align: float = setting(
        0.0135, "page_w", 0.0, 0.1, "the rules of one three-line table start and end within this of each other"
    )
    tabular_gap: float = setting(
        1.5, "em", 0.0, 20.0, "a gap this many of the line's glyph sizes wide separates two cells of a table row"
    )
    tabular_share: float = setting(
        0.5, "share", 0.0, 1.0, "text between two rules is table rows when this share of its lines has such a gap"
    )
    border_cover: float = setting(0.6, "share", 0.0, 1.0, "a cell border exists where rules cover this share of it")
    word_gap: float = setting(
        1.0, "em", 0.0, 10.0, "unruled columns: a gap this many glyph sizes wide ends a word (Latin spaces are ~0.3)"
    )
    column_gap: float = setting(
        0.8, "em", 0.0, 10.0, "unruled columns: a gap this many glyph sizes wide, crossed by no word, separates columns"
    )
    row_share: float = setting(
        0.6, "share", 0.0, 1.0, "an unruled band is rows when this share of its columns (and lines) line up"
    )
    wrap_gap: float = setting(
        0.6,
        "share",
        0.0,
        1.0,
        "unruled rows: two lines closer than this share of the usual row gap are one wrapped row",
    )
    wrap_line_chars: int = setting(
        10,
        "chars",
        1,
        200,
        "a cell line this long that fills its column to within one glyph and ends no sentence wraps on (paragraphs)",
    )
    prose_chars: int = setting(
        60, "chars", 1, None, "a one-column box whose cell holds this much text is a text box, not a table"
    )
    caption_gap: float = setting(
        3.34, "em", 0.0, 50.0, "a caption stands at most this far (in body font sizes) above or below its table"
    )
    caption_lines: int = setting(2, "count", 1, None, "a caption is among this many lines nearest the table")
    caption_chars: int = setting(60, "chars", 1, None, "a longer line is body text, not a caption")
    caption_tol: float = setting(
        2.0, "pt", 0.0, 5.0, "sub-glyph: a caption line may reach this far into its table's box"
    )
    stitch_edge_tol: float = setting(
        0.01, "page_w", 0.0, 0.1, "pieces on two pages continue one table when their column edges agree to within this"
    )
    stitch_shared: float = setting(
        0.5, "share", 0.0, 1.0, "… for this share of the inner column edges of the piece with fewer columns"
    )
    open_header_lines: int = setting(
        2, "count", 1, None, "two rules around at most this many lines are a header: its rows may run on below"
    )
    open_min_rows: int = setting(
        2, "count", 1, None, "rows over a lone bottom rule, opening their page, are a table piece"
    )
    open_top_lines: int = setting(
        2, "count", 0, None, "… when no more lines than this (running header, page number) stand above them"
    )
    open_row_gap: float = setting(
        2.0, "em", 0.0, 10.0, "rows under a three-line table's header rule, no rule below, follow this close"
    )
    camelot_pad: float = setting(
        3.0, "pt", 0.0, 5.0, "sub-glyph: added around a candidate so camelot sees its border lines whole"
    )
    camelot_sliver: float = setting(
        2.0, "pt", 0.0, 5.0, "sub-glyph: a camelot row/column thinner than the pad plus this is the pad's sliver"
    )
    data_share: float = setting(
        0.5,
        "share",
        0.0,
        1.0,
        "a row is data (below the header) when this share of its cells past the first are numbers",
    )
    min_quality: float = setting(
        0.9,
        "share",
        0.0,
        1.0,
        "a grid whose borders leave less than this share of its glyphs inside their cell is refused",
    )
    merged_row_share: float = setting(
        0.5, "share", 0.0, 1.0, "a grid with more than this share of its rows one cell across the table is refused"
    )
    frame_share: float = setting(
        0.5, "share", 0.0, 1.0, "a grid with more than this share of its filled cells paragraphs is a layout frame"
    )
    gutter_gap: float = setting(
        2.5, "em", 0.0, 50.0, "a column gap this many glyph sizes wide, crossed by no rule, splits side-by-side tables"
    )


@dataclass(frozen=True, slots=True)
class StructureSettings(_Group):
    """Headings, sections, captions, front matter, paragraphs, TOC (pipeline/structure/, paragraphs, toc)."""

    SECTION = "structure"

    # typography relative to the body
    styled_size: float = setting(1.1, "em", 1.0, 3.0, "text at least this large counts as set apart from the body")
    display_size: float = setting(1.15, "em", 1.0, 4.0, "display type: titles on the cover and above the first heading")
    smaller_tolerance: float = setting(0.2, "pt", 0.0, 2.0, "a caption is smaller than the body by more than this")
    same_size_tolerance: float = setting(
        0.3, "pt", 0.0, 2.0, "a wrapped heading's lines differ in size by at most this"
    )
    # headings
    heading_max_chars: int = setting(60, "chars", 10, 400, "a heading line is at most this long")
    heading_short_by: float = setting(3.0, "em", 0.0, 40.0, "a heading standing alone stops this short of the edge")
    heading_wrap_gap: float = setting(0.9, "em", 0.0, 5.0, "the next line of a wrapped heading follows within this gap")
    run_in_title_max_chars: int = setting(24, "chars", 2, 200, "a run-in title (up to 。/：) is this long at most")
    toc_guide_pages: int = setting(1, "pages", 0, 5, "a TOC entry's line is searched this many pages either side")
    toc_guide_max_lines: int = setting(
        3, "count", 1, 10, "a heading found from the TOC wraps over at most this many lines"
    )
    conservation_sample_chars: int = setting(40, "chars", 1, 1000, "characters quoted in a text_not_conserved finding")
    plain_heading_max_lines: int = setting(2, "count", 1, 5, "a heading in the body font spans at most this many lines")
    page_edge_min_lines: int = setting(6, "count", 1, 100, "a page's own left edge is read from this many lines")
    title_wrap_gap: float = setting(2.0, "em", 0.0, 10.0, "a cover title's next line follows within this gap")
    heading_wrap_short_by: float = setting(2.5, "em", 0.0, 40.0, "a heading line stopping this short did not wrap")
    list_title_max_chars: int = setting(
        8, "chars", 2, 60, "an unstyled 附表目录 line is a list title up to this length"
    )
    # captions
    caption_max_chars: int = setting(60, "chars", 10, 400, "a caption line is at most this long")
    photo_caption_max_chars: int = setting(
        40, "chars", 5, 400, "the unnumbered line under a picture is at most this long"
    )
    photo_caption_gap: float = setting(2.5, "em", 0.0, 10.0, "a photo caption starts within this gap under the picture")
    photo_caption_slop: float = setting(2.0, "pt", 0.0, 10.0, "position tolerance around a picture's edges")
    between_slop: float = setting(1.0, "pt", 0.0, 10.0, "position tolerance for a line lying between two others")
    centred_min_x0: float = setting(
        0.1515, "page_w", 0.0, 0.5, "a centred caption starts right of this (flush-left lines are not centred)"
    )
    centred_tolerance: float = setting(0.12, "page_w", 0.0, 0.5, "a centred line's middle is this close to the page's")
    # paragraphs
    full_line_slack: float = setting(1.6, "em", 0.0, 10.0, "a line ending within this of the right edge ran full")
    space_width: float = setting(0.6, "em", 0.0, 2.0, "width of a space after a word that did not fit")
    indent_min: float = setting(0.6, "em", 0.0, 10.0, "a first-line indent is deeper than this")
    paragraph_gap: float = setting(2.2, "em", 0.5, 20.0, "a vertical gap wider than this ends a paragraph")
    paragraph_size_tolerance: float = setting(0.6, "pt", 0.0, 4.0, "a size change larger than this ends a paragraph")
    word_gap: float = setting(0.2, "em", 0.0, 2.0, "a gap wider than this between Latin glyphs separates words")
    latin_char_width: float = setting(0.5, "em", 0.1, 2.0, "estimated width of a Latin glyph without positions")
    column_edge_quantile: float = setting(
        0.9, "share", 0.5, 1.0, "the text column's right edge: this quantile of line ends"
    )
    # front matter and TOC
    front_matter_pages: int = setting(8, "pages", 1, 60, "the cover, declaration and TOC lie within the first pages")
    front_title_lines: int = setting(3, "count", 1, 20, "a front-matter page's title is among its first lines")
    declaration_title_max_chars: int = setting(12, "chars", 2, 60, "a …声明 title is at most this long")
    cover_max_lines: int = setting(15, "count", 1, 200, "a cover prints at most this many lines")
    cover_max_chars: int = setting(300, "chars", 10, 5000, "a cover prints at most this many characters")
    toc_leader_share: float = setting(0.6, "share", 0.0, 1.0, "a TOC page without title: this share of leader lines")
    toc_leader_min_lines: int = setting(3, "count", 1, 100, "... and at least this many")
    toc_indent_step: float = setting(0.5, "em", 0.0, 10.0, "TOC entries further apart than this are another level")
    toc_max_levels: int = setting(4, "count", 1, 10, "the TOC's indentation gives at most this many levels")
    toc_check_depth: int = setting(2, "count", 0, 10, "headings down to this level must be listed in the TOC")
    code_search_lines: int = setting(
        11, "count", 1, 100, "the 院校代码 value follows its header within this many lines"
    )


@dataclass(frozen=True, slots=True)
class Settings:
    load: LoadSettings = field(default_factory=LoadSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    tables: TableSettings = field(default_factory=TableSettings)
    structure: StructureSettings = field(default_factory=StructureSettings)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Settings:
        """Defaults overridden by `data` ({group: {field: value}}); unknown groups or fields are errors."""
        defaults = cls()
        groups: dict[str, Any] = {f.name: getattr(defaults, f.name) for f in fields(cls)}
        for name, values in data.items():
            if name not in groups:
                raise SettingsError(f"unknown settings group {name!r}; known: {', '.join(groups)}")
            if not isinstance(values, Mapping):
                raise SettingsError(f"settings group {name!r} must be a table of values")
            known = {f.name for f in fields(groups[name])}
            unknown = sorted(set(values) - known)
            if unknown:
                raise SettingsError(f"unknown setting {name}.{unknown[0]}; known: {', '.join(sorted(known))}")
            groups[name] = replace(groups[name], **values)
        return cls(**groups)

    @classmethod
    def from_file(cls, path: str | Path) -> Settings:
        """Read a TOML (.toml) or JSON file of overrides."""
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise SettingsError(f"cannot read settings file {p}: {exc.strerror or exc}") from exc
        try:
            data = tomllib.loads(raw.decode("utf-8")) if p.suffix.lower() == ".toml" else json.loads(raw)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
            raise SettingsError(f"settings file {p} is not valid {p.suffix.lstrip('.') or 'JSON'}: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"settings file {p} must hold a table of groups")
        return cls.from_mapping(data)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {
            f.name: {g.name: getattr(getattr(self, f.name), g.name) for g in fields(getattr(self, f.name))}
            for f in fields(self)
        }

    def digest(self) -> str:
        """sha256 of every value (canonical JSON, 1 and 1.0 alike): other settings make other outputs."""
        values = {
            group: {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in items.items()}
            for group, items in self.as_dict().items()
        }
        text = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(text.encode("ascii")).hexdigest()


DEFAULT_SETTINGS = Settings()

__all__ = [
    "DEFAULT_SETTINGS",
    "OCR_MODES",
    "UNITS",
    "LayoutSettings",
    "Settings",
    "StructureSettings",
    "TableSettings",
    "setting",
]
