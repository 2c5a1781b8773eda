"""Ingest throughput: read + clean + segment ~10 MB of Japanese built from the seed sources.

Run: `python tests/benchmarks/bench_ingest.py [--mb 10]`. Prints one line per figure, ending
with MB/s and the ratio of its time to the anchor measured in the same run (a plain
`text.split("。")` over the same text), so figures compare across machines.
Target: the whole 10 MB (read + clean + segment) in under 2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from timing import best_of

from workbench.core.cleanup import Cleaned, clean
from workbench.core.decode import read_source
from workbench.core.segment import segment_cleaned, split_sentences

SOURCES = ROOT / "sources"
PDF_SEED = "diplomatic-bluebook-2025-russia-central-asia-caucasus.ja.txt"
T = TypeVar("T")


def build(seed_names: list[str], size: int) -> str:
    """Repeat the seeds (each copy ending in a newline) until the text is `size` bytes."""
    seeds = [(SOURCES / name).read_text(encoding="utf-8").rstrip("\n") + "\n\n"
             for name in seed_names]
    block = "".join(seeds)
    copies = max(1, size // len(block.encode("utf-8")))
    return block * copies


def split_units(cleaned: Cleaned) -> list[list[tuple[int, int]]]:
    return [split_sentences(u.text) for u in cleaned.units]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="total megabytes (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    half = int(args.mb * 1_000_000 / 2)
    plain_names = sorted(p.name for p in SOURCES.glob("*.txt") if p.name != PDF_SEED)
    texts = {"pdf": build([PDF_SEED], half), "plain": build(plain_names, half)}

    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, text in texts.items():
            paths[name] = Path(tmp) / f"bench-{name}.ja.txt"
            paths[name].write_text(text, encoding="utf-8")
        total_mb = sum(p.stat().st_size for p in paths.values()) / 1e6
        raw = {name: p.read_bytes() for name, p in paths.items()}

        anchor, _ = best_of(args.runs, lambda: [t.split("。") for t in texts.values()])
        rows: list[tuple[str, float, float]] = []
        rows.append(("anchor: text.split('。')", total_mb, anchor))
        t, _ = best_of(args.runs, lambda: [b.decode("utf-8") for b in raw.values()])
        rows.append(("bytes.decode('utf-8')", total_mb, t))
        t, decoded = best_of(args.runs, lambda: {n: read_source(p) for n, p in paths.items()})
        rows.append(("read_source (detect + normalise)", total_mb, t))
        for name in ("pdf", "plain"):
            mb = len(raw[name]) / 1e6
            text = decoded[name].text
            t, cleaned = best_of(args.runs, partial(clean, text))
            assert cleaned.layout == name, (name, cleaned.layout)
            rows.append((f"clean ({name})", mb, t))
            t, _ = best_of(args.runs, partial(split_units, cleaned))
            rows.append((f"split_sentences ({name})", mb, t))
            t, _ = best_of(args.runs, partial(segment_cleaned, name, cleaned))
            rows.append((f"segment_cleaned ({name}, ids + lines)", mb, t))

        def end_to_end() -> int:
            count = 0
            for name, path in paths.items():
                text = read_source(path).text
                count += len(segment_cleaned(name, clean(text)).segments)
            return count

        t, count = best_of(args.runs, end_to_end)
        rows.append((f"end to end: read + clean + segment ({count} segments)", total_mb, t))

    for label, mb, seconds in rows:
        print(f"{label:<58} {mb:6.2f} MB {seconds:7.3f} s {mb / seconds:8.1f} MB/s "
              f"x{seconds / anchor:6.1f} anchor")


if __name__ == "__main__":
    main()
