"""The review session without a UI: the filter menu, segments too long to work on whole, the
reviewer's place and typing kept in the state."""

from __future__ import annotations

from pathlib import Path

from workbench.core.glossary.model import Glossary
from workbench.core.ingest import sync
from workbench.core.pipeline import refresh_document
from workbench.core.project import Project
from workbench.core.records import SegmentRecord, cut_record
from workbench.core.session import ANY_ISSUE, VIEW_LIMIT, Filter, ReviewSession


def project_with(root: Path, *lines: str) -> Project:
    (root / "sources" / "doc.ja.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = Project.open(root)
    sync(project)
    return project


def test_cut_record_cuts_every_text_and_leaves_a_short_one_alone() -> None:
    record = SegmentRecord.of(id="s", doc="d", source="あ" * 10, mt="m" * 3, final="f" * 12)
    cut = cut_record(record, 5)
    assert cut is not None
    assert (cut.source, cut.mt, cut.final, cut.normalized) == ("あ" * 5, "mmm", "f" * 5, None)
    assert cut.id == record.id and cut.status == record.status
    assert cut_record(record, 12) is None


def test_a_long_segment_is_worked_on_up_to_the_limit(empty_project: Path) -> None:
    long = "バクーは首都です、" * (VIEW_LIMIT // 4)
    with project_with(empty_project, long, "短い文です。") as project:
        session = ReviewSession.open(project)
        session.set_records(project.segments("doc"))
        view = session.view_of(session.record_at(0))
        assert view.cut and len(view.display.source) == VIEW_LIMIT
        assert view.record.source == long                 # the record itself is whole
        assert view.normalized is None                     # none stored yet: nothing to accept
        short = session.view_of(session.record_at(1))
        assert not short.cut and short.normalized == short.enforced.text


def test_the_documents_checks_can_stop_at_a_limit(empty_project: Path) -> None:
    long = "バクーは首都です、" * 2000 + "。"
    with project_with(empty_project, long) as project:
        state = refresh_document(project, "doc", Glossary([]), check_limit=100)
        assert state.records[0].source == long
        assert all(len(i.source) <= 100 for i in state.report.issues)


def test_the_filter_menu_keeps_the_search_and_offers_the_checks_found(
        empty_project: Path) -> None:
    with project_with(empty_project, "バクーは首都です。") as project:
        session = ReviewSession.open(project)
        session.set_records(project.segments("doc"))
        session.apply_filter(Filter(query="バクー"))
        choices = {c.label: c.filter for c in session.filter_choices()}
        assert choices["all segments"] == Filter(query="バクー")
        assert choices["status draft"] == Filter(status="draft", query="バクー")
        assert choices["any issue"] == Filter(issue=ANY_ISSUE, query="バクー")
        assert not any(label.startswith("issue ") for label in choices)


def test_the_place_is_kept_in_the_state(empty_project: Path) -> None:
    with project_with(empty_project, "一。", "二。", "三。") as project:
        session = ReviewSession.open(project)
        records = project.segments("doc")
        session.set_records(records)
        assert session.remember(records[2].id) is True
        assert session.remember(records[2].id) is False     # nothing to write
        again = ReviewSession.open(project)
        again.set_records(records)
        assert again.start_position() == 2
