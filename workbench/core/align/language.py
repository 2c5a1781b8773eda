"""The target side of an alignment, as one language sees it: what the aligner asks of it.

A language splits a translation into sentences (after undoing extraction damage), says which
numbers a sentence states and which content words it has. English is the one there is
(`workbench.core.align.english`); another (German, Russian) is a module with the same four
methods, listed in `workbench.core.align.languages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from workbench.core.cleanup import Deletion


@dataclass(frozen=True)
class Sentence:
    """A target sentence, the 1-based line of the translation file where it starts, and
    the paragraph (or heading, footnote) it is in: `unit` counts them from 0."""

    text: str
    line: int
    unit: int = 0
    kind: str = "paragraph"


@dataclass(frozen=True)
class SplitTranslation:
    """A translation cut into sentences, with what the cleanup removed on the way."""

    sentences: list[Sentence]
    deletions: list[Deletion]
    layout: str


class TargetLanguage(Protocol):
    """What the aligner needs of the language a translation is in."""

    code: str
    name: str

    def sentences(self, text: str, layout: str = "auto") -> SplitTranslation:
        """A whole translation (a file's text) cleaned and cut into sentences."""
        ...

    def split(self, text: str) -> list[str]:
        """One short text (a segment's translation) cut into sentences, nothing removed."""
        ...

    def join(self, sentences: Sequence[str]) -> str:
        """Sentences as one text, the way the language writes them one after another."""
        ...

    def numbers(self, text: str) -> set[float]:
        """The numbers a sentence states, read as the number check reads them."""
        ...

    def words(self, text: str) -> set[str]:
        """The content words of a sentence, folded (lower case, plural and possessive off)."""
        ...
