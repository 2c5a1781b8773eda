"""Benchmark: the glossary matcher, 10,000 generated entries plus the real glossary, over
100,000 segments (sentences of the demo sources with names substituted).

Anchor: a naive scan, `str.find` of every variant of every entry over each segment, timed in
the same run on a subset of the segments and scaled to all of them. The naive scan does not
even fold (it would miss ウラジーミルプチン); the matcher folds every segment, checks
boundaries, picks the longest of overlapping matches and maps each hit back to the original.

    python tests/benchmarks/bench_glossary.py [--segments N] [--entries N] [--naive N]

Times are CPU time of this process (`time.process_time`), so that other work on a shared
machine does not count; wall-clock time is printed beside the matcher's. The matcher's time
includes collecting the garbage collector's young generation after each call. Building the
automaton (once per glossary) is timed apart, not in the matcher's figures. Prints one line per
figure and ends with the ratio (targets: at least 100,000 segments/s, and at least 50 times
the naive scan).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.glossary.romaji import romanize
from workbench.core.segment import segment_file

SYLLABLES = (
    "ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ ホ",
    "マ ミ ム メ モ ヤ ユ ヨ ラ リ ル レ ロ ワ ガ ギ グ ゲ ゴ ザ ジ ズ ゼ ゾ ダ デ ド バ ビ ブ",
    "ベ ボ パ ピ プ ペ ポ ヴァ ヴィ ヴェ ヴォ シェ ジェ チェ ティ ディ ファ フィ フェ",
)
SYLLABLE_LIST = [s for line in SYLLABLES for s in line.split(" ")]


def generated_entries(count: int, rng: random.Random, taken: set[str]) -> list[Entry]:
    """Katakana names (a third of them given・family), some with a second spelling, and some
    Latin acronyms; no two fold alike, none folds like a real variant."""
    entries: list[Entry] = []
    while len(entries) < count:
        if rng.random() < 0.08:
            name = "".join(rng.choices("ABCDEFGHIJKLMNOPRSTUVWXYZ", k=rng.randint(3, 5)))
            variants = [name]
        else:
            parts = [_word(rng) for _ in range(2 if rng.random() < 0.35 else 1)]
            name = "・".join(parts)
            variants = [name]
            if rng.random() < 0.3:
                variants.append(_respell(name, rng))
        keys = {fold_key(v) for v in variants}
        if keys & taken or min(len(k) for k in keys) < 3:
            continue
        taken.update(keys)
        english = " ".join(w.capitalize() for w in romanize(name).split()) or name
        entries.append(Entry(f"{english} ({len(entries)})", tuple(dict.fromkeys(variants)),
                             "person" if "・" in name else "place"))
    return entries


def _word(rng: random.Random) -> str:
    word = "".join(rng.choices(SYLLABLE_LIST, k=rng.randint(2, 5)))
    if rng.random() < 0.4:
        cut = rng.randint(1, len(word) - 1)
        word = word[:cut] + "ー" + word[cut:]
    return word


def _respell(name: str, rng: random.Random) -> str:
    """Another spelling of the same name: what the folding rules are for."""
    spelling = name.replace("ヴァ", "バ").replace("ヴィ", "ビ").replace("ヴェ", "ベ")
    if rng.random() < 0.5:
        spelling = spelling.replace("・", "")
    if "ー" in spelling and rng.random() < 0.5:
        spelling = spelling.replace("ー", "", 1)
    elif "ー" not in spelling:
        spelling = spelling[:2] + "ー" + spelling[2:]
    return spelling


def build_segments(count: int, seeds: list[str], real: Glossary, generated: list[Entry],
                   rng: random.Random) -> list[str]:
    """Seed sentences with names replaced by generated ones (in any of their spellings,
    written with or without ・, sometimes in half-width katakana)."""
    seed_hits = real.find_all(seeds)
    out = []
    for i in range(count):
        k = i % len(seeds)
        text, hits = seeds[k], seed_hits[k]
        pieces, last = [], 0
        for hit in hits:
            if rng.random() < 0.6:
                entry = rng.choice(generated)
                spelling = rng.choice(entry.ja)
                if rng.random() < 0.2:
                    spelling = spelling.replace("・", "")
                pieces += [text[last:hit.start], spelling]
                last = hit.end
        pieces.append(text[last:])
        out.append("".join(pieces))
    return out


def naive_scan(texts: list[str], variants: list[str]) -> int:
    """For each variant, every occurrence in each text by `str.find`."""
    found = 0
    for text in texts:
        for variant in variants:
            at = text.find(variant)
            while at != -1:
                found += 1
                at = text.find(variant, at + 1)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=300,
                        help="segments the naive scan runs over (then scaled)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N matcher runs")
    args = parser.parse_args()

    rng = random.Random(20240601)
    real = load_glossary(REPO / "glossary")
    taken = {fold_key(v) for e in real.entries for v in e.ja}
    generated = generated_entries(args.entries, rng, taken)
    seeds = [s.source for p in sorted((REPO / "sources").glob("*.txt"))
             for s in segment_file(p).segments if real.find(s.source)]
    segments = build_segments(args.segments, seeds, real, generated, rng)
    variants = [v for e in [*real.entries, *generated] for v in e.ja]

    clock = time.process_time
    start = clock()
    glossary = Glossary([*real.entries, *generated])
    glossary.find("")
    built = clock() - start
    glossary.find_all(segments[:1000])          # warm up (lazy tables, caches)

    best = wall = float("inf")
    hits = 0
    for _ in range(args.repeat):
        start, start_wall = clock(), time.perf_counter()
        results = glossary.find_all(segments)
        # The matcher pauses the garbage collector; collecting the young objects it made
        # (one pass over every hit) is left to whatever runs next, so it is timed here.
        gc.collect(0)
        best = min(best, clock() - start)
        wall = min(wall, time.perf_counter() - start_wall)
        hits = sum(map(len, results))
        del results
    start = clock()
    for text in segments[:20_000]:
        glossary.find(text)
    one_by_one = (clock() - start) / min(20_000, len(segments))

    subset = segments[:args.naive]
    start = clock()
    naive_hits = naive_scan(subset, variants)
    naive = (clock() - start) / len(subset)

    per_segment = best / len(segments)
    chars = sum(map(len, segments)) / len(segments)
    print(f"glossary: {len(glossary):,} entries ({len(generated):,} generated), "
          f"{len(variants):,} variants")
    print(f"automaton built in {built:.2f} s")
    print(f"segments: {len(segments):,}, {chars:.0f} characters and {hits / len(segments):.2f} "
          f"hits each")
    print(f"matcher (find_all): {best:.2f} s CPU ({wall:.2f} s wall), "
          f"{1 / per_segment:,.0f} segments/s")
    print(f"matcher (find, one call per segment): {1 / one_by_one:,.0f} segments/s")
    print(f"naive scan ({len(variants):,} str.find per segment, on {len(subset)} segments, "
          f"{naive_hits / len(subset):.2f} hits each): {1 / naive:,.0f} segments/s, "
          f"{naive * len(segments):,.0f} s scaled to {len(segments):,}")
    print(f"ratio (matcher / naive): {naive / per_segment:,.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
