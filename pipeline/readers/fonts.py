"""Font facts both readers take from the PDF's own font dictionaries, so they agree on them.

pdfminer places a glyph's box from the font descriptor's `Descent` (0 when absent), where pdfium's
`FPDFFont_GetDescent` substitutes the embedded face's metrics when the descriptor says 0 (as
LibreOffice writes it); bold and italic flags come from the descriptor's `Flags` and `ItalicAngle`.
Reading the dictionaries costs tens of milliseconds (no content stream is parsed).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psparser import PSLiteral

from ..load import font_name

FLAG_ITALIC = 1 << 6
FLAG_FORCE_BOLD = 1 << 18


@dataclass(frozen=True, slots=True)
class FontFacts:
    name: str  # the name pdfminer reports: the descriptor's FontName (subset prefix dropped)
    descent: float  # below the baseline, per unit of font size (pdfminer's get_descent), <= 0
    flags: int
    italic_angle: float

    @property
    def force_bold(self) -> bool:
        return bool(self.flags & FLAG_FORCE_BOLD)

    @property
    def italic(self) -> bool:
        return bool(self.flags & FLAG_ITALIC) or self.italic_angle != 0


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value) if value is not None else ""


def _number(value: Any, default: float = 0.0) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, int | float) else default


def _facts(spec: Mapping[str, Any]) -> FontFacts:
    """pdfminer's rules: the name and Descent of the font descriptor (the standard 14 fonts' built-in
    metrics win over the PDF's), Descent made negative, in 1/1000 em; a Type 3 font's from its
    FontBBox and FontMatrix."""
    subtype = _name(spec.get("Subtype")) or "Type1"
    if subtype == "Type3":
        descriptor = resolve1(spec.get("FontDescriptor"))
        if not isinstance(descriptor, dict):
            descriptor = {"FontBBox": spec.get("FontBBox")}
        bbox = resolve1(descriptor.get("FontBBox")) or [0, 0, 0, 0]
        matrix = resolve1(spec.get("FontMatrix")) or [0.001, 0, 0, 0.001, 0, 0]
        vscale = (_number(matrix[2]) ** 2 + _number(matrix[3]) ** 2) ** 0.5 if len(matrix) >= 4 else 0.001
        name = _name(descriptor.get("FontName")) or "unknown"
        return FontFacts(font_name(name), _number(bbox[1]) * vscale, int(_number(descriptor.get("Flags"))), 0.0)
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts")) or []
        spec = resolve1(descendants[0]) if descendants else {}
        descriptor = resolve1(spec.get("FontDescriptor"))
    else:
        base = _name(spec.get("BaseFont"))
        descriptor = FONT_METRICS[base][0] if base in FONT_METRICS else resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        descriptor = {}
    name = _name(descriptor.get("FontName")) or "unknown"
    descent = -abs(_number(descriptor.get("Descent"))) * 0.001
    flags = int(_number(descriptor.get("Flags")))
    return FontFacts(font_name(name), descent, flags, _number(descriptor.get("ItalicAngle")))


def _fonts(resources: Any, seen: set[int]) -> Iterator[tuple[str, FontFacts]]:
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    for ref in (fonts or {}).values() if isinstance(fonts, dict) else ():
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        if key in seen:
            continue
        seen.add(key)
        spec = resolve1(ref)
        if isinstance(spec, dict):
            facts = _facts(spec)
            yield font_name(_name(spec.get("BaseFont"))), facts
    xobjects = resolve1(resources.get("XObject"))
    for ref in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        if isinstance(ref, PDFObjRef):
            if ref.objid in seen:
                continue
            seen.add(ref.objid)
        xobj = resolve1(ref)
        attrs = getattr(xobj, "attrs", None)
        if attrs is not None and _name(attrs.get("Subtype")) == "Form":
            yield from _fonts(attrs.get("Resources"), seen)


class FontTable:
    """Font facts by name (subset prefix dropped), filled page by page as the pages are read.

    Each font is found under its BaseFont (what pdfium names it) and its descriptor's FontName
    (what pdfminer names it); the two differ for CID fonts (STSong-Light / STSongStd-Light).
    """

    def __init__(self) -> None:
        self._facts: dict[str, FontFacts] = {}
        self._seen: set[int] = set()

    def add_resources(self, resources: Any) -> None:
        try:
            for name, facts in _fonts(resources, self._seen):
                self._facts.setdefault(name, facts)
                self._facts.setdefault(facts.name, facts)
        except Exception:  # a broken font dictionary: the reader's own metrics stand in
            return

    def get(self, name: str) -> FontFacts | None:
        return self._facts.get(name)


@dataclass(frozen=True, slots=True)
class PageDict:
    """What pdfminer takes from a page dictionary (inherited values resolved) to place its objects."""

    mediabox: tuple[float, float, float, float]
    rotation: int  # 0, 90, 180 or 270
    contents: Any = None  # the /Contents entry as written (a reference: read while the document is open)

    def content(self) -> bytes | None:
        """The page's content streams decoded and joined (None when one cannot be read)."""
        try:
            streams = resolve1(self.contents)
            streams = streams if isinstance(streams, list) else [streams] if streams is not None else []
            return b"\n".join(resolve1(stream).get_data() for stream in streams)
        except Exception:  # a broken stream: what needs it does without
            return None


@contextmanager
def open_page_dicts(path: Path, fonts: FontTable, password: str | None = None) -> Iterator[list[PageDict]]:
    """Each page's MediaBox, /Rotate and content streams in page order, its fonts added to `fonts`; []
    when unparsable. The file stays open in the block, for `PageDict.content`.

    Via pdfminer's parser (no content stream is read here): pdfium does not inherit MediaBox from the
    page tree, and pdfplumber's coordinates are relative to it.
    """
    with path.open("rb") as fh:
        out: list[PageDict] = []
        try:
            doc = PDFDocument(PDFParser(fh), password=password or "")
            for page in PDFPage.create_pages(doc):
                fonts.add_resources(page.resources)
                box = resolve1(page.attrs.get("MediaBox"))
                x0, y0, x1, y1 = (_number(v) for v in box) if isinstance(box, list) and len(box) == 4 else page.mediabox
                rotation = int(_number(resolve1(page.attrs.get("Rotate")))) % 360
                out.append(PageDict((x0, y0, x1, y1), rotation, page.attrs.get("Contents")))
            doc.caching = False  # from here on only each page's content is read, once: none of it is kept
            for cache in ("_cached_objs", "_parsed_objs"):  # what the page tree held (content streams among it)
                objects = getattr(doc, cache, None)
                if isinstance(objects, dict):
                    objects.clear()
        except Exception:  # pdfium may repair what pdfminer cannot parse: its own values stand in
            out = []
        yield out
