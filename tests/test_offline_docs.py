"""Data Docs pages rewritten to load packaged assets: paths by page depth, SRI dropped, vega only if used."""

from __future__ import annotations

from pipeline.offline_docs import CDN_FILES, VENDOR, offline_data_docs, offline_page

JQUERY = "https://code.jquery.com/jquery-3.7.1.min.js"
POPPER = "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"
LOGO = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png"
VEGA = (
    '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
    '<script src="https://cdn.jsdelivr.net/npm/vega-embed@6"></script>\n'
)
PAGE = f"""<head><link rel="shortcut icon" href="../../../static/images/favicon.ico"/>
<style>.x {{ background: url('{LOGO}') }}</style>
{VEGA}<script src="{JQUERY}"></script>
<script src="{POPPER}" integrity="sha384-abc" crossorigin="anonymous"></script>
<a href="https://greatexpectations.io">GX</a></head>"""


def test_a_deep_page_loads_its_assets_from_the_site_folder() -> None:
    out = offline_page(PAGE, "validations/a/b/c/page.html")
    up = "../../../../"
    assert f'<script src="{up}{VENDOR}/jquery-3.7.1.min.js"></script>' in out
    assert f'<script src="{up}{VENDOR}/popper-1.12.9.min.js"></script>' in out  # integrity/crossorigin gone
    assert f'href="{up}static/images/favicon.ico"' in out
    assert f"url('{up}static/images/logo-long.png')" in out
    assert "vega" not in out and "cdn" not in out
    assert 'href="https://greatexpectations.io"' in out  # a plain link is not a loaded asset


def test_vega_stays_on_a_page_that_draws_a_chart_and_the_index_needs_no_prefix() -> None:
    out = offline_page(PAGE + "<script>vegaEmbed('#c', spec)</script>", "index.html")
    assert VEGA.strip() in out
    assert f'<script src="{VENDOR}/jquery-3.7.1.min.js"></script>' in out


def test_site_files_gain_the_vendor_folder_other_files_pass_through() -> None:
    files = {"data_docs/index.html": PAGE.encode(), "data_docs/static/x.png": b"png", "validation.json": b"{}"}
    out = offline_data_docs(files)
    assert out["data_docs/static/x.png"] == b"png" and out["validation.json"] == b"{}"
    assert {f"data_docs/{VENDOR}/{name}" for name in CDN_FILES.values()} <= set(out)
    assert JQUERY not in out["data_docs/index.html"].decode()
    assert offline_data_docs({"validation.json": b"{}"}) == {"validation.json": b"{}"}
