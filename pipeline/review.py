"""Review page: a written document folder and its PDF → `review/index.html` plus one PNG per page.

A reviewer sees each page as printed with the boxes the pipeline recorded drawn over it, the
extracted tables and section tree beside it, and every validation failure and finding linked to
its page (and table cell). Only what document.json records is drawn: it holds boxes for section
headings, paragraphs, tables and figure captions; page furniture and the image area of figures are
not recorded there, so the page names them as not drawn instead of guessing them.

Characters are counted per page (whitespace excluded) to show what the pipeline left out: the
PDF's text layer (pdfium), how many of those lie inside a recorded box, and how many characters
the written document attributes to the page. The gathering is pure (`review_model`); pdfium is
touched only by `page_scans`, and files are written only by `write_review` (the page images wait
for emit in a private temporary folder, `spill.SpilledFiles`).

In the pipeline the pages are rendered while the document is still being built: `PageRender` runs
`page_scans` in a spawned process of its own from the start of the load stage, writing the PNGs into
the run's temporary folder, and the review stage collects it. In a thread the render (~1.6 s of
CPU on the 70-page report, most of it holding the GIL) slowed the stages beside it by more than it
took; in its own process it runs on the other core, and pdfium in this process (the pdfium reader)
is never called from two threads. Where no child process may be started (a daemonic batch worker)
or starting one fails, it runs in a background thread from the end of the load stage as before
(PDFium is not thread-safe: the stages between load and review do not call it). A run that stops
early cancels the render (`PageRender.cancel`) before the next document is read.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import pickle
import secrets
import shutil
import tempfile
import threading
import weakref
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from math import copysign
from operator import mul, truediv
from pathlib import Path
from typing import Any, Literal, Protocol

from .model import BBox, Document, Finding, Table, ValidationResult
from .spill import SpilledFiles

REVIEW_DIR = "review"
INDEX = "index.html"
DEFAULT_SCALE = 1.25  # render resolution relative to 72 dpi: sharp enough beside a table, small files

BoxKind = Literal["heading", "paragraph", "table", "caption"]
# drawn in this order; a character inside several boxes counts for the first kind listed
BOX_KINDS: tuple[BoxKind, ...] = ("table", "caption", "heading", "paragraph")
# kinds a review would show but document.json does not record (named on the page, never guessed)
NOT_RECORDED = ("figure image area", "page furniture (running header, footer, page number)")


class ReviewError(Exception):
    """The folder or its PDF cannot be reviewed; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Box:
    """One recorded box on one page; `ref` is the element id, `dom_id` unique in the page."""

    kind: BoxKind
    ref: str
    page: int
    bbox: BBox
    label: str
    dom_id: str


@dataclass(frozen=True, slots=True)
class PageScan:
    """What the PDF itself says about a page: its size and the centres of its printed characters.

    Coordinates as in the model (points, origin top-left of the page as rendered).
    """

    page: int
    width: float
    height: float
    chars: Collection[tuple[float, float]]  # `Points` from page_scans


class Points:
    """(x, y) pairs packed in an array (the same floats back): as tuples, the ~700,000 character centres
    of a 1,000-page report cost ~80 MB, held from the render to the review stage, and sent whole from the
    render process. Centres in hundredths of a point (what `scan_pages` makes) are kept as 4-byte
    hundredths (half of doubles, and half the message); any other value keeps every pair a double."""

    __slots__ = ("_xy",)

    def __init__(self, pairs: Iterable[tuple[float, float]] = ()) -> None:
        values = array("d", (v for pair in pairs for v in pair))
        self._xy: array[int] | array[float] = _hundredths(values) or values

    def _values(self) -> Iterator[float]:
        xy = self._xy
        return map(truediv, xy, repeat(HUNDREDTHS)) if xy.typecode == "i" else iter(xy)

    def __len__(self) -> int:
        return len(self._xy) // 2

    def __iter__(self) -> Iterator[tuple[float, float]]:
        values = self._values()
        return zip(values, values, strict=True)

    def __contains__(self, pair: object) -> bool:
        return pair in tuple(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Points) and self._xy.typecode == other._xy.typecode and self._xy == other._xy

    def __hash__(self) -> int:
        return hash(self._xy.tobytes())

    def __repr__(self) -> str:
        return f"Points({list(self)!r})"


