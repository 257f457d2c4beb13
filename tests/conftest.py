"""Shared test set-up.

Prefect reads its settings when first imported, so the project's Prefect environment is applied
here, before any test module can import prefect, with PREFECT_HOME in a throw-away folder: tests
never touch the developer's `.prefect/` or home. The Prefect server costs ~18 s to start, so one
harness serves the whole session, and only tests that ask for `prefect_harness` start it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

_PREFECT_HOME = tempfile.mkdtemp(prefix="nianbao-test-prefect-")
atexit.register(shutil.rmtree, _PREFECT_HOME, True)
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["NIANBAO_PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)  # never run tests against a developer's real server

import pytest  # noqa: E402

import pipeline.prefect_env  # noqa: E402, F401  (before anything imports prefect)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect server and database for the session (started on first use)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
