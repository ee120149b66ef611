"""Fixtures for the browser tests: ``karstsim viz`` on a free localhost port and Debian's
Chromium driven by Playwright, with every request off this machine blocked."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from requirements_check import BROWSER, CHROMIUM, INSTALL_HINT, missing

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # pages in background tabs (a class of 30 in one browser) keep their timers running
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
LOCAL_PREFIXES = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")


def _require_browser() -> None:
    """Skip (before starting anything) when Chromium or Playwright is missing."""
    lacking = missing()[BROWSER]
    if lacking:
        pytest.skip(f"missing {', '.join(lacking)} ({INSTALL_HINT}; pip install playwright)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(*options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """``karstsim viz OPTIONS`` running in a subprocess on a free port: (its address, the
    process). Its output goes to a file (a pipe nobody reads would block the server once
    full: a class of 30 writes more than its 64 kB), named at the end."""
    _require_browser()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "karstsim", "viz", "--host", "127.0.0.1", "--port", str(port)]
    log_path = Path(tempfile.mkdtemp(prefix="karstsim-viz-")) / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([*command, *options], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"karstsim viz did not start:\n{log_path.read_text()}")
                time.sleep(0.5)
        try:
            yield url, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            print(f"karstsim viz's output: {log_path}")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """``karstsim viz`` running in a subprocess; its address."""
    with serving() as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium under Playwright (skipped before launching it when it or
    Playwright is missing)."""
    _require_browser()
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(page, name)``: save a screenshot in a temporary folder (the tests'
    artifacts; also copied to ``$KARSTSIM_SCREENSHOTS`` if set, e.g. ``docs`` to refresh
    the README's pictures); returns its path."""
    folder = Path(tempfile.mkdtemp(prefix="karstsim-screenshots-"))

    def save(page, name: str) -> Path:
        path = folder / name
        page.screenshot(path=str(path))
        extra = os.environ.get("KARSTSIM_SCREENSHOTS")
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(extra) / name)
        return path

    print(f"screenshots in {folder}")
    return save


@contextlib.contextmanager
def offline_page(browser, url: str, width: int = 1400, height: int = 2100) -> Iterator:
    """A fresh page of the app at ``url`` in a ``width`` × ``height`` window, loaded with
    every request off this machine blocked and its first chart drawn; fails if the page
    asked for anything from the internet."""
    context = browser.new_context(viewport={"width": width, "height": height})
    external: list[str] = []

    def only_local(route) -> None:
        if route.request.url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(url, wait_until="networkidle")
    tab.locator("img.karst-chart-forest").wait_for()
    yield tab
    context.close()
    assert external == [], f"the page asked for internet resources: {external}"


@pytest.fixture
def page(browser, app_url):
    """A fresh page of the app (see :func:`offline_page`)."""
    with offline_page(browser, app_url) as tab:
        yield tab
