"""The translation memory in the review screen: the TM pane and its prefetch, taking a match
into Final, repetitions marked and filled (and undone), the concordance, matches of work
reviewed in another project or imported from another tool's TMX.

The user's memory is in a temporary XDG_DATA_HOME (tests/conftest.py `user_data`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from driving import drive, pane, reviewing, screen_text, settle, stored, type_text

from workbench.core.memory.store import MemoryStore
from workbench.core.memory.tmx import import_tmx
from workbench.core.project import Project
from workbench.tui.screens.concordance import ConcordanceScreen
from workbench.tui.widgets.memory_pane import QUIET_SECONDS, MemoryPane
from workbench.tui.widgets.segment_list import REPEAT_MARK

TMX_UNIT = """<tu><tuv xml:lang="ja-JP"><seg>{ja}</seg></tuv>
<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>
"""


def write_tmx(path: Path, pairs: list[tuple[str, str]]) -> Path:
    """A TMX file as another CAT tool writes one (upper-case language codes)."""
    body = "".join(TMX_UNIT.format(ja=ja, en=en) for ja, en in pairs)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                    'creationtool="OtherCAT" srclang="JA-JP" segtype="sentence" '
                    f'adminlang="EN-US" datatype="plaintext"/><body>\n{body}</body></tmx>\n',
                    encoding="utf-8")
    return path


def import_into_memory(path: Path) -> None:
    with MemoryStore() as store:
        report = import_tmx(store, path)
    assert report.added and not report.skipped


FOREIGN = [
    ("1993年にヘイダル・アリエフが政権を握った。", "Heidar Aliev took power in 1993."),
    ("バクーはアゼルバイジャンの首都でした。", "Baku was the capital of Azerbaijan."),
]


def mirrored(root: Path) -> list[str]:
    """The English of the units the user's memory holds from the project at `root`."""
    with MemoryStore() as store:
        return [u.target for u in store.iter_units()
                if u.origin == str(root.resolve())]


def memory_pane(app: object) -> MemoryPane:
    return app.review.memory_pane  # type: ignore[attr-defined,no-any-return]


# ---------------------------------------------------------------- the pane
@drive
async def test_a_tmx_from_another_tool_gives_exact_and_fuzzy_matches(
        project_dir: Path, tmp_path: Path) -> None:
    import_into_memory(write_tmx(tmp_path / "othercat.tmx", FOREIGN))
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        screen = app.review
        screen.show_position(2)
        await settle(pilot)
        text = memory_pane(app).text
        assert text.splitlines()[0].startswith("1 100% · othercat.tmx")
        assert "Heidar Aliev took power in 1993." in text
        assert "TM 100%" in str(app.review.editor.border_title)
        screen.show_position(3)
        await settle(pilot)
        text = memory_pane(app).text
        first = text.splitlines()[0]
        assert first.startswith("1 ") and "othercat.tmx" in first
        score = int(first.split()[1].rstrip("%"))
        assert 70 <= score < 100
        # what differs from this segment's source (でした against です) is highlighted
        content = memory_pane(app).content
        marked = [content.plain[s.start:s.end] for s in content.spans
                  if "$error" in str(s.style)]
        assert marked and all(part in "でした" for part in marked)


@drive
async def test_the_next_segments_are_looked_up_before_the_reviewer_gets_there(
        project_dir: Path, tmp_path: Path) -> None:
    import_into_memory(write_tmx(tmp_path / "othercat.tmx", FOREIGN))
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        screen = app.review
        assert screen.segment_list.cursor == 0
        await settle(pilot)
        for _ in range(3):
            screen.action_move(1)   # no wait for a worker: the matches are there already
            shown = memory_pane(app).shown
            assert shown is not None
            assert memory_pane(app).current is not None
            assert memory_pane(app).current.segment_id == screen.current.record.id  # type: ignore[union-attr]
        assert shown.matches and shown.matches[0].target == "Baku was the capital of Azerbaijan."


