"""The input path an output records (`source.path`, `manifest.input.path`, the database's
`source_path`, the backfill index): never this machine's layout.

A relative path is kept as typed (so `raw/x.pdf` reads the same on every machine and outputs do
not change). An absolute one is made relative to the working folder when it lies inside it, else
to the input root it was found under (the root folder's name, then the path below it); a file
named on its own is recorded by its file name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePath


def recorded_path(path: str | PurePath, roots: Iterable[str | PurePath] = ()) -> str:
    """What outputs record for `path`, found under one of `roots` (the PATH arguments given)."""
    p = Path(path)
    if not p.is_absolute():
        return str(p)
    here = Path(os.path.abspath(p))
    try:
        return str(here.relative_to(Path.cwd()))
    except ValueError:
        pass
    for root in roots:
        top = Path(os.path.abspath(root))
        if here == top:
            return here.name
        try:
            return str(PurePath(top.name) / here.relative_to(top))
        except ValueError:
            continue
    return here.name
