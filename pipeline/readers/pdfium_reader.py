"""The fast reader: pdfium (pypdfium2) text pages and page objects, in pdfplumber's terms.

pdfium's text page gives each character's unicode, origin, matrix and text object; the box is
rebuilt as pdfminer builds it (origin to origin + advance, descent to descent + font size, in the
page's rotated, MediaBox-relative space), with the advance from the font's widths and the
descent from the font descriptor (`fonts.FontTable`). Paths are split into subpaths and
classified as pdfminer does (a single segment is a line, a closed axis-aligned four-sided
subpath a rectangle), so the same rules and boxes follow; images are their placed unit squares.

What pdfium's text page does differently, and how it is undone: it generates spaces and line
breaks (dropped: `IsGenerated`); marks a hyphen that ends a line as U+0002 (read back as "-");
splits ligatures into pieces at one origin (joined again); keeps one space of a run, drops spaces
that end a text object and skips objects holding only a space (put back from the objects'
bounds, see `_object_spaces` and `_unlisted_objects`); drops a glyph repeated at nearly the same
place (put back from the earlier glyph, `_repeats`) or a text object repeated over the previous
one (fake bold: pdfplumber keeps those, the layout's de-duplication drops them); and lists the
/ActualText of a marked-content span instead of the glyphs drawn (the span's ActualText is
removed from the page in memory before the text page is built: pdfminer reads the glyphs). Font
names, descents and flags come from the same font dictionaries pdfminer reads (`fonts.FontTable`),
so both readers name and weigh fonts alike. Each glyph's render mode, clip (the bounding box of
the clipping paths in force) and place in the drawing order come from its text object, as
`pipeline.glyph_paint` notes them for pdfplumber, so `pipeline.visibility` drops the same hidden
text; where pdfium dropped a text object's clip (one rectangle holding its ink), the clip is read
back from the content stream (`clips`), so a space past a table cell's edge is clipped as for
pdfminer. Positions are computed in double precision as pdfminer computes them from the decimals
written: pdfium's floats read back as those decimals (`decimal`; under a top-down `cm` the y
written, `written_y`), a glyph that follows the previous one by its advance placed at the double
sum, the glyph matrix and widths snapped to their decimals.
"""

from __future__ import annotations

import ctypes
import itertools
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..charpack import with_rows
from ..errors import InputError, encrypted_pdf
from ..load import (
    PageData,
    RectShape,
    Segment,
    font_is_bold,
    font_is_italic,
    font_name,
    keep_char,
    rules_and_boxes,
)
from ..orient import quarter_turn
from .clips import UserBox, text_clips
from .fonts import FLAG_FORCE_BOLD, FLAG_ITALIC, FontTable, PageDict, open_page_dicts
from .matrix import IDENTITY, Matrix, apply, mult
from .pdfium_ffi import Pointer, c_function, handle

Box = tuple[float, float, float, float]  # x0, top, x1, bottom on the page
HYPHEN_MARK = 0x2  # pdfium's code for a hyphen that ends a line
_NOT_TEXT = frozenset((0, 0xFFFE, 0xFFFF))
_GENERATED = frozenset((0x20, 0x0D, 0x0A))  # what pdfium's text page may generate: spaces and line breaks
ACTUAL_TEXT = b"ActualText"
_F32 = struct.Struct("f")


def decimal(value: float) -> float:
    """The shortest decimal that pdfium's single-precision `value` stands for (644.6049720… → 644.605).

    pdfium keeps positions in floats, pdfminer in doubles parsed from the content stream's decimals:
    read back as the decimal written, a position agrees with pdfminer's to ~1e-12 instead of ~1e-5
    (enough to move a rounded figure's last digit). Where pdfium computed the value in floats from
    other decimals, see `written_y` (a flipping `cm`) and `_listed_chars` (a glyph after the previous)."""
    pack, unpack = _F32.pack, _F32.unpack
    single: float = unpack(pack(value))[0]
    size = abs(single)
    whole = 1 if size < 10 else 2 if size < 100 else 3 if size < 1000 else len(str(int(size)))
    for digits in (7, 8):  # significant digits: a float holds 7.2
        shorter: float = round(single, digits - whole)
        if unpack(pack(shorter))[0] == single:
            return shorter
    return single


def f32(value: float) -> float:
    """`value` rounded to single precision (as pdfium stores it)."""
    single: float = _F32.unpack(_F32.pack(value))[0]
    return single


def written_y(value: float, flip: float) -> float:
    """A y position as pdfminer computes it from the decimals written, where the page may be drawn top-down.

    Under `1 0 0 -1 0 H cm` pdfium stores fl(fl(H) - fl(y)) in single precision, whose own decimal is
    ~3e-5 from pdfminer's H - y in doubles. The y written is the shortest decimal (to 4 places) that
    gives back pdfium's value that way; taken when it is shorter than the value's own decimal."""
    direct = decimal(value)
    if not flip:
        return direct
    h = f32(flip)
    t = h - value
    places = len(repr(direct).partition(".")[2])
    for k in range(min(places, 5)):
        written = round(t, k)
        if f32(h - f32(written)) == value:
            return flip - written
    return direct


def intersect(a: Box | None, b: Box | None) -> Box | None:
    """The overlap of two clip boxes (None: no clip); an empty overlap stays a box that holds nothing."""
    if a is None or b is None:
        return b if a is None else a
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


