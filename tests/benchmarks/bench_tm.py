"""Benchmark: the translation memory at a million units.

The memory is made from the seeds (the sentences of the demo sources) as edited copies: a
glossary name swapped for another of its kind, a number changed, a few characters deleted,
inserted or replaced, or none (a plain repeat); every copy with English. It is written as a
TMX file and imported with `workbench tm import` in a child process (time and peak memory
of that process: parsing, storing and indexing). The queries are other edited copies of
the seeds (and some copies of units, for exact matches).

Anchor: brute force, `rapidfuzz.process.extract` over the token strings of every unit (the
strings our fuzzy score compares, built beforehand and not timed), in the same run. Our
lookup is timed whole: candidates from the index, scoring, the differences and repairs of
the matches returned.

    python tests/benchmarks/bench_tm.py [--units N] [--queries N] [--keep DIR]

Prints one line per figure and ends with the ratio (targets: exact ≤ 1 ms, fuzzy p95 ≤
50 ms, recall@1 ≥ 98% of brute force at ≥ 70%, ≥ 20× brute force, import of 1M units
≤ 60 s in ≤ 500 MB).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.memory.concordance import concordance
from workbench.core.memory.match import Matcher, Source, similarity
from workbench.core.memory.store import MemoryStore
from workbench.core.memory.units import Query
from workbench.core.segment import segment_file

T = TypeVar("T")
WORDS = ("the", "two", "countries", "agreed", "to", "strengthen", "cooperation", "in",
         "energy", "trade", "security", "and", "culture", "while", "ministers", "discussed",
         "regional", "stability", "joint", "statement", "issued", "after", "visit")


def seeds() -> list[str]:
    """The demo's sentences that are Japanese (a few are Russian titles: an import skips
    those as foreign)."""
    return [s.source for path in sorted((REPO / "sources").glob("*.txt"))
            for s in segment_file(path).segments
            if len(s.source) >= 4 and re.search("[\u3040-\u9fff]", s.source)]


class Editor:
    """Edited copies of the seeds: names swapped, numbers changed, characters edited."""

    def __init__(self, sentences: list[str], glossary: Glossary, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sentences = sentences
        self.hits = glossary.find_all(sentences)
        by_type: dict[str, list[str]] = {}
        for entry in glossary:
            for variant in entry.ja:
                if re.search("[\u3040-\u9fff]", variant):
                    by_type.setdefault(entry.type, []).append(variant)
        self.names = by_type
        self.chars = "".join(sorted(set("".join(sentences))))

    def copy(self) -> tuple[int, str]:
        rng = self.rng
        k = rng.randrange(len(self.sentences))
        text = self.sentences[k]
        roll = rng.random()
        if roll < 0.1:
            return k, text
        if roll < 0.3 and self.hits[k]:
            hit = rng.choice(self.hits[k])
            others = self.names.get(hit.entry.type) or [hit.surface]
            text = text[:hit.start] + rng.choice(others) + text[hit.end:]
        elif roll < 0.45 and re.search(r"\d", text):
            text = re.sub(r"\d+", lambda m: str(rng.randint(1, 2030)), text, count=1)
        edits = rng.randint(1, max(1, len(text) // 12))
        chars = list(text)
        for _ in range(edits):
            at = rng.randrange(len(chars) + 1)
            kind = rng.random()
            if kind < 0.4 and at < len(chars):
                chars[at] = rng.choice(self.chars)
            elif kind < 0.7 and at < len(chars) and len(chars) > 2:
                del chars[at]
            else:
                chars.insert(at, rng.choice(self.chars))
        return k, "".join(chars)


def write_tmx(path: Path, editor: Editor, count: int) -> None:
    """A TMX file of `count` edited copies."""
    rng = random.Random(3)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                  '<header creationtool="bench" creationtoolversion="1" segtype="sentence" '
                  'o-tmf="bench" adminlang="en-US" srclang="ja-JP" datatype="plaintext"/>\n'
                  "<body>\n")
        for i in range(count):
            _, source = editor.copy()
            english = " ".join(rng.choices(WORDS, k=rng.randint(12, 30))).capitalize() + "."
            date = f"20{rng.randint(10, 25):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            out.write(f'<tu changedate="{date}T120000Z" changeid="r{i % 7}">'
                      f'<tuv xml:lang="ja-JP"><seg>{escape(source)}</seg></tuv>'
                      f'<tuv xml:lang="en-US"><seg>{escape(english)}</seg></tuv></tu>\n')
        out.write("</body>\n</tmx>\n")


def import_child(tmx: Path, data: Path) -> tuple[float, float, float, str]:
    """`workbench tm import` in a child process: wall seconds, CPU seconds, peak RSS (MB),
    and what it printed."""
    env = dict(os.environ, XDG_DATA_HOME=str(data), PYTHONPATH=str(REPO))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from workbench.cli import main; main(sys.argv[1:])",
         "tm", "import", str(tmx)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        raise SystemExit(f"import failed: {proc.stderr}")
    return seconds, cpu, after.ru_maxrss / 1024, proc.stdout.strip()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def figures(wall: list[float], cpu: list[float]) -> str:
    return (f"median {statistics.median(wall) * 1000:.2f} ms, "
            f"p95 {percentile(wall, 0.95) * 1000:.2f} ms "
            f"(CPU: median {statistics.median(cpu) * 1000:.2f} ms, "
            f"p95 {percentile(cpu, 0.95) * 1000:.2f} ms)")


def timed(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall and CPU seconds of one call, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path,
                        help="Work in this folder and keep it; a memory already imported "
                             "there is used again (no new TMX, no import).")
    args = parser.parse_args()

    glossary = load_glossary(REPO / "glossary")
    sentences = seeds()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-tm-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    try:
        if not (data / "workbench" / "memory.sqlite").exists():
            tmx = work / "memory.tmx"
            started = time.perf_counter()
            write_tmx(tmx, Editor(sentences, glossary, 1), args.units)
            print(f"seeds: {len(sentences)} sentences; memory: {args.units:,} edited copies, "
                  f"TMX {tmx.stat().st_size / 1e6:.0f} MB written in "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
            seconds, cpu, peak, said = import_child(tmx, data)
            print(f"import of {args.units:,} units (parse, store, index; a child process): "
                  f"{seconds:.1f} s ({cpu:.1f} s of CPU), peak {peak:.0f} MB  [{said}]")
            tmx.unlink()

        store = MemoryStore(data / "workbench")
        matcher = Matcher([Source(store)], glossary)
        sources = [row[0] for row in store.db.query("SELECT source FROM units ORDER BY id")]
        rng = random.Random(11)
        editor = Editor(sentences, glossary, 2)
        fuzzy_queries = [editor.copy()[1] for _ in range(args.queries)]
        exact_queries = [sources[rng.randrange(len(sources))] for _ in range(args.queries)]

        matcher.lookup(Query(fuzzy_queries[0]))          # first use: maps the index
        exact_wall, exact_cpu = [], []
        for text in exact_queries:
            wall, cpu, found = timed(lambda t=text: matcher.lookup(Query(t), threshold=100))
            exact_wall.append(wall)
            exact_cpu.append(cpu)
            assert found and found[0].score >= 100, text
        print(f"exact lookups ({len(exact_queries)}): {figures(exact_wall, exact_cpu)}")

        began = time.perf_counter()
        choices = matcher.token_strings(sources)
        del sources
        print(f"brute force: token strings of {len(choices):,} units made in "
              f"{time.perf_counter() - began:.1f} s (not timed below)", file=sys.stderr)
        # Ours and the anchor query by query, so that both meet the same load.
        ours_wall, ours_cpu, brute_wall, brute_cpu = [], [], [], []
        hits = wanted = 0
        for text in fuzzy_queries:
            wall, cpu, found = timed(lambda t=text: matcher.lookup(Query(t)))
            ours_wall.append(wall)
            ours_cpu.append(cpu)
            query = matcher.token_strings([text])[0]
            wall, cpu, best = timed(lambda q=query: process.extract(
                q, choices, scorer=Levenshtein.normalized_similarity, score_cutoff=0.7,
                limit=5))
            brute_wall.append(wall)
            brute_cpu.append(cpu)
            top = max((similarity(query, choice) for choice, _, _ in best), default=0)
            if top >= 70:
                wanted += 1
                # Scores of 100 that are not the same source are 99 (our exact-match rule).
                ours = similarity(query, matcher.token_strings([found[0].source])[0]) \
                    if found else 0
                hits += min(ours, 99) >= min(top, 99)
        print(f"fuzzy lookups ({len(fuzzy_queries)}, ≥ 70%, best 5): "
              f"{figures(ours_wall, ours_cpu)}")
        print(f"brute force rapidfuzz.process.extract over {len(choices):,} units: "
              f"{figures(brute_wall, brute_cpu)}")
        print(f"recall@1 against brute force (queries with a match ≥ 70%: {wanted}): "
              f"{100 * hits / max(wanted, 1):.1f}%")
        for needle in ("外交", "露"):
            wall, cpu, found_occ = timed(lambda n=needle: concordance(n, store=store, limit=50))
            print(f"concordance {needle!r} ({len(found_occ)} shown of the memory): "
                  f"{wall * 1000:.0f} ms ({cpu * 1000:.0f} ms of CPU)")
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process (lookups, and the brute force's strings): "
              f"{peak_self:.0f} MB")
        store.close()
        ratio = statistics.median(brute_wall) / statistics.median(ours_wall)
        ratio_cpu = statistics.median(brute_cpu) / statistics.median(ours_cpu)
        print(f"ratio (brute force / fuzzy lookup, medians): {ratio:.1f}x "
              f"({ratio_cpu:.1f}x in CPU time) (target >= 20x)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
