"""The glossary: folding, the matcher, file formats, bad rows, merging, adding, lint, mining."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.chars import KATAKANA_CHARS, KATAKANA_WORD, WORD_CHARS, ends_word, starts_word
from workbench.core.errors import GlossaryError
from workbench.core.glossary.fold import Folded, fold, fold_key
from workbench.core.glossary.folder import add_entry, load_glossary
from workbench.core.glossary.formats import read_entries, write_glossary
from workbench.core.glossary.lint import lint_glossary
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.glossary.romaji import romanize
from workbench.core.glossary.suggest import suggest_names
from workbench.core.segment import segment_file

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "sources").glob("*.txt"))
HEADER = "en\tja\ttype\n"


@pytest.fixture(scope="module")
def real() -> Glossary:
    return load_glossary(REPO / "glossary")


@pytest.fixture(scope="module")
def segments() -> list[tuple[str, str]]:
    return [(s.doc, s.source) for path in SOURCES for s in segment_file(path).segments]


def glossary_of(*rows: tuple[str, str, str]) -> Glossary:
    return Glossary(Entry(en, tuple(ja.split("|")), kind) for en, ja, kind in rows)


def spans(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(h.surface, h.entry.en) for h in glossary.find(text)]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ folding


@pytest.mark.parametrize("text, variant", [
    ("ドミトリーメドヴェージェフ", "ドミトリー・メドヴェージェフ"),
    ("ウラジーミルプチン", "ウラジーミル・プーチン"),
    ("メドヴェージェフ", "メドベージェフ"),
    ("ドミトリー メドヴェージェフ", "ドミトリー・メドヴェージェフ"),     # space inside a name
    ("ﾄﾞﾐﾄﾘｰ･ﾒﾄﾞｳﾞｪｰｼﾞｪﾌ", "ドミトリー・メドヴェージェフ"),             # half-width
    ("ジャン＝ポール", "ジャン・ポール"),
    ("ヴァヴィヴヴェヴォ", "バビブベボ"),
    ("ヷヸヹヺ", "バビベボ"),
    ("ＥＵ", "eu"),
])
def test_variants_fold_alike(text: str, variant: str) -> None:
    assert fold_key(text) == fold_key(variant)


@pytest.mark.parametrize("a, b", [
    ("ロシア・中国", "ロシア中国"),      # ・ between katakana and kanji is not inside a name
    ("バク", "ハク"),
    ("EU", "EAEU"),
])
def test_different_things_do_not_fold_alike(a: str, b: str) -> None:
    assert fold_key(a) != fold_key(b)


def test_issue_examples_are_found_by_entries_that_list_another_spelling() -> None:
    glossary = glossary_of(
        ("Dmitry Medvedev", "ドミトリー・メドヴェージェフ|メドベージェフ", "person"),
        ("Vladimir Putin", "ウラジーミル・プーチン", "person"))
    text = "ドミトリーメドヴェージェフ、ウラジーミルプチンとメドヴェージェフ"
    assert spans(glossary, text) == [("ドミトリーメドヴェージェフ", "Dmitry Medvedev"),
                                     ("ウラジーミルプチン", "Vladimir Putin"),
                                     ("メドヴェージェフ", "Dmitry Medvedev")]


def test_offsets_point_into_the_original() -> None:
    text = "前・ドミトリー・メドヴェージェフ氏"
    folded, offsets = fold(text)
    assert folded == "前・ドミトリメドベジェフ氏"
    assert len(offsets) == len(folded) + 1 and offsets[-1] == len(text)
    start = folded.index("ドミトリ")
    assert offsets[start] == text.index("ドミトリー")
    assert text[offsets[folded.index("ベ")]] == "ヴ"      # ヴェ folded to one character


def test_a_hit_spans_trailing_long_vowels_but_not_separators() -> None:
    glossary = glossary_of(("Baku", "バクー", "place"), ("Russia", "ロシア", "place"),
                           ("Azerbaijan", "アゼルバイジャン", "place"))
    assert spans(glossary, "バクーで") == [("バクー", "Baku")]
    assert spans(glossary, "ロシア・アゼルバイジャン文書") == [("ロシア", "Russia"),
                                                     ("アゼルバイジャン", "Azerbaijan")]


KATAKANA = st.sampled_from(list("アイウカキクサシスタチツナニバビブヴァィェォューｰ・･=＝ 　ﾞﾟｶﾟ"))
OTHER = st.sampled_from(list("漢字のはEUeu　 \t\nＡａ１1…㈱①⑩ﬁ𝐀辻\U000e0100é\u0301ガ"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(KATAKANA, OTHER), max_size=30).map("".join))
def test_folding_offsets_map_back_in_order(text: str) -> None:
    folded = Folded(text)
    offsets = fold(text)[1]
    assert offsets == sorted(offsets)
    assert all(0 <= o <= len(text) for o in offsets)
    for i in range(len(folded.text)):
        start, end = folded.span(i, i + 1)
        assert 0 <= start < end <= len(text)
        assert fold_key(text[start:end]) == folded.text[i] or len(fold_key(text[start:end])) > 1
    start, end = folded.span(0, len(folded.text))
    assert fold_key(text[start:end]).strip() == folded.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(KATAKANA, OTHER), max_size=12).map("".join), max_size=6))
def test_find_all_equals_find_one_by_one(texts: list[str]) -> None:
    glossary = glossary_of(("A", "カキ", "x"), ("B", "カキクサ", "x"), ("C", "EU", "x"),
                           ("D", "ヴァ", "x"), ("E", "シス", "x"))
    assert glossary.find_all(texts) == [glossary.find(t) for t in texts]


def test_romanize() -> None:
    assert romanize("エルチベイ") == "eruchibei"
    assert romanize("プーチン") == "puchin"
    assert romanize("ドミトリー・メドヴェージェフ") == "domitori medovejefu"
    assert romanize("カッパ") == "kappa"


# ------------------------------------------------------------------------------ matching


def test_longest_match_wins_and_matches_inside_it_do_not_count() -> None:
    glossary = glossary_of(("European Union", "EU", "organisation"),
                           ("Eurasian Economic Union", "EAEU", "organisation"),
                           ("Russia", "ロシア", "place"), ("Russian Empire", "ロシア帝国", "place"),
                           ("Baku", "バクー", "place"), ("Bak", "バク", "x"))
    assert spans(glossary, "EUとEAEU") == [("EU", "European Union"),
                                          ("EAEU", "Eurasian Economic Union")]
    assert spans(glossary, "ロシア帝国とロシア") == [("ロシア帝国", "Russian Empire"),
                                               ("ロシア", "Russia")]


def test_of_crossing_matches_the_longer_wins() -> None:
    glossary = glossary_of(("AB", "東西", "x"), ("BCD", "西南北", "x"))
    assert spans(glossary, "東西南北") == [("西南北", "BCD")]
    assert spans(glossary, "東西南") == [("東西", "AB")]


def test_katakana_names_do_not_match_inside_a_katakana_word() -> None:
    glossary = glossary_of(("India", "インド", "place"), ("Iran", "イラン", "place"))
    assert spans(glossary, "インドネシアとインド") == [("インド", "India")]
    assert spans(glossary, "イランイラン") == []
    assert spans(glossary, "インド・イラン") == [("インド", "India"), ("イラン", "Iran")]


def test_latin_and_cyrillic_match_case_insensitively_on_word_boundaries() -> None:
    glossary = glossary_of(("European Union", "EU", "organisation"),
                           ("Khojaly", "Khojaly", "place"),
                           ("Russia", "России", "place"))
    assert spans(glossary, "eu加盟国") == [("eu", "European Union")]
    assert spans(glossary, "EUROPE, EAEU, EUs") == []
    assert spans(glossary, "占領後KHOJALY、") == [("KHOJALY", "Khojaly")]
    assert spans(glossary, "МИД России") == [("России", "Russia")]
    assert spans(glossary, "Россиия") == []
    # camelCase joins of run-together extraction count as word starts
    assert spans(glossary, "МИДРоссии") == [("России", "Russia")]


def test_a_nul_inside_a_text_does_not_shift_the_batch() -> None:
    glossary = glossary_of(("Russia", "ロシア", "place"), ("Iran", "イラン", "place"))
    texts = ["ロシア\0イラン", "イラン", "\0"]
    assert [[(h.start, h.surface) for h in hits] for hits in glossary.find_all(texts)] == [
        [(0, "ロシア"), (4, "イラン")], [(0, "イラン")], []]


def test_a_lone_surrogate_or_a_character_beyond_the_bmp_shifts_nothing() -> None:
    # text that went through surrogateescape, and characters outside the BMP, keep every
    # hit at its own offset (the automaton reads UTF-8; the offsets are characters)
    glossary = glossary_of(("Russia", "ロシア", "place"), ("Iran", "イラン", "place"))
    texts = ["ロシア\udcffイラン", "😀イラン𠮷ロシア", "\ud800"]
    assert [[(h.start, h.surface) for h in hits] for hits in glossary.find_all(texts)] == [
        [(0, "ロシア"), (4, "イラン")], [(1, "イラン"), (5, "ロシア")], []]


def test_names_inside_a_web_address_are_not_mentions() -> None:
    glossary = glossary_of(("Azerbaijan", "Azerbaijan|アゼルバイジャン", "place"))
    text = "出典: https://example.vn/viet-nam-azerbaijan-1.html アゼルバイジャン"
    assert spans(glossary, text) == [("アゼルバイジャン", "Azerbaijan")]


def test_every_entry_occurring_in_the_sources_is_found_at_its_exact_spans(
        real: Glossary, segments: list[tuple[str, str]]) -> None:
    """Against a naive reference: every variant searched on its own in the folded text,
    with the same boundary rules and overlap rule applied afterwards."""
    keys = [(fold_key(v), v, e) for e in real.entries for v in e.ja]
    for _, text in segments:
        folded = Folded(text)
        found = []
        for key, _variant, entry in keys:
            at = folded.text.find(key)
            while at != -1:
                start, end = folded.span(at, at + len(key))
                found.append((start, end, entry.en))
                at = folded.text.find(key, at + 1)
        expected = _reference_select(text, found)
        got = [(h.start, h.end, h.entry.en) for h in real.find(text)]
        assert got == expected, text
        for hit in real.find(text):
            assert hit.surface == text[hit.start:hit.end]
            assert fold_key(hit.surface) == fold_key(hit.variant)


def _reference_select(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    def bounded(start: int, end: int) -> bool:
        word = re.compile(r"[0-9A-Za-zÀ-ɏͰ-ԯ０-９Ａ-Ｚａ-ｚ]")
        kata = re.compile(r"[ァ-ヺーｦ-ﾟ]")
        first, last = text[start], text[end - 1]
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if word.match(first) and before and word.match(before) and not (
                before.islower() and first.isupper()):
            return False
        if word.match(last) and after and word.match(after) and not (
                last.islower() and after.isupper()):
            return False
        if kata.match(first) and before and kata.match(before):
            return False
        return not (kata.match(last) and after and kata.match(after) and last != "ー")

    urls = [m.span() for m in re.finditer(r"https?://\S+", text)]
    valid = [f for f in found if bounded(f[0], f[1])
             and not any(a <= f[0] and f[1] <= b for a, b in urls)]
    kept: list[tuple[int, int, str]] = []
    for cand in sorted(set(valid), key=lambda f: (f[0] - f[1], f[0])):
        if all(cand[1] <= k[0] or cand[0] >= k[1] for k in kept):
            kept.append(cand)
    return sorted(kept)


# Names that nest (ロシア in ロシア帝国), cross (東西 / 西南北), share a prefix (EU / EAEU) or
# need a word boundary, beside the real glossary.
TRICKY = [Entry("AB", ("東西",), "x"), Entry("BC", ("西南",), "x"), Entry("BCD", ("西南北",), "x"),
          Entry("Russian Empire", ("ロシア帝国",), "place"), Entry("Kaki", ("カキ",), "x"),
          Entry("Kakikusa", ("カキクサ",), "x"), Entry("Va", ("ヴァ",), "x"),
          Entry("EAEU", ("EAEU",), "organisation"), Entry("Iran", ("イラン",), "place"),
          Entry("Bak", ("バク",), "x"), Entry("Dmitry", ("ドミトリー",), "person")]
FILLERS = ["、", "と", "の", "は", "。", "・", "ー", " ", "　", "\n", "ｰ", "=", "ネシア", "カ", "ｶﾞ",
           "東西南北", "東西南", "ロシア帝", "カキクサ",
           "e", "Ｅ", "u", "МИД", "ов", "x", "1", "https://example.az/", "www.", "\0",
           "辻\U000e0100", "（", "）", "İ", "ヷ", "ヴュ", "ﬁ", "のﬁ", "。"]
HALF_WIDTH = str.maketrans({
    "ア": "ｱ", "イ": "ｲ", "ウ": "ｳ", "エ": "ｴ", "オ": "ｵ", "カ": "ｶ", "キ": "ｷ", "ク": "ｸ",
    "サ": "ｻ", "シ": "ｼ", "ス": "ｽ", "タ": "ﾀ", "ト": "ﾄ", "ド": "ﾄﾞ", "ナ": "ﾅ", "バ": "ﾊﾞ",
    "ビ": "ﾋﾞ", "ブ": "ﾌﾞ", "プ": "ﾌﾟ", "ミ": "ﾐ", "メ": "ﾒ", "ラ": "ﾗ", "リ": "ﾘ", "ル": "ﾙ",
    "ロ": "ﾛ", "ン": "ﾝ", "ー": "ｰ", "・": "･"})


@st.composite
def spelled(draw: st.DrawFn, variants: list[str]) -> str:
    """A glossary variant as a source might write it: ・ dropped or spaced, ー added or
    dropped, ヴァ as バ, half-width, upper-case."""
    text = draw(st.sampled_from(variants))
    for change in draw(st.lists(st.integers(0, 5), max_size=3)):
        if change == 0:
            text = text.replace("・", draw(st.sampled_from(["", " ", "＝"])))
        elif change == 1 and text:
            at = draw(st.integers(1, len(text)))
            text = text[:at] + "ー" + text[at:]
        elif change == 2:
            text = text.replace("ー", "", 1)
        elif change == 3:
            text = text.replace("ヴァ", "バ").replace("バ", "ヴァ", 1)
        elif change == 4:
            text = text.translate(HALF_WIDTH)
        else:
            text = text.upper()
    return text


def _reference_find(glossary: Glossary, text: str) -> list[tuple[int, int, str, str, str]]:
    """The matching rules applied one text and one key at a time: every occurrence of every
    folded key (the first variant folding to it), boundaries checked one by one, the longest of
    overlapping ones kept."""
    keys: dict[str, tuple[str, Entry]] = {}
    for entry in glossary.entries:
        for variant in entry.ja:
            keys.setdefault(fold_key(variant), (variant, entry))
    folded = Folded(text)
    found = []
    for key, (variant, entry) in keys.items():
        at = folded.text.find(key)
        while at != -1:
            stop = at + len(key)
            start, end = folded.span(at, stop)
            if _bounded(folded.text, at, stop, key, text, start, end) and not any(
                    a <= start and end <= b for a, b in _url_spans(text)):
                found.append((start, end, text[start:end], variant, entry.en))
            at = folded.text.find(key, at + 1)
    kept: list[tuple[int, int, str, str, str]] = []
    for cand in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(cand[1] <= k[0] or cand[0] >= k[1] for k in kept):
            kept.append(cand)
    return sorted(kept)


def _bounded(ftext: str, at: int, stop: int, key: str, text: str, start: int, end: int) -> bool:
    """Word boundaries for Latin/Cyrillic keys, no katakana word continued for katakana keys;
    looked at in the folded text first, then in the original."""
    if at and key[0] in WORD_CHARS and ftext[at - 1] in WORD_CHARS and \
            not starts_word(text, start):
        return False
    if at and key[0] in KATAKANA_CHARS and ftext[at - 1] in KATAKANA_WORD and start and \
            text[start - 1] in KATAKANA_WORD:
        return False
    if stop < len(ftext) and key[-1] in WORD_CHARS and ftext[stop] in WORD_CHARS and \
            not ends_word(text, end):
        return False
    return not (stop < len(ftext) and key[-1] in KATAKANA_CHARS and
                ftext[stop] in KATAKANA_WORD and end < len(text) and
                text[end] in KATAKANA_WORD)


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"(?:https?://|www\.)[^\s「」『』（）()<>、。，\"”]+",
                                          text)]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_batch_matcher_agrees_with_a_one_by_one_reference(
        real: Glossary, segments: list[tuple[str, str]], data: st.DataObject) -> None:
    """Random mixes of source sentences, glossary variants respelled and awkward characters,
    matched in batches small enough that a call scans several of them."""
    glossary = Glossary([*real.entries, *TRICKY])
    glossary._compiled().BATCH = 3
    variants = [v for e in glossary.entries for v in e.ja]
    sentence = st.sampled_from([t for _, t in segments]).flatmap(
        lambda t: st.tuples(st.integers(0, len(t)), st.integers(0, 40)).map(
            lambda cut: t[cut[0]:cut[0] + cut[1]]))
    piece = st.one_of(spelled(variants), st.sampled_from(FILLERS), sentence)
    texts = data.draw(st.lists(st.lists(piece, max_size=8).map("".join), max_size=8))
    got = [[(h.start, h.end, h.surface, h.variant, h.entry.en) for h in hits]
           for hits in glossary.find_all(texts)]
    assert got == [_reference_find(glossary, t) for t in texts]
    assert [[(h.start, h.end) for h in hits] for hits in glossary.find_all(texts)] == \
        [[(h.start, h.end) for h in glossary.find(t)] for t in texts]


def test_the_azerbaijan_source_spellings(real: Glossary, segments: list[tuple[str, str]]) -> None:
    found: dict[str, set[str]] = {}
    for doc, text in segments:
        if doc == "azerbaijan-russia-relations":
            for hit in real.find(text):
                found.setdefault(hit.entry.en, set()).add(hit.surface)
    assert found["Abulfaz Elchibey"] == {"エルチベイ", "アバルファズ・エルチビー"}
    assert found["Dmitry Medvedev"] == {"メドベージェフ", "ドミトリー・メドヴェージェフ",
                                        "ドミトリーメドヴェージェフ"}
    assert found["Vladimir Putin"] == {"プーチン", "ウラジーミル・プーチン", "ウラジーミルプチン",
                                       "ВладимираПутина"}
    assert found["Heydar Aliyev"] == {"ヘイダル・アリエフ", "ヘイダルアリエフ"}
    assert found["Baku"] == {"バクー", "バク"}
    assert found["Khojaly"] == {"Khojaly"}


def test_every_entry_of_the_glossary_is_found_somewhere(real: Glossary,
                                                        segments: list[tuple[str, str]]) -> None:
    """All but the entries whose only spelling sits inside a longer name, in a web address,
    in a removed footnote marker or in a chart that cleanup drops: the list is explicit so
    that a matcher regression shows up as a new name here."""
    found = {h.entry.en for hits in real.find_all([t for _, t in segments]) for h in hits}
    missing = {e.en for e in real.entries} - found
    assert missing == {"16th BRICS summit (Kazan, 2024)", "Crimea", "Diplomatic Bluebook 2025",
                       "Moldova", "Pakistan", "Republic of Kazakhstan", "Huế Ngày Nay (newspaper)"}


# ------------------------------------------------------------------------------ files


ENTRIES = [
    Entry("Abulfaz Elchibey", ("エルチベイ", "アバルファズ・エルチビー"), "person",
          en_variants=("Elchibei", "Elchibay"), forbidden=("Elcibey",), note="a, \"quoted\" note"),
    Entry("G7", ("G7",), "organisation"),
    Entry("1984", ("一九八四",), "work", note="a number as a name"),
    Entry("Vladimir Putin", ("プーチン", "ВладимираПутина"), ""),
]


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx", ".tbx"])
def test_each_format_round_trips(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"names{suffix}"
    write_glossary(ENTRIES, path)
    back = read_entries(path)
    strip = [(e.en, e.ja, e.type, e.en_variants, e.forbidden, e.note) for e in ENTRIES]
    assert [(e.en, e.ja, e.type, e.en_variants, e.forbidden, e.note) for e in back] == strip
    assert all(e.file == str(path) and e.line > 0 for e in back)
    assert load_glossary(tmp_path).fingerprint == Glossary(ENTRIES).fingerprint


def test_tbx3_concept_entries_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "terms.tbx", """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Core" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
  <conceptEntry id="c1">
    <descrip type="subjectField">person</descrip>
    <langSec xml:lang="en">
      <termSec><term>Abulfaz Elchibey</term></termSec>
      <termSec><term>Elchibei</term>
        <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
      <termSec><term>Elcibey</term>
        <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
    </langSec>
    <langSec xml:lang="ja"><termSec><term>エルチベイ</term></termSec></langSec>
  </conceptEntry>