@dataclass(frozen=True, slots=True)
class PageSpace:
    """From PDF user space to pdfplumber's coordinates (x, top) on one page.

    pdfminer maps the MediaBox to the origin and applies /Rotate (its `ctm`); pdfplumber then
    flips y against the page height and shifts by the normalised MediaBox.
    """

    ctm: Matrix  # user space → pdfminer's device space
    to_page: Matrix  # user space → (x, top): the ctm, then top = top_base - device y, x shifted
    width: float
    height: float
    flip: float = 0.0  # the y a top-down `cm` (1 0 0 -1 0 flip) mirrors user space about: the MediaBox's y0 + y1

    @classmethod
    def of(cls, mediabox: tuple[float, float, float, float], rotation: int) -> PageSpace:
        x0, y0, x1, y1 = mediabox
        ctm: Matrix
        if rotation == 90:
            ctm = (0, -1, 1, 0, -y0, x1)
        elif rotation == 180:
            ctm = (-1, 0, 0, -1, x1, y1)
        elif rotation == 270:
            ctm = (0, 1, -1, 0, y1, -x0)
        else:
            ctm = (1, 0, 0, 1, -x0, -y0)
        nx0, nx1 = sorted((x0, x1))
        ny0, ny1 = sorted((y0, y1))
        if rotation in (90, 270):
            nx0, ny0, nx1, ny1 = ny0, nx0, ny1, nx1
        height = ny1 - ny0
        to_page = mult(ctm, (1.0, 0.0, 0.0, -1.0, nx0, 2 * height - ny1))
        return cls(ctm, to_page, nx1 - nx0, height, y0 + y1)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return apply(self.to_page, x, y)

    def box(self, m: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """The (x0, top, x1, bottom) box around a rectangle given in the space `m` maps to user space."""
        xs: list[float] = []
        ts: list[float] = []
        for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            px, pt = self.point(*apply(m, x, y))
            xs.append(px)
            ts.append(pt)
        return min(xs), min(ts), max(xs), max(ts)


# ---------------------------------------------------------------- characters


@dataclass(slots=True)
class _Font:
    """What the characters of one font share (read once per document)."""

    name: str
    bold: bool
    italic: bool
    descent: float  # per unit of font size, <= 0
    handle: object
    widths: dict[str, float] = field(default_factory=dict)  # advance per unit of font size, by char

    def advance(self, text: str) -> float:
        """The glyph's advance per unit of font size from the font's widths; -1 when unknown."""
        w = self.widths.get(text)
        if w is None:
            width = ctypes.c_float()
            ok = len(text) == 1 and raw.FPDFFont_GetGlyphWidth(self.handle, ord(text), 1.0, width)
            # pdfminer's width: the font's number (in 1/1000 em) times 0.001, here from pdfium's float
            w = self.widths[text] = round(width.value * 1000, 3) * 0.001 if ok and width.value > 0 else -1.0
        return w


@dataclass(slots=True)
class _TextObject:
    """What the characters of one text object share (read once per object)."""

    font: _Font
    fill: str | None
    size: float
    matrix: Matrix  # text space (font size excluded) → user space; e, f unused
    turn: int  # quarter turns it is written in on the page (pipeline/orient.py)
    address: int
    paint: Paint


class Paint(NamedTuple):
    """How a text object is painted, as pdfplumber's `ModePage` notes it for each glyph."""

    seq: int  # its place in the page's drawing order (from 1; shapes share the count)
    mode: int  # the text render mode (Tr)
    clip: Box | None  # the bounding box of the clipping paths in force, on the page (x0, top, x1, bottom)


NO_PAINT = Paint(0, 0, None)
new_tuple = tuple.__new__  # a NamedTuple made from a tuple of its fields (per text object, twice)

# How far from where it should be a glyph may sit and still be where it should (`_repeats`), and how
# far past a glyph's advance an object's bounds must reach to hold a space pdfium dropped
# (`_object_spaces`); `_space_runs` decides a one-glyph object with the same values.
REPEAT_TOLERANCE = 0.25  # of the em: a glyph within it of a spot is at that spot
REPEAT_ROOM = 0.2  # of that tolerance: a gap wider than this may hold a dropped glyph (a full stop is a quarter em)
SPACE_PAST = 0.3  # of a space's step: bounds reaching this far past the last advance hold a trailing space
SPACE_MIN_STEP = 0.1  # points: a space step this small (or none) puts no space back


def _font_name(handle: object) -> str:
    n = raw.FPDFFont_GetBaseFontName(handle, None, 0)
    buf = ctypes.create_string_buffer(max(n, 1))
    raw.FPDFFont_GetBaseFontName(handle, buf, n)
    data = buf.raw[: max(0, n - 1)]
    for encoding in ("utf-8", "gbk"):
        try:
            return font_name(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return font_name(data.decode("latin-1"))


def _read_font(handle: object, fonts: FontTable) -> _Font:
    if not handle:
        return _Font("", False, False, 0.0, handle)
    name = _font_name(handle)
    facts = fonts.get(name)
    if facts is not None:
        name, descent, force_bold, italic = facts.name, facts.descent, facts.force_bold, facts.italic
    else:
        d, angle = ctypes.c_float(), ctypes.c_int()
        descent = -abs(d.value) if raw.FPDFFont_GetDescent(handle, 1.0, d) else 0.0
        flags = max(0, raw.FPDFFont_GetFlags(handle))
        force_bold = bool(flags & FLAG_FORCE_BOLD)
        italic = bool(flags & FLAG_ITALIC) or bool(raw.FPDFFont_GetItalicAngle(handle, angle) and angle.value)
    return _Font(name, font_is_bold(name) or force_bold, font_is_italic(name) or italic, descent, handle)


@dataclass(slots=True)
class _Reader:
    """One document's fonts while its characters are read."""

    fonts: FontTable
    calls: _Calls
    cache: dict[int, _Font] = field(default_factory=dict)
    decimals: dict[float, float] = field(default_factory=dict)  # pdfium's floats → the decimals written
    written: dict[float, dict[float, float]] = field(default_factory=dict)  # y positions (`written_y`), by flip
    turns: dict[Matrix, dict[Matrix, int]] = field(default_factory=dict)  # by page ctm, then glyph matrix
    matrices: dict[tuple[float, float, float, float], Matrix] = field(default_factory=dict)

    def matrix(self, fm: Any) -> Matrix:
        """A glyph matrix (a, b, c, d of an FS_MATRIX) as the decimals written, e and f left out."""
        key = (fm.a, fm.b, fm.c, fm.d)
        m = self.matrices.get(key)
        if m is None:
            m = self.matrices[key] = (decimal(fm.a), decimal(fm.b), decimal(fm.c), decimal(fm.d), 0.0, 0.0)
        return m

    def font(self, address: int) -> _Font:
        font = self.cache.get(address)
        if font is None:
            handle = ctypes.cast(address, raw.FPDF_FONT) if address else None
            font = self.cache[address] = _read_font(handle, self.fonts)
        return font

    def text_object(self, address: int, matrix: Matrix, space: PageSpace, paints: dict[int, Paint]) -> _TextObject:
        calls = self.calls
        turns = self.turns.get(space.ctm)
        if turns is None:
            turns = self.turns[space.ctm] = {}
        turn = turns.get(matrix)
        if turn is None:
            a, b, c, d, _, _ = mult(matrix, space.ctm)
            turn = turns[matrix] = quarter_turn(a, b, c, d)
        font_address = calls.object_font(address) or 0
        font = self.cache.get(font_address) or self.font(font_address)
        paint = paints.get(address, NO_PAINT)
        return _TextObject(font, calls.fill(address), calls.size(address), matrix, turn, address, paint)


class _Calls:
    """The per-character pdfium calls with plain addresses for handles (`pdfium_ffi`). The text
    page's (`unicode` … `matrix`) run once or more per character and take no argument types: the
    text page is passed as one `handle`, the index as an int, results as `byref`s."""

    def __init__(self) -> None:
        vp, i = ctypes.c_void_p, ctypes.c_int
        self.count = c_function("FPDFText_CountChars", i, vp)
        self.unicode = c_function("FPDFText_GetUnicode", ctypes.c_uint)
        self.generated = c_function("FPDFText_IsGenerated", i)
        self.text_object = c_function("FPDFText_GetTextObject", vp)
        self.origin = c_function("FPDFText_GetCharOrigin", i)  # (page, index, byref double x, byref double y)
        self.loose_box = c_function("FPDFText_GetLooseCharBox", i)  # (page, index, byref FS_RECTF)
        self.matrix = c_function("FPDFText_GetMatrix", i)  # (page, index, byref FS_MATRIX)
        self.object_font = c_function("FPDFTextObj_GetFont", vp, vp)
        # unchecked (the object as a `c_void_p`, results by `byref`): once or more per text object
        self.font_size = c_function("FPDFTextObj_GetFontSize", i)
        self.fill_colour = c_function("FPDFPageObj_GetFillColor", i)
        self.object_bounds = c_function("FPDFPageObj_GetBounds", i)
        self.object_matrix = c_function("FPDFPageObj_GetMatrix", i)
        self.page_object = c_function("FPDFPage_GetObject", Pointer)  # (the page as a `c_void_p`, index)
        self.count_segments = c_function("FPDFPath_CountSegments", i, vp)
        self.segment = c_function("FPDFPath_GetPathSegment", Pointer, vp, i)
        self.segment_type = c_function("FPDFPathSegment_GetType", i, vp)
        self.segment_point = c_function("FPDFPathSegment_GetPoint", i)  # (a `Pointer` segment, byref x, byref y)
        self.segment_close = c_function("FPDFPathSegment_GetClose", i, vp)
        self.count_marks = c_function("FPDFPageObj_CountMarks", i, vp)
        self.mark = c_function("FPDFPageObj_GetMark", vp, vp, ctypes.c_ulong)
        self.param_type = c_function("FPDFPageObjMark_GetParamValueType", i, vp, ctypes.c_char_p)
        self.remove_param = c_function("FPDFPageObjMark_RemoveParam", i, vp, vp, ctypes.c_char_p)
        self.render_mode = c_function("FPDFTextObj_GetTextRenderMode", i, vp)
        self.clip_path = c_function("FPDFPageObj_GetClipPath", vp, vp)
        self.clip_paths = c_function("FPDFClipPath_CountPaths", i, vp)
        self.clip_segments = c_function("FPDFClipPath_CountPathSegments", i, vp, i)
        self.clip_segment = c_function("FPDFClipPath_GetPathSegment", Pointer, vp, i, i)
        ip = ctypes.POINTER(ctypes.c_int)
        self.form_object = c_function("FPDFFormObj_GetObject", Pointer, vp, ctypes.c_ulong)
        self.form_count = c_function("FPDFFormObj_CountObjects", i, vp)
        self.object_type = c_function("FPDFPageObj_GetType", i, vp)
        self.draw_mode = c_function("FPDFPath_GetDrawMode", i, vp, ip, ip)
        self._fm = raw.FS_MATRIX()
        self._fm_ref = ctypes.byref(self._fm)
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._rgba_refs = [ctypes.byref(v) for v in self._rgba]
        self._colours: dict[tuple[int, int, int], str] = {}
        self._size = ctypes.c_float()
        self._size_ref = ctypes.byref(self._size)
        self._box = [ctypes.c_float() for _ in range(4)]
        self._box_refs = [ctypes.byref(v) for v in self._box]

    def matrix_of(self, obj: int) -> Matrix:
        """A page object's matrix (identity when pdfium has none)."""
        fm = self._fm
        if not self.object_matrix(ctypes.c_void_p(obj), self._fm_ref):
            return IDENTITY
        return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)

    def fill(self, obj: int) -> str | None:
        r, g, b, alpha = self._rgba_refs
        if not self.fill_colour(ctypes.c_void_p(obj), r, g, b, alpha):
            return None
        rgb = (self._rgba[0].value, self._rgba[1].value, self._rgba[2].value)
        colour = self._colours.get(rgb)
        if colour is None:
            colour = self._colours[rgb] = "#{:02x}{:02x}{:02x}".format(*rgb)
        return colour

    def size(self, obj: int) -> float:
        return self._size.value if self.font_size(ctypes.c_void_p(obj), self._size_ref) else 0.0

    def bounds(self, obj: int) -> tuple[float, float, float, float] | None:
        """left, bottom, right, top of a page object in user space."""
        r0, r1, r2, r3 = self._box_refs
        if not self.object_bounds(ctypes.c_void_p(obj), r0, r1, r2, r3):
            return None
        left, bottom, right, top = self._box
        return left.value, bottom.value, right.value, top.value

    def clip(self, obj: int, m: Matrix, space: PageSpace) -> Box | None:
        """The bounding box on the page of the object's clipping paths (each given in the space `m` maps to
        user space), intersected as pdfminer's interpreter in `glyph_paint` does; None: no clip."""
        clip = self.clip_path(obj)
        if not clip:
            return None
        box: Box | None = None
        x, y = ctypes.c_float(), ctypes.c_float()
        px, py = ctypes.byref(x), ctypes.byref(y)
        for k in range(max(0, self.clip_paths(clip))):
            xs: list[float] = []
            ts: list[float] = []
            for j in range(max(0, self.clip_segments(clip, k))):
                seg = self.clip_segment(clip, k, j)
                if seg and self.segment_point(seg, px, py):
                    u, t = space.point(*apply(m, x.value, y.value))
                    xs.append(u)
                    ts.append(t)
            if xs:
                box = intersect(box, (min(xs), min(ts), max(xs), max(ts)))
        return box

    def drop_actual_text(self, obj: int) -> None:
        """Remove /ActualText from the marked-content spans around a text object, before the text page is
        built: pdfium's text page would list the span's replacement text instead of the glyphs' own
        (and skip the span's later objects); pdfminer reads the glyphs (the page's copy in memory only)."""
        for k in range(self.count_marks(obj)):
            mark = self.mark(obj, k)
            if mark and self.param_type(mark, ACTUAL_TEXT) != raw.FPDF_OBJECT_UNKNOWN:
                self.remove_param(obj, mark, ACTUAL_TEXT)


# one character as pdfium lists it: text, text object address, origin x, y, advance (-1: unknown),
# index in the text page (-1: not listed there)
_Listed = tuple[str, int, float, float, float, int]
# one text object's facts and glyphs, in the order the text page lists them; a page's groups are in
# the order their objects' first glyphs come (the glyphs' order on the page)
_Group = tuple[_TextObject, list[_Listed]]


def _listed_chars(
    textpage: Any, calls: _Calls, reader: _Reader, space: PageSpace, paints: dict[int, Paint]
) -> dict[int, _Group]:
    """The text page's characters by text object, generated spaces and line breaks left out, ligature
    pieces joined; each with its advance (`_advance`) and, where it follows the previous glyph by that
    alone, placed as pdfminer places it: at the previous origin plus the advance, in doubles (pdfium
    adds them in floats: 72.12 + 14.05 → 86.170006).

    A glyph is held until the next one shows it is not a ligature's first piece; a ligature's pieces,
    and a glyph that follows another by its advance, are of one text object, so the held glyph is let
    go where the object changes, and what the object's glyphs share is looked up once there.
    """
    tp = handle(textpage)  # passed as is to the unchecked calls (`pdfium_ffi`)
    n = calls.count(tp)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    rect = raw.FS_RECTF()
    fm = raw.FS_MATRIX()
    pfm = ctypes.byref(fm)
    unicode, generated, text_object, origin = calls.unicode, calls.generated, calls.text_object, calls.origin
    not_text, maybe_generated = _NOT_TEXT, _GENERATED
    groups: dict[int, _Group] = {}
    xs = reader.decimals  # lines and columns repeat their positions
    ys = reader.written.setdefault(space.flip, {})  # as written under this page's flip
    flip = space.flip
    # the current text object: its group, and its matrix's a where it is set along x
    current = -1
    info: _TextObject | None = None
    chars: list[_Listed] = []
    a = 0.0
    axis = False
    # the held glyph (of the current object; index -1: none)
    held_text = ""
    held_x = held_y = held_rx = held_ry = 0.0
    held = -1
    for i in range(n):
        u = unicode(tp, i)
        if u <= 0x20 or u >= 0xFFFE:  # the codes of pdfium's marks and of what it generates
            if u in not_text:
                continue
            if u == HYPHEN_MARK:
                text = "-"
            else:
                text = chr(u)
                if u in maybe_generated and generated(tp, i):
                    continue
        else:
            text = chr(u)
        address = text_object(tp, i)
        if address != current:
            if not address:
                continue
            if held >= 0 and info is not None:
                adv = _advance(held_text, info, calls, tp, held, rect)
                chars.append((held_text, current, held_x, held_y, adv, held))
                held = -1
            group = groups.get(address)
            if group is None:
                calls.matrix(tp, i, pfm)
                group = groups[address] = (reader.text_object(address, reader.matrix(fm), space, paints), [])
            info, chars = group
            a, b, c, _, _, _ = info.matrix
            axis = b == 0 and c == 0
            current = address
        origin(tp, i, pox, poy)
        rx = ox.value
        ry = oy.value
        if held >= 0 and held_rx == rx and held_ry == ry:
            held_text += text  # a ligature's pieces share one origin
            continue
        y = ys.get(ry)
        if y is None:
            y = ys[ry] = written_y(ry, flip)
        x = None
        if held >= 0 and info is not None:
            adv = _advance(held_text, info, calls, tp, held, rect)
            chars.append((held_text, address, held_x, held_y, adv, held))
            if axis and held_y == y and adv > 0:
                following = held_x + a * adv
                scale = abs(rx)
                if abs(following - rx) <= 1e-6 * (scale if scale > 1.0 else 1.0):
                    x = following
        if x is None:
            x = xs.get(rx)
            if x is None:
                x = xs[rx] = decimal(rx)
        held_text, held_x, held_y, held_rx, held_ry, held = text, x, y, rx, ry, i
    if held >= 0 and info is not None:
        adv = _advance(held_text, info, calls, tp, held, rect)
        chars.append((held_text, current, held_x, held_y, adv, held))
    return groups


def _advance(text: str, info: _TextObject, calls: _Calls, tp: Any, index: int, rect: Any) -> float:
    """The advance in text space: the font's width for the char, else pdfium's loose box width."""
    if len(text) == 1:
        font = info.font
        w = font.widths.get(text)
        if w is None:
            w = font.advance(text)
        if w > 0:
            return w * info.size
    calls.loose_box(tp, index, ctypes.byref(rect))
    a, b = info.matrix[0], info.matrix[1]
    width: float = abs(rect.right - rect.left)
    return width / ((a * a + b * b) ** 0.5 or 1.0)


def _gaps(chars: list[_Listed], a: float) -> list[float]:
    """The room between each glyph's advance and the next glyph's origin (Tc and TJ adjustments, or a
    glyph pdfium left out), in listed order. Gaps after a space are left out: they may hold the
    spaces pdfium dropped."""
    return [n[2] - c[2] - a * c[4] for c, n in itertools.pairwise(chars) if c[4] > 0 and c[0] != " "]


def _object_spaces(
    chars: list[_Listed],
    info: _TextObject,
    gaps: list[float],
    bounds: tuple[float, float, float, float] | None,
    ink_right: Callable[[int], float],
) -> list[_Listed]:
    """The spaces of one text object that pdfium's text page leaves out, at their origins.

    pdfium keeps one space of a run and drops the others, and drops spaces that end an object. A
    space has no ink but still reaches the object's bounds (they run to its origin), so runs are
    counted between a kept space and the next glyph, and trailing spaces back from the bounds.
    Only for text set along the x axis; `gaps` are the object's (`_gaps`), whose median is the
    extra space the object sets after each glyph.
    """
    a, b, c, _, _, _ = info.matrix
    space_adv = info.font.advance(" ") * info.size
    if b != 0 or c != 0 or a <= 0 or space_adv <= 0:
        return []
    extra = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    step = a * space_adv + extra
    if step <= SPACE_MIN_STEP:
        return []
    address, y = chars[0][1], chars[0][3]
    out: list[_Listed] = []
    for k in [k for k, ch in enumerate(chars[:-1]) if ch[0] == " "]:
        cur, nxt = chars[k], chars[k + 1]
        fits = (nxt[2] - cur[2]) / step
        n = round(fits)
        if n >= 2 and abs(fits - n) <= 0.35:  # evenly between: positions may vary a little
            for j in range(1, n):
                out.append((" ", address, cur[2] + j * (nxt[2] - cur[2]) / n, y, space_adv, -1))
    if bounds is None:
        return out
    last = chars[-1]
    right = bounds[2]
    if last[0] == " ":
        fits = (right - last[2]) / step
        count = round(fits) if abs(fits - round(fits)) <= 0.35 else 0
    elif right > last[2] + a * last[4] + SPACE_PAST * step and last[5] >= 0 and right > ink_right(last[5]) + 0.05:
        # past the last glyph's advance and ink: the origin of a space (ink may overshoot a little)
        count = 1 + int((right - (last[2] + a * last[4] + extra) + 0.25 * step) // step)
        right += step  # the last space sits at the bounds' right edge
    else:
        count = 0
    if last[0] == " " and count:
        step = (right - last[2]) / count  # evenly from the kept space to the last one
    for j in range(count, 0, -1):
        out.append(
            (" ", address, right - j * step if last[0] != " " else last[2] + (count - j + 1) * step, y, space_adv, -1)
        )
    return out


def _space_runs(
    groups: dict[int, _Group], calls: _Calls, ink_right: Callable[[int], float], found: _Objects
) -> dict[int, _Group]:
    """The listed characters, the glyphs pdfium dropped as repeats and the spaces it dropped, object by object."""
    lines: dict[int, list[tuple[_Listed, int]]] = {}

    def by_line() -> dict[int, list[tuple[_Listed, int]]]:
        """The page's listed glyphs and their drawing order by rounded y, in the text page's order (made
        when first asked for)."""
        if not lines:
            runs = list(groups.values())
            glyphs = [(item, info.paint.seq) for info, chars in runs for item in chars if item[0] != " "]
            if any(one[-1][5] > other[0][5] for (_, one), (_, other) in itertools.pairwise(runs)):
                glyphs.sort(key=lambda glyph: glyph[0][5])  # an object's glyphs came in more than one run
            for glyph in glyphs:
                key = round(glyph[0][3])
                line = lines.get(key)
                if line is None:
                    line = lines[key] = []
                line.append(glyph)
        return lines

    out: dict[int, _Group] = {}
    bounds_of, recorded, origin_of = calls.bounds, found.bounds, found.origin
    for address, group in groups.items():
        info, chars = group
        bounds = recorded[address] = bounds_of(address)
        a, b, c, _, _, _ = info.matrix
        if b != 0 or c != 0 or a <= 0:
            out[address] = group
            continue
        if len(chars) == 1 and bounds is not None:  # a page set glyph by glyph: most of its objects
            text, _, x, _, adv, _ = chars[0]
            tol = REPEAT_TOLERANCE * a * info.size
            room = REPEAT_ROOM * tol
            end = x + a * adv
            if text != " " and adv > 0 and 0.0 <= room and x - bounds[0] <= tol and bounds[2] - end <= room:
                space_adv = info.font.advance(" ") * info.size
                step = a * space_adv
                if space_adv <= 0 or step <= SPACE_MIN_STEP or not bounds[2] > end + SPACE_PAST * step:
                    out[address] = group  # its ink within its advance: nothing left out (as the two below find)
                    continue
        gaps = _gaps(chars, a) if len(chars) > 1 else []
        kept = _repeats(chars, info, gaps, by_line, bounds, origin_of)
        spaces = _object_spaces(kept, info, gaps if kept is chars else _gaps(kept, a), bounds, ink_right)
        out[address] = (info, kept + spaces) if spaces else group if kept is chars else (info, kept)
    return out


def _repeats(
    chars: list[_Listed],
    info: _TextObject,
    gaps: list[float],
    by_line: Callable[[], dict[int, list[tuple[_Listed, int]]]],
    bounds: tuple[float, float, float, float] | None,
    origin_of: Callable[[int], tuple[float, float] | None],
) -> list[_Listed]:
    """The object's glyphs with those pdfium's text page left out put back in place.

    pdfium drops a glyph drawn where an earlier glyph of the same text already is (a number printed
    over a hidden copy of itself: "4.6" in mode 3 over "3.7" loses its "."); pdfminer keeps it. Where
    the next glyph of the object is not where the previous one's advance ends (or the first not at
    the object's origin, or the ink runs past the last), and an earlier glyph of another object sits
    at that spot, the dropped one is that glyph again. Only for text set along the x axis; `gaps` are
    the object's (`_gaps`). The list itself comes back when nothing was left out.
    """
    a = info.matrix[0]
    address, y = chars[0][1], chars[0][3]
    tol = REPEAT_TOLERANCE * a * info.size
    room = REPEAT_ROOM * tol
    widest = max(gaps, default=0.0)
    if widest < 0.0:
        widest = 0.0
    extra = min(gaps) if len(gaps) > 1 else 0.0  # the spacing: a gap holding a dropped glyph is wider
    last = chars[-1]
    end = last[2] + a * last[4] + extra if last[4] > 0 else last[2]
    if widest - extra <= room and (
        bounds is None or (chars[0][2] - bounds[0] <= tol and (last[0] == " " or bounds[2] - end <= room))
    ):
        return chars  # nothing left out (the common case: the ink begins at the first glyph, ends at the last)
    origin = origin_of(address)
    start = origin[0] if origin is not None and abs(origin[1] - y) < tol else chars[0][2]

    def earlier_at(x: float) -> str | None:
        lines = by_line()
        for key in (round(y) - 1, round(y), round(y) + 1):
            for other, seq in lines.get(key, ()):
                if (
                    other[1] != address
                    and seq <= info.paint.seq
                    and abs(other[2] - x) <= tol
                    and abs(other[3] - y) <= tol
                ):
                    return other[0]
        return None

    def fill(x: float, until: float, out: list[_Listed]) -> None:
        while until - x > room:
            text = earlier_at(x)
            adv = info.font.advance(text) * info.size if text is not None else -1.0
            if text is None or adv <= 0:
                return
            out.append((text, address, x, y, adv, -1))
            x += a * adv + extra

    out: list[_Listed] = []
    expected = start
    for ch in chars:
        if ch[0] != " " and (not out or out[-1][0] != " "):
            fill(expected, ch[2], out)
        out.append(ch)
        expected = ch[2] + a * ch[4] + extra if ch[4] > 0 else ch[2]
    if bounds is not None and last[0] != " ":
        fill(expected, bounds[2], out)
    return out if len(out) > len(chars) else chars


def _unlisted_objects(found: _Objects, listed: dict[int, _Group], reader: _Reader, space: PageSpace) -> list[_Group]:
    """The text objects pdfium's text page skips, as pdfplumber reads them.

    An object whose bounds have no width holds only a space (a space has no ink): pdfium lists
    neither its text nor its length, and one space is the common case (a word processor switching
    fonts around it; runs of spaces read as one in the layout anyway). An object drawn again close
    to one of the five before it, in the same font, size and extent (fake bold, or a repeated space)
    is dropped as a duplicate: its characters are that object's, moved by the bounds' offset.
    """
    calls = reader.calls
    texts = found.texts
    out: list[_Group] = []
    for k, (address, outer) in enumerate(texts):
        if address in listed:
            continue
        bounds = found.bounds[address] = calls.bounds(address)
        if bounds is None:
            continue
        if abs(bounds[2] - bounds[0]) < 0.01:
            m = mult(calls.matrix_of(address), outer)
            info = reader.text_object(address, (m[0], m[1], m[2], m[3], 0.0, 0.0), space, found.paints)
            space_adv = max(0.0, info.font.advance(" ")) * info.size
            out.append((info, [(" ", address, decimal(m[4]), decimal(m[5]), space_adv, -1)]))
            continue
        for previous, _ in reversed(texts[max(0, k - 5) : k]):
            copied = listed.get(previous)
            other = found.bounds.get(previous)  # recorded as the listed objects were read
            if copied is None or other is None or not _same_extent(bounds, other):
                continue
            info, chars = copied
            if calls.object_font(address) != calls.object_font(previous) or calls.size(address) != info.size:
                continue
            info = replace(info, address=address, paint=found.paints.get(address, NO_PAINT))
            dx, dy = bounds[0] - other[0], bounds[1] - other[1]
            out.append((info, [(text, address, x + dx, y + dy, adv, -1) for text, _, x, y, adv, _ in chars]))
            break
    return out


def _same_extent(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return abs((a[2] - a[0]) - (b[2] - b[0])) < 0.01 and abs((a[3] - a[1]) - (b[3] - b[1])) < 0.01


def _vertical_objects(groups: list[_Group]) -> set[int]:
    """Text objects written top to bottom (a vertical CID font): two or more glyphs whose origins go down
    one em at a time at one x (lines of one glyph each go down a leading, usually more). pdfium puts a
    vertical glyph's origin at the corner of pdfminer's size x size box; a lone glyph cannot show its
    direction and is placed as horizontal text."""
    vertical: set[int] = set()
    for info, chars in groups:
        if len(chars) < 2:
            continue
        size = info.size
        (_, _, x0, y0, _, _), (_, _, x1, y1, _, _) = chars[0], chars[1]
        if abs(x1 - x0) >= 0.01 or abs(y0 - y1 - size) > 0.05 * size:
            continue  # the first two glyphs do not go down one em (most objects' do not)
        if all(
            abs(q[2] - p[2]) < 0.01 and abs(p[3] - q[3] - size) <= 0.05 * size for p, q in itertools.pairwise(chars)
        ):
            vertical.add(info.address)
    return vertical


# a glyph record as the reader hands it over: a `Char`'s fields in order (`charpack.with_rows`)
Row = tuple[str, float, float, float, float, float, str, bool, bool, "str | None", int, int, bool, bool, float, int]


def _row(listed: _Listed, info: _TextObject, space: PageSpace, vertical: bool = False) -> Row:
    """pdfminer's box: origin to origin + advance, descent to descent + font size, in page space."""
    text, _, x, y, adv, _ = listed
    a, b, c, d, _, _ = info.matrix
    size = info.size
    font = info.font
    lo = 0.0 if vertical else font.descent * size
    hi = lo + size
    pa, pb, pc, pd, pe, pf = space.to_page
    if b == 0 and c == 0 and pb == 0 and pc == 0:  # text along the x axis on an unrotated page
        px0, px1 = pa * x + pe, pa * (x + a * adv) + pe
        t0, t1 = pd * (y + d * lo) + pf, pd * (y + d * hi) + pf
        x0, x1 = (px0, px1) if px0 <= px1 else (px1, px0)
        top, bottom = (t0, t1) if t0 <= t1 else (t1, t0)
    else:
        x0, top, x1, bottom = space.box((a, b, c, d, x, y), 0.0, lo, adv, hi)
    seq, mode, clip = info.paint
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    clipped = clip is not None and not (clip[0] <= cx <= clip[2] and clip[1] <= cy <= clip[3])
    name, bold, italic = font.name, font.bold, font.italic
    return (
        text,
        x0,
        x1,
        top,
        bottom,
        round(bottom - top, 2),
        name,
        bold,
        italic,
        info.fill,
        mode,
        seq,
        clipped,
        False,
        1.0,
        info.turn,
    )


def _axis_rows(groups: list[_Group], space: PageSpace) -> list[Row]:
    """`_row` for many glyphs, what each text object's glyphs share worked out once (the same sums)."""
    pa, pb, pc, pd, pe, pf = space.to_page
    unrotated = pb == 0 and pc == 0
    kept: dict[str, bool] = {}
    heights: dict[float, float] = {}  # box heights to 2 places: an object's glyphs share theirs
    out: list[Row] = []
    append = out.append
    for info, chars in groups:
        a, b, c, d, _, _ = info.matrix
        if not (unrotated and b == 0 and c == 0):
            out.extend(_row(item, info, space) for item in chars if keep_char(item[0]))
            continue
        font = info.font
        lo = font.descent * info.size
        hi = lo + info.size
        dlo, dhi = d * lo, d * hi
        name, bold, italic, fill, turn = font.name, font.bold, font.italic, info.fill, info.turn
        seq, mode, clip = info.paint
        for text, _, x, y, adv, _ in chars:
            keep = kept.get(text)
            if keep is None:
                keep = kept[text] = keep_char(text)
            if not keep:
                continue
            px0, px1 = pa * x + pe, pa * (x + a * adv) + pe
            t0, t1 = pd * (y + dlo) + pf, pd * (y + dhi) + pf
            x0, x1 = (px0, px1) if px0 <= px1 else (px1, px0)
            top, bottom = (t0, t1) if t0 <= t1 else (t1, t0)
            clipped = False
            if clip is not None:
                cx, cy = (x0 + x1) / 2, (top + bottom) / 2
                clipped = not (clip[0] <= cx <= clip[2] and clip[1] <= cy <= clip[3])
            height = bottom - top
            size = heights.get(height)
            if size is None:
                size = heights[height] = round(height, 2)
            append((text, x0, x1, top, bottom, size, name, bold, italic, fill, mode, seq, clipped, False, 1.0, turn))
    return out


def list_chars(textpage: Any, calls: _Calls, reader: _Reader, space: PageSpace, found: _Objects) -> list[_Group]:
    """Every glyph pdfminer reads on the page by text object, with the object's facts (what pdfium left
    out put back)."""
    left, bottom, right, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()

    def ink_right(index: int) -> float:
        raw.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
        return right.value

    listed = _space_runs(_listed_chars(textpage, calls, reader, space, found.paints), calls, ink_right, found)
    return [*listed.values(), *_unlisted_objects(found, listed, reader, space)]


def make_rows(groups: list[_Group], space: PageSpace) -> list[Row]:
    vertical = _vertical_objects(groups)
    if vertical:
        return [  # turned glyphs too: pipeline/orient.py turns the page
            _row(item, info, space, info.address in vertical)
            for info, chars in groups
            for item in chars
            if keep_char(item[0])
        ]
    return _axis_rows(groups, space)


def _past_the_ink(groups: list[_Group], found: _Objects) -> bool:
    """Whether a glyph of a text object pdfium knows no clip for has its box's centre outside the object's
    bounds (its ink, or its origin for a space): only there can a clip pdfium dropped, which held the
    ink, tell pdfminer's `clipped` apart (a 0.01 pt margin for the floats)."""
    margin = 0.01
    for info, chars in groups:
        if info.paint.clip is not None:
            continue
        bounds = found.bounds.get(info.address)
        a, b, c, d, _, _ = info.matrix
        if bounds is None or b != 0 or c != 0:
            return True
        size = info.size
        dy = d * (info.font.descent * size + size / 2)
        left, low, right, high = bounds
        for item in chars:
            cx = item[2] + a * max(item[4], 0.0) / 2
            cy = item[3] + dy
            if not (left + margin <= cx <= right - margin and low + margin <= cy <= high - margin):
                return True
    return False


# ---------------------------------------------------------------- paths and images


def _subpaths(obj: int, m: Matrix, space: PageSpace, calls: _Calls) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """Each subpath as pdfminer spells it ("m", "l", "c", "h") with its points on the page."""
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    a, b, c, d, e, f = mult(m, space.to_page)
    shape = ""
    pts: list[tuple[float, float]] = []
    curve = 0
    moveto, bezier = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
    for k in range(calls.count_segments(obj)):
        seg = calls.segment(obj, k)
        kind = calls.segment_type(seg)
        calls.segment_point(seg, px, py)
        pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == moveto:
            if shape:
                yield shape, pts
            shape, pts, curve = "m", [pt], 0
        elif kind == bezier:
            curve += 1
            if curve == 3:
                shape += "c"
                pts.append(pt)
                curve = 0
        else:
            shape += "l"
            pts.append(pt)
        if calls.segment_close(seg) and pts:
            shape += "h"
            pts.append(pts[0])
    if shape:
        yield shape, pts


def _classify(
    shape: str,
    pts: list[tuple[float, float]],
    paint: tuple[bool, bool, int],
    lines: list[Segment],
    rects: list[RectShape],
) -> None:
    """pdfminer's `paint_path` rules for one subpath: a line, a rectangle, or a curve (ignored)."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        (ax, at), (bx, bt) = pts[0], pts[1]
        lines.append((min(ax, bx), min(at, bt), max(ax, bx), max(at, bt)))
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            fill, stroke, seq = paint
            rects.append((min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2), fill, stroke, seq))


@dataclass(slots=True)
class _Objects:
    lines: list[Segment] = field(default_factory=list)
    rects: list[RectShape] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    texts: list[tuple[int, Matrix]] = field(default_factory=list)  # text objects: address, outer matrix
    paints: dict[int, Paint] = field(default_factory=dict)  # by text object address
    top_texts: list[int] = field(default_factory=list)  # the page's own text objects (not forms'), in order
    bounds: dict[int, tuple[float, float, float, float] | None] = field(default_factory=dict)  # user space
    outers: dict[int, Matrix] = field(default_factory=dict)  # text objects' outer matrices, by address
    matrix_of: Callable[[int], Matrix] | None = None

    def origin(self, address: int) -> tuple[float, float] | None:
        """A text object's origin in user space (asked for only where a glyph may be missing)."""
        if address not in self.outers or self.matrix_of is None:
            return None
        m = mult(self.matrix_of(address), self.outers[address])
        return m[4], m[5]


def read_objects(page: Any, space: PageSpace, calls: _Calls) -> _Objects:
    """Lines, rectangles, image boxes and text objects of the page, form XObjects entered; each text
    object's and rectangle's place in the drawing order, and each text object's render mode and clip.

    The drawing order counts page objects where pdfplumber counts glyphs: only the order of glyphs
    against shapes is used (`pipeline.visibility`), and that is the same. A form's clip holds for what
    it draws (pdfium also clips a form's content to its /BBox, pdfminer does not: text outside the
    box it is drawn in is rare).
    """
    found = _Objects(matrix_of=calls.matrix_of)
    lines: list[Segment] = found.lines
    rects: list[RectShape] = found.rects
    images = found.images
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    seq = 0

    matrix_of, draw_mode, object_type = calls.matrix_of, calls.draw_mode, calls.object_type
    path, text, image, form = (
        raw.FPDF_PAGEOBJ_PATH,
        raw.FPDF_PAGEOBJ_TEXT,
        raw.FPDF_PAGEOBJ_IMAGE,
        raw.FPDF_PAGEOBJ_FORM,
    )

    texts, outers, paints, top_texts = found.texts, found.outers, found.paints, found.top_texts
    count_marks, render_mode = calls.count_marks, calls.render_mode
    clip_path, clip_paths = calls.clip_path, calls.clip_paths

    def walk(count: int, get: Callable[[Any, int], Pointer], parent: Any, outer: Matrix, clip: Box | None) -> None:
        nonlocal seq
        for j in range(count):
            pointer = get(parent, j)
            obj = pointer.value or 0
            kind = object_type(pointer)
            seq += 1
            if kind == text:  # most objects
                if count_marks(pointer):
                    calls.drop_actual_text(obj)
                texts.append((obj, outer))
                outers[obj] = outer
                if parent is top:
                    top_texts.append(obj)
                mode = render_mode(pointer)
                held = clip_path(pointer)  # mostly one holding no path: pdfium dropped the clip that held the ink
                own = calls.clip(obj, outer, space) if held and clip_paths(held) > 0 else None
                paint = (seq, mode if mode > 0 else 0, clip if own is None else intersect(clip, own))
                paints[obj] = new_tuple(Paint, paint)  # Paint(*paint) without the Python frame of its __new__
            elif kind == path:
                m = mult(matrix_of(obj), outer)
                draw_mode(pointer, fillmode, stroke)
                for shape, pts in _subpaths(obj, m, space, calls):
                    _classify(shape, pts, (fillmode.value != 0, bool(stroke.value), seq), lines, rects)
            elif kind == image:
                images.append(space.box(mult(matrix_of(obj), outer), 0.0, 0.0, 1.0, 1.0))
            elif kind == form:
                inner = mult(matrix_of(obj), outer)
                walk(
                    calls.form_count(pointer),
                    calls.form_object,
                    pointer,
                    inner,
                    intersect(clip, calls.clip(obj, outer, space)),
                )

    top = handle(page)
    walk(raw.FPDFPage_CountObjects(page), calls.page_object, top, IDENTITY, None)
    return found


# ---------------------------------------------------------------- document


def _page_dict(page: pdfium.PdfPage) -> PageDict:
    left, bottom, right, top = page.get_mediabox()
    return PageDict((left, bottom, right, top), (raw.FPDFPage_GetRotation(page.raw) % 4) * 90)


def _restore_clips(found: _Objects, geometry: PageDict, space: PageSpace) -> dict[int, Paint]:
    """The clips pdfium dropped, read back from the content stream (`clips`): pdfium drops a text
    object's clip when it is one rectangle holding the object's ink, and a glyph box reaching past it
    (a space at a table cell's edge) is clipped for pdfminer. Only where the stream's string-showing
    operators and pdfium's text objects of the page (forms' not counted) are as many. The paints
    changed, by text object (they are also in `found.paints`)."""
    content = geometry.content()
    clips = text_clips(content) if content is not None else None
    if clips is None or len(clips) != len(found.top_texts):
        return {}
    paints = found.paints
    boxes: dict[UserBox, Box] = {}  # the objects of a run share the clip in force
    changed: dict[int, Paint] = {}
    for address, clip in zip(found.top_texts, clips, strict=True):
        if clip is not None and paints[address].clip is None:
            box = boxes.get(clip)
            if box is None:
                box = boxes[clip] = space.box(IDENTITY, *clip)
            paint = paints[address]
            paints[address] = changed[address] = new_tuple(Paint, (paint.seq, paint.mode, box))
    return changed


def read_page(page: pdfium.PdfPage, number: int, geometry: PageDict, reader: _Reader) -> PageData:
    space = PageSpace.of(geometry.mediabox, geometry.rotation)
    found = read_objects(page.raw, space, reader.calls)
    textpage = page.get_textpage()
    try:
        listed = list_chars(textpage.raw, reader.calls, reader, space, found)
    finally:
        textpage.close()
    if geometry.contents is not None and _past_the_ink(listed, found):
        changed = _restore_clips(found, geometry, space)
        if changed:
            for info, _ in listed:
                info.paint = changed.get(info.address, info.paint)
    rows = make_rows(listed, space)
    rules, boxes = rules_and_boxes(found.lines, found.rects)
    return with_rows(PageData(number, space.width, space.height, [], rules, boxes, found.images), rows)


def _open(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise encrypted_pdf(path, password) from exc
        if code == raw.FPDF_ERR_SECURITY:
            raise InputError(path, "encrypted PDF (unsupported security handler)") from exc
        if code == raw.FPDF_ERR_FORMAT:
            raise InputError(path, f"damaged PDF ({exc})") from exc
        raise InputError(path, f"unreadable PDF (PdfiumError: {exc})") from exc


def iter_pages(path: Path, window: int, password: str | None = None, pages: range | None = None) -> Iterator[PageData]:
    """Each page closed once read; pdfium keeps only the document's fonts (`window` is not needed).
    `pages` (0-based indexes; None: all) reads part of the document (a worker's share, `readers.parallel`)."""
    fonts = FontTable()
    with open_page_dicts(path, fonts, password) as dicts:
        doc = _open(path, password)
        reader = _Reader(fonts, _Calls())
        try:
            for i in range(len(doc)) if pages is None else pages:
                page = doc[i]
                try:
                    geometry = dicts[i] if len(dicts) == len(doc) else _page_dict(page)
                    data = read_page(page, i + 1, geometry, reader)
                finally:
                    page.close()
                yield data
        except pdfium.PdfiumError as exc:
            raise InputError(path, f"damaged PDF ({exc})") from exc
        finally:
            doc.close()
