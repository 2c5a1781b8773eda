"""Character tables shared by cleanup, segmentation, the glossary, enforcement and checks.

One place for what a character *is*: Japanese letters, katakana and what continues a
katakana word, what continues a Latin/Cyrillic word (and where a camelCase join breaks one),
sentence stops and brackets, NFKC done fast, and display width.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

# Japanese full stops always end a sentence outside brackets; the ASCII ones only in context
# (see workbench.core.segment).
TERMINATORS = "。！？｡"
OPENERS = "「『（(【〔［[｛{〈《“‘"
CLOSERS = "」』）)】〕］]｝}〉》”’"

# Bracket pairs; full- and half-width parentheses (and square/curly brackets) close each other
# because MT output mixes them: （以下「両国」という).
_PAIRS = {"「": "」", "『": "』", "（": "）", "(": "）", "【": "】", "〔": "〕", "［": "］",
          "[": "］", "｛": "｝", "{": "｝", "〈": "〉", "《": "》", "“": "”", "‘": "’"}
_CLOSE_KIND = {"」": "」", "』": "』", "）": "）", ")": "）", "】": "】", "〕": "〕", "］": "］",
               "]": "］", "｝": "｝", "}": "｝", "〉": "〉", "》": "》", "”": "”", "’": "’"}
_BRACKET = re.compile(f"[{re.escape(OPENERS + CLOSERS)}]")
_URL = re.compile(r"(?:https?://|www\.)[^\s「」『』（）()<>、。，\"”]+")
# A matched pair longer than this is not a parenthetical but two unrelated stray brackets.
MAX_BRACKET_SPAN = 400


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint [start, end) spans inside which a full stop never ends a sentence.

    Matched brackets and quotes (「…」, （…）, nested) and URLs. Brackets are matched by kind
    with a stack; an opener without its closer (or a closer without its opener) is ignored,
    and a pair longer than MAX_BRACKET_SPAN is not a parenthetical, so an unbalanced bracket
    cannot swallow what follows. Shared by cleanup and the segmenter.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKET.finditer(text):
        ch = m.group()
        pos = m.start()
        want = _PAIRS.get(ch)
        if want is not None:
            stack.append((want, pos))
            continue
        kind = _CLOSE_KIND[ch]
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == kind:
                start = stack[k][1]
                del stack[k:]
                if pos + 1 - start <= MAX_BRACKET_SPAN:
                    spans.append((start, pos + 1))
                break
    if "://" in text or "www." in text:
        spans.extend((m.start(), m.end()) for m in _URL.finditer(text))
    if not spans:
        return spans
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start < last_end:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


JAPANESE = "\u3005\u3006\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f"
"""The inside of a regex class of Japanese letters: kana (half-width too), kanji, 々 and 〆."""


@lru_cache(maxsize=1)
def bmp() -> str:
    """Every character of the BMP (surrogates too), in order: tables of characters are
    worked out from it by scans in C."""
    return "".join(map(chr, range(0x10000)))


def char_class(chars: frozenset[str]) -> str:
    """The inside of a regex character class matching exactly `chars` (`a-z0-9`)."""
    runs: list[list[int]] = []
    for c in sorted(map(ord, chars)):
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in runs)


@lru_cache(maxsize=1)
def nfkc_table() -> dict[str, str]:
    """Each character of the BMP that NFKC changes, with what it becomes alone (built once,
    ~20 ms)."""
    chars = bmp()
    return {ch: new for ch, new in zip(chars, map(partial(unicodedata.normalize, "NFKC"), chars),
                                       strict=True) if new != ch}


@lru_cache(maxsize=1)
def _nfkc_changing() -> re.Pattern[str]:
    """A character of the BMP that NFKC changes, or any beyond it."""
    return re.compile(f"[{char_class(frozenset(nfkc_table()))}\U00010000-\U0010ffff]")


def _nfkc_char(m: re.Match[str]) -> str:
    ch = m.group()
    return nfkc_table().get(ch) or unicodedata.normalize("NFKC", ch)


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, several times faster on Japanese prose.

    Mapping each character to its own NFKC and composing the result (NFC) gives NFKC: the
    decompositions are the same, and NFC composes what NFKC would (ﾄﾞﾙ → ト゛ル → ドル). NFC
    checks and returns most text as it is; whole-text NFKC decomposes and recomposes every
    kana.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFC", _nfkc_changing().sub(_nfkc_char, text))


def display_width(text: str) -> int:
    """Approximate display width in half-width cells (CJK = 2, ASCII = 1); fast, C-level."""
    return (len(text.encode("utf-8", "surrogatepass")) + len(text)) // 2


def char_width(ch: str) -> int:
    if "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return 0  # variation selectors (辻󠄀 = 辻 + VS17) take no room
    return 1 if ord(ch) < 0x800 else 2


KATAKANA_CHARS: frozenset[str] = frozenset(map(chr, [*range(0x30A1, 0x30FB),
                                                     *range(0x31F0, 0x3200)]))
"""Katakana letters."""
KATAKANA_WORD: frozenset[str] = KATAKANA_CHARS | frozenset(map(chr, range(0xFF66, 0xFFA0))) | \
    {"ー"}
"""What continues a katakana word: full- or half-width letters and ー (インド is not a word
inside インドネシア, in the sources as in a leftover in the English)."""


# What makes a word go on, in the sources as in the English: a Latin, Greek or Cyrillic letter
# or a digit, ASCII or full-width. Kanji, kana, punctuation and spaces end a word, so a name
# glued to Japanese (`KGBの`, `占領後Khojaly、`) is a word; `str.isalnum()` and `\w` would
# take the Japanese for more of it.
_WORD_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xB5, 0xB5),
                (0xBA, 0xBA), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF),
                (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
WORD_CHARS: frozenset[str] = frozenset(chr(c) for a, b in _WORD_RANGES for c in range(a, b + 1)
                                       if chr(c) not in "\u00d7\u00f7")
"""Characters that continue a word: a name or a rewrite stops only where none follows."""


def is_word_char(ch: str) -> bool:
    return ch in WORD_CHARS


def starts_word(text: str, start: int) -> bool:
    """Whether a word begins at `start` (camelCase joins of run-together text count)."""
    if start == 0:
        return True
    before = text[start - 1]
    if before not in WORD_CHARS:
        return True
    # camelCase joins of run-together extraction count as word breaks: …встречеГейдара,
    # and after an acronym, МИДРоссии.
    first = text[start]
    if not first.isupper():
        return False
    return before.islower() or (before.isupper() and start + 1 < len(text)
                                and text[start + 1].islower())


def ends_word(text: str, end: int) -> bool:
    """Whether a word ends at `end` (camelCase joins of run-together text count)."""
    if end >= len(text):
        return True
    after = text[end]
    if after not in WORD_CHARS:
        return True
    if not after.isupper():
        return False
    last = text[end - 1]
    return last.islower() or (last.isupper() and end + 1 < len(text)
                              and text[end + 1].islower())


def is_katakana(ch: str) -> bool:
    """Whether `ch` is a katakana letter (not ・ or ー)."""
    return ch in KATAKANA_CHARS


def could_be(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` (a class of characters) may find something in the NFKC of `text`:
    `text` holds a character whose NFKC it finds, or one beyond the BMP."""
    return nfkc_class(pattern).search(text) is not None


@lru_cache(maxsize=8)
def nfkc_class(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern`, a class of characters, with the characters of the BMP whose NFKC it finds
    and any beyond the BMP."""
    assert pattern.pattern.startswith("[") and pattern.pattern.endswith("]")
    extra = frozenset(c for c, new in nfkc_table().items()
                      if pattern.search(new) and not pattern.match(c))
    return re.compile(f"[{pattern.pattern[1:-1]}{char_class(extra)}\U00010000-\U0010ffff]")

