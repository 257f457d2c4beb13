"""Options shared by `ingest`, `backfill` and `serve`, each declared once, and their checks.

`run_options(...)` adds the shared options a command names to its signature (typer reads the
signature) and hands the command one `RunOptions` value, made once from them: `--settings FILE`
read, `--reader` and `--ocr` applied (a bad value is one line, exit code 2). Checks that must
wait until the command knows there is work (the output folder, the database) are its methods.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import SettingsError
from ..readers import READERS
from ..settings import DEFAULT_SETTINGS, OCR_MODES, Settings
from .ui import say

OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Output root; one folder per document.")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Documents processed at once.")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=1, help="Seconds per document before it fails.")]
DbOpt = Annotated[
    str | None, typer.Option("--db", help="A .duckdb file or SQLAlchemy URL. Default: OUTPUT/nianbao.duckdb.")
]
NoDbOpt = Annotated[bool, typer.Option("--no-db", help="Write the folders only; load no database.")]
AllowInvalidOpt = Annotated[bool, typer.Option("--allow-invalid", help="Load documents with validation errors.")]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Keep Prefect's own failure logs and the libraries' INFO lines.")
]
SettleOpt = Annotated[
    float, typer.Option("--settle", min=0, help="A file written this recently that fails to load is retried.")
]
JsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", help="Print one JSON object (documents, totals) on stdout instead of tables; no progress bars."
    ),
]
ReviewOpt = Annotated[
    bool,
    typer.Option("--review/--no-review", help="Write the review page (OUTPUT/<doc_id>/review/index.html)."),
]
SettingsOpt = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        metavar="FILE",
        help="Thresholds to override, as TOML (.toml) or JSON: {group: {setting: value}}. Default: built-in.",
    ),
]


PasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--password",
        envvar="NIANBAO_PDF_PASSWORD",
        help="Password of encrypted PDFs (or NIANBAO_PDF_PASSWORD). Used to read only: written nowhere.",
    ),
]


def secret(password: str | None) -> Any:
    """The password as a pydantic SecretStr for a flow parameter (Prefect records only asterisks)."""
    from pydantic import SecretStr

    return SecretStr(password) if password else None


ReaderOpt = Annotated[
    str | None,
    typer.Option(
        "--reader",
        metavar="pdfplumber|pdfium",
        help="The PDF character source (overrides load.reader of --settings). Default: pdfium.",
    ),
]


OcrOpt = Annotated[
    str | None,
    typer.Option(
        "--ocr",
        metavar="auto|never|always",
        help="OCR of scanned pages (overrides load.ocr of --settings): auto reads pages without a text layer,"
        " always reads every page by OCR, never none. Default: auto.",
    ),
]


def output_root_or_exit(output: Path, err: Console) -> None:
    """A read-only output folder or a planted lock symlink is one line and exit code 1, before any work."""
    from ..batch.outroot import OutputFolderError, check_output_root

    try:
        check_output_root(output)
    except OutputFolderError as exc:
        say(err, f"error: {exc}")
        raise typer.Exit(1) from exc


def settings_or_exit(path: Path | None, err: Console, reader: str | None = None, ocr: str | None = None) -> Settings:
    """The settings of `--settings FILE` (the defaults without it) with `--reader` and `--ocr` applied; a bad
    file or value is one line, exit 2."""
    try:
        settings = DEFAULT_SETTINGS if path is None else Settings.from_file(path)
    except SettingsError as exc:
        text = " ".join(str(exc).split())
        where = "" if str(path) in text else f"{path}: "
        say(err, f"error: --settings {where}{text}")
        raise typer.Exit(2) from exc
    choices = {"reader": (reader, READERS), "ocr": (ocr, OCR_MODES)}
    for name, (value, allowed) in choices.items():
        if value is None:
            continue
        try:
            overrides: dict[str, Any] = {name: value}
            settings = replace(settings, load=replace(settings.load, **overrides))
        except SettingsError as exc:
            say(err, f"error: --{name} {value!r}: choose one of {', '.join(allowed)}")
            raise typer.Exit(2) from exc
    return settings


# name → (annotated type, default): every shared option, declared once
SHARED_OPTIONS: Mapping[str, tuple[Any, Any]] = {
    "output": (OutputOpt, Path("output")),
    "workers": (WorkersOpt, 2),
    "settle": (SettleOpt, 5.0),
    "timeout": (TimeoutOpt, 900.0),
    "db": (DbOpt, None),
    "no_db": (NoDbOpt, False),
    "allow_invalid": (AllowInvalidOpt, False),
    "verbose": (VerboseOpt, False),
    "settings_file": (SettingsOpt, None),
    "reader": (ReaderOpt, None),
    "ocr": (OcrOpt, None),
    "review": (ReviewOpt, True),
    "password": (PasswordOpt, None),
    "as_json": (JsonOpt, False),
}
# what every command that runs documents (ingest, backfill, serve) takes
RUN_OPTIONS: tuple[str, ...] = ("output", "timeout", "db", "no_db", "allow_invalid", "settings_file", "reader", "ocr")
# and what the commands run from this console (ingest, backfill) add to it
CONSOLE_OPTIONS: tuple[str, ...] = ("review", "password", "verbose", "as_json")


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The shared options of one command, made once: the settings already read and checked."""

    output: Path
    settings: Settings
    settings_file: Path | None
    database: str | None
    load_db: bool
    allow_invalid: bool
    timeout: float
    workers: int = 2
    settle: float = 5.0
    review: bool = True
    password: str | None = field(default=None, repr=False)  # for encrypted PDFs; printed nowhere
    verbose: bool = False
    as_json: bool = False

    def flow_options(self, roots: list[Path]) -> dict[str, Any]:
        """The fields of the flows' `RunParams` (`roots`: the input paths given; the password as a SecretStr)."""
        return {
            "load_db": self.load_db,
            "database": self.database,
            "allow_invalid": self.allow_invalid,
            "settings": self.settings,
            "review": self.review,
            "password": secret(self.password),
            "roots": tuple(str(p) for p in roots),
        }

    def ready_or_exit(self, err: Console) -> None:
        """Before the first PDF: the output folder writable (exit 1), the database usable (exit 2)."""
        output_root_or_exit(self.output, err)
        if self.load_db:
            database_or_exit(self.database, self.output, err)


