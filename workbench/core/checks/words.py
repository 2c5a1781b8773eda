"""The spelling check: the English dictionary, and as known words the glossary's names and
the project's own list (glossary/words.txt)."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from workbench.core.checks.base import make_issue
from workbench.core.glossary.model import Glossary
from workbench.core.records import Issue, SegmentRecord
from workbench.core.spelling import (
    WORDS_FILE,
    Speller,
    find_dictionary,
    name_words,
    project_words,
)


def glossary_words(glossary: Glossary) -> set[str]:
    """Every word of the glossary's English: canonical names, their other accepted forms and
    the variants it rewrites (those are the glossary check's to report), and its Latin
    source spellings."""
    names: list[str] = []
    for entry in glossary.entries:
        names.extend((entry.en, entry.rendering, *entry.alternatives, *entry.en_variants))
    return set(name_words(names))


_SPELLERS: dict[tuple[Path, str, str, bytes], Speller] = {}
_LOCK = threading.Lock()


def speller_for(glossary: Glossary) -> Speller:
    """A speller that knows the glossary's names and glossary/words.txt (one per glossary and
    word list, kept: the TUI checks a document on each change). Raises SpellingUnavailable
    when no dictionary is installed."""
    folder = glossary.folder
    words_path = folder / WORDS_FILE if folder is not None else None
    try:
        stamp = words_path.read_bytes() if words_path is not None else b""
    except OSError:
        stamp = b""
    dic = find_dictionary()
    key = (dic, glossary.fingerprint, str(folder), stamp)
    with _LOCK:
        speller = _SPELLERS.get(key)
    if speller is None:
        speller = Speller.load(glossary_words(glossary) | project_words(folder), dic)
        with _LOCK:
            if len(_SPELLERS) >= 4:
                _SPELLERS.clear()
            _SPELLERS[key] = speller
    return speller


def spelling_issues(record: SegmentRecord, target: str, speller: Speller,
                    words: list[str] | None = None, reported: set[str] | None = None
                    ) -> list[Issue]:
    """One issue per word of `target` (split into `words`) the speller does not know, but
    those `reported` already (a name the glossary check rewrites, or its possessive)."""
    return [make_issue("spelling", "warning", record, _message(word), target)
            for word in speller.misspelt(target, words)
            if not reported or _possessed(word) not in reported]


def _possessed(word: str) -> str:
    """`word` without a possessive ending (Elchbey's: Elchbey)."""
    return word.removesuffix("'s").removesuffix("’s")


@lru_cache(maxsize=8192)
def _message(word: str) -> str:
    return (f"{word!r} is not in the English dictionary (a name? add it to the glossary or "
            f"to glossary/{WORDS_FILE})")
