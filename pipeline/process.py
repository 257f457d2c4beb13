"""The stage chain for one PDF, without Prefect: what the flow runs as tasks, and what tests call.

Each stage is a plain function; `STAGES` names them in order so the flow, the benchmark and
the CLI all time and run the same chain.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from .layout import build_layout
from .load import load_pdf
from .model import Document
from .normalize.stage import normalize_document
from .structure import build_structure
from .tables import attach_tables

_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(slots=True)
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, fn: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.stages[name] = round(self.stages.get(name, 0.0) + time.perf_counter() - t0, 4)


def process_pdf(path: str | Path, timings: Timings | None = None) -> Document:
    """Run load → layout → structure → tables → normalize on one PDF and return the document model."""
    t = timings if timings is not None else Timings()
    loaded = t.run("load", load_pdf, path)
    layout = t.run("layout", build_layout, loaded)
    doc = t.run("structure", build_structure, layout)
    doc = t.run("tables", attach_tables, doc, layout)
    doc = t.run("normalize", normalize_document, doc)
    return doc
