"""Load test: 8 reviewer processes accepting and editing segments of one PostgreSQL project at
once, some of them on the same segments on purpose, for a bounded time on the loopback.

Each reviewer loops: pick a segment (a share of picks from a small "hot" set every reviewer
works on, the rest from its own range), read it, and write a new final text and status
conditional on the version it read, timing the write. Afterwards the state is checked:

- no accepted write was lost: on every segment the accepted writes made versions 1..N with
  no gap and no double, the segment holds the text of the last one, and the history holds a
  row for every one of them;
- every conflict was reported to exactly one writer: of the writers that read the same
  version of a segment, exactly one got through and each of the others got a Conflict (with
  the newer version in it); no write failed any other way.

Anchor: one reviewer alone doing the same on its own database, in the same run.

    python tests/benchmarks/bench_team.py [--url URL] [--seconds 60] [--reviewers 8]

URL is a PostgreSQL server on this machine (a Unix socket, localhost or 127.0.0.1) where
databases may be created: by default $WORKBENCH_TEST_PG (`. .ci/postgres start`). Prints one
line per figure, each ending with a ratio; exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from workbench.core.ingest import sync
from workbench.core.project import Conflict, Project
from workbench.core.settings import write_state_url

SEGMENTS = 400
HOT = 6
"""Segments every reviewer works on (the conflicts come from there)."""
HOT_SHARE = 0.25
LOOPBACK = {"", "localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Attempt:
    """One conditional write: the segment, the version read, and what came of it."""

    reviewer: str
    segment_id: str
    expected: int
    outcome: str            # "ok" | "conflict" | "error: …"
    version: int            # the version written (ok) or found (conflict)
    text: str
    seconds: float


def database_url(server: str, name: str) -> str:
    head, sep, query = server.partition("?")
    scheme, _, rest = head.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/{name}{sep}{query}"


def loopback_only(url: str) -> None:
    parts = urlsplit(url)
    hosts = [parts.hostname or ""] + parse_qs(parts.query).get("host", [])
    if any(not h.startswith("/") and h not in LOOPBACK for h in hosts if h):
        sys.exit(f"bench_team runs on the loopback only; {parts.hostname} is not")


def make_project(root: Path, url: str) -> list[str]:
    """A project of SEGMENTS sentences whose state is the database at `url`; their ids."""
    for sub in ("sources", "glossary", "aligned"):
        (root / sub).mkdir(parents=True)
    sentences = [f"第{n}回の会談で、両国の首脳は協力の拡大について{n % 7}点を確認した。"
                 for n in range(1, SEGMENTS + 1)]
    (root / "sources" / "talks.ja.txt").write_text("\n\n".join(sentences) + "\n",
                                                  encoding="utf-8")
    (root / "glossary" / "names.tsv").write_text("en\tja\ttype\n", encoding="utf-8")
    write_state_url(root, url)
    with Project.open(root) as project:
        sync(project)
        return [r.id for r in project.segments()]


def reviewer(args: tuple[str, str, list[str], list[str], float, int]) -> list[Attempt]:
    """One reviewer's loop until the deadline (run in a process of its own)."""
    root, name, own, hot, deadline, seed = args
    rng = random.Random(seed)
    attempts: list[Attempt] = []
    with Project.open(root, user=name) as project:
        count = 0
        while time.time() < deadline:
            pool = hot if hot and rng.random() < HOT_SHARE else own
            seg_id = rng.choice(pool)
            seen = project.segment(seg_id)
            count += 1
            text = f"{name} edit {count}: {seen.source[:12]}"
            status = rng.choice(("reviewed", "draft", "approved"))
            start = time.perf_counter()
            try:
                written = project.update(seg_id, final=text, status=status,
                                         expected_version=seen.version)
                outcome, version = "ok", written.version
            except Conflict as conflict:
                outcome, version = "conflict", conflict.theirs.version
            except Exception as exc:    # reported as a failed check
                outcome, version = f"error: {exc}", -1
            attempts.append(Attempt(name, seg_id, seen.version, outcome, version, text,
                                    time.perf_counter() - start))
    return attempts


