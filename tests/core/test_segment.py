"""Sentence splitting, segment ids and line spans, with property tests over realistic text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.cleanup import clean
from workbench.core.segment import (
    document_name,
    segment_file,
    segment_id,
    segment_text,
    split_sentences,
)

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "sources"


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


# --- splitting rules ----------------------------------------------------------------------


def test_splits_after_japanese_stops_and_keeps_closers() -> None:
    assert split("雨が降った。風も吹いた！本当か？はい。") == [
        "雨が降った。", "風も吹いた！", "本当か？", "はい。"]
    assert split("彼は「行く。」と言った。次の文。") == ["彼は「行く。」と言った。", "次の文。"]
    assert split("を除く（ジョージアを除く。）。次。") == ["を除く（ジョージアを除く。）。", "次。"]
    assert split("「作戦」（以下「作戦」という。）に焦点を当てた。") == [
        "「作戦」（以下「作戦」という。）に焦点を当てた。"]


def test_closing_quote_after_the_stop_stays_with_its_sentence() -> None:
    assert split("「もう止めよう。」") == ["「もう止めよう。」"]
    assert split("終わった。」次だ。") == ["終わった。」", "次だ。"]  # stray closer
    assert split("本当に？！　次。") == ["本当に？！", "次。"]


def test_nested_brackets() -> None:
    assert split("A（B「C。D」E『F。』G）H。I。") == ["A（B「C。D」E『F。』G）H。", "I。"]


def test_unbalanced_bracket_does_not_swallow_the_rest() -> None:
    assert split("（閉じない括弧。次の文。また次。") == ["（閉じない括弧。", "次の文。", "また次。"]
    assert split("「閉じない。』違う種類。次。") == ["「閉じない。』", "違う種類。", "次。"]
    text = "「" + "長い文。" * 200 + "」"
    assert len(split(text)) == 200  # a pair longer than MAX_BRACKET_SPAN is no parenthetical


def test_full_stop_space_is_split_without_keeping_the_space() -> None:
    assert split("決定されます。 中国とロシアに隣接し、 国です。\u3000次。") == [
        "決定されます。", "中国とロシアに隣接し、 国です。", "次。"]


def test_no_split_at_initials_decimals_or_inside_urls() -> None:
    assert split("ナザルバエフN. A.大統領は強調した。次。") == [
        "ナザルバエフN. A.大統領は強調した。", "次。"]
    assert split("ナザバエフN.A.大統領のイニシアチブです。") == [
        "ナザバエフN.A.大統領のイニシアチブです。"]
    assert split("GDP比約6.3％を充てている。1.1 先史時代 1.2 独立後") == [
        "GDP比約6.3％を充てている。", "1.1 先史時代 1.2 独立後"]
    assert split("参照：https://www.mofa.go.jp/a/b.html?q=1!x。次。") == [
        "参照：https://www.mofa.go.jp/a/b.html?q=1!x。", "次。"]
    assert split("^ L. Batalden、サンドラ(1997)。ユーラシア。") == [
        "^ L. Batalden、サンドラ(1997)。", "ユーラシア。"]


def test_latin_sentences() -> None:
    assert split("He left. She stayed! Did he? Yes.") == ["He left.", "She stayed!", "Did he?",
                                                          "Yes."]
    assert split("Mr. Smith met Dr. Jones, e.g. at home.") == [
        "Mr. Smith met Dr. Jones, e.g. at home."]
    assert split("何よりアメリカですか?米国は承認した。") == [
        "何よりアメリカですか?", "米国は承認した。"]
    assert split('He said "stop." Then left.') == ['He said "stop."', "Then left."]


def test_spans_are_trimmed_and_empty_text_has_none() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \u3000 ") == []
    assert split(" \u3000文。 ") == ["文。"]


# --- segments -----------------------------------------------------------------------------


def test_headings_are_never_split_and_kinds_are_exposed() -> None:
    text = " \t2\t\t2\t 何が変わったか? 日露関係\n本文です。次です。"
    doc = segment_text("d", text, layout="pdf")
    assert [(s.kind, s.source) for s in doc.segments] == [
        ("heading", "2 何が変わったか? 日露関係"), ("text", "本文です。"), ("text", "次です。")]


def test_ids_are_stable_and_count_occurrences() -> None:
    doc = segment_text("doc", "同じ文。違う文。同じ文。", layout="plain")
    first, other, second = doc.segments
    assert first.source == second.source and first.id != second.id
    assert first.id == segment_id("doc", "同じ文。", 0)
    assert second.id == segment_id("doc", "同じ文。", 1)
    assert len(first.id) == 16 and int(first.id, 16) >= 0
    assert [s.ordinal for s in doc.segments] == [1, 2, 3]
    assert segment_text("other", "同じ文。", layout="plain").segments[0].id != first.id


def test_editing_one_sentence_keeps_the_other_ids() -> None:
    before = segment_text("d", "一つ目。\n二つ目。\n三つ目。", layout="plain")
    after = segment_text("d", "一つ目。\n二つ目を直した。\n三つ目。", layout="plain")
    assert before.segments[0].id == after.segments[0].id
    assert before.segments[2].id == after.segments[2].id
    assert before.segments[1].id != after.segments[1].id


@pytest.mark.parametrize(("path", "name"), [
    ("sources/foo-bar.ja.txt", "foo-bar"),
    ("x.txt", "x"),
    ("x", "x"),
    ("/a/b/kazakhstan-foreign-policy.ja.txt", "kazakhstan-foreign-policy"),
    ("report.en-US.txt", "report"),
    ("notes.md", "notes"),
    ("v1.2.txt", "v1.2"),
])
def test_document_name(path: str, name: str) -> None:
    assert document_name(Path(path)) == name


def test_segment_file_options(tmp_path: Path) -> None:
    path = tmp_path / "memo.ja.txt"
    path.write_bytes("一文目。二文目。\n".encode("euc-jp"))
    doc = segment_file(path)
    assert (doc.doc, doc.encoding, doc.layout) == ("memo", "euc-jp", "plain")
    assert [s.source for s in doc.segments] == ["一文目。", "二文目。"]
    forced = segment_file(path, doc="other", encoding="euc-jp", layout="pdf")
    assert (forced.doc, forced.encoding, forced.layout) == ("other", "euc-jp", "pdf")
    assert all(s.doc == "other" for s in forced.segments)


def test_seed_segments_have_unique_ids_and_ordered_lines() -> None:
    for path in sorted(SOURCES.glob("*.txt")):
        doc = segment_file(path)
        ids = [s.id for s in doc.segments]
        assert len(ids) == len(set(ids)), path.name
        assert [s.ordinal for s in doc.segments] == list(range(1, len(ids) + 1))
        assert all(1 <= s.line_start <= s.line_end for s in doc.segments)


# --- property tests -----------------------------------------------------------------------


def _seed_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SOURCES.glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").split("\n")
                     if len(line.strip()) > 8)
    return lines


SEED_LINES = _seed_lines()
TRICKY = [
    "（", "）", "「", "」", "『", "』", "(", ")", "“", "”", "。", "。」", "。）。", "！", "？", "?",
    "!", ".", ". ", "。 ", "、", "N. A.", "N.A.", "6.3％", "1.1 先史時代", "Agadadash Samedov",
    "https://www.mofa.go.jp/mofaj/area/hoppo/hoppo.html", " ", "\u3000", "\xa0", "\t", "辻󠄀",
    "(1)", "（1）", "ISBN 978-0-89774-940-4", "Mr. Smith", "e.g.", "…", "BRICS(2)首脳会合",
    "（ウクライナ支持を表明しているジョージアを除く。）。",
    "「特別軍事作戦」（以下「作戦」という。）",
]
PAGE_LINES = [
    " \t1\t\t1\t 概観", "ア\tロシア内政", "（2）日露関係", "（4）", "(3)\t 北方四島周辺水域の協定",
    "(4)\t 外務省ホームページ参照： ", "https://www.mofa.go.jp/mofaj/area/hoppo/hoppo.html",
    "第2章\u3000地域別に見た外交", "DIPLOMATIC BLUEBOOK 2025140", "し", "川", "しょう", "つ げ",
    " ■ 主要な枠組み", "SCO（10）※3", "日・ウズベキスタン外相会談（3月8日、東京）",
    "インフラなどの分野における協力に関する意見「中央アジア＋日本」対話20周年記念イラスト ©森薫",
    "Image", 'image"', "\xa0978-0-89774-940-4。", " ",
]


# Slices of real seed lines at several lengths and offsets (precomputed: drawing from a fixed
# pool keeps 500 examples per property fast).
SEED_SLICES = sorted({line[start:start + size] for line in SEED_LINES for size in (5, 17, 41)
                      for start in range(0, len(line), size * 3)})
pieces = st.one_of(st.sampled_from(SEED_SLICES), st.sampled_from(TRICKY))
unit_texts = st.lists(pieces, min_size=0, max_size=10).map("".join)
lines = st.one_of(
    st.lists(pieces, min_size=1, max_size=5).map("".join),
    st.just(""),
    st.sampled_from(PAGE_LINES),
)
documents = st.lists(lines, min_size=0, max_size=14).map("\n".join)
layouts = st.sampled_from(["auto", "plain", "pdf"])
PROPERTY = settings(max_examples=500, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def squeeze(text: str) -> str:
    return "".join(text.split())


@PROPERTY
@given(unit_texts)
def test_split_sentences_keeps_every_character_in_order(text: str) -> None:
    spans = split_sentences(text)
    assert squeeze("".join(text[a:b] for a, b in spans)) == squeeze(text)
    previous_end = 0
    for a, b in spans:
        assert previous_end <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        previous_end = b


@PROPERTY
@given(documents, layouts)
def test_segmentation_never_loses_duplicates_or_reorders_a_character(text: str,
                                                                     layout: str) -> None:
    cleaned = clean(text, layout)
    doc = segment_text("prop", text, layout)
    assert squeeze("".join(s.source for s in doc.segments)) == squeeze(
        "".join(u.text for u in cleaned.units))
    assert all(s.source and s.source == s.source.strip() for s in doc.segments)


@PROPERTY
@given(documents, layouts)
def test_cleanup_records_every_character_it_removes(text: str, layout: str) -> None:
    cleaned = clean(text, layout)
    kept = Counter(squeeze("".join(u.text for u in cleaned.units)))
    removed = Counter(squeeze("".join(d.text for d in cleaned.deletions)))
    assert kept + removed == Counter(squeeze(text))


@PROPERTY
@given(documents, layouts, st.lists(pieces, min_size=1, max_size=4).map("".join))
def test_ids_survive_resegmentation_and_an_appended_paragraph(text: str, layout: str,
                                                               extra: str) -> None:
    first = segment_text("prop", text, layout)
    again = segment_text("prop", text, layout)
    assert [s.id for s in again.segments] == [s.id for s in first.segments]
    ids = [s.id for s in first.segments]
    assert len(set(ids)) == len(ids)
    if layout == "plain":
        longer = segment_text("prop", f"{text}\n\n{extra}", layout)
        assert [s.id for s in longer.segments[:len(ids)]] == ids


@PROPERTY
@given(documents, layouts)
def test_line_spans_fold_back_into_the_source(text: str, layout: str) -> None:
    raw_lines = text.split("\n")
    for s in segment_text("prop", text, layout).segments:
        assert 1 <= s.line_start <= s.line_end <= len(raw_lines)
        assert s.source[0] in raw_lines[s.line_start - 1]
        assert s.source[-1] in raw_lines[s.line_end - 1]
