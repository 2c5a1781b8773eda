"""Every QA check: its id, its severity and what it finds, in one line each.

The CLI's help, the README's table and the TUI's filter menu read this list; a check that is
not here does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

BY_STATUS = "by status"
"""The severity of a check that depends on the segment's review status (see the check)."""


@dataclass(frozen=True)
class CheckInfo:
    """One check: its id (in reports and `--ignore`), severity and a one-line explanation."""

    id: str
    severity: str        # error, warning, info, or BY_STATUS
    explanation: str


CATALOG: tuple[CheckInfo, ...] = (
    CheckInfo("term-missing", "error", "a name in the source that the target does not name"),
    CheckInfo("off-canonical", "error", "a rendering the glossary rewrites: a variant, a "
                                        "misspelling, a Japanese or romanized leftover"),
    CheckInfo("forbidden", "error", "a rendering the glossary forbids"),
    CheckInfo("untranslated", BY_STATUS, "no final English: an error once reviewed or "
                                         "approved, a warning in a draft, a note while new"),
    CheckInfo("japanese-left", BY_STATUS, "Japanese left in the English: an error once "
                                          "reviewed or approved, else a warning"),
    CheckInfo("identical", "warning", "the Japanese source copied as the target"),
    CheckInfo("number-mismatch", "warning", "numbers of the source missing from the target, "
                                            "or digits of the target the source lacks"),
    CheckInfo("whitespace", "warning", "a double space, or a space at the start or the end"),
    CheckInfo("unpaired", "warning", "a bracket or quotation mark without its partner"),
    CheckInfo("end-punctuation", "warning", "the target does not end as the source does "
                                            "(。 .  ？ ?  ！ !)"),
    CheckInfo("capital", "warning", "the target starts with a small letter"),
    CheckInfo("repeated-word", "warning", "the same word twice in a row (the the)"),
    CheckInfo("length", "warning", "far shorter or longer than this document's translations "
                                   "of sources that long"),
    CheckInfo("spelling", "warning", "a word neither the English dictionary nor the glossary "
                                     "nor glossary/words.txt knows"),
    CheckInfo("inconsistent-term", "warning", "one source spelling rendered by different "
                                              "English forms"),
    CheckInfo("inconsistent-translation", "warning", "identical sources translated "
                                                     "differently"),
    CheckInfo("suggested-rewrite", "warning", "a rewrite enforcement is not sure enough to "
                                              "make (To Lam may be Tô Lâm), with why and how sure"),
    CheckInfo("variant-census", "info", "a name spelled several ways in the sources"),
)

CHECKS: dict[str, str] = {c.id: c.severity for c in CATALOG}
"""Every check and its severity."""

_BY_ID = {c.id: c for c in CATALOG}


def explain(check: str) -> str:
    """The one-line explanation of a check (empty for an unknown id)."""
    info = _BY_ID.get(check)
    return info.explanation if info else ""
