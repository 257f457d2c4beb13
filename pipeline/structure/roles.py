"""Line roles: what each printed line of the body is, decided by small pure predicates.

A line is a heading when it carries one of the conventional numberings (see numbering.py) AND
looks like one: set larger or bold than the body, or standing alone on its line. Lines inside
tables or case boxes never open sections (statement rows such as 一、营业总收入 live in tables;
（一）… inside a case box is a sub-head of the case). The few facts a role depends on beyond the
line itself (the body line before it, whether a closing list is open) come in as a `Context`
from the folding step; each predicate is a function of its arguments only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from ..layout import Line, PageLayout
from ..load import Char
from ..numbering import (
    CAPTION_PATTERNS,
    CN_DIGITS,
    FULL_STOPS,
    NUMBERING_STARTS,
    PLAIN_HEADING_KINDS,
    RUN_IN_END,
    RUN_IN_KINDS,
    SENTENCE_END,
    CaptionKind,
    ListKind,
    Numbering,
    NumberingKind,
    is_annex_title,
    is_unnumbered_part,
    list_kind,
    parse_numbering,
    sequence_evidence,
)
from ..settings import StructureSettings
from ..text import join_wrapped, nfkc_squash


class Role(StrEnum):
    """The part a printed line plays."""

    FURNITURE = "furniture"  # header/footer/page number: layout sets them aside (page.furniture)
    TABLE = "table"  # inside a table region
    LIST_HEAD = "list_head"  # 【附表目录】: opens a closing list
    LIST_ENTRY = "list_entry"  # an entry of the open closing list
    ANNEX_HEAD = "annex_head"  # 【附件】…: opens the annex
    CAPTION = "caption"  # 表 N / 图 N, or the line under a picture
    CASE_HEAD = "case_head"  # 案例 N …: opens a case box
    HEADING = "heading"  # a numbered heading, or an unnumbered part (学校概述)
    RUN_IN_HEADING = "run_in_heading"  # （一）主动公开情况。 and the section's first paragraph on one line
    TRAILING_HEADING = "trailing_heading"  # …披露。十二、承诺及或有事项: a paragraph's last line ends in a heading
    TITLE = "title"  # a display line above the first heading (a report without cover page)
    BODY = "body"  # running text


@dataclass(frozen=True, slots=True)
class Context:
    """What a line's role depends on besides the line: the reading state at that line."""

    body: float  # the body font size
    right: float  # where full lines end, for this line (text column or box)
    prev_body: Line | None  # the body line just before, None after anything else
    in_list: bool  # a closing list (附表目录…) is open: its lines are entries
    has_owner: bool  # some section is open to take body text
    toc_lines: int = 0  # the TOC lists this line (and the next toc_lines - 1) as a heading: guide.py
    open_headings: tuple[tuple[int, str], ...] = ()  # the open headings' (outline tier, number), outermost first
    toc_texts: frozenset[str] = frozenset()  # the TOC's entries (squashed): evidence for a heading
    sibling_ahead: bool = False  # the line's numbering is a 1 whose 2 follows (numbering.siblings_ahead)
    indent_after: bool = False  # the next page opens with running text at a first-line indent (page_opens_indented)

    def sequence(self, num: Numbering) -> int:
        """The numbering sequence's vote on `num` (numbering.sequence_evidence)."""
        return sequence_evidence(num.kind, num.number, self.open_headings, self.sibling_ahead)


@dataclass(frozen=True, slots=True)
class Classified:
    """One line's role, with the lines a wrapped heading continues on."""

    role: Role
    lines: tuple[Line, ...]
    numbering: Numbering | None = None  # HEADING (None: an unnumbered part) and CASE_HEAD
    caption: CaptionKind | None = None  # CAPTION
    list_kind: ListKind | None = None  # LIST_HEAD
    rest: Line | None = None  # RUN_IN_HEADING: the part of the line after the title, the first body text
    lead: Line | None = None  # TRAILING_HEADING: the part of the line before the heading, the paragraph's end

    @property
    def line(self) -> Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        return join_wrapped([ln.text for ln in self.lines])


# ---------------------------------------------------------------- predicates


