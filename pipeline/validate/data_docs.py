"""GX Data Docs for one document's run, as files for the emit stage to write under data_docs/.

The ephemeral context keeps validation results in memory, and `ValidationDefinition.run` stores
each one there. The stage empties the store before a document's suites run (under the runtime's
lock), so the site built here from the store shows that document's run only, even in a batch.
It is built into a temporary folder, read back as bytes and the folder deleted: emit writes
output atomically and wants file contents, not a folder. The large animated how-to images GX
ships (3.3 MB per report, shown only by how-to buttons, which are turned off) are left out.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..offline_docs import DATA_DOCS_DIR, offline_data_docs
from .suites import GxRuntime, quiet_row_conditions

_SITE = "nianbao_site"
_SKIP = frozenset({"glossary_scroller.gif", "validation_failed_unexpected_values.gif", "iterative-dev-loop.png"})


def build_data_docs(rt: GxRuntime, folder: Path) -> None:
    """Build the site (suite pages and the stored run's validation pages) into folder."""
    ctx = rt.context
    with rt.lock, quiet_row_conditions():
        sites = dict(ctx.variables.data_docs_sites or {})
        sites[_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        ctx.variables.data_docs_sites = sites
        ctx.build_data_docs(site_names=[_SITE])


def data_docs_files(rt: GxRuntime) -> dict[str, bytes]:
    """The site for the results now in the store, as {data_docs/<relative path>: bytes}, readable offline."""
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-docs-"))
    try:
        build_data_docs(rt, tmp)
        return offline_data_docs(
            {
                f"{DATA_DOCS_DIR}/{p.relative_to(tmp).as_posix()}": p.read_bytes()
                for p in sorted(tmp.rglob("*"))
                if p.is_file() and p.name not in _SKIP
            }
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