HUNDREDTHS = 100


def _hundredths(values: array[float]) -> array[int] | None:
    """`values` as whole hundredths in 4-byte ints when each gives back exactly its float (k / 100, a
    negative zero aside), else None. The same values always make the same choice (`Points.__eq__`)."""
    try:
        ks = array("i", map(round, map(mul, values, repeat(float(HUNDREDTHS)))))
    except (ValueError, OverflowError):  # nan, inf, or beyond 4 bytes
        return None
    if array("d", map(truediv, ks, repeat(HUNDREDTHS))) != values:
        return None
    if any(copysign(1.0, v) < 0 for v, k in zip(values, ks, strict=True) if not k):
        return None
    return ks


@dataclass(frozen=True, slots=True)
class Conservation:
    """Characters of one page (whitespace excluded): printed, inside recorded boxes, written."""

    page: int
    text_layer: int
    in_boxes: dict[str, int]
    outside: int
    written: int

    @property
    def boxed(self) -> int:
        return sum(self.in_boxes.values())


@dataclass(frozen=True, slots=True)
class Issue:
    """A validation failure or a finding, with where it points: page, box, table cell or row."""

    kind: Literal["failure", "finding"]
    severity: str
    code: str
    where: str
    message: str
    detail: str
    page: int | None
    box: str | None  # dom id of the box on the page image
    cell: str | None  # dom id of the table cell (or row) in the grid


@dataclass(frozen=True, slots=True)
class ReviewModel:
    """Everything the page shows, computed from the document and the page scans."""

    doc: Document
    scans: tuple[PageScan, ...]
    boxes: tuple[Box, ...]
    conservation: tuple[Conservation, ...]
    issues: tuple[Issue, ...]
    evaluated: int
    passed: int


# ---------------------------------------------------------------- boxes


def _box_id(ref: str, page: int, seen: dict[str, int]) -> str:
    base = f"box-{ref}-p{page}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def recorded_boxes(doc: Document) -> list[Box]:
    """Every box document.json records, one per element and page, with a unique DOM id."""
    seen: dict[str, int] = {}
    boxes: list[Box] = []

    def add(kind: BoxKind, ref: str, label: str, provenance: Iterable[Any]) -> None:
        for prov in provenance:
            if prov.bbox is not None:
                boxes.append(Box(kind, ref, prov.page, prov.bbox, label, _box_id(ref, prov.page, seen)))

    for s in doc.sections:
        add("heading", s.id, f"{s.id} · {s.kind} level {s.level}: {_short(s.text_full or s.title)}", s.provenance)
    for p in doc.paragraphs:
        add("paragraph", p.id, f"{p.id}: {_short(p.text)}", p.provenance)
    for t in doc.tables:
        add("table", t.id, f"{t.id}: {_short(t.caption)}", t.provenance)
    for f in doc.figures:
        add("caption", f.id, f"{f.id} ({f.kind}) caption: {_short(f.caption)}", f.provenance)
    return boxes


# ---------------------------------------------------------------- conservation


def _nonspace(text: str) -> int:
    return sum(not ch.isspace() for ch in text)


def _box_kind_at(x: float, y: float, boxes: Sequence[Box]) -> BoxKind | None:
    for kind in BOX_KINDS:
        if any(b.kind == kind and b.bbox.contains(x, y) for b in boxes):
            return kind
    return None


def _chars_in(bbox: BBox, scan: PageScan | None) -> int:
    return 0 if scan is None else sum(bbox.contains(x, y) for x, y in scan.chars)


