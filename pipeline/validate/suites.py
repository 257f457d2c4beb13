"""Load the GX suites from expectations/*.json and run them on the frames of one document.

One suite per rule family (structure, values, arithmetic, consistency), each judged against the
frame of the same name. Each expectation's meta carries the project's rule id, its severity and
a Chinese and an English message template; result_format COMPLETE gives the index of every
unexpected row, and the row carries its target/row/column/page, so a failure is located.

great_expectations is imported here lazily and the ephemeral context is made once per process
(import 4-8 s, context 0.1 s, a run 0.1-0.2 s): `gx_runtime()` caches both. Runs are serialised
by a lock because the context's stores are shared.
"""

from __future__ import annotations

import json
import os
import threading
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import Severity, ValidationResult

EXPECTATIONS_ENV = "NIANBAO_EXPECTATIONS"
_LOCK = threading.RLock()


def expectations_dir() -> Path:
    """expectations/ at the project root, or the folder NIANBAO_EXPECTATIONS names."""
    env = os.environ.get(EXPECTATIONS_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "expectations"


@dataclass(frozen=True, slots=True)
class SuiteSpec:
    """One suite file: GX name, version, the frame it judges, and its expectations as stored."""

    name: str
    version: str
    frame: str
    description: str
    expectations: tuple[dict[str, Any], ...]
    path: str

    @classmethod
    def read(cls, path: Path) -> SuiteSpec:
        raw = json.loads(path.read_text(encoding="utf-8"))
        meta = raw.get("meta") or {}
        # a missing rule is reported by the meta check below (sorting two Nones would raise a TypeError)
        rules = [r for e in raw["expectations"] if (r := (e.get("meta") or {}).get("rule")) is not None]
        if len(set(rules)) != len(rules):
            raise ValueError(f"{path}: a rule id appears twice: {sorted(r for r in rules if rules.count(r) > 1)}")
        for i, e in enumerate(raw["expectations"]):
            m = e.get("meta") or {}
            missing = [k for k in ("rule", "severity", "message_zh", "message_en") if not m.get(k)]
            if missing or m.get("severity") not in ("info", "warning", "error"):
                raise ValueError(f"{path}: expectation {i} ({e.get('type')}) has a bad meta: missing {missing}")
        return cls(
            raw["name"],
            str(meta.get("version", "0")),
            meta.get("frame", path.stem),
            meta.get("description", ""),
            tuple(raw["expectations"]),
            str(path),
        )


@cache
def load_suites(folder: str | None = None) -> tuple[SuiteSpec, ...]:
    d = Path(folder) if folder else expectations_dir()
    specs = tuple(SuiteSpec.read(p) for p in sorted(d.glob("*.json")))
    if not specs:
        raise FileNotFoundError(f"no expectation suites (*.json) in {d}")
    return specs


@dataclass(slots=True)
class Runtime:
    """The process's GX context, with one pandas asset and validation definition per suite."""

    gx: Any
    context: Any
    definitions: dict[str, Any] = field(default_factory=dict)
    import_seconds: float = 0.0


_RUNTIME: Runtime | None = None


def new_runtime() -> Runtime:
    """A fresh ephemeral GX context (importing great_expectations on first use, 4-8 s)."""
    t0 = time.perf_counter()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from . import expectations  # noqa: F401  (registers the custom expectation types)

    seconds = time.perf_counter() - t0
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ctx.data_sources.add_pandas("nianbao")
    return Runtime(gx, ctx, import_seconds=round(seconds, 3))


def gx_runtime() -> Runtime:
    global _RUNTIME
    with _LOCK:
        if _RUNTIME is None:
            _RUNTIME = new_runtime()
        return _RUNTIME


def _definition(rt: Runtime, spec: SuiteSpec) -> Any:
    key = f"{spec.name}@{spec.version}:{spec.path}"
    if key not in rt.definitions:
        gx = rt.gx
        ds = rt.context.data_sources.get("nianbao")
        taken = {n.split("@")[0] for n in rt.definitions}
        name = spec.name if spec.name not in taken else f"{spec.name}-{len(rt.definitions)}"  # another folder's suite
        batch = ds.add_dataframe_asset(name.replace("nianbao.", "")).add_batch_definition_whole_dataframe("whole")
        suite = rt.context.suites.add(
            gx.ExpectationSuite(
                name=name,
                expectations=list(spec.expectations),
                meta={"version": spec.version, "description": spec.description},
            )
        )
        rt.definitions[key] = rt.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
    return rt.definitions[key]


@dataclass(slots=True)
class SuiteRun:
    """What one suite gave on one document: per-expectation outcomes and the located results."""

    spec: SuiteSpec
    expectations: list[dict[str, Any]]
    results: list[ValidationResult]
    gx_result: Any = None


def run_suite(spec: SuiteSpec, frame: pd.DataFrame, parameters: dict[str, Any]) -> SuiteRun:
    rt = gx_runtime()
    with _LOCK, warnings.catch_warnings():
        # The suites use pandas-query row_condition strings, deprecated since GX 1.9 in favour of
        # Condition objects; they still run on 1.24 (see the note in expectations.py).
        warnings.filterwarnings("ignore", message=r".*(row_condition|condition_parser).*", category=DeprecationWarning)
        vd = _definition(rt, spec)
        res = vd.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            result_format={"result_format": "COMPLETE"},
        )
    return SuiteRun(spec, *_collect(spec, frame, res), gx_result=res)


