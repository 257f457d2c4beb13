"""A headless Chromium for the page tests: Debian's `chromium` and `chromedriver`, never a download.

Selenium is given the driver's path, so Selenium Manager (which would download a browser or
driver) never runs; `chrome()` also makes it fail loudly if anything tried. In CI (CI=true) a
missing browser fails the test; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("NIANBAO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("NIANBAO_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
INSTALL_HINT = "apt-get install chromium chromium-driver (.ci/run does this)"


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            return f"{path} not found: {INSTALL_HINT}"
    return None


def require_browser() -> None:
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def _no_download(*_: Any, **__: Any) -> Any:
    raise AssertionError("Selenium Manager must not run: the tests use the system chromedriver")


@contextmanager
def chrome(width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A headless Chromium session with the browser console log enabled."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars", "--no-first-run"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SeleniumManager, "binary_paths", _no_download)
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """Messages the page logged at error level since the last call (JS errors, failed loads)."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
