"""Segment repair: merge, split, shift and undo keep the work, keep ids, survive an ingest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from projects import make_project

from workbench.core.errors import ProjectError
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.repair import (
    merge,
    merged_id,
    repairs,
    replay,
    shift,
    split,
    undo,
)
from workbench.core.segment import segment_text

DOC = "doc"
SOURCES = ("ロシアは2024年に新しい予算を採択した。", "この予算は国防費を増やした。",
           "会議は東京で開かれた。", "両国は協力で合意した。")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = make_project(tmp_path / "proj", SOURCES, doc=DOC)
    opened = Project.open(root)
    sync(opened)
    records = opened.segments(DOC)
    opened.set_mt([(r.id, f"MT {k}.", "engine") for k, r in enumerate(records)])
    opened.update(records[0].id, final="Russia adopted a budget.", status="reviewed", by="ann")
    opened.update(records[1].id, final="It raised defence spending.", status="reviewed",
                  by="ann")
    opened.update(records[2].id, final="The meeting was in Tokyo. Both agreed.", by="bob")
    yield opened
    opened.close()


def test_merge_joins_the_work_and_keeps_the_parts(project: Project) -> None:
    first, second, *_ = project.segments(DOC)
    done = merge(project, first.id, by="cy")
    made = done.segments[0]
    assert made.id == merged_id(first.id, second.id)
    assert made.source == SOURCES[0] + SOURCES[1]
    assert made.final == "Russia adopted a budget. It raised defence spending."
    assert made.status == "reviewed"                 # both parts were reviewed
    assert made.mt == "MT 0. MT 1." and made.mt_engine == "engine"
    assert [r.ordinal for r in project.segments(DOC)] == [1, 2, 3]
    history = project.history(made.id)
    assert [h.field for h in history] == ["final", "status", "final", "status", "merge"]
    assert history[0].by == "ann" and history[-1].by == "cy"
    # The parts are kept, work and all, and come back on undo.
    back = undo(project, DOC)
    assert [r.id for r in back.segments] == [first.id, second.id]
    assert [(r.final, r.status) for r in project.segments(DOC)][:2] == \
        [(first.final, "reviewed"), (second.final, "reviewed")]
    assert not repairs(project, DOC)


def test_split_shares_the_work_by_sentence(project: Project) -> None:
    third = project.segments(DOC)[2]
    done = split(project, third.id, len("会議は東京で"))
    head, tail = done.segments
    assert (head.source, tail.source) == ("会議は東京で", "開かれた。")
    assert (head.final, tail.final) == ("The meeting was in Tokyo.", "Both agreed.")
    assert (head.ordinal, tail.ordinal) == (3, 4) and project.segments(DOC)[-1].ordinal == 5
    assert any(h.field == "split" for h in project.history(tail.id))
    assert any(h.by == "bob" and h.field == "final" for h in project.history(tail.id))
    # The same split again makes the same ids.
    undo(project, DOC)
    assert [r.id for r in split(project, third.id, len("会議は東京で")).segments] == \
        [head.id, tail.id]


def test_splitting_a_merge_where_it_was_joined_gives_the_parts_back(project: Project) -> None:
    first, second, *_ = project.segments(DOC)
    made = merge(project, first.id).segments[0]
    pieces = split(project, made.id, len(SOURCES[0])).segments
    assert [r.id for r in pieces] == [first.id, second.id]
    assert [(r.final, r.status) for r in pieces] == [(first.final, "reviewed"),
                                                     (second.final, "reviewed")]


def test_bad_repairs_are_refused_and_change_nothing(project: Project) -> None:
    records = project.segments(DOC)
    with pytest.raises(ProjectError, match="last of doc"):
        merge(project, records[-1].id)
    with pytest.raises(ProjectError, match="both parts must hold text"):
        split(project, records[0].id, 0)
    with pytest.raises(ProjectError, match="both parts must hold text"):
        split(project, records[0].id, len(SOURCES[0]))
    with pytest.raises(ProjectError, match="no translated sentence"):
        shift(project, records[3].id, "up")
    with pytest.raises(ProjectError, match="first of doc"):
        shift(project, records[0].id, "up")
    with pytest.raises(ProjectError, match="no repair of doc to undo"):
        undo(project, DOC)
    assert project.segments(DOC) == records


def test_shift_moves_a_sentence_and_undo_moves_it_back(project: Project) -> None:
    records = project.segments(DOC)
    done = shift(project, records[2].id, "down")
    assert [(r.final, r.status) for r in done.segments] == [
        ("The meeting was in Tokyo.", "new"), ("Both agreed.", "draft")]
    shift(project, records[2].id, "up")
    assert project.segment(records[1].id).final == \
        "It raised defence spending. The meeting was in Tokyo."
    assert project.segment(records[2].id).final is None
    undo(project, DOC)
    undo(project, DOC)
    assert [r.final for r in project.segments(DOC)] == [r.final for r in records]
    assert project.segment(records[3].id).status == "new"


def test_undo_of_a_move_edited_since_is_refused(project: Project) -> None:
    records = project.segments(DOC)
    shift(project, records[2].id, "down")
    project.update(records[3].id, final="Edited by hand.")
    with pytest.raises(ProjectError, match="edited since"):
        undo(project, DOC)
    assert project.segment(records[3].id).final == "Edited by hand."


def test_an_ingest_makes_the_repairs_again(project: Project) -> None:
    first, second, third, _ = project.segments(DOC)
    merged = merge(project, first.id).segments[0]
    pieces = split(project, third.id, len("会議は東京で")).segments
    before = project.segments(DOC)
    result = sync(project, force=True)
    assert not result.errors
    assert project.segments(DOC) == before
    assert result.documents[0].added == [] and result.documents[0].dropped == []
    # A changed source: the repairs whose segments are still there are made again.
    path = project.sources_dir / f"{DOC}.ja.txt"
    path.write_text("\n\n".join((SOURCES[0], "この予算は国防費を大幅に増やした。",
                                 *SOURCES[2:])) + "\n", encoding="utf-8")
    sync(project)
    ids = [r.id for r in project.segments(DOC)]
    assert merged.id not in ids and first.id in ids
    assert [p.id for p in pieces] == ids[2:4]


def test_replay_passes_over_what_is_not_there() -> None:
    segments = segment_text(DOC, "\n\n".join(SOURCES)).segments
    assert replay(segments, []) == segments


def test_a_repair_is_on_disk_when_the_call_returns(project: Project) -> None:
    """A process killed right after a merge (kill -9) leaves the merge in the state."""
    first = project.segments(DOC)[0]
    root = project.root
    project.close()
    code = ("import os, signal, sys\n"
            "from workbench.core.project import Project\n"
            "from workbench.core.repair import merge\n"
            f"p = Project.open({str(root)!r})\n"
            f"merge(p, {first.id!r})\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert proc.returncode == -9
    with Project.open(root) as again:
        assert again.segments(DOC)[0].source == SOURCES[0] + SOURCES[1]
        assert len(repairs(again, DOC)) == 1
