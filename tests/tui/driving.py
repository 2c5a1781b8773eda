"""Driving the review app through Textual's Pilot: the app on a project, a test run in its
own event loop, typing, the screen as text, the segments as another process reads them."""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled

from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.records import SegmentRecord
from workbench.tui.app import ReviewApp
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.widgets.detail import TextPane

RELATIONS = """\
エルチベイの1年間の統治の間に、アゼルバイジャンとロシアの関係は損なわれました。
エルチベイの政治は「反ロシア」と呼ばれています。
1993年にヘイダル・アリエフが政権を握った。
バクーはアゼルバイジャンの首都です。
"""
OTHER = "モスクワはロシアの首都です。\n"
GLOSSARY = """\
en\tja\ttype
Abulfaz Elchibey\tエルチベイ|アバルファズ・エルチビー\tperson
Azerbaijan\tアゼルバイジャン\tplace
Russia\tロシア\tplace
Heydar Aliyev\tヘイダル・アリエフ\tperson
"""


@asynccontextmanager
async def reviewing(root: Path, size: tuple[int, int] = (120, 36),
                    doc: str | None = None) -> AsyncIterator[tuple[ReviewApp, Pilot[None]]]:
    """The app on `root`, started, with its start-up workers finished."""
    project = Project.open(root)
    sync(project)
    app = ReviewApp(project, doc)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            yield app, pilot
    finally:
        project.close()


def drive(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


WATCHING = frozenset({"changes"})
"""Worker groups that run as long as the app (the change feed of a shared project)."""


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, timers scheduled after refresh and thread workers run out (a worker
    cancelled by a newer one of its group is run out too; a watching one is not waited for)."""
    for _ in range(2):
        await pilot.pause()
        while True:
            working = [w for w in pilot.app.workers if w.group not in WATCHING]
            try:
                if working:
                    await pilot.app.workers.wait_for_complete(working)
                break
            except WorkerCancelled:
                await pilot.pause()
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type into the focused Input or TextArea (as pasting would: one edit, not a key each)."""
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    elif isinstance(focused, TextArea):
        focused.insert(text)
    else:
        raise AssertionError(f"nothing to type into: {focused!r}")
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    """The screen as plain text, one line per terminal row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def stored(root: Path, doc: str = "relations") -> list[SegmentRecord]:
    """The segments as another process would read them."""
    with Project.open(root, write=False) as project:
        return project.segments(doc)


def review_screen(app: ReviewApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def pane(app: ReviewApp, name: str) -> str:
    """The plain text of one pane of the current segment."""
    if name == "final":
        return app.review.editor.text
    return app.review.query_one(f"#{name}", TextPane).text


def kill_9_when_ready(script: str, *args: str, ready: str, packages: Path) -> int:
    """Run `script` (a review driven in another process) until it prints `ready`, then
    kill -9 it: what it wrote must survive with nothing closed properly. Returns its exit
    status. `packages` is an empty models folder, so no MT model is found."""
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages)}
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == ready, proc.stderr.read() if proc.stderr else ""
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    return proc.returncode
