"""False positives: an issue marked ignored is kept in the state with who and when, left out
of the checks, and comes back when its segment's text changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.checks import IgnoreList
from workbench.core.checks.ignore import find_issues
from workbench.core.errors import ProjectError
from workbench.core.glossary.folder import load_glossary
from workbench.core.ingest import sync
from workbench.core.pipeline import check_project, refresh_document
from workbench.core.project import Project
from workbench.core.records import Issue
from workbench.core.state import MIGRATIONS

REPEATED = "The the two sides will strengthen the exchange of information."


def _segment(project: Project, fragment: str) -> str:
    return next(r.id for r in project.segments() if fragment in r.source)


@pytest.fixture
def project(demo_project: Path) -> Project:
    with Project.open(demo_project) as opened:
        sync(opened)
        seg = _segment(opened, "双方は情報交換を強化し")
        opened.update(seg, final=REPEATED, status="reviewed")
        yield opened


def repeated(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.check == "repeated-word"]


def test_the_state_keeps_the_ignored_issues(project: Project) -> None:
    assert "0007-ignored-issues" in [m.name for m in MIGRATIONS]
    assert "0007-ignored-issues" in project.db.applied_migrations()
    assert "ignored_issues" in project.db.tables()


def test_an_ignored_issue_is_left_out_until_its_text_changes(project: Project) -> None:
    glossary = load_glossary(project.glossary_dir)
    report = check_project(project, glossary)
    [issue] = repeated(report.issues)
    assert issue.id == repeated(check_project(project, glossary).issues)[0].id   # stable
    [entry] = IgnoreList(project).ignore(issue, by="ana")
    assert (entry.issue_id, entry.check, entry.by, entry.message) == (
        issue.id, "repeated-word", "ana", issue.message)
    assert entry.at.endswith("Z")
    report = check_project(project, glossary)
    assert repeated(report.issues) == [] and repeated(report.ignored) == [issue]
    state = refresh_document(project, issue.doc, glossary)       # what the workbench shows
    assert repeated(state.report.issues) == []
    # ignoring again keeps who ignored it first
    assert IgnoreList(project).ignore([issue], by="bo")[0].by == "ana"
    # the segment is edited and the finding is still there: it is a new one, reported
    project.update(issue.segment_id or "", final=REPEATED.replace("two", "both"))
    report = check_project(project, glossary)
    [back] = repeated(report.issues)
    assert back.id != issue.id and report.ignored == []
    # put back as it was, the text is the one that was ignored
    project.update(issue.segment_id or "", final=REPEATED)
    assert repeated(check_project(project, glossary).issues) == []
    assert IgnoreList(project).unignore([issue.id, "nothing"]) == 1
    assert repeated(check_project(project, glossary).issues) == [issue]


def test_an_unknown_id_says_where_ids_are_shown(project: Project) -> None:
    issues = check_project(project, load_glossary(project.glossary_dir)).issues
    with pytest.raises(ProjectError, match="no issue with id 'ffffffffff'") as exc:
        find_issues(issues, ["ffffffffff"])
    assert "`workbench check` shows each issue's id" in str(exc.value)


def test_the_review_session_hides_ignored_issues_and_checks_as_the_batch_does(
        project: Project) -> None:
    from workbench.core.checks import check_records
    from workbench.core.session import ReviewSession

    seg = _segment(project, "双方は情報交換を強化し")
    doc = project.segment(seg).doc
    project.update(seg, final="The the two sides will strengthen the exchange of informaton.")
    session = ReviewSession.open(project, doc)
    session.set_records(project.segments(doc))
    record = session.record(seg)
    report = check_records(session.records, session.glossary)      # the worker's check
    session.set_issues(report.issues, (r.id for r in session.records))
    batch = sorted(i.check for i in report.issues if i.segment_id == seg)
    assert "spelling" in batch and "repeated-word" in batch
    assert sorted(i.check for i in session.view_of(record).issues) == batch
    [issue] = [i for i in session.view_of(record).issues if i.check == "repeated-word"]
    session.ignore(issue, by="ana")
    assert "repeated-word" not in {i.check for i in session.view_of(record).issues}
    assert IgnoreList(project).entries()[issue.id].by == "ana"
    reopened = ReviewSession.open(project, doc)
    reopened.set_records(project.segments(doc))
    reopened.set_issues(report.issues, (r.id for r in reopened.records))
    assert "repeated-word" not in {i.check for i in reopened.issues[seg]}