def styled(line: Line, body: float, cfg: StructureSettings) -> bool:
    """Set apart from body text: bold, or clearly larger."""
    return line.bold or line.size >= body * cfg.styled_size


def display(line: Line, body: float, cfg: StructureSettings) -> bool:
    """Display type: a title rather than text."""
    return line.size >= body * cfg.display_size


def heading_shape(line: Line, cfg: StructureSettings) -> bool:
    """Short, one run of text (no column gaps), not a sentence: what a printed heading looks like."""
    s = nfkc_squash(line.text)
    return bool(s) and len(s) <= cfg.heading_max_chars and not line.gaps


def short_phrase(line: Line, right: float, cfg: StructureSettings) -> bool:
    """Stops well short of the edge and ends no sentence: a heading's shape in the body font."""
    short = line.x1 < right - cfg.heading_short_by * line.size
    return short and not nfkc_squash(line.text).endswith(SENTENCE_END)


def stands_alone(line: Line, prev: Line | None, right: float, cfg: StructureSettings) -> bool:
    """Short, after a line that ended its paragraph, and not ending a sentence itself."""
    return short_phrase(line, right, cfg) and separated(line, prev, right, cfg) > 0


def list_head(line: Line, body: float, cfg: StructureSettings) -> ListKind | None:
    """The closing list a line opens (【附表目录】…), styled or on a short line of its own."""
    squashed = nfkc_squash(line.text)
    kind = list_kind(squashed)
    if kind and (styled(line, body, cfg) or len(squashed) <= cfg.list_title_max_chars):
        return kind
    return None


def annex_head(line: Line, body: float, cfg: StructureSettings) -> bool:
    return is_annex_title(nfkc_squash(line.text)) and styled(line, body, cfg) and line.box is None


def leaves_list(line: Line, body: float, cfg: StructureSettings) -> bool:
    """A styled, larger line ends a closing list's entries (a heading follows the list)."""
    return styled(line, body, cfg) and line.size >= body * cfg.styled_size


def centred(line: Line, page: PageLayout, cfg: StructureSettings) -> bool:
    """Centred on the page, and not a flush-left line that merely spans the middle."""
    mid = (line.x0 + line.x1) / 2
    return line.x0 > cfg.centred_min_x0 * page.width and abs(mid - page.width / 2) < cfg.centred_tolerance * page.width


def numbered_caption(line: Line, page: PageLayout, body: float, cfg: StructureSettings) -> CaptionKind | None:
    """表 N … / 图 N …, set apart from the body: smaller, bold, or centred."""
    s = line.text.strip()
    plain = nfkc_squash(s)
    if len(plain) > cfg.caption_max_chars or plain.endswith("。"):
        return None
    for kind, pat in CAPTION_PATTERNS.items():
        m = pat.match(s)
        if m and m.group(2) and not line.gaps:
            if line.size < body - cfg.smaller_tolerance or line.bold or centred(line, page, cfg):
                return kind
    return None


def photo_caption(line: Line, page: PageLayout, body: float, cfg: StructureSettings) -> bool:
    """A short plain line centred right under a picture, nothing printed between them.

    Its position makes it a caption, not merely being the first line after the picture: a body
    line there starts at the text column's indent and ends a clause (…如下：), a caption is
    centred under the picture and ends no sentence.
    """
    plain = nfkc_squash(line.text)
    if line.size > body or line.bold or len(plain) > cfg.photo_caption_max_chars or len(plain) > cfg.caption_max_chars:
        return False
    if plain.endswith(SENTENCE_END):
        return False
    slop, mid = cfg.photo_caption_slop, (line.x0 + line.x1) / 2
    for img in page.images:
        gap = line.top - img.bottom
        under = abs(mid - (img.x0 + img.x1) / 2) <= cfg.centred_tolerance * page.width
        if under and -slop <= gap <= cfg.photo_caption_gap * line.size:
            tol = cfg.between_slop
            if not any(o is not line and img.bottom - tol <= o.top < line.top - tol for o in page.lines):
                return True
    return False


