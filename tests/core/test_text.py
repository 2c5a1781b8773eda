"""Decoding source files and the cleanup rules, on synthetic pages as well as the seeds.

The synthetic pages use other chapters, page numbers, names and footnote numbers than the seed,
so these tests show the rules are general rather than tuned to one extract.
"""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from workbench.core.cleanup import Unit, clean, detect_layout
from workbench.core.decode import read_source
from workbench.core.errors import SourceError
from workbench.core.segment import segment_file, segment_text

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "sources"
VIETNAM = SOURCES / "vietnam-azerbaijan-strategic-partnership.ja.txt"
BLUEBOOK = SOURCES / "diplomatic-bluebook-2025-russia-central-asia-caucasus.ja.txt"

SAMPLE = ("ベトナムとアゼルバイジャンの関係は、国際法の遵守を基盤としています。\n"
          "\n"
          "双方は、防衛・安全保障分野での二国間協力を推進する意向を表明した。\n")


# --- decoding -----------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "bom", "reported"), [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("cp932", b"", "cp932"),
    ("shift_jis", b"", "cp932"),
    ("euc-jp", b"", "euc-jp"),
])
def test_encodings_are_detected(tmp_path: Path, codec: str, bom: bytes, reported: str) -> None:
    path = tmp_path / "doc.ja.txt"
    text = VIETNAM.read_text(encoding="utf-8")
    path.write_bytes(bom + text.encode(codec))
    decoded = read_source(path)
    assert decoded.encoding == reported
    assert decoded.text == text
    assert not decoded.text.startswith("\ufeff")


def test_short_legacy_files_are_told_apart(tmp_path: Path) -> None:
    for codec in ("cp932", "euc-jp"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes("北方領土は日本固有の領土である。".encode(codec))
        assert read_source(path) == read_source(path, encoding=codec)
        assert read_source(path).encoding == codec


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_become_lf(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(SAMPLE.replace("\n", newline).encode("utf-8"))
    assert read_source(path).text == SAMPLE
    lf = tmp_path / "unix.txt"
    lf.write_text(SAMPLE, encoding="utf-8")
    assert segment_file(path).segments == segment_file(lf, doc="dos").segments


def test_a_page_extract_in_shift_jis_is_cleaned_like_the_utf8_one(tmp_path: Path) -> None:
    # 辻󠄀 (with its variation selector) and © have no Shift_JIS code; the rest round-trips.
    text = BLUEBOOK.read_text(encoding="utf-8").replace("\U000e0100", "").replace("©", "(c)")
    path = tmp_path / "bluebook.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    doc = segment_file(path)
    assert (doc.encoding, doc.layout) == ("cp932", "pdf")
    assert [s.source for s in doc.segments] == [s.source for s in segment_text("bluebook", text)
                                                 .segments]


def test_empty_file_gives_zero_segments(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_source(path).text == ""
    doc = segment_file(path)
    assert doc.segments == [] and doc.deletions == []
    (tmp_path / "blank.txt").write_bytes(codecs.BOM_UTF8 + b" \n\n\t\n")
    assert segment_file(tmp_path / "blank.txt").segments == []


def _raises_naming(path: Path, encoding: str | None = None) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_source(path, encoding)
    assert path.name in str(info.value)
    with pytest.raises(SourceError):
        segment_file(path, encoding=encoding)
    return info.value


def test_missing_file(tmp_path: Path) -> None:
    error = _raises_naming(tmp_path / "nowhere.ja.txt")
    assert "no such file" in str(error)


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "directory" in str(_raises_naming(folder))


def test_png_renamed_txt(tmp_path: Path) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)))
    assert "PNG" in str(_raises_naming(path))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / f"noise{seed}.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    _raises_naming(path)


def test_random_bytes_without_nul(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))
    _raises_naming(path)


def test_urandom_bytes(tmp_path: Path) -> None:
    path = tmp_path / "urandom.txt"
    path.write_bytes(os.urandom(2048))
    _raises_naming(path)


def test_forced_wrong_encoding_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "sjis.txt"
    path.write_bytes(b"plain ascii\nstill ascii\n" + "日本語の行。\n".encode("cp932"))
    error = _raises_naming(path, encoding="utf-8")
    assert error.line == 3
    assert f"{path}:3:" in str(error)


def test_forced_encoding_that_decodes_to_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("日本語".encode("utf-16-le"))  # no NUL, but C1 controls in latin-1
    _raises_naming(path, encoding="latin-1")
    path.write_bytes("日本語 text".encode("utf-16-le"))
    _raises_naming(path, encoding="latin-1")


def test_forced_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert "unknown encoding" in str(_raises_naming(path, encoding="klingon-8"))


def test_forced_right_encoding_is_used(tmp_path: Path) -> None:
    path = tmp_path / "euc.txt"
    path.write_bytes(SAMPLE.encode("euc-jp"))
    decoded = read_source(path, encoding="euc-jp")
    assert decoded == read_source(path)
    assert decoded.text == SAMPLE


