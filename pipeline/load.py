"""Load stage: each page's characters, rules, rectangles and images as plain records.

Everything later works on these records, so the PDF is read exactly once. Which library reads it
is a choice (`pipeline.readers`: pdfplumber, the reference, or pdfium, ~5x faster); both fill the
same records in pdfplumber's coordinates (points, origin at the MediaBox's top-left corner).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .charpack import CharSpill, packable, values
from .errors import InputError
from .model import Finding, Source
from .orient import upright_page
from .readers import DEFAULT_READER
from .readers.parallel import page_source
from .settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from .ocr import OcrSession

# Bold faces by name: Latin weights, and the CJK display faces Word uses for headings (黑体 SimHei,
# 微软雅黑 YaHei, 方正小标宋 / 粗宋 ...) which carry no "Bold" in their names.
BOLD_MARKERS = ("bold", "heavy", "black", "semibold", "demibold", "-bd", "medium", "hei", "黑", "粗", "标宋", "xbs")
ITALIC_MARKERS = ("italic", "oblique")
_HEX_ESCAPE = re.compile(r"(?:#[0-9A-Fa-f]{2})+")


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str  # without the subset prefix
    bold: bool
    italic: bool = False
    fill: str | None = None  # non-stroking colour as #rrggbb (gray, RGB; CMYK converted naively)
    render_mode: int = 0  # the PDF text render mode (Tr): 3 and 7 draw nothing
    seq: int = 0  # drawing order on the page (0: unknown), to see what is painted over what
    clipped: bool = False  # its centre lies outside the clipping path in force
    ocr: bool = False  # read from the rendered page by OCR (pipeline/ocr/), not from the text layer
    confidence: float = 1.0  # the OCR engine's confidence in its text line (1 for the text layer)
    turn: int = 0  # quarter turns counter-clockwise it is written in (pipeline/orient.py; -1: slanted)


def _quick_init(cls: type) -> None:
    """Give the frozen, slotted dataclass `cls` an `__init__` that fills each slot through its own
    descriptor: the same signature, defaults and values as the generated one (which goes through
    `object.__setattr__` by name, field by field), in ~0.6 of the time. A 70-page report makes
    ~180,000 glyph records in one ingest (read, then read back from the spill, `charpack`)."""
    names: list[str] = []
    defaults: dict[str, Any] = {}
    for f in fields(cls):
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields and defaults are supported")
        names.append(f.name if f.default is MISSING else f"{f.name}=_default_{f.name}")
        if f.default is not MISSING:
            defaults[f"_default_{f.name}"] = f.default
    setters = {f"_set_{f.name}": cls.__dict__[f.name].__set__ for f in fields(cls)}
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in fields(cls))
    source = f"def __init__(self, {', '.join(names)}):\n{body}"
    namespace: dict[str, Any] = {**defaults, **setters}
    exec(source, namespace)  # built from the class's own field names above
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    type.__setattr__(cls, "__init__", init)


_quick_init(Char)


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight ruling segment (from a line, or one edge of a thin or stroked rectangle)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.bottom - self.top) <= (self.x1 - self.x0)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle as drawn: filled and/or stroked."""

    x0: float
    top: float
    x1: float
    bottom: float
    fill: bool
    stroke: bool
    seq: int = 0  # drawing order on the page (0: unknown)


@dataclass(slots=True)
class PageData:
    number: int  # 1-based physical page
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    ocr: bool = False  # its text (some or all) was read by OCR from the rendered page
    findings: list[Finding] = field(default_factory=list)  # what loading noticed on it (OCR)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


packable(PageData)  # load_pdf sets each page's glyphs aside as it is read (pipeline/charpack.py)


@dataclass(slots=True)
class LoadedPdf:
    source: Source
    pages: list[PageData]
    findings: list[Finding] = field(default_factory=list)  # what loading noticed (OCR'd pages, doubtful OCR text)


def font_name(fontname: str) -> str:
    """The font's name without its subset prefix; GBK names written as #XX escapes decoded (黑体)."""
    name = fontname.split("+", 1)[-1]

    def decode(m: re.Match[str]) -> str:
        raw = bytes.fromhex(m.group(0).replace("#", ""))
        try:
            return raw.decode("gbk")
        except UnicodeDecodeError:
            return m.group(0)

    return _HEX_ESCAPE.sub(decode, name)


def font_is_bold(fontname: str) -> bool:
    name = font_name(fontname).lower()
    return any(m in name for m in BOLD_MARKERS)


def font_is_italic(fontname: str) -> bool:
    name = font_name(fontname).lower()
    return any(m in name for m in ITALIC_MARKERS)


def keep_char(text: str) -> bool:
    """Ink, and the two spaces the layout reads (ASCII and ideographic); not tabs or line ends."""
    return bool(text.strip()) or text in (" ", "\u3000")


def colour_hex(components: Iterable[float] | None) -> str | None:
    """A gray, RGB or CMYK colour (components 0-1) as #rrggbb; None for patterns and the unknown."""
    if components is None:
        return None
    try:
        values = [min(1.0, max(0.0, float(v))) for v in components]
    except (TypeError, ValueError):
        return None
    if len(values) == 1:
        values = values * 3
    elif len(values) == 4:
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(values) != 3:
        return None
    return "#" + "".join(f"{round(v * 255):02x}" for v in values)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_input(path: Path) -> None:
    """Refuse what is plainly not a PDF before pdfminer sees it, with a reason a user can act on."""
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "empty file (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise InputError(path, "not a PDF (no %PDF- header)")


