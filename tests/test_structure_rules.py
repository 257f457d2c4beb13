"""Structure rules on small generated PDFs that the synthetic report builder does not cover."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.process import process_pdf
from tests.pdfgen import CJK_FONT


def test_scanned_and_blank_pages_are_reported_not_silently_empty(tmp_path: Path) -> None:
    from PIL import Image

    img = tmp_path / "scan.png"
    Image.new("RGB", (200, 280), "white").save(img)
    pdf = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(pdf))
    c.setFont(CJK_FONT, 16)
    c.drawString(72, 760, "一、学生发展")
    c.setFont(CJK_FONT, 12)
    c.drawString(96, 730, "学校现有全日制在校学生 17459 人。")
    c.showPage()
    c.drawImage(ImageReader(str(img)), 50, 50, 495, 740)  # a page that is only a picture
    c.showPage()
    c.showPage()  # a blank page
    c.save()
    doc = process_pdf(pdf)
    codes = {(f.code, f.page, f.severity) for f in doc.findings}
    assert ("no_text_layer", 2, "warning") in codes
    assert ("blank_page", 3, "info") in codes
    assert [s.title for s in doc.sections if s.kind == "heading"] == ["学生发展"]
