"""Load the GX suites from expectations/*.json and run them on the frames of one document.

One suite per rule family (structure, values, arithmetic, consistency), each judged against the
frame of the same name. Each expectation's meta carries the project's rule id, its severity and
a Chinese and an English message template; result_format COMPLETE gives the index of every
unexpected row, and the row carries its target/row/column/page, so a failure is located.

The suites ship inside the package (`pipeline/expectations`, the top-level `expectations/`
folder as package data) and are found through importlib.resources, so an installed copy finds
them as the source tree does. great_expectations is imported lazily (4-8 s, once per process by
Python's import system); `new_runtime()` makes an ephemeral context holding the suites (0.1 s),
which a caller reuses for many documents by passing it to the stage.
"""

from __future__ import annotations

import json
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import Severity, ValidationResult
from .gxconfigs import shared_configurations
from .resultlog import ResultLog
from .rowfilter import shared_subsets, subset
from .ruleids import check_rule_ids

EXPECTATIONS_ENV = "NIANBAO_EXPECTATIONS"
SUITES_PACKAGE = "pipeline"
SUITES_FOLDER = "expectations"  # pipeline/expectations → the project's expectations/ (see pyproject.toml)


@contextmanager
def quiet_row_conditions() -> Iterator[None]:
    """The suites use pandas-query row_condition strings, deprecated since GX 1.9 in favour of
    Condition objects; they still run on 1.24 (see the note in expectations.py)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*(row_condition|condition_parser).*", category=DeprecationWarning)
        yield


def suites_folder(folder: str | Path | None = None) -> Traversable:
    """The folder of suite files: `folder`, else NIANBAO_EXPECTATIONS, else the package's own suites."""
    chosen = folder or os.environ.get(EXPECTATIONS_ENV)
    return Path(chosen) if chosen else resources.files(SUITES_PACKAGE).joinpath(SUITES_FOLDER)


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
    def read(cls, path: Traversable) -> SuiteSpec:
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
            meta.get("frame", path.name.removesuffix(".json")),
            meta.get("description", ""),
            tuple(raw["expectations"]),
            str(path),
        )


def load_suites(folder: str | Path | None = None) -> tuple[SuiteSpec, ...]:
    """Every suite file of the folder (see `suites_folder`), in name order, checked against `RuleId`."""
    d = suites_folder(folder)
    files = sorted((p for p in d.iterdir() if p.is_file() and p.name.endswith(".json")), key=lambda p: p.name)
    specs = tuple(SuiteSpec.read(p) for p in files)
    if not specs:
        raise FileNotFoundError(f"no expectation suites (*.json) in {d}")
    check_rule_ids(specs)
    return specs


@dataclass(frozen=True, slots=True)
class GxRuntime:
    """A GX ephemeral context holding one pandas asset and validation definition per suite.

    Runs on one context share its stores (the Data Docs are built from the results store), so
    they are serialised by the runtime's own lock; separate runtimes run independently.
    """

    gx: Any
    context: Any
    suites: tuple[SuiteSpec, ...]
    definitions: Mapping[str, Any]  # suite name → its ValidationDefinition
    lock: threading.RLock = field(default_factory=threading.RLock)
    import_seconds: float = 0.0
    jinja_code: dict[tuple[str, str], Any] = field(default_factory=dict)  # the Data Docs' compiled templates

    def run_suite(self, spec: SuiteSpec, frame: pd.DataFrame, parameters: dict[str, Any]) -> SuiteRun:
        (run,) = self._run((spec,), {spec.frame: frame}, parameters)
        return run

    def _run_gx(self, spec: SuiteSpec, frame: pd.DataFrame, parameters: dict[str, Any]) -> Any:
        with self.lock, quiet_row_conditions():
            return self.definitions[spec.name].run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format={"result_format": "COMPLETE"},
            )

    def run_all(
        self, frames: dict[str, pd.DataFrame], parameters: dict[str, Any], then: Callable[[], None] | None = None
    ) -> list[SuiteRun]:
        """Every suite on the frame it names; a suite whose frame is missing is an error, not a skip.

        `then()` is called once GX has run them all (the results store holds the whole run), before
        their results are collected: the stage starts the Data Docs child there.
        """
        for spec in self.suites:
            if spec.frame not in frames:
                raise KeyError(f"suite {spec.name} ({spec.path}) judges frame {spec.frame!r}, which no builder makes")
        return self._run(self.suites, frames, parameters, then)

    def _run(
        self,
        specs: tuple[SuiteSpec, ...],
        frames: Mapping[str, pd.DataFrame],
        parameters: dict[str, Any],
        then: Callable[[], None] | None = None,
    ) -> list[SuiteRun]:
        with shared_subsets(), shared_configurations():  # a condition's rows queried, a configuration made, once
            results = [self._run_gx(spec, frames[spec.frame], parameters) for spec in specs]
            if then is not None:
                then()
            return [
                SuiteRun(spec, *_collect(spec, frames[spec.frame], res), gx_result=res)
                for spec, res in zip(specs, results, strict=True)
            ]

    def clear_results(self) -> None:
        """Empty the results store, so the Data Docs built next show the next document's run only."""
        with self.lock:
            store = self.context.validation_results_store
            for key in store.list_keys():
                store.remove_key(key)