@drive
async def test_a_key_held_down_looks_nothing_up_until_it_is_let_go(
        project_dir: Path, tmp_path: Path) -> None:
    lines = "".join(f"{n}年にバクーはアゼルバイジャンの首都でした。\n" for n in range(1900, 1940))
    (project_dir / "sources" / "long.ja.txt").write_text(lines, encoding="utf-8")
    import_into_memory(write_tmx(tmp_path / "othercat.tmx", FOREIGN))
    async with reviewing(project_dir, doc="long") as (app, pilot):
        screen = app.review
        background = memory_pane(app).background
        started: list[int] = []
        look_up = background.look_up
        background.look_up = lambda *a, **k: started.append(1) or look_up(*a, **k)  # type: ignore[method-assign]
        await settle(pilot)
        for position in range(20, 26):      # faster than QUIET_SECONDS apart
            screen.show_position(position)
        assert len(started) == 1            # the first move, after a pause; then none
        assert memory_pane(app).shown is None
        await pilot.pause(QUIET_SECONDS * 2)
        await settle(pilot)
        assert len(started) == 2            # let go: the segment on screen and the next ones
        shown = memory_pane(app).shown
        assert shown is not None and shown.matches
        assert memory_pane(app).current.segment_id == screen.current.record.id  # type: ignore[union-attr]


@drive
async def test_taking_a_match_enforces_the_glossary_and_checks_it(
        project_dir: Path, tmp_path: Path) -> None:
    import_into_memory(write_tmx(tmp_path / "othercat.tmx", FOREIGN))
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        screen = app.review
        screen.show_position(2)
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        record = stored(project_dir)[2]
        # the glossary's canonical name, as MT output gets it
        assert record.final == "Heydar Aliyev took power in 1993."
        assert record.status == "draft"
        assert screen.segment_list.cursor == 2      # the reviewer reads it before marking it
        assert pane(app, "final") == record.final
        with Project.open(project_dir, write=False) as project:
            origin = project.history(record.id)[-1].origin
        assert origin == "memory 100% othercat.tmx"
        assert record.id in screen.session.issues    # checked as it is now
        await pilot.press("z")
        await settle(pilot)
        assert stored(project_dir)[2].final is None


