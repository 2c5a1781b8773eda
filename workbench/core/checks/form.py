"""Checks of the English as text, the ones Xbench users expect: no final, a copied source,
Japanese left over, spaces, unpaired brackets and quotes, the final punctuation, a capital
at the start, a word twice in a row.

Each is one scan in C (a regex search, `in`, `split`) for the common clean case; Python only
looks closer when that scan finds something.
"""

from __future__ import annotations

import re
from itertools import compress, islice

from workbench.core.chars import JAPANESE, could_be, nfkc
from workbench.core.checks.base import by_status, make_issue
from workbench.core.records import DONE_STATUSES, STATUSES, Issue, SegmentRecord

# Japanese letters, and the Japanese punctuation and full-width forms no English uses
# (、。「」（）！？), but not the full-width digits and letters NFKC makes ASCII.
_JAPANESE_TEXT = re.compile(f"[{JAPANESE}\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40"
                            f"\uff5b-\uff65]+")
_JAPANESE_LETTER = re.compile(f"[{JAPANESE}]")


# What only the whitespace, unpaired and Japanese checks look for, as one class of characters:
# text with none of them (and no double space, no space at either end) skips all three.
LOOK_CLOSER = re.compile(f"[\t\u00a0()\\[\\]{{}}“”‘’\"{JAPANESE}\u3001-\u303f\uff01-\uff65]")
LOOK_CLOSER_ASCII = re.compile("[\t()\\[\\]{}\"]")


def text_issues(record: SegmentRecord, target: str) -> list[Issue]:
    """The whitespace, unpaired and japanese-left issues of `target` (one scan in C for the
    usual text that has none)."""
    look = LOOK_CLOSER_ASCII if target.isascii() else LOOK_CLOSER
    if not (target[0].isspace() or target[-1].isspace() or "  " in target or
            look.search(target) is not None):
        return []
    found = (whitespace(record, target), unpaired(record, target),
             japanese_left(record, target))
    return [issue for issue in found if issue is not None]


def untranslated(record: SegmentRecord) -> Issue:
    """A segment with no final English (`SegmentRecord.untranslated`): an error once it is
    marked done, a note while it is new (its MT, if any, is still checked)."""
    known = _UNTRANSLATED.get((record.final is None, record.status))
    severity, message = known or ("warning", f"no final translation ({record.status})")
    return make_issue("untranslated", severity, record, message, record.final or "")


def _untranslated_messages() -> dict[tuple[bool, str], tuple[str, str]]:
    out = {}
    for missing in (True, False):
        what = "no final translation" if missing else "an empty final translation"
        for status in STATUSES:
            out[(missing, status)] = (
                ("error", f"{what}, but marked {status}") if status in DONE_STATUSES else
                ("info", f"{what} yet") if status == "new" else
                ("warning", f"{what} ({status})"))
    return out


_UNTRANSLATED = _untranslated_messages()


def identical(record: SegmentRecord, target: str) -> Issue | None:
    """The Japanese source copied as the target (width and spacing aside)."""
    if _has_japanese(record.source) and _same_text(record.source, target):
        return make_issue("identical", "warning", record,
                          "the target is the Japanese source, untranslated", target)
    return None


def japanese_left(record: SegmentRecord, target: str) -> Issue | None:
    """Japanese in the English (`Dmitry MedvedevはAzerbaijanに迎えている`)."""
    shown = japanese_runs(target)
    if not shown:
        return None
    state = f", but marked {record.status}" if record.done else ""
    return make_issue("japanese-left", by_status(record), record,
                      f"Japanese left in the English: {shown}{state}", target)


def japanese_runs(text: str) -> str:
    """The runs of Japanese in an English `text`, each once, the first three shown
    (`は, に迎えている`); empty for a text with none."""
    if text.isascii():
        return ""
    runs = list(dict.fromkeys(_JAPANESE_TEXT.findall(text)))
    return ", ".join(runs[:3]) + (f" and {len(runs) - 3} more" if len(runs) > 3 else "")


def _has_japanese(text: str) -> bool:
    return _JAPANESE_LETTER.search(text) is not None


def _same_text(a: str, b: str) -> bool:
    """Whether `a`, which has Japanese in it, and `b` are the same text but for width and
    spacing (NFKC)."""
    if a == b:
        return True
    # NFKC keeps Japanese Japanese, so `b` must have something that NFKC makes Japanese.
    if b.isascii() or not could_be(_JAPANESE_LETTER, b):
        return False
    return " ".join(nfkc(a).split()) == " ".join(nfkc(b).split())