def covered_cells(t: Table) -> set[tuple[str, int, int]]:
    """Grid positions (part, row, col) hidden under a merged cell (all of it but its top-left)."""
    return {
        (s.part, s.row + dr, s.col + dc)
        for s in t.spans
        for dr in range(s.rowspan)
        for dc in range(s.colspan)
        if dr or dc
    }


def _table_chars(t: Table) -> dict[int, int]:
    """Non-space characters of a table's caption and cells by page (a row on its first page)."""
    covered = covered_cells(t)
    first = t.pages[0] if t.pages else 0
    out: dict[int, int] = {first: _nonspace(t.caption)}
    for r, row in enumerate(t.header):
        out[first] += sum(_nonspace(cell) for c, cell in enumerate(row) if ("header", r, c) not in covered)
    for r, row in enumerate(t.rows):
        page = t.row_pages[r][0] if r < len(t.row_pages) and t.row_pages[r] else first
        n = sum(_nonspace(cell) for c, cell in enumerate(row) if ("body", r, c) not in covered)
        out[page] = out.get(page, 0) + n
    return out


def written_chars(doc: Document, scans: Sequence[PageScan]) -> dict[int, int]:
    """Non-space characters of the extracted text the document attributes to each page.

    Heading lines (with a box), paragraphs, table captions and cells, figure captions. A
    paragraph printed over several pages is shared between them in proportion to the text-layer
    characters inside its box on each page.
    """
    by_page = {s.page: s for s in scans}
    out: dict[int, int] = {}

    def add(page: int, n: int) -> None:
        out[page] = out.get(page, 0) + n

    for s in doc.sections:
        if s.provenance:
            add(s.provenance[0].page, _nonspace(s.text_full or f"{s.number}{s.title}"))
    for p in doc.paragraphs:
        n = _nonspace(p.text)
        provs = [pr for pr in p.provenance if pr.bbox is not None]
        if len(provs) <= 1:
            add(provs[0].page if provs else p.page, n)
            continue
        shares = [_chars_in(pr.bbox, by_page.get(pr.page)) for pr in provs if pr.bbox is not None]
        total = sum(shares)
        if not total:
            add(p.page, n)
            continue
        given = 0
        for i, (pr, share) in enumerate(zip(provs, shares, strict=True)):
            part = n - given if i == len(provs) - 1 else round(n * share / total)
            add(pr.page, part)
            given += part
    for t in doc.tables:
        for page, n in _table_chars(t).items():
            add(page, n)
    for f in doc.figures:
        add(f.page, _nonspace(f.caption))
    return out


def conservation(doc: Document, scans: Sequence[PageScan], boxes: Sequence[Box]) -> list[Conservation]:
    written = written_chars(doc, scans)
    out: list[Conservation] = []
    for scan in scans:
        on_page = [b for b in boxes if b.page == scan.page]
        counts: dict[str, int] = dict.fromkeys(BOX_KINDS, 0)
        outside = 0
        for x, y in scan.chars:
            kind = _box_kind_at(x, y, on_page)
            if kind is None:
                outside += 1
            else:
                counts[kind] += 1
        out.append(Conservation(scan.page, len(scan.chars), counts, outside, written.get(scan.page, 0)))
    return out


# ---------------------------------------------------------------- issues


def _column_index(t: Table, column: str | None) -> list[int]:
    """Columns of t a failure names: a flattened column name, several joined by ' + ', or an annex
    'indicator｜period' whose period is a column name (compared without spaces: 2021 年 = 2021年)."""
    if not column:
        return []

    def key(text: str) -> str:
        return "".join(text.split())

    names = [key(c.name) for c in t.columns]
    if not names and t.header:
        names = [key("/".join(h[i] for h in t.header if i < len(h))) for i in range(len(t.header[-1]))]
    cols: list[int] = []
    for part in column.split(" + "):
        for cand in (key(part), key(part.rsplit("｜", 1)[-1])):
            if cand in names:
                cols.append(names.index(cand))
                break
    return cols


