"""Prefect flows: they orchestrate the stage functions of `pipeline/` and hold no logic of their own.

Importing this package applies the project's Prefect settings (offline, quiet, project-local
PREFECT_HOME) before any flow module imports prefect.
"""

import pipeline.prefect_env  # noqa: F401
