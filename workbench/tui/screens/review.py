"""The review screen: the segment list, the four panes of the current segment, the side panels.

A move renders one segment (glossary lookup, enforcement and checks of that segment only)
and the list redraws two lines. Everything slow (MT, a glossary change applied to every
segment, document-wide checks, writing files) runs in a thread worker that posts a
past-tense message back; the UI thread only applies results.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, TextArea
from textual.worker import Worker, WorkerState

from workbench.core.checks import check_records
from workbench.core.errors import ModelError, WorkbenchError
from workbench.core.glossary.folder import add_entry, glossary_stamp, load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.pipeline import refresh_normalized
from workbench.core.records import STATUSES, SegmentRecord
from workbench.core.session import ANY_ISSUE, Filter, ReviewSession, SegmentView
from workbench.tui.messages import (
    DocumentLoaded,
    DocumentRefreshed,
    FilesWritten,
    ModelChecked,
    TranslationFinished,
    TranslationProgressed,
)
from workbench.tui.screens.dialogs import ChoiceDialog, GlossaryDialog, NewTerm
from workbench.tui.widgets.content_view import ContentView
from workbench.tui.widgets.final_editor import FinalEditor
from workbench.tui.widgets.panes import (
    glossary_content,
    hit_summary,
    mt_content,
    normalized_content,
    qa_content,
    source_content,
    source_title,
)
from workbench.tui.widgets.segment_list import SegmentList
from workbench.tui.widgets.status import Status, StatusHeader

AUTOSAVE_SECONDS = 0.6
"""An edit of Final is committed this long after the last keystroke (or on leaving it)."""

SEARCH_DELAY = 0.15
GLOSSARY_POLL_SECONDS = 2.0
"""How often the glossary files are looked at for changes made outside the workbench."""


class TextPane(ContentView):
    """A titled, scrollable pane holding one piece of text."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = title

    def show(self, content: Content, note: str = "") -> None:
        self.update(content, note)


