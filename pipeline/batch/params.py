"""What a run does with each document besides reading it, as one value: the flows' shared parameter.

`ingest-report` (one document, `nianbao ingest`) and `ingest-batch` (many, `nianbao backfill`,
the scheduled runs) both take a `RunParams` rather than the same seven parameters each. Prefect
records flow parameters: the password is a SecretStr, shown there only as asterisks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import SecretStr

from ..settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True, slots=True)
class RunParams:
    """Load into which database (and whether invalid documents too), with which settings, review page,
    password and input roots (outputs record paths relative to them, `pipeline.sourcepath`)."""

    load_db: bool = True
    database: str | None = None
    allow_invalid: bool = False
    settings: Settings = DEFAULT_SETTINGS
    review: bool = True
    password: SecretStr | None = field(default=None, repr=False)
    roots: tuple[str, ...] = ()

    def revealed_password(self) -> str | None:
        """The password itself, for the load stage only (None or empty: no password)."""
        return self.password.get_secret_value() or None if self.password is not None else None
