"""Heavy imports paid once, not per document: imported by the worker forkserver (preload) and by
`nianbao ingest` while Prefect's server starts.

Every document's process is forked from the forkserver, so whatever is imported here is already
in memory, shared copy-on-write: the library modules the stages of `pipeline.stages` call, and
Great Expectations with its context (5-8 s to import). A failed warm-up only costs speed: the
document's own process then imports what it needs.
"""

from __future__ import annotations

import pipeline.emit
import pipeline.layout
import pipeline.load
import pipeline.normalize.stage
import pipeline.structure
import pipeline.tables
import pipeline.validate

try:
    pipeline.validate.new_runtime()
except Exception:
    pass
