"""nianbao: Chinese higher-vocational college quality reports (质量年度报告) from PDF to validated data.

The public Python API, importable from the package (loaded on first use, so `import pipeline`
stays fast and does not pull in pandas, Great Expectations or Prefect):

- `process_pdf(path, *, settings=DEFAULT_SETTINGS) -> Document`: load → normalize on one PDF.
- `run_stages(work, stages=STAGES, ...) -> Work`, `Work(path, settings)`, `STAGES`: the stage chain.
- `Settings`: the validated settings (`Settings.from_file(path)` reads a TOML file).
- `validate_document(doc, runtime=None) -> ValidationRun`: the Great Expectations suites.
- `write_outputs(doc, out_root, ..., validation=run) -> Path`: the output folder.
- `open_warehouse(url=None, output_root=Path("output")) -> Warehouse`: DuckDB or SQLAlchemy database.
- `Document`: the typed document model (document.json; JSON Schema in pipeline/schema).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .emit import write_outputs
    from .model import Document
    from .process import process_pdf
    from .settings import Settings
    from .stages import STAGES, Work, run_stages
    from .validate import validate_document
    from .warehouse import open_warehouse

_EXPORTS: dict[str, str] = {
    "process_pdf": ".process",
    "run_stages": ".stages",
    "Work": ".stages",
    "STAGES": ".stages",
    "Settings": ".settings",
    "validate_document": ".validate",
    "write_outputs": ".emit",
    "open_warehouse": ".warehouse",
    "Document": ".model",
}

__all__ = [
    "STAGES",
    "Document",
    "Settings",
    "Work",
    "__version__",
    "open_warehouse",
    "process_pdf",
    "run_stages",
    "validate_document",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562; Python caches the module itself)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
