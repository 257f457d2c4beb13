"""Structure stage: headings, sections, cases, captions, front matter and the TOC.

roles.py        what each line is (heading, caption, table, case head, list entry, body …)
outline.py      the open headings: levels from the numbering tiers in use, ids
fold.py         classified lines folded into sections, paragraphs, figures
frontmatter.py  cover, declaration and TOC pages; metadata
stage.py        build_structure: the stage function
"""

from __future__ import annotations

from .stage import build_structure

__all__ = ["build_structure"]
