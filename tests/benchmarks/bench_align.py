"""Benchmark: aligning a 10,000-segment document with an 11,000-sentence translation.

The pair is made from the bilingual test documents (`tests/core/align_corpus.py`: three demo
sources with English written for them, bead by bead), repeated with seeded perturbations:
each copy loses about 5% of its English sentences, and English sentences with no Japanese are
put in until the translation holds 11,000. The Japanese is a project source (one segment a
line), the English a hard-wrapped text file.

Ours is timed end to end: `workbench align DOC FILE --dry-run --format json` in a process of
its own (reading and cleaning the translation, sentence splitting, anchors, the band, the
programme, confidence, the report). The anchor is `nltk.translate.gale_church.align_blocks`
on the same sentence lengths (given the document's length ratio): its full dynamic programme
is quadratic in pure Python (some 60 µs a cell, two hours for this pair), so it runs on the
first SUBSET Japanese sentences and their English, and its time is scaled up by the ratio of
grid cells; ours runs on that subset too, in process, for a like-for-like F1.

    python tests/benchmarks/bench_align.py [--segments N] [--targets M] [--subset K]

Prints one line per figure; the last is the ratio of nltk's (scaled) time to ours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "core"))

from align_corpus import Bead, Bitext, corpus  # noqa: E402

from workbench.core.align.score import score  # noqa: E402

DOC = "bench"


def build(segments: int, targets: int, seed: int = 11) -> Bitext:
    """The seed documents repeated until `segments` Japanese sentences, each copy missing ~5%
    of its English; English with no Japanese put in (or left out) to make `targets`."""
    rng = random.Random(seed)
    seeds = corpus()
    sources: list[str] = []
    english: list[list[str]] = []      # per bead, its English sentences
    bead_sources: list[int] = []       # per bead, how many Japanese sentences
    while len(sources) < segments:
        for doc in seeds:
            for src, tgt in doc.gold:
                if len(sources) + len(src) > segments:
                    break
                sources.extend(doc.sources[i] for i in src)
                bead_sources.append(len(src))
                english.append([doc.targets[j] for j in tgt if rng.random() >= 0.05])
            if len(sources) >= segments:
                break
    pool = [t for doc in seeds for t in doc.targets]
    count = sum(len(e) for e in english)
    while count < targets:     # translator's additions: English with no Japanese
        at = rng.randrange(len(english))
        english.insert(at, [rng.choice(pool)])
        bead_sources.insert(at, 0)
        count += 1
    while count > targets:
        k = rng.randrange(len(english))
        if english[k]:
            english[k].pop()
            count -= 1
    gold: list[Bead] = []
    flat: list[str] = []
    i = 0
    for n, sentences in zip(bead_sources, english, strict=True):
        src = tuple(range(i, i + n))
        tgt = tuple(range(len(flat), len(flat) + len(sentences)))
        flat.extend(sentences)
        i += n
        if src and not tgt:
            gold.extend(((s,), ()) for s in src)
        elif tgt and not src:
            gold.extend(((), (t,)) for t in tgt)
        else:
            gold.append((src, tgt))
    return Bitext(DOC, sources, flat, gold)


def write_project(root: Path, bitext: Bitext) -> Path:
    """The project and the translation file: paragraphs of the English of four beads,
    hard-wrapped; headings (no full stop) stand alone, and a paragraph ends early where the
    splitter would not cut it as the gold does, so that the file's sentences are the
    gold's."""
    from workbench.core.align.languages import target_language

    english = target_language()
    (root / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "glossary", root / "glossary")
    (root / "aligned").mkdir()
    (root / "sources" / f"{DOC}.ja.txt").write_text("\n".join(bitext.sources) + "\n",
                                                     encoding="utf-8")
    paragraphs: list[str] = []
    current: list[str] = []
    for k, (_, tgt) in enumerate(bitext.gold):
        for j in tgt:
            sentence = bitext.targets[j]
            heading = not sentence.rstrip("\"'”’)").endswith((".", "!", "?"))
            if current and (heading or english.split(" ".join([*current, sentence]))
                            != [*current, sentence]):
                paragraphs.append(" ".join(current))
                current = []
            current.append(sentence)
            if heading:
                paragraphs.append(sentence)
                current = []
        if k % 4 == 3 and current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    translation = root / "translation.en.txt"
    translation.write_text("\n\n".join(textwrap.fill(p, 76) for p in paragraphs) + "\n",
                           encoding="utf-8")
    return translation


def workbench(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "workbench", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, check=True)


def as_beads(found: list[dict[str, list[int]]]) -> list[Bead]:
    """The CLI's JSON beads as sentence indices (ordinals are 1-based; the targets come in
    order, so their indices count up)."""
    out: list[Bead] = []
    at = 0
    for bead in found:
        src = tuple(o - 1 for o in bead["segments"])
        out.append((src, tuple(range(at, at + len(bead["target"])))))
        at += len(bead["target"])
    return out


