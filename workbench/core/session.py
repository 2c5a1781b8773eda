"""A review session: the project as a reviewer works through it, with no UI in it.

One document's segments in order, the filter over them (status, issue, text, "mine"), the
glossary, the QA issues known so far and the undo stack. Every change goes through
`Project.update` and is on disk when the call returns; the session only mirrors what the
project holds. The TUI drives one; its thread workers may call the project directly (it is
thread-safe), but only the UI thread changes the session.

Segment repairs (merge, split, moving a translated sentence) go through the session too: the
document is read again after one (ids change), and `undo` takes back edits and repairs in the
order they were made. A document with an alignment (`workbench align`) can be gone through
least sure first, its target sentences with no segment shown with the segment they follow.

On a shared (PostgreSQL) project others write too. Every write of the session is conditional
on the version it shows the reviewer: a stale one raises `Conflict` (both texts in it), which
`keep_mine`, `take_theirs` or an `update` with a merged text and `expected_version=
conflict.theirs.version` resolves. A worker blocking on `project.changes()` reads the changed
segments (`project.records`) and hands them to `apply_changes`, which says which rows to redraw.

Two things of the reviewer's own are kept in the state's `meta` table, one row each per
user: where they are (reopening starts there), and the text being typed into Final, written
every few tenths of a second and put back if the workbench was killed before it saved it.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.checks import CheckContext, IgnoreList, check_segments, target_of
from workbench.core.checks.length import LengthModel, build_models
from workbench.core.checks.words import speller_for
from workbench.core.enforce import enforce
from workbench.core.errors import WorkbenchError
from workbench.core.glossary.folder import glossary_stamp, load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.memory.repetitions import fill_repetitions
from workbench.core.project import CLEAR, Conflict, DocumentInfo, Project, current_user
from workbench.core.records import (
    DONE_STATUSES,
    STATUSES,
    Issue,
    SegmentRecord,
    cut_record,
    issue_mark,
    needs_attention,
)
from workbench.core.review_records import (
    ANY_ISSUE,
    Filter,
    FilterChoice,
    Position,
    RepairStep,
    Row,
    SegmentView,
    UndoStep,
)
from workbench.core.spelling import dictionary_loaded
from workbench.core.team import assigned_ids

if TYPE_CHECKING:   # imported when a document has an alignment or a repair is made
    from workbench.core.align.beads import AlignmentView, StoredBead
    from workbench.core.repair import Repaired

ORIGIN = "tui"
"""How the TUI's changes are marked in the project history."""


VIEW_LIMIT = 5_000
"""Characters of each text of a segment that a move works on: shown, matched against the
glossary, enforced and checked. A longer text (an extract with no full stop for pages) is
cut here, with a marker, so a move never stalls; it is stored and exported whole."""

