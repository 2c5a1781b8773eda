"""80x24 is a size reviewers work at: the list, the header, the pane titles and the list of
keys must all be usable there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from driving import drive, pane, reviewing, screen_text, settle, type_text
from textual.binding import Binding

from workbench.tui.keys import REPAIR_KEYS, REVIEW_KEYS
from workbench.tui.screens.keys import KeysScreen
from workbench.tui.widgets.detail import TextPane
from workbench.tui.widgets.final_editor import FinalEditor

LONG_NAME = "diplomatic-bluebook-2025-russia-central-asia-caucasus"


def long_document(root: Path, segments: int = 30) -> Path:
    """A document with a long name and more segments than fit on screen."""
    lines = [f"第{n}文：エルチベイはバクーでロシアと会談した。" for n in range(1, segments + 1)]
    (root / "sources" / f"{LONG_NAME}.ja.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return root


@drive
async def test_80x24_shows_seven_rows_and_the_position_before_the_name(
        project_dir: Path, no_model: None) -> None:
    async with reviewing(long_document(project_dir), size=(80, 24), doc=LONG_NAME) as (app, pilot):
        rows = [line for line in screen_text(app).splitlines() if re.match(r"^. +\d+ 第", line)]
        assert [int(line.split()[0]) for line in rows] == list(range(1, 8))
        await pilot.press("down")
        header = screen_text(app).splitlines()[0].rstrip()
        assert header.endswith("0/30 done (0%)  #2 · 2/30")
        assert header.lstrip().startswith("diplomatic-bluebook-2025") and "…" in header
        await pilot.press("slash")
        await type_text(pilot, "第2")
        await pilot.press("enter")              # kept: the search applies at once
        await settle(pilot)
        header = screen_text(app).splitlines()[0].rstrip()
        assert "#2 · 1/" in header and "filter: “第2”" in header


@drive
async def test_the_mt_pane_names_the_model_without_its_settings(
        project_dir: Path, installed_model: Any) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        mt = app.review.query_one("#mt", TextPane)
        assert mt.note == "translate-ja_en@0.0.1"
        assert "beam" not in screen_text(app)
        assert "translate-ja_en@0.0.1" in screen_text(app)


@drive
async def test_f1_lists_the_workbench_keys_one_line_each_at_80x24(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, KeysScreen)
        lines = screen_text(app).splitlines()
        text = "\n".join(lines)
        for binding in [*REVIEW_KEYS, *REPAIR_KEYS, *FinalEditor.BINDINGS]:
            assert isinstance(binding, Binding)
            # a group of keys (cut, copy, paste) shares a line and a description
            tooltip = binding.group.description if binding.group else binding.tooltip
            assert tooltip and any(tooltip in line for line in lines), tooltip
        assert "[ ] Move a sentence up/down" in text
        assert "Scroll" not in text and "Focus Next" not in text
        first = next(line for line in lines if "⏎" in line)
        assert "Accept Normalized, go on" in first
        await pilot.press("f1")
        assert not isinstance(app.screen, KeysScreen)
        await pilot.press("question_mark", "escape")
        assert not isinstance(app.screen, KeysScreen)
        assert "エルチベイ" in pane(app, "source")


@drive
async def test_reopening_far_down_the_list_shows_the_segment_in_it(project_dir: Path,
                                                                   no_model: None) -> None:
    async with reviewing(long_document(project_dir), size=(80, 24), doc=LONG_NAME) as (app, pilot):
        app.review.show_position(19)
        await settle(pilot)
    async with reviewing(project_dir, size=(80, 24)) as (app, _):
        assert app.review.segment_list.cursor == 19
        rows = [line.split()[0] for line in screen_text(app).splitlines()[2:9]]
        assert "20" in rows