def caption(line: Line, page: PageLayout, body: float, cfg: StructureSettings) -> CaptionKind | None:
    kind = numbered_caption(line, page, body, cfg)
    if kind is None and photo_caption(line, page, body, cfg):
        return CaptionKind.PHOTO
    return kind


def case_head(line: Line, num: Numbering | None, body: float, cfg: StructureSettings) -> bool:
    """案例 N …, in a box or styled (a mention of 案例 1 in running text is not a case)."""
    return num is not None and num.kind is NumberingKind.CASE and (line.box is not None or styled(line, body, cfg))


def separated(line: Line, prev: Line | None, right: float, cfg: StructureSettings) -> int:
    """The line before says the paragraph ended: +1 it stopped short (or none, or another page),
    0 it ran to the edge but ended a sentence, -1 it ran to the edge mid-sentence."""
    if prev is None or prev.page != line.page or prev.x1 < right - cfg.full_line_slack * prev.size:
        return 1
    return 0 if nfkc_squash(prev.text).endswith(SENTENCE_END) else -1


def numbered_heading(line: Line, num: Numbering | None, ctx: Context, cfg: StructureSettings) -> bool:
    """An outline numbering (一、（一）1. …) on a line, when the evidence agrees: typography (styled:
    two votes), a short line standing apart from the paragraph before (one vote, none when that
    paragraph ran to the edge ending a sentence) and the numbering sequence (+1 / -1). (1) and ①
    need styling: in the body font they are list items of running text."""
    if num is None or num.kind is NumberingKind.CASE:
        return False
    votes = ctx.sequence(num)
    if styled(line, ctx.body, cfg):
        votes += cfg.styled_votes
    elif num.kind not in PLAIN_HEADING_KINDS:
        return False
    elif short_phrase(line, ctx.right, cfg):
        votes += separated(line, ctx.prev_body, ctx.right, cfg)
    else:
        return False
    return votes >= cfg.heading_votes


def opens_indented_paragraph(lines: Sequence[Line], i: int, page: PageLayout, cfg: StructureSettings) -> bool:
    """The line after lines[i] (same page, box and size, outside tables) starts a paragraph with a
    first-line indent from the page's own left text edge, while lines[i] itself is not indented
    further than that paragraph: a line standing above the paragraph it introduces."""
    if i + 1 >= len(lines):
        return False
    line, nxt = lines[i], lines[i + 1]
    if nxt.in_table or nxt.box != line.box or nxt.page != line.page:
        return False
    if abs(nxt.size - line.size) > cfg.paragraph_size_tolerance:
        return False
    return nxt.x0 > text_left(page) + cfg.indent_min * nxt.size and line.x0 < nxt.x0


def lower_tier_heading(
    lines: Sequence[Line], i: int, page: PageLayout, num: Numbering, ctx: Context, cfg: StructureSettings
) -> bool:
    """A (1)/① numbering in the body font that heads a section rather than listing items of running
    text: a short phrase (no sentence end) not inside a running paragraph (the line before stopped
    short, or ran to the edge ending a sentence: +1), above an indented paragraph of its own (+1),
    in a numbering sequence that goes on (+1: after its sibling heading, or a first child whose
    sibling follows). Items of running text end their clause (；/。), run on without an indented
    paragraph between them, or stand alone (their sibling opened no heading); they miss a vote."""
    if num.kind in PLAIN_HEADING_KINDS or num.kind is NumberingKind.CASE or styled(line := lines[i], ctx.body, cfg):
        return False
    if not short_phrase(line, ctx.right, cfg) or not opens_indented_paragraph(lines, i, page, cfg):
        return False
    apart = separated(line, ctx.prev_body, ctx.right, cfg) >= 0
    return apart + 1 + ctx.sequence(num) >= cfg.list_item_heading_votes


def starts_paragraph(line: Line, prev: Line | None, right: float, cfg: StructureSettings) -> bool:
    """The line opens a paragraph: nothing before it, the body line before it stopped short, or it
    ended a sentence and this line starts at a first-line indent from it (as paragraphs.continues)."""
    if prev is None or prev.page != line.page or prev.x1 < right - cfg.full_line_slack * prev.size:
        return True
    ended = nfkc_squash(prev.text).endswith(SENTENCE_END)
    return ended and line.x0 > prev.x0 + cfg.indent_min * line.size


