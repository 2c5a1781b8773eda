"""Matches as a reviewer sees them: 101%, 100%, fuzzy scores, conflicts newest first,
penalties, repairs of a name or a number, and the differences to highlight."""

from __future__ import annotations

from pathlib import Path

import pytest
from memory_samples import GLOSSARY, write_foreign_tmx

from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.memory.match import Matcher, Source, similarity
from workbench.core.memory.store import MemoryStore
from workbench.core.memory.text import tokens
from workbench.core.memory.tmx import import_tmx
from workbench.core.memory.units import Query


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    folder = tmp_path_factory.mktemp("glossary")
    (folder / "names.tsv").write_text(GLOSSARY, encoding="utf-8")
    return load_glossary(folder)


@pytest.fixture
def matcher(tmp_path: Path, glossary: Glossary) -> Matcher:
    with MemoryStore(tmp_path / "memory") as store:
        import_tmx(store, write_foreign_tmx(tmp_path))
        yield Matcher([Source(store)], glossary)


def test_same_source_and_neighbours_is_101(matcher: Matcher) -> None:
    query = Query("首脳は経済協力について協議した。", prev="両首脳はモスクワで会談した。")
    (best,) = matcher.lookup(query, limit=1)
    assert (best.score, best.kind) == (101, "context")
    assert best.target == "The leaders discussed economic cooperation."
    other_context = Query("首脳は経済協力について協議した。", prev="別の文。")
    assert matcher.lookup(other_context, limit=1)[0].score == 100


def test_same_source_as_folded_is_100(matcher: Matcher) -> None:
    (best,) = matcher.lookup(Query("ﾛｼｱの外相はﾊﾞｸｰを訪れた。"), limit=1)
    assert (best.score, best.kind) == (100, "exact")
    assert best.source_diff == () and best.segment_diff == ()


def test_conflicting_units_all_come_newest_first(matcher: Matcher) -> None:
    found = matcher.lookup(Query("両国は協定に署名した。"))
    assert [(m.score, m.target) for m in found[:2]] == [
        (100, "Both sides signed the agreement."),
        (100, "The two countries signed an agreement.")]


def test_fuzzy_scores_are_omegat_scores_over_tokens(matcher: Matcher,
                                                    glossary: Glossary) -> None:
    text = "閣僚は共同声明を昨日発表した。"
    found = matcher.lookup(Query(text))
    assert found and found[0].kind == "fuzzy"
    mine = tokens(text, glossary.find(text))
    theirs = tokens(found[0].source, glossary.find(found[0].source))
    assert found[0].score == similarity(mine, theirs) == 100 * (15 - 2) // 15
    assert [(s.start, s.end, s.kind) for s in found[0].segment_diff] == [(8, 10, "extra")]


def test_threshold_and_limit(matcher: Matcher) -> None:
    text = "閣僚は共同声明を昨日発表した。"
    assert matcher.lookup(Query(text), threshold=90) == []
    assert len(matcher.lookup(Query("両国は協定に署名した。"), limit=1)) == 1
    assert matcher.lookup(Query("まったく関係のない話をしよう。")) == []


def test_a_different_name_is_repaired(matcher: Matcher) -> None:
    (best,) = matcher.lookup(Query("両首脳はバクーで会談した。"), limit=1)
    assert best.score == 99 and best.repaired and best.label() == "99% repaired"
    assert best.target == "The two leaders met in Baku."
    assert [(r.kind, r.old, r.new) for r in best.repairs] == [("name", "Moscow", "Baku")]
    assert [(s.kind, best.source[s.start:s.end]) for s in best.source_diff] == \
        [("name", "モスクワ")]


def test_a_different_number_is_repaired(matcher: Matcher) -> None:
    (best,) = matcher.lookup(Query("2021年の両国間の貿易額は5億ドルだった。"), limit=1)
    assert best.target == "Trade between the two countries was $500 million in 2021."
    assert sorted((r.old, r.new) for r in best.repairs) == [("2019", "2021"),
                                                           ("300 million", "500 million")]
    assert [s.kind for s in best.segment_diff] == ["number", "number"]


def test_a_number_the_english_does_not_state_is_not_repaired(matcher: Matcher) -> None:
    (best,) = matcher.lookup(Query("2019年の両国間の貿易額は7割増えた。"), limit=1)
    assert not best.repaired
    assert best.target == "Trade between the two countries was $300 million in 2019."


def test_a_penalty_lowers_every_score(tmp_path: Path, glossary: Glossary) -> None:
    with MemoryStore(tmp_path / "m") as store:
        import_tmx(store, write_foreign_tmx(tmp_path), penalty=10)
        matcher = Matcher([Source(store)], glossary)
        (best,) = matcher.lookup(Query("両首脳はモスクワで会談した。"), limit=1)
        assert best.score == 90 and best.kind == "exact" and best.label() == "90% (penalty 10)"
        assert matcher.lookup(Query("両首脳はモスクワで会談した。"), threshold=95) == []


def test_a_unit_can_be_left_out(tmp_path: Path, glossary: Glossary) -> None:
    with MemoryStore(tmp_path / "m") as store:
        import_tmx(store, write_foreign_tmx(tmp_path))
        matcher = Matcher([Source(store, lambda unit, query: "Moscow" in unit.target)],
                          glossary)
        assert matcher.lookup(Query("両首脳はモスクワで会談した。"), threshold=100) == []
