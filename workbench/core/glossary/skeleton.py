"""Transliteration skeletons: one key for the ways romanization systems spell one name.

Names from Russian, Azerbaijani, Kazakh and other Turkic languages reach English through
several systems (BGN/PCGN, scientific, passport, French or German styles) and through
Russian: `Dzhafarov`, `Djafarov` and `Jafarov`, `Geydar` and `Heydar`, `Tokayev` and
`Tokaev`, `Dmitry`, `Dmitriy` and `Dmitrii`. The skeleton of a spelling is what is left
after every systematic difference between them is folded away, so the spellings of one name
share a key; which rules changed each spelling says how two spellings differ.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

__all__ = ["RULES", "Skeleton", "differences", "skeleton"]

# Letters of Azerbaijani and Turkish Latin that stand for two English letters (or one other).
_TURKIC = str.maketrans({"ç": "ch", "ş": "sh", "ğ": "gh", "ə": "a", "ı": "i",
                         "ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe"})
_MARKS = re.compile("[\u0300-\u036f]")
_DOUBLED = re.compile(r"(.)\1+")
_SEPARATORS = re.compile(r"[\s\-‐‑–'’ʼʹ.]+")

RULES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    # (name shown to a reviewer, replacements in order)
    ("ou/u", (("ou", "u"),)),                                  # French: Roussie, Ouzbek
    ("tch/ch", (("tsch", "ch"), ("tch", "ch"))),               # French and German
    ("sch/sh", (("sch", "sh"),)),                              # German
    ("dzh/dj/j", (("dzh", "j"), ("dj", "j"))),                 # Dzhafarov, Djafarov, Jafarov
    ("zh/j", (("zh", "j"),)),                                  # Zhomart, Jomart
    ("kh/h", (("kh", "h"),)),                                  # Ilkham, Ilham
    ("g/h", (("gh", "h"), ("g", "h"))),                        # Geydar (Russian), Heydar
    ("q/k", (("q", "k"),)),                                    # Qazaq, Kazak; Irak, Iraq
    ("x/ks", (("x", "ks"),)),                                  # Alexei, Aleksei
    ("w/v", (("w", "v"),)),                                    # German Iwanow
    ("y/i", (("y", "i"), ("ii", "i"))),                        # Dmitry, Dmitrii; Grigoryan
)
"""The systematic substitutions, applied in this order to a lower-cased spelling. After
them doubled letters become one (`Mammadov`, `Mamadov`; `Dmitrii`, `Dmitriy` → `dmitri`)
and `ie` becomes `e` (`ye`/`e` at the start, `-yev`/`-ev`/`-iev`, `-yeva`/`-eva`)."""


class Skeleton(NamedTuple):
    """A spelling's key and the names of the rules that changed it on the way."""

    key: str
    rules: frozenset[str]


def _steps(spelling: str) -> list[tuple[str, str]]:
    """The spelling lower-cased, then after each rule in turn: (rule, text after it)."""
    text = spelling.lower()
    out = [("", text)]
    text = _SEPARATORS.sub("", text)
    out.append(("hyphen/space", text))
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_TURKIC)))
    out.append(("diacritics", text))
    for name, replacements in RULES:
        for old, new in replacements:
            if old in text:
                text = text.replace(old, new)
        out.append((name, text))
    text = _DOUBLED.sub(r"\1", text)
    out.append(("doubled letters", text))
    if "ie" in text:
        text = _DOUBLED.sub(r"\1", text.replace("ie", "e"))
    out.append(("ye/e", text))
    return out


@lru_cache(maxsize=65536)
def skeleton(spelling: str) -> Skeleton:
    """The transliteration key of a spelling (one word or several: spaces, hyphens and
    apostrophes between parts do not count), with the rules that changed it."""
    steps = _steps(spelling)
    fired = frozenset(name for (_, before), (name, after) in zip(steps, steps[1:],
                                                                  strict=False)
                      if before != after)
    return Skeleton(steps[-1][1], fired)


def differences(a: str, b: str) -> list[str]:
    """The rules by which spellings `a` and `b` differ: those that brought them closer
    (fewer letters apart), in the order they apply. How a reviewer is told why `Tokaev`
    was taken for `Tokayev`."""
    shown = []
    steps_a, steps_b = _steps(a), _steps(b)
    apart = Levenshtein.distance(steps_a[0][1], steps_b[0][1])
    for (name, text_a), (_, text_b) in zip(steps_a[1:], steps_b[1:], strict=True):
        now = Levenshtein.distance(text_a, text_b)
        if now < apart:
            shown.append(name)
        apart = now
    return shown
