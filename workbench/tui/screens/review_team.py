"""The review screen's part in a team: conflicts and others' changes.

A write another reviewer made stale is refused (`Conflict`): the screen shows both texts
(`ConflictDialog`) and writes what the reviewer chooses, conditional on their version. What
others write arrives from the `TeamWatcher` and replaces the rows it touches; the cursor
stays where it is, and the segment being edited is left as typed (its save meets the
conflict). The "mine" filter reads the reviewer's assignments when it is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from workbench.core.errors import WorkbenchError
from workbench.core.project import Conflict
from workbench.tui.messages import OthersChanged
from workbench.tui.screens.conflict import ConflictDialog, Resolution

if TYPE_CHECKING:
    from workbench.core.session import ReviewSession, SegmentView
    from workbench.tui.widgets.final_editor import FinalEditor
    from workbench.tui.widgets.segment_list import SegmentList


class TeamReview(Screen[None]):
    """Conflict resolution and live changes, mixed into the review screen."""

    if TYPE_CHECKING:
        session: ReviewSession
        current: SegmentView | None
        editor: FinalEditor
        segment_list: SegmentList

        def rerender(self) -> None: ...
        def update_status(self) -> None: ...
        def report(self, error: BaseException, title: str = "Error") -> None: ...

    _conflict: Conflict | None = None
    """The conflict whose dialog is open."""
    _postponed: tuple[str, int] | None = None
    """(segment id, their version) of a conflict left for later: autosave does not ask again."""

    # ------------------------------------------------------------------ conflicts
    @property
    def conflict_open(self) -> bool:
        """Whether the conflict dialog is asking the reviewer."""
        return self._conflict is not None

    def show_conflict(self, conflict: Conflict, *, asked: bool = True) -> None:
        """Show the dialog for a refused write (one at a time); `asked` False for a save
        the reviewer did not ask for (autosave), which does not ask again about a
        conflict left for later."""
        if self._conflict is not None:
            return
        if not asked and self._postponed == (conflict.theirs.id, conflict.theirs.version):
            return
        self._conflict = conflict
        self.app.push_screen(ConflictDialog(conflict),
                             lambda choice: self.resolve_conflict(conflict, choice))

    def resolve_conflict(self, conflict: Conflict, choice: Resolution | None) -> None:
        """Write what the reviewer chose (conditional on their version: a third writer
        meanwhile is one more conflict), then show the segment as it now is."""
        self._conflict = None
        theirs = conflict.theirs
        if choice is None:
            self._postponed = (theirs.id, theirs.version)
            self.notify("Nothing written: your text stays in Final, and saving it asks again.",
                        title="Conflict left for later")
            return
        self._postponed = None
        edit = self.editor.pending()
        try:
            if choice.choice == "mine":
                self.session.keep_mine(conflict)
            elif choice.choice == "merged":
                self.session.update(theirs.id, final=choice.text,
                                    status=conflict.mine_status or "draft",
                                    expected_version=theirs.version)
            else:
                self.session.take_theirs(conflict)
        except Conflict as again:
            self.show_conflict(again)
            return
        except (WorkbenchError, OSError) as exc:
            self.report(exc)
            return
        if edit is not None and edit.segment_id == theirs.id:
            self.editor.saved(edit)    # written, or dropped for theirs
        self._redraw(theirs.id)
        self.rerender()
        self.segment_list.focus()      # decided: back to the list, as after an edit

    def _redraw(self, segment_id: str) -> None:
        position = self.session.position_of(segment_id)
        if position is not None:
            self.segment_list.refresh_position(position)

    # ------------------------------------------------------------------ others' changes
    def on_others_changed(self, message: OthersChanged) -> None:
        positions = self.session.apply_changes(message.records)
        for position in positions:
            self.segment_list.refresh_position(position)
        if positions:
            self.update_status()
        current = self.current
        if current is None or \
                self.session.record(current.record.id).version == current.record.version:
            return
        edit = self.editor.pending()
        if edit is None or edit.segment_id != current.record.id:
            self.rerender()
