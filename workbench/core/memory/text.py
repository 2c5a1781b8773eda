"""How the memory compares sources: keys for exact matches, tokens for fuzzy ones.

Two sources are the same (100%) when they fold alike, by the folding the glossary uses
(width, case, ー, ・, ヴ). For fuzzy scores a source is a string of tokens, one character
each: a kanji, a kana or a punctuation mark is a token, a Latin word is one, and every
glossary name and every number is a placeholder (one token for any name, one for any
number), so two sentences that differ only in a name or a number score as the same
sentence and the match can be repaired.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.glossary.fold import Folded, fold_key
from workbench.core.glossary.model import Entry, Hit
from workbench.core.numbers import japanese_number_spans

NAME = "\ue000"
"""The token of any glossary name."""
NUMBER = "\ue001"
"""The token of any number."""
_PLACEHOLDERS = NAME + NUMBER

# A Latin (or Cyrillic, Greek) word or a number left unmasked is one token; anything else
# that is not a space is one token of its own.
_WORD_CLASS = "0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff"
_TOKEN = re.compile(f"[{_WORD_CLASS}]+|\\S")
_WORD_RUN = re.compile(f"[{_WORD_CLASS}]{{2,}}")
_INDEX_WORDS = 0xE100
_WORD_TOKENS = 0xF0000
"""Words become characters of the Supplementary Private Use Area-A (65,534 of them):
two different words that share one only make a fuzzy score a little kinder."""
_INDEX_NUMBER = re.compile("[0-9][0-9.,]*(?:[万億兆][0-9.,]*)*")


def fold_hash(folded: str) -> int:
    """A signed 64-bit hash of folded text (an SQLite INTEGER), stable across runs."""
    digest = hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def source_key(text: str) -> int:
    """The key of a source: two sources with one key fold alike (a 100% match)."""
    return fold_hash(fold_key(text))


def pair_key(folded_source: str, target: str) -> int:
    """The key of a source (folded) with its English: one unit is not stored twice."""
    return fold_hash(f"{folded_source}\0{target}")


def context_key(neighbour: str | None) -> int:
    """The key of a neighbouring source; 0 where there is none (the first or last segment
    of a document)."""
    return 0 if neighbour is None else source_key(neighbour.strip())


def index_text(text: str) -> str:
    """What the fuzzy index sees of a source: close to its tokens without the glossary
    (folded, no spaces, a Latin word one character, a number written in digits one NUMBER),
    so that it can be built once for every project; `tokens` scores what it proposes."""
    return folded_index_text(fold_key(text))


def folded_index_text(folded: str) -> str:
    """`index_text` of text already folded (`fold_key`)."""
    # Folding leaves one plain space of any run of white space.
    text = _INDEX_NUMBER.sub(NUMBER, folded.replace(" ", ""))
    if _WORD_RUN.search(text):
        text = _WORD_RUN.sub(_index_word, text)
    return text


def _index_word(m: re.Match[str]) -> str:
    """A word of an index text: one character of the BMP's private use area (the index
    keeps its texts in UTF-16, a character a unit)."""
    return chr(_INDEX_WORDS + fold_hash(m.group()) % 0x1700)


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A name or a number a token stands for: its span of the source and what it is."""

    kind: str                # "name" | "number"
    start: int
    end: int
    text: str
    entry: Entry | None = None
    value: float | None = None

    def same(self, other: Placeholder) -> bool:
        """Whether the two stand for the same thing (one entry, one value)."""
        if self.kind == "name":
            return other.entry is self.entry or (
                other.entry is not None and self.entry is not None
                and other.entry.en == self.entry.en)
        return self.value == other.value


@dataclass(frozen=True)
class Tokens:
    """A source as the fuzzy score sees it, with where each token came from."""

    text: str
    """One character per token."""
    spans: tuple[tuple[int, int], ...]
    """The span of the original source each token came from."""
    placeholders: tuple[Placeholder, ...]
    """The names and numbers of the source, in the order of their tokens."""