def test_utf16_without_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(SAMPLE.encode("utf-16-le"))
    assert read_source(path).text == SAMPLE


# --- layout detection ---------------------------------------------------------------------


def test_layout_is_decided_by_line_widths_not_the_name() -> None:
    for path in sorted(SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected = "pdf" if path == BLUEBOOK else "plain"
        assert detect_layout(text)[0] == expected, path.name
    # a plain document rewrapped to a 20-character column becomes a page extract
    prose = VIETNAM.read_text(encoding="utf-8").replace("\n", "")
    wrapped = "\n".join(prose[k:k + 20] for k in range(0, len(prose), 20))
    assert detect_layout(wrapped)[0] == "pdf"
    assert clean(wrapped).layout == "pdf"
    assert detect_layout("")[0] == "plain"
    assert detect_layout("短い。\n")[0] == "plain"


def test_layout_can_be_forced_and_is_validated() -> None:
    assert clean(SAMPLE, layout="pdf").layout == "pdf"
    assert clean(SAMPLE, layout="plain").layout == "plain"
    with pytest.raises(ValueError):
        clean(SAMPLE, layout="docx")


def test_rewrapped_plain_text_segments_the_same_as_the_original() -> None:
    prose = VIETNAM.read_text(encoding="utf-8").split("\n")[6]  # one long paragraph
    wrapped = "\n".join(prose[k:k + 21] for k in range(0, len(prose), 21))
    original = [s.source for s in segment_text("a", prose, layout="plain").segments]
    assert [s.source for s in segment_text("a", wrapped, layout="pdf").segments] == original


# --- the unit model -----------------------------------------------------------------------


def test_unit_maps_offsets_back_to_lines_and_slices() -> None:
    unit = Unit("あいうえおかきく", "paragraph", (0, 3, 5), (10, 12, 13))
    assert [unit.line_at(k) for k in range(8)] == [10, 10, 10, 12, 12, 13, 13, 13]
    assert unit.line_span(2, 4) == (10, 12)
    assert (unit.line_start, unit.line_end) == (10, 13)
    part = unit.slice(4, 7)
    assert part.text == "おかき"
    assert part.starts == (0, 1) and part.lines == (12, 13)


# --- PDF cleanup rules on a synthetic page ------------------------------------------------

PAGE = "\n".join([
    " \t4\t\t4\t 中東・北アフリカ",                         # 1  level-1 heading
    "",
    "（1）湾岸諸国",                                       # 3  level-2 heading
    "エ\t総論",                                           # 4  level-3 heading
    "日本はサウジアラビアとの間で、エネルギー分野",        # 5
    "における協力を進めている。同国の皇太子は2月に",      # 6
    "訪日し、岸田総理大臣と会談を行った。また、首脳",      # 7
    "は紅",                                               # 8  base kanji at line end
    "",
    "こう",                                               # 10 ruby
    "海(12)における航行の安全について協議した",            # 11 marker glued to a word
    "",
    "第4章\u3000分野別外交",                              # 13 running head
    "",
    "142 DIPLOMATIC BLUEBOOK 2025",                       # 15 running foot, page first
    "",
    "(12)\t 紅海：アフリカ大陸とアラビア半島の間の海。",   # 17 footnote body mid-sentence
    "",
    "。両国はCOP28の成果を踏まえ、Global Stocktake",      # 19 Latin words across a wrap
    "mechanism の実施で一致した。",                        # 20
    "（5）",                                              # 21 orphan enumerator
    "オ\tその他",                                         # 22
    "資料の詳細は、外務省の報告書（2024年版。）",          # 23
    "を参照。",                                           # 24
])


@pytest.fixture(scope="module")
def page() -> list[tuple[str, str]]:
    doc = segment_text("page", PAGE, layout="pdf")
    return [(s.kind, s.source) for s in doc.segments]


def test_synthetic_page_segments(page: list[tuple[str, str]]) -> None:
    assert page == [
        ("heading", "4 中東・北アフリカ"),
        ("heading", "（1）湾岸諸国"),
        ("heading", "エ 総論"),
        ("text", "日本はサウジアラビアとの間で、エネルギー分野における協力を進めている。"),
        ("text", "同国の皇太子は2月に訪日し、岸田総理大臣と会談を行った。"),
        ("text", "また、首脳は紅海における航行の安全について協議した。"),
        ("footnote", "紅海：アフリカ大陸とアラビア半島の間の海。"),
        ("text", "両国はCOP28の成果を踏まえ、Global Stocktake mechanism の実施で一致した。"),
        ("heading", "オ その他"),
        ("text", "資料の詳細は、外務省の報告書（2024年版。）を参照。"),
    ]


def test_synthetic_page_deletions() -> None:
    cleaned = clean(PAGE, layout="pdf")
    assert [(d.line, d.text, d.reason) for d in cleaned.deletions] == [
        (1, "4", "heading-number"),
        (10, "こう", "ruby"),
        (11, "(12)", "footnote-marker"),
        (13, "第4章\u3000分野別外交", "page-furniture"),
        (15, "142 DIPLOMATIC BLUEBOOK 2025", "page-furniture"),
        (17, "(12)", "footnote-label"),
        (21, "（5）", "orphan-enumerator"),
    ]


def test_ruby_rule_keeps_kana_lines_that_follow_kana() -> None:
    text = "止\n\nや\nめさせるた\n\nめ、対話を続けた。"
    cleaned = clean(text, layout="pdf")
    assert [u.text for u in cleaned.units] == ["止めさせるため、対話を続けた。"]
    assert [d.line for d in cleaned.deletions] == [3]


def test_markers_are_only_half_width_numbers_glued_to_a_word() -> None:
    text = "協定(3)については、規則5(2)及び (4) 項、（1）及び（UAE）を参照した(5)。"
    cleaned = clean(text, layout="pdf")
    assert cleaned.units[0].text == ("協定については、規則5(2)及び (4) 項、（1）及び（UAE）"
                                     "を参照した。")


def test_overflowing_line_with_a_credit_is_split_at_the_column_edge() -> None:
    body = ["関係者との間で高度人材を含む人材の送り出",
            "し・受入れ、クリーンエネルギー、物流、交通",
            "インフラなどの分野における協力に関する意見「記念写真」©外務省",
            "交換を行った。次の文はここから始まるが、", "特に問題はない。"]
    cleaned = clean("\n".join(body * 3), layout="pdf")
    kinds = [(u.kind, u.text) for u in cleaned.units]
    assert ("caption", "「記念写真」©外務省") in kinds
    paragraph = next(text for kind, text in kinds if kind == "paragraph")
    assert paragraph.startswith("関係者との間で高度人材を含む人材の送り出し・受入れ、"
                                "クリーンエネルギー、物流、交通インフラなどの分野における"
                                "協力に関する意見交換を行った。")


def test_stray_chart_marker_cannot_swallow_the_document() -> None:
    lines = ["■ 図のタイトル"] + ["短い", "ラベル"] * 100
    cleaned = clean("\n".join(lines), layout="pdf")
    assert [d.line for d in cleaned.deletions if d.reason == "chart"] == [1]
    assert len(cleaned.units) == 1


def test_footnote_that_never_ends_a_sentence_goes_to_the_unit_end() -> None:
    text = "これは終わらない文で\n(1)\t 脚注。\nあり、句点がない"
    cleaned = clean(text, layout="pdf")
    assert [(u.kind, u.text) for u in cleaned.units] == [
        ("paragraph", "これは終わらない文であり、句点がない"), ("footnote", "脚注。")]


# --- plain cleanup --------------------------------------------------------------------------


def test_plain_keeps_paragraph_breaks_and_records_placeholders() -> None:
    text = "見出し\n\n第一段落。\n第二段落。\nImage\n\n[image]\n最後\n"
    cleaned = clean(text, layout="plain")
    assert [(u.kind, u.text, u.lines) for u in cleaned.units] == [
        ("heading", "見出し", (1,)), ("paragraph", "第一段落。", (3,)),
        ("paragraph", "第二段落。", (4,)), ("paragraph", "最後", (8,))]
    assert [(d.line, d.reason) for d in cleaned.deletions] == [(5, "placeholder"),
                                                               (7, "placeholder")]


def test_a_stray_bracket_does_not_push_a_footnote_to_the_end_of_the_page() -> None:
    text = "\n".join(["（閉じない括弧の後の文。ここで脚注が", "(7)\t 脚注の本文。",
                      "入る。次の文。"] + ["さらに続く長い文章である。"] * 40)
    units = clean(text, layout="pdf").units
    assert [(u.kind, u.text) for u in units[:3]] == [
        ("paragraph", "（閉じない括弧の後の文。ここで脚注が入る。"),
        ("footnote", "脚注の本文。"),
        ("paragraph", "次の文。" + "さらに続く長い文章である。" * 40),
    ]


def test_running_foot_with_a_spaced_page_number() -> None:
    text = "本文の途中で\nDIPLOMATIC BLUEBOOK 2025 143\n改ページが入る。"
    cleaned = clean(text, layout="pdf")
    assert [u.text for u in cleaned.units] == ["本文の途中で改ページが入る。"]
    assert [d.reason for d in cleaned.deletions] == ["page-furniture"]


def test_a_replacement_character_in_utf8_is_kept_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "lossy.txt"
    path.write_text("以前の変換で壊れた文字\ufffdがある。\n", encoding="utf-8")
    assert read_source(path).text == "以前の変換で壊れた文字\ufffdがある。\n"
