"""Benchmark: a 100,000-segment project to a formatted bilingual workbook, against pandas.

Anchor: `pandas.DataFrame.to_excel` with default settings (its default engine, no styling)
on the same columns, timed in the same run. Ours is timed from the project state to the
file: reading the state, glossary matching and highlighting (rich text), the issues column,
styles, drop-down, frozen panes, widths, summary and import record. The QA checks that fill
the issues column belong to `workbench check` and are timed on their own line; the
end-to-end figure (`workbench export --format xlsx`, which runs them) is printed too.

    python tests/benchmarks/bench_export.py [--segments N]

Prints one line per figure and ends with the ratio (target: at least 2x).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def build_project(root: Path, segments: int) -> None:
    """A project whose sources hold `segments` distinct sentences, half of them reviewed."""
    from workbench.core.ingest import sync
    from workbench.core.project import Project

    rng = random.Random(7)
    corpus = []
    for path in sorted((REPO / "sources").glob("*.txt")):
        for chunk in path.read_text(encoding="utf-8").replace("\n", "").split("。"):
            chunk = chunk.strip()
            if 8 <= len(chunk) <= 120 and "?" not in chunk and "？" not in chunk:
                corpus.append(chunk)
    words = ["the", "foreign", "minister", "of", "Azerbaijan", "met", "Russia", "and",
             "Kazakhstan", "to", "discuss", "strategic", "partnership", "energy", "trade",
             "security", "cooperation", "in", "Baku", "Moscow"]
    (root / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "glossary", root / "glossary")
    (root / "aligned").mkdir()
    docs = 4
    per_doc = segments // docs
    for d in range(docs):
        count = per_doc if d < docs - 1 else segments - per_doc * (docs - 1)
        lines = [f"{rng.choice(corpus)}（第{d}-{i}項）。" for i in range(count)]
        (root / "sources" / f"bench-{d}.ja.txt").write_text("\n\n".join(lines) + "\n",
                                                             encoding="utf-8")
    with Project.open(root) as project:
        sync(project)
        records = project.segments()
        english = {r.id: " ".join(rng.choices(words, k=18)) + f" ({i})."
                   for i, r in enumerate(records)}
        project.set_mt((r.id, english[r.id], "bench") for r in records)
        project.set_normalized(((r.id, english[r.id]) for r in records), "bench")
        project.update_many(((r.id, english[r.id] + " Reviewed.", "reviewed")
                             for r in records[::2]), by="bench")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    args = parser.parse_args()

    import pandas as pd
    from pandas.io.excel._util import get_default_engine

    from workbench.core.checks import check_segments
    from workbench.core.exchange import write_bilingual_xlsx
    from workbench.core.formats.xlsx import COLUMNS
    from workbench.core.glossary.folder import load_glossary
    from workbench.core.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench"
        started = time.perf_counter()
        build_project(root, args.segments)
        print(f"setup: {args.segments} segments in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        with Project.open(root, write=False) as project:
            records = project.segments()
            frame = pd.DataFrame(
                [(r.id, r.ordinal, r.source, r.mt, r.normalized, r.final, r.status, "", "")
                 for r in records], columns=list(COLUMNS))
            started = time.perf_counter()
            frame.to_excel(Path(tmp) / "pandas.xlsx")
            anchor = time.perf_counter() - started

            started = time.perf_counter()
            glossary = load_glossary(project.glossary_dir)
            issues = check_segments(records, glossary)
            checks = time.perf_counter() - started

            started = time.perf_counter()
            docs = [d.name for d in project.documents()]
            path = write_bilingual_xlsx(project, docs, Path(tmp) / "bilingual.xlsx",
                                        glossary=glossary, issues=issues)
            ours = time.perf_counter() - started
        print(f"segments: {len(records)}")
        print(f"pandas.DataFrame.to_excel (engine {get_default_engine('xlsx', 'writer')}, "
              f"no formatting): {anchor:.2f} s, {(Path(tmp) / 'pandas.xlsx').stat().st_size:,} "
              "bytes")
        print(f"QA checks for the issues column ({len(issues)} issues): {checks:.2f} s")
        print(f"bilingual workbook, formatted, {len(docs)} sheets: {ours:.2f} s, "
              f"{path.stat().st_size:,} bytes")
        print(f"end to end incl. QA checks: {ours + checks:.2f} s "
              f"({anchor / (ours + checks):.2f}x)")
        print(f"ratio (pandas / formatted workbook): {anchor / ours:.2f}x (target >= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
