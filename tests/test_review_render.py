"""The review's page render (pipeline/review.py `scan_pages`): pdfium draws in RGB byte order there,
which must give the very pixels of its default BGR order (the review PNGs are compared byte for byte)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.review import scan_pages


def _colourful_pdf(path: Path) -> None:
    """Text, strokes and fills in many colours, half-transparent shapes and a photo-like image."""
    c = canvas.Canvas(str(path), pagesize=(300, 200))
    for k in range(12):
        c.setFillColor(Color(k / 11, (11 - k) / 11, (k * 7 % 11) / 11, alpha=0.4 + 0.05 * k))
        c.rect(10 + 22 * k, 10 + 5 * k, 40, 60, fill=1, stroke=k % 2)
        c.setStrokeColorRGB(k / 11, 0.3, 1 - k / 11)
        c.setLineWidth(0.3 + k / 4)
        c.line(5, 190 - 7 * k, 295, 120 + 3 * k)
        c.setFillColorRGB((k * 5 % 11) / 11, k / 11, 0.5)
        c.setFont("Helvetica-Bold" if k % 2 else "Times-Italic", 6 + k)
        c.drawString(12 + 20 * k, 100 + 6 * k, f"Ag{k}%")
    photo = Image.new("RGB", (64, 48))
    photo.putdata([((x * 4) % 256, (y * 5) % 256, (x * y) % 256) for y in range(48) for x in range(64)])
    c.drawImage(ImageReader(photo), 180, 20, width=101, height=77)
    c.showPage()
    c.save()


def test_rgb_byte_order_draws_the_same_pixels(tmp_path: Path) -> None:
    pdf_path = tmp_path / "colours.pdf"
    _colourful_pdf(pdf_path)
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[0]
        for scale in (1.0, 1.25, 2.0):
            bgr = page.render(scale=scale).to_pil()
            rgb = page.render(scale=scale, rev_byteorder=True).to_pil()
            assert bgr.mode == rgb.mode == "RGB" and bgr.size == rgb.size
            assert len(bgr.getcolors(1 << 24) or ()) > 100  # many colours: blends, antialiasing, the image
            assert bgr.tobytes() == rgb.tobytes()
        expected = page.render(scale=1.25).to_pil().quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        page.close()
    finally:
        pdf.close()
    images: dict[str, bytes] = {}
    scans = scan_pages(pdf_path, images.__setitem__)
    assert [s.page for s in scans] == [1] and list(images) == ["page-001.png"]
    buf = io.BytesIO()
    expected.save(buf, format="PNG")
    assert images["page-001.png"] == buf.getvalue()
