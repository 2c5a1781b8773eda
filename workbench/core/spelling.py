"""English spelling against a real Hunspell dictionary (Debian's `hunspell-en-us`), read
through spylls.

spylls reads a Hunspell `.aff`/`.dic` pair in about a second of pure Python: too slow for a
check that should finish in well under two seconds, and a second of the GIL a workbench
cannot spare. So the dictionary's words are expanded once with spylls' own affix tables (every
stem with each suffix and prefix its flags allow, as Hunspell would accept them) and kept in
the user's cache, keyed by the dictionary files' contents; later runs read one text file
(~0.1 s). Case follows Hunspell: a word in lower case is also right capitalized (`The`), a
capitalized one (`Paris`) only as written. Words in capitals (acronyms), with digits or dots
are not checked.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.atomic import atomic_write_text
from workbench.core.errors import WorkbenchError

LANGUAGE = "en_US"
DICTIONARY_DIRS: tuple[Path, ...] = (
    Path("/usr/share/hunspell"), Path("/usr/share/myspell"), Path("/usr/share/myspell/dicts"),
    Path("/usr/local/share/hunspell"))
"""Where Hunspell dictionaries are installed (Debian's hunspell-en-us: /usr/share/hunspell)."""
DICTIONARY_ENV = "WORKBENCH_HUNSPELL"
"""A Hunspell dictionary to use instead: the path of its `.dic` (its `.aff` beside it)."""
INSTALL_HINT = ("install Debian's English dictionary (`apt install hunspell-en-us`), or set "
                f"{DICTIONARY_ENV} to the path of an en_US .dic file (its .aff beside it).")
WORDS_FILE = "words.txt"
"""The project's own known words, one a line, in its glossary folder (`#` starts a comment)."""
_CACHE_VERSION = "1"


class SpellingUnavailable(WorkbenchError):
    """No Hunspell dictionary to check spelling with."""


def find_dictionary() -> Path:
    """The `.dic` of the English Hunspell dictionary ($WORKBENCH_HUNSPELL first)."""
    wanted = os.environ.get(DICTIONARY_ENV)
    candidates = [Path(wanted)] if wanted else [d / f"{LANGUAGE}.dic" for d in DICTIONARY_DIRS]
    for dic in candidates:
        if dic.suffix != ".dic":
            dic = dic.with_suffix(".dic")
        if dic.is_file() and dic.with_suffix(".aff").is_file():
            return dic
    where = candidates[0] if wanted else DICTIONARY_DIRS[0] / f"{LANGUAGE}.dic"
    raise SpellingUnavailable("spelling not checked: no Hunspell dictionary", path=where,
                              hint=INSTALL_HINT)


# ------------------------------------------------------------------ the dictionary's words


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbench" / "hunspell"


def _expanded_words(dic: Path) -> frozenset[str]:
    """Every form the dictionary accepts as written, from the cache or expanded now."""
    aff = dic.with_suffix(".aff")
    digest = hashlib.blake2b(aff.read_bytes() + b"\0" + dic.read_bytes(), digest_size=10)
    cache = _cache_dir() / f"{dic.stem}-{_CACHE_VERSION}-{digest.hexdigest()}.txt"
    try:
        return frozenset(cache.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeError):
        pass
    forms = expand_dictionary(dic)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(cache, "\n".join(sorted(forms)))
    except OSError:
        pass    # no cache to write (a read-only home): expanded again next time
    return frozenset(forms)


def expand_dictionary(dic: Path) -> set[str]:
    """The forms a Hunspell dictionary accepts as written: each stem (unless it may only be
    part of a compound or needs an affix) with every suffix and prefix its flags allow, and
    prefix and suffix together where both allow it (Hunspell's cross product)."""
    from spylls.hunspell import Dictionary

    try:
        spylls = Dictionary.from_files(str(dic.with_suffix("")))
    except Exception as exc:  # spylls raises whatever its parser meets
        raise SpellingUnavailable(f"spelling not checked: the dictionary cannot be read ({exc})",
                                  path=dic, hint=INSTALL_HINT) from None
    aff = spylls.aff
    never = {f for f in (aff.ONLYINCOMPOUND, aff.FORBIDDENWORD) if f}
    forms: set[str] = set()
    for word in spylls.dic.words:
        flags, stem = word.flags, word.stem
        if flags & never:
            continue
        if not (aff.NEEDAFFIX and aff.NEEDAFFIX in flags):
            forms.add(stem)
        suffixed = []
        for flag in flags:
            for sfx in aff.SFX.get(flag, ()):
                if stem.endswith(sfx.strip) and sfx.cond_regexp.search(stem):
                    form = stem[:len(stem) - len(sfx.strip)] + sfx.add
                    forms.add(form)
                    if sfx.crossproduct:
                        suffixed.append(form)
        for flag in flags:
            for pfx in aff.PFX.get(flag, ()):
                if stem.startswith(pfx.strip) and pfx.cond_regexp.search(stem):
                    forms.add(pfx.add + stem[len(pfx.strip):])
                    if pfx.crossproduct:
                        forms.update(pfx.add + form[len(pfx.strip):] for form in suffixed)
    forms.discard("")
    return forms


_LOADED: dict[Path, frozenset[str]] = {}
_TOKENS_KEPT = 200_000
_LOCK = threading.Lock()


def dictionary_words(dic: Path | None = None) -> frozenset[str]:
    """The forms of the English dictionary (loaded once per process; raises
    SpellingUnavailable when there is none)."""
    dic = dic or find_dictionary()
    with _LOCK:
        words = _LOADED.get(dic)
        if words is None:
            words = _LOADED[dic] = _expanded_words(dic)
    return words


def dictionary_loaded() -> bool:
    """Whether the dictionary is in memory already (so a check may use it at no cost)."""
    return bool(_LOADED)


# ------------------------------------------------------------------ checking


# A word: Latin letters with inner apostrophes or hyphens (don't, Russia's, co-operation),
# not touching a digit or a dot inside a token (G7, 1990s, U.S. are not words to check).
# Japanese around it ends it: `MedvedevはAzerbaijanに` holds two words.
_L = "A-Za-zÀ-ÖØ-öø-ʯ"
_WORD = re.compile(rf"(?<![{_L}0-9'’.\-])[{_L}](?:[{_L}'’\-]*[{_L}])?"
                   rf"(?![{_L}0-9]|[.'’\-][{_L}0-9])")


@dataclass(frozen=True)
class Misspelling:
    """A word the dictionary does not know, where it is in the text."""

    word: str
    start: int
    end: int


class Speller:
    """The dictionary's words and the project's (glossary names, glossary/words.txt)."""

    def __init__(self, words: frozenset[str], known: Iterable[str] = ()) -> None:
        self.words = words
        self.known: frozenset[str] = frozenset(known)
        self._seen: dict[str, bool] = {}
        self._good: set[str] = set()       # tokens known to hold no misspelling
        self._bad: dict[str, tuple[str, ...]] = {}

    @classmethod
    def load(cls, known: Iterable[str] = (), dic: Path | None = None) -> Speller:
        """A speller over the installed English dictionary (SpellingUnavailable if none)."""
        return cls(dictionary_words(dic), known)

    def knows_all(self, tokens: list[str]) -> bool:
        """Whether every one of `tokens` (a text split at spaces) was seen before and found
        right: one set operation in C, the usual answer for a clean text."""
        return self._good.issuperset(tokens)

    def misspelt(self, text: str, tokens: list[str] | None = None) -> list[str]:
        """The words of `text` neither the dictionary nor the project knows, each once, in
        order. Fast: the text split at spaces (`tokens`, if split already), the tokens seen
        before taken out by one set difference in C, each other one looked at once."""
        if tokens is None:
            tokens = text.split()
        if self._good.issuperset(tokens):
            return []
        unknown = set(tokens).difference(self._good)
        bad_tokens = self._bad
        if len(unknown) == 1:
            token = unknown.pop()
            bad = bad_tokens.get(token)
            if bad is not None:
                return list(bad)          # the usual case: one word known to be wrong
            unknown = {token}
        out: dict[str, None] = {}
        for token in sorted(unknown, key=tokens.index):
            bad = bad_tokens.get(token)
            if bad is None:
                bad = tuple(dict.fromkeys(m.word for m in self.check(token)))
                if not bad:
                    if len(self._good) > _TOKENS_KEPT:
                        self._good.clear()
                    self._good.add(token)
                    continue
                bad_tokens[token] = bad
            out.update(dict.fromkeys(bad))
        return list(out)

    def check(self, text: str) -> list[Misspelling]:
        """The words of `text` neither the dictionary nor the project knows, in order, with
        where they are (to highlight them)."""
        out = []
        seen = self._seen
        for m in _WORD.finditer(text):
            token = m.group()
            ok = seen.get(token)
            if ok is None:
                ok = seen[token] = self._token_ok(token)
            if not ok:
                out.append(Misspelling(token, m.start(), m.end()))
        return out

    def _token_ok(self, token: str) -> bool:
        token = token.replace("’", "'")
        if self._word_ok(token):
            return True
        # A hyphenated compound is right when each of its parts is (Hunspell's BREAK).
        parts = token.split("-")
        return len(parts) > 1 and all(self._word_ok(p) for p in parts if p)

    def _word_ok(self, word: str) -> bool:
        if word.isupper() or len(word) < 2:
            return True      # acronyms and single letters are not checked
        words, known = self.words, self.known
        forms = (word, word[:-2]) if word.endswith("'s") else (word,)
        for form in forms:
            if form in words or form in known:
                return True
            # A word in lower case in the dictionary may start a sentence (The, Relations).
            rest = form[1:]
            if form[0].isupper() and rest == rest.lower() and form[0].lower() + rest in words:
                return True
        return False


def project_words(folder: Path | None) -> set[str]:
    """The words of `folder`/words.txt (one a line, `#` comments), if there is one."""
    if folder is None:
        return set()
    path = folder / WORDS_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeError) as exc:
        raise WorkbenchError(f"cannot read the project's word list: {exc}", path=path,
                             hint="save it as UTF-8 text, one word a line.") from None
    return {w for line in text.splitlines() for w in [line.split("#", 1)[0].strip()] if w}


def name_words(names: Iterable[str]) -> Iterator[str]:
    """The words of names (`Abulfaz Elchibey` → Abulfaz, Elchibey, and the whole), to
    count as known."""
    for name in names:
        yield name
        for m in _WORD.finditer(name):
            token = m.group().replace("’", "'")
            yield token
            yield from token.split("-")