# ------------------------------------------------------------------------------ spaces


_DOUBLE_SPACE = re.compile(r"[ \t\u00a0]{2,}")


def whitespace(record: SegmentRecord, target: str) -> Issue | None:
    """A double space, or a space at the start or the end (a newline inside is a line)."""
    problems = []
    if target[0].isspace():
        problems.append("a space at the start")
    if target[-1].isspace():
        problems.append("a space at the end")
    if "  " in target or "\t" in target or "\u00a0" in target:
        m = _DOUBLE_SPACE.search(target)
        if m is not None:
            before = target[:m.start()].split()
            where = f" after {before[-1]!r}" if before else ""
            problems.append(f"a double space{where}")
    if not problems:
        return None
    return make_issue("whitespace", "warning", record, "; ".join(problems), target)


# ------------------------------------------------------------------------------ brackets


# Openers and closers by family; straight double quotes pair with each other. A ’ alone is an
# apostrophe (Russia’s), so single quotes count only from an opening ‘.
_OPEN = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_MARKS = re.compile(r"[()\[\]{}“”‘’\"]")
_FAMILY = {"(": "()", ")": "()", "（": "()", "）": "()", "[": "[]", "]": "[]", "［": "[]",
           "］": "[]", "【": "[]", "】": "[]", "{": "{}", "}": "{}", "“": "“”", "”": "“”",
           "「": "“”", "」": "“”", "『": "“”", "』": "“”", "\"": "“”", "‘": "‘’"}
_SOURCE_MARKS = re.compile(r"[()（）\[\]［］【】{}“”「」『』\"]")


def unpaired(record: SegmentRecord, target: str) -> Issue | None:
    """A bracket or quotation mark of the target without its partner. Not reported for a
    family of marks the source leaves unpaired itself (a fragment, a quote across segments)."""
    if _MARKS.search(target) is None:
        return None
    lonely = _unpaired_marks(target)
    if not lonely:
        return None
    odd = _source_unpaired_families(record.source)
    lonely = [(mark, pos) for mark, pos in lonely if _FAMILY.get(mark) not in odd]
    if not lonely:
        return None
    parts = []
    for mark, pos in lonely[:3]:
        before = target[:pos].split()
        parts.append(f"{mark} after {before[-1]!r}" if before else f"{mark} at the start")
    return make_issue("unpaired", "warning", record,
                      f"unpaired {', '.join(parts)}", target)


def _unpaired_marks(text: str) -> list[tuple[str, int]]:
    """The marks of `text` left without a partner, with their positions."""
    stack: list[tuple[str, int]] = []
    lonely: list[tuple[str, int]] = []
    straight: list[int] = []
    for m in _MARKS.finditer(text):
        mark, pos = m.group(), m.start()
        if mark == "\"":
            straight.append(pos)
        elif mark in _OPEN:
            stack.append((mark, pos))
        elif mark == "’" and not any(o == "‘" for o, _ in stack):
            continue                        # an apostrophe
        else:
            opener = _CLOSE[mark]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == opener:
                    lonely.extend(stack[k + 1:])   # opened inside and never closed
                    del stack[k:]
                    break
            else:
                lonely.append((mark, pos))
    lonely.extend(stack)
    if len(straight) % 2:
        lonely.append(("\"", straight[-1]))
    lonely.sort(key=lambda x: x[1])
    return lonely


def _source_unpaired_families(source: str) -> set[str]:
    """The families of brackets and quotes the source itself does not pair up."""
    if _SOURCE_MARKS.search(source) is None:
        return set()
    counts: dict[str, int] = {}
    for m in _SOURCE_MARKS.finditer(source):
        mark = m.group()
        family = _FAMILY[mark]
        if mark == "\"":
            counts[family + "\""] = counts.get(family + "\"", 0) + 1
            continue
        opening = mark in "(（[［【{“「『"
        counts[family] = counts.get(family, 0) + (1 if opening else -1)
    odd = {f for f, n in counts.items() if not f.endswith("\"") and n}
    if counts.get("“”\"", 0) % 2:
        odd.add("“”")
    return odd


# ------------------------------------------------------------------------------ sentence ends


_CLOSERS = "」』）)]］】\"”’'"
_EXPECTED_END = {"。": ".", "｡": ".", "．": ".", ".": ".", "？": "?", "?": "?", "！": "!",
                 "!": "!"}