def run(root: Path, ids: list[str], reviewers: int, seconds: float,
        hot: list[str]) -> tuple[list[Attempt], float]:
    cold = [i for i in ids if i not in hot]
    deadline = time.time() + 3 + seconds       # the processes start within 3 s
    jobs = [(str(root), f"reviewer{n + 1}", cold[n::reviewers], hot, deadline, n)
            for n in range(reviewers)]
    with multiprocessing.get_context("spawn").Pool(reviewers) as pool:
        results = pool.map(reviewer, jobs)
    return [a for r in results for a in r], seconds


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def verify(root: Path, attempts: list[Attempt]) -> list[str]:
    """What the checks of the module found wrong (nothing: an empty list)."""
    problems = [f"{a.reviewer}: {a.outcome}" for a in attempts
                if a.outcome not in ("ok", "conflict")]
    accepted: dict[str, list[Attempt]] = defaultdict(list)
    by_read: dict[tuple[str, int], list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_read[(a.segment_id, a.expected)].append(a)
        if a.outcome == "ok":
            accepted[a.segment_id].append(a)
    with Project.open(root, write=False) as project:
        records = {r.id: r for r in project.segments()}
        written = defaultdict(set)
        for h in project.history():
            if h.field == "final":
                written[h.segment_id].add((h.new, h.by))
    for seg_id, oks in accepted.items():
        versions = sorted(a.version for a in oks)
        record = records[seg_id]
        if versions != list(range(1, record.version + 1)):
            problems.append(f"{seg_id}: accepted versions {versions[:5]}… but the segment is "
                            f"at version {record.version}")
        if any(a.version != a.expected + 1 for a in oks):
            problems.append(f"{seg_id}: a write skipped a version")
        last = max(oks, key=lambda a: a.version)
        if record.final != last.text:
            problems.append(f"{seg_id}: holds {record.final!r}, not the last accepted write")
        missing = {(a.text, a.reviewer) for a in oks} - written[seg_id]
        if missing:
            problems.append(f"{seg_id}: {len(missing)} accepted writes missing from history")
    for (seg_id, version), group in by_read.items():
        winners = [a for a in group if a.outcome == "ok"]
        losers = [a for a in group if a.outcome == "conflict"]
        if len(winners) > 1 or (losers and not winners):
            problems.append(f"{seg_id} v{version}: {len(winners)} writers got through")
        if any(a.version <= version for a in losers):
            problems.append(f"{seg_id} v{version}: a conflict without a newer version")
    untouched = [i for i, r in records.items() if i not in accepted and r.version]
    if untouched:
        problems.append(f"{len(untouched)} segments changed by no accepted write")
    return problems


def figures(attempts: list[Attempt], seconds: float) -> tuple[float, float, int]:
    ok = [a for a in attempts if a.outcome == "ok"]
    return len(ok) / seconds, p95([a.seconds for a in attempts]), \
        sum(a.outcome == "conflict" for a in attempts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("WORKBENCH_TEST_PG", ""),
                        help="a PostgreSQL server on this machine (default $WORKBENCH_TEST_PG)")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--reviewers", type=int, default=8)
    args = parser.parse_args()
    if not args.url:
        sys.exit("no PostgreSQL server: give --url or set WORKBENCH_TEST_PG "
                 "(`. .ci/postgres start`)")
    loopback_only(args.url)
    import psycopg

    names = [f"wbbench_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-team-"))
    with psycopg.connect(args.url, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8 '
                         "LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        solo_root, team_root = tmp / "solo", tmp / "team"
        solo_ids = make_project(solo_root, database_url(args.url, names[0]))
        team_ids = make_project(team_root, database_url(args.url, names[1]))
        solo_seconds = max(3.0, args.seconds / 4)
        solo, _ = run(solo_root, solo_ids, 1, solo_seconds, [])
        team, _ = run(team_root, team_ids, args.reviewers, args.seconds, team_ids[:HOT])
        solo_rate, solo_p95, _ = figures(solo, solo_seconds)
        rate, team_p95, conflicts = figures(team, args.seconds)
        problems = verify(team_root, team) + verify(solo_root, solo)
        hot_tries = sum(a.segment_id in team_ids[:HOT] for a in team)
        n = args.reviewers
        print(f"accepted writes/s, {n} reviewers: {rate:.0f} "
              f"({rate / solo_rate:.2f}x one reviewer alone: {solo_rate:.0f})")
        print(f"p95 write latency, {n} reviewers: {1000 * team_p95:.1f} ms "
              f"({team_p95 / solo_p95:.2f}x one reviewer alone: {1000 * solo_p95:.1f} ms)")
        print(f"conflicts detected: {conflicts} of {len(team)} writes "
              f"({conflicts / max(1, hot_tries):.2f}x the writes to the {HOT} shared segments)")
        lost = sum(any(w in p for w in ("accepted", "holds", "history", "skipped"))
                   for p in problems)
        accepted = len(team) - conflicts
        print(f"accepted writes lost: {lost} of {accepted} "
              f"({lost / max(1, accepted):.2f}x the accepted writes; the target is 0)")
        told = sum(1 for p in problems if "got through" in p or "conflict without" in p)
        print(f"contested reads without exactly one winner: {told} "
              f"({told / max(1, conflicts):.2f}x the conflicts; the target is 0)")
        failed = sum(p.count(": error") for p in problems)
        print(f"writes that failed otherwise: {failed} "
              f"({failed / max(1, len(team)):.2f}x the writes; the target is 0)")
        for problem in problems[:20]:
            print(f"FAILED: {problem}")
        return 1 if problems else 0
    finally:
        with psycopg.connect(args.url, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