def run_in_split(line: Line, num: Numbering | None, ctx: Context, cfg: StructureSettings) -> int | None:
    """Where a run-in heading's title ends in line.text (after its 。/：), when the line is one:
    a run-in numbering (RUN_IN_KINDS) opening a paragraph outside boxes, a short title, then text."""
    if num is None or num.kind not in RUN_IN_KINDS or line.box is not None:
        return None
    if not starts_paragraph(line, ctx.prev_body, ctx.right, cfg):
        return None
    text = line.text
    start = text.find(num.title[:1], len(text) - len(text.lstrip()))
    m = RUN_IN_END.search(text, max(start, 0))
    if m is None or not text[m.end() :].strip():
        return None
    title = nfkc_squash(text[start : m.start()])
    if not title or len(title) > cfg.run_in_title_max_chars:
        return None
    return m.end()


def split_line(line: Line, split: int) -> tuple[Line, Line]:
    """The line's text before and after `split`, each as a line of its own (its chars and edges)."""
    ink = len(nfkc_squash(line.text[:split]))
    seen = 0
    before: list[Char] = []
    after: list[Char] = []
    for c in line.chars:
        (after if seen >= ink else before).append(c)
        seen += len(nfkc_squash(c.text))
    x1 = max((c.x1 for c in before if c.text != " "), default=line.x0)
    x0 = next((c.x0 for c in after if c.text != " "), line.x1)
    head = replace(line, text=line.text[:split].strip(), x1=x1, chars=before, gaps=[g for g in line.gaps if g < x1])
    tail = replace(line, text=line.text[split:].strip(), x0=x0, chars=after, gaps=[g for g in line.gaps if g > x0])
    return head, tail


def rest_of(line: Line, split: int) -> Line:
    """The line's text after `split`, as a line of its own (its chars and left edge)."""
    return split_line(line, split)[1]


def ends_paragraph(lines: Sequence[Line], i: int, page: PageLayout, right: float, cfg: StructureSettings) -> bool:
    """lines[i] is the last line of its paragraph: it stops short, or the next line opens a new,
    indented paragraph (or none follows on the page)."""
    line = lines[i]
    if line.x1 < right - cfg.full_line_slack * line.size or i + 1 >= len(lines):
        return True
    nxt = lines[i + 1]
    return nxt.in_table or nxt.box != line.box or nxt.x0 > text_left(page) + cfg.indent_min * nxt.size


def trailing_split(
    lines: Sequence[Line], i: int, page: PageLayout, ctx: Context, cfg: StructureSettings
) -> tuple[int, Numbering] | None:
    """Where a heading printed at the end of a paragraph's last line starts (…披露。十二、承诺及或有
    事项), with its numbering, when the evidence agrees: the numbering does not break the sequence,
    and the votes of the sequence (+1 after its sibling), the TOC listing the heading and a sentence
    ended before it reach StructureSettings.trailing_heading_votes. The tail is heading-shaped and
    the line ends its paragraph."""
    line = lines[i]
    if line.box is not None or line.in_table or not ends_paragraph(lines, i, page, ctx.right, cfg):
        return None
    text = line.text
    for split, num in trailing_numberings(text, cfg):
        seq = sequence_evidence(num.kind, num.number, ctx.open_headings)  # not the line start's sibling_ahead
        listed = nfkc_squash(text[split:]) in ctx.toc_texts
        ended = nfkc_squash(text[:split]).endswith(SENTENCE_END)
        if seq >= 0 and seq + listed + ended >= cfg.trailing_heading_votes:
            return split, num
    return None


def trailing_numberings(text: str, cfg: StructureSettings) -> Iterator[tuple[int, Numbering]]:
    """Each place inside `text` where a heading-shaped numbered tail starts (an outline numbering
    not glued to a numeral, no sentence end, short enough for a heading), with its numbering."""
    for split in range(1, len(text)):
        if text[split] not in NUMBERING_STARTS or text[split - 1].isdigit() or text[split - 1] in CN_DIGITS:
            continue
        tail = text[split:].strip()
        num = parse_numbering(tail)
        if num is None or num.kind not in PLAIN_HEADING_KINDS or nfkc_squash(tail).endswith(SENTENCE_END):
            continue
        if len(nfkc_squash(tail)) > cfg.heading_max_chars or not nfkc_squash(text[:split]):
            continue
        yield split, num


