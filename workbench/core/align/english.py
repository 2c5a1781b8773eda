"""English as the target of an alignment: sentences, numbers and content words.

Sentences are cut by pysbd (the Golden Rules of sentence boundaries: `Mr.`, `U.S.`, `p. 98`,
`e.g.`, initials and decimals do not end one) after `cleanup_latin` has undone a page
extract's wraps and furniture. Numbers are read by `workbench.core.numbers` exactly as the
number check reads English (`$300 million`, `May 7`, `twenty-four`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from workbench.core.align.language import Sentence, SplitTranslation
from workbench.core.cleanup_latin import clean_latin
from workbench.core.numbers import english_numbers

# A sentence may end inside a text only at a stop followed by space and something that is
# not a lower-case letter (3.5, baotintuc.vn and `e.g. the` cannot): a text with no such
# stop is one sentence, and pysbd is not asked.
_INNER_STOP = re.compile(r"[.!?…][\"'”’)\]]*\s+(?![a-z])\S")
_ENDS = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "also", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "either", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "must", "my", "no", "nor", "not", "now", "of",
    "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "per",
    "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "upon", "very", "via", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yet",
    "you", "your",
))


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """`Agreements` → `agreement`, `country's` → `country`, `parties` → `party`: enough
    folding for a word of a dictionary gloss or an MT to meet the same word in a sentence."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class English:
    """The English side of an alignment (`workbench.core.align.language.TargetLanguage`)."""

    code = "en"
    name = "English"

    def __init__(self) -> None:
        self._local = threading.local()     # a pysbd segmenter per thread

    def _segmenter(self) -> Any:
        segmenter = getattr(self._local, "segmenter", None)
        if segmenter is None:
            import pysbd

            segmenter = self._local.segmenter = pysbd.Segmenter(language="en", clean=False)
        return segmenter

    def sentences(self, text: str, layout: str = "auto") -> SplitTranslation:
        cleaned = clean_latin(text, layout)
        out: list[Sentence] = []
        for k, unit in enumerate(cleaned.units):
            spans = [(0, len(unit.text))] if unit.kind == "heading" else self._spans(unit.text)
            out.extend(Sentence(unit.text[a:b], unit.line_at(a), k, unit.kind)
                       for a, b in spans)
        return SplitTranslation(out, list(cleaned.deletions), cleaned.layout)

    def split(self, text: str) -> list[str]:
        return [text[a:b] for a, b in self._spans(text)]

    def join(self, sentences: Sequence[str]) -> str:
        return " ".join(s.strip() for s in sentences if s.strip())

    def numbers(self, text: str) -> set[float]:
        return english_numbers(text)

    def words(self, text: str) -> set[str]:
        return {_fold(w) for w in _WORD.findall(text) if len(w) > 2 and
                w.lower() not in _STOPWORDS}

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans [start, end) of `text`, trimmed; every non-blank character lies in
        one of them, in order.

        The text is first cut where no rule could keep a sentence going (`_sure_stops`: a
        lower-case word that is no abbreviation, a stop, a space, a capital); pysbd sees only
        the pieces that still hold a stop inside (`Mr.`, `U.S.`, `3.5`). It compiles
        regular expressions per abbreviation per call: on whole paragraphs it costs a
        millisecond a sentence."""
        spans: list[tuple[int, int]] = []
        at = 0
        for cut in [*_sure_stops(text), len(text)]:
            spans.extend((a + at, b + at) for a, b in self._pieces(text[at:cut]))
            at = cut
        return spans

    def _pieces(self, text: str) -> list[tuple[int, int]]:
        a, b = _trimmed(text, 0, len(text))
        if a == b:
            return []
        if not _INNER_STOP.search(text, a, b):
            return [(a, b)]
        spans = []
        at = 0
        for piece in self._segmenter().segment(text):
            start = text.find(piece, at)
            if start < 0:       # pysbd changed the text after all: keep it whole
                return [(a, b)]
            end = start + len(piece)
            s, e = _trimmed(text, at, end)
            if s < e:
                spans.append((s, e))
            at = end
        if at < len(text):
            s, e = _trimmed(text, at, len(text))
            if s < e:
                spans.append((s, e))
        # pysbd starts a sentence at a list item, `(a)`, `1.`: a piece that does not end
        # with a stop runs on into the next.
        joined: list[tuple[int, int]] = []
        for span in spans:
            if joined and not _ENDS.search(text, joined[-1][0], joined[-1][1]):
                joined[-1] = (joined[-1][0], span[1])
            else:
                joined.append(span)
        return joined


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """pysbd's English abbreviations, lower case (a word before a stop that may not end a
    sentence)."""
    from pysbd.lang.english import English as Rules

    rules = Rules.Abbreviation
    return frozenset(w.lower() for w in (*rules.ABBREVIATIONS, *rules.PREPOSITIVE_ABBREVIATIONS,
                                         *rules.NUMBER_ABBREVIATIONS))


_SURE_STOP = re.compile(r"(?:(?<![^\W\d_])([A-Za-z]{2,})|[0-9)\]\"'”’%])[.!?][\"'”’)]*"
                        r"(?=\s+[\"'“‘(]?[A-Z])")


def _sure_stops(text: str) -> list[int]:
    """Offsets just after the stops that end a sentence whatever the rules: after a word of
    two letters or more that is no abbreviation nor a short acronym (`UN`), a number or a
    closing bracket or quote; then space and a capital."""
    if "." not in text and "!" not in text and "?" not in text:
        return []
    known = _abbreviations()
    out = []
    for m in _SURE_STOP.finditer(text):
        word = m.group(1)
        if word is None or word.lower() not in known and not (word.isupper() and
                                                                len(word) <= 3):
            out.append(m.end())
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
