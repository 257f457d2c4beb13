"""Settings values for tests, read from the settings object itself (never copied constants).

Whatever fields the groups hold, `changed()` is one setting with a valid non-default value and
`out_of_range()` one with a value beyond its bounds, each as (group, field, value).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from pipeline.settings import DEFAULT_SETTINGS, Settings


def _bounded() -> list[tuple[str, str, float, float, float]]:
    """(group, field, default, lo, hi) of every numeric setting with both bounds."""
    found = []
    for group in fields(Settings):
        values = getattr(DEFAULT_SETTINGS, group.name)
        for f in fields(values):
            default, lo, hi = getattr(values, f.name), f.metadata.get("lo"), f.metadata.get("hi")
            if isinstance(default, int | float) and not isinstance(default, bool) and lo is not None and hi is not None:
                found.append((group.name, f.name, default, lo, hi))
    assert found, "no bounded numeric setting to test with"
    return found


def changed() -> tuple[str, str, Any]:
    group, name, default, lo, hi = _bounded()[0]
    value: Any = default + (hi - default) / 4 if hi > default else default - (default - lo) / 4
    if isinstance(default, int):
        value = default + 1 if hi > default else default - 1
    return group, name, round(value, 4) if isinstance(value, float) else value


def out_of_range() -> tuple[str, str, Any]:
    group, name, _default, _lo, hi = _bounded()[0]
    return group, name, hi + 1


def other_settings() -> Settings:
    group, name, value = changed()
    return Settings.from_mapping({group: {name: value}})
