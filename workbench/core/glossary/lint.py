"""Glossary lint: every problem of a glossary folder, errors and warnings, in file order."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from workbench.core.chars import JAPANESE, is_katakana
from workbench.core.dictionary import DictionaryUnavailable, JapaneseDictionary
from workbench.core.errors import GlossaryError
from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.folder import glossary_files, load_glossary, merge_entries
from workbench.core.glossary.formats import GUESS_MARK, GlossaryProblem, read_entries, read_text
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.glossary.romaji import romanize
from workbench.core.numbers import english_digits, japanese_numbers
from workbench.core.spelling import SpellingUnavailable, dictionary_words

_JAPANESE = re.compile(f"[{JAPANESE}]")
_DIGITS = re.compile(r"\d+")
_CODE = re.compile(r"\b[A-Za-z]+-\d+\b")


def lint_glossary(folder: Path, dictionary: JapaneseDictionary | None = None
                  ) -> list[GlossaryProblem]:
    """Every problem of a glossary folder, errors and warnings, in file order.

    Errors: bad rows, a source variant of two names, an `en_variants`/`forbidden` rendering
    that is another entry's canonical name. Warnings: rows repeating an `en` (merged),
    variants listed twice or folding to the same key, an empty `type`, Japanese in `en`, an
    `en` that is still a romanized guess (by the `dictionary`, or the English word list), an
    `en` naming one dated event for a generic Japanese term, and suggested rows still
    commented out as guesses (`#? `).
    """
    problems: list[GlossaryProblem] = []
    rows: list[Entry] = []
    guesses = _Romanized(dictionary)
    for path in glossary_files(folder):
        problems.extend(suggested_guesses(path))
        try:
            rows.extend(read_entries(path, problems))
        except GlossaryError as exc:   # a file that cannot be read at all (bad header, XML)
            problems.append(GlossaryProblem("error", str(exc.path or path), exc.line or 0,
                                            exc.detail))
    first_row: dict[str, Entry] = {}
    for row in rows:
        prior = first_row.get(row.en)
        if prior is not None:
            problems.append(GlossaryProblem(
                "warning", row.file, row.line,
                f"duplicate `en` {row.en!r}: merged with the row at {prior.where}"))
            if prior.type and row.type and prior.type != row.type:
                problems.append(GlossaryProblem(
                    "warning", row.file, row.line,
                    f"type {row.type!r} differs from {prior.type!r} at {prior.where}"))
        else:
            first_row[row.en] = row
        if not row.type:
            problems.append(GlossaryProblem("warning", row.file, row.line,
                                            f"empty `type` for {row.en!r}"))
        if _JAPANESE.search(row.en):
            problems.append(GlossaryProblem(
                "warning", row.file, row.line,
                f"`en` {row.en!r} holds Japanese: the English name is still to write"))
        else:
            problems.extend(guesses.check(row))
        dated = dated_event(row)
        if dated:
            problems.append(GlossaryProblem("warning", row.file, row.line, dated))
        seen: dict[str, str] = {}
        for variant in row.ja:
            key = fold_key(variant)
            if key in seen:
                problems.append(GlossaryProblem(
                    "warning", row.file, row.line,
                    f"variants {seen[key]!r} and {variant!r} of {row.en!r} fold to the same "
                    f"key {key!r}: one is redundant"))
            else:
                seen[key] = variant
        for variant in row.en_variants:
            if variant == row.en or variant == Entry(row.en, (), "").rendering:
                problems.append(GlossaryProblem(
                    "error", row.file, row.line,
                    f"en_variant {variant!r} is the canonical name of {row.en!r} itself"))
        for variant in row.forbidden:
            if variant in (row.en, Entry(row.en, (), "").rendering):
                problems.append(GlossaryProblem(
                    "error", row.file, row.line,
                    f"forbidden {variant!r} is the canonical name of {row.en!r} itself"))
            elif variant in row.en_variants:
                problems.append(GlossaryProblem(
                    "warning", row.file, row.line,
                    f"{variant!r} is both an en_variant and forbidden for {row.en!r}"))
    merged = merge_entries(rows, problems)
    renderings = {e.rendering: e for e in merged} | {e.en: e for e in merged}
    for entry in merged:
        for variant in entry.en_variants + entry.forbidden:
            other = renderings.get(variant)
            if other is not None and other.en != entry.en:
                row = next((r for r in rows if r.en == entry.en and
                            variant in r.en_variants + r.forbidden), entry)
                problems.append(GlossaryProblem(
                    "error", row.file, row.line,
                    f"{variant!r} (a rendering to replace or forbid for {entry.en!r}) is the "
                    f"canonical name of {other.en!r} at {other.where}"))
    order = {str(p): i for i, p in enumerate(glossary_files(folder))}
    problems.sort(key=lambda p: (order.get(p.path, len(order)), p.line))
    return problems


def suggested_guesses(path: Path) -> list[GlossaryProblem]:
    """The rows of a TSV or CSV glossary still commented out as guesses by `suggest`."""
    if path.suffix.lower() not in (".tsv", ".csv"):
        return []
    try:
        lines = read_text(path).splitlines()
    except GlossaryError:
        return []            # read_entries reports the file
    out = []
    for number, line in enumerate(lines, 1):
        if not line.startswith(GUESS_MARK.rstrip()):
            continue
        body = line[len(GUESS_MARK.rstrip()):].lstrip()
        cells = body.split("\t") if path.suffix.lower() == ".tsv" else \
            next(csv.reader([body]), [""])
        out.append(GlossaryProblem(
            "warning", str(path), number,
            f"suggested row for {cells[1] if len(cells) > 1 else body!r} is still a guess "
            f"({cells[0]!r}): check its English and take off the leading `{GUESS_MARK.strip()}`"))
    return out


def dated_event(row: Entry) -> str:
    """Why `row`'s English names one dated event for a generic Japanese term (a year or an
    ordinal none of its Japanese spellings states: G8サミット → 33rd G8 summit), or ""."""
    english = english_digits(_CODE.sub("", row.rendering))     # Su-24 is a model, not a date
    if not english:
        return ""
    stated: set[float] = set()
    for variant in row.ja:
        stated |= japanese_numbers(variant)
        stated |= {float(d) for d in _DIGITS.findall(variant)}   # COP29, サハリン2
    extra = sorted(v for v in english if v not in stated)
    if not extra:
        return ""
    shown = ", ".join(f"{v:g}" for v in extra)
    return (f"`en` {row.en!r} names one dated event ({shown}) but "
            f"{' | '.join(row.ja)} is generic: every mention would be rendered as that one; "
            f"write the generic English, or spell out the event's Japanese")


class _Romanized:
    """Finds an `en` that is still the plain romanization of a katakana spelling (Jojia for
    ジョージア) where the dictionary knows another English, or no English word list knows
    the romanization at all."""

    def __init__(self, dictionary: JapaneseDictionary | None) -> None:
        self.dictionary = dictionary
        self._words: frozenset[str] | None = None
        self._words_missing = False

    def check(self, row: Entry) -> list[GlossaryProblem]:
        if "romanized guess" in row.note:
            return [GlossaryProblem("warning", row.file, row.line,
                                    f"`en` {row.en!r} is marked a romanized guess in its note: "
                                    "write the English name, then drop the note")]
        letters = _letters(row.en)
        for variant in row.ja:
            if not any(is_katakana(c) for c in variant) or _letters(romanize(variant)) != letters:
                continue
            known = self._english(variant)
            if known is not None:
                if _letters(known) == letters:
                    return []
                why = f"the dictionary has {known!r}"
            elif self._is_english(row.en) in (True, None):
                return []
            else:
                why = "no English dictionary knows it"
            return [GlossaryProblem("warning", row.file, row.line,
                                    f"`en` {row.en!r} is the romanization of {variant}, not its "
                                    f"English name ({why})")]
        return []

    def _english(self, variant: str) -> str | None:
        if self.dictionary is None:
            return None
        try:
            found = self.dictionary.english(variant)
        except DictionaryUnavailable:
            self.dictionary = None
            return None
        return found.text if found is not None and not found.guess else None

    def _is_english(self, text: str) -> bool | None:
        """Whether every word of `text` is in the English dictionary (None: none installed)."""
        if self._words is None and not self._words_missing:
            try:
                self._words = dictionary_words()
            except SpellingUnavailable:
                self._words_missing = True
        if self._words is None:
            return None
        words = self._words
        return all(w in words or w.lower() in words for w in re.findall(r"[A-Za-z]+", text))


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())

def checked_glossary(folder: Path) -> Glossary:
    """The glossary of `folder` for a command that applies it, refused (GlossaryError with
    lint's first error) when lint finds an error: a forbidden spelling that is the canonical
    name, or a rendering that is another entry's canonical name, would rewrite a name back
    and forth, so nothing is applied until it is fixed."""
    glossary = load_glossary(folder)
    errors = [p for p in lint_glossary(folder) if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(first.message + more, path=first.path, line=first.line or None,
                            hint="`workbench glossary lint` lists every problem; the glossary "
                                 "is applied once they are fixed")
    return glossary
