"""Benchmark of the review TUI on a generated 20,000-segment project.

    python tests/benchmarks/bench_tui.py [--segments 20000] [--memory 100000]

The user's translation memory is a temporary one (XDG_DATA_HOME) holding `--memory` units,
edited copies of the demo's sentences (as bench_tm.py makes them), imported from TMX.

Prints one line per figure:
- first paint: wall time from starting `workbench review` in a pseudo-terminal to the
  first complete frame (footer drawn; the segments are read in a worker meanwhile), and
  to the segment list and first segment on screen, against a bare Textual app's first
  frame (the anchor: Python start-up and Textual's own import and first paint); medians
  of five runs after a warm-up run, with bytecode caching on as in a user's Python (in a
  temporary PYTHONPYCACHEPREFIX, whatever PYTHONDONTWRITEBYTECODE says), and once cold,
  compiling every module from source;
- move: mean time to go to the next segment and render the screen (panes, list, header,
  the TM pane), on the big project and on a 200-segment one (the anchor: a move must not
  grow with the document); and how many moves found the segment's matches prefetched,
  moving as fast as the loop can and at a reader's pace (a move every 0.3 s);
- typing into Final: what is written while the reviewer types, on the big project: the
  journal of the typed text (every 0.2 s while typing), the draft saved when typing pauses
  (a history entry), and a segment write on every keystroke (the alternative), against a
  bare one-row SQLite commit with synchronous=FULL in the same folder (the anchor: the
  disk's sync).
Targets: first paint under 1 s, a move under 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import io
import os
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from rich.console import Console
from textual.worker import WorkerCancelled

REPO = Path(__file__).resolve().parents[2]
COLUMNS, LINES = 120, 40

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static
class Bare(App):
    def compose(self):
        yield Static("bare")
        yield Footer()
Bare().run()
"""


