"""A real, headless Chromium driven by Playwright, for tests that open a page as a person would.

Debian's ``chromium`` package provides the browser (``make setup`` installs
it); Playwright only drives it, so nothing is downloaded at test time.  Tests
use the ``browser_page`` fixture (see ``conftest.py``) and :func:`screenshot`,
which saves under the git-ignored ``tests/artifacts/``.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
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


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyter_server(root, scratch, app="jupyter-server", token="", env=None):
    """A Jupyter server (``app``: ``jupyter-server`` or ``jupyter-lab``) on 127.0.0.1 in ``root``; yields its URL.

    Its config, data and runtime folders are in ``scratch`` unless ``env``
    sets them; ``--allow-root`` because CI runs as root (Jupyter refuses
    root without it); the log is ``scratch/server.log``.
    """
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {"JUPYTER_CONFIG_DIR": str(scratch / "cfg"), "JUPYTER_RUNTIME_DIR": str(scratch / "run"),
           "JUPYTER_DATA_DIR": str(scratch / "data"), **os.environ, **(env or {}),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    command = [str(bin_dir / app), "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               "--ServerApp.password=", f"--ServerApp.root_dir={root}"]
    url = f"http://127.0.0.1:{port}"
    log_path = scratch / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{app} did not start:\n{log_path.read_text()}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