</body></text></tbx>
""")
    [entry] = read_entries(path)
    assert (entry.en, entry.ja, entry.type, entry.en_variants, entry.forbidden, entry.line) == (
        "Abulfaz Elchibey", ("エルチベイ",), "person", ("Elchibei",), ("Elcibey",), 3)


def test_the_shipped_glossary_loads_and_lints_without_errors(real: Glossary) -> None:
    assert len(real) > 200
    problems = lint_glossary(REPO / "glossary")
    assert [p for p in problems if p.severity == "error"] == []
    # what it warns of is the English of a generic term naming one dated event
    assert problems and all("names one dated event" in p.message for p in problems)
    elchibey = real.get("Abulfaz Elchibey")
    assert elchibey is not None and "Elchibei" in elchibey.en_variants


def test_missing_or_empty_folder_is_an_empty_glossary(tmp_path: Path) -> None:
    assert len(load_glossary(tmp_path / "nowhere")) == 0
    write(tmp_path / "g", "README.md", "# not a glossary\n")
    empty = load_glossary(tmp_path / "g")
    assert len(empty) == 0 and empty.find("ロシア") == []


@pytest.mark.parametrize("body, line, message", [
    ("\tロシア\tplace\n", 2, "missing `en`"),
    ("Russia\tロシア||Россия\tplace\n", 2, "empty variant"),
    ("Russia\tロシア|\tplace\n", 2, "empty variant"),
    ("Russia\t\tplace\n", 2, "empty variant"),
    ("Russia\tロシア\tplace\textra\n", 2, "row has 4 columns, the header has 3"),
    ("Russia\tロシア\n", 2, "row has 2 columns, the header has 3"),
    ("Russia|Rossiya\tロシア\tplace\n", 2, "`en` holds"),
    ("Russia\tロシア|・\tplace\n", 2, "has nothing to match"),
    ("Russia\tロシア\tplace\n\n# comment\nIran\tイラン\tplace\tx\n", 5, "row has 4 columns"),
])
def test_bad_rows_are_errors_with_file_and_line(tmp_path: Path, body: str, line: int,
                                               message: str) -> None:
    path = write(tmp_path, "names.tsv", HEADER + body)
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    assert info.value.path == path and info.value.line == line
    assert message in str(info.value)


@pytest.mark.parametrize("header, message", [
    ("en\tja\tkind\n", "unknown column 'kind'"),
    ("en\ttype\n", "no 'ja' column"),
    ("en\tja\tja\n", "column 'ja' appears twice"),
])
def test_bad_headers(tmp_path: Path, header: str, message: str) -> None:
    write(tmp_path, "names.tsv", header + "Russia\tロシア\tplace\n")
    with pytest.raises(GlossaryError, match=message) as info:
        load_glossary(tmp_path)
    assert info.value.line == 1


def test_bad_csv_and_xlsx_rows(tmp_path: Path) -> None:
    write(tmp_path / "a", "names.csv", 'en,ja,type\n"Russia, the",ロシア,place\n,イラン,place\n')
    with pytest.raises(GlossaryError, match="missing `en`") as info:
        load_glossary(tmp_path / "a")
    assert info.value.line == 3
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["en", "ja", "type"])
    sheet.append(["Russia", "ロシア", "place"])
    sheet.append(["Iran", "イラン", "place", None, "stray"])
    (tmp_path / "b").mkdir()
    book.save(tmp_path / "b" / "names.xlsx")
    with pytest.raises(GlossaryError, match="row has 5 columns") as info:
        load_glossary(tmp_path / "b")
    assert info.value.line == 3


def test_bad_tbx_and_encoding(tmp_path: Path) -> None:
    write(tmp_path / "a", "terms.tbx", "<martif><text><body><termEntry>")
    with pytest.raises(GlossaryError, match="not a readable TBX"):
        load_glossary(tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "names.tsv").write_bytes(HEADER.encode() + b"Russia\t\x81 \tplace\n")
    with pytest.raises(GlossaryError, match="is not UTF-8, UTF-16, Shift_JIS") as info:
        load_glossary(tmp_path / "b")
    assert info.value.line == 2 and info.value.path == tmp_path / "b" / "names.tsv"
    (tmp_path / "b" / "names.tsv").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    with pytest.raises(GlossaryError, match="is a PNG image"):
        load_glossary(tmp_path / "b")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp932", "euc-jp"])
def test_a_glossary_is_decoded_as_sources_are(tmp_path: Path, encoding: str) -> None:
    # Excel saves "Unicode text" as UTF-16 with CRLF; older tools save Shift_JIS or EUC-JP.
    text = HEADER + "Abulfaz Elchibey\tエルチベイ|アバルファズ・エルチビー\tperson\n"
    write(tmp_path, "names.tsv", "")
    (tmp_path / "names.tsv").write_bytes(text.replace("\n", "\r\n").encode(encoding))
    entry = load_glossary(tmp_path).get("Abulfaz Elchibey")
    assert entry is not None and entry.ja == ("エルチベイ", "アバルファズ・エルチビー")
    assert entry.line == 2


def test_the_same_files_load_as_the_same_glossary_until_one_changes(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    path = write(folder, "names.tsv", HEADER + "Russia\tロシア\tplace\n")
    first = load_glossary(folder)
    first.find("ロシア")                                   # builds the matcher
    assert load_glossary(folder) is first
    path.write_text(HEADER + "Russia\tロシヤ\tplace\n", encoding="utf-8")   # same size
    second = load_glossary(folder)
    assert second is not first and second.find("ロシヤ") and not second.find("ロシア")
    other = write(tmp_path / "other", "names.tsv", path.read_text(encoding="utf-8")).parent
    assert load_glossary(other) is not second           # another folder, its own glossary


def test_files_are_merged_and_a_variant_of_two_names_names_both_rows(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    write(folder, "a.tsv", HEADER + "Russia\tロシア\tplace\nIran\tイラン\tplace\n")
    write(folder, "b.csv", "en,ja,type,note\nRussia,ロシヤ,place,old spelling\n")
    merged = load_glossary(folder)
    russia = merged.get("Russia")
    assert russia is not None and russia.ja == ("ロシア", "ロシヤ")
    assert russia.note == "old spelling"
    write(folder, "c.tsv", HEADER + "Persia\tイ・ラン\tplace\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary(folder)
    assert info.value.path == folder / "c.tsv" and info.value.line == 2
    assert "also a variant of 'Iran'" in str(info.value) and f"{folder / 'a.tsv'}:3" in str(
        info.value)


def test_fingerprint_is_stable_and_follows_content(tmp_path: Path) -> None:
    one = Glossary(ENTRIES)
    assert Glossary(reversed(ENTRIES)).fingerprint == one.fingerprint
    changed = [ENTRIES[0], ENTRIES[1], ENTRIES[2],
               Entry("Vladimir Putin", ("プーチン",), "person")]
    assert Glossary(changed).fingerprint != one.fingerprint


def test_add_entry_appends_then_merges(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    write(folder, "names.tsv", "# places first\n" + HEADER + "Russia\tロシア\tplace\n")
    entry = add_entry(folder, "Abulfaz Elchibey", ["エルチベイ"], type="person")
    assert entry.ja == ("エルチベイ",)
    entry = add_entry(folder, "Abulfaz Elchibey", ["アバルファズ・エルチビー"],
                      note="two spellings")
    assert entry.ja == ("エルチベイ", "アバルファズ・エルチビー") and entry.type == "person"
    lines = (folder / "names.tsv").read_text(encoding="utf-8").splitlines()
    assert lines == ["# places first", "en\tja\ttype\tnote", "Russia\tロシア\tplace\t",
                     "Abulfaz Elchibey\tエルチベイ|アバルファズ・エルチビー\tperson\ttwo spellings"]
    assert load_glossary(folder).find("エルチビー") == []   # a part is not the name
    assert add_entry(tmp_path / "fresh", "Iran", ["イラン"]).line == 2


def test_add_entry_refuses_a_conflict_and_leaves_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    path = write(folder, "names.tsv", HEADER + "Russia\tロシア\tplace\n")
    before = path.read_bytes()
    with pytest.raises(GlossaryError, match="also a variant of 'Russia'"):
        add_entry(folder, "Rossiya", ["ロシア"])
    with pytest.raises(GlossaryError, match="empty variant"):
        add_entry(folder, "Iran", ["イラン", ""])
    assert path.read_bytes() == before
    assert add_entry(tmp_path / "new", "Iran", ["イラン"]).ja == ("イラン",)
    assert (tmp_path / "new" / "names.tsv").read_text(encoding="utf-8") == \
        "en\tja\ttype\nIran\tイラン\t\n"


def test_lint_reports_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    write(folder, "a.tsv", HEADER + "Russia\tロシア|ロシヤ\tplace\n"
          "Putin\tプーチン|プチン\t\n"
          "\tイラン\tplace\n"
          "Russia\tロスィア\tplace\n"
          "深澤陽一\t深澤陽一\tperson\n")           # a suggestion appended as it came
    write(folder, "b.tsv", "en\tja\ttype\ten_variants\n"
          "Rossiya\tロシア\tplace\t\nIran\tイラン\tplace\tRussia\n")
    problems = [(Path(p.path).name, p.line, p.severity, p.message) for p in lint_glossary(folder)]
    assert ("a.tsv", 3, "warning", "empty `type` for 'Putin'") in problems
    assert any(n == "a.tsv" and line == 3 and "fold to the same key" in m
               for n, line, _, m in problems)
    assert ("a.tsv", 4, "error", "missing `en` (the canonical English)") in problems
    assert ("a.tsv", 6, "warning",
            "`en` '深澤陽一' holds Japanese: the English name is still to write") in problems
    assert any(n == "a.tsv" and line == 5 and s == "warning" and "duplicate `en`" in m
               for n, line, s, m in problems)
    assert any(n == "b.tsv" and line == 2 and s == "error" and "also a variant of 'Russia'" in m
               for n, line, s, m in problems)
    assert any(n == "b.tsv" and line == 3 and s == "error" and "canonical name of 'Russia'" in m
               for n, line, s, m in problems)


# ------------------------------------------------------------------------------ mining


def test_suggest_lists_names_the_glossary_lacks(real: Glossary,
                                                segments: list[tuple[str, str]]) -> None:
    found = {s.key: s for s in suggest_names(segments, real)}
    for name in ("インドネシア", "シリア", "ボリビア"):
        assert fold_key(name) in found
    assert fold_key("パートナーシップ") not in found          # a loanword, not a name
    assert fold_key("エルチベイ") not in found               # covered by the glossary
    indonesia = found[fold_key("インドネシア")]
    assert indonesia.count == 2 and "インドネシア" in indonesia.context
    entry = indonesia.as_entry()       # no dictionary: a transliteration, marked as a guess
    assert entry.en == "Indoneshia" and entry.ja == ("インドネシア",) and indonesia.guess
    assert "en from a transliteration" in entry.note
    sco = found[fold_key("SCO")].as_entry()
    assert sco.en == "SCO" and "guess" not in sco.note       # a Latin name is its own English


def test_suggest_finds_kanji_names_before_a_title() -> None:
    glossary = glossary_of(("Shigeru Ishiba", "石破", "person"))
    texts = [("d", "石破総理大臣は習近平国家主席と、林芳正官房長官は辻󠄀外務副大臣と会談した。"),
             ("d", "韓国大統領と同国外相、露外相、両国首相と親大統領派が出席。"),
             ("d", "深澤陽一外務大臣政務官も。")]
    found = {s.spellings[0][0]: s for s in suggest_names(texts, glossary)}
    assert set(found) == {"習近平", "林芳正", "辻󠄀", "深澤陽一"}   # not 石破 (covered) nor the rest
    assert {s.guess_type for s in found.values()} == {"person"}
    entry = found["深澤陽一"].as_entry()
    assert entry.en == "深澤陽一" and "en to write" in entry.note   # no reading to guess from
    assert found["辻󠄀"].part_of == ""
    both = suggest_names(texts + [("d", "辻󠄀清人外務副大臣が訪問した。")], glossary)
    surname = next(s for s in both if s.spellings[0][0] == "辻󠄀")
    assert surname.part_of == "辻󠄀清人" and "part of 辻󠄀清人?" in surname.as_entry().note


def test_suggest_flags_a_spelling_close_to_an_existing_variant() -> None:
    glossary = glossary_of(("Abulfaz Elchibey", "エルチベイ", "person"),
                           ("Russia", "ロシア", "place"))
    texts = [("d", "アバルファズ・エルチビー電源に来ます。エルチベイの政治"),
             ("d", "ジョージアとの戦争")]
    found = suggest_names(texts, glossary)
    assert [s.spellings for s in found] == [(("アバルファズ・エルチビー", 1),),
                                            (("ジョージア", 1),)]
    assert found[0].variant_of is not None and found[0].variant_of.en == "Abulfaz Elchibey"
    assert found[0].as_entry().en == "Abulfaz Elchibey"
    assert "variant of Abulfaz Elchibey?" in found[0].as_entry().note
    assert "guess" not in found[0].as_entry().note
    assert found[1].variant_of is None