Segment = tuple[float, float, float, float]  # x0, top, x1, bottom
# x0, top, x1, bottom, fill, stroke, and where the reader knows it the drawing order (seq)
RectShape = tuple[float, float, float, float, bool, bool] | tuple[float, float, float, float, bool, bool, int]


def rules_and_boxes(lines: Iterable[Segment], rects: Iterable[RectShape]) -> tuple[list[Rule], list[Box]]:
    """Ruling segments and drawn boxes from a page's straight lines and axis-aligned rectangles.

    A thin filled rectangle is a rule; a stroked rectangle also gives its four edges as rules.
    """
    rules = [Rule(x0, top, x1, bottom) for x0, top, x1, bottom in lines]
    boxes: list[Box] = []
    for rect in rects:
        x0, top, x1, bottom, fill, stroke = rect[:6]
        w, h = x1 - x0, bottom - top
        if h <= 2.0 and w > 2.0:  # a rule drawn as a thin filled rectangle
            rules.append(Rule(x0, (top + bottom) / 2, x1, (top + bottom) / 2))
            continue
        if w <= 2.0 and h > 2.0:
            rules.append(Rule((x0 + x1) / 2, top, (x0 + x1) / 2, bottom))
            continue
        boxes.append(Box(x0, top, x1, bottom, fill, stroke, seq=rect[6] if len(rect) > 6 else 0))
        if stroke:
            rules.extend(
                [
                    Rule(x0, top, x1, top),
                    Rule(x0, bottom, x1, bottom),
                    Rule(x0, top, x0, bottom),
                    Rule(x1, top, x1, bottom),
                ]
            )
    return rules, boxes


def iter_pages(
    path: Path, *, reader: str = DEFAULT_READER, settings: Settings = DEFAULT_SETTINGS, password: str | None = None
) -> Iterator[PageData]:
    """The pages of a checked PDF one at a time, scanned ones read by OCR as `settings.load.ocr` says.

    Reading holds no more than `load.page_window` pages of the library's caches, so a consumer that
    lets each page go keeps memory flat whatever the page count (bench/bench_memory.py). The OCR
    engine (pipeline/ocr/) is imported only when a page needs it. An unknown reader name is a
    ValueError naming the choices, raised at once. `password` opens an encrypted PDF; it is used for
    reading only and recorded nowhere.
    """
    source = page_source(reader, path, settings.load, password)  # in worker processes when the document is long

    def pages() -> Iterator[PageData]:
        with ExitStack() as stack:
            ocr: OcrSession | None = None
            for read_page in source:
                page = upright_page(read_page)  # a page printed sideways, turned to read
                if needs_ocr(page, settings):
                    if ocr is None:
                        from .ocr import OcrSession

                        ocr = stack.enter_context(OcrSession(path, settings, password))
                    page = ocr.read(page)
                yield page

    return pages()


def load_pdf(
    path: str | Path,
    *,
    reader: str = DEFAULT_READER,
    settings: Settings = DEFAULT_SETTINGS,
    password: str | None = None,
) -> LoadedPdf:
    """Read every page of one PDF with `reader`; raise InputError with a specific reason when it cannot.

    `password` opens an encrypted PDF; it is used for reading only and recorded nowhere.

    An unknown reader name is a ValueError naming the choices (`pipeline.readers.READERS`). Scanned
    pages are read by OCR as `settings.load.ocr` says (see `iter_pages`). Each page's glyph records
    are set aside as it is read (`pipeline.charpack`): `page.chars` reads them back on each access.
    """
    path = Path(path)
    stream = iter_pages(path, reader=reader, settings=settings, password=password)
    check_input(path)
    digest = sha256_file(path)
    spill = CharSpill()  # each page's glyphs go to disk as it is read: memory stays flat however long the PDF
    pages = [spill.release(page) for page in stream]
    if not pages:
        raise InputError(path, "PDF has no pages")
    source = Source(path=str(path), sha256=digest, pages=len(pages), size_bytes=path.stat().st_size)
    return LoadedPdf(source=source, pages=pages, findings=[f for p in pages for f in p.findings])


def rect_cover(rect: tuple[float, float, float, float], width: float, height: float) -> float:
    """The share of a width x height page that `rect` (x0, top, x1, bottom) covers, clipped to the page."""
    x0, top, x1, bottom = rect
    w = min(x1, width) - max(x0, 0.0)
    h = min(bottom, height) - max(top, 0.0)
    return w * h / (width * height) if w > 0 and h > 0 and width * height > 0 else 0.0


def image_cover(page: PageData) -> float:
    """The share of the page its largest image covers."""
    return max((rect_cover(i, page.width, page.height) for i in page.images), default=0.0)


def needs_ocr(page: PageData, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether OCR reads this page: every page (always), none (never), or (auto) a page with no
    text layer that draws something (an image, lines, shapes; a page with nothing is blank), or one
    whose page-sized image lies under little text (a scan with a stamp or a page number on it)."""
    s = settings.load
    if s.ocr != "auto":
        return s.ocr == "always"
    ink = sum(1 for (text,) in values(page, "text") if text.strip())
    if ink == 0:
        return bool(page.images or page.rules or page.boxes)
    return ink <= s.ocr_max_chars and image_cover(page) >= s.ocr_image_cover
