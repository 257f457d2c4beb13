"""Document ids and the output folder they name.

A doc_id becomes a folder name under the output root, and part of it comes from text inside
the PDF or from its file name, so it is sanitised strictly: only [A-Za-z0-9._-], no leading
dot, no "..", no path separator, at most MAX_LEN characters. `output_dir` re-checks that the
resolved folder is a direct child of the output root, so no document can write elsewhere.

Two different PDFs (different sha256) that yield the same doc_id must not overwrite each
other silently: the second gets `<doc_id>-<first 8 hex of its sha256>` and a finding says so.
The same PDF run again resolves to the same folder and replaces it, and so does a new version
of the same file (same source path, new bytes).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .model import Document, Finding

MAX_LEN = 80
FALLBACK_ID = "document"
MANIFEST = "manifest.json"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")
_DASHES = re.compile(r"-{2,}")


def sanitize(raw: str | None, max_len: int = MAX_LEN) -> str:
    """A folder-safe form of `raw`; FALLBACK_ID when nothing safe is left.

    NFKC first so full-width forms (１２２１５－２０２２) keep their ASCII meaning.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = _UNSAFE.sub("-", text)
    text = _DOTS.sub(".", text)
    text = _DASHES.sub("-", text)
    text = text.strip(".-_")[:max_len].rstrip(".-_")
    return text or FALLBACK_ID


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def slug_from_filename(path: str | Path) -> str:
    """The file name without its extension, sanitised.

    Chinese file names lose their CJK characters here, so two different names could give the
    same slug (e.g. both "2022"): when sanitising changed the name, a short hash of the
    original name is appended to keep them apart.
    """
    stem = Path(str(path)).stem
    slug = sanitize(stem, MAX_LEN - 9)
    if slug != stem:
        slug = f"{slug}-{short_hash(stem)}"
    return slug


def doc_id_for(school_code: str | None, report_year: int | None, source_path: str | Path) -> str:
    """`<school_code>-<report_year>` when both are known (e.g. 12215-2022), else a slug of the file name."""
    if school_code and report_year:
        candidate = sanitize(f"{school_code}-{report_year}")
        if candidate != FALLBACK_ID:
            return candidate
    return slug_from_filename(source_path)


def doc_id_of(doc: Document) -> str:
    """The doc_id for a document: its metadata first, then the id the structure stage set, then the file name."""
    meta = doc.metadata
    if meta.school_code and meta.report_year:
        return doc_id_for(meta.school_code, meta.report_year, doc.source.path)
    if doc.doc_id and sanitize(doc.doc_id) != FALLBACK_ID:
        return sanitize(doc.doc_id)
    return slug_from_filename(doc.source.path)


def output_dir(out_root: Path, doc_id: str) -> Path:
    """`out_root / doc_id`, refusing any id that would not be a direct child of out_root."""
    if doc_id != sanitize(doc_id, len(doc_id)) or len(doc_id) > MAX_LEN + 64:
        raise ValueError(f"unsafe doc_id {doc_id!r}")
    root = Path(out_root).resolve()
    target = (root / doc_id).resolve()
    if target.parent != root:
        raise ValueError(f"doc_id {doc_id!r} resolves outside the output folder {root}")
    return target


def existing_input_sha(folder: Path) -> str | None:
    """The input sha256 recorded in a folder's manifest, None when there is no readable manifest."""
    found = _manifest_input(folder)
    return found[0] if found else None


def _manifest_input(folder: Path) -> tuple[str, str] | None:
    """(input sha256, input path) from a folder's manifest, None when there is no readable manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        sha, path = manifest["input"]["sha256"], manifest["input"].get("path", "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return (sha, str(path)) if isinstance(sha, str) else None


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):
        return a == b


def _is_ours(folder: Path, input_sha256: str, source_path: str | None) -> bool:
    """A folder this input may replace: absent, written from the same bytes, or from the same file
    (an earlier version of it: a corrected report re-published under the same name)."""
    if not folder.exists():
        return True
    found = _manifest_input(folder)
    if found is None:
        return False
    sha, path = found
    return sha == input_sha256 or (bool(source_path) and bool(path) and _same_file(path, source_path or ""))


@dataclass(frozen=True, slots=True)
class Placement:
    doc_id: str
    folder: Path
    finding: Finding | None = None


def place(out_root: Path, doc_id: str, input_sha256: str, source_path: str | None = None) -> Placement:
    """Where this input's output goes: its own folder, or a hash-suffixed one if another input holds the id.

    A folder holds "another input" when its manifest names a different sha256 and a different
    source file, or when it exists without a readable manifest (not ours to delete). The same
    file with new bytes (`source_path` given) replaces its earlier output instead of piling up
    suffixed copies.
    """
    doc_id = sanitize(doc_id)
    folder = output_dir(out_root, doc_id)
    if _is_ours(folder, input_sha256, source_path):
        return Placement(doc_id, folder)
    for n in (8, 16, 64):  # a longer prefix only if a short one is itself taken
        suffixed = sanitize(f"{doc_id[: MAX_LEN - n - 1]}-{input_sha256[:n]}", MAX_LEN + 64)
        target = output_dir(out_root, suffixed)
        if _is_ours(target, input_sha256, None):
            break
    else:
        raise FileExistsError(f"no free output folder for doc_id {doc_id!r} under {out_root}")
    finding = Finding(
        code="doc_id_collision",
        severity="warning",
        message=(
            f"doc_id {doc_id!r} is already used by another input in {folder.name}/; "
            f"this document was written as {suffixed!r}"
        ),
        ref=doc_id,
    )
    return Placement(suffixed, target, finding)
