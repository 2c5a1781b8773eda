"""The review screen: the segment list, the four panes of the current segment, the side panels.

A move renders one segment (glossary lookup, enforcement and checks of that segment only)
and the list redraws two lines. The widgets own their behaviour (the search bar its
debounce, the Final editor its autosave); everything slow runs in `workers.Background` and
comes back as a message. This screen wires them to the session, on the UI thread only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from workbench.core.errors import ModelError, WorkbenchError
from workbench.core.project import Conflict
from workbench.core.records import STATUSES, SegmentRecord
from workbench.core.session import ORIGIN, Filter, ReviewSession, SegmentView
from workbench.tui.errors import error_text
from workbench.tui.keys import MEMORY_KEYS, REPAIR_KEYS, REVIEW_KEYS
from workbench.tui.messages import (
    DocumentLoaded,
    DocumentRefreshed,
    FilesWritten,
    GlossaryLoaded,
    ModelChecked,
    TranslationFinished,
    WorkFailed,
    WorkNoted,
)
from workbench.tui.screens.dialogs import ChoiceDialog, GlossaryDialog, NewTerm
from workbench.tui.screens.memory import MemoryScreen
from workbench.tui.screens.review_align import AlignReview
from workbench.tui.screens.review_qa import ReviewQA
from workbench.tui.screens.review_team import TeamReview
from workbench.tui.widgets.detail import SegmentPanes, SidePanels
from workbench.tui.widgets.final_editor import Edit, FinalEditor
from workbench.tui.widgets.glossary_watcher import GlossaryWatcher
from workbench.tui.widgets.memory_pane import MemoryPane
from workbench.tui.widgets.search_bar import SearchBar
from workbench.tui.widgets.segment_list import SegmentList
from workbench.tui.widgets.status import Status, StatusHeader
from workbench.tui.widgets.team_watcher import TeamWatcher
from workbench.tui.widgets.translator import Translator
from workbench.tui.workers import Background, model_note

POSITION_SECONDS = 2.0
"""How often the segment the reviewer is on is stored (when it changed), for reopening."""

REPEAT_ERROR_SECONDS = 10.0
"""The same error is shown once in this long (a full disk fails every autosave)."""

WORK_NOTES = {"refresh": "checks"}
"""The header note of a worker group, where it is not named as the group."""


class ReviewScreen(ReviewQA, TeamReview, AlignReview, MemoryScreen):
    """One document under review."""

    AUTO_FOCUS = "#segments"
    BINDINGS: ClassVar[list[BindingType]] = [*REVIEW_KEYS, *REPAIR_KEYS, *MEMORY_KEYS]
    QUEUED_KEYS = frozenset(key.strip() for binding in [*REVIEW_KEYS, *REPAIR_KEYS,
                                                        *SegmentList.BINDINGS]
                            if isinstance(binding, Binding) for key in binding.key.split(","))
    """Keys that wait for a document being read (the app's own, like q, never wait)."""

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.current: SegmentView | None = None
        self.load_error: str | None = None
        self.background = Background(self)
        self._model_checked = False
        self._early_keys: list[events.Key] = []
        self._glossary_notes: list[str] = []
        self._shown_errors: dict[str, float] = {}
        # kept here, not queried: flush_edit() runs on exit, after the widgets are gone
        self.editor = FinalEditor(id="final", classes="pane")
        self.editor.border_title = "Final"
        self.segment_list = SegmentList(session, id="segments")
        self.segment_list.border_title = "Segments"
        self.search_bar = SearchBar(id="search")
        self.panes = SegmentPanes(self.editor, id="panes")
        self.side = SidePanels(id="side")
        self.memory_pane = MemoryPane(session.project, id="memory")
        self.header = StatusHeader(id="status")
        self.glossary_watcher = GlossaryWatcher(session.project.glossary_dir,
                                                session.glossary_stamp)
        self.translator = Translator(session.project)
        self.team_watcher = TeamWatcher(session.project)

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield self.header
        yield self.glossary_watcher
        yield self.translator
        yield self.team_watcher
        with Horizontal(id="body"):
            with Vertical(id="list-column"):
                yield self.search_bar
                yield self.segment_list
            with Vertical(id="detail"):
                yield self.panes
                yield self.memory_pane
                yield self.side
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.segment_list.focus()
        self.open_document(self.session.doc)
        self.set_interval(POSITION_SECONDS, self.remember_position)

    def open_document(self, doc: str) -> None:
        """Show `doc`: the frame at once, its segments when the worker has read them."""
        self.session.open_document(doc)
        self.current = None
        self.load_error = None
        self.segment_list.reset(0)
        self._show_empty()
        # after the frame is on screen: reading competes with drawing it for the GIL
        self.call_after_refresh(self.background.load, self.session.project, doc)

    def on_key(self, event: events.Key) -> None:
        # A key pressed in the list while the document is still being read (a tenth of a
        # second, more for a big one) waits for it instead of acting on an empty list: the
        # reviewer who opens the workbench and presses ⏎ at once gets the accept.
        if not self.session.loaded and self.load_error is None and \
                event.key in self.QUEUED_KEYS and self.focused in (None, self.segment_list):
            event.stop()
            event.prevent_default()
            self._early_keys.append(event)

    @on(DocumentLoaded)
    def document_loaded(self, message: DocumentLoaded) -> None:
        if message.doc != self.session.doc:
            return
        self.session.set_records(message.records)
        self.session.set_alignment(message.alignment)
        if self.session.filter.mine:
            self.session.load_assigned()
        start = self.session.start_position()
        self.segment_list.reset(start)
        self.show_position(start)
        # Pressed again, in order. A message made here would have this screen as its sender,
        # and Textual stops a message bubbling past its sender's children: the key would never
        # reach the app's bindings. It is sent as by the list it was pressed in.
        for key in self._early_keys:
            self.app.post_message(events.Key(key.key, key.character).set_sender(
                self.segment_list))
        self._early_keys.clear()
        # after this paint: the background work competes with the UI for the GIL
        self.call_after_refresh(self.refresh_document)
        if not self._model_checked:
            self._model_checked = True
            self.call_after_refresh(self.background.check_model)

    # ------------------------------------------------------------------ showing a segment
    def show_position(self, position: int) -> None:
        """Make `position` current: list cursor, the four panes, the side panels, the header.
        An edit of Final that cannot be saved keeps the reviewer where they are."""
        listing = self.segment_list
        if not self.flush_edit():
            if self.current is not None:
                listing.cursor = self.session.position_of(self.current.record.id) or 0
            return
        if not len(self.session):
            self.current = None
            self._show_empty()
            return
        position = max(0, min(position, len(self.session) - 1))
        if listing.cursor != position:
            listing.cursor = position
        view = self.session.view_of(self.session.record_at(position))
        self.current = view
        self.panes.show(view)
        self.side.show(view)
        self.show_matches()
        listing.refresh_position(position)
        self.update_status()

    def _show_empty(self) -> None:
        session = self.session
        if self.load_error is not None:
            self.panes.show_message(f"This document could not be read.\n{self.load_error}",
                                    style="$error")
        elif not session.loaded:
            count = next((d.segments for d in session.documents if d.name == session.doc), 0)
            self.panes.show_message(f"Reading {count:,} segments…")
        elif session.filter.active:
            self.panes.show_message("No segment matches the filter.")
        else:
            self.panes.show_message("This document has no segments.")
        self.side.clear()
        self.clear_matches()
        self.update_status()

    def update_status(self) -> None:
        session = self.session
        position = (f"#{self.current.record.ordinal} · {self.segment_list.cursor + 1}/"
                    f"{len(session)}" if self.current else f"0/{len(session)}")
        self.header.show(Status(doc=session.doc, progress=session.progress(), position=position,
                                filter=session.filter.describe()))

    def rerender(self) -> None:
        """Show the current segment again (its record or the glossary changed)."""
        if self.current is None:
            self.show_position(self.segment_list.cursor)
            return
        position = self.session.position_of(self.current.record.id)
        self.show_position(position if position is not None else self.segment_list.cursor)

    def report(self, error: BaseException, title: str = "Error") -> None:
        """Tell the reviewer what failed and what to do; the workbench keeps running. A
        write refused because another reviewer changed the segment asks what to keep."""
        if isinstance(error, Conflict):
            self.show_conflict(error)
            return
        text = error_text(error)
        now = time.monotonic()
        if now - self._shown_errors.get(text, -REPEAT_ERROR_SECONDS) >= REPEAT_ERROR_SECONDS:
            self._shown_errors[text] = now
            self.notify(text, title=title, severity="error", timeout=10)

    # ------------------------------------------------------------------ moving
    def action_move(self, step: int) -> None:
        if len(self.session):
            self.show_position(self.segment_list.cursor + step)

    @on(SegmentList.Highlighted)
    def list_moved(self, event: SegmentList.Highlighted) -> None:
        # Keys reach the list faster than its messages reach the screen: a message that is
        # not the list's latest position is stale, and showing it would pull the cursor back.
        if event.position == self.segment_list.cursor:
            self.show_position(event.position)

    def _go_to_next(self, wanted: Callable[[SegmentRecord], bool], what: str) -> None:
        if not len(self.session):
            return
        found = self.session.find(self.segment_list.cursor, wanted)
        if found is None:
            self.notify(f"No {what} segment" + (" matches the filter." if
                                                self.session.filter.active else "."))
            return
        self.show_position(found)

    def action_next_untranslated(self) -> None:
        self._go_to_next(self.session.untranslated, "untranslated")

    def action_next_issue(self) -> None:
        self._go_to_next(self.session.has_issues, "other")

    def remember_position(self) -> None:
        """Store the segment the reviewer is on, for the next time they open the project."""
        if self.current is None:
            return
        # a convenience: a full disk is reported by the work that it stops
        with contextlib.suppress(WorkbenchError, OSError):
            self.session.remember(self.current.record.id)

    # ------------------------------------------------------------------ changing
    def _at_cursor(self) -> SegmentView | None:
        """The segment under the list cursor, shown first if the message of a move is still
        on its way: keys reach the list faster than its messages reach the screen, and ⏎
        typed right after ↓ is meant for the segment ↓ went to."""
        cursor = self.segment_list.cursor
        view = self.current
        if len(self.session) and (view is None or
                                  self.session.position_of(view.record.id) != cursor):
            self.show_position(cursor)
        return self.current

    def _commit(self, *, final: str | None, status: str | None, advance: bool,
                asked: bool = False, origin: str = ORIGIN) -> None:
        """Write one change (durable at once), redraw its row, maybe go to the next. A write
        that fails (a full disk) is reported and leaves everything as it was."""
        view = self.current
        if view is None or not asked and self.asks_before_done(final, status, lambda: self._commit(
                final=final, status=status, advance=advance, asked=True, origin=origin)):
            return
        typed = self.editor.pending()
        try:   # over the version on screen (others' changes may have come in since)
            self.session.update(view.record.id, final=final, status=status, origin=origin,
                                expected_version=view.record.version)
        except (WorkbenchError, OSError) as exc:
            self.report(exc)
            return
        if typed is not None:   # committed with the change, or replaced by it
            self.editor.saved(typed)
        position = self.segment_list.cursor
        self.show_position(position + 1 if advance and position + 1 < len(self.session)
                           else position)
        self.segment_list.refresh()   # its row, and those of the repetitions it filled
        self.note_filled()

    def action_accept_normalized(self) -> None:
        view = self._at_cursor()
        if view is None:
            return
        if view.normalized is None:
            self.notify("This segment is too long to accept before its normalized text is "
                        "made: wait for the checks to finish.", severity="warning")
            return
        self._commit(final=view.normalized, status="reviewed", advance=True)

    def action_accept_mt(self) -> None:
        view = self._at_cursor()
        if view is None:
            return
        if view.record.mt is None:
            self.notify("This segment has no MT yet: press t to translate the document.",
                        severity="warning")
            return
        self._commit(final=view.record.mt, status="reviewed", advance=True)

    def action_mark(self, status: str) -> None:
        """Reviewed and approved take the text in Final with them; rejected only the status."""
        view = self._at_cursor()
        if view is None or status not in STATUSES:
            return
        if status == "rejected":
            if self.flush_edit():
                self._commit(final=None, status=status, advance=True)
            return
        if view.cut:   # Final shows only the start: keep the final, else take Normalized
            text = view.record.final if view.record.final is not None else view.normalized
            if text is None:
                self.notify("This segment has no translation to mark yet.", severity="warning")
                return
        else:
            text = self.editor.text
        self._commit(final=text if text != view.record.final else None, status=status,
                     advance=True)

    def action_edit(self) -> None:
        view = self._at_cursor()
        if view is None:
            return
        if view.cut:
            self.notify("This segment is too long to edit here; its start is shown.",
                        severity="warning")
            return
        self.editor.focus()
        self.editor.move_cursor(self.editor.document.end)

    @on(FinalEditor.Typed)
    def final_typed(self, message: FinalEditor.Typed) -> None:
        try:
            self.session.journal(message.edit.segment_id, message.edit.text)
        except (WorkbenchError, OSError) as exc:
            self.report(exc)

    @on(FinalEditor.Paused)
    def final_paused(self, message: FinalEditor.Paused) -> None:
        self.flush_edit(asked=False)

    def flush_edit(self, *, asked: bool = True) -> bool:
        """Save an edit of Final that is not saved yet (as a draft); False if it could not
        be (reported), and the edit stays on screen. `asked` False: an autosave."""
        edit = self.editor.pending()
        if edit is None:
            return True
        try:
            record = self.session.update(edit.segment_id, final=edit.text, status="draft",
                                         expected_version=self._typed_over(edit))
        except Conflict as conflict:
            self.show_conflict(conflict, asked=asked)
            return False
        except (WorkbenchError, OSError) as exc:
            self.report(exc)
            return False
        self._edited(edit, record)
        return True

    def _typed_over(self, edit: Edit) -> int | None:
        """The version of the segment an edit was typed over: the one on screen (a change
        by another reviewer that came in meanwhile is not shown over typing)."""
        view = self.current
        return view.record.version if view and view.record.id == edit.segment_id else None

    def _edited(self, edit: Edit, record: SegmentRecord) -> None:
        """An edit of Final is saved: its status, QA issues and list row follow it."""
        self.editor.saved(edit)
        if self.current is None or self.current.record.id != record.id or not self.is_mounted:
            return
        self.current = self.session.view_of(record)
        self.editor.border_subtitle = record.status
        self.side.show_issues(self.current.issues)
        position = self.session.position_of(record.id)
        if position is not None:
            self.segment_list.refresh_position(position)
        self.update_status()

    def action_undo(self) -> None:
        if not self.flush_edit():
            return
        try:
            restored = self.session.undo()
        except (WorkbenchError, OSError) as exc:
            self.report(exc)
            return
        if restored is None:
            self.notify("Nothing to undo.")
            return
        position = self.session.position_of(restored.id)
        position = position if position is not None else self.segment_list.cursor
        self.segment_list.reset(position)     # an undone repair changes the list
        self.show_position(position)
        self.notify(f"Undone: #{restored.ordinal} is {restored.status} again.")

    @on(FinalEditor.Done)
    def final_done(self) -> None:
        self.segment_list.focus()

    def action_escape(self) -> None:
        if self.session.filter.query:
            self.search_bar.action_close(clear=True)
        else:
            self.translator.stop()

    # ------------------------------------------------------------------ filter and search
    def set_filter(self, wanted: Filter) -> None:
        """Show only what `wanted` lets through, staying on the current segment if it can
        (least sure first starts at the least sure)."""
        keep = self.current.record.id if self.current else None
        if wanted.least_sure and not self.session.filter.least_sure:
            keep = None
        self.session.apply_filter(wanted)
        if wanted.mine:     # assignments change while the workbench is open
            self.session.load_assigned()
        position = self.session.position_of(keep) if keep else None
        self.segment_list.reset(position or 0)
        self.show_position(position or 0)

    def action_filter(self) -> None:
        choices = self.session.filter_choices()
        current = next((c.label for c in choices if c.filter == self.session.filter), None)
        self.app.push_screen(ChoiceDialog("Filter", [(c.label, c.label) for c in choices],
                                          current), self.filter_chosen)

    def filter_chosen(self, label: str | None) -> None:
        wanted = next((c.filter for c in self.session.filter_choices() if c.label == label),
                      None)
        if wanted is not None:
            self.set_filter(wanted)

    def action_search(self) -> None:
        self.search_bar.open()

    @on(SearchBar.Searched)
    def searched(self, message: SearchBar.Searched) -> None:
        wanted = self.session.filter
        if message.query != wanted.query:
            self.set_filter(dataclasses.replace(wanted, query=message.query))

    @on(SearchBar.Closed)
    def search_closed(self) -> None:
        self.segment_list.focus()

    # ------------------------------------------------------------------ documents and panels
    def action_switch_document(self) -> None:
        self.session.refresh_documents()
        choices = [(d.name, f"{d.name}  ({d.done}/{d.segments}, {d.percent_done:.0f}%)")
                   for d in self.session.documents]
        self.app.push_screen(ChoiceDialog("Document", choices, self.session.doc),
                             self.document_chosen)

    def document_chosen(self, doc: str | None) -> None:
        if doc is None or doc == self.session.doc or not self.flush_edit():
            return
        self.remember_position()
        self.open_document(doc)

    def action_toggle_panels(self) -> None:
        self.toggle_class("-panels-toggled")
        # hiding the list takes the focus from it; it gets it back when shown again
        if self.focused is None and self.segment_list.display:
            self.segment_list.focus()

    # ------------------------------------------------------------------ glossary
    def action_add_term(self) -> None:
        view = self._at_cursor()
        if view is None:
            return
        selected = (self.get_selected_text() or "").strip()
        self.open_term_dialog(selected if selected in view.display.source else "", "")

    def open_term_dialog(self, ja: str, en: str) -> None:
        source = self.current.display.source if self.current else ""
        # the glossary's types, the commonest first: the likeliest one is the default
        counts = Counter(e.type for e in self.session.glossary.entries if e.type)
        types = [t for t, _ in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))] or ["term"]
        self.app.push_screen(GlossaryDialog(ja, types, source, en), self.term_entered)

    def term_entered(self, term: NewTerm | None) -> None:
        if term is not None:
            self.glossary_watcher.add(term.ja, term.en, term.type)

    @on(GlossaryLoaded)
    def glossary_loaded(self, message: GlossaryLoaded) -> None:
        self.session.glossary_stamp = message.stamp
        self.session.set_glossary(message.glossary)
        self._glossary_notes.append(message.note)
        self.rerender()
        self.refresh_document()

    # ------------------------------------------------------------------ background work
    def refresh_document(self) -> None:
        """Normalized text and checks of the document brought up to date, in a worker."""
        self.header.working("checks", "checking…")
        session = self.session
        self.background.refresh(session.project, session.doc, session.glossary,
                                session.revision)

    @on(DocumentRefreshed)
    def document_refreshed(self, message: DocumentRefreshed) -> None:
        self.header.working("checks", None)
        if self._glossary_notes:   # the glossary this refresh applied
            self.header.working("glossary", None)
            for note in self._glossary_notes:
                self.notify(f"{note}: applied to every segment.")
            self._glossary_notes.clear()
        session = self.session
        if message.doc == session.doc:
            session.merge(message.records, message.revision)
            session.set_issues(message.issues, (r.id for r in message.records))
            if session.filter.issue:
                self.set_filter(session.filter)
            self.segment_list.refresh()
        self.rerender()

    @on(ModelChecked)
    def model_checked(self, message: ModelChecked) -> None:
        self.panes.set_model_problem(message.problem)

    def action_translate(self) -> None:
        if self.translator.running:
            self.translator.stop()
        elif self.flush_edit():
            self.translator.start(self.session.doc)

    @on(TranslationFinished)
    def translation_finished(self, message: TranslationFinished) -> None:
        self.panes.set_model_problem(None)
        self.notify("MT cancelled: what was translated is kept." if message.report.cancelled
                    else "MT finished.")
        self.refresh_document()

    @on(WorkNoted)
    def work_noted(self, message: WorkNoted) -> None:
        self.header.working(message.kind, message.note)

    @on(WorkFailed)
    def work_failed(self, message: WorkFailed) -> None:
        if message.kind == "glossary":
            self._glossary_notes.clear()
            self.header.working("glossary", None)
        if isinstance(message.error, ModelError):
            self.panes.set_model_problem(model_note(message.error))
        self.report(message.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        group = event.worker.group
        error = event.worker.error
        assert error is not None
        self.header.working(WORK_NOTES.get(group, group), None)
        if group == "load":
            self.load_error = error_text(error)
            self._early_keys.clear()
            self._show_empty()
        self.report(error)
        if self.current is not None:
            self.rerender()

    # ------------------------------------------------------------------ files
    def action_save(self) -> None:
        if self.flush_edit():
            self.background.write_aligned(self.session.project, [self.session.doc])

    def start_export(self, formats: Sequence[str]) -> None:
        """Export the current document (palette: `export: …`)."""
        if self.flush_edit():
            self.background.export(self.session.project, self.session.doc, formats,
                                   self.session.glossary)

    @on(FilesWritten)
    def files_written(self, message: FilesWritten) -> None:
        root = self.session.project.root
        if message.paths:
            names = ", ".join(_relative(p, root) for p in message.paths)
            self.notify(f"Wrote {names}", title=message.what)
        else:
            self.notify("aligned/ is up to date.", title=message.what)

    def finish(self) -> None:
        """On exit: save a pending edit and the position, stop MT, refresh aligned/ for the
        changed documents. Raises what fails (the command line reports it)."""
        self.translator.stop()
        edit = self.editor.pending()
        if edit is not None:
            self.session.update(edit.segment_id, final=edit.text, status="draft",
                                expected_version=self._typed_over(edit))
        self.remember_position()
        from workbench.core.exchange import refresh_aligned

        docs = sorted(self.session.touched | {self.session.doc})
        refresh_aligned(self.session.project, docs)


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
