"""What the review screen asks of the memory: lookups with neighbours and what to prefetch,
origins named short, where a segment's last change came from, repeated sources."""

from __future__ import annotations

from pathlib import Path

from workbench.core.ingest import sync
from workbench.core.memory.repetitions import fill_repetitions
from workbench.core.memory.review import (
    origin_label,
    provenance,
    queries_from,
    query_at,
    repeated_sources,
)
from workbench.core.memory.units import THIS_PROJECT, Query, Unit
from workbench.core.project import Project
from workbench.core.records import SegmentRecord

SOURCES = "露はロシアの略です。\n外交関係は樹立された。\n露はロシアの略です。\n首都はバクーです。\n"


def records(*sources: str) -> list[SegmentRecord]:
    return [SegmentRecord.of(id=f"s{i}", doc="d", ordinal=i + 1, source=s)
            for i, s in enumerate(sources)]


def test_a_lookup_carries_the_neighbours_in_the_document_not_in_the_filtered_list() -> None:
    found = records("一。", "二。", "三。", "四。")
    assert query_at(found, 0) == Query("一。", None, "二。", "s0")
    assert query_at(found, 3) == Query("四。", "三。", None, "s3")
    # a filter shows 0, 2 and 3: the one at 2 is looked up first, then what comes after it
    wanted = queries_from(found, [0, 2, 3], 1, ahead=8)
    assert wanted == [Query("三。", "二。", "四。", "s2"), Query("四。", "三。", None, "s3")]
    assert queries_from(found, [0, 1, 2, 3], 0, ahead=1) == [query_at(found, 0),
                                                              query_at(found, 1)]


def test_origins_are_named_short() -> None:
    assert origin_label(Unit(1, "a", "b", THIS_PROJECT, "doc", ordinal=4)) == \
        "this project · doc #4"
    assert origin_label(Unit(1, "a", "b", "/home/x/projects/baku", "capitals")) == \
        "baku · capitals"
    assert origin_label(Unit(1, "a", "b", "client.tmx")) == "client.tmx"


def test_provenance_names_a_propagation_until_the_segment_is_changed_again(
        empty_project: Path) -> None:
    (empty_project / "sources" / "d.ja.txt").write_text(SOURCES, encoding="utf-8")
    with Project.open(empty_project) as project:
        sync(project)
        first, _, third, last = project.segments("d")
        assert repeated_sources(project) == {"露はロシアの略です。"}
        done = project.update(first.id, final="露 is Russia.", status="reviewed", origin="tui")
        fill_repetitions(project, [done])
        assert provenance(project, third.id) == "propagated from #1"
        assert provenance(project, first.id) is None          # typed by the reviewer
        assert provenance(project, last.id) is None           # never changed
        project.update(third.id, final="Russia.", origin="tui")
        assert provenance(project, third.id) is None
        project.update(last.id, final="Baku.", origin="memory 98% client.tmx")
        assert provenance(project, last.id) == "memory 98% client.tmx"
