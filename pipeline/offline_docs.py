"""Great Expectations Data Docs that work offline: CDN assets replaced by packaged copies.

GX's site templates load jQuery, Bootstrap, bootstrap-table, Font Awesome and more from public
CDNs, and its index renders its table of runs through them, so without a network the index is
blank. `offline_data_docs` rewrites each page to load the same files (the npm packages' dist
files, byte-identical to the CDN copies: their sha384 matches GX's `integrity` attributes) from
`data_docs/static/vendor/`, which it adds, and points GX's logo at the copy GX already ships
(and its favicon, which GX links two folders too shallow from validation pages, at the right depth).
Vega is only needed by pages that draw charts (`vegaEmbed`); none of the project's expectations
does, so its script tags are dropped from pages that never call it (a page that does keeps them).
Pure: files in, files out; the caller decides where they are written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

DATA_DOCS_DIR = "data_docs"
VENDOR = "static/vendor"

# CDN address (as GX 1.x's templates print it) → packaged file under pipeline/assets/datadocs/
CDN_FILES: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper-1.12.9.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table-filter-control-1.19.1.min.js"
    ),
    # GX asks for the 1.19.0 stylesheet of the extension: the 1.19.1 one is the same rules
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table-filter-control-1.19.1.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table-filter-control-1.19.1.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker-1.9.0.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker-1.9.0.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-prefers-dark-1.1.0.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
}
_GX_LOGO = re.compile(r"https://great-expectations-web-assets\.s3[^\"')\s]*\.png(\?[^\"')\s]*)?")
_VEGA_TAG = re.compile(r'<script src="https://cdn\.jsdelivr\.net/npm/vega(-lite|-embed)?@\d+"></script>\s*')
_SRI = re.compile(r'\s+(integrity="[^"]*"|crossorigin="[^"]*")')
_TAG = re.compile(r"<(?:script|link)\b[^>]*>")
# GX writes the favicon link of its validation pages two folders too shallow: fix every static/ path
_STATIC = re.compile(r'((?:href|src)=")(?:\.\./)*static/')


def vendor_files() -> dict[str, bytes]:
    """The packaged assets, keyed by their path under the vendor folder (licences included)."""
    root = resources.files("pipeline") / "assets" / "datadocs"
    out: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, f"{name}/")
            else:
                out[name] = child.read_bytes()

    walk(root, "")
    return out


def _relative_root(rel: str) -> str:
    """From a page at data_docs/<rel> back to data_docs/ ('' for the index, '../../' deeper)."""
    depth = len(PurePosixPath(rel).parts) - 1
    return "../" * depth


def offline_page(html: str, rel: str) -> str:
    """One Data Docs page with its CDN assets and GX's logo loaded from the site's own folder."""
    up = _relative_root(rel)
    if "vegaEmbed" not in html:
        html = _VEGA_TAG.sub("", html)

    def local_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        for url, name in CDN_FILES.items():
            if url in tag:
                # integrity and crossorigin would make a file:// load a failed CORS request
                return _SRI.sub("", tag.replace(url, f"{up}{VENDOR}/{name}"))
        return tag

    html = _STATIC.sub(lambda m: f"{m.group(1)}{up}static/", _TAG.sub(local_tag, html))
    return _GX_LOGO.sub(f"{up}static/images/logo-long.png", html)


def offline_data_docs(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The site's files ({data_docs/<path>: bytes}) with every page offline and the vendor folder added."""
    prefix = f"{DATA_DOCS_DIR}/"
    out: dict[str, bytes] = {}
    for key, data in files.items():
        if key.startswith(prefix) and key.endswith(".html"):
            out[key] = offline_page(data.decode("utf-8"), key[len(prefix) :]).encode("utf-8")
        else:
            out[key] = data
    if any(k.startswith(prefix) for k in files):
        out.update({f"{prefix}{VENDOR}/{name}": data for name, data in vendor_files().items()})
    return out