# What an English sentence may end with for each source ending (！ is often toned down).
_ACCEPTED_END = {".": ".…", "?": "?", "!": "!."}
_NO_FULL_STOP_KINDS = frozenset({"heading", "label"})


def sentence_form(record: SegmentRecord, target: str) -> list[Issue]:
    """The end-punctuation and capital issues of `target` (how a sentence is written)."""
    if target[-1:] == "." and target[:1].isupper() and record.source.endswith(("。", "．")):
        return []           # the usual sentence, written as it should be
    end = end_punctuation(record, target)
    start = None if target[:1].isupper() else capital(record, target)
    return [i for i in (end, start) if i is not None] if end or start else []


def end_punctuation(record: SegmentRecord, target: str) -> Issue | None:
    """The target does not end as the source does: 。 with a full stop, ？ with a question
    mark, ！ with an exclamation mark (or a full stop); a heading with no full stop."""
    source_end = record.source.rstrip().rstrip(_CLOSERS)[-1:]
    target_end = target.rstrip().rstrip(_CLOSERS)[-1:]
    expected = _EXPECTED_END.get(source_end)
    if expected is None:
        if record.kind in _NO_FULL_STOP_KINDS and target_end == "." and \
                not target.rstrip().endswith(("..", "etc.")):
            return make_issue("end-punctuation", "warning", record,
                              f"the source ({record.kind}) has no full stop but the target "
                              "ends with one", target)
        return None
    if target_end and (target_end in _ACCEPTED_END[expected] or target_end in "。｡？！"):
        return None       # (a Japanese full stop left in the English is japanese-left's)
    shown = repr(target_end) if target_end and not target_end.isalnum() else "no punctuation"
    return make_issue("end-punctuation", "warning", record,
                      f"the source ends with {source_end} but the target ends with {shown}, "
                      f"not {expected!r}", target)


_FIRST_WORD = re.compile(r"[\s\"'“‘(\[{^*•·\-–—…]*([^\s\"'“”‘’()\[\]{}.,;:!?]+)")


def capital(record: SegmentRecord, target: str) -> Issue | None:
    """A sentence or a heading whose English starts with a small letter (a word in lower
    case: `iPhone` and numbers are left alone), unless the source starts with one too. A
    fragment (a table cell, a label) may start as it likes."""
    if target[:1].isupper() or record.kind != "heading" and \
            record.source.rstrip().rstrip(_CLOSERS)[-1:] not in _EXPECTED_END:
        return None
    m = _FIRST_WORD.match(target)
    if m is None:
        return None
    word = m.group(1)
    if not word[0].islower() or word != word.lower() or not word[0].isalpha():
        return None
    first = _FIRST_WORD.match(record.source)
    if first is not None and first.group(1)[:1].islower():
        return None
    return make_issue("capital", "warning", record,
                      f"the target starts with a small letter: {word!r}", target)


# ------------------------------------------------------------------------------ words


# Doubled words that English uses on purpose.
_FINE_TWICE = frozenset({"had", "that", "is", "do", "bye", "no", "very", "so", "ha"})
_PUNCTUATION = ".,;:!?\"'“”‘’)]}…"


def repeated_word(record: SegmentRecord, target: str,
                  words: list[str] | None = None) -> Issue | None:
    """The same word twice in a row, across nothing but spaces (`the the`, `the the,`, and
    at the start in any case: `The the`).

    `words` is `target.split()` (the spelling check splits it too). A repeat is a word the
    next one starts with, followed there by nothing or punctuation only: one comparison of
    neighbours by map in C finds the candidates, and only they are looked at in Python.
    """
    if words is None:
        words = target.split()
    if len(words) < 2:
        return None
    first_twice = words[1].startswith(words[0].lower()) and words[0] != words[1]
    if not first_twice and not any(map(str.startswith, islice(words, 1, None), words)):
        return None
    found: dict[str, None] = {}
    for i in compress(range(len(words) - 1), map(str.startswith, islice(words, 1, None), words)):
        first, second = words[i], words[i + 1]
        if first.isalpha() and not second[len(first):].strip(_PUNCTUATION) and \
                first.lower() not in _FINE_TWICE:
            found[f"{first} {second[:len(first)]}"] = None
    if first_twice and words[0].isalpha() and words[0].lower() not in _FINE_TWICE and \
            not words[1][len(words[0]):].strip(_PUNCTUATION):
        found[f"{words[0]} {words[1][:len(words[0])]}"] = None
    if not found:
        return None
    shown = ", ".join(map(repr, found))
    return make_issue("repeated-word", "warning", record, f"a word repeated: {shown}", target)
