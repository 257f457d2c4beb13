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
}


def setting(default: Any, unit: str, lo: float | None = None, hi: float | None = None, why: str = "") -> Any:
    """A settings field: its default, unit (see UNITS), inclusive bounds and a one-line reason."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    return field(default=default, metadata={"unit": unit, "lo": lo, "hi": hi, "why": why})


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
class LayoutSettings(_Group):
    """Lines, page furniture, text boxes (pipeline/layout.py)."""

    SECTION = "layout"

    furniture_zone: float = setting(
        0.14, "page_h", 0.0, 0.5, "top and bottom bands where running headers, footers and page numbers may sit"
    )


@dataclass(frozen=True, slots=True)
class TableSettings(_Group):
    """Finding, extracting, captioning and stitching tables (pipeline/tables/)."""

    SECTION = "tables"


@dataclass(frozen=True, slots=True)
class StructureSettings(_Group):
    """Headings, sections, captions, front matter, paragraphs (pipeline/structure.py and friends)."""

    SECTION = "structure"


@dataclass(frozen=True, slots=True)
class Settings:
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

__all__ = ["DEFAULT_SETTINGS", "UNITS", "LayoutSettings", "Settings", "StructureSettings", "TableSettings", "setting"]
