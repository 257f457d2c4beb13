"""Emit stage: write one document's files into `<out_root>/<doc_id>/`, atomically.

Everything is written into a temporary folder inside out_root (same file system), each file is
fsynced, the manifest goes last, and only then is the folder renamed into place; an existing
folder is first renamed aside and deleted after the swap. A crash at any point leaves either
the previous complete output or the new complete output under the doc_id, never a mix; the
dot-prefixed leftovers of a crash are removed by the next write of the same doc_id.

The files beyond document.json and sections.csv come from the stages' renderers, called here
from the values emit is given: the tables' and the normalize stage's files from the document,
validation.json and data_docs/ from the `ValidationRun` when one is passed. Emit never runs a
stage. Every file is listed in the manifest with its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from . import __version__
from .csvout import csv_parts, csv_text
from .ids import MANIFEST, doc_id_of, place
from .jsonparts import object_parts
from .model import SCHEMA_VERSION, Document
from .normalize.export import normalized_parts
from .settings import DEFAULT_SETTINGS, Settings
from .spill import SpilledFiles
from .tables.export import table_files
from .validate import ValidationRun, validation_json_parts
from .validate.report import VALIDATION_JSON
from .warehouse.schema import SECTIONS

FileContent = str | bytes
FileEntry = dict[str, str | int]  # the manifest's {"sha256": ..., "size": ...} of one file

SECTION_COLUMNS = ("id", "parent", "kind", "level", "number", "title", "page", "page_end", "text")
_SAFE_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def document_json(doc: Document) -> str:
    """`json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=1)` and a line end."""
    return "".join(_document_json_parts(doc))


def _document_json_parts(doc: Document) -> Iterator[str]:
    """`document_json`'s text in pieces, one list element at a time (`jsonparts.object_parts`)."""
    return object_parts(_document_fields(doc))


def _document_fields(doc: Document) -> Iterator[tuple[str, object]]:
    """The fields the model dumps: a list of models as the models (dumped one at a time), the rest as JSON values."""
    for name, info in Document.model_fields.items():
        if info.exclude:
            continue
        value = getattr(doc, name)
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            yield name, value
        else:
            yield name, doc.model_dump(mode="json", include={name})[name]


def sections_csv(doc: Document) -> str:
    """The sections' main fields, headed with the warehouse's column names (id → section_id)."""
    return csv_text(*_sections_rows(doc))


def _sections_rows(doc: Document) -> tuple[list[str], Iterator[list[object]]]:
    header = SECTIONS.names_for(SECTION_COLUMNS)
    return header, ([getattr(s, c) for c in SECTION_COLUMNS] for s in doc.sections)


def _encode(rel: str, content: FileContent) -> bytes:
    if isinstance(content, bytes):
        return content
    encoding = "utf-8-sig" if rel.lower().endswith(".csv") else "utf-8"
    return content.encode(encoding)


def check_relpath(rel: str) -> str:
    """A relative output path must stay inside the document folder: safe parts, no '..', not absolute."""
    parts = PurePosixPath(rel).parts
    if not parts or "\\" in rel or any(not _SAFE_PART.fullmatch(p) for p in parts) or rel == MANIFEST:
        raise ValueError(f"unsafe or reserved output file name {rel!r}")
    return "/".join(parts)


def render_files(doc: Document, validation: ValidationRun | None = None) -> dict[str, bytes]:
    """Every file of the document except the manifest, as bytes keyed by relative path (`iter_files`)."""
    return {rel: b"".join(chunks) for rel, chunks in iter_files(doc, validation)}


def iter_files(doc: Document, validation: ValidationRun | None = None) -> Iterator[tuple[str, Iterable[bytes]]]:
    """(relative path, its bytes in pieces) of every file except the manifest, one at a time: emit
    writes each before the next is made, and document.json and validation.json as their pieces come,
    so a long report's files are never held whole.

    validation.json and data_docs/ only when a validation run is given: emit does not validate.
    """
    yield "document.json", (part.encode("utf-8") for part in _document_json_parts(doc))
    yield from _in_parts([("sections.csv", csv_parts(*_sections_rows(doc)))])
    yield from _one_at_a_time(table_files(doc))
    yield from _in_parts(normalized_parts(doc))
    if validation is not None:
        yield VALIDATION_JSON, (part.encode("utf-8") for part in validation_json_parts(doc, validation))
        yield from _one_at_a_time(validation.docs)


def _one_at_a_time(rendered: Mapping[str, FileContent]) -> Iterator[tuple[str, Iterable[bytes]]]:
    """A renderer's files, each encoded when its turn comes."""
    for rel, content in rendered.items():
        yield check_relpath(rel), (_encode(rel, content),)