def ending_numbering(text: str, cfg: StructureSettings) -> Numbering | None:
    """The numbering of a heading printed after a sentence's end at the end of a line (…。2. 信息化
    建设): what the numbering sequence counts as that heading, whether or not it is taken as one."""
    for split, num in trailing_numberings(text, cfg):
        if nfkc_squash(text[:split]).endswith(FULL_STOPS):
            return num
    return None


def text_left(page: PageLayout) -> float:
    """The page's own left text edge: where its running lines (outside tables and boxes) start."""
    xs = [ln.x0 for ln in page.lines if not ln.in_table and ln.box is None and ln.text.strip()]
    return min(xs, default=0.0)


def full_line_heading(
    lines: Sequence[Line], i: int, page: PageLayout, num: Numbering, ctx: Context, cfg: StructureSettings
) -> int:
    """How many lines a heading in the body font spans (0: none): it opens a paragraph (the line
    before stopped short, or ran to the edge ending a sentence while the numbering follows its
    sibling: the votes of `numbered_heading`), fills its line and every line it wraps onto, ends
    no sentence, and the next line opens a new, indented paragraph (a paragraph's own next line is
    not indented). Up to plain_heading_max_lines that shape suffices; a heading wrapping further
    needs more evidence that it is one, as a long numbered paragraph has the same shape: the TOC
    lists its whole text, or the numbering sequence goes on (+1), and no sentence ends inside it."""
    line = lines[i]
    seq = ctx.sequence(num)
    if seq < 0 or separated(line, ctx.prev_body, ctx.right, cfg) + seq < cfg.heading_votes:
        return 0
    left = text_left(page)
    for n in range(1, len(lines) - i + 1):
        last = lines[i + n - 1]
        nxt = lines[i + n] if i + n < len(lines) else None  # None: the heading ends the page
        if nxt is not None and (nxt.in_table or nxt.box != line.box or nxt.page != line.page):
            return 0
        full = last.x1 >= ctx.right - cfg.full_line_slack * last.size
        if nfkc_squash(last.text).endswith(SENTENCE_END) or (n == 1 and not full):
            return 0
        # the next line (or the next page's first) opens an indented paragraph
        if ctx.indent_after if nxt is None else nxt.x0 > left + cfg.indent_min * nxt.size:
            return n if n <= cfg.plain_heading_max_lines or long_heading(lines[i : i + n], seq, ctx) else 0
        if not full or nxt is None:
            return 0  # a short last line not followed by a new paragraph: a paragraph of its own
    return 0


def page_opens_indented(page: PageLayout, cfg: StructureSettings) -> bool:
    """The page's first line is running text (outside tables and boxes) at a first-line indent from
    the page's own left edge: a paragraph starts there (a heading at the foot of the page before it
    stands above that paragraph)."""
    first = page.lines[0] if page.lines else None
    if first is None or first.in_table or first.box is not None:
        return False
    return first.x0 > text_left(page) + cfg.indent_min * first.size


def long_heading(group: Sequence[Line], seq: int, ctx: Context) -> bool:
    """A numbered text wrapping over more lines than a heading in the body font usually does is a
    heading when the TOC lists it or its numbering sequence goes on, and it ends no sentence inside."""
    text = nfkc_squash(join_wrapped([ln.text for ln in group]))
    if any(stop in text for stop in FULL_STOPS):
        return False
    return text in ctx.toc_texts or seq > 0


def unnumbered_part(line: Line, ctx: Context, cfg: StructureSettings) -> bool:
    """A level-1 part of the template without a number (学校概述, 结语), styled or standing alone."""
    return is_unnumbered_part(line.text) and (
        styled(line, ctx.body, cfg) or stands_alone(line, ctx.prev_body, ctx.right, cfg)
    )


