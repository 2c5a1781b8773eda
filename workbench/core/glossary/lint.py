"""Glossary lint: every problem of a glossary folder, errors and warnings, in file order."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.core.chars import JAPANESE
from workbench.core.errors import GlossaryError
from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.folder import glossary_files, load_glossary, merge_entries
from workbench.core.glossary.formats import GlossaryProblem, read_entries
from workbench.core.glossary.model import Entry, Glossary

_JAPANESE = re.compile(f"[{JAPANESE}]")


def lint_glossary(folder: Path) -> list[GlossaryProblem]:
    """Every problem of a glossary folder, errors and warnings, in file order.

    Errors: bad rows, a source variant of two names, an `en_variants`/`forbidden` rendering
    that is another entry's canonical name. Warnings: rows repeating an `en` (merged),
    variants listed twice or folding to the same key, an empty `type`, Japanese in `en`.
    """
    problems: list[GlossaryProblem] = []
    rows: list[Entry] = []
    for path in glossary_files(folder):
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
