"""The workbench's keys, in one place: the review screen's bindings, the list of keys (f1)
built from them, and the palette's commands (each binding's tooltip, with its keys).

Tooltips stay under 28 characters: the list of keys shows two columns at 80x24.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding, BindingType

from workbench.tui.screens.keys import Section
from workbench.tui.widgets.final_editor import FinalEditor
from workbench.tui.widgets.segment_list import SegmentList

REVIEW_KEYS: tuple[Binding, ...] = (
    Binding("enter,a", "accept_normalized", "Accept", key_display="⏎", id="review.accept",
            tooltip="Accept Normalized, go on"),
    Binding("m", "accept_mt", "Accept MT", show=False, id="review.accept-mt",
            tooltip="Accept MT, go on"),
    Binding("e", "edit", "Edit", id="review.edit", tooltip="Edit Final (esc leaves)"),
    Binding("r", "mark('reviewed')", "Review", id="review.reviewed",
            tooltip="Mark reviewed, go on"),
    Binding("p", "mark('approved')", "Approve", show=False, id="review.approved",
            tooltip="Mark approved, go on"),
    Binding("x", "mark('rejected')", "Reject", show=False, id="review.rejected",
            tooltip="Reject, go on"),
    Binding("down,j", "move(1)", "Next", show=False, id="review.next",
            tooltip="Next segment"),
    Binding("up,k", "move(-1)", "Previous", show=False, id="review.previous",
            tooltip="Previous segment"),
    Binding("u", "next_untranslated", "To do", id="review.next-untranslated",
            tooltip="Next untranslated"),
    Binding("i", "next_issue", "Issues", id="review.next-issue",
            tooltip="Next with QA issues"),
    Binding("slash", "search", "Search", key_display="/", id="review.search",
            tooltip="Search source and target"),
    Binding("f", "filter", "Filter", show=False, id="review.filter",
            tooltip="Filter by status or issue"),
    Binding("g", "add_term", "Add term", id="review.add-term",
            tooltip="Add selection to glossary"),
    Binding("w", "dictionary", "Dictionary", show=False, id="review.dictionary",
            tooltip="Dictionary: word in source"),
    Binding("I", "ignore_issue", "Ignore issue", show=False, id="review.ignore-issue",
            tooltip="Ignore the QA issue shown"),
    Binding("z,ctrl+z", "undo", "Undo", show=False, id="review.undo",
            tooltip="Undo the last change"),
    Binding("t", "translate", "MT", id="review.translate",
            tooltip="MT this document (t stops)"),
    Binding("d", "switch_document", "Document", show=False, id="review.document",
            tooltip="Switch document"),
    Binding("ctrl+s", "save", "Save", show=False, id="review.save",
            tooltip="Write aligned/ files now"),
    Binding("v", "toggle_panels", "Panels", show=False, id="review.panels",
            tooltip="Glossary and QA panels"),
    Binding("escape", "escape", "Back", show=False, id="review.back",
            tooltip="Clear the search; stop MT"),
)

MEMORY_KEYS: tuple[Binding, ...] = (
    *(Binding(str(n), f"take_match({n})", f"Match {n}", show=False, id=f"review.take-match-{n}",
              tooltip=f"Take TM match {n} into Final") for n in range(1, 6)),
    Binding("0", "toggle_memory", "TM", show=False, id="review.memory",
            tooltip="TM pane (matches)"),
    Binding("c", "concordance", "Concordance", show=False, id="review.concordance",
            tooltip="Concordance: docs and TM"),
)
"""The translation memory's keys (`screens/memory.py`)."""

SHIFT = Binding.Group("Move a sentence up/down")

REPAIR_KEYS: tuple[Binding, ...] = (
    Binding("J", "merge_next", "Merge", show=False, id="review.merge",
            tooltip="Merge with the next"),
    Binding("s", "split", "Split", show=False, id="review.split",
            tooltip="Split at a cursor"),
    Binding("left_square_bracket", "shift('up')", "Sentence up", show=False,
            key_display="[", id="review.shift-up", tooltip="First sentence to previous",
            group=SHIFT),
    Binding("right_square_bracket", "shift('down')", "Sentence down", show=False,
            key_display="]", id="review.shift-down", tooltip="Last sentence to next",
            group=SHIFT),
    Binding("o", "attach", "Take English", show=False, id="review.attach",
            tooltip="Take loose English (+)"),
)
"""Segment repairs (an aligned translation's boundaries): each one step of undo."""

APP_KEYS: tuple[Binding, ...] = (
    Binding("q", "quit", "Quit", id="app.quit", show=False, tooltip="Quit (all is saved)"),
    Binding("f1,question_mark", "toggle_keys", "Keys", id="app.keys", show=False,
            tooltip="This list of keys"),
)


def key_sections(app_keys: Sequence[BindingType], palette_key: str
                 ) -> tuple[list[Section], list[Section]]:
    """The list of keys in two columns: the review's keys; the list's others, the editor's
    and the ones that work anywhere."""
    review = list(REVIEW_KEYS)
    taken = {key for binding in [*review, *REPAIR_KEYS] for key in binding.key.split(",")}
    listing = [b for b in SegmentList.BINDINGS if isinstance(b, Binding)
               and not taken.intersection(b.key.split(","))]
    editor = [b for b in FinalEditor.BINDINGS if isinstance(b, Binding)]
    anywhere = [b for b in app_keys if isinstance(b, Binding)]
    anywhere.append(Binding(palette_key, "command_palette", "Palette",
                            tooltip="Every command, by name"))
    # the five take-match keys on one line
    takes = [b for b in MEMORY_KEYS if b.action.startswith("take_match")]
    memory = [Binding(",".join(b.key for b in takes), "take_match(1)",
                      tooltip="Take TM match N to Final")]
    memory += [b for b in MEMORY_KEYS if b not in takes]
    return ([("Review", review)],
            [("List", listing), ("Editing Final (e)", editor), ("Memory", memory),
             ("Repairing segments", list(REPAIR_KEYS)), ("Anywhere", anywhere)])
