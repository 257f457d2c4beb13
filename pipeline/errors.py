"""The project's own exception types: each names the file and, where known, the page."""

from __future__ import annotations

from pathlib import Path


class NianbaoError(Exception):
    """Base class: a problem with one input that must not stop a batch."""

    def __init__(self, path: str | Path, reason: str, page: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.page = page
        where = f"{self.path}" + (f", page {page}" if page else "")
        super().__init__(f"{where}: {reason}")


class InputError(NianbaoError):
    """The file is not a readable PDF (empty, not a PDF, damaged, encrypted)."""


class ExtractionError(NianbaoError):
    """The PDF opened but a stage could not make sense of it."""


class SettingsError(ValueError):
    """A settings value or file is invalid; the message names the setting and the allowed range."""


def encrypted_pdf(path: str | Path, password: str | None) -> InputError:
    """The refusal of an encrypted PDF: what to do about it, never the password itself."""
    if password:
        return InputError(path, "encrypted PDF: wrong --password (the PDF did not open with it)")
    return InputError(path, "encrypted PDF: give --password")


def describe_error(path: str | Path, exc: BaseException) -> str:
    """One line naming the file and the reason; the project's own errors already carry both."""
    if isinstance(exc, NianbaoError):
        text = str(exc)
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        text = f"{path}: unexpected {type(exc).__name__}" + (f": {first}" if first else "")
    return " ".join(text.split())
