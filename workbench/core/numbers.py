"""Numbers as a Japanese text and its English state them, to compare the two.

Arabic numerals (full-width too), 万/億/兆 (3億 = 300,000,000), kanji numerals (二〇二四,
千九百九十三), era years (令和6年 = 2024), English digits with scale words ($300 million), number
words and month names. Used by the number check and by the aligner's anchors.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache

from workbench.core.chars import JAPANESE, WORD_CHARS, char_class, could_be, nfkc

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
# Japanese era years name a Western year: 令和6年 is 2024, 平成元年 1989. The year before
# each era's first is added to the era year.
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_ERA_START = re.compile("[令平昭大明]")
_ERA_YEAR = re.compile(
    rf"({'|'.join(_ERAS)})[ \u3000]*(元|\d{{1,2}}|[{_KANJI_NUM}]{{1,3}})[ \u3000]*年")
_RANGE_TAIL = re.compile(r"(\d\d{3})\s*[-–—~〜～]\s*(\d\d)(?!\d)")


def japanese_numbers(text: str) -> set[float]:
    """The numbers a Japanese text states: Arabic (full-width too), with 万/億/兆
    (3億 = 300,000,000; 24億3000万 = 2,430,000,000) and kanji numerals (二〇二四 = 2024,
    千九百九十三 = 1993, 五月 = 5). Kanji inside words (一部, 二国間) are not numbers."""
    if _ERA_START.search(text):
        text = _western_years(nfkc(text))
    if not could_be(_JA_NUMBER_START, text):
        return set()
    return {value for _, _, value in _numbers_in(_expand_ranges(nfkc(text)))}


def japanese_number_spans(text: str) -> list[tuple[int, int, float]]:
    """Where `text` states a number, as `japanese_numbers` reads them: (start, end, value)
    of each, in order. Spans are of `text` itself, which should be NFKC already (folded
    text is): the translation memory puts a placeholder there."""
    if not could_be(_JA_NUMBER_START, text):
        return []
    return list(_numbers_in(text))


def _numbers_in(text: str) -> Iterator[tuple[int, int, float]]:
    for m in _JA_NUMBER.finditer(text):
        start, end = m.span()
        if m.lastgroup == "arabic":
            if start and text[start - 1] in _CODE_LETTERS:
                continue   # part of a code such as G7 or COP29: compared as a name, not here
            yield start, end, _arabic_with_units(m.group())
            continue
        run = m.group()
        if len(run) > 1 and _KANJI_DIGIT_CHARS.issuperset(run):
            # 二〇二四 and 一九九三 are read digit by digit; two digits (五六人) mean "5 or 6".
            if len(run) > 2 or "〇" in run:
                yield start, end, float(_kanji_value(run) or 0)
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
            yield start, end, float(number)


def _western_years(text: str) -> str:
    """`令和6年` → `2024年`: era years as the Western years they name (`text` itself when it
    has none)."""
    if not _ERA_YEAR.search(text):
        return text

    def western(m: re.Match[str]) -> str:
        year = m.group(2)
        number = 1 if year == "元" else int(year) if year.isdigit() else _kanji_value(year)
        return m.group() if number is None else f"{_ERAS[m.group(1)] + number}年"

    return _ERA_YEAR.sub(western, text)


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
# Digits written onto a Latin letter are part of a name or a code (G7, COP29), in the source
# as in the target. Onto a letter of another script they are a number that run-together
# extraction glued to its word (`отметила15-летие`: marked the 15th anniversary).
_CODE_LETTERS = frozenset(c for c in WORD_CHARS if c.isalpha() and
                          (c.isascii() or "\u00c0" <= c <= "\u024f" or "\uff21" <= c <= "\uff5a"))
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
    runs = [] if text.isascii() or not could_be(_JA_NUMBER_START, text) else \
        _JA_RUN.findall(text)
    if not runs:
        return _english_digits(text)
    numbers: set[float] = set()
    for run in runs:
        numbers |= japanese_numbers(run)
    return numbers | _english_digits(_JA_RUN.sub(" ", text))


def english_digits(text: str) -> set[float]:
    """The numbers written with digits in an English `text` (ordinals too: 33rd), year ranges
    expanded; codes such as G7 are names, not numbers."""
    return _english_digits(_expand_ranges(text))


def _english_digits(text: str) -> set[float]:
    """The numbers written with digits in `text` (year ranges expanded)."""
    digits: set[float] = set()
    for m in _EN_DIGITS.finditer(text):
        start = m.start()
        if start and text[start - 1] in _CODE_LETTERS:
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


def number_mismatch(source: str, target: str) -> str:
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