def anchor_cell(t: Table, part: str, row: int, col: int) -> tuple[int, int]:
    """The cell a position shows in the grid: the top-left of a merged cell that covers it."""
    for s in t.spans:
        if s.part == part and s.row <= row < s.row + s.rowspan and s.col <= col < s.col + s.colspan:
            return s.row, s.col
    return row, col


def cell_id(table_id: str, part: str, row: int, col: int) -> str:
    return f"cell-{table_id}-{'h' if part == 'header' else 'b'}{row}-{col}"


def row_id(table_id: str, row: int) -> str:
    return f"row-{table_id}-b{row}"


def _box_for(ref: str | None, page: int | None, boxes: Sequence[Box]) -> Box | None:
    if ref is None:
        return None
    mine = [b for b in boxes if b.ref == ref]
    return next((b for b in mine if b.page == page), mine[0] if mine else None)


def _failure_issue(r: ValidationResult, doc: Document, boxes: Sequence[Box]) -> Issue:
    table = next((t for t in doc.tables if t.id == r.target), None)
    cell: str | None = None
    if table is not None and r.row is not None and 0 <= r.row < len(table.rows):
        cols = [c for c in _column_index(table, r.column) if c < len(table.rows[r.row])]
        if cols:
            cell = cell_id(table.id, "body", *anchor_cell(table, "body", r.row, cols[0]))
        else:
            cell = row_id(table.id, r.row)
    page = r.page
    if page is None and table is not None and r.row is not None and r.row < len(table.row_pages):
        page = table.row_pages[r.row][0] if table.row_pages[r.row] else None
    box = _box_for(r.target, page, boxes)
    if page is None and box is not None:
        page = box.page
    where = " ".join(x for x in (r.target or "", "" if r.row is None else f"row {r.row}", r.column or "", "") if x)
    detail = f"expected {r.expected!r}, observed {r.observed!r} · {r.message_zh}"
    return Issue(
        "failure",
        r.severity,
        r.rule,
        where,
        r.message_en or r.message_zh,
        detail,
        page,
        box.dom_id if box else None,
        cell,
    )


def _finding_issue(f: Finding, doc: Document, boxes: Sequence[Box]) -> Issue:
    box = _box_for(f.ref, f.page, boxes)
    page = f.page if f.page is not None else (box.page if box else None)
    cell = f"table-{f.ref}" if any(t.id == f.ref for t in doc.tables) else None
    return Issue("finding", f.severity, f.code, f.ref or "", f.message, "", page, box.dom_id if box else None, cell)


def collect_issues(doc: Document, failures: Sequence[ValidationResult], boxes: Sequence[Box]) -> list[Issue]:
    return [_failure_issue(r, doc, boxes) for r in failures] + [_finding_issue(f, doc, boxes) for f in doc.findings]


def review_model(doc: Document, scans: Sequence[PageScan], validation: dict[str, Any] | None = None) -> ReviewModel:
    """The page's content from the document, its validation.json (if any) and the page scans."""
    boxes = recorded_boxes(doc)
    if validation is not None:
        failures = [ValidationResult.model_validate(r) for r in validation.get("failures", [])]
        summary = validation.get("summary", {})
        evaluated, passed = int(summary.get("evaluated", 0)), int(summary.get("passed", 0))
    else:
        v = doc.validation
        failures = list(v.failures) if v else []
        evaluated, passed = (v.evaluated, v.passed) if v else (0, 0)
    return ReviewModel(
        doc=doc,
        scans=tuple(scans),
        boxes=tuple(boxes),
        conservation=tuple(conservation(doc, scans, boxes)),
        issues=tuple(collect_issues(doc, failures, boxes)),
        evaluated=evaluated,
        passed=passed,
    )


# ---------------------------------------------------------------- the PDF (pdfium)


def page_file(page: int) -> str:
    return f"page-{page:03d}.png"


Scans = tuple[list[PageScan], SpilledFiles]


class Stop(Protocol):
    """When to stop reading pages (a `threading.Event`, or the render child's parent gone)."""

    def is_set(self) -> bool: ...


