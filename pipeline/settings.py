"""Every tunable threshold of the stages, in one validated, immutable object.

Like pdfplumber's `TableSettings`: one dataclass per stage group, each field with a default, a
unit and bounds, checked when the object is made, so a bad value is named at once rather than
silently skewing the output. Geometric values are relative: to the page size ("page_w",
"page_h"), or to the body font size ("em"; the dominant size of body text, found by layout).
No rule may compare against an absolute point value: the next report uses another page size,
another font size and another word processor.

The groups here declare each setting's name and type, which the stages read; its default, unit,
bounds and reason are data, one line per setting in `settings.toml`, kept in step with the fields
(a field without its line, or a line without its field, fails at import).

    Settings()                                  # the defaults
    Settings.from_mapping({"layout": {...}})    # overrides (unknown keys are errors)
    Settings.from_file("overrides.toml")        # the same from a TOML or JSON file (--settings FILE)

A stage receives the whole object and reads its own group (`settings.layout.furniture_zone`).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

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

# the sets a "choice" setting names in settings.toml: the names it may take, and its default
CHOICES: dict[str, tuple[tuple[str, ...], str]] = {
    "readers": (READERS, DEFAULT_READER),
    "ocr_modes": (OCR_MODES, "auto"),
}

_SPEC_KEYS = frozenset({"default", "unit", "lo", "hi", "why", "choices"})

G = TypeVar("G", bound="SettingsGroup")


def declaration_text() -> str:
    """settings.toml: the default, unit, bounds and reason of every setting."""
    return resources.files(__package__).joinpath("settings.toml").read_text(encoding="utf-8")


def declared(section: str) -> Callable[[type[G]], type[G]]:
    """Make a class the settings group `section`: each annotated field gets its default and its metadata
    (unit, lo, hi, why, choices) from that table of settings.toml. Apply under @dataclass."""

    def declare(cls: type[G]) -> type[G]:
        table = tomllib.loads(declaration_text()).get(section, {})
        names = list(cls.__annotations__)
        if set(names) != set(table):
            odd = sorted(set(names) ^ set(table))
            raise TypeError(f"settings group {section!r}: its fields and settings.toml disagree on {', '.join(odd)}")
        cls.SECTION = section
        for name in names:
            setattr(cls, name, _declared_field(f"{section}.{name}", cls.__annotations__[name], table[name]))
        return cls

    return declare


def _declared_field(where: str, annotation: str, spec: Mapping[str, Any]) -> Any:
    unknown = sorted(set(spec) - _SPEC_KEYS)
    if unknown:
        raise TypeError(f"settings.toml {where}: unknown key {unknown[0]!r}")
    if spec.get("unit") not in UNITS:
        raise TypeError(f"settings.toml {where}: unknown unit {spec.get('unit')!r}")
    choices: tuple[str, ...] = ()
    default = spec.get("default")
    if "choices" in spec:
        choices, default = CHOICES[spec["choices"]]
    if type(default).__name__ != annotation:
        raise TypeError(f"settings.toml {where}: the default {default!r} is not a {annotation}")
    metadata = {"unit": spec["unit"], "lo": spec.get("lo"), "hi": spec.get("hi"), "why": spec.get("why", "")}
    return field(default=default, metadata={**metadata, "choices": choices})


class SettingsGroup:
    """Validation shared by every settings group: type and bounds of each field."""

    SECTION: ClassVar[str]

    @classmethod
    def defaults(cls) -> Self:
        """The group with every setting at its default (what `cls()` makes; typed for mypy, which sees no defaults)."""
        return cls(**{f.name: f.default for f in fields(cls)})  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            where = f"{self.SECTION}.{f.name}"
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
@declared("load")
class LoadSettings(SettingsGroup):
    """How the PDF is read (pipeline/load.py, pipeline/readers/)."""

    reader: str
    page_window: int
    parallel_pages: int
    workers: int
    ocr: str
    ocr_image_cover: float
    ocr_max_chars: int
    ocr_dpi: int
    ocr_min_confidence: float
    ocr_rule_length: float


@dataclass(frozen=True, slots=True)
@declared("layout")
class LayoutSettings(SettingsGroup):
    """Lines, page furniture, text boxes (pipeline/lines.py, furniture.py, layout.py)."""

    furniture_zone: float
    furniture_share: float
    furniture_min_repeats: int
    furniture_min_pages: int
    page_number_gap: float
    line_gap: float
    field_gap: float
    text_box_width: float
    text_box_height: float
    edge_tol: float
    same_box_tol: float
    centre_tol: float
    cell_row_tol: float
    white_level: float
    overprint_share: float


@dataclass(frozen=True, slots=True)
@declared("tables")
class TableSettings(SettingsGroup):
    """Finding, extracting, captioning and stitching tables (pipeline/tables/)."""

    rule_tol: float
    merge_tol: float
    min_rule: float
    glyph_tol: float
    open_rule: float
    open_rule_align: float
    tabular_gap: float
    tabular_share: float
    border_cover: float
    word_gap: float
    column_gap: float
    row_share: float
    wrap_gap: float
    wrap_line_chars: int
    prose_chars: int
    caption_gap: float
    caption_lines: int
    caption_chars: int
    caption_tol: float
    stitch_edge_tol: float
    stitch_shared: float
    open_header_lines: int
    open_min_rows: int
    open_top_lines: int
    open_row_gap: float
    camelot_pad: float
    camelot_sliver: float
    data_share: float
    min_quality: float
    merged_row_share: float
    frame_share: float
    gutter_gap: float
    bare_min_rows: int
    bare_min_cols: int


@dataclass(frozen=True, slots=True)
@declared("structure")
class StructureSettings(SettingsGroup):
    """Headings, sections, captions, front matter, paragraphs, TOC (pipeline/structure/, paragraphs, toc)."""

    styled_votes: int
    trailing_heading_votes: int
    heading_votes: int
    list_item_heading_votes: int
    styled_size: float
    display_size: float
    smaller_tolerance: float
    same_size_tolerance: float
    heading_max_chars: int
    heading_short_by: float
    heading_wrap_gap: float
    run_in_title_max_chars: int
    toc_guide_pages: int
    toc_guide_max_lines: int
    conservation_sample_chars: int
    plain_heading_max_lines: int
    page_edge_min_lines: int
    page_edge_min_pages: int
    title_wrap_gap: float
    heading_wrap_short_by: float
    list_title_max_chars: int
    caption_max_chars: int
    photo_caption_max_chars: int
    photo_caption_gap: float
    photo_caption_slop: float
    between_slop: float
    centred_min_x0: float
    centred_tolerance: float
    full_line_slack: float
    space_width: float
    indent_min: float
    ruled_indent_max: float
    paragraph_gap: float
    paragraph_size_tolerance: float
    word_gap: float
    latin_char_width: float
    column_edge_quantile: float
    frame_inset: float
    frame_min_lines: int
    front_matter_pages: int
    front_title_lines: int
    declaration_title_max_chars: int
    cover_max_lines: int
    cover_max_chars: int
    toc_leader_share: float
    toc_leader_min_lines: int
    toc_indent_step: float
    toc_max_levels: int
    toc_check_depth: int
    code_search_lines: int


@dataclass(frozen=True, slots=True)
class Settings:
    load: LoadSettings = field(default_factory=LoadSettings.defaults)
    layout: LayoutSettings = field(default_factory=LayoutSettings.defaults)
    tables: TableSettings = field(default_factory=TableSettings.defaults)
    structure: StructureSettings = field(default_factory=StructureSettings.defaults)

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
    "CHOICES",
    "DEFAULT_SETTINGS",
    "OCR_MODES",
    "UNITS",
    "LayoutSettings",
    "LoadSettings",
    "Settings",
    "SettingsGroup",
    "StructureSettings",
    "TableSettings",
    "declared",
]
