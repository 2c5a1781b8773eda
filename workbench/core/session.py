"""A review session: the project as a reviewer works through it, with no UI in it.

One document's segments in order, the filter over them (status, issue, text), the glossary,
the QA issues known so far and the undo stack. Every change goes through `Project.update`
and is on disk when the call returns; the session only mirrors what the project holds.
The TUI drives one; its thread workers may call the project directly (it is thread-safe),
but only the UI thread changes the session.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from workbench.core.checks import CheckContext, IgnoreList, check_segments, target_of
from workbench.core.checks.length import LengthModel, build_models
from workbench.core.checks.words import speller_for
from workbench.core.enforce import Enforced, enforce
from workbench.core.errors import WorkbenchError
from workbench.core.glossary.folder import glossary_stamp, load_glossary
from workbench.core.glossary.model import Glossary, Hit
from workbench.core.project import CLEAR, DocumentInfo, Project
from workbench.core.records import DONE_STATUSES, Issue, SegmentRecord, issue_mark, needs_attention
from workbench.core.spelling import dictionary_loaded

ORIGIN = "tui"
"""How the TUI's changes are marked in the project history."""


ANY_ISSUE = "*"
"""The issue filter that lets through any segment with an error or a warning."""


@dataclass(frozen=True)
class Filter:
    """Which segments the list shows: by status, by issue check, by text."""

    status: str | None = None
    issue: str | None = None
    """A check name, or ANY_ISSUE for segments with any issue."""
    query: str = ""

    @property
    def active(self) -> bool:
        return bool(self.status or self.issue or self.query)

    def describe(self) -> str:
        parts = []
        if self.status:
            parts.append(f"status {self.status}")
        if self.issue:
            parts.append("any issue" if self.issue == ANY_ISSUE else f"issue {self.issue}")
        if self.query:
            parts.append(f"“{self.query}”")
        return ", ".join(parts)


@dataclass(frozen=True)
class Row:
    """What the segment list shows for one segment (hashable: it keys the row cache)."""

    status: str
    number: int
    text: str
    marks: str


@dataclass(frozen=True)
class SegmentView:
    """Everything the panes show for one segment, computed when the reviewer moves to it."""

    record: SegmentRecord
    hits: list[Hit]
    enforced: Enforced
    issues: list[Issue]

    @property
    def normalized(self) -> str:
        return self.enforced.text

    @property
    def final_text(self) -> str:
        """What the Final editor starts from: the final translation, else Normalized."""
        return self.record.final if self.record.final is not None else self.normalized


@dataclass(frozen=True)
class UndoStep:
    """One change the session made, remembered for undo."""

    before: SegmentRecord
    after: SegmentRecord


CONSISTENCY_CHECKS = frozenset({"inconsistent-term", "inconsistent-translation",
                                "variant-census"})
"""Checks that compare segments (`check_records` only): a one-segment check keeps them."""


