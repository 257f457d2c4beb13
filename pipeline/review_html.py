"""The review page as one self-contained HTML string (inline CSS and script, images beside it).

Boxes are absolutely positioned over the page image in percentages of the page size, so they
scale with the image; a link to a box, cell or row highlights it through CSS `:target`, and a
small inline script also highlights the element named by the link's `data-hl` (the box of a
failing cell). Nothing is loaded from the network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from html import escape

from .model import Section, Span, Table
from .review import (
    BOX_KINDS,
    NOT_RECORDED,
    Box,
    Conservation,
    Issue,
    PageScan,
    ReviewModel,
    cell_id,
    covered_cells,
    row_id,
)

COLOURS = {"heading": "#d62728", "paragraph": "#1f77b4", "table": "#2ca02c", "caption": "#9467bd"}
KIND_NOTES = {
    "heading": "section heading line (every section kind)",
    "paragraph": "paragraph (one box per page it is printed on)",
    "table": "table body (one box per page)",
    "caption": "figure caption (charts and photos)",
}
# drawn bottom to top: the large table boxes first, so the smaller boxes stay clickable
DRAW_ORDER = ("table", "paragraph", "caption", "heading")
OUTSIDE_WARN = 0.10  # share of a page's characters outside every box, beyond the usual furniture, that marks it

CSS = """
*{box-sizing:border-box}
[id]{scroll-margin-top:120px}
body{margin:0;font:14px/1.45 system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",
  "Microsoft YaHei",sans-serif;color:#222;background:#f4f4f2}
header.top{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid #ccc;padding:6px 14px}
header.top h1{font-size:16px;margin:0 0 2px}
nav a{margin-right:10px}
.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:14px;height:10px;border:2px solid;margin-right:4px;vertical-align:middle}
.legend .absent{color:#888}
main{padding:8px 14px}
h2{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;font-size:12px;background:#fff}
td,th{border:1px solid #bbb;padding:2px 5px;vertical-align:top}
th{background:#eee;font-weight:600}
.sev-error{color:#b00;font-weight:600}.sev-warning{color:#a60}.sev-info{color:#555}
.issues td.msg{max-width:640px}
.tree ul{margin:0;padding-left:18px}.tree li{margin:1px 0}
.meta{color:#777;font-size:12px}
.pages a{display:inline-block;min-width:2.2em;font-size:12px}
.pages a.warn,.chars tr.warn td{background:#ffe3c4}
section.page{background:#fff;border:1px solid #ccc;margin:14px 0;padding:8px 10px}
section.page h2{margin:0 0 6px}
.pagegrid{display:grid;grid-template-columns:minmax(0,620px) minmax(0,1fr);gap:14px;align-items:start}
.pagegrid.wide{grid-template-columns:minmax(0,880px) minmax(0,1fr)}
.scan{position:relative;border:1px solid #999;width:100%}
.scan img{display:block;width:100%;height:auto}
.box{position:absolute;border:1.5px solid;display:block}
.box:hover{background:rgba(255,255,0,.25)}
.k-heading{border-color:#d62728;background:rgba(214,39,40,.06)}
.k-paragraph{border-color:#1f77b4;background:rgba(31,119,180,.04)}
.k-table{border-color:#2ca02c;background:rgba(44,160,44,.04)}
.k-caption{border-color:#9467bd;background:rgba(148,103,189,.08)}
.box:target,.box.hl{border:3px solid #ff8c00;background:rgba(255,200,0,.35);z-index:5}
td:target,th:target,td.hl,th.hl,tr:target td,tr.hl td,li:target,tr.issue:target td{background:#ffd54f}
.side{min-width:0;overflow-x:auto}
.side table.grid{margin:6px 0 12px}
.grid caption{text-align:left;font-weight:600;padding:2px 0}
.grid th.rn{color:#888;font-weight:400}
.counts b{font-weight:600}
.note{color:#555;font-size:12px;max-width:900px}
"""

SCRIPT = """
document.addEventListener('click', function (e) {
  var a = e.target.closest('a[data-hl]');
  if (!a) return;
  document.querySelectorAll('.hl').forEach(function (el) { el.classList.remove('hl'); });
  a.getAttribute('data-hl').split(' ').forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.classList.add('hl');
  });
});
"""

PageFile = Callable[[int], str]


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(value: float, whole: float) -> str:
    return f"{100 * value / whole:.3f}%"


def _level(s: Section) -> str:
    return "–" if s.level is None else str(s.level)


def _link(href: str, text: str, hl: str | None = None) -> str:
    extra = f' data-hl="{_e(hl)}"' if hl else ""
    return f'<a href="#{_e(href)}"{extra}>{_e(text)}</a>'


# ---------------------------------------------------------------- page parts


def _box_html(box: Box, scan: PageScan, target: str | None) -> str:
    b = box.bbox
    style = (
        f"left:{_pct(b.x0, scan.width)};top:{_pct(b.top, scan.height)};"
        f"width:{_pct(b.x1 - b.x0, scan.width)};height:{_pct(b.bottom - b.top, scan.height)}"
    )
    attrs = f'class="box k-{box.kind}" id="{_e(box.dom_id)}" title="{_e(box.label)}" style="{style}"'
    return f'<a {attrs} href="#{_e(target)}"></a>' if target else f"<span {attrs}></span>"


def _box_target(box: Box, table_ids: set[str]) -> str | None:
    if box.kind == "heading":
        return f"tree-{box.ref}"
    if box.kind == "table" and box.ref in table_ids:
        return f"table-{box.ref}"
    return None


def table_grid(t: Table) -> str:
    """A table as extracted: header and body grids, merged cells as rowspan/colspan."""
    anchors: dict[tuple[str, int, int], Span] = {(s.part, s.row, s.col): s for s in t.spans}
    covered = covered_cells(t)

    def cells(part: str, r: int, row: Sequence[str], tag: str) -> str:
        out = []
        for c, text in enumerate(row):
            if (part, r, c) in covered:
                continue
            s = anchors.get((part, r, c))
            span = f' rowspan="{s.rowspan}" colspan="{s.colspan}"' if s else ""
            out.append(f'<{tag} id="{cell_id(t.id, part, r, c)}"{span}>{_e(text)}</{tag}>')
        return "".join(out)

    head = "".join(f'<tr><th class="rn"></th>{cells("header", r, row, "th")}</tr>' for r, row in enumerate(t.header))
    body = "".join(
        f'<tr id="{row_id(t.id, r)}"><th class="rn">{r}</th>{cells("body", r, row, "td")}</tr>'
        for r, row in enumerate(t.rows)
    )
    number = f"表 {t.number} " if t.number else ""
    quality = "" if t.quality is None else f" · quality {t.quality:.2f}"
    caption = (
        f"{_e(t.id)} · {_e(number)}{_e(t.caption)} "
        f'<span class="meta">({t.kind}, pages {", ".join(map(str, t.pages))}, {_e(t.extractor)}{quality}; '
        "first column: body row index)</span>"
    )
    return (
        f'<table class="grid" id="table-{_e(t.id)}"><caption>{caption}</caption>'
        f"<thead>{head}</thead><tbody>{body}</tbody></table>"
    )


def _issue_links(issue: Issue) -> str:
    links = []
    if issue.page is not None:
        links.append(_link(f"page-{issue.page}", f"p.{issue.page}"))
    if issue.box:
        links.append(_link(issue.box, "box", issue.cell))
    if issue.cell:
        links.append(_link(issue.cell, "cell" if issue.cell.startswith("cell-") else "table row", issue.box))
    return " ".join(links)


def _counts(c: Conservation, flag: bool) -> str:
    kinds = ", ".join(f"{k} {c.in_boxes[k]}" for k in BOX_KINDS if c.in_boxes.get(k))
    return (
        f'<p class="counts">Characters (<a href="#characters">what these mean</a>): text layer <b>{c.text_layer}</b>'
        f" · in recorded boxes <b>{c.boxed}</b>{f' ({kinds})' if kinds else ''}"
        f" · outside every box <b>{c.outside}</b> · written <b>{c.written}</b>"
        f"{' · <mark>many characters outside every box</mark>' if flag else ''}</p>"
    )


def usual_outside(conservation: Sequence[Conservation]) -> float:
    """The median count of characters outside every box: about what the running furniture takes."""
    counts = sorted(c.outside for c in conservation)
    if not counts:
        return 0.0
    mid = len(counts) // 2
    return float(counts[mid]) if len(counts) % 2 else (counts[mid - 1] + counts[mid]) / 2


def marked(c: Conservation, usual: float) -> bool:
    """A page whose unboxed characters exceed the usual count by more than OUTSIDE_WARN of its text."""
    return c.outside - usual > OUTSIDE_WARN * c.text_layer


def _page_section(
    model: ReviewModel,
    scan: PageScan,
    cons: Conservation,
    issues: Sequence[tuple[int, Issue]],
    page_file: PageFile,
    usual: float,
) -> str:
    doc = model.doc
    table_ids = {t.id for t in doc.tables}
    boxes = [b for b in model.boxes if b.page == scan.page]
    boxes.sort(key=lambda b: DRAW_ORDER.index(b.kind))
    labels = doc.metadata.page_labels
    label = labels[scan.page - 1] if scan.page - 1 < len(labels) else None
    title = f"Page {scan.page}" + (f" (printed {label})" if label else "")
    side = [_counts(cons, marked(cons, usual))]
    if issues:
        items = "".join(
            f'<li><span class="sev-{_e(i.severity)}">{_e(i.severity)}</span> {_link(f"issue-{n}", i.code)} '
            f"{_e(i.where)} {_issue_links(i)}</li>"
            for n, i in issues
        )
        side.append(f"<h3>Issues on this page</h3><ul>{items}</ul>")
    heads = [s for s in doc.sections if s.provenance and s.provenance[0].page == scan.page]
    if heads:
        items = "".join(
            f"<li>{_link(f'tree-{s.id}', f'{s.number} {s.title}'.strip())} "
            f'<span class="meta">{_e(s.id)} · {s.kind} · level {_level(s)}</span></li>'
            for s in heads
        )
        side.append(f"<h3>Headings</h3><ul>{items}</ul>")
    for t in doc.tables:
        if t.pages and t.pages[0] == scan.page:
            side.append(table_grid(t))
        elif scan.page in t.pages:
            side.append(f"<p>{_link(f'table-{t.id}', f'{t.id}')} continues here (grid on page {t.pages[0]}).</p>")
    overlay = "".join(_box_html(b, scan, _box_target(b, table_ids)) for b in boxes)
    img = (
        f'<img src="{_e(page_file(scan.page))}" alt="page {scan.page}" '
        f'width="{round(scan.width)}" height="{round(scan.height)}">'
    )
    return (
        f'<section class="page" id="page-{scan.page}"><h2>{_e(title)}</h2>'
        f'<div class="pagegrid{" wide" if scan.width > scan.height else ""}">'
        f'<div class="scan">{img}{overlay}</div><div class="side">{"".join(side)}</div></div></section>'
    )


# ---------------------------------------------------------------- summary parts


def _tree(sections: Sequence[Section], model: ReviewModel) -> str:
    children: dict[str | None, list[Section]] = defaultdict(list)
    ids = {s.id for s in sections}
    for s in sections:
        children[s.parent if s.parent in ids else None].append(s)
    first_box: dict[str, str] = {}
    for b in model.boxes:
        first_box.setdefault(b.ref, b.dom_id)

    def walk(parent: str | None) -> Iterator[str]:
        for s in children.get(parent, []):
            target = first_box.get(s.id, f"page-{s.page}")
            text = f"{s.number} {s.title}".strip() or s.id
            pages = f"p.{s.page}" + (f"–{s.page_end}" if s.page_end != s.page else "")
            sub = "".join(walk(s.id))
            yield (
                f'<li id="tree-{_e(s.id)}">{_link(target, text)} <span class="meta">{_e(s.id)} · {s.kind} · '
                f"level {_level(s)} · {pages}</span>{f'<ul>{sub}</ul>' if sub else ''}</li>"
            )

    return f'<div class="tree"><ul>{"".join(walk(None))}</ul></div>'


def _issues_table(model: ReviewModel) -> Iterator[str]:
    """The failures and findings, a row at a time (thousands in a long report's validation)."""
    if not model.issues:
        yield "<p>No validation failures and no findings.</p>"
        return
    head = "<tr><th>severity</th><th>kind</th><th>rule / code</th><th>where</th><th>message</th><th>go to</th></tr>"
    yield f'<table class="issues"><thead>{head}</thead><tbody>'
    for n, i in enumerate(model.issues):
        yield (
            f'<tr class="issue" id="issue-{n}"><td class="sev-{_e(i.severity)}">{_e(i.severity)}</td><td>{i.kind}</td>'
            f'<td>{_e(i.code)}</td><td>{_e(i.where)}</td><td class="msg" title="{_e(i.detail)}">{_e(i.message)}</td>'
            f"<td>{_issue_links(i)}</td></tr>"
        )
    yield "</tbody></table>"


def _tables_index(model: ReviewModel) -> str:
    if not model.doc.tables:
        return "<p>No tables.</p>"
    rows = "".join(
        f"<tr><td>{_link(f'table-{t.id}', t.id)}</td><td>{_e(t.number or '')}</td><td>{_e(t.caption)}</td>"
        f"<td>{_e(', '.join(map(str, t.pages)))}</td><td>{len(t.header)}+{len(t.rows)}</td>"
        f"<td>{_e(t.extractor)}</td><td>{'' if t.quality is None else f'{t.quality:.2f}'}</td></tr>"
        for t in model.doc.tables
    )
    head = (
        "<tr><th>id</th><th>number</th><th>caption</th><th>pages</th><th>header+body rows</th>"
        "<th>extractor</th><th>quality</th></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"


CHAR_NOTE = (
    "All counts are characters other than whitespace. <b>text layer</b>: characters the PDF's text layer "
    "prints on the page (pdfium), including page furniture and table-of-contents lines. "
    "<b>in recorded boxes</b>: of those, the ones whose centre lies inside a box document.json records "
    "(a character inside several boxes counts once, for the first of table, caption, heading, paragraph). "
    "<b>outside every box</b>: printed but inside no recorded box: running headers, footers and page "
    "numbers (not recorded in document.json), table captions (no box recorded), cover and table-of-contents "
    "lines, and anything the pipeline dropped. <b>written</b>: characters of the extracted text that "
    "document.json attributes to the page (heading lines, paragraphs, table captions and cells, figure "
    "captions; a paragraph over two pages is shared in proportion to its text-layer characters on each). "
    "Written can exceed the text layer where a table repeats a merged cell's text in every cell it covers. "
    "Marked pages: those whose characters outside every box exceed the document's usual count per page "
    f"(the median, {{usual:.0f}} here: about what the running header and page number take) by more than "
    f"{OUTSIDE_WARN:.0%} of the page's characters."
)


def _chars_table(model: ReviewModel, usual: float) -> str:
    rows = []
    for c in model.conservation:
        kinds = "".join(f"<td>{c.in_boxes.get(k, 0)}</td>" for k in BOX_KINDS)
        rows.append(
            f"<tr{' class=warn' if marked(c, usual) else ''}><td>{_link(f'page-{c.page}', str(c.page))}</td>"
            f"<td>{c.text_layer}</td><td>{c.boxed}</td>{kinds}<td>{c.outside}</td><td>{c.written}</td></tr>"
        )
    tl = sum(c.text_layer for c in model.conservation)
    boxed = sum(c.boxed for c in model.conservation)
    out = sum(c.outside for c in model.conservation)
    wr = sum(c.written for c in model.conservation)
    kind_totals = "".join(f"<td>{sum(c.in_boxes.get(k, 0) for c in model.conservation)}</td>" for k in BOX_KINDS)
    rows.append(f"<tr><th>all</th><th>{tl}</th><th>{boxed}</th>{kind_totals}<th>{out}</th><th>{wr}</th></tr>")
    head = (
        "<tr><th>page</th><th>text layer</th><th>in boxes</th>"
        + "".join(f"<th>in {k}</th>" for k in BOX_KINDS)
        + "<th>outside every box</th><th>written</th></tr>"
    )
    return (
        f'<p class="note">{CHAR_NOTE.format(usual=usual)}</p><details><summary>per page</summary>'
        f'<table class="chars"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></details>'
    )


def _legend() -> str:
    present = "".join(
        f'<span><i style="border-color:{COLOURS[k]}"></i>{k}: {_e(KIND_NOTES[k])}</span>' for k in DRAW_ORDER
    )
    absent = "".join(
        f'<span class="absent">not drawn, not recorded in document.json: {_e(k)}</span>' for k in NOT_RECORDED
    )
    return f'<div class="legend">{present}{absent}</div>'


def review_html(model: ReviewModel, page_file: PageFile) -> str:
    """The whole review page for the model; `page_file(n)` names page n's image beside it."""
    return "".join(review_html_parts(model, page_file))


def review_html_parts(model: ReviewModel, page_file: PageFile) -> Iterator[str]:
    """The review page in pieces, one per page after its head (itself in pieces: the issues table a
    row at a time) and before its tail: written out as they come, a long document's page never sits
    in memory whole (bench/bench_memory.py, review mode)."""
    doc = model.doc
    md = doc.metadata
    failures = sum(i.kind == "failure" for i in model.issues)
    findings = len(model.issues) - failures
    by_page: dict[int, list[tuple[int, Issue]]] = defaultdict(list)
    for n, issue in enumerate(model.issues):
        if issue.page is not None:
            by_page[issue.page].append((n, issue))
    usual = usual_outside(model.conservation)
    page_links = "".join(
        f'<a href="#page-{c.page}"{" class=warn" if marked(c, usual) else ""}>{c.page}</a>' for c in model.conservation
    )
    title = " · ".join(str(x) for x in (doc.doc_id, md.school, md.report_year) if x)
    yield f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Review · {_e(title)}</title><link rel="icon" href="data:,"><style>{CSS}</style></head>
<body><header class="top"><h1>Review · {_e(title)}</h1>
<nav><a href="#issues">Issues ({failures} failures, {findings} findings)</a><a href="#sections">Sections</a>
<a href="#tables">Tables ({len(doc.tables)})</a><a href="#characters">Characters</a></nav>
{_legend()}</header>
<main>
<p class="meta">{_e(doc.source.path)} · {doc.source.pages} pages · sha256 {_e(doc.source.sha256[:12])}… ·
nianbao {_e(doc.pipeline_version)} · {len(doc.sections)} sections, {len(doc.paragraphs)} paragraphs,
{len(doc.tables)} tables, {len(doc.figures)} figures · validation: {model.evaluated} checks, {model.passed} passed</p>
<div class="pages">Pages: {page_links}</div>
<h2 id="issues">Validation failures and findings</h2>"""
    yield from _issues_table(model)
    yield f"""
<h2 id="sections">Section tree</h2>{_tree(doc.sections, model)}
<h2 id="tables">Tables</h2>{_tables_index(model)}
<h2 id="characters">Characters per page</h2>{_chars_table(model, usual)}
"""
    for scan, cons in zip(model.scans, model.conservation, strict=True):
        yield _page_section(model, scan, cons, by_page.get(scan.page, []), page_file, usual)
    yield f"""
</main><script>{SCRIPT}</script></body></html>
"""
