"""The languages a translation may be in, by code: one module each behind `TargetLanguage`."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from workbench.core.align.english import English
from workbench.core.align.language import TargetLanguage
from workbench.core.errors import WorkbenchError

LANGUAGES: dict[str, Callable[[], TargetLanguage]] = {"en": English}
"""Target languages by ISO 639-1 code."""


@cache
def target_language(code: str = "en") -> TargetLanguage:
    """The language `code` names (one instance per code, shared: it is thread-safe)."""
    make = LANGUAGES.get(code.lower())
    if make is None:
        raise WorkbenchError(f"no aligner support for the language {code!r}",
                             hint=f"known: {', '.join(sorted(LANGUAGES))}.")
    return make()
