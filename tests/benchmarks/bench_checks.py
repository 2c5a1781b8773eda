"""Benchmark: the per-segment QA checks (`check_segments`) over 20,000 segments: the
segments of the demo sources, repeated (nothing in the checks caches by text).

Four kinds of translation are timed: an echo MT (the Japanese copied, as an MT that cannot
translate leaves it) and an English MT, each not yet normalized (every segment is enforced in
the check, as for a reviewer's final text) and with its normalized text stored and fresh for
the glossary (what a project holds after `workbench translate`). The English is made up:
filler words around the names of the source, written canonically, as an `en_variant`,
misspelt, left in Japanese or left out, and the numbers of the source.

The checks run as `workbench check` runs them: spelling included, with the English dictionary
loaded before the timing (its one-off load is printed apart). Without a dictionary installed
the figures leave spelling out and say so.

Anchor: `glossary.find_all` over the same sources, timed in the same run (the checks run it
once themselves). Times are CPU time of this process (`time.process_time`), best of N.

    python tests/benchmarks/bench_checks.py [--segments N] [--repeat N]

Prints one line per figure and ends with the ratios (checks / find_all: lower is better).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from timing import best_of

from workbench.core.checks import check_context, check_segments
from workbench.core.enforce import enforce, normalized_stamp
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary, Hit
from workbench.core.numbers import japanese_numbers
from workbench.core.records import SegmentRecord
from workbench.core.segment import segment_file

FILLER = ("the", "government", "of", "said", "that", "relations", "between", "and", "were",
          "strengthened", "in", "a", "joint", "statement", "on", "energy", "security", "trade",
          "with", "its", "neighbours", "during", "visit", "to", "president", "minister",
          "foreign", "talks", "agreement", "signed", "by", "both", "sides", "cooperation")


def english_for(source: str, hits: list[Hit], rng: random.Random) -> str:
    """A made-up English translation naming the hits of `source` in various ways."""
    words = rng.choices(FILLER, k=max(6, len(source) // 4))
    for hit in hits:
        entry, roll = hit.entry, rng.random()
        if roll < 0.7:
            name = entry.rendering
        elif roll < 0.8:
            name = rng.choice(entry.en_variants) if entry.en_variants else entry.rendering
        elif roll < 0.85 and len(entry.rendering) >= 6:
            at = rng.randrange(1, len(entry.rendering) - 1)
            name = entry.rendering[:at] + entry.rendering[at + 1:]     # a letter dropped
        elif roll < 0.9:
            name = hit.surface                                          # left in Japanese
        else:
            continue                                                    # left out
        words.insert(rng.randrange(len(words) + 1), name)
    numbers = [f"{v:g}" for v in sorted(japanese_numbers(source))]
    return " ".join(["The", *words, *numbers]) + "."


def build(count: int, glossary: Glossary) -> dict[str, list[SegmentRecord]]:
    """Records with echo and English MT, not normalized and normalized (stored, fresh)."""
    seeds = [s.source for p in sorted((REPO / "sources").glob("*.txt"))
             for s in segment_file(p).segments]
    sources = [seeds[i % len(seeds)] for i in range(count)]
    hits = glossary.find_all(sources)
    rng = random.Random(20240601)
    english = [english_for(s, h, rng) for s, h in zip(sources, hits, strict=True)]

    def records(mts: list[str], normalize: bool) -> list[SegmentRecord]:
        out = []
        for i, (source, mt, found) in enumerate(zip(sources, mts, hits, strict=True)):
            normalized = enforce(source, mt, found, glossary=glossary).text if normalize \
                else None
            out.append(SegmentRecord.of(
                id=f"s{i}", doc=f"doc{i % 4}", ordinal=i, source=source, line_start=i,
                line_end=i, mt=mt, mt_engine="bench",
                normalized=normalized,
                normalized_glossary=normalized_stamp(glossary) if normalize else None,
                status="draft"))
        return out

    return {"echo MT": records(sources, False), "English MT": records(english, False),
            "echo MT, normalized and stored": records(sources, True),
            "English MT, normalized and stored": records(english, True)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()

    glossary = load_glossary(REPO / "glossary")
    kinds = build(args.segments, glossary)
    sources = [r.source for r in kinds["echo MT"]]
    start = time.perf_counter()
    context = check_context(glossary)
    loaded = time.perf_counter() - start
    check_segments(kinds["echo MT"][:200], glossary, context)  # warm up (automaton, caches)

    # CPU time of this process, each run after a collection
    best_cpu = partial(best_of, clock=time.process_time, collect=True)
    anchor, _ = best_cpu(args.repeat, lambda: glossary.find_all(sources))
    n = len(sources)
    print(f"segments: {n:,}, {sum(map(len, sources)) / n:.0f} characters each; "
          f"glossary: {len(glossary)} entries")
    print("spelling: " + (f"dictionary loaded in {loaded:.2f} s (wall), apart from the timings"
                          if context.speller is not None else context.notes[0]))
    print(f"anchor glossary.find_all: {anchor:.3f} s, {n / anchor:,.0f} segments/s")
    ratios = []
    for label, records in kinds.items():
        seconds, issues = best_cpu(args.repeat, partial(check_segments, records, glossary,
                                                         context))
        assert isinstance(issues, list)
        ratios.append((label, seconds / anchor))
        print(f"check_segments, {label}: {seconds:.3f} s, {n / seconds:,.0f} segments/s, "
              f"{seconds / n * 1e6:.0f} µs/segment, {len(issues):,} issues")
    print("ratio (check_segments / find_all): " +
          ", ".join(f"{label} {ratio:.1f}x" for label, ratio in ratios))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
