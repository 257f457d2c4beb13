"""Options shared by `ingest`, `backfill` and `serve`, and reading `--settings FILE`."""

from __future__ import annotations

from dataclasses import replace
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
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Keep Prefect's own failure logs.")]
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
        help="The PDF character source (overrides load.reader of --settings). Default: pdfplumber.",
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
