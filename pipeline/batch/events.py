"""Where a batch tells its progress: ("plan", "", items), ("start", path, None), ("stage", path, stage
name), ("done", path, DocResult). The CLI's progress bars listen; nothing else depends on it.

`BatchEvents` is passed to the flow as a parameter, and Prefect sends a flow's parameters along
with its tasks to Dask workers (pickled). Progress is a side channel of the process that made the
value, so a copy unpickled in another process is silent instead of failing to pickle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[str, str, Any], None]


class BatchEvents:
    """A listener for one run, callable from any thread of this process; silent elsewhere or without one."""

    __slots__ = ("listener",)

    def __init__(self, listener: Listener | None = None) -> None:
        self.listener = listener

    def __call__(self, event: str, path: str, detail: Any = None) -> None:
        if self.listener is not None:
            self.listener(event, path, detail)

    def __reduce__(self) -> tuple[type[BatchEvents], tuple[()]]:
        return (BatchEvents, ())