POSITION_KEY = "review.position."
UNSAVED_KEY = "review.unsaved."
"""`meta` keys (followed by the user's name): where the reviewer is, what they typed last."""


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
    undo_stack: list[UndoStep | RepairStep] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    """Documents changed in this session: their aligned/ files are refreshed on exit."""
    loaded: bool = False
    """Whether `records` holds the current document (it is read in a thread worker)."""
    revision: int = 0
    """Counts the session's own changes, so a worker's older read cannot undo one."""
    ignored: frozenset[str] = frozenset()
    """Ids of the issues marked false positives (`ignore`): never shown."""
    assigned: frozenset[str] = frozenset()
    """The ids of the current document's segments assigned to this reviewer (`load_assigned`):
    what the "mine" filter lets through."""
    position: Position | None = None
    """Where the reviewer was when this session or the last one was left."""
    recovered: SegmentRecord | None = None
    """A segment whose text, typed before the last workbench was killed, was put back."""
    repeated: frozenset[str] = frozenset()
    """The sources that occur more than once in the project (read in a worker)."""
    alignment: AlignmentView | None = None
    """What the current document's last alignment says of its segments (`set_alignment`)."""
    _changed_at: dict[str, int] = field(default_factory=dict)
    _reshaped_at: int = 0
    """The revision of the last repair: a read of the document from before is stale."""
    _order: dict[int, int] | None = None
    """Index → position, when the list is not in document order (least sure first)."""
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
        session.position = session._read_position()
        session.recovered = session._recover_unsaved()
        names = {d.name for d in session.documents}
        if doc is None and session.position is not None and session.position.doc in names:
            doc = session.position.doc
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
        self.alignment = None
        self.set_records([], loaded=False)

    def set_records(self, records: Sequence[SegmentRecord], *, loaded: bool = True) -> None:
        """The current document's segments, in order, as just read from the project."""
        self.records = list(records)
        self.loaded = loaded
        self._index = {r.id: i for i, r in enumerate(self.records)}
        self._counts = Counter(r.status for r in self.records)
        self._lengths = None
        self.apply_filter(self.filter)

    def start_position(self) -> int:
        """Where to start in the document just read: the segment the reviewer was on when
        they last left it, else the first untranslated one."""
        at = self.position.at.get(self.doc) if self.position else None
        found = self.position_of(at) if at else None
        if found is None:
            found = self.find(-1, self.untranslated) if len(self) else None
        return found or 0

    def set_glossary(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.glossary_error = None

    # ------------------------------------------------------------------ the list
    def apply_filter(self, wanted: Filter) -> None:
        self.filter = wanted
        view = [i for i, r in enumerate(self.records) if self._passes(r)]
        self._order = None
        if wanted.least_sure:
            sure = {i: s for i in view if (s := self.sureness(self.records[i])) is not None}
            view = sorted(sure, key=lambda i: (sure[i], i))
            self._order = {index: position for position, index in enumerate(view)}
        self.view = view

    def set_alignment(self, alignment: AlignmentView | None) -> None:
        """What the document's last alignment says (read off the UI thread)."""
        self.alignment = alignment
        self.apply_filter(self.filter)

    def sureness(self, record: SegmentRecord) -> float | None:
        """How sure the alignment is of the segment's translation and of the sentences with
        no segment next to it; None when it says nothing of it."""
        if not self.alignment:
            return None
        return self.alignment.sureness(record.id, first=record.id == self.records[0].id)

    def orphans(self, record: SegmentRecord) -> tuple[StoredBead, ...]:
        """Target sentences with no segment next to this one: before it (only the first
        segment has those), then after it."""
        if not self.alignment:
            return ()
        before = self.alignment.orphans.get(None, ()) if record.id == self.records[0].id \
            else ()
        return (*before, *self.alignment.orphans.get(record.id, ()))

    def load_assigned(self) -> frozenset[str]:
        """Read which segments of the document are this reviewer's (a quick query; the
        filter is applied again)."""
        self.assigned = assigned_ids(self.project, self.project.user, self.doc)
        self.apply_filter(self.filter)
        return self.assigned

    def _passes(self, record: SegmentRecord) -> bool:
        wanted = self.filter
        if wanted.mine and record.id not in self.assigned:
            return False
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
        marks = issue_mark(self.issues.get(record.id, ()))
        note = ""
        if self.alignment:
            marks += "+" * bool(self.orphans(record))
            sure = self.sureness(record) if self.filter.least_sure else None
            note = f"{sure:.2f}" if sure is not None else ""
        return Row(record.status, record.ordinal, record.source[:160], marks, note,
                   record.source in self.repeated)

    def position_of(self, segment_id: str) -> int | None:
        """Where a segment is in the filtered list, or None if the filter hides it."""
        index = self._index.get(segment_id)
        if index is None:
            return None
        if self._order is not None:
            return self._order.get(index)
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

    def filter_choices(self) -> list[FilterChoice]:
        """What the list can be filtered by (the search in force is kept with each)."""
        query = self.filter.query
        choices = [FilterChoice("all segments", Filter(query=query),
                                "Clear the status and issue filter")]
        choices += [FilterChoice(f"status {s}", Filter(status=s, query=query),
                                 f"Show only {s} segments") for s in STATUSES]
        choices.append(FilterChoice("any issue", Filter(issue=ANY_ISSUE, query=query),
                                    "Show only segments with QA errors or warnings"))
        choices.append(FilterChoice("mine", Filter(mine=True, query=query),
                                    f"Show only segments assigned to {self.project.user}"))
        if self.alignment:
            choices.append(FilterChoice("least sure first", Filter(least_sure=True, query=query),
                                        "The aligned translation, least sure first"))
        choices += [FilterChoice(f"issue {c}", Filter(issue=c, query=query),
                                 f"Show only segments failing {c}")
                    for c in self.issue_checks()]
        return choices

    # ------------------------------------------------------------------ one segment
    def view_of(self, record: SegmentRecord) -> SegmentView:
        """Hits, the glossary-enforced text and fresh QA issues for one segment (of its
        first VIEW_LIMIT characters: a move costs the same whatever the segment)."""
        shown = cut_record(record, VIEW_LIMIT)
        work = shown or record
        hits = self.glossary.find(work.source)
        enforced = enforce(work.source, work.mt, hits, glossary=self.glossary)
        return SegmentView(record, hits, enforced, self._check(record), shown,
                           self.alignment.confidence.get(record.id) if self.alignment
                           else None, self.orphans(record))

    def _check(self, record: SegmentRecord) -> list[Issue]:
        """The segment's own checks, run now, and what the last document-wide run found
        comparing it with the others."""
        kept = [i for i in self.issues.get(record.id, ()) if i.check in CONSISTENCY_CHECKS]
        issues = check_segments([cut_record(record, VIEW_LIMIT) or record], self.glossary,
                                self._check_context()) + kept
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
               status: str | None = None, expected_version: int | None = None,
               origin: str = ORIGIN) -> SegmentRecord:
        """Write a change through to the project (durable on return) and mirror it.

        Conditional on the version the session shows (or `expected_version`): a segment
        another reviewer changed since raises `Conflict` and nothing is written (`origin`
        names where the change came from in the history). A segment
        left reviewed or approved fills its new and draft repetitions (`fill_repetitions`),
        in the same transaction and the same undo step.
        """
        before = self.record(segment_id)
        expected = before.version if expected_version is None else expected_version
        with self.project.db.transaction():
            after = self.project.update(segment_id, final=final, status=status, origin=origin,
                                        expected_version=expected)
            filled = fill_repetitions(self.project, [after]) if after != before else []
        if after != before:
            self.undo_stack.append(UndoStep(before, after, tuple(filled)))
        self._replace(after)
        for repetition in filled:
            self._replace(repetition.after)
        return after

    def keep_mine(self, conflict: Conflict) -> SegmentRecord:
        """Write the refused change again over theirs (still conditional: on their version)."""
        return self.update(conflict.theirs.id, final=conflict.mine_final,
                           status=conflict.mine_status, expected_version=conflict.theirs.version)

    def take_theirs(self, conflict: Conflict) -> list[int]:
        """Drop the refused change and show their segment; the positions to redraw."""
        return self.apply_changes([conflict.theirs])

    def apply_changes(self, records: Sequence[SegmentRecord]) -> list[int]:
        """Mirror segments others wrote (read after a change feed announced them); a read
        older than what the session shows is ignored. Returns the positions in the filtered
        list whose rows changed; the cursor's segment keeps its place."""
        positions = []
        for record in records:
            index = self._index.get(record.id)
            if index is None or record.version <= self.records[index].version:
                continue
            old = self.records[index]
            self._counts[old.status] -= 1
            self._counts[record.status] += 1
            self.records[index] = record
            if record.id in self.issues:
                self._check(record)
            position = self.position_of(record.id)
            if position is not None:
                positions.append(position)
        return positions

    def undo(self) -> SegmentRecord | None:
        """Put back the segment the last change touched (and the repetitions it filled,
        unless changed since), or take back the last repair (the segment it gives back);
        None when there is nothing to undo.

        A segment that had no final translation before gets none again. Refused with
        `Conflict` (and kept on the stack) when another reviewer changed it since.
        """
        if not self.undo_stack:
            return None
        step = self.undo_stack[-1]
        if isinstance(step, RepairStep):
            return self._undo_repair(step)
        expected = {step.before.id: self.record(step.before.id).version}
        befores = [step.before]
        for f in step.filled:     # a repetition changed since it was filled is left alone
            if self.project.segment(f.after.id).version == f.after.version:
                befores.append(f.before)
                expected[f.after.id] = f.after.version
        restored = self.project.update_many(
            [(b.id, CLEAR if b.final is None else b.final, b.status) for b in befores],
            origin=f"{ORIGIN}-undo", expected=expected)
        self.undo_stack.pop()
        for record in restored:
            self._replace(record)
        return restored[0]

    # ------------------------------------------------------------------ repairs
    def merge_next(self, segment_id: str) -> Repaired:
        """Merge a segment with the next one (`workbench.core.repair.merge`)."""
        from workbench.core.repair import merge

        return self._repaired(merge(self.project, segment_id, by=self.project.user,
                                    origin=ORIGIN))

    def split(self, segment_id: str, offset: int) -> Repaired:
        """Split a segment at a character offset of its source."""
        from workbench.core.repair import split

        return self._repaired(split(self.project, segment_id, offset, by=self.project.user,
                                    origin=ORIGIN))

    def shift(self, segment_id: str, direction: str) -> Repaired:
        """Move the first (`up`) or last (`down`) translated sentence to the neighbour."""
        from workbench.core.repair import shift

        return self._repaired(shift(self.project, segment_id, direction, by=self.project.user,
                                    origin=ORIGIN))

    def attach(self, orphan: StoredBead, direction: str) -> Repaired:
        """Give target sentences with no segment to the segment before or after them."""
        from workbench.core.repair import shift_orphan

        return self._repaired(shift_orphan(self.project, orphan.doc, orphan.position,
                                           direction, by=self.project.user, origin=ORIGIN))

    def _repaired(self, done: Repaired) -> Repaired:
        self.undo_stack.append(RepairStep(done.repair.doc, done.repair.seq, done.repair.op))
        self.reload()
        return done

    def _undo_repair(self, step: RepairStep) -> SegmentRecord:
        from workbench.core.repair import repairs, undo

        made = repairs(self.project, step.doc)
        if not made or made[-1].seq != step.seq:
            later = f" ({made[-1].op} by {made[-1].by})" if made else ""
            raise WorkbenchError(f"the {step.op} cannot be undone: a later repair of "
                                 f"{step.doc}{later} is in force",
                                 hint="`workbench repair undo` takes back the last one first.")
        done = undo(self.project, step.doc, by=self.project.user)
        self.undo_stack.pop()
        self.touched.add(step.doc)
        if step.doc == self.doc:
            self.reload()
        return done.segments[0]

    def reload(self) -> None:
        """Read the document again after a repair changed its segments (ids and numbers),
        with its alignment; a read from before the repair is not taken (`merge`)."""
        self.revision += 1
        self._reshaped_at = self.revision
        self.touched.add(self.doc)
        records = self.project.segments(self.doc)
        if self.alignment is not None:
            from workbench.core.align.beads import read_alignment

            self.alignment = read_alignment(self.project, self.doc,
                                            {r.id: r.ordinal for r in records})
        self.set_records(records)

    # ------------------------------------------------------------------ the reviewer's own
    def remember(self, segment_id: str) -> bool:
        """Store that the reviewer is on `segment_id` of the current document (reopening
        starts there); False when that was already stored."""
        at = dict(self.position.at) if self.position else {}
        if self.position is not None and self.position.doc == self.doc and \
                at.get(self.doc) == segment_id:
            return False
        at[self.doc] = segment_id
        self.position = Position(self.doc, at)
        self._set_meta(POSITION_KEY, {"doc": self.doc, "at": at})
        return True

    def journal(self, segment_id: str, text: str) -> None:
        """Keep `text`, typed into Final and not saved yet, where a killed workbench finds it
        (one row per user, overwritten: the history records only the saved edits)."""
        version = self.record(segment_id).version
        self._set_meta(UNSAVED_KEY, {"segment": segment_id, "version": version, "text": text})

    def _recover_unsaved(self) -> SegmentRecord | None:
        """Save the text typed last time if it never was, as a draft, and only if nothing
        has changed the segment since it was typed."""
        kept = self._meta(UNSAVED_KEY)
        if not isinstance(kept, dict):
            return None
        try:
            segment = self.project.segment(str(kept["segment"]))
        except (KeyError, WorkbenchError):
            return None
        text = kept.get("text")
        if segment.version != kept.get("version") or not isinstance(text, str) or \
                text == segment.final:
            return None
        recovered = self.project.update(segment.id, final=text, status="draft",
                                        origin=f"{ORIGIN}-recovered")
        self._set_meta(UNSAVED_KEY, None)
        self.touched.add(recovered.doc)
        return recovered

    def _read_position(self) -> Position | None:
        kept = self._meta(POSITION_KEY)
        if not isinstance(kept, dict) or not isinstance(kept.get("doc"), str):
            return None
        at = kept.get("at")
        return Position(kept["doc"], {str(k): str(v) for k, v in at.items()}
                        if isinstance(at, dict) else {})

    def _meta(self, key: str) -> Any:
        value = self.project.db.scalar("SELECT value FROM meta WHERE key = ?",
                                       (key + current_user(),))
        try:
            return json.loads(value) if value is not None else None
        except ValueError:  # written by hand: as if never written
            return None

    def _set_meta(self, key: str, value: Any) -> None:
        """Write (or, for None, delete) the user's row `key` of the meta table."""
        with self.project.db.transaction() as tx:
            if value is None:
                tx.execute("DELETE FROM meta WHERE key = ?", (key + current_user(),))
            else:
                tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value",
                           (key + current_user(), json.dumps(value, ensure_ascii=False)))

    def merge(self, records: Sequence[SegmentRecord], read_at: int) -> bool:
        """Take a worker's fresh read of the document, keeping changes made since `read_at`;
        False (nothing taken) when a repair made since changed the document's segments."""
        if read_at < self._reshaped_at:
            return False
        mine = {i for i, at in self._changed_at.items() if at > read_at}
        current = {r.id: r for r in self.records if r.id in mine}
        self.set_records([current.get(r.id, r) for r in records])
        return True

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
