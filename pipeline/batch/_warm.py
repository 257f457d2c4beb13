"""Imported once by the worker forkserver (preload): heavy imports paid once, not per document.

Every document's process is forked from the forkserver, so whatever is imported here is already
in memory, shared copy-on-write: the stage modules, and Great Expectations (5-8 s to import,
and what its first context loads) when the validate stage exists. A failed warm-up only costs
speed: the document's own process then imports what it needs.
"""

from __future__ import annotations

import pipeline.emit
import pipeline.process  # noqa: F401
from pipeline.batch.worker import validator

try:
    if validator() is not None:
        from pipeline.validate import new_runtime

        new_runtime()
except Exception:
    pass
