"""The review screen's segment repairs: merge with the next segment, split at a cursor, move
a translated sentence to the segment before or after, and give a segment the English an
alignment left with no Japanese next to it. Each is one state operation, on disk at once,
and one step of undo; the list is read again after it (ids and numbers change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from workbench.core.errors import WorkbenchError
from workbench.tui.screens.split import SplitDialog

if TYPE_CHECKING:
    from workbench.core.repair import Repaired
    from workbench.core.session import ReviewSession, SegmentView
    from workbench.tui.widgets.segment_list import SegmentList


class AlignReview(Screen[None]):
    """Segment repairs, mixed into the review screen."""

    if TYPE_CHECKING:
        session: ReviewSession
        segment_list: SegmentList

        def _at_cursor(self) -> SegmentView | None: ...
        def flush_edit(self, *, asked: bool = True) -> bool: ...
        def show_position(self, position: int) -> None: ...
        def refresh_document(self) -> None: ...
        def report(self, error: BaseException, title: str = "Error") -> None: ...

    def action_merge_next(self) -> None:
        view = self._at_cursor()
        if view is not None:
            self._repair(lambda: self.session.merge_next(view.record.id),
                         f"#{view.record.ordinal} and #{view.record.ordinal + 1} merged")

    def action_split(self) -> None:
        view = self._at_cursor()
        if view is None:
            return
        if view.cut:
            self.notify("This segment is too long to split here: use `workbench repair "
                        "split`.", severity="warning")
            return
        record = view.record
        self.app.push_screen(SplitDialog(record.ordinal, record.source), lambda offset: (
            self._repair(lambda: self.session.split(record.id, offset),
                         f"#{record.ordinal} split in two") if offset is not None else None))

    def action_shift(self, direction: str) -> None:
        view = self._at_cursor()
        if view is not None:
            where = "previous" if direction == "up" else "next"
            self._repair(lambda: self.session.shift(view.record.id, direction),
                         f"a sentence of #{view.record.ordinal} moved to the {where} segment")

    def action_attach(self) -> None:
        """Give this segment the next English the alignment left with no Japanese by it."""
        view = self._at_cursor()
        if view is None:
            return
        if not view.orphans:
            self.notify("No English without Japanese next to this segment.")
            return
        bead = view.orphans[0]
        direction = "down" if bead.after is None else "up"
        self._repair(lambda: self.session.attach(bead, direction),
                     f"{len(bead.target)} sentence(s) given to #{view.record.ordinal}")

    def _repair(self, do: Callable[[], Repaired], what: str) -> None:
        """Make a repair (an edit in hand is saved first), then show the segment it made."""
        if not self.flush_edit():
            return
        try:
            done = do()
        except (WorkbenchError, OSError) as exc:
            self.report(exc)
            return
        position = self.session.position_of(done.segments[0].id)
        self.segment_list.reset(position or 0)
        self.show_position(position or 0)
        self.notify(f"{what}; z undoes it.")
        self.refresh_document()