def _in_parts(rendered: Iterable[tuple[str, Iterable[str]]]) -> Iterator[tuple[str, Iterable[bytes]]]:
    """A renderer's text files, each encoded a piece at a time as it is written (the same bytes as
    the whole text encoded: a CSV's BOM goes before its first piece)."""
    for rel, parts in rendered:
        yield check_relpath(rel), _encoded_parts(rel, parts)


def _encoded_parts(rel: str, parts: Iterable[str]) -> Iterator[bytes]:
    for n, part in enumerate(parts):
        yield _encode(rel, part) if n == 0 else part.encode("utf-8")


def _extra_data(files: Mapping[str, bytes], key: str) -> bytes | Iterable[bytes]:
    """A file kept on disk (`spill.SpilledFiles`) read in chunks as it is written, else its bytes."""
    return files.chunks(key) if isinstance(files, SpilledFiles) else files[key]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes | Iterable[bytes]) -> FileEntry:
    """Write `data` (bytes, or bytes in pieces written as they come) and fsync; the manifest's entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as fh:
        for chunk in (data,) if isinstance(data, bytes) else data:
            fh.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    return {"sha256": digest.hexdigest(), "size": size}


def _remove_leftovers(out_root: Path, doc_id: str) -> None:
    """Delete temp and set-aside folders an earlier crashed write of this doc_id left behind."""
    for pattern in (f".tmp-{doc_id}-*", f".old-{doc_id}-*"):
        for leftover in out_root.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def _stage_seconds(timings: Mapping[str, float] | None) -> dict[str, float]:
    return {str(k): round(float(v), 4) for k, v in dict(timings or {}).items()}


def build_manifest(
    doc: Document,
    files: Mapping[str, FileEntry],
    timings: Mapping[str, float],
    created: datetime,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[str, object]:
    return {
        "doc_id": doc.doc_id,
        "input": {
            "path": doc.source.path,
            "sha256": doc.source.sha256,
            "size_bytes": doc.source.size_bytes,
            "pages": doc.source.pages,
        },
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "settings_digest": settings.digest(),  # part of the backfill's skip key (pipeline/batch/plan.py)
        "settings": settings.as_dict(),  # the values: Settings.from_mapping(...) makes the same object again
        "created": created.isoformat(timespec="seconds"),
        "timings": dict(timings),
        "files": dict(files),
    }


def write_outputs(
    doc: Document,
    out_root: str | Path,
    timings: Mapping[str, float] | None = None,
    *,
    validation: ValidationRun | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    extra_files: Mapping[str, bytes] | None = None,
) -> Path:
    """Write the document's files (`render_files`, plus `extra_files` such as the review page) and
    `manifest.json`; return the document folder.

    `timings` is a {stage: seconds} mapping; the emit stage's own time is added under "emit"
    unless the caller already timed it. `settings` are the ones the document was made with (the
    manifest records their digest). The doc_id may change (sanitised, or
    hash-suffixed on a collision with another input); the written document.json carries the final one.
    """
    t0 = time.perf_counter()
    root = Path(out_root)
    root.mkdir(parents=True, exist_ok=True)
    placement = place(root, doc_id_of(doc), doc.source.sha256, doc.source.path)
    update: dict[str, object] = {"doc_id": placement.doc_id}
    if placement.finding is not None:
        update["findings"] = [*doc.findings, placement.finding]
    doc = doc.model_copy(update=update)

    files = iter_files(doc, validation)  # rendered as they are written
    extras = {check_relpath(rel): rel for rel in extra_files or {}}  # read one at a time: they may be many
    _remove_leftovers(root, placement.doc_id)
    tmp = root / f".tmp-{placement.doc_id}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        written: dict[str, FileEntry] = {}
        extra: Iterator[tuple[str, bytes | Iterable[bytes]]] = (
            (rel, _extra_data(extra_files or {}, key)) for rel, key in extras.items()
        )
        for rel, data in chain(files, extra):
            written[rel] = _write_file(tmp / rel, data)
        stages = _stage_seconds(timings)
        stages.setdefault("emit", round(time.perf_counter() - t0, 4))
        manifest = build_manifest(doc, written, stages, datetime.now(UTC), settings)
        _write_file(tmp / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        for sub in sorted({(tmp / rel).parent for rel in written}, key=lambda p: len(p.parts), reverse=True):
            _fsync_dir(sub)
        _swap_into_place(tmp, placement.folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return placement.folder


def _swap_into_place(tmp: Path, final: Path) -> None:
    """Rename tmp to final; an existing final is renamed aside first and deleted after the swap."""
    aside: Path | None = None
    if final.exists():
        aside = final.with_name(f".old-{final.name}-{secrets.token_hex(4)}")
        final.rename(aside)
    try:
        tmp.rename(final)
    except BaseException:
        if aside is not None and not final.exists():
            aside.rename(final)  # put the previous output back
        raise
    _fsync_dir(final.parent)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
