"""A real, headless Chromium driven by Playwright, for tests that open a page as a person would.

Debian's ``chromium`` package provides the browser (``make setup`` installs
it); Playwright only drives it, so nothing is downloaded at test time.  Tests
use the ``browser_page`` fixture (see ``conftest.py``) and :func:`screenshot`,
which saves under the git-ignored ``tests/artifacts/``.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).with_name("artifacts")
CHROMIUM = os.environ.get("MDSI_CHROMIUM", "/usr/bin/chromium")
# No sync, updates or background traffic: the machine has no network, and a
# browser that keeps trying slows every start.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WINDOW = {"width": 1280, "height": 900}


def launch(playwright):
    """Start Chromium; fail (in CI) or skip (on a laptop without it) with the fix."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} not found: run `make setup` (it installs Debian's chromium) or set MDSI_CHROMIUM"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshot(page, name):
    """Save a full-page PNG as ``tests/artifacts/<name>.png``; return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wider_than_window(page):
    """Descriptions of the elements whose right edge lies beyond the window's width (none on a page that fits)."""
    return page.evaluate("""() => {
        const limit = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 0.5)
            .map(e => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className}: ` +
                      `right edge ${Math.round(e.getBoundingClientRect().right)} > ${limit}`);
    }""")


def offline_requests(page):
    """Collect every request the page makes to anything but ``file:``/``data:``, to prove it works offline."""
    made = []
    page.on("request", lambda request: made.append(request.url)
            if not request.url.startswith(("file:", "data:", "about:")) else None)
    return made
