"""QA checks over segments: glossary names, consistency, numbers and empty or copied targets.

The target of a segment is its `final` translation if set, else its normalized text (the
MT with the glossary enforced), else its raw MT. A segment whose normalized text is a
pre-translation (no MT yet) has no target. Each check has one severity, so that a clean
run means something:

| check                   | severity | finds                                                   |
|-------------------------|----------|---------------------------------------------------------|
| term-missing            | error    | a name in the source that the target does not name      |
| off-canonical           | error    | a rendering the glossary rewrites (en_variants, near    |
|                         |          | misses, Japanese or romanized leftovers)                |
| forbidden               | error    | a rendering the glossary forbids                        |
| untranslated            | error    | a reviewed or approved segment with no English          |
|                         | warning  | a draft or rejected segment with no English             |
|                         | info     | a new segment with no English yet                       |
| identical               | warning  | a target that is the Japanese source copied             |
| number-mismatch         | warning  | numbers of the source missing from the target, or digits |
|                         |          | of the target missing from the source (kanji numerals:  |
|                         |          | 二〇二四, 千九百九十三; 3億ドル = $300 million)            |
| inconsistent-term       | warning  | one source spelling rendered by different English forms |
| inconsistent-translation| warning  | identical source segments translated differently        |
| variant-census          | info     | a name spelled more than one way in the sources         |
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench.core.batch import gc_paused
from workbench.core.chars import JAPANESE, WORD_CHARS, char_class, nfkc, nfkc_table
from workbench.core.enforce import Enforcer, accepted_forms, contains_word
from workbench.core.errors import WorkbenchError
from workbench.core.glossary.model import Entry, Glossary, Hit
from workbench.core.project import DONE_STATUSES, Project, SegmentRecord

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "CensusRow",
    "CheckReport",
    "Issue",
    "check_project",
    "check_records",
    "check_segments",
    "english_numbers",
    "japanese_numbers",
    "read_aligned",
    "target_of",
]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
"""Most severe first."""

CHECKS: dict[str, str] = {
    "term-missing": "error",
    "off-canonical": "error",
    "forbidden": "error",
    "untranslated": "error|warning|info",
    "identical": "warning",
    "number-mismatch": "warning",
    "inconsistent-term": "warning",
    "inconsistent-translation": "warning",
    "variant-census": "info",
}
"""Every check and its severity (untranslated depends on the segment's review status)."""


@dataclass(frozen=True)
class Issue:
    """One finding, located by document and segment (None for project-wide findings)."""

    check: str
    severity: str   # "error" | "warning" | "info"
    doc: str
    segment_id: str | None
    ordinal: int | None
    message: str
    source: str = ""
    target: str = ""
    term: str = ""


@dataclass(frozen=True)
class CensusRow:
    """How the sources spell one name: each spelling with its count, and where."""

    entry: Entry
    spellings: tuple[tuple[str, int], ...]   # most frequent first
    docs: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.spellings)


@dataclass(frozen=True)
class CheckReport:
    """The issues of a batch check plus the variant census of the sources."""

    issues: list[Issue]
    census: list[CensusRow]
    segments: int

    def counts(self) -> dict[str, int]:
        """Issues per severity, every severity present."""
        found = Counter(i.severity for i in self.issues)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def at_or_above(self, severity: str) -> list[Issue]:
        """Issues of `severity` or worse."""
        rank = SEVERITIES.index(severity)
        return [i for i in self.issues if SEVERITIES.index(i.severity) <= rank]


def target_of(record: SegmentRecord) -> str | None:
    """What a segment says in English: final, else normalized, else MT (None: nothing yet).

    A normalized text without MT is a pre-translation, not a translation.
    """
    if record.final is not None:
        return record.final
    if record.mt is None:
        return None
    return record.normalized if record.normalized is not None else record.mt


def check_segments(records: Sequence[SegmentRecord], glossary: Glossary) -> list[Issue]:
    """The per-segment checks (names, numbers, empty or copied targets) of `records`."""
    return _per_segment(records, glossary.find_all([r.source for r in records]), glossary)


