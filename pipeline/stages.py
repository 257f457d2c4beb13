"""The stage chain, declared once: `STAGES` is what `process_pdf`, the Prefect flows, the batch
worker, the CLI's progress bars and the benchmarks run, name and time.

A stage is a name and a function `Work -> Work`. `Work` is one immutable value holding what a
document's run has so far: the input path, the settings and the output root, then each stage's
result (loaded PDF, layout, document, validation run, written folder) and the seconds each stage
took. A stage returns a new `Work` with its own field set; it never changes what another stage made.

The CLI reads `STAGES` before it knows whether there is any work, so this module stays light:
each stage imports its library module when it first runs (the worker forkserver and the flows
import them ahead, see `pipeline/batch/preload.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from .layout import Layout
    from .load import LoadedPdf
    from .model import Document
    from .review import PageRender
    from .validate import ValidationRun

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Work:
    """One document's run so far; each stage fills its own field and adds its seconds."""

    path: Path
    settings: Settings = DEFAULT_SETTINGS
    output: Path | None = None  # output root: only the emit stage needs it
    loaded: LoadedPdf | None = None
    layout: Layout | None = None
    document: Document | None = None
    validation: ValidationRun | None = None
    review: bool = False  # build the review page (pipeline/review.py) into the folder
    review_files: Mapping[str, bytes] | None = None  # review/…, written by emit beside the other files
    folder: Path | None = None  # the written output/<doc_id>/
    seconds: tuple[tuple[str, float], ...] = ()  # (stage name, seconds) in the order they ran
    password: str | None = field(default=None, repr=False)  # opens an encrypted PDF; load only, written nowhere
    source_name: str | None = None  # the path outputs record (`pipeline.sourcepath`); None: `path` as given
    render: PageRender | None = field(default=None, repr=False, compare=False)  # review's pages, drawn since load

    def timings(self) -> dict[str, float]:
        """{stage: seconds}, as the manifest records them."""
        return dict(self.seconds)

    def timed(self, stage: str, seconds: float) -> Work:
        return replace(self, seconds=(*self.seconds, (stage, round(seconds, 4))))


def need(value: _T | None, what: str) -> _T:
    """A field an earlier stage must have set; a missing one is a chain declared in the wrong order."""
    if value is None:
        raise RuntimeError(f"stage order: no {what} yet")
    return value


def _load(work: Work) -> Work:
    from .load import load_pdf

    render = new_render(work)
    early = render is not None and render.start_process()  # its own process: it draws while this one reads
    try:
        loaded = load_pdf(work.path, reader=work.settings.load.reader, settings=work.settings, password=work.password)
    except BaseException:
        if render is not None:
            render.cancel()
        raise
    if work.source_name is not None and work.source_name != loaded.source.path:
        loaded = replace(loaded, source=loaded.source.model_copy(update={"path": work.source_name}))
    if render is not None and not early:  # in a thread: pdfium is free once the pages are read
        render.start()
    return replace(work, loaded=loaded, render=render)


def new_render(work: Work) -> PageRender | None:
    """The review's page rendering, to start in the background when the run writes a review
    (the stages up to review do not call pdfium; see `pipeline.review.PageRender`)."""
    if not work.review:
        return None
    from .review import PageRender

    return PageRender(work.path, password=work.password)


def cancel_render(work: Work) -> None:
    """Stop the background rendering of a run that ends before its review stage."""
    if work.render is not None:
        work.render.cancel()


def _layout(work: Work) -> Work:
    from .layout import build_layout

    return replace(work, layout=build_layout(need(work.loaded, "loaded PDF"), settings=work.settings))


def _structure(work: Work) -> Work:
    from .structure import build_structure

    layout = need(work.layout, "layout")
    doc = build_structure(layout, settings=work.settings)
    if layout.loaded.findings:  # what loading noticed (pages read by OCR) goes with the document's own findings
        doc = doc.model_copy(update={"findings": [*layout.loaded.findings, *doc.findings]})
    return replace(work, document=doc)


def _tables(work: Work) -> Work:
    from .tables import attach_tables

    doc = attach_tables(need(work.document, "document"), need(work.layout, "layout"), settings=work.settings)
    return replace(work, document=doc, layout=None)  # the last stage to read the layout lets it go


def _normalize(work: Work) -> Work:
    from .normalize.stage import normalize_document

    doc = normalize_document(need(work.document, "document"))
    return replace(work, document=doc, loaded=None)  # no stage from here on reads the pages: let them go


def _validate(work: Work) -> Work:
    from .validate import validate_document

    run = validate_document(need(work.document, "document"))
    return replace(work, document=run.document, validation=run)


def _review(work: Work) -> Work:
    """The review page's files (page images, outlines, grids, failures), when asked for."""
    if not work.review:
        return work
    import json

    from .jsonparts import object_parts
    from .review import review_files
    from .validate.report import validation_fields

    doc = need(work.document, "document")
    run = work.validation
    checks = None
    if run is not None:  # validation.json as the review reads it, without its every result (~70 MB at 1,000 pages)
        fields = validation_fields(doc, run.summary, list(run.outcomes), run.gx_version)
        checks = json.loads("".join(object_parts((k, v) for k, v in fields if k != "results")))
    rendered = work.render.result() if work.render is not None else None
    files = review_files(doc, work.path, checks, password=work.password, rendered=rendered)
    return replace(work, review_files=files, render=None)


def _emit(work: Work) -> Work:
    """Write the folder; the lock serialises writers of one output root (`ids.place` looks at what exists)."""
    from .batch.outroot import emit_lock
    from .emit import write_outputs

    output = need(work.output, "output root")
    with emit_lock(output):
        folder = write_outputs(
            need(work.document, "document"),
            output,
            work.timings(),
            validation=work.validation,
            settings=work.settings,
            extra_files=work.review_files,
        )
    return replace(work, folder=folder)


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the chain. `io`: it reads or writes files, so a flow may retry it on OSError."""

    name: str
    run: Callable[[Work], Work]
    io: bool = False


STAGES: tuple[Stage, ...] = (
    Stage("load", _load, io=True),
    Stage("layout", _layout),
    Stage("structure", _structure),
    Stage("tables", _tables),
    Stage("normalize", _normalize),
    Stage("validate", _validate),
    Stage("review", _review, io=True),
    Stage("emit", _emit, io=True),
)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)

StageHook = Callable[[Stage, Work], None]


def through(name: str) -> tuple[Stage, ...]:
    """The stages from the first up to and including `name`."""
    return STAGES[: STAGE_NAMES.index(name) + 1]


def remaining(work: Work, stages: Iterable[Stage] = STAGES) -> tuple[Stage, ...]:
    """`stages` without those `work` has already run (timed): a run picks up where an earlier one stopped."""
    done = set(work.timings())
    return tuple(s for s in stages if s.name not in done)


def run_stage(stage: Stage, work: Work) -> Work:
    """Run one stage and record its seconds."""
    t0 = time.perf_counter()
    out = stage.run(work)
    return out.timed(stage.name, time.perf_counter() - t0)


def run_stages(
    work: Work,
    stages: Iterable[Stage] = STAGES,
    before: StageHook | None = None,
    run: Callable[[Stage, Work], Work] = run_stage,
) -> Work:
    """Run `stages` in order; `before(stage, work)` is told of each one as it starts (progress, failures).

    `run` runs one stage (a flow passes one that submits it as a task). A run that fails cancels the
    review's background rendering before the error goes on.
    """
    try:
        for stage in stages:
            if before is not None:
                before(stage, work)
            work = run(stage, work)
    except BaseException:
        cancel_render(work)
        raise
    return work
