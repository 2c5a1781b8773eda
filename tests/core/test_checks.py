"""QA checks: names, numbers (kanji numerals too), empty or copied targets, consistency."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.checks import check_records, check_segments, target_of
from workbench.core.enforce import enforce, normalized_stamp
from workbench.core.formats.aligned import read_aligned
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.ingest import sync
from workbench.core.numbers import english_numbers, japanese_numbers
from workbench.core.pipeline import check_project
from workbench.core.project import Project
from workbench.core.records import Issue, SegmentRecord

REPO = Path(__file__).resolve().parents[2]
SOURCE = ("しかし、アルメニアの占領後Khojaly、Mutallibovは以下のような結果にどの辞任に追い込まれた"
          "アバルファズ・エルチビー電源に来ます。")
GOOD = "After Armenia took Khojaly, Mutallibov had to resign and Abulfaz Elchibey came to power."


@pytest.fixture(scope="module")
def real() -> Glossary:
    return load_glossary(REPO / "glossary")


def record(source: str, final: str | None = None, *, mt: str | None = None,
           normalized: str | None = None, status: str = "draft", ordinal: int = 1,
           doc: str = "doc") -> SegmentRecord:
    return SegmentRecord.of(id=f"id{ordinal}", doc=doc, ordinal=ordinal, source=source, mt=mt,
                         normalized=normalized, final=final, status=status)


def found(issues: list[Issue]) -> list[tuple[str, str, str]]:
    return [(i.check, i.severity, i.term) for i in issues]


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize("text, values", [
    ("二〇二四年", {2024}),
    ("千九百九十三年", {1993}),
    ("一九九一年", {1991}),
    ("３億ドル", {300_000_000}),
    ("24億3000万ドル", {2_430_000_000}),
    ("4億1140万ドル", {411_400_000}),
    ("50万人以上", {500_000}),
    ("15,000人", {15_000}),
    ("三億五千万円", {350_000_000}),
    ("二十四年ぶり", {24}),
    ("第五回", {5}),
    ("黒い一月事件", {1}),
    ("39.3%増加", {39.3}),
    ("日露ペルシャ戦争(1826 –28)", {1826, 1828}),
    ("二国間関係の一部を十分に", set()),          # kanji inside words are not numbers
    ("北方四島と一方で", set()),
    ("侵略を一日も早く止めさせる", set()),       # "as soon as possible"
    ("一日でも早い解決と一日の会談", {1}),
    ("G7と Su-24", {24}),
])
def test_japanese_numbers(text: str, values: set[float]) -> None:
    assert japanese_numbers(text) == values


@pytest.mark.parametrize("text, values", [
    ("$300 million", {300_000_000}),
    ("2.43 billion dollars", {2_430_000_000}),
    ("on 12 January 2009", {12, 1, 2009}),
    ("in the 1990s", {1990}),
    ("twenty-four years, the fifth term", {24, 5}),
    ("May 7, but it may rain", {5, 7}),
    ("three million people", {3_000_000}),
    ("the Russo-Persian War (1826–28)", {1826, 1828}),
])
def test_english_numbers(text: str, values: set[float]) -> None:
    assert english_numbers(text) == values


@pytest.mark.parametrize("source, target, message", [
    ("約8億ドルの武器", "arms worth about $800 million", None),
    ("約8億ドルの武器", "arms worth about $8 million", "the source has 800,000,000"),
    ("二〇二四年に", "in 2024", None),
    ("千九百九十三年", "in 1994", "the source has 1993 but the target does not; the target has "
                            "1994"),
    ("19.911億ドル", "$1.99 billion", None),                       # rounded amounts match
    ("2009年1月12日、ロシア大使は", "On January 12, 2009, the Russian ambassador", None),
    ("主要な供給国の1つ", "one of the main suppliers", None),
    ("その一つ", "one of the rest, and one more", None),            # number words never extra
    # Japanese left in the target is read as Japanese: 3億 is 300,000,000 there too
    ("3億ドルを割り当てた", "3億ドルを割り当てた", None),
    ("3億ドルを割り当てた", "allocated 3億ドル in 2024", "the target has 2024 but the source"),
    ("G7首脳会議で", "at the G7首脳会議", None),                     # G7 is still a name
    ("1991年に", "Abulfaz Elchibeyの1年間", "the source has 1991 but the target does not"),
    # digits run together with Cyrillic are a number on both sides (azerbaijan-russia #133)
    ("^ “РусскаяобщинаАзербайджанаотметила15-летиеконференцией–ЦентрАзия” 。",
     "^ “РусскаяобщинаАзербайджанаотметила15-летиеконференцией–ЦентрАзия” 。", None),
    ("^ “РусскаяобщинаАзербайджанаотметила15-летиеконференцией–ЦентрАзия” 。",
     "^ “The Russian community of Azerbaijan marked the anniversary”",
     "the source has 15 but the target does not"),
])
def test_number_mismatch(source: str, target: str, message: str | None) -> None:
    issues = [i for i in check_segments([record(source, target)], Glossary([]))
              if i.check == "number-mismatch"]
    if message is None:
        assert issues == []
    else:
        assert len(issues) == 1 and message in issues[0].message
        assert issues[0].severity == "warning"


# ------------------------------------------------------------------------------ targets


def test_the_target_is_final_else_normalized_else_mt() -> None:
    assert target_of(record("x", "final", mt="mt", normalized="norm")) == "final"
    assert target_of(record("x", mt="mt", normalized="norm")) == "norm"
    assert target_of(record("x", mt="mt")) == "mt"
    assert target_of(record("x", normalized="a pre-translation")) is None
    assert target_of(record("x", "", mt="mt")) == ""


@pytest.mark.parametrize("status, final, severity, message", [
    ("new", None, "info", "no final translation yet"),
    ("draft", None, "warning", "no final translation (draft)"),
    ("reviewed", None, "error", "no final translation, but marked reviewed"),
    ("approved", "", "error", "an empty final translation, but marked approved"),
])
def test_untranslated_severity_follows_the_review_status(status: str, final: str | None,
                                                         severity: str, message: str) -> None:
    issues = check_segments([record("ロシア", final, status=status)], Glossary([]))
    assert [(i.check, i.severity, i.message) for i in issues] == [
        ("untranslated", severity, message)]


def test_a_copied_source_is_flagged() -> None:
    issues = check_segments([record("ロシアとの関係", "ロシアとの関係")], Glossary([]))
    assert found(issues) == [("identical", "warning", "")]
    assert check_segments([record("BRICS", "BRICS")], Glossary([])) == []


# ------------------------------------------------------------------------------ names


def test_clean_segment_has_no_issues(real: Glossary) -> None:
    assert check_segments([record(SOURCE, GOOD)], real) == []


def test_missing_off_canonical_and_forbidden_names(real: Glossary) -> None:
    issues = check_segments([record(SOURCE, "Elchibei came after Khodjaly fell to Armenia.")],
                            real)
    assert found(issues) == [
        ("off-canonical", "error", "Abulfaz Elchibey"),
        ("off-canonical", "error", "Khojaly"),
        ("term-missing", "error", "Ayaz Mutallibov"),
    ]
    assert "'Elchibei' should read 'Elchibey'" in issues[0].message
    assert "Mutallibov is not named" in issues[2].message
    forbidden = check_segments([record("ベラルーシとの関係", "relations with Byelorussia")], real)
    assert [(i.check, i.severity) for i in forbidden] == [("term-missing", "error"),
                                                          ("forbidden", "error")]
    assert "'Byelorussia' is forbidden: write 'Belarus'" in forbidden[1].message


def test_a_currency_is_named_by_its_sign(real: Glossary) -> None:
    issues = check_segments([record("約8億ドルの武器", "arms worth about $800 million")], real)
    assert issues == []
    issues = check_segments([record("約8億ドルの武器", "arms worth about 800 million")], real)
    assert found(issues) == [("term-missing", "error", "United States dollar")]


def test_the_normalized_text_is_what_gets_checked(real: Glossary) -> None:
    raw = "Elchibei came after Khodjaly fell to Armenia; Mutallibov resigned."
    fixed = "Elchibey came after Khojaly fell to Armenia; Mutallibov resigned."
    assert found(check_segments([record(SOURCE, mt=raw, normalized=fixed, status="new")],
                                real)) == [("untranslated", "info", "")]
    assert {i.check for i in check_segments([record(SOURCE, mt=raw, status="new")], real)} == \
        {"off-canonical", "untranslated"}


def test_consistency_across_segments(real: Glossary) -> None:
    records = [
        record("CSTOに参加した。", "It joined the CSTO.", ordinal=1),
        record("CSTOの会合。", "A meeting of the Collective Security Treaty Organization.",
               ordinal=2),
        record("ロシアとの関係", "Relations with Russia", ordinal=3),
        record("ロシアとの関係", "Ties with Russia", ordinal=4),
    ]
    report = check_records(records, real)
    assert found([i for i in report.issues if i.severity == "warning"]) == [
        ("inconsistent-term", "warning", "Collective Security Treaty Organization"),
        ("inconsistent-translation", "warning", ""),
    ]
    term = next(i for i in report.issues if i.check == "inconsistent-term")
    assert "'CSTO' ×1" in term.message and "'Collective Security Treaty Organization' ×1" in \
        term.message
    same = next(i for i in report.issues if i.check == "inconsistent-translation")
    assert "(#3, #4)" in same.message


def test_variant_census(real: Glossary) -> None:
    records = [record("エルチベイの政治", ordinal=1), record("エルチベイの時代", ordinal=2),
               record("アバルファズ・エルチビー電源", ordinal=3, doc="other")]
    report = check_records(records, real)
    row = next(r for r in report.census if r.entry.en == "Abulfaz Elchibey")
    assert row.spellings == (("エルチベイ", 2), ("アバルファズ・エルチビー", 1))
    assert row.docs == ("doc", "other") and row.total == 3
    census = [i for i in report.issues if i.check == "variant-census"]
    assert [(i.severity, i.term) for i in census] == [("info", "Abulfaz Elchibey")]
    assert "spelled 2 ways: エルチベイ ×2, アバルファズ・エルチビー ×1" in census[0].message


def test_a_fresh_demo_project_has_a_census_and_no_errors(demo_project: Path,
                                                         real: Glossary) -> None:
    with Project.open(demo_project) as project:
        sync(project)
        report = check_project(project, real)
    counts = report.counts()
    assert counts["error"] == 0 and counts["warning"] == 0
    untranslated = [i for i in report.issues if i.check == "untranslated"]
    assert len(untranslated) == report.segments > 400
    spelled = {r.entry.en: dict(r.spellings) for r in report.census if len(r.spellings) > 1}
    assert set(spelled["Abulfaz Elchibey"]) == {"エルチベイ", "アバルファズ・エルチビー"}
    assert set(spelled["Nursultan Nazarbayev"]) == {"ナザバエフ", "ナザルバエフ"}
    assert report.at_or_above("error") == [] and report.at_or_above("info")


def test_read_aligned_files(tmp_path: Path) -> None:
    (tmp_path / "d.ja.txt").write_text("ロシア\nイラン\n", encoding="utf-8")
    (tmp_path / "d.en.txt").write_text("Russia\n\n", encoding="utf-8")
    records = read_aligned(tmp_path / "d.en.txt")
    assert [(r.doc, r.ordinal, r.source, r.final) for r in records] == [
        ("d", 1, "ロシア", "Russia"), ("d", 2, "イラン", "")]
    issues = check_segments(records, Glossary([]))
    assert found(issues) == [("untranslated", "error", "")]


def test_names_glued_to_japanese_are_named(real: Glossary) -> None:
    """MT that echoes the source, or leaves Japanese around a name, still names it."""
    echoes = [record(SOURCE, mt=SOURCE, ordinal=1),
              record("共有されたKGBの背景", mt="共有されたKGBの背景", ordinal=2),
              record("EU加盟を支持する", mt="EU加盟を支持する", ordinal=3),
              record("BRICS首脳会合", mt="BRICS首脳会合", ordinal=4),
              record("日本を含むG7は", mt="日本を含むG7は", ordinal=5),
              record("アゼルバイジャンと", mt="Azerbaijanと", ordinal=6)]
    issues = [i for i in check_segments(echoes, real) if i.check != "untranslated"]
    assert [i for i in issues if i.check == "term-missing"] == []
    assert {i.check for i in issues} <= {"identical", "off-canonical", "number-mismatch",
                                         "japanese-left"}


def test_a_forbidden_rendering_glued_to_japanese_is_found(real: Glossary) -> None:
    issues = check_segments([record("ベラルーシとの関係", "Byelorussiaとの関係")], real)
    assert ("forbidden", "error", "Belarus") in found(issues)


def test_inconsistent_terms_see_names_glued_to_japanese(real: Glossary) -> None:
    records = [record("CSTOに参加した。", "It joined CSTOに.", ordinal=1),
               record("CSTOの会合。", "Collective Security Treaty Organizationの会合", ordinal=2)]
    report = check_records(records, real)
    assert [i.term for i in report.issues if i.check == "inconsistent-term"] == [
        "Collective Security Treaty Organization"]


def test_digits_after_japanese_are_numbers(real: Glossary) -> None:
    assert english_numbers("約8億ドル、G7") == {8}
    assert english_numbers("1990年のBlack Januaryの記憶") == {1990, 1}
    assert english_numbers("約5 millionドル、fifthの") == {5_000_000, 5}
    assert english_numbers("Mayday, 5 millions") == {5}
    issues = check_segments([record("戦争は2008年", "戦争は2008年")], real)
    assert found(issues) == [("identical", "warning", "")]


# ------------------------------------------------------------------------------ fast paths

_TRICKY = ("ｱｶﾞﾄﾞﾙﾟﾊﾟ（）１２３４５６７８９０、。ー・ｰ가ᄀ\u1161\u11a8e\u0301\u0323Å\u212bﬁ①²½㍻㈱"
           "ア\u3099か\u309a\u309b゛ゟヿ𝟏𝐀 \u3000\t〜～−–—ǅ\u0344\u0f73ΐ二〇千九百万億年人ヶ国第")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=16) | st.text(max_size=16))
def test_nfkc_is_nfkc(text: str) -> None:
    from workbench.core.chars import nfkc

    assert nfkc(text) == unicodedata.normalize("NFKC", text)


# The alternation the number words were first matched with, longest word first.
_WORDS = "|".join(sorted(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                          "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                          "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
                          "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "first",
                          "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                          "ninth", "tenth", "eleventh", "twelfth"], key=len, reverse=True))
_SCALES = "hundred|thousand|million|mn|billion|bn|trillion"
_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|"
                "December")
_IN_WORD = "0-9A-Za-zªµºÀ-ÖØ-öø-ɏͰ-ԯḀ-ỿ０-９Ａ-Ｚａ-ｚ"      # Latin, Greek, Cyrillic, digits
_START, _END = f"(?<![{_IN_WORD}])", f"(?![{_IN_WORD}])"
_REFERENCE = re.compile(
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)(?:st|nd|rd|th|s)?(?:\s*(?P<scale>{_SCALES}){_END})?"
    rf"|{_START}(?P<word>(?i:{_WORDS})(?:-(?i:{_WORDS}))?)(?:[ -](?P<wscale>(?i:{_SCALES})))?{_END}"
    rf"|{_START}(?P<month>{_MONTH_NAMES}){_END}")
_PIECES = ["one", "One", "ONE", "seven", "seventeen", "Seventeenth", "twenty", "-", "four",
           " ", "  ", "million", "Million", "thousand", "May", "may", "Mayday", "March", "7",
           "1,000", "2.5", "1990", "s", "th", "st", "mn", "G", "年", "ſ", "_", "x", ",", ".",
           "fifth", "Fifth", "February", "Second", "September", "ſix", "twelfth", "eigh", "ty",
           "の", "ü", "×"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_number_words_and_digits_are_found_as_by_one_alternation(pieces: list[str]) -> None:
    from workbench.core.numbers import _EN_DIGITS, _EN_WORDS_OR_MONTHS

    text = "".join(pieces)
    expected = {(m.span(), m.group("num"), m.group("scale"), m.group("word"),
                 m.group("wscale"), m.group("month")) for m in _REFERENCE.finditer(text)}
    digits = {(m.span(), m.group("num"), m.group("scale"), None, None, None)
              for m in _EN_DIGITS.finditer(text)}
    words = {(m.span(), None, None,
              text[m.start():m.end("word")] if m.start("word") >= 0 else None, m.group("wscale"),
              text[m.start():m.end("month")] if m.start("month") >= 0 else None)
             for m in _EN_WORDS_OR_MONTHS.finditer(text)}
    assert digits | words == expected


def test_number_words_start_with_one_of_these_letters_in_any_case() -> None:
    from workbench.core.numbers import _NUMBER_WORD_START

    bmp = "".join(map(chr, range(0x10000)))
    assert set(re.findall("(?i)[efnostz]", bmp)) <= set(_NUMBER_WORD_START)


WORDS = ["the", "Russian", "Elchibey", "Elchibei", "Khojaly", "Khodjaly", "Abulfaz",
         "Mutalibov", "Armenia", "Armenians", "of", "エルチベイ", "Eruchibei", "Elchibay",
         "Azerbaijais", "Azerbaijan", "Azrbaijan", "アゼルバイジャン人", "1993", ",", "."]
SOURCES = [SOURCE, "アゼルバイジャン社会、アゼルバイジャン人の約80%",
           "1993年にヘイダル・アリエフが"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.sampled_from(SOURCES))
def test_a_stored_normalized_text_is_checked_as_if_enforced_again(words: list[str],
                                                                  source: str) -> None:
    glossary = load_glossary(REPO / "glossary")
    mt = " ".join(words)
    normalized = enforce(source, mt, glossary.find(source), glossary=glossary).text
    fresh = SegmentRecord.of(id="s", doc="doc", ordinal=1, source=source, mt=mt,
                             normalized=normalized, normalized_glossary=normalized_stamp(glossary))
    stale = replace(fresh, normalized_glossary="another glossary")
    assert check_segments([fresh], glossary) == check_segments([stale], glossary)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["二〇二四年", "五月", "3億ドル", "19.911億", "約80%", "第1",
                                 "99万9000人", "千九百九十三年", "十一月", "100万", "1826–28年",
                                 "1993年"]), max_size=4),
       st.lists(st.sampled_from(["2024", "May", "five", "$300 million", "1.99 billion", "80",
                                 "one million", "999,000", "1993", "November", "3", "fifth",
                                 "twenty-four", "a million", "7", "1826–28", "G1826–28",
                                 "1990-93"]), max_size=5))
def test_number_mismatch_compares_every_number_with_every_other(source: list[str],
                                                                target: list[str]) -> None:
    """What the shortcuts (set lookups, number words only when they can help) find is what
    comparing each number with each other one finds."""
    from workbench.core.numbers import _english_numbers, _same_number, _show
    from workbench.core.numbers import number_mismatch as _number_mismatch

    src, tgt = "、".join(source), " and ".join(target)
    ja = japanese_numbers(src)
    digits, words = _english_numbers(tgt)
    lost = sorted(v for v in ja if not any(_same_number(v, w) for w in digits | words))
    extra = sorted(v for v in digits if not any(_same_number(v, w) for w in ja))
    parts = ([f"the source has {_show(lost)} but the target does not"] if lost else []) + \
        ([f"the target has {_show(extra)} but the source does not"] if extra else [])
    assert _number_mismatch(src, tgt) == "; ".join(parts)


@pytest.mark.parametrize("module, name", [("checks.form", "_JAPANESE_LETTER"),
                                          ("numbers", "_JA_NUMBER_START")])
def test_the_nfkc_classes_hold_every_character_nfkc_makes_one_of_theirs(module: str,
                                                                       name: str) -> None:
    """Why a text without any of their characters has no Japanese (or numbers) in its NFKC."""
    import importlib

    from workbench.core.chars import nfkc_class

    pattern = getattr(importlib.import_module(f"workbench.core.{module}"), name)
    widened = nfkc_class(pattern)
    missed = [c for c in map(chr, range(0x10000))
              if pattern.search(unicodedata.normalize("NFKC", c)) and not widened.match(c)]
    assert missed == []