def database_or_exit(database: str | None, output: Path, err: Console) -> None:
    """A `--db` whose driver is missing, that does not open or cannot take the tables is one line, exit 2.

    A DuckDB file held by another writer is no reason to stop: the documents are written and
    reported "not loaded", and the next run loads them.
    """
    from ..batch.database import check_database
    from ..warehouse import WarehouseBusy, WarehouseError

    try:
        check_database(database, output)
    except WarehouseBusy as exc:
        say(err, f"note: {exc}; the documents are written and loaded by a later run")
    except WarehouseError as exc:
        say(err, f"error: --db {exc}")
        raise typer.Exit(2) from exc


def run_options(*names: str, **defaults: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the shared options `names` in place of its parameter `opts: RunOptions`.

    typer reads the returned command's signature: the command's own parameters with the shared
    ones (in the order named; `defaults` overrides a default) where `opts` stood. The command
    is called with its own arguments and one `RunOptions`.
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(command, eval_str=True).parameters.values())
        at = [p.name for p in own].index("opts")
        shared = [
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=SHARED_OPTIONS[name][0],
                default=defaults.get(name, SHARED_OPTIONS[name][1]),
            )
            for name in names
        ]
        params = [*own[:at], *shared, *own[at + 1 :]]

        def wrapper(**kwargs: Any) -> None:
            given = {name: kwargs.pop(name) for name in names}
            kwargs["opts"] = options_from(given)
            command(**kwargs)

        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(wrapper, attr, getattr(command, attr))
        return wrapper

    return decorate


def options_from(given: Mapping[str, Any]) -> RunOptions:
    """The RunOptions of the values typer parsed (the shared options a command has; defaults for the rest)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    value = {name: given.get(name, default) for name, (_, default) in SHARED_OPTIONS.items()}
    return RunOptions(
        output=value["output"],
        settings=settings_or_exit(value["settings_file"], err, value["reader"], value["ocr"]),
        settings_file=value["settings_file"],
        database=value["db"],
        load_db=not value["no_db"],
        allow_invalid=value["allow_invalid"],
        timeout=value["timeout"],
        workers=value["workers"],
        settle=value["settle"],
        review=value["review"],
        password=value["password"],
        verbose=value["verbose"],
        as_json=value["as_json"],
    )