def _per_segment(records: Sequence[SegmentRecord], hits: Sequence[Sequence[Hit]],
                 glossary: Glossary) -> list[Issue]:
    """The per-segment issues of `records`, whose sources have `hits`.

    The cyclic garbage collector is paused meanwhile (`gc_paused`).
    """
    out: list[Issue] = []
    enforcer = Enforcer(glossary)
    with gc_paused():
        for record, found in zip(records, hits, strict=True):
            out.extend(_segment_issues(record, found, enforcer))
    return out


def check_records(records: Sequence[SegmentRecord], glossary: Glossary) -> CheckReport:
    """Every check over `records` (a project's or an aligned file's): per-segment issues,
    consistency across segments and the variant census of their sources."""
    hits = glossary.find_all([r.source for r in records])
    issues = _per_segment(records, hits, glossary)
    issues.extend(_inconsistent_terms(records, hits))
    issues.extend(_inconsistent_translations(records))
    census = variant_census(records, hits)
    issues.extend(_census_issues(census))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    issues.sort(key=lambda i: (i.doc, i.ordinal if i.ordinal is not None else -1,
                               order[i.severity], i.check))
    return CheckReport(issues, census, len(records))


def check_project(project: Project, glossary: Glossary) -> CheckReport:
    """Every check over the project's current segments and translations."""
    return check_records(project.segments(), glossary)


# -------------------------------------------------------------------------------- per segment


def _issue(check: str, severity: str, record: SegmentRecord, message: str, target: str = "",
           term: str = "") -> Issue:
    return Issue(check, severity, record.doc, record.id or None, record.ordinal, message,
                 record.source, target, term)


def _segment_issues(record: SegmentRecord, hits: Sequence[Hit],
                    enforcer: Enforcer) -> list[Issue]:
    target = target_of(record)
    if not target or target.isspace():
        return [_untranslated(record, target)]
    out: list[Issue] = []
    if _has_japanese(record.source) and _same_text(record.source, target):
        out.append(_issue("identical", "warning", record,
                          "the target is the Japanese source, untranslated", target))
    entries = enforcer.entries(hits)
    if _enforced(record, enforcer.stamp):
        # The stored normalized text is this MT with this glossary enforced: enforcing it
        # again changes nothing, so only what it does not name is left to find.
        missing = enforcer.missing(target, entries)
    elif hits:
        result = enforcer.enforce(target, entries)
        for change in result.changes:
            out.append(_issue("off-canonical", "error", record,
                              f"{change.before!r} should read {change.after!r} "
                              f"({_REASONS[change.reason]})", target, change.entry.en))
        missing = result.missing
    else:
        missing = []
    for entry in missing:
        # (The hits of one glossary share its entry objects: `is` is `==` here, and fast.)
        surfaces = ", ".join(dict.fromkeys(h.surface for h in hits if h.entry is entry))
        out.append(_issue("term-missing", "error", record,
                          f"{surfaces} is not named: expected {entry.rendering!r}",
                          target, entry.en))
    for entry in entries:
        for form in entry.forbidden:
            if contains_word(target, form):
                out.append(_issue("forbidden", "error", record,
                                  f"{form!r} is forbidden: write {entry.rendering!r}",
                                  target, entry.en))
    message = _number_mismatch(record.source, target)
    if message:
        out.append(_issue("number-mismatch", "warning", record, message, target))
    return out


def _enforced(record: SegmentRecord, stamp: str) -> bool:
    """Whether the segment's target is its normalized text, made with this glossary and
    these rules (`stamp`)."""
    return record.final is None and record.normalized is not None and \
        record.normalized_glossary == stamp


_REASONS = {"en_variant": "a variant spelling", "near_miss": "a misspelling",
            "leftover": "a source spelling left in the English",
            "romanized": "a romanized leftover",
            "pretranslation": "pre-translation"}


def _untranslated(record: SegmentRecord, target: str | None) -> Issue:
    what = "no translation" if target is None else "an empty translation"
    if record.status in DONE_STATUSES:
        return _issue("untranslated", "error", record, f"{what}, but marked {record.status}",
                      target or "")
    if record.status == "new":
        return _issue("untranslated", "info", record, f"{what} yet", target or "")
    return _issue("untranslated", "warning", record, f"{what} ({record.status})", target or "")


_JAPANESE = re.compile(f"[{JAPANESE}]")


