"""OCR cost per page: pages of a text PDF rasterized as a scan, then read back by OCR.

    .venv/bin/python bench/bench_ocr.py [PDF] [--pages 3-7] [--dpi 200]

Default: pages 3-7 of raw/cqipc-2022.pdf. The pages are rendered (pypdfium2, gray, `--dpi`) into an
image-only PDF, as a scanner would make it; each is then read as `load_pdf` reads a scanned page
(pipeline/ocr/: render at `load.ocr_dpi`, engine, chars, rules). Printed per page: the seconds to
render, to recognise (the engine) and to build the records, the OCR chars and the share of the
text layer's chars found again (as a multiset of characters, punctuation and spaces left out);
then the engine's start-up (models loaded once per document) and the mean seconds per page.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from pipeline.load import load_pdf
from pipeline.ocr import read_scan, render
from pipeline.ocr.engine import Engine
from pipeline.settings import DEFAULT_SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[1]


def rasterize(src: Path, dst: Path, pages: range, dpi: int) -> Path:
    doc = pdfium.PdfDocument(str(src))
    try:
        images = [doc[i - 1].render(scale=dpi / 72).to_pil().convert("L") for i in pages]
    finally:
        doc.close()
    images[0].save(dst, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return dst


def letters(texts: list[str]) -> Counter[str]:
    return Counter(c for t in texts for c in t if c.isalnum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf", nargs="?", type=Path, default=ROOT / "raw" / "cqipc-2022.pdf")
    ap.add_argument("--pages", default="3-7", help="physical pages, first-last")
    ap.add_argument("--dpi", type=int, default=200, help="resolution of the simulated scan")
    args = ap.parse_args()
    first, last = (int(x) for x in args.pages.split("-"))
    pages = range(first, last + 1)
    text = load_pdf(args.pdf, reader="pdfium")
    with tempfile.TemporaryDirectory() as tmp:
        scan = rasterize(args.pdf, Path(tmp) / "scan.pdf", pages, args.dpi)
        loaded = load_pdf(scan, settings=Settings.from_mapping({"load": {"ocr": "never"}}))
        t0 = time.perf_counter()
        engine = Engine()
        startup = time.perf_counter() - t0
        doc = pdfium.PdfDocument(str(scan))
        print(f"{'page':>4} {'render':>7} {'engine':>7} {'records':>7} {'chars':>6} {'text-layer chars found':>24}")
        total = 0.0
        try:
            for number, page in zip(pages, loaded.pages, strict=True):
                t0 = time.perf_counter()
                pdf_page = doc[page.number - 1]
                image = render(pdf_page, DEFAULT_SETTINGS.load.ocr_dpi)
                pdf_page.close()
                t1 = time.perf_counter()
                lines = engine.read(image)
                t2 = time.perf_counter()
                read = read_scan(page, image, lines)
                t3 = time.perf_counter()
                want = letters([c.text for c in text.pages[number - 1].chars])
                got = letters([c.text for c in read.chars])
                found = sum((want & got).values()) / max(1, sum(want.values()))
                total += t3 - t0
                print(
                    f"{number:>4} {t1 - t0:>6.2f}s {t2 - t1:>6.2f}s {t3 - t2:>6.2f}s {len(read.chars):>6}"
                    f" {found:>23.1%}"
                )
        finally:
            doc.close()
    print(f"engine start-up {startup:.2f}s (once per document); OCR {total / len(pages):.2f}s per page")


if __name__ == "__main__":
    main()