def continuation(lines: Sequence[Line], i: int, right: float, cfg: StructureSettings) -> int:
    """How many lines after lines[i] continue a wrapped heading title (same size and weight)."""
    head = lines[i]
    n = 0
    prev = head
    while i + 1 + n < len(lines):
        nxt = lines[i + 1 + n]
        if (
            nxt.in_table
            or nxt.page != head.page
            or abs(nxt.size - head.size) > cfg.same_size_tolerance
            or nxt.bold != head.bold
            or nxt.box != head.box
            or nxt.top - prev.bottom > cfg.heading_wrap_gap * head.size
            or prev.x1 < right - cfg.heading_wrap_short_by * head.size
            or parse_numbering(nxt.text) is not None
        ):
            break
        n += 1
        prev = nxt
    return n


# ---------------------------------------------------------------- the classifier


def classify(lines: Sequence[Line], i: int, page: PageLayout, ctx: Context, cfg: StructureSettings) -> Classified:
    """The role of lines[i] (and of the lines a wrapped heading or case title continues on)."""
    line = lines[i]
    one = (line,)
    if line.in_table:
        return Classified(Role.TABLE, one)
    if ctx.toc_lines:
        group = tuple(lines[i : i + ctx.toc_lines])
        num = parse_numbering(line.text)
        numbered = num is not None and num.kind is not NumberingKind.CASE
        return Classified(Role.HEADING, group, numbering=_retitled(num, group) if num and numbered else None)
    if (kind := list_head(line, ctx.body, cfg)) is not None:
        return Classified(Role.LIST_HEAD, one, list_kind=kind)
    if annex_head(line, ctx.body, cfg):
        return Classified(Role.ANNEX_HEAD, one)
    if ctx.in_list and not leaves_list(line, ctx.body, cfg):
        return Classified(Role.LIST_ENTRY, one)
    if (cap := caption(line, page, ctx.body, cfg)) is not None:
        return Classified(Role.CAPTION, one, caption=cap)
    num = parse_numbering(line.text)
    if case_head(line, num, ctx.body, cfg):
        assert num is not None  # case_head implies a numbering
        group = tuple(lines[i : i + 1 + continuation(lines, i, ctx.right, cfg)])
        return Classified(Role.CASE_HEAD, group, numbering=_retitled(num, group))
    if line.box is None and heading_shape(line, cfg):
        part = unnumbered_part(line, ctx, cfg)
        plain = num is not None and num.kind in PLAIN_HEADING_KINDS
        body_font = plain and num is not None and not styled(line, ctx.body, cfg)
        spans = full_line_heading(lines, i, page, num, ctx, cfg) if body_font and num is not None else 0
        lower = num is not None and lower_tier_heading(lines, i, page, num, ctx, cfg)
        if part or spans or lower or numbered_heading(line, num, ctx, cfg):
            extra = continuation(lines, i, ctx.right, cfg) if styled(line, ctx.body, cfg) else max(spans - 1, 0)
            group = tuple(lines[i : i + 1 + extra])
            return Classified(Role.HEADING, group, numbering=None if part or num is None else _retitled(num, group))
    if (split := run_in_split(line, num, ctx, cfg)) is not None:
        assert num is not None  # a run-in heading has its numbering
        title = nfkc_squash(line.text[:split]).rstrip("。：:．.")
        head = parse_numbering(title)
        numbering = Numbering(num.kind, num.level, num.number, head.title if head else num.title)
        return Classified(Role.RUN_IN_HEADING, one, numbering=numbering, rest=rest_of(line, split))
    if (trail := trailing_split(lines, i, page, ctx, cfg)) is not None:
        lead, tail = split_line(line, trail[0])
        return Classified(Role.TRAILING_HEADING, (tail,), numbering=trail[1], lead=lead)
    if not ctx.has_owner and display(line, ctx.body, cfg):
        return Classified(Role.TITLE, one)
    return Classified(Role.BODY, one)


def _retitled(num: Numbering, group: Sequence[Line]) -> Numbering:
    """The numbering of the first line, titled with the whole (wrapped) heading's text."""
    whole = parse_numbering(join_wrapped([ln.text for ln in group]))
    return Numbering(num.kind, num.level, num.number, whole.title if whole else num.title)