@drive
async def test_a_match_that_is_not_there_takes_nothing(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("3")
        await settle(pilot)
        assert all(r.final is None for r in stored(project_dir))
        assert "No match of 70% or more" in memory_pane(app).text


def test_opening_the_review_imports_no_matcher_before_first_paint() -> None:
    """The memory (numpy, the matcher) is imported when it is opened, after first paint."""
    code = ("import sys, workbench.tui.app; "
            "print(sorted(m for m in ('numpy', 'workbench.core.memory.match', "
            "'workbench.core.memory.lookup') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- reviewed elsewhere
REPEATED = """\
露はロシアの略です。
外交関係は1992年に樹立された。
露はロシアの略です。
首都はバクーです。
"""


@drive
async def test_reopening_a_project_shows_the_matches_of_work_reviewed_in_another(
        project_dir: Path, tmp_path: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        screen = app.review
        screen.show_position(3)
        await pilot.press("e", "ctrl+a", "backspace")
        await type_text(pilot, "Baku is the capital of Azerbaijan.")
        await pilot.press("escape", "r")
        await settle(pilot)
        # mirrored as the reviewer goes: a workbench open on another project finds it now
        assert mirrored(project_dir) == ["Baku is the capital of Azerbaijan."]
    other = tmp_path / "other-project"
    for sub in ("sources", "glossary", "aligned"):
        (other / sub).mkdir(parents=True)
    (other / "sources" / "capitals.ja.txt").write_text("バクーはアゼルバイジャンの首都です。\n",
                                                      encoding="utf-8")
    async with reviewing(other) as (app, pilot):
        await settle(pilot)
        text = memory_pane(app).text
        assert text.splitlines()[0].startswith(f"1 100% · {project_dir.name} · relations")
        assert text.splitlines()[2] == "Baku is the capital of Azerbaijan."


# ---------------------------------------------------------------- repetitions
@drive
async def test_repetitions_are_marked_filled_by_a_review_and_undone_together(
        project_dir: Path) -> None:
    (project_dir / "sources" / "repeats.ja.txt").write_text(REPEATED, encoding="utf-8")
    async with reviewing(project_dir, size=(80, 24), doc="repeats") as (app, pilot):
        rows = [line for line in screen_text(app).splitlines() if re.search(r"\d 露は", line)]
        assert len(rows) == 2 and all(REPEAT_MARK in row for row in rows)
        assert not any(REPEAT_MARK in line for line in screen_text(app).splitlines()
                       if "首都はバクー" in line)
        await pilot.press("e", "ctrl+a", "backspace")
        await type_text(pilot, "露 is short for Russia.")
        await pilot.press("escape", "r")
        await settle(pilot)
        records = stored(project_dir, "repeats")
        assert [r.status for r in records] == ["reviewed", "new", "reviewed", "new"]
        assert records[2].final == "露 is short for Russia."
        # the list shows the filled row as reviewed without a move over it
        filled_row = [line for line in screen_text(app).splitlines()
                      if re.search(r"\d 露は", line)][1]
        assert filled_row.lstrip("│").startswith("✓")
        app.review.show_position(2)
        await settle(pilot)
        assert "propagated from #1" in memory_pane(app).text
        assert "propagated from #1" in str(app.review.editor.border_subtitle)
        await pilot.press("z")
        await settle(pilot)
        records = stored(project_dir, "repeats")
        assert [r.status for r in records] == ["draft", "new", "new", "new"]
        assert records[0].final == "露 is short for Russia."     # the draft it was
        assert records[2].final is None


# ---------------------------------------------------------------- concordance
@drive
async def test_the_concordance_finds_one_and_two_characters_and_goes_to_a_hit(
        project_dir: Path, tmp_path: Path) -> None:
    (project_dir / "sources" / "repeats.ja.txt").write_text(REPEATED, encoding="utf-8")
    import_into_memory(write_tmx(tmp_path / "othercat.tmx",
                                 [("日露外交の歴史。", "The history of Japan-Russia diplomacy.")]))
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConcordanceScreen)
        await type_text(pilot, "露")
        await pilot.pause(0.4)
        await settle(pilot)
        wheres = [o.where for o in dialog.found]
        assert wheres == ["repeats #1", "repeats #3", "othercat.tmx"]
        assert "2 in the documents, 1 in the memory" in screen_text(app)
        dialog.query_one("#concordance-text").value = "外交"  # type: ignore[attr-defined]
        await pilot.pause(0.4)
        await settle(pilot)
        assert [o.where for o in dialog.found] == ["repeats #2", "othercat.tmx"]
        assert "…露はロシアの略です。" in screen_text(app)          # the sentence before
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is app.review
        assert app.review.session.doc == "repeats"
        assert app.review.current is not None and app.review.current.record.ordinal == 2


@drive
async def test_the_concordance_is_in_the_palette_and_the_keys(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        commands = {c.title: c.help for c in app.get_system_commands(app.review)}
        assert commands["Concordance: docs and TM"] == "key: c"
        assert commands["Take TM match 2 into Final"] == "key: 2"
        await pilot.press("f1")
        text = screen_text(app)
        assert "Memory" in text and "1 2 3 4 5 Take TM match N to Final" in text


# ---------------------------------------------------------------- 80x24
@drive
async def test_80x24_the_tm_pane_folds_out_in_place_of_the_list(
        project_dir: Path, tmp_path: Path) -> None:
    import_into_memory(write_tmx(tmp_path / "othercat.tmx", FOREIGN))
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        app.review.show_position(2)
        await settle(pilot)
        assert "─ TM " not in screen_text(app) and "Segments" in screen_text(app)
        assert "TM 100%" in screen_text(app)          # Final's title names the best match
        await pilot.press("0")
        text = screen_text(app)
        assert "─ TM " in text and "Segments" not in text
        assert "1 100% · othercat.tmx" in text
        await pilot.press("0")
        assert "Segments" in screen_text(app)
