"""How the memory compares sources (keys, tokens, placeholders) and its fuzzy index."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from workbench.core.glossary.model import Entry, Glossary
from workbench.core.memory.index import BAND_STARTS, GramIndex, IndexBuilder, texts_path
from workbench.core.memory.match import similarity
from workbench.core.memory.text import (
    NAME,
    NUMBER,
    context_key,
    index_text,
    source_key,
    tokens,
    tokens_with_spans,
)

GLOSSARY = Glossary([Entry("Russia", ("ロシア",), "place"),
                     Entry("Azerbaijan", ("アゼルバイジャン",), "place"),
                     Entry("Dmitry Medvedev", ("ドミトリー・メドヴェージェフ", "メドベージェフ"),
                           "person")])


def test_sources_that_fold_alike_have_one_key() -> None:
    assert source_key("ヴェトナムの首都") == source_key("ベトナムの首都")
    assert source_key("ﾛｼｱの大統領") == source_key("ロシアの大統領")
    assert source_key("ドミトリー・メドヴェージェフ") == source_key("ドミトリメドベジェフ")
    assert source_key("ロシアの大統領") != source_key("ロシアの首相")
    assert context_key(None) == 0 and context_key("前の文。") == source_key("前の文。")


def test_names_and_numbers_are_one_placeholder_each() -> None:
    text = "2024年にロシアとアゼルバイジャンは3億ドルの協定に署名した。"
    found = tokens(text, GLOSSARY.find(text))
    assert found.startswith(NUMBER + "年に" + NAME + "と" + NAME + "は" + NUMBER)
    other = "1999年にアゼルバイジャンとロシアは5000万ドルの協定に署名した。"
    assert tokens(other, GLOSSARY.find(other)) == found


def test_a_latin_word_is_one_token() -> None:
    assert len(tokens("Joint Statement について")) == len("xy" + "について")


def test_token_spans_point_at_the_original_text() -> None:
    text = "ﾄﾞﾐﾄﾘｰ・メドヴェージェフ大統領は２０２４年にロシアを訪問した。"
    found = tokens_with_spans(text, GLOSSARY.find(text))
    assert found.text == tokens(text, GLOSSARY.find(text))
    pieces = [text[s:e] for s, e in found.spans]
    assert pieces[:4] == ["ﾄﾞﾐﾄﾘｰ・メドヴェージェフ", "大", "統", "領"]
    assert "２０２４" in pieces and "ロシア" in pieces
    assert [(p.kind, p.text) for p in found.placeholders] == [
        ("name", "ﾄﾞﾐﾄﾘｰ・メドヴェージェフ"), ("number", "２０２４"), ("name", "ロシア")]
    assert found.placeholders[1].value == 2024


japanese = st.text(alphabet=st.sampled_from(list("ロシアとアゼルバイジャンの関係はヴ・ーｶﾞ 12３年億"
                                                 "ドミトリメドベージェフ大統領AbcＸ")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(japanese)
def test_fast_tokens_are_the_tokens_with_spans(text: str) -> None:
    hits = GLOSSARY.find(text)
    found = tokens_with_spans(text, hits)
    assert tokens(text, hits) == found.text
    assert len(found.spans) == len(found.text)
    assert all(0 <= s <= e <= len(text) for s, e in found.spans)


def test_omegat_score_rounds_down_over_tokens() -> None:
    assert similarity("abcdefghij", "abcdefghij") == 100
    assert similarity("abcdefghij", "abcdefghiX") == 90
    assert similarity("abc", "abd") == 66                # 100 * 2 // 3
    assert similarity("", "") == 0


# ---------------------------------------------------------------------- the index
SENTENCES = ["ロシアとアゼルバイジャンの関係について", "日本とカザフスタンの外交関係",
             "中央アジア諸国との協力を強化する", "露", "外交政策の主な方向性", ""]


def build(texts: list[str], tmp_path: Path | None = None) -> GramIndex:
    return GramIndex.build(((i + 1, index_text(t)) for i, t in enumerate(texts)),
                           spill_dir=tmp_path)


def test_the_nearest_unit_is_found_and_scored_on_its_text() -> None:
    index = build(SENTENCES * 3)
    found = index.nearest(index_text("日本とカザフスタンの外交関係は"), 3)
    assert {i for i, _ in found} == {2, 8, 14}
    assert found[0][1] == pytest.approx(Levenshtein.normalized_similarity(
        index_text("日本とカザフスタンの外交関係は"), index_text(SENTENCES[1])))
    assert index.nearest(index_text("まったく別の話題だ"), 3) == [] or \
        all(score < 0.5 for _, score in index.nearest(index_text("まったく別の話題だ"), 3))


def test_lengths_out_of_range_are_not_read() -> None:
    index = build(SENTENCES)
    text = index_text(SENTENCES[0])
    assert index.nearest(text, 5, min_length=len(text) + 20) == []
    assert 1 not in {i for i, _ in index.nearest(text, 5, max_length=len(text) - 5)}
    assert index.nearest(text, 1, min_length=-8)[0][0] == 1     # a negative floor is none


def test_containing_narrows_to_units_with_every_pair() -> None:
    index = build(SENTENCES)
    assert sorted(index.containing(index_text("外交")).tolist()) == [2, 5]
    assert index.containing(index_text("外交の")).tolist() == []
    assert index.containing(index_text("露")).tolist() == [4]   # one character: its own gram


def test_an_index_saved_and_loaded_answers_the_same(tmp_path: Path) -> None:
    builder = IndexBuilder(tmp_path)
    builder.add([1, 2, 3], [index_text(s) for s in SENTENCES[:3]])
    builder.add([7, 9], [index_text(s) for s in SENTENCES[3:5]])
    path = tmp_path / "part.idx"
    built = builder.finish({"memory": "m"}, texts_to=texts_path(path))
    built.save(path)
    loaded = GramIndex.load(path)
    assert loaded is not None and loaded.stamp == {"memory": "m"}
    query = index_text("外交政策の方向性")
    assert loaded.nearest(query, 2) == built.nearest(query, 2)
    assert loaded.nearest(query, 1)[0][0] == 9
    assert sorted(loaded.ids.tolist()) == [1, 2, 3, 7, 9]
    assert [loaded.text(p) for p in range(len(loaded))] == \
        [built.text(p) for p in range(len(built))]


def test_units_must_come_in_id_order(tmp_path: Path) -> None:
    builder = IndexBuilder(tmp_path)
    builder.add([5], ["あいう"])
    with pytest.raises(ValueError):
        builder.add([5], ["えお"])


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "no texts"])
def test_a_damaged_index_file_is_not_used(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "part.idx"
    builder = IndexBuilder(tmp_path)
    builder.add([1, 2], [index_text(s) for s in SENTENCES[:2]])
    builder.finish({}, texts_to=texts_path(path)).save(path)
    data = path.read_bytes()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(data[:len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not json at all!" + data[24:])
    else:
        texts_path(path).unlink()
    assert GramIndex.load(path) is None


def test_bands_cover_every_length() -> None:
    assert BAND_STARTS[0] == 0 and list(BAND_STARTS) == sorted(set(BAND_STARTS))


def test_characters_beyond_the_bmp_keep_their_place(tmp_path: Path) -> None:
    texts = ["𠮷野家の牛丼が好きだ", "吉野家の牛丼が好きだ", "絵文字😀を含む文です", "普通の文です"]
    index = build(texts, tmp_path)
    assert sorted(index.texts_at(range(len(index)))) == sorted(index_text(t) for t in texts)
    assert index.nearest(index_text("𠮷野家の牛丼が大好きだ"), 1)[0][0] == 1
