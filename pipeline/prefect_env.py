"""Prefect settings for an offline, quiet, project-local run: import this before `prefect`.

Prefect reads its settings from the environment when it is first imported, so these must be in
`os.environ` before that import. Each value is a `setdefault`: a user's own environment wins.

Why each one (see shared/notes/dependency-facts.md, Prefect 3.9.1):
- PREFECT_HOME in the project (`.prefect/`, git-ignored), never the user's home: the ephemeral
  server's SQLite DB survives between runs, so only the very first run pays for creating it
  (about 26 s cold against 12-15 s warm).
- The ephemeral server needs more than the default 20 s to start on a fresh DB; 120 s stops
  the first run from failing with "Timed out while attempting to connect".
- DO_NOT_TRACK and the server analytics switch stop the only outbound calls Prefect makes
  (sens-o-matic.prefect.io from the server, client telemetry); the UI is not served.
- Results are not persisted and tasks are not cached: a document's output is the files the
  emit stage writes, not pickles under PREFECT_HOME.
- PREFECT_API_URL names the project's long-lived server when `nianbao server start` recorded one
  that still answers (`pipeline.prefect_server`): no command then waits for a temporary server.
"""

from __future__ import annotations

import os
from pathlib import Path

from .prefect_server import running_server

_PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, str] = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    # No API URL given → a temporary server on 127.0.0.1, whatever the profile says.
    "PREFECT_SERVER_EPHEMERAL_ENABLED": "true",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_TASKS_DEFAULT_PERSIST_RESULT": "false",
    "PREFECT_TASKS_DEFAULT_NO_CACHE": "true",
}


def prefect_home() -> Path:
    """`NIANBAO_PREFECT_HOME` if set, else `.prefect/` in the project (the current folder if installed elsewhere)."""
    override = os.environ.get("NIANBAO_PREFECT_HOME")
    if override:
        return Path(override).expanduser().resolve()
    root = _PROJECT_ROOT if (_PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()
    return root / ".prefect"


def home_in_effect() -> Path:
    """The Prefect home this process uses: PREFECT_HOME when set, else `prefect_home()`."""
    return Path(os.environ.get("PREFECT_HOME") or prefect_home()).expanduser()


def configure() -> dict[str, str]:
    """Put the defaults into `os.environ` (existing values win) and return what is now in effect."""
    os.environ.setdefault("PREFECT_HOME", str(prefect_home()))
    home_in_effect().mkdir(parents=True, exist_ok=True)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if "PREFECT_API_URL" not in os.environ:
        server = running_server(home_in_effect())
        if server is not None:
            os.environ["PREFECT_API_URL"] = server.url
    return {key: os.environ[key] for key in ("PREFECT_HOME", *DEFAULTS)}


configure()
