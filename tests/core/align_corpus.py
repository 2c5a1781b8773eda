"""Bilingual test documents for the aligner, with gold beads, and their perturbations.

The gold files in `align_data/` pair three documents of the demo project's sources/ with an
English version written for these tests, bead by bead (`kazakhstan-foreign-policy.tsv` says
how); `../shared/reference/alignment_sample_002.tsv` adds five public pairs. Perturbations
are seeded: drop a share of the English sentences, merge a share of adjacent Japanese pairs,
as a translation with gaps and a segmentation that cut differently would.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from workbench.core.align.aligner import segment_breaks
from workbench.core.segment import segment_file

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "align_data"
SAMPLE = REPO.parent / "shared" / "reference" / "alignment_sample_002.tsv"
DOCUMENTS = ("kazakhstan-foreign-policy", "vietnam-azerbaijan-strategic-partnership",
             "diplomatic-bluebook-2025-russia-central-asia-caucasus")

Bead = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Bitext:
    """Source sentences, target sentences and the gold beads between them (indices)."""

    name: str
    sources: list[str]
    targets: list[str]
    gold: list[Bead]
    breaks: list[float] | None = None
    """The source's breaks (`segment_breaks`), when it comes from a document."""


def load(doc: str) -> Bitext:
    """A gold document: its Japanese segments as the workbench cuts them, and the English."""
    document = segment_file(REPO / "sources" / f"{doc}.ja.txt")
    segments = [s.source for s in document.segments]
    breaks = segment_breaks(document.segments, document.layout)
    targets: list[str] = []
    gold: list[Bead] = []
    expected = 1
    for line in (DATA / f"{doc}.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        ordinals, _, english = line.partition("\t")
        src = tuple(int(o) - 1 for o in ordinals.split(",") if o)
        assert [s + 1 for s in src] == list(range(expected, expected + len(src))), line
        expected += len(src)
        sentences = [s for s in english.split(" ||| ") if s.strip()]
        gold.append((src, tuple(range(len(targets), len(targets) + len(sentences)))))
        targets.extend(sentences)
    assert expected - 1 == len(segments), f"{doc}: gold covers {expected - 1} of {len(segments)}"
    return Bitext(doc, segments, targets, gold, breaks)


def sample() -> Bitext:
    """The five public ja/en pairs (` ||| ` joins two English sentences of one bead)."""
    with SAMPLE.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:]
    sources, targets, gold = [], [], []
    for i, (ja, en) in enumerate(rows):
        sentences = en.split(" ||| ")
        sources.append(ja)
        gold.append(((i,), tuple(range(len(targets), len(targets) + len(sentences)))))
        targets.extend(sentences)
    return Bitext("alignment_sample_002", sources, targets, gold)


def _split_empty(gold: list[Bead]) -> list[Bead]:
    """Beads with nothing on one side as one bead per sentence: each sentence left out is a
    deletion of its own (no aligner joins sentences that have no partner)."""
    out: list[Bead] = []
    for src, tgt in gold:
        if src and not tgt:
            out.extend(((s,), ()) for s in src)
        elif tgt and not src:
            out.extend(((), (t,)) for t in tgt)
        elif src or tgt:
            out.append((src, tgt))
    return out


def drop_targets(bitext: Bitext, share: float, seed: int) -> Bitext:
    """Without about `share` of the target sentences (a translation that left them out)."""
    rng = random.Random(seed)
    keep = [j for j in range(len(bitext.targets)) if rng.random() >= share]
    new = {j: k for k, j in enumerate(keep)}
    gold = [(src, tuple(new[j] for j in tgt if j in new)) for src, tgt in bitext.gold]
    return Bitext(f"{bitext.name}-drop{seed}", bitext.sources,
                  [bitext.targets[j] for j in keep], _split_empty(gold), bitext.breaks)


def merge_sources(bitext: Bitext, share: float, seed: int) -> Bitext:
    """With about `share` of adjacent source pairs joined into one (another segmentation)."""
    rng = random.Random(seed)
    n = len(bitext.sources)
    groups: list[list[int]] = []
    i = 0
    while i < n:
        if i + 1 < n and rng.random() < share:
            groups.append([i, i + 1])
            i += 2
        else:
            groups.append([i])
            i += 1
    index = {old: k for k, group in enumerate(groups) for old in group}
    sources = ["".join(bitext.sources[i] for i in group) for group in groups]
    # Gold beads that share a merged source become one.
    merged: list[tuple[set[int], set[int]]] = []
    for src, tgt in bitext.gold:
        new_src = {index[s] for s in src}
        if merged and new_src & merged[-1][0]:
            merged[-1][0].update(new_src)
            merged[-1][1].update(tgt)
        else:
            merged.append((new_src, set(tgt)))
    gold = [(tuple(sorted(s)), tuple(sorted(t))) for s, t in merged]
    breaks = None if bitext.breaks is None else \
        [bitext.breaks[group[-1]] for group in groups]
    return Bitext(f"{bitext.name}-merge{seed}", sources, bitext.targets, _split_empty(gold),
                  breaks)


def perturbed(bitext: Bitext, seed: int, share: float = 0.15) -> Bitext:
    """Both perturbations at once."""
    return drop_targets(merge_sources(bitext, share, seed), share, seed + 1000)


def corpus() -> list[Bitext]:
    return [load(doc) for doc in DOCUMENTS]
