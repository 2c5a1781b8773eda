"""The review screen's QA and dictionary actions, a mixin of ReviewScreen: asking before a
final with Japanese left in it is marked done, ignoring the QA issue shown (as `workbench
check --ignore` does), and the dictionary panel with its way into the add-term dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.checks.form import japanese_runs
from workbench.core.errors import WorkbenchError
from workbench.core.records import DONE_STATUSES, Issue
from workbench.tui.screens.dialogs import ChoiceDialog
from workbench.tui.screens.dictionary import DictionaryPanel, Pick

_ANYWAY = "anyway"

ASK_BEFORE_JAPANESE_LEFT = True
"""Whether marking done a final with Japanese left in it asks first (the tests of other
behaviour, on a project with no MT, accept the half-Japanese pre-translation as it is)."""


class ReviewQA:
    """QA actions of the review screen (`self` is the ReviewScreen)."""

    @property
    def _review(self) -> Any:
        """The ReviewScreen this is mixed into (typed loosely: naming it here would make
        the two modules import each other)."""
        return self

    # ------------------------------------------------------------------ Japanese left
    def asks_before_done(self, final: str | None, status: str | None,
                         go_on: Callable[[], None]) -> bool:
        """Whether a change must wait for the reviewer: marking a final reviewed or approved
        with Japanese left in it asks first, and `go_on` makes the change if they say so."""
        screen = self._review
        view = screen.current
        if view is None or status not in DONE_STATUSES or not ASK_BEFORE_JAPANESE_LEFT:
            return False
        left = japanese_runs(final if final is not None else view.record.final or "")
        if not left:
            return False

        def answered(choice: str | None) -> None:
            if choice == _ANYWAY:
                go_on()
            elif choice == "edit" and not view.cut:
                screen.action_edit()

        screen.app.push_screen(ChoiceDialog(
            f"Japanese left in the English: {left}",
            [("edit", "Edit Final first"), (_ANYWAY, f"Mark it {status} anyway")], "edit"),
            answered)
        return True

    # ------------------------------------------------------------------ ignoring an issue
    def action_ignore_issue(self) -> None:
        """Mark the QA issue shown a false positive (one of several: chosen from a list)."""
        screen = self._review
        view = screen._at_cursor()
        if view is None:
            return
        issues = [i for i in view.issues if i.check != "variant-census"]
        if not issues:
            screen.notify("This segment has no QA issue to ignore.")
            return
        if len(issues) == 1:
            screen.ignore_issue(issues[0])
            return
        by_id = {i.id: i for i in issues}
        screen.app.push_screen(
            ChoiceDialog("Ignore which issue?", [(i.id, f"{i.check}: {i.message}")
                                                 for i in issues]),
            lambda chosen: screen.ignore_issue(by_id[chosen]) if chosen in by_id else None)

    def ignore_issue(self, issue: Issue) -> None:
        screen = self._review
        try:
            screen.session.ignore(issue)
        except (WorkbenchError, OSError) as exc:
            screen.report(exc)
            return
        screen.notify(f"Ignored {issue.check}: it comes back if the segment's text changes "
                      f"(workbench check --unignore {issue.id}).")
        screen.rerender()
        screen.segment_list.refresh()

    # ------------------------------------------------------------------ the dictionary
    def action_dictionary(self) -> None:
        """The dictionary panel on the source: at the word selected in it, else at the
        first Japanese word no glossary entry names."""
        screen = self._review
        view = screen._at_cursor()
        if view is None:
            return
        source = view.display.source
        selected = (screen.get_selected_text() or "").strip()
        at = source.find(selected) if selected else -1
        if at >= 0:
            start, end = at, at + len(selected)
            panel = DictionaryPanel(source, start, end)
        else:
            named = {i for hit in view.hits for i in range(hit.start, hit.end)}
            panel = DictionaryPanel(source, next(
                (i for i in range(len(source)) if i not in named), 0))
        screen.app.push_screen(panel, screen.word_picked)

    def word_picked(self, pick: Pick | None) -> None:
        screen = self._review
        if pick is not None:
            screen.open_term_dialog(pick.ja, pick.en)
