"""The aligner: anchors, the dynamic programme, confidence, and bead F1 on bilingual documents.

The documents are three demo sources with English written for them bead by bead
(`align_corpus.py`), clean and perturbed with fixed seeds (15% of the English left out and
15% of adjacent Japanese pairs joined); scores are vecalign's strict and lax bead F1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from align_corpus import Bitext, corpus, perturbed, sample

from workbench.core.align import dp
from workbench.core.align.aligner import align_texts, segment_breaks
from workbench.core.align.anchors import collect_keys
from workbench.core.align.jmdict import Dictionary
from workbench.core.align.languages import target_language
from workbench.core.align.score import score
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.records import Segment

REPO = Path(__file__).resolve().parents[2]
EN = target_language()


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(REPO / "glossary")


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return Dictionary(EN)


@pytest.fixture(scope="module")
def documents() -> list[Bitext]:
    return corpus()


def _score(bitexts: list[Bitext], glossary: Glossary | None, dictionary: Dictionary | None,
           params: dp.Params | None = None):  # type: ignore[no-untyped-def]
    gold, test = [], []
    for b in bitexts:
        found = align_texts(b.sources, b.targets, EN, glossary=glossary,
                            dictionary=dictionary, source_breaks=b.breaks, params=params)
        gold.append(b.gold)
        test.append([(x.source, x.target) for x in found.beads])
    return score(gold, test)


def test_clean_documents_align_almost_perfectly(documents: list[Bitext], glossary: Glossary,
                                                dictionary: Dictionary) -> None:
    found = _score([*documents, sample()], glossary, dictionary)
    assert found.f1_strict >= 0.95 and found.f1_lax >= 0.98, found


def test_perturbed_documents_with_names_numbers_and_words(
        documents: list[Bitext], glossary: Glossary, dictionary: Dictionary) -> None:
    found = _score([perturbed(d, seed) for d in documents for seed in (1, 2, 3)], glossary,
                   dictionary)
    assert found.f1_strict >= 0.85 and found.f1_lax >= 0.95, found


def test_perturbed_documents_with_numbers_and_lengths_only(documents: list[Bitext]) -> None:
    found = _score([perturbed(d, seed) for d in documents for seed in (1, 2, 3)],
                   Glossary([]), None)
    assert found.f1_strict >= 0.75, found


def test_anchors_do_what_lengths_cannot(documents: list[Bitext], glossary: Glossary,
                                        dictionary: Dictionary) -> None:
    bitexts = [perturbed(d, 4) for d in documents]
    with_anchors = _score(bitexts, glossary, dictionary)
    lengths_only = _score([Bitext(b.name, b.sources, [_no_anchors(t) for t in b.targets],
                                  b.gold, b.breaks) for b in bitexts], Glossary([]), None)
    assert with_anchors.f1_strict > lengths_only.f1_strict + 0.05


def _no_anchors(text: str) -> str:
    """The same length, with nothing an anchor could hold (no digits, no capitals)."""
    return "".join("x" if c.isalnum() else c for c in text)


def test_the_five_public_pairs() -> None:
    pairs = sample()
    found = align_texts(pairs.sources, pairs.targets, EN)
    assert [(b.source, b.target) for b in found.beads] == pairs.gold


def test_a_sentence_left_out_and_two_joined(documents: list[Bitext]) -> None:
    vna = next(d for d in documents if d.name.startswith("vietnam"))
    ones = [(s[0], t[0]) for s, t in vna.gold if len(s) == 1 and len(t) == 1]
    sources = [vna.sources[i] for i, _ in ones]
    english = [vna.targets[j] for _, j in ones]
    # The English of the 11th sentence is missing; that of the 20th and 21st is one sentence.
    targets = [*english[:10], *english[11:19], f"{english[19][:-1]}; {english[20]}",
               *english[21:]]
    found = align_texts(sources, targets, EN, dictionary=Dictionary(EN))
    beads = [(b.source, b.target) for b in found.beads]
    assert ((10,), ()) in beads
    assert ((19, 20), (18,)) in beads
    assert sum(1 for b in beads if len(b[0]) == 1 and len(b[1]) == 1) == len(sources) - 3


def test_names_tie_sentences_in_any_of_their_english_forms() -> None:
    names = Glossary([Entry("Abulfaz Elchibey", ("エルチベイ",), "person", ("Elchibei",)),
                      Entry("Russia", ("ロシア",), "place")])
    keys = collect_keys(["エルチベイはロシアを訪れた。", "その後、帰国した。"],
                        ["Elchibei visited the Russian capital.", "Then he went home.",
                         "The United Nations Security Council met."], EN, glossary=names)
    assert {"g:Abulfaz Elchibey", "g:Russia"} <= keys.source[0]
    assert {"g:Abulfaz Elchibey", "g:Russia"} <= keys.target[0]
    assert not any(k.startswith("g:") for k in keys.target[1] | keys.target[2])


def test_a_long_pair_is_aligned_in_a_band(documents: list[Bitext], glossary: Glossary) -> None:
    sources, targets, gold = [], [], []
    for _ in range(3):
        for d in documents:
            for src, tgt in d.gold:
                gold.append((tuple(len(sources) + i - src[0] for i in src) if src else (),
                             tuple(len(targets) + j - tgt[0] for j in tgt) if tgt else ()))
                sources.extend(d.sources[i] for i in src)
                targets.extend(d.targets[j] for j in tgt)
    found = align_texts(sources, targets, EN, glossary=glossary)
    assert found.cells < 0.2 * (len(sources) + 1) * (len(targets) + 1)
    result = score([gold], [[(b.source, b.target) for b in found.beads]])
    assert result.f1_strict >= 0.9, result


def test_confidence_is_low_where_the_alignment_is_unsure(documents: list[Bitext],
                                                         glossary: Glossary) -> None:
    right, wrong = [], []
    for d in documents:
        b = perturbed(d, 5)
        gold = set(b.gold)
        for bead in align_texts(b.sources, b.targets, EN, glossary=glossary,
                                source_breaks=b.breaks).beads:
            assert 0.0 <= bead.confidence <= 1.0
            (right if (bead.source, bead.target) in gold else wrong).append(bead.confidence)
    assert sum(wrong) / len(wrong) < sum(right) / len(right) - 0.15
    sure = [c for c in right + wrong if c >= 0.9]
    assert sum(1 for c in right if c >= 0.9) / len(sure) >= 0.9


def test_paragraph_breaks_keep_a_heading_out_of_the_next_bead() -> None:
    segments = [Segment("a", "d", 1, "概観", 1, 1, "heading"),
                Segment("b", "d", 2, "ロシアは、核による威嚇も継続した。", 3, 3, "text")]
    assert segment_breaks(segments, "plain") == [4.0, 0.0]


def test_empty_sides() -> None:
    assert [(b.source, b.target) for b in dp.align([10.0, 20.0], []).beads] == \
        [((0,), ()), ((1,), ())]
    assert [(b.source, b.target) for b in dp.align([], [10.0]).beads] == [((), (0,))]


def test_bead_f1_as_vecalign_scores_it() -> None:
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
    assert score([gold], [gold]).f1_strict == 1.0
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]
    result = score([gold], [test])
    assert result.precision_strict == pytest.approx(2 / 4)     # (1,)-(1,) and (2,)-() wrong
    assert result.precision_lax == pytest.approx(3 / 4)        # (1,)-(1,) overlaps
    assert result.recall_strict == pytest.approx(1 / 2)        # of the beads with both sides
    assert result.recall_lax == 1.0
