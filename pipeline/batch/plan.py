"""Which inputs need work: a document is keyed by its content hash, the pipeline version and the
digest of the settings it was made with (`Settings.digest()`).

The truth is the manifests. `output/<doc_id>/manifest.json` is written last and renamed into
place with its folder, so a manifest exists only for a complete document: a run killed midway
leaves no manifest for the half-done document, and the next run simply does it again.
`output_index` reads the manifests into {input sha256: IndexEntry}; `.nianbao-index.json` in the
output root caches what was read, keyed by each manifest's mtime and size, so a re-run over many
documents stats the manifests instead of parsing them. It is only a cache: deleting it changes
nothing but speed. The same file records which folders were loaded into which database
(`mark_loaded`), so a run killed between writing a folder and loading it catches up next time.

Imports stay light (hashlib, json, os): a re-run with nothing to do must take well under 2 s,
without pdfplumber, pandas or Prefect.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .. import __version__
from ..settings import DEFAULT_SETTINGS, Settings
from ..sourcepath import recorded_path

INDEX_FILE = ".nianbao-index.json"
MANIFEST = "manifest.json"  # same name as pipeline.ids.MANIFEST, without importing the model
_CHUNK = 1 << 20

Action = Literal["process", "skip", "fail"]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One complete output folder, as its manifest describes it."""

    folder: str  # folder name under the output root (the final doc_id)
    sha256: str  # of the input PDF
    pipeline_version: str
    source_path: str
    settings_digest: str = ""  # "" for outputs written before settings were recorded: made again


