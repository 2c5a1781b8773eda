"""English words: what glossary enforcement never takes for a misspelt name, and the words
English derives from a name (`Russian` from Russia, `Chechen` from Chechnya).

The word list is SCOWL's American and British lists as Debian ships them (`wamerican`,
`wbritish`), kept in `data/` (see its README): ordinary words (lower-case in the list) and
the proper nouns English already spells one way (`Chechen`, `Kazakh`, `Yeltsin`, `Dmitri`).
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from typing import Literal

from workbench.core.glossary.model import Entry

__all__ = ["DERIVED_SUFFIXES", "derived_forms", "english_word", "propose_derived"]

DERIVED_SUFFIXES = ("n", "an", "ian", "i", "ese", "ish", "ic", "en", "ean", "ene", "ite")
"""Endings by which English makes a demonym or adjective of a place (Russia → Russian,
Japan → Japanese, Turkey → Turkish, Chechnya → Chechen, Moscow → Muscovite)."""


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], list[str], list[str]]:
    """(ordinary words lower-cased, proper nouns lower-cased, the proper nouns lower-cased and
    sorted, the same as written), read once from the packaged list."""
    data = resources.files("workbench.core.glossary").joinpath("data/english-words.txt.gz")
    words = gzip.decompress(data.read_bytes()).decode("utf-8").split("\n")
    common = frozenset(w for w in words if w and not w[0].isupper())
    proper = sorted((w.lower(), w) for w in words if w and w[0].isupper())
    return (common, frozenset(lower for lower, _ in proper) - common,
            [lower for lower, _ in proper], [w for _, w in proper])


@lru_cache(maxsize=65536)
def english_word(word: str) -> Literal["common", "proper", ""]:
    """What the word list makes of `word` in any case: an ordinary English word ("common"),
    a proper noun English spells this way ("proper"), or neither (""). The plural of one
    counts as that word (`Chechens`, `Azerbaijanis`)."""
    common, proper, _, _ = _lexicon()
    lowered = word.lower()
    for form in (lowered, lowered[:-1] if lowered.endswith("s") and len(lowered) > 3 else ""):
        if form in common:
            return "common"
        if form in proper:
            return "proper"
    return ""


@lru_cache(maxsize=4096)
def derived_forms(name: str) -> tuple[str, ...]:
    """The proper nouns of the word list derived from a one-word `name` (Russia: Russian;
    Chechnya: Chechen; Kazakhstan: Kazakh; Germany: German, Germanic).

    A derived word keeps all of the name but its last three letters (four at least) and adds
    one of `DERIVED_SUFFIXES`, or, for a name of five letters kept or more, nothing; a name
    ending in -stan also gives the word before it (Uzbekistan: Uzbek). A plural has none.
    """
    lowered = name.lower()
    if len(lowered) < 4 or not lowered.isalpha() or english_word(lowered[:-1]) and \
            lowered.endswith("s"):
        return ()       # a plural (Azerbaijanis) is a people: derived already
    _, _, keys, written = _lexicon()
    shortest = max(4, len(lowered) - 3)
    stems = {lowered[:n] for n in range(shortest, len(lowered) + 1)}
    wanted = {stem + suffix for stem in stems for suffix in DERIVED_SUFFIXES}
    wanted |= {stem for stem in stems if len(stem) >= 5}
    for tail in ("istan", "stan"):
        if lowered.endswith(tail) and len(lowered) - len(tail) >= 4:
            stem = lowered[: -len(tail)]
            wanted |= {stem, stem + "i"}
            shortest = min(shortest, len(stem))
            break
    wanted.discard(lowered)
    out = []
    prefix = lowered[:shortest]
    at = bisect_left(keys, prefix)
    while at < len(keys) and keys[at].startswith(prefix):
        if keys[at] in wanted:
            out.append(written[at])
        at += 1
    return tuple(dict.fromkeys(out))


def propose_derived(entry: Entry) -> tuple[str, ...]:
    """Derived forms to propose for an entry's `derived` column: those of the word list for
    a one-word rendering that the entry does not state yet (`glossary suggest` may offer
    them; the glossary states the others, such as Muscovite, itself)."""
    rendering = entry.rendering
    if " " in rendering or "-" in rendering:
        return ()
    return tuple(w for w in derived_forms(rendering) if w not in entry.derived)