def page_scans(
    pdf_path: Path, scale: float = DEFAULT_SCALE, password: str | None = None, stop: Stop | None = None
) -> Scans:
    """Each page's size and printed characters, and its PNG rendering (file name → bytes, kept in a
    temporary folder until emit writes them: ~80 MB at 1,000 pages); `password` opens an encrypted
    PDF. Once `stop` is set, no further page is read (what was read is returned)."""
    images = SpilledFiles()
    return scan_pages(pdf_path, images.add, scale, password, stop), images


def scan_pages(
    pdf_path: Path,
    put: Callable[[str, bytes], None],
    scale: float = DEFAULT_SCALE,
    password: str | None = None,
    stop: Stop | None = None,
) -> list[PageScan]:
    """`page_scans`, each page's PNG handed to `put(page_file(n), bytes)` as it is drawn."""
    import ctypes

    import pypdfium2 as pdfium
    from PIL import Image

    from .readers.pdfium_ffi import c_function, handle  # the per-character calls, unchecked

    is_generated = c_function("FPDFText_IsGenerated", ctypes.c_int)
    get_unicode = c_function("FPDFText_GetUnicode", ctypes.c_uint)
    char_box = c_function("FPDFText_GetCharBox", ctypes.c_int)
    c_int, c_double, int_p = ctypes.c_int, ctypes.c_double, ctypes.POINTER(ctypes.c_int)
    to_device = c_function("FPDF_PageToDevice", c_int, ctypes.c_void_p, *[c_int] * 5, c_double, c_double, int_p, int_p)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    box_refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    dev_x, dev_y = ctypes.c_int(), ctypes.c_int()
    dev_refs = ctypes.byref(dev_x), ctypes.byref(dev_y)

    scans: list[PageScan] = []
    pdf = pdfium.PdfDocument(str(pdf_path), password=password or None)
    try:
        for i in range(len(pdf)):
            if stop is not None and stop.is_set():
                break
            page = pdf[i]
            width, height = page.get_size()
            textpage = page.get_textpage()
            tp, pg = handle(textpage.raw), handle(page.raw)
            chars: list[tuple[float, float]] = []
            # device space of a render at 100x: top-left origin, the page's /Rotate and crop box applied
            size_x, size_y = round(width * 100), round(height * 100)
            for k in range(textpage.count_chars()):
                if is_generated(tp, k) == 1:
                    continue
                code = get_unicode(tp, k)
                if code == 0 or chr(code).isspace():
                    continue
                if not char_box(tp, k, *box_refs):
                    continue
                cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
                to_device(pg, 0, 0, size_x, size_y, 0, cx, cy, *dev_refs)
                chars.append((dev_x.value / 100, dev_y.value / 100))
            textpage.close()
            buf = io.BytesIO()
            # 256 colours: a quarter of the bytes of a full-colour PNG, text and rules stay crisp. Drawn
            # in RGB byte order (the same pixels as pdfium's BGR, tests/test_review_render.py): the image
            # is then copied as it is instead of swapped byte by byte
            bitmap = page.render(scale=scale, rev_byteorder=True)
            image = bitmap.to_pil().quantize(colors=256, method=Image.Quantize.FASTOCTREE)
            image.save(buf, format="PNG")
            put(page_file(i + 1), buf.getvalue())
            scans.append(PageScan(i + 1, float(width), float(height), Points(chars)))
            page.close()
    finally:
        pdf.close()
    return scans


class _ParentGone:
    """The render child's stop: its parent (the run) has ended, however it ended."""

    def __init__(self) -> None:
        self._parent = os.getppid()

    def is_set(self) -> bool:
        return os.getppid() != self._parent


SCANS_FILE = "scans.pickle"  # the render child's scans, beside its PNGs