def new_runtime(folder: str | Path | None = None) -> GxRuntime:
    """A fresh ephemeral GX context holding the suites of `folder` (see `suites_folder`).

    The first call in a process imports great_expectations (4-8 s); later ones cost about 0.1 s.
    """
    specs = load_suites(folder)
    t0 = time.perf_counter()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from . import (
        expectations,  # noqa: F401  (registers the custom expectation types)
        gxconfigs,
        rowfilter,
    )

    rowfilter.install(PandasExecutionEngine)
    gxconfigs.install(Expectation, ExpectationConfiguration)

    seconds = time.perf_counter() - t0
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ds = ctx.data_sources.add_pandas("nianbao")
    definitions: dict[str, Any] = {}
    with quiet_row_conditions():
        for spec in specs:
            if spec.name in definitions:
                raise ValueError(f"two suite files are named {spec.name!r} in {suites_folder(folder)}")
            asset = ds.add_dataframe_asset(spec.name.replace("nianbao.", ""))
            batch = asset.add_batch_definition_whole_dataframe("whole")
            suite = ctx.suites.add(
                gx.ExpectationSuite(
                    name=spec.name,
                    expectations=list(spec.expectations),
                    meta={"version": spec.version, "description": spec.description},
                )
            )
            definitions[spec.name] = ctx.validation_definitions.add(
                gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
            )
    return GxRuntime(gx, ctx, specs, definitions, import_seconds=round(seconds, 3))


class _Offer:
    """A runtime for one taker."""

    def __init__(self, runtime: GxRuntime) -> None:
        self._runtime: GxRuntime | None = runtime
        self._lock = threading.Lock()

    def take(self) -> GxRuntime | None:
        with self._lock:
            runtime, self._runtime = self._runtime, None
        return runtime


_OFFERED: ContextVar[_Offer | None] = ContextVar("nianbao_offered_runtime", default=None)


def offer_runtime(runtime: GxRuntime) -> None:
    """Offer `runtime` to the next run in this context that has none of its own (`take_runtime`), once.

    The warm worker offers one it has warmed (a run and its Data Docs) before it forks its jobs: each
    job, a fork, takes its own copy, with the context made (~0.06 s) and the Data Docs templates
    compiled (~0.05 s). The offer is context-scoped, so nothing outside the offering context sees it.
    """
    _OFFERED.set(_Offer(runtime))


def take_runtime(folder: str | Path | None = None) -> GxRuntime:
    """A runtime of this run's own: the offered one (`offer_runtime`), once, if it holds the suites
    `folder` holds now (a suite file edited since makes a new one), else `new_runtime(folder)`."""
    offer = _OFFERED.get()
    runtime = offer.take() if offer is not None else None
    if runtime is not None and runtime.suites == load_suites(folder):
        return runtime
    return new_runtime(folder)


@dataclass(slots=True)
class SuiteRun:
    """What one suite gave on one document: per-expectation outcomes and the located results."""

    spec: SuiteSpec
    expectations: list[dict[str, Any]]
    results: ResultLog  # written out as made (~1.1 KB a result as a model, ~24,000 at 1,000 pages)
    gx_result: Any = None


def _subset(frame: pd.DataFrame, kwargs: dict[str, Any]) -> pd.DataFrame:
    cond = kwargs.get("row_condition")
    return subset(frame, cond) if cond else frame


def _rows(rows: pd.DataFrame) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(index, {column: value}) per row, the values as `DataFrame.iterrows` gives them (its `values`,
    then each row's items: Python scalars from a numeric array, the objects themselves from an
    object one), without a Series per row; a missing value (NaN, None, NA) is None."""
    columns = list(rows.columns)
    for idx, values in zip(rows.index, rows.values.tolist(), strict=True):
        yield (
            idx,
            {
                k: (None if (not isinstance(v, str | list | dict) and pd.isna(v)) else v)
                for k, v in zip(columns, values, strict=True)
            },
        )


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _message(template: str, fields: dict[str, Any]) -> str:
    return template.format_map(_Blank({k: "" if v is None else v for k, v in fields.items()}))


def _collect(spec: SuiteSpec, frame: pd.DataFrame, res: Any) -> tuple[list[dict[str, Any]], ResultLog]:
    by_rule: dict[str, Any] = {}
    for r in res.results:
        by_rule[r.expectation_config.meta["rule"]] = r
    outcomes: list[dict[str, Any]] = []
    results = ResultLog()
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
        for idx, f in _rows(rows):
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