@dataclass
class ReviewSession:
    """The open project, the current document and the list over its segments."""

    project: Project
    glossary: Glossary
    glossary_error: str | None = None
    glossary_stamp: tuple[tuple[str, int, int], ...] = ()
    """The glossary files as they were when `glossary` was read (`glossary_stamp`)."""
    documents: list[DocumentInfo] = field(default_factory=list)
    doc: str = ""
    records: list[SegmentRecord] = field(default_factory=list)
    issues: dict[str, list[Issue]] = field(default_factory=dict)
    filter: Filter = field(default_factory=Filter)
    view: list[int] = field(default_factory=list)
    """Indices into `records` that the filter lets through, in document order."""
    undo_stack: list[UndoStep] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    """Documents changed in this session: their aligned/ files are refreshed on exit."""
    loaded: bool = False
    """Whether `records` holds the current document (it is read in a thread worker)."""
    revision: int = 0
    """Counts the session's own changes, so a worker's older read cannot undo one."""
    ignored: frozenset[str] = frozenset()
    """Ids of the issues marked false positives (`ignore`): never shown."""
    _changed_at: dict[str, int] = field(default_factory=dict)
    _counts: Counter[str] = field(default_factory=Counter)
    _index: dict[str, int] = field(default_factory=dict)
    _lengths: dict[str, LengthModel] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, project: Project, doc: str | None = None) -> ReviewSession:
        """A session on `doc`, or on the first document with work left."""
        stamp = glossary_stamp(project.glossary_dir)
        glossary, error = read_glossary(project)
        session = cls(project, glossary, error, stamp)
        session.ignored = IgnoreList(project).ids()
        session.documents = project.documents()
        if not session.documents:
            raise WorkbenchError("no documents to review", path=project.sources_dir,
                                 hint="put Japanese .txt files in sources/.")
        session.open_document(doc or session.first_unfinished())
        return session

    def first_unfinished(self) -> str:
        for info in self.documents:
            if info.done < info.segments:
                return info.name
        return self.documents[0].name

    def open_document(self, doc: str) -> None:
        """Switch to `doc`; its segments arrive with `set_records` (read off the UI thread:
        20,000 segments take a tenth of a second to read)."""
        self.doc = doc
        self.issues = {}
        self.set_records([], loaded=False)

    def set_records(self, records: Sequence[SegmentRecord], *, loaded: bool = True) -> None:
        """The current document's segments, in order, as just read from the project."""
        self.records = list(records)
        self.loaded = loaded
        self._index = {r.id: i for i, r in enumerate(self.records)}
        self._counts = Counter(r.status for r in self.records)
        self._lengths = None
        self.apply_filter(self.filter)

    def set_glossary(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.glossary_error = None

    # ------------------------------------------------------------------ the list
    def apply_filter(self, wanted: Filter) -> None:
        self.filter = wanted
        self.view = [i for i, r in enumerate(self.records) if self._passes(r)]

    def _passes(self, record: SegmentRecord) -> bool:
        wanted = self.filter
        if wanted.status and record.status != wanted.status:
            return False
        if wanted.issue:
            found = self.issues.get(record.id, ())
            if wanted.issue == ANY_ISSUE:
                if not needs_attention(found):
                    return False
            elif not any(i.check == wanted.issue for i in found):
                return False
        if wanted.query:
            needle = wanted.query.casefold()
            haystack = (record.source, record.final or "", record.normalized or "",
                        record.mt or "")
            if not any(needle in text.casefold() for text in haystack):
                return False
        return True

    def __len__(self) -> int:
        return len(self.view)

    def record_at(self, position: int) -> SegmentRecord:
        return self.records[self.view[position]]

    def row(self, position: int) -> Row:
        record = self.records[self.view[position]]
        return Row(record.status, record.ordinal, record.source[:160],
                   issue_mark(self.issues.get(record.id, ())))

    def position_of(self, segment_id: str) -> int | None:
        """Where a segment is in the filtered list, or None if the filter hides it."""
        index = self._index.get(segment_id)
        if index is None:
            return None
        position = bisect.bisect_left(self.view, index)
        if position < len(self.view) and self.view[position] == index:
            return position
        return None

    def find(self, start: int, wanted: Callable[[SegmentRecord], bool],
             step: int = 1) -> int | None:
        """The next position after `start` (wrapping) whose segment is `wanted`."""
        count = len(self.view)
        for offset in range(1, count + 1):
            position = (start + step * offset) % count
            if wanted(self.records[self.view[position]]):
                return position
        return None

    @staticmethod
    def untranslated(record: SegmentRecord) -> bool:
        """No final English yet (the one meaning, `SegmentRecord.untranslated`)."""
        return record.untranslated

    def has_issues(self, record: SegmentRecord) -> bool:
        return needs_attention(self.issues.get(record.id, ()))

    def issue_checks(self) -> list[str]:
        """The checks that found something in this document, for the filter menu."""
        return sorted({i.check for found in self.issues.values() for i in found
                       if i.severity != "info"})

    # ------------------------------------------------------------------ one segment
    def view_of(self, record: SegmentRecord) -> SegmentView:
        """Hits, the glossary-enforced text and fresh QA issues for one segment."""
        hits = self.glossary.find(record.source)
        enforced = enforce(record.source, record.mt, hits, glossary=self.glossary)
        return SegmentView(record, hits, enforced, self._check(record))

    def _check(self, record: SegmentRecord) -> list[Issue]:
        """The segment's own checks, run now, and what the last document-wide run found
        comparing it with the others."""
        kept = [i for i in self.issues.get(record.id, ()) if i.check in CONSISTENCY_CHECKS]
        issues = check_segments([record], self.glossary, self._check_context()) + kept
        if self.ignored:
            issues = [i for i in issues if i.id not in self.ignored]
        self.issues[record.id] = issues
        return issues

    def _check_context(self) -> CheckContext:
        """Length against the document's own model and spelling, once the document-wide
        check (a worker's) has come in: first paint waits for neither, and the UI thread
        never loads the dictionary."""
        speller = None
        if dictionary_loaded():
            try:
                speller = speller_for(self.glossary)
            except WorkbenchError:
                speller = None
        return CheckContext(speller=speller, lengths=self._lengths or {})

    def ignore(self, issue: Issue, by: str | None = None) -> None:
        """Mark `issue` a false positive (kept in the project with who and when); it is no
        longer shown, until its segment's text changes."""
        IgnoreList(self.project).ignore(issue, by=by)
        self.ignored = self.ignored | {issue.id}
        if issue.segment_id is not None and issue.segment_id in self.issues:
            self.issues[issue.segment_id] = [i for i in self.issues[issue.segment_id]
                                             if i.id != issue.id]

    # ------------------------------------------------------------------ changes
    def record(self, segment_id: str) -> SegmentRecord:
        """The segment as the session last saw it (read from the project if not loaded)."""
        index = self._index.get(segment_id)
        return self.records[index] if index is not None else self.project.segment(segment_id)

    def update(self, segment_id: str, *, final: str | None = None,
               status: str | None = None) -> SegmentRecord:
        """Write a change through to the project (durable on return) and mirror it."""
        before = self.record(segment_id)
        after = self.project.update(segment_id, final=final, status=status, origin=ORIGIN)
        if after != before:
            self.undo_stack.append(UndoStep(before, after))
        self._replace(after)
        return after

    def undo(self) -> SegmentRecord | None:
        """Put back the segment the last change touched; None when there is nothing to undo.

        A segment that had no final translation before gets none again.
        """
        if not self.undo_stack:
            return None
        before = self.undo_stack.pop().before
        final = CLEAR if before.final is None else before.final
        restored = self.project.update(before.id, final=final, status=before.status,
                                      origin=f"{ORIGIN}-undo")
        self._replace(restored)
        return restored

    def merge(self, records: Sequence[SegmentRecord], read_at: int) -> None:
        """Take a worker's fresh read of the document, keeping changes made since `read_at`."""
        mine = {i for i, at in self._changed_at.items() if at > read_at}
        current = {r.id: r for r in self.records if r.id in mine}
        self.set_records([current.get(r.id, r) for r in records])

    def _replace(self, record: SegmentRecord) -> None:
        self.revision += 1
        self._changed_at[record.id] = self.revision
        self.touched.add(record.doc)
        index = self._index.get(record.id)
        if index is None:  # undone in another document
            return
        old = self.records[index]
        self._counts[old.status] -= 1
        self._counts[record.status] += 1
        self.records[index] = record
        self._check(record)

    # ------------------------------------------------------------------ progress
    @property
    def done(self) -> int:
        return sum(self._counts[s] for s in DONE_STATUSES)

    def progress(self) -> str:
        if not self.loaded:
            return "loading…"
        total = len(self.records)
        percent = 100 * self.done / total if total else 0
        return f"{self.done}/{total} done ({percent:.0f}%)"

    def refresh_documents(self) -> None:
        self.documents = self.project.documents()

    def set_issues(self, issues: Iterable[Issue], checked: Iterable[str]) -> None:
        """Store what a document-wide check found (segments in `checked` had no issue)."""
        if self._lengths is None and self.loaded:
            self._lengths = build_models(self.records, [target_of(r) for r in self.records])
        found: dict[str, list[Issue]] = {segment_id: [] for segment_id in checked}
        for issue in issues:
            if issue.segment_id is not None and (not self.ignored or
                                                 issue.id not in self.ignored):
                found.setdefault(issue.segment_id, []).append(issue)
        self.issues.update(found)


def read_glossary(project: Project) -> tuple[Glossary, str | None]:
    """The project's glossary; an empty one and the error if it cannot be read."""
    try:
        return load_glossary(project.glossary_dir), None
    except WorkbenchError as exc:
        return Glossary([]), str(exc)
