"""The review page and the Data Docs in a real headless browser (Debian's chromium): offline, complete.

The public report goes through the pipeline once (validated and written as `ingest` does), then
its review page is loaded from file://: no console error, every page image loaded, every table
and validation failure present, every in-page link resolving, nothing fetched but local files.
A screenshot goes to the test's tmp folder; with NIANBAO_REVIEW_SCREENSHOT=docs/review.png it is
also saved there (how the README's screenshot is made). The same run's GX Data Docs, made offline
by `offline_data_docs`, render their index from the packaged scripts without the network.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.emit import write_outputs
from pipeline.model import Document
from pipeline.offline_docs import CDN_FILES, DATA_DOCS_DIR, offline_data_docs, vendor_files
from pipeline.process import process_pdf
from pipeline.review import INDEX, write_review
from pipeline.validate import validate_document

from .browser import chrome, console_errors, require_browser
from .paths import REPORT, processed
from .pdfgen_report import build_variant

SCREENSHOT_ENV = "NIANBAO_REVIEW_SCREENSHOT"

# What the page holds, read in the browser after it loaded.
INSPECT = """
const ids = new Set(Array.from(document.querySelectorAll('[id]'), e => e.id));
const hrefs = Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'));
const hl = Array.from(document.querySelectorAll('[data-hl]'), a => a.getAttribute('data-hl'));
return {
  images: Array.from(document.images, i => [i.getAttribute('src'), i.complete, i.naturalWidth]),
  links: hrefs.length,
  broken: hrefs.filter(h => !h.startsWith('#') || !ids.has(decodeURIComponent(h.slice(1))))
              .concat(hl.filter(h => !ids.has(h))),
  resources: performance.getEntriesByType('resource').map(r => r.name),
  grids: Object.fromEntries(Array.from(document.querySelectorAll('table.grid'),
                                       t => [t.id, t.tBodies[0].rows.length])),
  issues: Array.from(document.querySelectorAll('tr.issue'), r => r.innerText),
  boxes: document.querySelectorAll('.box').length,
};
"""

# Where a box sits over its page image, in points of the page (page width and height given).
BOX_IN_POINTS = """
const box = document.getElementById(arguments[0]);
const img = box.parentElement.querySelector('img').getBoundingClientRect();
const r = box.getBoundingClientRect();
const sx = arguments[1] / img.width, sy = arguments[2] / img.height;
return [(r.left - img.left) * sx, (r.top - img.top) * sy, (r.right - img.left) * sx, (r.bottom - img.top) * sy];
"""


def reviewed(doc: Document, pdf: Path, out: Path) -> Path:
    """Validate and write the document as ingest does, then build its review page."""
    run = validate_document(doc)
    folder = write_outputs(run.document, out, validation=run)
    return write_review(folder, pdf)


@pytest.fixture(scope="session")
def public_review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    require_browser()  # before the pipeline runs: a skip here should cost nothing
    doc = processed(REPORT)
    index = reviewed(doc, REPORT, tmp_path_factory.mktemp("review-public"))
    written = Document.model_validate_json((index.parent.parent / "document.json").read_text(encoding="utf-8"))
    return written, index


def load(driver: Any, index: Path) -> dict[str, Any]:
    driver.get(index.resolve().as_uri())
    info: dict[str, Any] = driver.execute_script(INSPECT)
    info["errors"] = console_errors(driver)
    return info


def assert_complete(info: dict[str, Any], doc: Document) -> None:
    assert info["errors"] == []
    assert len(info["images"]) == doc.source.pages
    assert all(complete and width > 0 for _, complete, width in info["images"]), info["images"]
    assert info["broken"] == [] and info["links"] > doc.source.pages
    assert all(url.startswith("file://") for url in info["resources"]), info["resources"]
    assert info["grids"] == {f"table-{t.id}": len(t.rows) for t in doc.tables}
    failures = doc.validation.failures if doc.validation else []
    assert len(info["issues"]) == len(failures) + len(doc.findings)
    for row, failure in zip(info["issues"], failures, strict=False):
        assert failure.rule in row and (failure.target or "") in row


def test_public_report_review_page_in_browser(public_review: tuple[Document, Path], tmp_path: Path) -> None:
    doc, index = public_review
    assert doc.tables and doc.validation and doc.validation.failures  # the page has something to show
    with chrome() as driver:
        info = load(driver, index)
        assert_complete(info, doc)
        assert info["boxes"] >= len(doc.paragraphs) + len(doc.tables)

        # a failure's cell link: the cell becomes the target and the box on the page image lights up
        from selenium.webdriver.common.by import By

        link = driver.find_element(By.CSS_SELECTOR, 'tr.issue a[href^="#cell-"]')
        cell, box = link.get_attribute("href").split("#", 1)[1], link.get_attribute("data-hl")
        # where the page was left scrolled depends on how many issues it lists: a link may sit under
        # the sticky header, which would take the click; bring it to the middle as a reader would
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        assert driver.execute_script("return document.querySelector(':target').id") == cell
        assert "hl" in driver.find_element(By.ID, box).get_attribute("class").split()
        assert console_errors(driver) == []

        # the screenshot: the page with the most issues, its boxes, its issues (one followed to its
        # cell, so box and cell are lit) and its table grid
        pages = [f.page for f in doc.validation.failures if f.page]
        busiest = max(set(pages), key=pages.count)
        links = driver.find_elements(By.CSS_SELECTOR, f'#page-{busiest} a[href^="#cell-"]')
        if links:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", links[0])
            links[0].click()
        driver.execute_script(f"document.getElementById('page-{busiest}').scrollIntoView()")
        shot = tmp_path / "review.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    target = os.environ.get(SCREENSHOT_ENV)
    if target:
        shutil.copyfile(shot, target)


def test_generated_report_boxes_sit_on_their_text(tmp_path: Path) -> None:
    require_browser()
    built = build_variant("classic", tmp_path)
    doc = process_pdf(built.path)
    index = reviewed(doc, built.path, tmp_path / "out")
    assert index.name == INDEX
    written = Document.model_validate_json((index.parent.parent / "document.json").read_text(encoding="utf-8"))
    with chrome() as driver:
        assert_complete(load(driver, index), written)
        heading = next(s for s in written.sections if s.kind == "heading" and s.provenance)
        table = written.tables[0]
        for ref, prov in ((heading.id, heading.provenance[0]), (table.id, table.provenance[0])):
            assert prov.bbox is not None
            scan_w, scan_h = (float(x) for x in _page_size(built.path, prov.page))
            got = driver.execute_script(BOX_IN_POINTS, f"box-{ref}-p{prov.page}", scan_w, scan_h)
            want = [prov.bbox.x0, prov.bbox.top, prov.bbox.x1, prov.bbox.bottom]
            assert got == pytest.approx(want, abs=1.5), (ref, got, want)


def _page_size(pdf: Path, page: int) -> tuple[float, float]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        return float(p.width), float(p.height)


# ---------------------------------------------------------------- Data Docs offline

RENDERED_RUNS = """
const rows = Array.from(document.querySelectorAll('table[data-toggle="table"] tbody tr'));
return {
  rows: rows.map(r => r.innerText),
  links: Array.from(document.querySelectorAll('table a[href]'), a => a.getAttribute('href')),
  resources: performance.getEntriesByType('resource').map(r => r.name),
};
"""


def test_data_docs_render_offline(public_review: tuple[Document, Path]) -> None:
    """The Data Docs the stage wrote list every suite's run through the packaged bootstrap-table, loading only
    local files; converting them again changes nothing."""
    doc, index = public_review
    folder = index.parent.parent
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / DATA_DOCS_DIR).rglob("*") if p.is_file()
    }
    assert offline_data_docs(files) == files
    docs = folder / DATA_DOCS_DIR
    pages = [docs / "index.html", *sorted((docs / "validations").rglob("*.html"))]
    pages += sorted((docs / "expectations").rglob("*.html"))
    suites = sorted(doc.validation.suites) if doc.validation else []
    assert suites and len(pages) == 1 + 2 * len(suites)
    with chrome() as driver:
        for page in pages:
            driver.get(page.as_uri())
            info = driver.execute_script(RENDERED_RUNS)
            assert console_errors(driver) == [], page
            assert all(url.startswith("file://") for url in info["resources"]), (page, info["resources"])
            for href in info["links"]:
                assert href.startswith("#") or (page.parent / href.split("#")[0]).is_file(), (page, href)
        driver.get(pages[0].as_uri())
        runs = driver.execute_script(RENDERED_RUNS)["rows"]
        assert len(runs) >= len(suites) and all(any(s in row for row in runs) for s in suites), runs


def test_packaged_assets_are_the_cdn_files() -> None:
    """Where GX's page template pins a CDN file by its sha384 (integrity=...), the packaged copy has that hash."""
    import great_expectations

    template = Path(great_expectations.__file__).parent / "render" / "view" / "templates" / "js_script_imports.j2"
    pinned = re.findall(r'src="([^"]+)" integrity="sha384-([^"]+)"', template.read_text(encoding="utf-8"))
    assert pinned
    vendored = vendor_files()
    for url, digest in pinned:
        data = vendored[CDN_FILES[url]]
        assert base64.b64encode(hashlib.sha384(data).digest()).decode() == digest, url
    assert set(CDN_FILES.values()) <= set(vendored)
