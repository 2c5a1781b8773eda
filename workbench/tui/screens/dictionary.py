"""The dictionary panel: JMdict and JMnedict glosses of the Japanese word at a cursor in the
source, word by word, for a reviewer with no MT model (or a doubt about one).

The dictionary is opened by the first lookup, in a thread worker: the review's first paint
never waits for it, and the panel says "Looking up…" meanwhile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from workbench.core.dictionary import DictEntry, Found, JapaneseDictionary, japanese_dictionary
from workbench.core.errors import WorkbenchError
from workbench.tui.workers import Background

_SHOWN_ENTRIES = 8
"""Entries shown for one word (a common reading has dozens of names)."""
# Where a word of its own starts: kanji or katakana (a hiragana run is mostly particles and
# endings, which the dictionary reads as homophones: は as 羽).
_WORD_START = re.compile("[\u3005\u30a0-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")


@dataclass(frozen=True)
class Pick:
    """The word the reviewer chose to add to the glossary, with the English to start from."""

    ja: str
    en: str


@dataclass
class WordLooked(Message):
    """The dictionary word at a place in the source was looked up (None: no word there, or
    no dictionary: `problem` says which)."""

    position: int
    found: Found | None
    en: str = ""
    problem: str = ""


def look_up(dictionary: JapaneseDictionary, source: str, position: int, step: int,
            end: int | None = None) -> WordLooked:
    """The first dictionary word from `position` on in the direction `step` (+1 or -1), or
    exactly `source[position:end]` for a selection."""
    try:
        if end is not None:
            found = dictionary.word_at(source, position, end)
            return WordLooked(position, found, _english(dictionary, found))
        at = position
        while 0 <= at < len(source):
            if _WORD_START.match(source, at):
                found = dictionary.word_at(source, at)
                if found is not None:
                    return WordLooked(found.start, found, _english(dictionary, found))
            at += step
    except WorkbenchError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        return WordLooked(position, None, problem=f"{exc.detail}{hint}")
    return WordLooked(position, None)


def _english(dictionary: JapaneseDictionary, found: Found | None) -> str:
    """The English to prefill a glossary entry with: a name's from the dictionary, else the
    first gloss of the first sense."""
    if found is None:
        return ""
    name = dictionary.english(found.word)
    if name is not None and not name.guess:
        return name.text
    for entry in found.entries:
        for sense in entry.senses:
            if sense.glosses:
                return sense.glosses[0]
    return ""


class DictionaryPanel(ModalScreen[Pick | None]):
    """The source with the word at the cursor marked, and that word's dictionary entries.
    ← → go word by word, g adds the word to the glossary, escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,w", "dismiss(None)", "Close", id="dictionary.close",
                tooltip="Close the dictionary"),
        Binding("right,l", "step(1)", "Next word", id="dictionary.next",
                tooltip="Next word of the source"),
        Binding("left,h", "step(-1)", "Previous word", id="dictionary.previous",
                tooltip="Previous word of the source"),
        Binding("g,enter", "add_term", "Add term", id="dictionary.add-term",
                tooltip="Add the word to the glossary"),
    ]

    def __init__(self, source: str, start: int = 0, end: int | None = None,
                 dictionary: JapaneseDictionary | None = None) -> None:
        super().__init__()
        self.source = source
        self.start = start
        self.end = end
        self.dictionary = dictionary or japanese_dictionary()
        self.found: Found | None = None
        self.english = ""
        self.position = start
        self.background = Background(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="dictionary-panel") as box:
            box.border_title = "Dictionary"
            box.border_subtitle = "← → word · g add term · esc close"
            yield Static(self.source, id="dictionary-source", classes="dialog-context")
            with VerticalScroll(id="dictionary-entries"):
                yield Label("Looking up…", id="dictionary-glosses")

    def on_mount(self) -> None:
        self._look(self.start, 1, self.end)

    def _look(self, position: int, step: int, end: int | None = None) -> None:
        dictionary, source = self.dictionary, self.source
        self.background.start("dictionary",
                              lambda: look_up(dictionary, source, position, step, end))

    @on(WordLooked)
    def looked(self, message: WordLooked) -> None:
        if message.problem:
            self.query_one("#dictionary-glosses", Label).update(message.problem)
            return
        if message.found is None:
            if self.found is None:
                self.query_one("#dictionary-glosses", Label).update(
                    "No dictionary word here." if self.end is not None else
                    "No dictionary word in this source.")
            return       # at the first or the last word: stay on it
        self.found, self.english, self.position = message.found, message.en, message.position
        found = message.found
        marked = Content.assemble(self.source[:found.start],
                                  (found.word, "reverse bold"), self.source[found.end:])
        self.query_one("#dictionary-source", Static).update(marked)
        self.query_one("#dictionary-glosses", Label).update(entries_content(found.entries))

    def action_step(self, step: int) -> None:
        if self.found is None:
            return
        self._look(self.found.end if step > 0 else self.found.start - 1, step)

    def action_add_term(self) -> None:
        if self.found is not None:
            self.dismiss(Pick(self.found.word, self.english))


def entries_content(entries: tuple[DictEntry, ...]) -> Content:
    """Each entry on its own lines: headword, reading and dictionary, then its senses."""
    parts: list[Content | str | tuple[str, str]] = []
    for entry in entries[:_SHOWN_ENTRIES]:
        reading = f" 【{entry.kana[0]}】" if entry.kanji and entry.kana else ""
        parts += [(entry.headword + reading, "bold"), (f"  {entry.source}\n", "dim")]
        for n, sense in enumerate(entry.senses, 1):
            kinds = f" ({', '.join(sense.kinds)})" if sense.kinds else ""
            parts += [f"  {n}. {'; '.join(sense.glosses)}", (kinds, "dim"), "\n"]
    more = len(entries) - _SHOWN_ENTRIES
    if more > 0:
        parts.append((f"… and {more} more", "dim"))
    return Content.assemble(*parts)