def tokens(text: str, hits: Sequence[Hit] = ()) -> str:
    """The token string of a source with its glossary hits (fast: no spans kept; the
    same string as `tokens_with_spans(...).text`)."""
    folded = fold_key(_replace(text, _kept(hits), NAME) if hits else text)
    numbers = japanese_number_spans(folded)
    if numbers:
        folded = _replace(folded, [(s, e) for s, e, _ in numbers], NUMBER)
    if _WORD_RUN.search(folded):
        folded = _WORD_RUN.sub(lambda m: _token_char(m.group()), folded)
    # Every other character is a token of its own; folding made any white space one " ".
    return folded.replace(" ", "")


def tokens_with_spans(text: str, hits: Sequence[Hit] = ()) -> Tokens:
    """`tokens` with the span of each token in `text` and the names and numbers behind
    the placeholders (for showing a difference and repairing a match)."""
    masked, origin, names = _mask_names(text, hits)
    folded = Folded(masked)
    numbers = japanese_number_spans(folded.text)
    # The folded text with each number one NUMBER character, and the folded span of each
    # of its characters.
    pieces: list[str] = []
    where: list[tuple[int, int]] = []
    values: dict[int, float] = {}
    last = 0
    for start, end, value in numbers:
        pieces.append(folded.text[last:start])
        where.extend((i, i + 1) for i in range(last, start))
        values[len(where)] = value
        pieces.append(NUMBER)
        where.append((start, end))
        last = end
    pieces.append(folded.text[last:])
    where.extend((i, i + 1) for i in range(last, len(folded.text)))
    ntext = "".join(pieces)

    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    placeholders: list[Placeholder] = []
    name_hits = iter(names)
    for m in _TOKEN.finditer(ntext):
        token = m.group()
        mstart, mend = folded.span(where[m.start()][0], where[m.end() - 1][1])
        start, end = origin[mstart][0], origin[max(mend - 1, mstart)][1]
        if token == NAME:
            hit = next(name_hits)
            placeholders.append(Placeholder("name", start, end, text[start:end], hit.entry))
        elif token == NUMBER:
            placeholders.append(Placeholder("number", start, end, text[start:end],
                                            value=values[m.start()]))
        chars.append(_token_char(token))
        spans.append((start, end))
    return Tokens("".join(chars), tuple(spans), tuple(placeholders))


def _token_char(token: str) -> str:
    if len(token) == 1:
        return token
    return chr(_WORD_TOKENS + fold_hash(token) % 65534)


def _replace(text: str, spans: Sequence[tuple[int, int]], char: str) -> str:
    pieces = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(char)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _kept(hits: Sequence[Hit]) -> list[tuple[int, int]]:
    """The spans of the hits that get a placeholder: in order, none overlapping."""
    kept: list[tuple[int, int]] = []
    last = 0
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if hit.start >= last and hit.end > hit.start:
            kept.append((hit.start, hit.end))
            last = hit.end
    return kept


def _mask_names(text: str, hits: Sequence[Hit]
                ) -> tuple[str, list[tuple[int, int]], list[Hit]]:
    """`text` with each hit one NAME character; the span of `text` each character of it
    comes from; the hits masked (in order, none overlapping)."""
    spans = set(_kept(hits))
    kept = sorted((h for h in hits if (h.start, h.end) in spans), key=lambda h: h.start)
    pieces: list[str] = []
    origin: list[tuple[int, int]] = []
    at = 0
    for hit in kept:
        pieces.append(text[at:hit.start])
        origin.extend((i, i + 1) for i in range(at, hit.start))
        pieces.append(NAME)
        origin.append((hit.start, hit.end))
        at = hit.end
    pieces.append(text[at:])
    origin.extend((i, i + 1) for i in range(at, len(text)))
    origin.append((len(text), len(text)))
    return "".join(pieces), origin, kept
