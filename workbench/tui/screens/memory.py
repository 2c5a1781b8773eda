"""The review screen's translation memory: the TM pane kept on the current segment, taking a
match into Final, the repetitions marked in the list, the concordance.

A base of `ReviewScreen`, apart from it so that the review screen stays a wiring of parts.
What it needs of the screen is declared below; the memory itself is opened after the first
document is on screen (it imports numpy and mirrors the project into the user's memory).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from workbench.core.session import Filter, Position, ReviewSession, SegmentView, UndoStep
from workbench.tui.messages import MemoryOpened
from workbench.tui.widgets.final_editor import FinalEditor
from workbench.tui.widgets.memory_pane import MemoryPane
from workbench.tui.widgets.segment_list import SegmentList

FINAL_TITLE = "Final"


class MemoryScreen(Screen[None]):
    """The memory's part of the review screen."""

    session: ReviewSession
    segment_list: SegmentList
    editor: FinalEditor
    current: SegmentView | None
    memory_pane: MemoryPane
    _noted: UndoStep | None = None
    """The last change whose filled repetitions were named."""

    if TYPE_CHECKING:   # the review screen's own
        def show_position(self, position: int) -> None: ...

        def _at_cursor(self) -> SegmentView | None: ...

        def _commit(self, *, final: str | None, status: str | None, advance: bool,
                    origin: str = ...) -> None: ...

        def flush_edit(self) -> bool: ...

        def set_filter(self, wanted: Filter) -> None: ...

        def document_chosen(self, doc: str | None) -> None: ...

    # ------------------------------------------------------------------ the pane
    def show_matches(self) -> None:
        """Look up the segment under the cursor (and prefetch the next ones)."""
        from workbench.core.memory.review import queries_from

        session = self.session
        if self.current is None or not len(session):
            self.clear_matches()
            return
        self.editor.border_title = FINAL_TITLE
        if self.memory_pane.memory is None:   # after this paint: it competes for the GIL
            self.call_after_refresh(self.memory_pane.open, session.glossary)
        wanted = queries_from(session.records, session.view, self.segment_list.cursor)
        self.memory_pane.show(wanted, session.revision, session.glossary)

    def clear_matches(self) -> None:
        self.editor.border_title = FINAL_TITLE
        self.memory_pane.clear()

    def on_memory_opened(self, message: MemoryOpened) -> None:
        self.session.repeated = message.repeated
        self.segment_list.refresh()
        if self.current is not None:
            self.show_matches()

    def on_memory_pane_shown(self, message: MemoryPane.Shown) -> None:
        """Final's title names the best match (the pane may be folded away)."""
        view = self.current
        if view is None or message.query.segment_id != view.record.id:
            return
        best = message.matches[0].label() if message.matches else None
        self.editor.border_title = f"{FINAL_TITLE} · TM {best} (1 takes)" if best \
            else FINAL_TITLE
        if message.provenance:
            self.editor.border_subtitle = f"{view.record.status} · {message.provenance}"

    def action_toggle_memory(self) -> None:
        self.toggle_class("-memory-toggled")
        if self.focused is None and self.segment_list.display:
            self.segment_list.focus()

    # ------------------------------------------------------------------ taking a match
    def action_take_match(self, number: int) -> None:
        """Match `number` into Final, with the glossary enforced on it as on MT, saved as a
        draft (checks run on it); the reviewer marks it reviewed when it is right."""
        from workbench.core.memory.review import taken_origin

        view = self._at_cursor()
        if view is None:
            return
        memory, query = self.memory_pane.memory, self.memory_pane.current
        match = self.memory_pane.match(query, number) if query is not None and \
            query.segment_id == view.record.id else None
        if memory is None or match is None:
            self.notify(f"No TM match {number} for this segment.", severity="warning")
            return
        if view.cut:
            self.notify("This segment is too long to edit here; its start is shown.",
                        severity="warning")
            return
        if not self.flush_edit():
            return
        enforced = memory.taken(match, view.record.source)
        self._commit(final=enforced.text, status="draft", advance=False,
                     origin=taken_origin(match))
        rewritten = f", {len(enforced.changes)} glossary rewrite" \
            f"{'s' if len(enforced.changes) != 1 else ''}" if enforced.changes else ""
        self.notify(f"Took match {number} ({match.label()}) into Final{rewritten}; "
                    "r marks it reviewed.")

    def note_filled(self) -> None:
        """Say which repetitions the change just made filled (z takes them back with it)."""
        step = self.session.undo_stack[-1] if self.session.undo_stack else None
        if not isinstance(step, UndoStep) or not step.filled or step is self._noted:
            return
        self._noted = step
        where = ", ".join(f"#{f.after.ordinal}" if f.after.doc == step.after.doc else
                          f"{f.after.doc} #{f.after.ordinal}" for f in step.filled[:6])
        more = f" and {len(step.filled) - 6} more" if len(step.filled) > 6 else ""
        count = len(step.filled)
        self.notify(f"Filled {count} repetition{'s' if count != 1 else ''} of "
                    f"#{step.after.ordinal}: {where}{more} (z undoes all).")

    # ------------------------------------------------------------------ going to a segment
    def action_concordance(self) -> None:
        """Search every document and the memory (the text selected on screen to start)."""
        from workbench.tui.screens.concordance import ConcordanceScreen

        selected = (self.get_selected_text() or "").strip()
        if "\n" in selected or len(selected) > 80:
            selected = ""
        self.app.push_screen(ConcordanceScreen(self.session.project, self.memory_pane.memory,
                                               selected), self.concordance_chosen)

    def concordance_chosen(self, hit: tuple[str, str] | None) -> None:
        if hit is not None:
            self.go_to_segment(*hit)

    def go_to_segment(self, doc: str, segment_id: str) -> None:
        """Show a segment of any document (the filter cleared if it hides it)."""
        session = self.session
        if doc != session.doc:
            at = dict(session.position.at) if session.position else {}
            at[doc] = segment_id
            session.position = Position(session.doc, at)   # where the document opens
            self.document_chosen(doc)
            return
        position = session.position_of(segment_id)
        if position is None and session.filter.active:
            self.set_filter(Filter())
            position = session.position_of(segment_id)
        if position is not None:
            self.show_position(position)