class ReviewScreen(Screen[None]):
    """One document under review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,a", "accept_normalized", "Accept", key_display="⏎", id="review.accept",
                tooltip="Accept Normalized as final and go to the next segment"),
        Binding("m", "accept_mt", "Accept MT", show=False, id="review.accept-mt",
                tooltip="Accept MT as final and go to the next segment"),
        Binding("e", "edit", "Edit", id="review.edit",
                tooltip="Edit Final (saved as you type; esc leaves)"),
        Binding("r", "mark('reviewed')", "Review", id="review.reviewed",
                tooltip="Mark reviewed with the text in Final and go to the next segment"),
        Binding("p", "mark('approved')", "Approve", show=False, id="review.approved",
                tooltip="Mark approved with the text in Final and go to the next segment"),
        Binding("x", "mark('rejected')", "Reject", show=False, id="review.rejected",
                tooltip="Mark rejected and go to the next segment"),
        Binding("down,j", "move(1)", "Next", show=False, id="review.next",
                tooltip="Next segment"),
        Binding("up,k", "move(-1)", "Previous", show=False, id="review.previous",
                tooltip="Previous segment"),
        Binding("u", "next_untranslated", "To do", id="review.next-untranslated",
                tooltip="Next untranslated segment (no final translation yet)"),
        Binding("i", "next_issue", "Issues", id="review.next-issue",
                tooltip="Next segment with QA issues"),
        Binding("slash", "search", "Search", key_display="/", id="review.search",
                tooltip="Search source and target (the list keeps the matches)"),
        Binding("f", "filter", "Filter", show=False, id="review.filter",
                tooltip="Filter the list by status or issue type"),
        Binding("g", "add_term", "Add term", id="review.add-term",
                tooltip="Add the selected source text to the glossary (applied everywhere)"),
        Binding("z,ctrl+z", "undo", "Undo", show=False, id="review.undo",
                tooltip="Undo the last change"),
        Binding("t", "translate", "MT", id="review.translate",
                tooltip="Translate this document with MT in the background (t again cancels)"),
        Binding("d", "switch_document", "Document", show=False, id="review.document",
                tooltip="Switch to another document"),
        Binding("ctrl+s", "save", "Save", show=False, id="review.save",
                tooltip="Save: write this document's aligned/ files now (also done on exit)"),
        Binding("v", "toggle_panels", "Panels", show=False, id="review.panels",
                tooltip="Show or hide the glossary and QA panels"),
        Binding("escape", "escape", "Back", show=False, id="review.back",
                tooltip="Leave Final or the search box; cancel MT"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.current: SegmentView | None = None
        self.model_problem: str | None = None
        self.work_notes: dict[str, str] = {}
        self._loaded_text = ""
        self._edit_timer: Timer | None = None
        self._search_timer: Timer | None = None
        self._mt_cancel: threading.Event | None = None
        self._model_checked = False
        self._early_keys: list[events.Key] = []
        # kept here, not queried: flush_edit() runs on exit, after the widgets are gone
        self.editor = FinalEditor(id="final", classes="pane", soft_wrap=True,
                                  tab_behavior="focus", show_line_numbers=False)
        self.editor.border_title = "Final"
        self.segment_list = SegmentList(session, id="segments")
        self.segment_list.border_title = "Segments"

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield StatusHeader(id="status")
        with Horizontal(id="body"):
            with Vertical(id="list-column"):
                yield Input(placeholder="search source and target; enter to keep, esc to clear",
                            id="search")
                yield self.segment_list
            with Vertical(id="detail"):
                with Grid(id="panes"):
                    yield TextPane("Source", id="source")
                    yield TextPane("MT", id="mt")
                    yield TextPane("Normalized", id="normalized")
                    yield self.editor
                with Horizontal(id="side"):
                    yield TextPane("Glossary", id="glossary")
                    yield TextPane("QA", id="qa")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.segment_list.focus()
        self.open_document(self.session.doc)
        self.set_interval(GLOSSARY_POLL_SECONDS, self.watch_glossary)

    def open_document(self, doc: str) -> None:
        """Show `doc`: the frame at once, its segments when the worker has read them."""
        self.session.open_document(doc)
        self.current = None
        self.segment_list.reset(0)
        self._show_empty()
        # after the frame is on screen: reading competes with drawing it for the GIL
        self.call_after_refresh(self.load_document, doc)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_document(self, doc: str) -> None:
        self.post_message(DocumentLoaded(doc, self.session.project.segments(doc)))

    def on_key(self, event: events.Key) -> None:
        # A key pressed in the list while the document is still being read (a tenth of a
        # second, more for a big one) waits for it instead of acting on an empty list: the
        # reviewer who opens the workbench and presses ⏎ at once gets the accept. Priority
        # keys (quit, the palette) never come here.
        if not self.session.loaded and self.focused in (None, self.segment_list):
            event.stop()
            event.prevent_default()
            self._early_keys.append(event)

    @on(DocumentLoaded)
    def document_loaded(self, message: DocumentLoaded) -> None:
        if message.doc != self.session.doc:
            return
        self.session.set_records(message.records)
        start = self.session.find(-1, self.session.untranslated) or 0
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
            self.call_after_refresh(self.check_model)

    # ------------------------------------------------------------------ showing a segment
    def show_position(self, position: int) -> None:
        """Make `position` current: list cursor, the four panes, the side panels, the header."""
        self.flush_edit()
        listing = self.segment_list
        if not len(self.session):
            self.current = None
            self._show_empty()
            return
        position = max(0, min(position, len(self.session) - 1))
        if listing.cursor != position:
            listing.cursor = position
        view = self.session.view_of(self.session.record_at(position))
        self.current = view
        self._render_view(view)
        listing.refresh_position(position)
        self.update_status()

    def _render_view(self, view: SegmentView) -> None:
        record = view.record
        source = self.query_one("#source", TextPane)
        source.border_title = source_title(view)
        source.show(source_content(view), hit_summary(view.hits))
        self.query_one("#mt", TextPane).show(
            mt_content(view, self.model_problem), record.mt_engine or "")
        self.query_one("#normalized", TextPane).show(
            normalized_content(view), f"{len(view.enforced.changes)} rewritten"
            if view.enforced.changes else "")
        self.query_one("#glossary", TextPane).show(glossary_content(view))
        self.query_one("#qa", TextPane).show(qa_content(view.issues),
                                             f"{len(view.issues)}" if view.issues else "")
        editor = self.editor
        self._loaded_text = view.final_text
        if editor.text != view.final_text:
            editor.load_text(view.final_text)
        editor.border_subtitle = record.status

    def _show_empty(self) -> None:
        session = self.session
        if not session.loaded:
            count = next((d.segments for d in session.documents if d.name == session.doc), 0)
            text = f"Reading {count:,} segments…"
        elif session.filter.active:
            text = "No segment matches the filter."
        else:
            text = "This document has no segments."
        note = Content.styled(text, "$text-muted")
        self.query_one("#source", TextPane).border_title = "Source"
        for pane in self.query(TextPane):
            pane.show(note if pane.id == "source" else Content(""))
        self._loaded_text = ""
        self.editor.load_text("")
        self.update_status()

    def update_status(self) -> None:
        session = self.session
        listing = self.segment_list
        position = (f"#{self.current.record.ordinal} · {listing.cursor + 1}/{len(session)}"
                    if self.current else f"0/{len(session)}")
        self.query_one(StatusHeader).show(Status(
            doc=session.doc, progress=session.progress(), position=position,
            filter=session.filter.describe(), work="  ".join(self.work_notes.values())))

    def rerender(self) -> None:
        """Show the current segment again (its record or the glossary changed)."""
        if self.current is None:
            self.show_position(self.segment_list.cursor)
            return
        position = self.session.position_of(self.current.record.id)
        self.show_position(position if position is not None else self.segment_list.cursor)

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

    def _commit(self, *, final: str | None, status: str | None, advance: bool) -> None:
        """Write one change (durable at once), redraw its row, maybe go to the next."""
        view = self.current
        if view is None:
            return
        self._cancel_edit_timer()
        self.session.update(view.record.id, final=final, status=status)
        self._loaded_text = self.editor.text  # committed, or replaced by this change
        position = self.segment_list.cursor
        self.show_position(position + 1 if advance and position + 1 < len(self.session)
                           else position)
        self.segment_list.refresh_position(position)

    def action_accept_normalized(self) -> None:
        view = self._at_cursor()
        if view is not None:
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
            self.flush_edit()
            self._commit(final=None, status=status, advance=True)
            return
        text = self.editor.text
        self._commit(final=text if text != view.record.final else None, status=status,
                     advance=True)

    def action_edit(self) -> None:
        if self._at_cursor() is not None:
            self.editor.focus()
            self.editor.move_cursor(self.editor.document.end)

    @on(TextArea.Changed, "#final")
    def final_changed(self, event: TextArea.Changed) -> None:
        if self.current is None or event.text_area.text == self._loaded_text:
            return
        self._cancel_edit_timer()
        self._edit_timer = self.set_timer(AUTOSAVE_SECONDS, self.flush_edit)

    def flush_edit(self) -> None:
        """Commit an edit of Final that is not saved yet (as a draft)."""
        self._cancel_edit_timer()
        view = self.current
        if view is None:
            return
        text = self.editor.text
        if text == self._loaded_text or text == view.record.final:
            return
        record = self.session.update(view.record.id, final=text, status="draft")
        self._loaded_text = text
        self.current = replace(view, record=record, issues=self.session.issues.get(record.id, []))
        self.editor.border_subtitle = record.status
        self.segment_list.refresh_position(self.segment_list.cursor)
        self.update_status()

    def _cancel_edit_timer(self) -> None:
        if self._edit_timer is not None:
            self._edit_timer.stop()
            self._edit_timer = None

    def action_undo(self) -> None:
        self.flush_edit()
        restored = self.session.undo()
        if restored is None:
            self.notify("Nothing to undo.")
            return
        position = self.session.position_of(restored.id)
        self.show_position(position if position is not None else self.segment_list.cursor)
        self.notify(f"Undone: #{restored.ordinal} is {restored.status} again.")

    def action_escape(self) -> None:
        if self.editor.has_focus:
            self.flush_edit()
            self.segment_list.focus()
        elif self.query_one("#search", Input).has_focus or self.session.filter.query:
            self._close_search(clear=True)
        elif self._mt_cancel is not None:
            self.action_translate()

    # ------------------------------------------------------------------ filter and search
    def set_filter(self, wanted: Filter) -> None:
        """Show only what `wanted` lets through, staying on the current segment if it can."""
        keep = self.current.record.id if self.current else None
        self.session.apply_filter(wanted)
        position = self.session.position_of(keep) if keep else None
        self.segment_list.reset(position or 0)
        self.show_position(position or 0)

    def action_filter(self) -> None:
        choices = [("all", "all segments")]
        choices += [(f"status:{s}", f"status: {s}") for s in STATUSES]
        choices.append((f"issue:{ANY_ISSUE}", "issues: any"))
        choices += [(f"issue:{c}", f"issue: {c}") for c in self.session.issue_checks()]
        wanted = self.session.filter
        current = (f"status:{wanted.status}" if wanted.status else
                   f"issue:{wanted.issue}" if wanted.issue else "all")
        self.app.push_screen(ChoiceDialog("Filter", choices, current), self.filter_chosen)

    def filter_chosen(self, choice: str | None) -> None:
        if choice is None:
            return
        query = self.session.filter.query
        if choice == "all":
            self.set_filter(Filter(query=query))
        elif choice.startswith("status:"):
            self.set_filter(Filter(status=choice.partition(":")[2], query=query))
        elif choice.startswith("issue:"):
            self.set_filter(Filter(issue=choice.partition(":")[2], query=query))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_search)

    def _apply_search(self) -> None:
        query = self.query_one("#search", Input).value.strip()
        wanted = self.session.filter
        if query != wanted.query:
            self.set_filter(Filter(wanted.status, wanted.issue, query))

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self._apply_search()
        if not self.session.filter.query:
            self._close_search(clear=True)
        else:
            self.segment_list.focus()

    def _close_search(self, *, clear: bool) -> None:
        search = self.query_one("#search", Input)
        if clear:
            search.value = ""
            self._apply_search()
        search.remove_class("-shown")
        self.segment_list.focus()

    # ------------------------------------------------------------------ documents and panels
    def action_switch_document(self) -> None:
        self.session.refresh_documents()
        choices = [(d.name, f"{d.name}  ({d.done}/{d.segments}, {d.percent_done:.0f}%)")
                   for d in self.session.documents]
        self.app.push_screen(ChoiceDialog("Document", choices, self.session.doc),
                             self.document_chosen)

    def document_chosen(self, doc: str | None) -> None:
        if doc is None or doc == self.session.doc:
            return
        self.flush_edit()
        self.open_document(doc)

    def action_toggle_panels(self) -> None:
        self.toggle_class("-panels-toggled")

    # ------------------------------------------------------------------ glossary
    def action_add_term(self) -> None:
        view = self._at_cursor()
        if view is None:
            return
        selected = (self.get_selected_text() or "").strip()
        if selected and selected not in view.record.source:
            selected = ""
        # the glossary's types, the commonest first: the likeliest one is the default
        counts = Counter(e.type for e in self.session.glossary.entries if e.type)
        types = [t for t, _ in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))] or ["term"]
        self.app.push_screen(GlossaryDialog(selected, types, view.record.source),
                             self.term_entered)

    def term_entered(self, term: NewTerm | None) -> None:
        if term is not None:
            self.work_notes["glossary"] = f"adding {term.ja} → {term.en}…"
            self.update_status()
            self.add_term(term)

    @work(thread=True, exclusive=True, exit_on_error=False, group="glossary")
    def add_term(self, term: NewTerm) -> None:
        """Add the entry, then re-enforce and re-check every segment with the new glossary."""
        folder = self.session.project.glossary_dir
        add_entry(folder, term.en, [term.ja], term.type)
        self.session.glossary_stamp = glossary_stamp(folder)   # no reload of our own change
        glossary = load_glossary(folder)
        self._refresh(glossary, note=f"added {term.ja} → {term.en}")

    def watch_glossary(self) -> None:
        """Reload the glossary when its files change on disk (edited in a spreadsheet or an
        editor, or by `workbench glossary add`), applied to every segment as an added term is.
        A broken file is reported with its line and the glossary in use is kept."""
        folder = self.session.project.glossary_dir
        stamp = glossary_stamp(folder)
        if stamp == self.session.glossary_stamp or "glossary" in self.work_notes:
            return
        self.session.glossary_stamp = stamp     # tried once per change, not every poll
        self.work_notes["glossary"] = "glossary changed: applying…"
        self.update_status()
        self.reload_glossary(folder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="glossary")
    def reload_glossary(self, folder: Path) -> None:
        self._refresh(load_glossary(folder), note="reloaded the changed glossary")

    # ------------------------------------------------------------------ background work
    def refresh_document(self) -> None:
        self.work_notes["checks"] = "checking…"
        self.update_status()
        self._refresh_worker(self.session.glossary)

    @work(thread=True, exclusive=True, exit_on_error=False, group="refresh")
    def _refresh_worker(self, glossary: Glossary) -> None:
        self._refresh(glossary)

    def _refresh(self, glossary: Glossary, note: str = "") -> None:
        """Bring Normalized up to date with the glossary, re-read and check the document."""
        session = self.session
        doc, read_at = session.doc, session.revision
        refresh_normalized(session.project, glossary)
        records = session.project.segments(doc)
        issues = check_records(records, glossary).issues
        self.post_message(DocumentRefreshed(doc, read_at, records, issues, glossary, note))

    @on(DocumentRefreshed)
    def document_refreshed(self, message: DocumentRefreshed) -> None:
        self.work_notes.pop("checks", None)
        if message.note:
            self.work_notes.pop("glossary", None)
            self.notify(message.note.capitalize() + ": applied to every segment.")
        if message.glossary is not None:
            self.session.set_glossary(message.glossary)
        if message.doc == self.session.doc:
            self.session.merge(message.records, message.revision)
            self.session.set_issues(message.issues, (r.id for r in message.records))
            if self.session.filter.issue:
                self.set_filter(self.session.filter)
            self.segment_list.refresh()
        self.rerender()

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def check_model(self) -> None:
        from workbench.core.mt.packages import find_model

        try:
            find_model()
        except WorkbenchError as exc:
            self.post_message(ModelChecked(model_note(exc)))
        else:
            self.post_message(ModelChecked(None))

    @on(ModelChecked)
    def model_checked(self, message: ModelChecked) -> None:
        self.model_problem = message.problem
        if self.current is not None and self.current.record.mt is None:
            self.query_one("#mt", TextPane).show(mt_content(self.current, self.model_problem))

    def action_translate(self) -> None:
        if self._mt_cancel is not None:
            self._mt_cancel.set()
            self.work_notes["mt"] = "MT: cancelling…"
            self.update_status()
            return
        self.flush_edit()
        self._mt_cancel = threading.Event()
        self.work_notes["mt"] = "MT: starting… (t cancels)"
        self.update_status()
        self.translate(self.session.doc, self._mt_cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mt")
    def translate(self, doc: str, cancel: threading.Event) -> None:
        """Machine-translate one document in batches; cancellable between batches."""
        from workbench.core.mt.engine import Engine
        from workbench.core.mt.packages import find_model
        from workbench.core.pipeline import translate_project

        def progress(done: int, total: int) -> None:
            self.post_message(TranslationProgressed(done, total))

        engine = Engine(find_model())
        report = translate_project(self.session.project, [doc], engine=engine, cancel=cancel,
                                   progress=progress)
        self.post_message(TranslationFinished(doc, report, cancel.is_set()))
        self._refresh(self.session.glossary)

    @on(TranslationProgressed)
    def translation_progressed(self, message: TranslationProgressed) -> None:
        if self._mt_cancel is not None and not self._mt_cancel.is_set():
            percent = 100 * message.done / message.total if message.total else 100
            self.work_notes["mt"] = (f"MT {message.done}/{message.total} ({percent:.0f}%)"
                                     " · t cancels")
            self.update_status()

    @on(TranslationFinished)
    def translation_finished(self, message: TranslationFinished) -> None:
        self._mt_cancel = None
        self.work_notes.pop("mt", None)
        self.model_problem = None
        self.notify("MT cancelled: what was translated is kept." if message.cancelled
                    else "MT finished.")
        self.update_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        group = event.worker.group
        error = event.worker.error
        if group == "mt":
            self._mt_cancel = None
            if isinstance(error, ModelError):
                self.model_problem = model_note(error)
        self.work_notes.pop({"refresh": "checks"}.get(group, group), None)
        self.update_status()
        message = str(error) if isinstance(error, WorkbenchError) else repr(error)
        self.notify(message, title="Error", severity="error", timeout=10)
        if self.current is not None:
            self.rerender()

    # ------------------------------------------------------------------ files
    def action_save(self) -> None:
        self.flush_edit()
        self.write_aligned([self.session.doc])

    @work(thread=True, exclusive=True, exit_on_error=False, group="files")
    def write_aligned(self, docs: Sequence[str]) -> None:
        from workbench.core.exchange import refresh_aligned

        paths = refresh_aligned(self.session.project, list(docs))
        self.post_message(FilesWritten("aligned", paths or []))

    def start_export(self, formats: Sequence[str]) -> None:
        """Export the current document (palette: `export: …`)."""
        self.flush_edit()
        self.export(formats)

    @work(thread=True, exclusive=True, exit_on_error=False, group="files")
    def export(self, formats: Sequence[str]) -> None:
        from workbench.core.exchange import export_documents

        paths = export_documents(self.session.project, [self.session.doc], list(formats))
        self.post_message(FilesWritten(", ".join(formats), paths or []))

    @on(FilesWritten)
    def files_written(self, message: FilesWritten) -> None:
        root = self.session.project.root
        if message.paths:
            names = ", ".join(_relative(p, root) for p in message.paths)
            self.notify(f"Wrote {names}", title=message.what)
        else:
            self.notify("aligned/ is up to date.", title=message.what)

    def finish(self) -> None:
        """On exit: commit a pending edit, stop MT, refresh aligned/ for the changed documents."""
        self.flush_edit()
        if self._mt_cancel is not None:
            self._mt_cancel.set()
        from workbench.core.exchange import refresh_aligned

        docs = sorted(self.session.touched | {self.session.doc})
        refresh_aligned(self.session.project, docs)


def model_note(exc: WorkbenchError) -> str:
    """What the MT pane says when there is no usable model: the problem, then the way out."""
    detail = exc.detail[:1].upper() + exc.detail[1:]
    return f"{detail}.\nTo get one, {exc.hint}" if exc.hint else detail


def _relative(path: Path | str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
