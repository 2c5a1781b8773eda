"""The review's QA keys: asking before a final with Japanese left in it is marked done,
ignoring the issue shown, and the dictionary panel with its way to the add-term dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from driving import drive, pane, reviewing, settle, stored, type_text
from textual.widgets import Input, OptionList

from workbench.core.checks import IgnoreList
from workbench.core.dictionary import DictionaryUnavailable, japanese_dictionary
from workbench.core.project import Project
from workbench.tui.screens.dialogs import ChoiceDialog, GlossaryDialog
from workbench.tui.screens.dictionary import DictionaryPanel


def _dictionary_installed() -> bool:
    try:
        japanese_dictionary().lookup("関係")
    except DictionaryUnavailable:
        return False
    return True


@pytest.mark.asks_before_japanese_left
@drive
async def test_accepting_a_final_with_japanese_left_asks_first(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        # no MT: Normalized is the pre-translation, half Japanese
        assert "の1年間の統治" in app.review.current.normalized
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "Japanese left in the English: の, 年間の統治の間に、" in \
            app.screen.title_text
        await pilot.press("escape")              # not accepted: still new, still here
        await settle(pilot)
        assert stored(project_dir)[0].status == "new" and app.review.segment_list.cursor == 0
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "enter")       # "Mark it reviewed anyway"
        await settle(pilot)
        assert stored(project_dir)[0].status == "reviewed"
        assert app.review.segment_list.cursor == 1
        # "Edit Final first" goes to the editor, and marks nothing
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert stored(project_dir)[1].status == "new" and app.focused is app.review.editor


@pytest.mark.asks_before_japanese_left
@drive
async def test_an_english_final_is_accepted_without_asking(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("e", "ctrl+a", "backspace")
        await type_text(pilot, "During Elchibey's one year in power, relations between "
                        "Azerbaijan and Russia suffered.")
        await pilot.press("escape", "r")
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceDialog)
        assert stored(project_dir)[0].status == "reviewed"


@drive
async def test_the_issue_shown_is_ignored_and_stays_ignored(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("e", "ctrl+a", "backspace")
        await type_text(pilot, "the the relations between Azerbaijan and Russia suffered")
        await pilot.press("escape")
        await settle(pilot)
        assert "repeated-word" in pane(app, "qa") and "capital" in pane(app, "qa")
        await pilot.press("I")                   # several issues: which one?
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        labels = [str(app.screen.query_one(OptionList).get_option_at_index(i).prompt)
                  for i in range(app.screen.query_one(OptionList).option_count)]
        await pilot.press(*["down"] * next(i for i, text in enumerate(labels)
                                           if text.startswith("repeated-word")), "enter")
        await settle(pilot)
        assert "repeated-word" not in pane(app, "qa") and "capital" in pane(app, "qa")
    with Project.open(project_dir, write=False) as project:
        assert [e.check for e in IgnoreList(project).entries().values()] == ["repeated-word"]
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        assert "repeated-word" not in pane(app, "qa") and "capital" in pane(app, "qa")


@drive
async def test_ignore_with_no_issue_says_so(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("e", "ctrl+a", "backspace")
        await type_text(pilot, "During Elchibey's one year in power, relations between "
                        "Azerbaijan and Russia suffered.")
        await pilot.press("escape")
        await settle(pilot)
        qa = pane(app, "qa")
        await pilot.press("I")
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceDialog) and pane(app, "qa") == qa


needs_dictionary = pytest.mark.skipif(not _dictionary_installed(),
                                      reason="no JMdict (pip install jamdict jamdict-data)")


@needs_dictionary
@drive
async def test_the_dictionary_glosses_the_words_of_the_source(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        source = app.review.current.record.source
        await pilot.press("w")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, DictionaryPanel) and panel.found is not None
        # the first word no glossary entry names: エルチベイ is one, 年間 is not
        assert panel.found.word == "年間" and "year" in pane_text(panel)
        await pilot.press("right")
        await settle(pilot)
        assert panel.found.start > source.index("年間") and panel.found.word in source
        await pilot.press("left")
        await settle(pilot)
        assert panel.found.word == "年間"
        await pilot.press("g")                   # to the glossary, prefilled
        await settle(pilot)
        assert isinstance(app.screen, GlossaryDialog)
        assert app.screen.query_one("#term-ja", Input).value == "年間"
        assert "year" in app.screen.query_one("#term-en", Input).value


@needs_dictionary
@drive
async def test_the_dictionary_takes_the_word_selected(project_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        monkeypatch.setattr(app.review, "get_selected_text", lambda: "関係")
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.found is not None and app.screen.found.word == "関係"
        assert "relation" in pane_text(app.screen)


def pane_text(panel: DictionaryPanel) -> str:
    from textual.widgets import Label
    return str(panel.query_one("#dictionary-glosses", Label).content)