def demo_sentences() -> list[str]:
    """Real sentences from the demo sources (one per line, split at 。)."""
    sentences = []
    for path in sorted((REPO / "sources").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences.extend(s + "。" for s in line.split("。") if len(s) > 8)
    return sentences


def make_project(root: Path, segments: int) -> Path:
    """A project with one document of `segments` sentences and the demo glossary."""
    (root / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "glossary", root / "glossary")
    (root / "aligned").mkdir()
    pool = demo_sentences()
    lines = [f"{pool[i % len(pool)]}" for i in range(segments)]
    (root / "sources" / "big.ja.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from workbench.core.ingest import sync
    from workbench.core.project import Project

    with Project.open(root) as project:
        sync(project)
    return root


def time_to_paint(argv: list[str], cwd: Path, *markers: bytes,
                  pycache: Path | None = None) -> list[float]:
    """Seconds from spawning `argv` in a pty until each marker has been written; with
    `pycache`, compiled modules are cached there (else none is written)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS),
           "LINES": str(LINES)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    found: dict[bytes, float] = {}
    try:
        while time.perf_counter() - start < 30:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 1 << 16)
                except OSError:
                    break
                now = time.perf_counter() - start
                for marker in markers:
                    if marker not in found and marker in seen:
                        found[marker] = now
                if len(found) == len(markers):
                    return [found[m] for m in markers]
        raise RuntimeError(f"not painted; output began {seen[:300]!r}")
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


async def move_ms(root: Path, moves: int, paced: int = 0) -> tuple[float, float, float, float]:
    """Mean and median ms to move to the next segment and render the screen for a terminal;
    the share of those moves, and of `paced` moves 0.3 s apart, that found the segment's
    memory matches already looked up."""
    from workbench.core.project import Project
    from workbench.tui.app import ReviewApp

    with Project.open(root) as project:
        app = ReviewApp(project)
        async with app.run_test(size=(COLUMNS, LINES)) as pilot:
            for _ in range(3):
                await pilot.pause()
                with contextlib.suppress(WorkerCancelled):   # a lookup a newer one replaced
                    await app.workers.wait_for_complete()
            screen = app.review
            console = Console(file=io.StringIO(), width=COLUMNS, height=LINES,
                              force_terminal=True, color_system="truecolor")

            def display(_screen: object, update: object) -> None:
                # headless apps skip encoding the update for the terminal: do it here
                if update is not None:
                    update.render_segments(console)  # type: ignore[attr-defined]

            app._display = display  # type: ignore[method-assign]
            times = []
            ready = 0
            for _ in range(moves):
                start = time.perf_counter()
                screen.action_move(1)
                ready += screen.memory_pane.shown is not None
                await pilot._wait_for_screen()  # the messages the move posted
                screen._on_timer_update()  # layout and render, as the refresh timer does
                times.append(time.perf_counter() - start)
            assert screen.segment_list.cursor == moves
            assert screen.memory_pane.memory is not None, "the memory did not open"
            ready_paced = 0
            for _ in range(paced):
                await pilot.pause(0.3)
                screen.action_move(1)
                ready_paced += screen.memory_pane.shown is not None
            return (1000 * statistics.mean(times), 1000 * statistics.median(times),
                    ready / moves, ready_paced / paced if paced else 0.0)


def make_memory(folder: Path, units: int) -> int:
    """The user's memory (in $XDG_DATA_HOME) with `units` edited copies of the demo's
    sentences, imported from a TMX file; returns the units it holds."""
    from bench_tm import Editor, seeds, write_tmx

    from workbench.core.glossary.folder import load_glossary
    from workbench.core.memory.store import MemoryStore
    from workbench.core.memory.tmx import import_tmx

    with MemoryStore() as store:
        if units:
            tmx = folder / "memory.tmx"
            write_tmx(tmx, Editor(seeds(), load_glossary(REPO / "glossary"), 7), units)
            import_tmx(store, tmx)
            tmx.unlink()
        return store.count()


def sync_ms(folder: Path, writes: int) -> float:
    """Mean ms of a one-row commit with synchronous=FULL in WAL mode, as the state writes."""
    import sqlite3

    db = sqlite3.connect(folder / "anchor.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for n in range(writes):
        db.execute("INSERT INTO t VALUES ('k', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                   (str(n),))
    db.close()
    return 1000 * (time.perf_counter() - start) / writes


def typing_ms(root: Path, writes: int) -> tuple[float, float]:
    """Mean ms of journaling the typed text and of saving it as a draft (a segment write)."""
    from workbench.core.project import Project
    from workbench.core.session import ReviewSession

    with Project.open(root) as project:
        session = ReviewSession.open(project)
        session.set_records(project.segments(session.doc))
        record = session.record_at(len(session) // 2)
        text = record.source
        start = time.perf_counter()
        for n in range(writes):
            session.journal(record.id, f"{text} {n}")
        journal = (time.perf_counter() - start) / writes
        start = time.perf_counter()
        for n in range(writes):
            session.update(record.id, final=f"{text} {n}", status="draft")
        draft = (time.perf_counter() - start) / writes
    return 1000 * journal, 1000 * draft


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--memory", type=int, default=100_000,
                        help="units in the user's translation memory (0: an empty one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")   # the children's too
        start = time.perf_counter()
        units = make_memory(Path(tmp), args.memory)
        print(f"setup: a memory of {units:,} units imported in "
              f"{time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        big = make_project(Path(tmp) / "big", args.segments)
        small = make_project(Path(tmp) / "small", 200)
        print(f"setup: {args.segments} segments ingested in {time.perf_counter() - start:.1f} s")
        workbench = [sys.executable, "-m", "workbench", "review"]
        bare_app = [sys.executable, "-c", BARE_APP]
        pycache = Path(tmp) / "pycache"
        # the frame (footer drawn), then the list and the first segment (header progress)
        time_to_paint(bare_app, big, b"palette", pycache=pycache)
        time_to_paint(workbench, big, b"palette", b"done (", pycache=pycache)
        runs = [time_to_paint(workbench, big, b"palette", b"done (", pycache=pycache)
                for _ in range(5)]
        paint = statistics.median(r[0] for r in runs)
        shown = statistics.median(r[1] for r in runs)
        bare = statistics.median(time_to_paint(bare_app, big, b"palette", pycache=pycache)[0]
                                 for _ in range(5))
        cold = time_to_paint(workbench, big, b"palette")[0]
        print(f"first paint, {args.segments} segments: {paint:.3f} s (target < 1 s)")
        print(f"segments on screen, {args.segments} segments: {shown:.3f} s")
        print(f"first paint, bare Textual app: {bare:.3f} s")
        print(f"first paint ratio: {paint / bare:.2f}x the bare app")
        print(f"first paint without cached bytecode: {cold:.3f} s")
        big_mean, big_median, ready, ready_paced = asyncio.run(move_ms(big, args.moves, 30))
        small_mean, small_median, _, _ = asyncio.run(move_ms(small, 150))
        print(f"move, {args.segments} segments: mean {big_mean:.1f} ms, median "
              f"{big_median:.1f} ms (target < 30 ms)")
        print(f"matches prefetched: {100 * ready:.0f}% of moves as fast as the loop goes, "
              f"{100 * ready_paced:.0f}% of moves 0.3 s apart")
        print(f"move, 200 segments: mean {small_mean:.1f} ms, median {small_median:.1f} ms")
        print(f"move ratio: {big_mean / small_mean:.2f}x the 200-segment document")
        anchor = sync_ms(Path(tmp), 50)
        journal, draft = typing_ms(big, 50)
        print(f"typing, {args.segments} segments: journal {journal:.1f} ms per write "
              f"(5 a second while typing: {journal * 5 / 10:.1f}% of the UI thread)")
        print(f"typing, {args.segments} segments: draft save {draft:.1f} ms (on a pause); "
              f"on every keystroke at 8 keys/s: {draft * 8 / 10:.1f}% of the UI thread and "
              "8 history entries a second")
        print(f"bare synced commit: {anchor:.1f} ms")
        print(f"journal ratio: {journal / anchor:.2f}x a bare synced commit; draft save ratio: "
              f"{draft / anchor:.2f}x")


if __name__ == "__main__":
    main()
