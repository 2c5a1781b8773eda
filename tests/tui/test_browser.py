"""The workbench in a browser: `workbench serve` driven by Selenium through headless Chromium
(Debian's chromium and chromium-driver; the tests skip without them). The screen is read from
the page's terminal, keys are typed into it, and what they did is read back from the state."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from projects import SOURCES, make_project, use_backend

from workbench.core.ingest import sync
from workbench.core.project import Project

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="needs Debian's chromium and chromium-driver"),
]

# The page keeps its xterm.js terminal to itself: catch it as it is built (every Terminal
# sets `_addonManager` in its constructor) to read the screen from its buffer.
CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, '_addonManager', {
  configurable: true,
  set(value) {
    window.__terminals.push(this);
    Object.defineProperty(this, '_addonManager', {value, writable: true, configurable: true});
  },
});
"""
READ_SCREEN = """
const t = window.__terminals && window.__terminals[0];
if (!t) return '';
const b = t.buffer.active, lines = [];
for (let y = 0; y < t.rows; y++) {
  const line = b.getLine(b.viewportY + y);
  lines.push(line ? line.translateToString(true) : '');
}
return lines.join('\\n');
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(root: Path, *options: str) -> Iterator[str]:
    """`workbench serve` on a free loopback port as the reviewer "web", stopped (with its
    tabs) at the end."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "-C", str(root), "--user", "web",
                             "serve", "--port", str(port), *options], env=env,
                            start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            assert proc.poll() is None, "workbench serve exited"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,900",
                f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def open_tab(driver: Any, url: str, *, reviewer: str | None = None, new: bool = False) -> None:
    """Load the workbench page in this (or a new) tab, as `reviewer` if given (the header an
    authenticating proxy would add)."""
    if new:
        driver.switch_to.new_window("tab")
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
    if reviewer is not None:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                               {"headers": {"X-Remote-User": reviewer}})
    driver.get(url)


def screen_until(driver: Any, wanted: Callable[[str], bool], timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = driver.execute_script(READ_SCREEN) or ""
        if wanted(text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"not on screen after {timeout} s:\n{text}")


def press(driver: Any, keys: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)


def state_until(root: Path, check: Callable[[Project], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Project.open(root, write=False) as project:
            if check(project):
                return
        time.sleep(0.2)
    raise AssertionError("the change never reached the state")


def test_a_tab_accepts_a_segment_and_a_second_tab_is_told_of_the_lock(
        tmp_path: Path, browser: Any) -> None:
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        sync(project)
        first = project.segments()[0]
    with serving(root) as url:
        open_tab(browser, url)
        screen = screen_until(browser, lambda s: "東京" in s and "まだ訳されていない文" in s)
        assert "<b>東京</b>と大阪&京都の関係。" in screen
        press(browser, "a")         # accept Normalized as final, go to the next segment
        # with no MT and no glossary name, Normalized is the Japanese: asked first
        screen_until(browser, lambda s: "Japanese left in the English" in s)
        from selenium.webdriver.common.keys import Keys

        press(browser, Keys.ARROW_DOWN + Keys.ENTER)       # "Mark it reviewed anyway"
        state_until(root, lambda p: p.segment(first.id).status == "reviewed")
        with Project.open(root, write=False) as project:
            record = project.segment(first.id)
        assert (record.final, record.updated_by) == (SOURCES[0], "web")
        screen_until(browser, lambda s: "1/6 done" in s)

        open_tab(browser, url, new=True)
        screen = screen_until(browser, lambda s: "open in another workbench" in s)
        assert "workbench state copy --to" in screen


def test_tabs_on_a_postgresql_project_review_at_once_each_as_its_reviewer(
        tmp_path: Path, browser: Any, pg_url: str) -> None:
    """Two tabs, two reviewers: each accept is written as its reviewer, and each tab shows
    the other's accept live (the change feed), without a reload."""
    from selenium.webdriver.common.keys import Keys

    root = use_backend(make_project(tmp_path / "proj"), pg_url)
    with Project.open(root) as project:
        sync(project)
        first, second = project.segments()[:2]
    with serving(root, "--user-header", "X-Remote-User") as url:
        open_tab(browser, url, reviewer="alice")
        screen_until(browser, lambda s: "絵文字" in s)
        open_tab(browser, url, reviewer="bob", new=True)
        screen_until(browser, lambda s: "絵文字" in s)
        press(browser, "j")         # bob goes to the second segment
        screen_until(browser, lambda s: "#2 · 2/6" in s)
        press(browser, "a")         # Normalized is still Japanese here: asked first
        screen_until(browser, lambda s: "Japanese left in the English" in s)
        press(browser, Keys.ARROW_DOWN + Keys.ENTER)
        state_until(root, lambda p: p.segment(second.id).done)
        browser.switch_to.window(browser.window_handles[0])
        shown = screen_until(browser, lambda s: "1/6 done" in s, timeout=10)
        assert "#1 · 1/6" in shown          # bob's accept came in; alice was not moved
        press(browser, "a")         # and alice accepts the first
        screen_until(browser, lambda s: "Japanese left in the English" in s)
        press(browser, Keys.ARROW_DOWN + Keys.ENTER)
        state_until(root, lambda p: p.segment(first.id).done and p.segment(second.id).done)
        with Project.open(root, write=False) as project:
            assert project.segment(first.id).updated_by == "alice"
            assert project.segment(second.id).updated_by == "bob"
        browser.switch_to.window(browser.window_handles[1])
        screen_until(browser, lambda s: "2/6 done" in s, timeout=10)