@dataclass(frozen=True, slots=True)
class PlanItem:
    """What a batch will do with one input file, and why."""

    path: str
    sha256: str  # "" when the file could not be read
    action: Action
    reason: str
    folder: str = ""  # for "skip": the output folder that already holds this content


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes (the same digest the load stage records in `source.sha256`)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def utf8_name(path: str | Path) -> bool:
    """False for a path with bytes that are not UTF-8 (Python holds them as surrogates): such a name
    cannot travel in a Prefect parameter, a JSON manifest or a database row, so it is refused alone."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


NOT_UTF8 = "file name is not valid UTF-8 (rename the file)"


def find_pdfs(folder: str | Path, exclude: str | Path | None = None) -> list[Path]:
    """Every *.pdf under folder (recursive, sorted), leaving out hidden entries, the `exclude` subtree and
    names that are not UTF-8 (`utf8_name`)."""
    base = Path(folder)
    skip = Path(exclude).resolve() if exclude is not None else None
    found: list[Path] = []
    for entry in sorted(base.rglob("*")):
        rel = entry.relative_to(base).parts
        if any(part.startswith(".") for part in rel) or entry.suffix.lower() != ".pdf" or not entry.is_file():
            continue
        if skip is not None and (skip == entry.resolve() or skip in entry.resolve().parents):
            continue
        if utf8_name(entry):
            found.append(entry)
    return found


def _read_state(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / INDEX_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(root: Path, state: Mapping[str, Any]) -> None:
    """Replace the index file atomically; a reader sees the old or the new one, never half."""
    tmp = root / f".{INDEX_FILE}.tmp-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        tmp.write_text(json.dumps(state, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, root / INDEX_FILE)
    except OSError:
        pass  # a cache that cannot be written only costs speed next time
    finally:
        tmp.unlink(missing_ok=True)


def _read_manifest(path: Path) -> tuple[str, str, str, str] | None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        inp = manifest["input"]
        digest = str(manifest.get("settings_digest") or "")
        return str(inp["sha256"]), str(manifest["pipeline_version"]), str(inp.get("path", "")), digest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def output_entries(out_root: str | Path) -> list[IndexEntry]:
    """Every complete output folder under out_root, from the manifests (cached by mtime and size)."""
    root = Path(out_root)
    if not root.is_dir():
        return []
    state = _read_state(root)
    cached: dict[str, list[Any]] = state.get("manifests", {}) if isinstance(state.get("manifests"), dict) else {}
    fresh: dict[str, list[Any]] = {}
    entries: list[IndexEntry] = []
    with os.scandir(root) as it:
        dirs = sorted(e.name for e in it if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
    for name in dirs:
        manifest = root / name / MANIFEST
        try:
            st = manifest.stat()
        except OSError:
            continue  # no manifest: not a finished document (or not ours)
        key = [st.st_mtime_ns, st.st_size]
        hit = cached.get(name)
        if isinstance(hit, list) and len(hit) == 6 and hit[:2] == key:
            sha, version, source, digest = hit[2:]
        else:
            read = _read_manifest(manifest)
            if read is None:
                continue
            sha, version, source, digest = read
        fresh[name] = [*key, sha, version, source, digest]
        entries.append(IndexEntry(name, sha, version, source, digest))
    if fresh != cached:
        _write_state(root, {**state, "manifests": fresh})
    return entries


def output_index(out_root: str | Path, version: str = __version__, digest: str = "") -> dict[str, IndexEntry]:
    """{input sha256: entry}; when two folders hold the same content, the one made by `version`
    (and, among those, with the settings `digest`) wins."""

    def rank(e: IndexEntry) -> int:
        return 2 * (e.pipeline_version == version) + (e.settings_digest == digest)

    index: dict[str, IndexEntry] = {}
    for entry in output_entries(out_root):
        held = index.get(entry.sha256)
        if held is None or rank(entry) > rank(held):
            index[entry.sha256] = entry
    return index


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return path


def plan_batch(
    paths: Iterable[str | Path],
    out_root: str | Path,
    force: bool = False,
    version: str = __version__,
    settings: Settings = DEFAULT_SETTINGS,
    roots: Iterable[str | Path] = (),
) -> list[PlanItem]:
    """One PlanItem per input, in input order.

    - skip: the same bytes were already written by this pipeline version with these settings
      (unless `force`), or the same bytes appear earlier in this batch (processing them twice
      would only race);
    - process: new content, a changed file, an output made by another pipeline version or with
      other settings, or `force`;
    - fail: the file cannot be read.
    """
    digest = settings.digest()
    index = output_index(out_root, version, digest)
    by_source = {_resolved(e.source_path): e for e in index.values() if e.source_path}
    by_name = {e.source_path: e for e in index.values() if e.source_path}
    tops = list(roots)
    seen: dict[str, str] = {}
    items: list[PlanItem] = []
    for raw in paths:
        path = str(raw)
        try:
            sha = file_sha256(path)
        except OSError as exc:
            items.append(PlanItem(path, "", "fail", f"{path}: cannot read: {exc.strerror or exc}"))
            continue
        if sha in seen:
            items.append(PlanItem(path, sha, "skip", f"same content as {seen[sha]}"))
            continue
        seen[sha] = path
        entry = index.get(sha)
        if force:
            items.append(PlanItem(path, sha, "process", "forced (--force)"))
        elif entry is not None and entry.pipeline_version != version:
            items.append(PlanItem(path, sha, "process", f"made by pipeline {entry.pipeline_version}, now {version}"))
        elif entry is not None and entry.settings_digest != digest:
            items.append(PlanItem(path, sha, "process", f"made with other settings ({entry.folder}/)"))
        elif entry is not None:
            items.append(PlanItem(path, sha, "skip", "unchanged", entry.folder))
        elif (old := by_source.get(_resolved(path)) or by_name.get(recorded_path(path, tops))) is not None:
            items.append(PlanItem(path, sha, "process", f"changed since {old.folder}/ was written"))
        else:
            items.append(PlanItem(path, sha, "process", "new"))
    return items


def db_key(database: str, out_root: str | Path | None = None) -> str:
    """The ledger key for a database, naming no path of this machine: a file inside the output root by
    its name there, any other file (resolved) or URL (without its password) by a digest."""
    if "://" in database and not database.lower().startswith("duckdb:///"):
        scheme, rest = database.split("://", 1)
        if "@" in rest.split("/", 1)[0]:
            creds, host = rest.split("@", 1)
            rest = f"{creds.split(':', 1)[0]}@{host}"
        return f"{scheme}:{hashlib.sha256(rest.encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"
    text = database[len("duckdb:///") :] if database.lower().startswith("duckdb:///") else database
    target = Path(text).resolve()
    if out_root is not None:
        try:
            return f"./{target.relative_to(Path(out_root).resolve())}"
        except ValueError:
            pass
    return f"file:{hashlib.sha256(str(target).encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"


def _ledger(state: Mapping[str, Any], kind: str, database: str, out_root: str | Path) -> dict[str, Any]:
    ledgers = state.get(kind)
    ledger = ledgers.get(db_key(database, out_root)) if isinstance(ledgers, dict) else None
    return dict(ledger) if isinstance(ledger, dict) else {}


def remembered_refusals(out_root: str | Path, database: str, version: str = __version__) -> dict[str, tuple[str, str]]:
    """{folder: (input sha256, "refused: reason")} refused by `database` under this pipeline version."""
    ledger = _ledger(_read_state(Path(out_root)), "refused", database, out_root)
    return {
        folder: (entry[0], entry[2])
        for folder, entry in ledger.items()
        if isinstance(entry, list) and len(entry) == 3 and entry[1] == version
    }


def pending_loads(
    out_root: str | Path,
    database: str,
    items: Iterable[PlanItem],
    *,
    allow_invalid: bool = False,
    version: str = __version__,
) -> list[PlanItem]:
    """Skipped items whose folder is not recorded as loaded into `database` with this content, leaving
    out those the database refused for the same content and pipeline version (unless `allow_invalid`)."""
    state = _read_state(Path(out_root))
    loaded = _ledger(state, "loaded", database, out_root)
    refused = {} if allow_invalid else remembered_refusals(out_root, database, version)
    return [
        i
        for i in items
        if i.action == "skip"
        and i.folder
        and loaded.get(i.folder) != i.sha256
        and refused.get(i.folder, ("",))[0] != i.sha256
    ]


def mark_loaded(
    out_root: str | Path,
    database: str,
    loaded: Mapping[str, str],
    refused: Mapping[str, tuple[str, str]] | None = None,
    version: str = __version__,
) -> None:
    """Record {folder: input sha256} as loaded into `database`, and {folder: (sha256, "refused: why")} as
    refused by it under `version` (read-modify-write of the index file)."""
    if not loaded and not refused:
        return
    root = Path(out_root)
    state = _read_state(root)
    key = db_key(database, out_root)
    done, no = _ledger(state, "loaded", database, out_root), _ledger(state, "refused", database, out_root)
    for folder, sha in loaded.items():
        done[folder] = sha
        no.pop(folder, None)
    for folder, (sha, why) in (refused or {}).items():
        no[folder] = [sha, version, why]
        done.pop(folder, None)
    out = dict(state)
    for kind, ledger in (("loaded", done), ("refused", no)):
        ledgers = state.get(kind)
        out[kind] = {**(ledgers if isinstance(ledgers, dict) else {}), key: ledger}
    _write_state(root, out)


def changed_pdfs(folder: str | Path, out_root: str | Path, settings: Settings = DEFAULT_SETTINGS) -> list[str]:
    """The PDFs under a watched folder that need work (new, changed, made by another version or with
    other settings, unreadable)."""
    items = plan_batch(find_pdfs(folder, exclude=out_root), out_root, settings=settings, roots=[folder])
    return [i.path for i in items if i.action != "skip"]