def _subset(frame: pd.DataFrame, kwargs: dict[str, Any]) -> pd.DataFrame:
    cond = kwargs.get("row_condition")
    return frame.query(cond) if cond else frame


def _fields(row: pd.Series) -> dict[str, Any]:
    return {k: (None if (not isinstance(v, list | dict) and pd.isna(v)) else v) for k, v in row.items()}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _message(template: str, fields: dict[str, Any]) -> str:
    return template.format_map(_Blank({k: "" if v is None else v for k, v in fields.items()}))


def _collect(spec: SuiteSpec, frame: pd.DataFrame, res: Any) -> tuple[list[dict[str, Any]], list[ValidationResult]]:
    by_rule: dict[str, Any] = {}
    for r in res.results:
        by_rule[r.expectation_config.meta["rule"]] = r
    outcomes: list[dict[str, Any]] = []
    results: list[ValidationResult] = []
    for stored in spec.expectations:
        meta, kwargs = stored["meta"], stored.get("kwargs", {})
        r = by_rule.get(meta["rule"])
        rows = _subset(frame, kwargs)
        severity: Severity = meta["severity"]
        error = (r.exception_info or {}).get("exception_message") if r is not None and r.exception_info else None
        bad = set(r.result.get("unexpected_index_list") or []) if r is not None else set()
        outcomes.append(
            {
                "rule": meta["rule"],
                "suite": spec.name,
                "expectation": stored["type"],
                "severity": severity,
                "success": bool(r is not None and r.success),
                "evaluated": len(rows),
                "unexpected": len(bad),
                "exception": error,
            }
        )
        if error:
            results.append(
                ValidationResult(
                    rule=meta["rule"],
                    suite=spec.name,
                    expectation=stored["type"],
                    severity="error",
                    success=False,
                    observed=error,
                    message_zh=f"规则无法执行：{error}",
                    message_en=f"the rule could not run: {error}",
                )
            )
            continue
        for idx, row in rows.iterrows():
            f = _fields(row)
            failed = idx in bad
            results.append(
                ValidationResult(
                    rule=meta["rule"],
                    suite=spec.name,
                    expectation=stored["type"],
                    severity=severity,
                    success=not failed,
                    target=f.get("target"),
                    row=_int(f.get("row")),
                    column=f.get("column"),
                    page=_int(f.get("page")),
                    expected=_shown(f, "expected"),
                    observed=_shown(f, "observed"),
                    message_zh=_message(meta["message_zh"], f) if failed else "",
                    message_en=_message(meta["message_en"], f) if failed else "",
                )
            )
    return outcomes, results


def _shown(f: dict[str, Any], key: str) -> Any:
    """The judged number when the frame has one (43.0), else the printed text ("p.39", "未找到")."""
    v = f.get(key)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return round(float(v), 6)
    return f.get(f"{key}_text") or None


def _int(v: Any) -> int | None:
    return None if v is None else int(v)


def run_all(frames: dict[str, pd.DataFrame], parameters: dict[str, Any], folder: str | None = None) -> list[SuiteRun]:
    """Every suite on the frame it names; a suite whose frame is missing is an error, not a skip."""
    runs = []
    for spec in load_suites(folder):
        if spec.frame not in frames:
            raise KeyError(f"suite {spec.name} ({spec.path}) judges frame {spec.frame!r}, which no builder makes")
        runs.append(run_suite(spec, frames[spec.frame], parameters))
    return runs


def by_rule(results: list[ValidationResult]) -> dict[str, list[ValidationResult]]:
    out: dict[str, list[ValidationResult]] = defaultdict(list)
    for r in results:
        out[r.rule].append(r)
    return out
