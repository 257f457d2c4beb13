"""Great Expectations' first-run costs, paid once in a process that forks the jobs (the warm worker).

Importing GX and making a context is not all of it: the first `ValidationDefinition.run` and the first
Data Docs build in a process import and set up more (metric providers resolved, renderers and
their templates loaded, pydantic models built), ~0.4 s of a warm 70-page ingest's 1.6 s of
validation (measured in a process forked from the worker's imported state). A job forked after
`warm_up()` finds it done. The run judges a report of nothing on a context of its own, whose
results are then cleared, and that context is offered to the next run (`offer_runtime`): each job,
a fork, takes its own copy of it, made and with its Data Docs templates compiled. Only the
document's own run reaches its results: every run clears the store first.
"""

from __future__ import annotations

from ..model import Document, Metadata, Source
from .stage import validate_document
from .suites import new_runtime, offer_runtime

_NOTHING = Document(
    doc_id="warm-up",
    pipeline_version="0",
    source=Source(path="warm-up.pdf", sha256="0" * 64, pages=1, size_bytes=0),
    metadata=Metadata(report_year=2000),  # a year: the year suites run as on a report, not skipped
)


def warm_up() -> None:
    """One validation run with its Data Docs on a context then offered to the next run, leaving no
    thread behind (the worker forks only when it has one).

    GX's metric resolution makes a tqdm progress bar (disabled) for each suite, and tqdm starts its
    monitor thread at the first one whatever `disable` says; with `monitor_interval` 0 it starts none.
    """
    import tqdm  # type: ignore[import-untyped]

    interval = tqdm.tqdm.monitor_interval
    tqdm.tqdm.monitor_interval = 0
    runtime = new_runtime()
    try:
        validate_document(_NOTHING, runtime=runtime)  # with its Data Docs: a job (or its docs child) inherits them warm
    finally:
        tqdm.tqdm.monitor_interval = interval
    runtime.clear_results()
    offer_runtime(runtime)
