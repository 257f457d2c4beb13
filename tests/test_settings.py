"""The settings object: defaults, overrides from Python and files, and named errors."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from pipeline.errors import SettingsError
from pipeline.settings import DEFAULT_SETTINGS, UNITS, Settings


def test_every_field_has_a_known_unit_and_a_default_inside_its_bounds() -> None:
    for group in fields(DEFAULT_SETTINGS):
        for f in fields(getattr(DEFAULT_SETTINGS, group.name)):
            assert f.metadata["unit"] in UNITS, f.name
            lo, hi = f.metadata["lo"], f.metadata["hi"]
            value = getattr(getattr(DEFAULT_SETTINGS, group.name), f.name)
            if isinstance(value, bool):
                continue
            assert lo is None or value >= lo, f.name
            assert hi is None or value <= hi, f.name


def test_override_from_mapping_keeps_the_other_defaults() -> None:
    s = Settings.from_mapping({"layout": {"furniture_zone": 0.1}})
    assert s.layout.furniture_zone == 0.1
    assert s.tables == DEFAULT_SETTINGS.tables
    assert s.structure == DEFAULT_SETTINGS.structure


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"layout": {"furniture_zone": 0.9}}, "layout.furniture_zone = 0.9 is out of range"),
        ({"layout": {"furniture_zone": "wide"}}, "layout.furniture_zone must be a number"),
        ({"layout": {"no_such": 1}}, "unknown setting layout.no_such"),
        ({"nowhere": {}}, "unknown settings group 'nowhere'"),
    ],
)
def test_bad_values_are_named(data: dict[str, dict[str, object]], says: str) -> None:
    with pytest.raises(SettingsError, match=says.replace(".", r"\.").replace("(", r"\(")):
        Settings.from_mapping(data)


def test_from_toml_and_json_files(tmp_path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text("[layout]\nfurniture_zone = 0.2\n", encoding="utf-8")
    assert Settings.from_file(toml).layout.furniture_zone == 0.2
    js = tmp_path / "s.json"
    js.write_text(json.dumps({"layout": {"furniture_zone": 0.05}}), encoding="utf-8")
    assert Settings.from_file(js).layout.furniture_zone == 0.05
    broken = tmp_path / "b.toml"
    broken.write_text("[layout\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid toml"):
        Settings.from_file(broken)
    with pytest.raises(SettingsError, match="cannot read settings file"):
        Settings.from_file(tmp_path / "missing.toml")


def test_settings_are_immutable() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_SETTINGS.layout.furniture_zone = 0.3  # type: ignore[misc]


def test_a_choice_setting_takes_only_its_names() -> None:
    from pipeline.readers import READERS

    assert DEFAULT_SETTINGS.load.reader in READERS
    for name in READERS:
        assert Settings.from_mapping({"load": {"reader": name}}).load.reader == name
    with pytest.raises(SettingsError, match=r"load\.reader = 'ocr' is not one of"):
        Settings.from_mapping({"load": {"reader": "ocr"}})


def test_each_group_field_takes_its_default_and_metadata_from_settings_toml(monkeypatch) -> None:
    from dataclasses import dataclass

    from pipeline import settings

    monkeypatch.setattr(
        settings,
        "declaration_text",
        lambda: (
            '[demo]\nwidth = { default = 2.0, unit = "em", lo = 1.0, hi = 3.0, why = "a reason" }\n'
            'reader = { choices = "readers", unit = "choice" }\n'
        ),
    )

    @dataclass(frozen=True, slots=True)
    @settings.declared("demo")
    class Demo(settings.SettingsGroup):
        width: float
        reader: str

    (width, reader) = fields(Demo)
    assert (width.default, width.metadata["unit"], width.metadata["lo"], width.metadata["hi"]) == (2.0, "em", 1.0, 3.0)
    assert width.metadata["why"] == "a reason"
    assert (reader.default, reader.metadata["choices"]) == (
        settings.CHOICES["readers"][1],
        settings.CHOICES["readers"][0],
    )
    assert Demo() == Demo.defaults() and Demo().width == 2.0
    with pytest.raises(SettingsError, match=r"demo\.width = 3\.5 is out of range \[1\.0, 3\.0\] \(multiples"):
        Demo(width=3.5)


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        (
            '[demo]\nwidth = { default = 2.0, unit = "em" }\nextra = { default = 1, unit = "count" }\n',
            "disagree on extra",
        ),
        ("[demo]\n", "disagree on width"),
        ('[demo]\nwidth = { default = 2, unit = "em" }\n', "the default 2 is not a float"),
        ('[demo]\nwidth = { default = 2.0, unit = "furlong" }\n', "unknown unit 'furlong'"),
        ('[demo]\nwidth = { default = 2.0, unit = "em", hight = 3.0 }\n', "unknown key 'hight'"),
    ],
)
def test_a_field_and_its_declaration_out_of_step_fail_at_import(monkeypatch, toml: str, says: str) -> None:
    from pipeline import settings

    monkeypatch.setattr(settings, "declaration_text", lambda: toml)

    class Demo(settings.SettingsGroup):
        width: float

    with pytest.raises(TypeError, match=says):
        settings.declared("demo")(Demo)
