"""Stand-ins for the fuzzy score's tokens, cheap enough to rank a thousand candidates.

The fuzzy score compares token strings in which every glossary name and every number is one
placeholder (`text.tokens`). Making them takes the glossary matcher and a fold per source:
too slow for the thousands of units an index lookup proposes. The index texts are folded
already, their numbers and words one character (`index_text`); here the names become one
placeholder too, approximately: any folded variant of the glossary, leftmost and longest,
without the matcher's word-boundary rules, in one scan of all the texts. Only the ranking
of candidates uses this; the few kept are scored on their real tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

from ahocorasick_rs import MATCHKIND_LEFTMOST_LONGEST, AhoCorasick, Implementation

from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.model import Glossary
from workbench.core.memory.text import NAME, folded_index_text


class ProxyTokens:
    """Index texts with a glossary's names and the numbers as placeholders."""

    def __init__(self, glossary: Glossary) -> None:
        keys = {folded_index_text(fold_key(v)) for entry in glossary for v in entry.ja}
        keys = {k for k in keys if k and "\0" not in k}
        # A DFA: built once per glossary, the fastest to scan thousands of texts with.
        self._names = AhoCorasick(sorted(keys), matchkind=MATCHKIND_LEFTMOST_LONGEST,
                                  implementation=Implementation.DFA) if keys else None

    def __call__(self, texts: Sequence[str]) -> list[str]:
        """The stand-in of each index text (one scan of them all for the names)."""
        if not texts:
            return []
        joined = "\0".join(texts)
        if self._names is not None:
            found = self._names.find_matches_as_indexes(joined)
            if found:
                starts = [s for _, s, _ in found]
                starts.append(len(joined))
                ends = [0]
                ends += [e for _, _, e in found]
                joined = NAME.join([joined[a:b] for a, b in zip(ends, starts, strict=True)])
        return joined.split("\0")