def nltk_beads(source_lengths: list[int], target_lengths: list[int], ratio: float
               ) -> list[Bead]:
    """nltk's Gale-Church alignment as beads (its links grouped; the unlinked alone)."""
    from nltk.translate import gale_church

    class Params(gale_church.LanguageIndependent):
        AVERAGE_CHARACTERS = ratio
        VARIANCE_CHARACTERS = 6.8 * ratio

    links = gale_church.align_blocks(source_lengths, target_lengths, Params)
    beads: dict[int, tuple[set[int], set[int]]] = {}
    src_bead: dict[int, int] = {}
    tgt_bead: dict[int, int] = {}
    for s, t in links:
        k = src_bead.get(s, tgt_bead.get(t, len(beads)))
        group = beads.setdefault(k, (set(), set()))
        group[0].add(s)
        group[1].add(t)
        src_bead[s] = tgt_bead[t] = k
    out = [(tuple(sorted(a)), tuple(sorted(b))) for a, b in beads.values()]
    out += [((s,), ()) for s in range(len(source_lengths)) if s not in src_bead]
    out += [((), (t,)) for t in range(len(target_lengths)) if t not in tgt_bead]
    return out


def subset(bitext: Bitext, count: int) -> Bitext:
    """The first `count` source sentences and the targets of their gold beads."""
    gold: list[Bead] = []
    last_target = -1
    for src, tgt in bitext.gold:
        if src and src[-1] >= count:
            break
        gold.append((src, tgt))
        last_target = max([last_target, *tgt])
    n = max((s for src, _ in gold for s in src), default=-1) + 1
    return Bitext("subset", bitext.sources[:n], bitext.targets[:last_target + 1], gold)


def _children_cpu() -> float:
    """CPU time (user and system) of the finished child processes so far: on a machine
    others share, wall time says as much about them as about the aligner."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--targets", type=int, default=11_000)
    parser.add_argument("--subset", type=int, default=500,
                        help="Japanese sentences nltk aligns (its time is scaled up).")
    args = parser.parse_args()
    from workbench.core.align.aligner import align_texts, length
    from workbench.core.align.jmdict import Dictionary
    from workbench.core.align.languages import target_language
    from workbench.core.glossary.folder import load_glossary

    bitext = build(args.segments, args.targets)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        translation = write_project(root, bitext)
        start = time.perf_counter()
        workbench(root, "ingest")
        ingest_time = time.perf_counter() - start
        workbench(root, "status")       # the first command after an ingest normalizes
        start = time.perf_counter()
        cpu = _children_cpu()
        done = workbench(root, "align", DOC, str(translation), "--dry-run", "--format", "json")
        ours_time = time.perf_counter() - start
        ours_cpu = _children_cpu() - cpu
        found = json.loads(done.stdout)
        english = target_language()
        split = [s.text for s in english.sentences(
            translation.read_text(encoding="utf-8")).sentences]
    if split != bitext.targets:
        raise SystemExit(f"the translation file splits into {len(split)} sentences, not the "
                         f"{len(bitext.targets)} of the gold")
    ours = score([bitext.gold], [as_beads(found)])
    print(f"pair: {len(bitext.sources)} Japanese segments x {len(bitext.targets)} English "
          f"sentences ({len(split)} as split from the file)")
    print(f"ingest of the source (not timed below): {ingest_time:.1f} s")
    print(f"ours, workbench align --dry-run end to end: {ours_time:.1f} s wall, "
          f"{ours_cpu:.1f} s CPU; F1 strict {ours.f1_strict:.3f}, lax {ours.f1_lax:.3f}")

    small = subset(bitext, args.subset)
    glossary = load_glossary(REPO / "glossary")
    start = time.perf_counter()
    mine = align_texts(small.sources, small.targets, english, glossary=glossary,
                       dictionary=Dictionary(english))
    ours_small = time.perf_counter() - start
    ours_small_score = score([small.gold], [[(b.source, b.target) for b in mine.beads]])
    src_len = [max(1, round(length(s))) for s in small.sources]
    tgt_len = [max(1, round(length(t))) for t in small.targets]
    ratio = sum(tgt_len) / sum(src_len)
    start = time.perf_counter()
    theirs = nltk_beads(src_len, tgt_len, ratio)
    nltk_time = time.perf_counter() - start
    theirs_score = score([small.gold], [theirs])
    scale = (len(bitext.sources) * len(bitext.targets)) / (len(small.sources)
                                                            * len(small.targets))
    print(f"subset: {len(small.sources)} x {len(small.targets)} sentences "
          f"({scale:.0f}x fewer grid cells)")
    print(f"ours on the subset, in process: {ours_small:.2f} s; F1 strict "
          f"{ours_small_score.f1_strict:.3f}, lax {ours_small_score.f1_lax:.3f}")
    print(f"nltk gale_church.align_blocks on the subset: {nltk_time:.2f} s; F1 strict "
          f"{theirs_score.f1_strict:.3f}, lax {theirs_score.f1_lax:.3f}")
    print(f"nltk scaled to the whole pair: {nltk_time * scale:.0f} s "
          f"(subset time x {scale:.0f})")
    print(f"ratio (nltk scaled / ours end to end): {nltk_time * scale / ours_time:.0f}x; "
          f"on the subset alone: {nltk_time / ours_small:.1f}x")


if __name__ == "__main__":
    main()
