"""The reference reader: pdfplumber (pdfminer.six), page caches flushed page by page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import InputError, encrypted_pdf
from ..glyph_paint import ModePage
from ..load import Char, PageData, colour_hex, font_is_bold, font_is_italic, font_name, keep_char, rules_and_boxes
from ..orient import quarter_turn
from .fonts import FontTable


def _char(c: dict[str, Any], fonts: FontTable) -> Char:
    name = font_name(c["fontname"])
    facts = fonts.get(name)
    colour = c.get("non_stroking_color")
    return Char(
        c["text"],
        c["x0"],
        c["x1"],
        c["top"],
        c["bottom"],
        round(c["size"], 2),
        name,
        font_is_bold(name) or bool(facts and facts.force_bold),
        font_is_italic(name) or bool(facts and facts.italic),
        colour_hex(colour) if isinstance(colour, tuple | list) else None,
        render_mode=c.get("render_mode", 0),
        seq=c.get("seq", 0),
        clipped=c.get("clipped", False),
        turn=quarter_turn(*c["matrix"][:4]),
    )


def read_page(page: pdfplumber.page.Page, fonts: FontTable) -> PageData:
    """One page's records; a `ModePage` adds each char's render mode and clip and every object's drawing order."""
    fonts.add_resources(page.page_obj.resources)
    chars = [_char(c, fonts) for c in page.chars if keep_char(c["text"])]  # turned too: pipeline/orient.py
    rules, boxes = rules_and_boxes(
        ((ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in page.lines),
        (
            (r["x0"], r["top"], r["x1"], r["bottom"], bool(r.get("fill")), bool(r.get("stroke")), r.get("seq", 0))
            for r in page.rects
        ),
    )
    images = [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
    return PageData(page.page_number, float(page.width), float(page.height), chars, rules, boxes, images)


def _unwrap(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors in PdfminerException: the reason is in the wrapped one."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _release(pdf: pdfplumber.PDF) -> None:
    """Empty pdfminer's document-wide object caches: they keep every object parsed so far (content
    streams, fonts), which grows with the page count; what a later page shares is parsed again."""
    doc = pdf.doc
    for cache in ("_cached_objs", "_parsed_objs"):
        objects = getattr(doc, cache, None)
        if isinstance(objects, dict):
            objects.clear()


def _is_encryption(exc: BaseException) -> bool:
    """A password or encryption error anywhere in the wrapped, caused or context chain."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if any(word in type(e).__name__ for word in ("Password", "Encrypt")):
            return True
        todo += [a for a in e.args if isinstance(a, BaseException)] + [e.__cause__, e.__context__]
    return False


def iter_pages(path: Path, window: int, password: str | None = None, pages: range | None = None) -> Iterator[PageData]:
    """`pages` (0-based indexes; None: all) reads part of the document (a worker's share, `readers.parallel`)."""
    fonts = FontTable()
    numbers = [i + 1 for i in pages] if pages is not None else None
    try:
        with pdfplumber.open(path, password=password or "", pages=numbers) as pdf:
            for i, page in enumerate(pdf.pages, 1):
                mode_page = ModePage.of(page)
                data = read_page(mode_page, fonts)
                mode_page.flush_cache()
                if i % window == 0:
                    _release(pdf)
                yield data
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        cause = _unwrap(exc)
        name = type(cause).__name__
        if _is_encryption(exc):
            raise encrypted_pdf(path, password) from exc
        if isinstance(cause, PDFSyntaxError):
            raise InputError(path, f"damaged PDF ({cause})") from exc
        raise InputError(path, f"unreadable PDF ({name}: {cause})") from exc
