"""The `nianbao` script and `python -m pipeline`: an `ingest` that a running warm worker takes is
handed to it before anything of the command line is imported (typer, rich and the command modules
cost ~0.14 s of every handed command, `python -X importtime`); every other command runs the typer app.

Light imports only: the standard library and `pipeline.handoff`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(prog: str | None = None) -> None:
    from .handoff import from_command_line

    handed = from_command_line(sys.argv, prog or Path(sys.argv[0]).name or "nianbao")
    if handed is not None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.exit(handed)
    from .cli import app

    if prog:
        app(prog_name=prog)
    else:
        app()
