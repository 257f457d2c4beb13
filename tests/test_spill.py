"""pipeline/spill.py and emit: files kept on disk until emit writes them, read back one at a time."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path

import pytest

from pipeline.emit import write_outputs
from pipeline.spill import SpilledFiles

from .test_emit import make_doc, snapshot


def test_files_live_in_a_temporary_folder_that_goes_with_the_last_mapping() -> None:
    files = SpilledFiles()
    files.add("p-0001.png", b"\x89PNG one")
    files.add("p-0002.png", b"two")
    folder = files.folder
    assert dict(files) == {"p-0001.png": b"\x89PNG one", "p-0002.png": b"two"} and len(files) == 2
    assert sorted(p.read_bytes() for p in folder.iterdir()) == [b"two", b"\x89PNG one"]  # on disk, not in memory
    review = files.prefixed("review/")
    review.add("review/index.html", b"<html>")
    assert list(review) == ["review/p-0001.png", "review/p-0002.png", "review/index.html"]
    assert review["review/p-0002.png"] == b"two" and "review/index.html" not in files and len(files) == 2
    assert len(list(folder.iterdir())) == 3, "prefixed shares the files, it does not copy them"
    del files
    gc.collect()
    assert folder.is_dir() and review["review/p-0001.png"] == b"\x89PNG one"
    del review
    gc.collect()
    assert not folder.exists()


def test_emit_writes_spilled_extra_files_and_lists_them_after_its_own(tmp_path: Path) -> None:
    extra = SpilledFiles()
    extra.add("review/p-0001.png", b"\x89PNG page")
    extra.add("review/index.html", "<p>审阅</p>".encode())
    folder = write_outputs(make_doc(), tmp_path, extra_files=extra)
    written = snapshot(folder)
    assert written["review/p-0001.png"] == b"\x89PNG page"
    assert written["review/index.html"] == "<p>审阅</p>".encode()
    manifest = json.loads(written.pop("manifest.json"))
    assert list(manifest["files"])[:2] == ["document.json", "sections.csv"]
    assert list(manifest["files"])[-2:] == ["review/p-0001.png", "review/index.html"]
    assert manifest["files"] == {
        rel: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for rel, data in written.items()
    }


def test_a_file_made_of_parts_is_their_bytes_in_order() -> None:
    files = SpilledFiles()
    files.add_text("index.html", iter(["<p>", "评估", b"\xe2\x9c\x93", "</p>"]))
    files.add("plain.bin", b"\x00\xff")
    assert files["index.html"] == "<p>评估✓</p>".encode()
    assert files["plain.bin"] == b"\x00\xff"
    assert sorted(files) == ["index.html", "plain.bin"]


def test_emit_copies_a_spilled_file_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = SpilledFiles()
    files.add_text("review/index.html", iter(["<p>" * 1000, "评估" * 1000]))
    whole = files["review/index.html"]
    chunks = list(files.chunks("review/index.html", size=1000))
    assert chunks == [whole[i : i + 1000] for i in range(0, len(whole), 1000)] and len(chunks) == 9
    read: list[str] = []
    monkeypatch.setattr(SpilledFiles, "__getitem__", lambda self, key: read.append(key))
    folder = write_outputs(make_doc(), tmp_path, extra_files=files)
    assert (folder / "review" / "index.html").read_bytes() == whole and not read, "never read whole"