def _has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


def _same_text(a: str, b: str) -> bool:
    """Whether `a`, which has Japanese in it, and `b` are the same text but for width and
    spacing (NFKC)."""
    if a == b:
        return True
    # NFKC keeps Japanese Japanese, so `b` must have something that NFKC makes Japanese.
    if b.isascii() or not _could_be(_JAPANESE, b):
        return False
    return " ".join(nfkc(a).split()) == " ".join(nfkc(b).split())


def _could_be(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` (a class of characters) may find something in the NFKC of `text`:
    `text` holds a character whose NFKC it finds, or one beyond the BMP."""
    return _nfkc_class(pattern).search(text) is not None


@lru_cache(maxsize=8)
def _nfkc_class(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern`, a class of characters, with the characters of the BMP whose NFKC it finds
    and any beyond the BMP."""
    assert pattern.pattern.startswith("[") and pattern.pattern.endswith("]")
    extra = frozenset(c for c, new in nfkc_table().items()
                      if pattern.search(new) and not pattern.match(c))
    return re.compile(f"[{pattern.pattern[1:-1]}{char_class(extra)}\U00010000-\U0010ffff]")


# -------------------------------------------------------------------------------- consistency


def _inconsistent_terms(records: Sequence[SegmentRecord],
                        hits: Sequence[Sequence[Hit]]) -> list[Issue]:
    """One source spelling rendered by different full English forms in different segments
    (`CSTO` here, `Collective Security Treaty Organization` there). A person's surname
    after the full name is normal English and not counted."""
    used: dict[tuple[Entry, str], Counter[str]] = defaultdict(Counter)
    where: dict[tuple[Entry, str], list[SegmentRecord]] = defaultdict(list)
    for record, found in zip(records, hits, strict=True):
        target = target_of(record)
        if not target:
            continue
        for hit in found:
            key = (hit.entry, hit.surface)
            forms = [f for f in accepted_forms(hit.entry) if contains_word(target, f)]
            if forms:
                used[key][max(forms, key=len)] += 1
                where[key].append(record)
    out = []
    for (entry, surface), counts in used.items():
        if len(counts) < 2:
            continue
        first = where[(entry, surface)][0]
        listing = ", ".join(f"{f!r} ×{n}" for f, n in counts.most_common())
        out.append(Issue("inconsistent-term", "warning", first.doc, None, None,
                         f"{surface} is rendered {len(counts)} ways: {listing}",
                         surface, "", entry.en))
    return out


def _inconsistent_translations(records: Sequence[SegmentRecord]) -> list[Issue]:
    """Identical sources with different targets."""
    targets: dict[str, dict[str, SegmentRecord]] = defaultdict(dict)
    for record in records:
        target = target_of(record)
        if target and target.strip():
            targets[record.source].setdefault(" ".join(target.split()), record)
    out = []
    for source, by_target in targets.items():
        if len(by_target) < 2:
            continue
        first = next(iter(by_target.values()))
        where = ", ".join(f"#{r.ordinal}" for r in by_target.values())
        out.append(Issue("inconsistent-translation", "warning", first.doc, first.id or None,
                         first.ordinal,
                         f"the same source is translated {len(by_target)} ways ({where})",
                         source, " | ".join(by_target)))
    return out


def variant_census(records: Sequence[SegmentRecord],
                   hits: Sequence[Sequence[Hit]]) -> list[CensusRow]:
    """Every name found in the sources with the spellings used for it, most used first."""
    spellings: dict[Entry, Counter[str]] = defaultdict(Counter)
    docs: dict[Entry, dict[str, None]] = defaultdict(dict)
    for record, found in zip(records, hits, strict=True):
        for hit in found:
            spellings[hit.entry][hit.surface] += 1
            docs[hit.entry][record.doc] = None
    rows = [CensusRow(entry, tuple(counts.most_common()), tuple(docs[entry]))
            for entry, counts in spellings.items()]
    rows.sort(key=lambda r: (-len(r.spellings), -r.total, r.entry.en))
    return rows


def _census_issues(census: Sequence[CensusRow]) -> list[Issue]:
    out = []
    for row in census:
        if len(row.spellings) < 2:
            continue
        listing = ", ".join(f"{s} ×{n}" for s, n in row.spellings)
        out.append(Issue("variant-census", "info", ", ".join(row.docs), None, None,
                         f"{row.entry.en} is spelled {len(row.spellings)} ways: {listing}",
                         term=row.entry.en))
    return out


# -------------------------------------------------------------------------------- numbers

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
_KANJI_LARGE = {"万": 10**4, "億": 10**8, "兆": 10**12}
# What may follow a kanji numeral for it to be a number: 一部 (a part), 一方 (on the other
# hand) and 二国間 (bilateral) are words, not numbers.
_COUNTERS = ("年", "月", "日", "人", "名", "回", "か国", "カ国", "ヶ国", "ケ国", "箇国", "つ",
             "歳", "件", "倍", "割", "%", "パーセント", "ドル", "円", "ユーロ", "ルーブル", "キロ",
             "メートル", "トン", "時間", "秒", "周年", "世紀", "か月", "カ月", "ヶ月", "週", "隻",
             "機", "台", "個", "社", "期", "位", "番", "号", "条", "項", "章")
# `\d\d*` rather than `\d+`: a pattern that starts with a character class lets the regex
# engine skip to the next digit in C.
_ARABIC_REST = r"\d*(?:,\d{3})*(?:\.\d+)?"      # after the first digit
_ARABIC = r"\d" + _ARABIC_REST
_KANJI_NUM = "〇零一二三四五六七八九十百千"
# Arabic numerals with 万/億/兆 (the empty group `arabic` marks them), or a run of kanji
# numerals. The first character is matched by one class (a lookbehind then tells which), so
# the regex engine skips to the next digit or numeral in C.
_JA_NUMBER = re.compile(
    rf"[\d{_KANJI_NUM}](?:(?<=\d)(?P<arabic>){_ARABIC_REST}(?:[万億兆](?:{_ARABIC})?)*"
    rf"|(?<=[{_KANJI_NUM}])[{_KANJI_NUM}万億兆]*)")
_ARABIC_WITH_UNIT = re.compile(rf"({_ARABIC})([万億兆]?)")
_KANJI_DIGIT_CHARS = frozenset(_KANJI_DIGITS)
# Whether a text may hold a number at all: one scan in C skips most of the work below.
_JA_NUMBER_START = re.compile(rf"[\d{_KANJI_NUM}]")
_RANGE_DASH = re.compile("[-–—~〜～]")
_RANGE_TAIL = re.compile(r"(\d\d{3})\s*[-–—~〜～]\s*(\d\d)(?!\d)")


def japanese_numbers(text: str) -> set[float]:
    """The numbers a Japanese text states: Arabic (full-width too), with 万/億/兆
    (3億 = 300,000,000; 24億3000万 = 2,430,000,000) and kanji numerals (二〇二四 = 2024,
    千九百九十三 = 1993, 五月 = 5). Kanji inside words (一部, 二国間) are not numbers."""
    values: set[float] = set()
    if not _could_be(_JA_NUMBER_START, text):
        return values
    text = _expand_ranges(nfkc(text))
    for m in _JA_NUMBER.finditer(text):
        start, end = m.span()
        if m.lastgroup == "arabic":
            if start and text[start - 1].isalnum() and text[start - 1].isascii():
                continue   # part of a code such as G7 or Su-24: compared as a name, not here
            values.add(_arabic_with_units(m.group()))
            continue
        run = m.group()
        if len(run) > 1 and _KANJI_DIGIT_CHARS.issuperset(run):
            # 二〇二四 and 一九九三 are read digit by digit; two digits (五六人) mean "5 or 6".
            if len(run) > 2 or "〇" in run:
                values.add(float(_kanji_value(run) or 0))
            continue
        if not start or text[start - 1] != "第":
            after = text[end:end + 5]
            if not after.startswith(_COUNTERS) and run[-1] not in _KANJI_LARGE:
                continue
            if run == "一" and not after.startswith(("月", "日", "年", "人", "つ", "か国", "カ国")):
                continue   # 一 alone is mostly a word (一回 = once, 一時 = for a while)
            if run == "一" and after.startswith(("日も早", "日でも早")):
                continue   # 一日も早く: "as soon as possible", no day in it
        number = _kanji_value(run)
        if number is not None:
            values.add(float(number))
    return values


def _expand_ranges(text: str) -> str:
    """`1826–28` → `1826–1828`: an abbreviated year range names the full year (`text`
    itself when it has none)."""
    if not _RANGE_DASH.search(text) or not _RANGE_TAIL.search(text):
        return text
    return _RANGE_TAIL.sub(lambda m: f"{m.group(1)}–{m.group(1)[:2]}{m.group(2)}", text)


@lru_cache(maxsize=4096)
def _arabic_with_units(token: str) -> float:
    total = 0.0
    for number, unit in _ARABIC_WITH_UNIT.findall(token):
        total += float(number.replace(",", "")) * _KANJI_LARGE.get(unit, 1)
    return round(total, 6)     # 19.911億 is 1991100000, not 1991100000.0000002


@lru_cache(maxsize=4096)
def _kanji_value(run: str) -> int | None:
    """千九百九十三 → 1993, 三億五千万 → 350000000, 二〇二四 → 2024."""
    if all(c in _KANJI_DIGITS for c in run):
        return int("".join(str(_KANJI_DIGITS[c]) for c in run))
    total = section = digit = 0
    for c in run:
        if c in _KANJI_DIGITS:
            digit = digit * 10 + _KANJI_DIGITS[c]
        elif c in _KANJI_SMALL:
            section += (digit or 1) * _KANJI_SMALL[c]
            digit = 0
        elif c in _KANJI_LARGE:
            total += (section + digit or 1) * _KANJI_LARGE[c]
            section = digit = 0
        else:
            return None
    return total + section + digit


_EN_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"))}
_EN_TENS = {w: 10 * i for i, w in enumerate((
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")) if w}
_EN_ORDINALS = {w: i for i, w in enumerate((
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth")) if w}
_EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "mn": 10**6,
              "billion": 10**9, "bn": 10**9, "trillion": 10**12}
_MONTHS = {m: i for i, m in enumerate((
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December")) if m}

_Trie = dict[str, "_Trie"]


def _trie(words: Iterable[str]) -> _Trie:
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def _alternation(node: _Trie) -> str:
    """The words of a trie as an alternation that follows it (`t(?:en|w(?:elve|o))`): the
    regex engine tries a branch per letter rather than every word, and a longer word still
    comes before its prefix (`seventeen` before `seven`), as when sorted longest first."""
    options = [re.escape(ch) + _alternation(child) for ch, child in sorted(node.items()) if ch]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
    return f"(?:{body})?" if "" in node else body


_NUMBER_WORD_TRIE = _trie([*_EN_WORDS, *_EN_TENS, *_EN_ORDINALS])
_NUMBER_WORDS = _alternation(_NUMBER_WORD_TRIE)
_SCALE_WORDS = "hundred|thousand|million|mn|billion|bn|trillion"
# Only the words that can be numbers are matched: scanning every word in Python is slow.
# Digits and words are two scans: no match of one can overlap a match of the other, and a
# scan for digits alone skips to the next digit in C.
_LETTERS = WORD_CHARS - frozenset("0123456789０１２３４５６７８９")
# Word boundaries as everywhere in the checks: Japanese ends a word (`Januaryの`).
_WORD_START = f"(?<![{char_class(WORD_CHARS)}])"
_WORD_END = f"(?![{char_class(WORD_CHARS)}])"
_EN_DIGITS = re.compile(
    rf"(?P<num>{_ARABIC})(?:st|nd|rd|th|s)?(?:\s*(?P<scale>{_SCALE_WORDS}){_WORD_END})?")
# What a number word (in any case: ſ is an s) or a month name can start with: a lookahead
# for it at a word's start is a quicker failure than trying the words.
_NUMBER_WORD_START = "efnostzEFNOSTZſ" + "".join(sorted({m[0] for m in _MONTHS}))
_EN_WORDS_OR_MONTHS = re.compile(
    rf"{_WORD_START}(?=[{_NUMBER_WORD_START}])"
    rf"(?:(?P<word>(?i:{_NUMBER_WORDS})(?:-(?i:{_NUMBER_WORDS}))?)"
    rf"(?:[ -](?P<wscale>(?i:{_SCALE_WORDS})))?{_WORD_END}"
    rf"|(?P<month>{_alternation(_trie(_MONTHS))}){_WORD_END})")


@lru_cache(maxsize=1)
def _word_values() -> tuple[frozenset[float], tuple[float, ...]]:
    """Every number that number words or a month name can state (`_english_words`), and
    those of them in the millions or more, sorted (which a number may only be close to)."""
    words = [*_EN_WORDS, *_EN_TENS, *_EN_ORDINALS]
    values = {_word_value(w) for w in words} | {_word_value(f"{a}-{b}") for a in words
                                                 for b in words}
    values |= set(_MONTHS.values())
    stated = {float(v * scale) for v in values if v is not None
              for scale in (1, *_EN_SCALES.values())}
    return frozenset(stated), tuple(sorted(v for v in stated if v >= 1e6))


def english_numbers(text: str) -> set[float]:
    """The numbers an English text states: digits (with `million`, `billion`: $300 million),
    number words (twenty-four), ordinals (fifth) and month names (May 7 → 5 and 7)."""
    digits, words = _english_numbers(text)
    return digits | words


def _english_numbers(text: str) -> tuple[set[float], set[float]]:
    """(numbers written with digits, numbers written as words or month names)."""
    text = _expand_ranges(text)
    return _english_digits(text), _english_words(text)


# Japanese left in a target (an MT that copied 8億ドル, a pre-translation): a run of Japanese
# with the digits written onto it, read as the source is (8億 is 800,000,000, not 8). Digits
# written onto a Latin letter stay with it (G7首脳: G7 is a name).
_JA_TEXT = f"[{JAPANESE}]"
_JA_RUN = re.compile(rf"(?<![A-Za-z0-9０-９.,])[0-9０-９][0-9０-９.,]*{_JA_TEXT}"
                     rf"(?:{_JA_TEXT}|[0-9０-９.,])*|{_JA_TEXT}(?:{_JA_TEXT}|[0-9０-９.,])*")


def _target_digits(text: str) -> set[float]:
    """The numbers written with digits or kanji in a target: English digits, and the numbers
    of any Japanese left in it read as Japanese."""
    runs = [] if text.isascii() or not _could_be(_JA_NUMBER_START, text) else \
        _JA_RUN.findall(text)
    if not runs:
        return _english_digits(text)
    numbers: set[float] = set()
    for run in runs:
        numbers |= japanese_numbers(run)
    return numbers | _english_digits(_JA_RUN.sub(" ", text))


def _english_digits(text: str) -> set[float]:
    """The numbers written with digits in `text` (year ranges expanded)."""
    digits: set[float] = set()
    for m in _EN_DIGITS.finditer(text):
        start = m.start()
        if start and text[start - 1] in _LETTERS:
            continue   # G7 is a name (but 2008 in 戦争は2008年 is a number)
        number, scale = m.groups()
        value = float(number.replace(",", "")) if "," in number else float(number)
        digits.add(value * _EN_SCALES[scale] if scale else value)
    return digits


def _english_words(text: str) -> set[float]:
    """The numbers written as words or month names in `text` (year ranges expanded)."""
    named: set[float] = set()
    for m in _EN_WORDS_OR_MONTHS.finditer(text):
        month = m.group("month")
        if month:
            if month != "May" or _next_is_digit(text, m.end()) or \
                    _prev_is_digit(text, m.start()):
                named.add(float(_MONTHS[month]))
        else:
            number = _word_value(m.group("word").lower())
            if number is None:
                continue
            if m.group("wscale"):
                number *= _EN_SCALES[m.group("wscale").lower()]
            named.add(float(number))
    return named


def _word_value(word: str) -> int | None:
    if word in _EN_WORDS:
        return _EN_WORDS[word]
    if word in _EN_ORDINALS:
        return _EN_ORDINALS[word]
    if word in _EN_TENS:
        return _EN_TENS[word]
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _EN_TENS and unit in _EN_WORDS:
            return _EN_TENS[tens] + _EN_WORDS[unit]
    return None


def _next_is_digit(text: str, pos: int) -> bool:
    return bool(re.match(r"\s*\d", text[pos:pos + 3]))


def _prev_is_digit(text: str, pos: int) -> bool:
    return bool(re.search(r"\d\s*$", text[max(0, pos - 3):pos]))


def _same_number(a: float, b: float) -> bool:
    if a == b:
        return True
    # Amounts in the millions are rounded in translation (19.911億 ≈ 1.99 billion).
    return max(abs(a), abs(b)) >= 1e6 and abs(a - b) <= 0.005 * max(abs(a), abs(b))


def _unmatched(values: Iterable[float], others: set[float]) -> list[float]:
    """The values with no same number (`_same_number`) among `others`, sorted: below a
    million only an equal one is the same, which a set finds."""
    left = [v for v in values if v not in others]
    if left:
        big = [w for w in others if abs(w) >= 1e6]
        left = [v for v in left if not any(_same_number(v, w) for w in
                                           (others if abs(v) >= 1e6 else big))]
    left.sort()
    return left


def _number_mismatch(source: str, target: str) -> str:
    """Source numbers the target lacks, and digits in the target the source lacks (number
    words in English are too often idiom, "one of", to count as extra)."""
    ja = japanese_numbers(source)
    digits = _target_digits(target)
    if not ja and not digits:
        return ""
    if digits:     # a year range (1826–28) needs digits
        expanded = _expand_ranges(target)
        if expanded is not target:
            target = expanded
            digits = _target_digits(target)
    lost = _unmatched(ja, digits)
    # Number words are looked for only when a lost number is one they can state.
    if lost and any(_wordable(v) for v in lost):
        lost = _unmatched(lost, _english_words(target))
    extra = _unmatched(digits, ja)
    if not lost and not extra:
        return ""
    parts = []
    if lost:
        parts.append(f"the source has {_show(lost)} but the target does not")
    if extra:
        parts.append(f"the target has {_show(extra)} but the source does not")
    return "; ".join(parts)


def _wordable(value: float) -> bool:
    """Whether number words or a month name can state `value` or a number the same as it."""
    exact, big = _word_values()
    if value in exact:
        return True
    # A number the same as one in the millions is within 0.5% of it (a wider window here).
    size = abs(value)
    near = big[bisect_left(big, size * 0.99):bisect_right(big, size / 0.99)]
    return any(_same_number(value, w) for w in near)


def _show(values: Iterable[float]) -> str:
    """1993 as a year, 800,000,000 with separators, 39.3 as it is."""
    return ", ".join(f"{v:.0f}" if v == int(v) and abs(v) < 10_000 else
                     f"{v:,.0f}" if v == int(v) else f"{v:,}" for v in values)


# -------------------------------------------------------------------------------- aligned files


def read_aligned(path: Path) -> list[SegmentRecord]:
    """Segments of an aligned file for checking: `.jsonl`, `.tmx`, or one file of a
    `<doc>.ja.txt` / `<doc>.en.txt` pair. Their English is taken as final."""
    from workbench.core.export import read_jsonl, read_tmx, read_txt_pair

    name = path.name
    if not path.exists():
        raise WorkbenchError("no such file", path=path)
    if name.endswith(".jsonl"):
        return read_jsonl(path)
    if name.endswith(".tmx"):
        doc = name[: -len(".tmx")]
        return [SegmentRecord(u.id, u.props.get("x-document", doc),
                              int(u.props.get("x-number", i)), u.source, i, i,
                              u.props.get("x-kind", "text"), final=u.target,
                              status=u.props.get("x-status", "reviewed"))
                for i, u in enumerate(read_tmx(path), 1)]
    for lang, other in ((".ja.txt", ".en.txt"), (".en.txt", ".ja.txt")):
        if name.endswith(lang):
            doc = name[: -len(lang)]
            partner = path.with_name(doc + other)
            if not partner.exists():
                raise WorkbenchError(f"no {partner.name} beside it to align with", path=path)
            ja, en = (path, partner) if lang == ".ja.txt" else (partner, path)
            return [SegmentRecord("", doc, i, source, i, i, "text", final=target,
                                  status="reviewed")
                    for i, (source, target) in enumerate(read_txt_pair(ja, en), 1)]
    raise WorkbenchError("not an aligned file (.jsonl, .tmx, or a .ja.txt/.en.txt pair)",
                         path=path)
