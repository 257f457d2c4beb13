"""A non-editable install finds its suites: build the wheel, install it elsewhere, validate from outside the repo.

Slow-ish (a wheel build, about 10-20 s, and a GX import in the child): the one test of packaging.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "pipeline", "flows", "expectations")

CHILD = """
import json, sys
import pipeline
from pipeline.model import Document, Source
from pipeline.validate import validate_document

assert pipeline.__file__.startswith(sys.argv[1]), pipeline.__file__
source = Source(path="x.pdf", sha256="0" * 64, pages=1, size_bytes=1)
doc = Document(doc_id="x-2022", pipeline_version="0", source=source)
run = validate_document(doc, data_docs=False)
print(json.dumps(sorted(run.summary.suites)))
"""


def test_wheel_installed_elsewhere_finds_its_suites(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        p = ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(p, src / name)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(src)], check=True, timeout=300)
    [wheel] = wheels.glob("nianbao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"pipeline/expectations/{p.name}" for p in (ROOT / "expectations").glob("*.json")} <= set(names)

    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, timeout=300)
    # -S: no site-packages .pth files, so the development install's import hook cannot serve the repo
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])}
    env.pop("NIANBAO_EXPECTATIONS", None)
    out = subprocess.run(
        [sys.executable, "-S", "-c", CHILD, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    suites = ["nianbao.arithmetic", "nianbao.consistency", "nianbao.structure", "nianbao.values"]
    assert json.loads(out.stdout.splitlines()[-1]) == suites