def render_child(conn: Any, pdf_path: Path, scale: float, password: str | None, folder: str) -> None:
    """The render process: the PNGs written into `folder` under their page file names and the scans
    pickled into its SCANS_FILE one by one, then ("ok", SCANS_FILE) or ("error", exception) sent on
    `conn`. The scans go by file, a page at a time: as one message the ~6 MB of a 1,000-page report's
    character centres were received whole before they were unpickled (+10 MB), and one pickle of them
    all keeps every page's bytes (its memo) until the last is read."""
    target = Path(folder)

    def put(name: str, data: bytes) -> None:
        (target / name).write_bytes(data)

    try:
        scans = scan_pages(pdf_path, put, scale, password, _ParentGone())
        with (target / SCANS_FILE).open("wb") as fh:
            for scan in scans:
                pickle.dump(scan, fh, protocol=pickle.HIGHEST_PROTOCOL)
        answer: tuple[str, Any] = ("ok", SCANS_FILE)
    except Exception as exc:
        answer = ("error", exc)
    try:
        try:
            conn.send(answer)
        except (pickle.PicklingError, TypeError, AttributeError):  # an exception that does not pickle: its text
            conn.send(("error", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}")))
    except OSError:  # the run let the render go (cancelled, or ended): no one to tell
        pass
    finally:
        conn.close()


def _end_child(proc: Any) -> None:
    if proc.is_alive():
        proc.kill()
        proc.join()


def separate_process_allowed() -> bool:
    """A render process may be started here (a daemonic process may have no children)."""
    return not multiprocessing.current_process().daemon


class PageRender:
    """`page_scans` of one PDF in a child process (or a background thread where none may start):
    `start()` it, then `result()` (its value, or its error raised here) or `cancel()` (stop and wait).

    In a process it may start while this process reads the PDF with pdfium (`start_process`, what the
    load stage does first); in a thread only once nothing else calls pdfium (`start`)."""

    __slots__ = (
        "__weakref__",
        "_args",
        "_conn",
        "_error",
        "_folder",
        "_proc",
        "_result",
        "_stop",
        "_thread",
        "separate",
    )

    def __init__(self, pdf_path: Path, scale: float = DEFAULT_SCALE, password: str | None = None) -> None:
        self._args = (Path(pdf_path), scale, password)  # the password is never shown in a repr
        self._stop = threading.Event()
        self._result: Scans | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._proc: Any = None
        self._conn: Any = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self.separate = separate_process_allowed()

    def __repr__(self) -> str:
        return f"PageRender({self._args[0]})"

    def start(self) -> PageRender:
        """Start drawing: in a process when one may start, else in a thread (pdfium then belongs to it)."""
        if not self.start_process():
            self._thread = threading.Thread(target=self._run, name="nianbao-review-render", daemon=True)
            self._thread.start()
        return self

    def start_process(self) -> bool:
        """Start drawing in a child process; False (and `separate` False) when none may or could start."""
        if not self.separate:
            return False
        ctx = multiprocessing.get_context("spawn")  # nothing inherited: safe whatever threads run here
        self._folder = tempfile.TemporaryDirectory(prefix="nianbao-spill-")
        receive, send = ctx.Pipe(duplex=False)
        self._conn = receive
        self._proc = ctx.Process(
            target=render_child,
            args=(send, *self._args, self._folder.name),
            name="nianbao-review-render",
            daemon=True,
        )
        try:
            self._proc.start()
        except Exception:  # no process could be started: the caller draws in a thread instead
            self._proc = None
            self._end_process()
            self.separate = False
            return False
        finally:
            send.close()
        weakref.finalize(self, _end_child, self._proc)  # a render let go without result() or cancel()
        return True

    def _run(self) -> None:
        try:
            self._result = page_scans(*self._args, stop=self._stop)
        except BaseException as exc:  # raised by result(), in the review stage
            self._error = exc

    def result(self) -> Scans:
        if self._proc is not None:
            return self._collect()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        if self._result is None or self._stop.is_set():
            raise RuntimeError("the page render was cancelled")
        return self._result

    def _collect(self) -> Scans:
        """The child's scans with its images (adopted, not copied); rendered here if it died without a word."""
        if self._stop.is_set():
            raise RuntimeError("the page render was cancelled")
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            message = None
        folder = self._folder
        self._proc.join()
        self._proc, self._folder = None, None
        self._conn.close()
        if message is None or folder is None:  # the child died (killed, out of memory): draw them here
            if folder is not None:
                folder.cleanup()
            return page_scans(*self._args)
        kind, value = message
        if kind == "error":
            folder.cleanup()
            raise value
        pickled = Path(folder.name) / value
        scans: list[PageScan] = []
        with pickled.open("rb") as fh:
            while fh.peek(1):
                scans.append(pickle.load(fh))
        pickled.unlink()
        return scans, SpilledFiles(folder, {page_file(s.page): page_file(s.page) for s in scans})

    def cancel(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._end_process()

    def _end_process(self) -> None:
        if self._proc is not None:
            _end_child(self._proc)
            self._proc = None
        if self._conn is not None:
            self._conn.close()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


# ---------------------------------------------------------------- folder → files


def source_pdf(doc: Document, pdf: Path | None = None) -> Path:
    """The PDF the document was made from: `pdf` if given, else source.path (relative to the cwd)."""
    path = pdf if pdf is not None else Path(doc.source.path)
    if not path.is_file():
        hint = "" if pdf is not None else " (give its path with --pdf)"
        raise ReviewError(f"source PDF {path} not found{hint}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != doc.source.sha256:
        raise ReviewError(f"{path} is not the PDF {doc.doc_id} was made from (sha256 differs)")
    return path


def read_folder(folder: Path) -> tuple[Document, dict[str, Any] | None]:
    """document.json (required) and validation.json (optional) of a written document folder."""
    path = folder / "document.json"
    if not folder.is_dir():
        raise ReviewError(f"{folder}: no such folder")
    if not path.is_file():
        raise ReviewError(f"{folder}: no document.json (is this an output/<doc_id> folder?)")
    try:
        doc = Document.load(json.loads(path.read_text(encoding="utf-8")))
        vpath = folder / "validation.json"
        validation = json.loads(vpath.read_text(encoding="utf-8")) if vpath.is_file() else None
    except ValueError as exc:  # JSON and pydantic errors
        raise ReviewError(f"{path}: {' '.join(str(exc).split())[:200]}") from exc
    return doc, validation


def review_files(
    doc: Document,
    pdf_path: Path,
    validation: dict[str, Any] | None = None,
    *,
    scale: float = DEFAULT_SCALE,
    password: str | None = None,
    rendered: Scans | None = None,
) -> Mapping[str, bytes]:
    """The files of the review folder, keyed `review/<name>` (usable as emit's extra_files, read one at a
    time from a temporary folder); `rendered`: the `page_scans` of `pdf_path` at `scale`, when already made."""
    from .review_html import review_html_parts

    scans, images = rendered if rendered is not None else page_scans(pdf_path, scale, password)
    model = review_model(doc, scans, validation)
    files = images.prefixed(f"{REVIEW_DIR}/")
    files.add_text(f"{REVIEW_DIR}/{INDEX}", review_html_parts(model, page_file))
    return files


def write_review(folder: Path, pdf: Path | None = None, *, scale: float = DEFAULT_SCALE) -> Path:
    """Build `<folder>/review/` from the folder's files and the source PDF; return index.html's path.

    The new folder is written beside the old one and swapped in, so a failed run keeps the
    previous review.
    """
    doc, validation = read_folder(folder)
    files = review_files(doc, source_pdf(doc, pdf), validation, scale=scale)
    tmp = folder / f".{REVIEW_DIR}-tmp-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        for rel, data in files.items():
            (tmp / Path(rel).name).write_bytes(data)
        final = folder / REVIEW_DIR
        aside = folder / f".{REVIEW_DIR}-old-{secrets.token_hex(4)}"
        if final.exists():
            final.rename(aside)
        os.replace(tmp, final)
        shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final / INDEX
