"""Several reviewers on one project: racing writes, the change feed, the review session's
conflicts and live updates, "mine", assignments of bad ranges."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from projects import use_backend

from workbench.core.errors import ProjectError
from workbench.core.ingest import sync
from workbench.core.project import Conflict, Project
from workbench.core.session import Filter, ReviewSession
from workbench.core.team import assign, parse_target


def opened(root: Path, user: str) -> Project:
    project = Project.open(root, user=user)
    sync(project)
    return project


def test_racing_writers_one_wins_the_other_is_told(demo_project: Path, pg_url: str) -> None:
    """Two workbenches read the same version and write at once, round after round: exactly
    one write lands each time and the other gets a Conflict naming the winner's text."""
    use_backend(demo_project, pg_url)
    with opened(demo_project, "alice") as alice, opened(demo_project, "bob") as bob:
        ids = [r.id for r in alice.segments()[:30]]
        outcomes: dict[str, list[str]] = {"alice": [], "bob": []}
        barrier = threading.Barrier(2)

        def write(project: Project, name: str) -> None:
            for seg_id in ids:
                version = project.segment(seg_id).version
                barrier.wait()
                try:
                    project.update(seg_id, final=f"{name} {seg_id}", expected_version=version)
                    outcomes[name].append("won")
                except Conflict as conflict:
                    assert conflict.theirs.final.endswith(seg_id)
                    outcomes[name].append("lost")

        threads = [threading.Thread(target=write, args=(p, n))
                   for p, n in ((alice, "alice"), (bob, "bob"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for round_ in zip(outcomes["alice"], outcomes["bob"], strict=True):
            assert sorted(round_) == ["lost", "won"]
        for seg_id in ids:
            record = alice.segment(seg_id)
            assert record.version == 1 and len(alice.history(seg_id)) == 1


def test_the_change_feed_brings_others_writes_within_a_second(demo_project: Path,
                                                              pg_url: str) -> None:
    use_backend(demo_project, pg_url)
    with opened(demo_project, "alice") as alice, opened(demo_project, "bob") as bob, \
            alice.changes() as feed:
        first, second = alice.segments()[:2]
        alice.update(first.id, final="mine")                # its own: not announced to it
        start = time.monotonic()
        bob.update(second.id, final="bob's", status="reviewed")
        bob.update(second.id, final="bob's again")
        changes = feed.wait(2.0)
        assert time.monotonic() - start < 1.0
        assert [(c.segment_id, c.version, c.by) for c in changes] == [(second.id, 2, "bob")]
        assert feed.wait(0.1) == []
        closer = threading.Timer(0.1, feed.close)
        closer.start()
        start = time.monotonic()
        assert feed.wait(5.0) == []
        assert time.monotonic() - start < 1.0


def test_on_sqlite_the_feed_is_quiet_and_closes_at_once(demo_project: Path) -> None:
    with opened(demo_project, "alice") as project, project.changes() as feed:
        project.update(project.segments()[0].id, final="x")
        start = time.monotonic()
        assert feed.wait(0.2) == []
        assert time.monotonic() - start >= 0.2
        threading.Timer(0.05, feed.close).start()
        assert feed.wait(5.0) == [] and feed.closed


def test_the_session_refuses_a_stale_write_and_resolves_it(demo_on_backend: Path) -> None:
    with opened(demo_on_backend, "alice") as project:
        session = ReviewSession.open(project)
        session.set_records(project.segments(session.doc))
        seen = session.records[0]
        # another reviewer writes the segment the session shows
        project.update(seen.id, final="Bob's", status="reviewed", by="bob")
        with pytest.raises(Conflict) as caught:
            session.update(seen.id, final="Alice's", status="reviewed")
        conflict = caught.value
        assert session.records[0].final is None and session.undo_stack == []
        assert session.take_theirs(conflict) == [0]
        assert session.records[0].final == "Bob's"
        kept = session.keep_mine(conflict)
        assert (kept.final, kept.updated_by) == ("Alice's", "alice")
        # an undo over a newer change of someone else is refused too, and stays undoable
        project.update(seen.id, final="Bob's again", by="bob")
        with pytest.raises(Conflict):
            session.undo()
        assert len(session.undo_stack) == 1


def test_live_changes_replace_rows_without_moving_the_list(demo_on_backend: Path) -> None:
    with opened(demo_on_backend, "alice") as project:
        session = ReviewSession.open(project)
        session.set_records(project.segments(session.doc))
        session.apply_filter(Filter(status="new"))
        ids = [r.id for r in session.records[:3]]
        project.update(ids[1], final="theirs", status="reviewed", by="bob")
        old = project.segment(ids[2])
        fresh = project.records([ids[1]])
        assert session.apply_changes(fresh + [old]) == [1]
        assert len(session) == len(session.records)     # the filtered list is not redone
        assert session.record_at(1).final == "theirs" and session.done == 1
        assert session.apply_changes(fresh) == []       # nothing newer


def test_mine_filters_to_the_reviewers_segments(demo_on_backend: Path) -> None:
    with opened(demo_on_backend, "alice") as project:
        session = ReviewSession.open(project)
        session.set_records(project.segments(session.doc))
        assign(project, session.doc, 3, 5, "alice")
        assign(project, session.doc, 5, 5, "bob")
        session.apply_filter(Filter(mine=True))
        assert len(session) == 0        # not read yet
        session.load_assigned()
        assert [session.record_at(i).ordinal for i in range(len(session))] == [3, 4]
        assert session.filter.describe() == "mine"


@pytest.mark.parametrize(("target", "message"), [
    ("azerbaijan-russia:0-3", "empty"),
    ("azerbaijan-russia:9-3", "empty"),
    ("azerbaijan-russia:x", "not a segment range"),
    ("azerbaijan-russia:5000", "there is no #5000"),
    ("no-such-doc:1-3", "no document"),
])
def test_bad_ranges_are_refused(demo_project: Path, target: str, message: str) -> None:
    with opened(demo_project, "alice") as project, pytest.raises(ProjectError, match=message):
        parse_target(project, target)


def test_ranges_read_as_written(demo_project: Path) -> None:
    with opened(demo_project, "alice") as project:
        doc = "azerbaijan-russia-relations"
        assert parse_target(project, "azerbaijan-russia") == (doc, 1, None)
        assert parse_target(project, "azerbaijan-russia:7") == (doc, 7, 7)
        assert parse_target(project, "azerbaijan-russia:7-9") == (doc, 7, 9)
        assert parse_target(project, "azerbaijan-russia:7-") == (doc, 7, None)
        assert parse_target(project, "azerbaijan-russia:-9") == (doc, 1, 9)
