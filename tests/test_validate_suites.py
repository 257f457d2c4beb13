"""The suites as loaded: rule ids checked against the frame builders' enum, found as package data."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from pipeline.validate.ruleids import RuleId
from pipeline.validate.suites import load_suites, suites_folder

ROOT = Path(__file__).resolve().parents[1]


def copy_suites(tmp_path: Path) -> Path:
    folder = tmp_path / "suites"
    shutil.copytree(ROOT / "expectations", folder)
    return folder


def edit(folder: Path, name: str, rule: str, **meta: str) -> None:
    """Change the expectation of `rule` in folder/name: its meta rule id and/or its row_condition."""
    path = folder / name
    raw = json.loads(path.read_text(encoding="utf-8"))
    e = next(e for e in raw["expectations"] if e["meta"]["rule"] == rule)
    if "new_rule" in meta:
        e["meta"]["rule"] = meta["new_rule"]
    if "condition" in meta:
        e["kwargs"]["row_condition"] = meta["condition"]
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def test_the_shipped_suites_judge_every_rule_id() -> None:
    specs = load_suites()
    named = {e["meta"]["rule"] for s in specs for e in s.expectations}
    assert named == {r.value for r in RuleId}


def test_a_suite_naming_an_unknown_rule_fails_naming_it(tmp_path: Path) -> None:
    folder = copy_suites(tmp_path)
    new = "table.total_rows"
    edit(folder, "arithmetic.json", "table.total_row", new_rule=new, condition=f'rule=="{new}"')
    with pytest.raises(ValueError, match=r"'table\.total_rows', which is not a RuleId"):
        load_suites(folder)


def test_a_rule_id_without_an_expectation_fails_naming_it(tmp_path: Path) -> None:
    folder = copy_suites(tmp_path)
    raw = json.loads((folder / "structure.json").read_text(encoding="utf-8"))
    raw["expectations"] = [e for e in raw["expectations"] if e["meta"]["rule"] != "toc.entry_page"]
    (folder / "structure.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=r"no expectation in the suites: toc\.entry_page"):
        load_suites(folder)


def test_a_row_condition_selecting_another_rule_fails(tmp_path: Path) -> None:
    folder = copy_suites(tmp_path)
    edit(folder, "consistency.json", "annex.restates_text", condition='rule=="text.restates_table"')
    with pytest.raises(ValueError, match=r"annex\.restates_text.*text\.restates_table"):
        load_suites(folder)


def test_suites_are_package_resources() -> None:
    folder = suites_folder()
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".json")) == sorted(
        p.name for p in (ROOT / "expectations").glob("*.json")
    )
    assert folder.joinpath("values.json").read_bytes() == (ROOT / "expectations" / "values.json").read_bytes()


_MUTATORS = frozenset("append extend insert update setdefault pop popitem clear add remove".split())


def _module_state(tree: ast.Module) -> list[str]:
    """Module-level containers some function changes, and functions cached at module level."""
    names = {
        t.id
        for node in tree.body
        if isinstance(node, ast.AnnAssign | ast.Assign)
        for t in ([node.target] if isinstance(node, ast.AnnAssign) else node.targets)
        if isinstance(t, ast.Name)
    }
    out = []
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        if any(isinstance(d, ast.Name) and d.id in ("cache", "lru_cache") for d in fn.decorator_list):
            out.append(fn.name)
        for n in ast.walk(fn):
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr in _MUTATORS
                and isinstance(n.func.value, ast.Name)
                and n.func.value.id in names
            ):
                out.append(n.func.value.id)
            if isinstance(n, ast.Assign | ast.AugAssign | ast.Delete):
                targets = n.targets if isinstance(n, ast.Assign | ast.Delete) else [n.target]
                out += [t.value.id for t in targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                        and t.value.id in names]  # fmt: skip
    return out


def test_validate_and_emit_keep_no_hidden_state() -> None:
    """No module-level registries or caches, no `global`, no import of another module's private names."""
    files = [*sorted((ROOT / "pipeline" / "validate").glob("*.py")), ROOT / "pipeline" / "emit.py"]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        private = [
            a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            for a in n.names
            if a.name.startswith("_") and not a.name.endswith("__")
        ]
        assert private == [], f"{path.name} imports private names {private}"
        assert not any(isinstance(n, ast.Global) for n in ast.walk(tree)), f"{path.name} assigns a global"
        assert _module_state(tree) == [], f"{path.name} keeps module-level state"
