"""The current segment on screen: the four panes (Source, MT, Normalized, Final) and the side
panels (its glossary hits and QA issues). Each shows a SegmentView; none reads the project."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.content import Content

from workbench.core.records import Issue
from workbench.core.session import SegmentView
from workbench.tui.widgets.content_view import ContentView
from workbench.tui.widgets.final_editor import FinalEditor
from workbench.tui.widgets.panes import (
    engine_label,
    final_text,
    glossary_content,
    mt_content,
    normalized_content,
    normalized_note,
    qa_content,
    source_content,
    source_note,
    source_title,
)


class TextPane(ContentView):
    """A titled, scrollable pane holding one piece of text."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = title

    def show(self, content: Content, note: str = "") -> None:
        self.update(content, note)


class SegmentPanes(Grid):
    """Source and MT above, Normalized and the Final editor below."""

    def __init__(self, editor: FinalEditor, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.editor = editor
        self.source = TextPane("Source", id="source")
        self.mt = TextPane("MT", id="mt")
        self.normalized = TextPane("Normalized", id="normalized")
        self.view: SegmentView | None = None
        self.model_problem: str | None = None
        """Why there is no MT model (and how to get one), for a segment with no MT."""

    def compose(self) -> ComposeResult:
        yield self.source
        yield self.mt
        yield self.normalized
        yield self.editor

    def show(self, view: SegmentView) -> None:
        self.view = view
        self.source.border_title = source_title(view)
        self.source.show(source_content(view), source_note(view))
        self.mt.show(mt_content(view, self.model_problem), engine_label(view.record.mt_engine))
        self.normalized.show(normalized_content(view), normalized_note(view))
        self.editor.show(view.record.id, final_text(view), editable=not view.cut)
        self.editor.border_subtitle = view.record.status

    def set_model_problem(self, problem: str | None) -> None:
        """What the MT pane says of a segment with no MT: how to get a model, or to press t."""
        self.model_problem = problem
        if self.view is not None and self.view.record.mt is None:
            self.mt.show(mt_content(self.view, problem))

    def show_message(self, text: str, *, style: str = "$text-muted") -> None:
        """No segment to show: say why (reading, nothing matches, an error) in Source."""
        self.view = None
        self.source.border_title = "Source"
        self.source.show(Content.styled(text, style))
        for pane in (self.mt, self.normalized):
            pane.show(Content(""))
        self.editor.show(None, "", editable=False)
        self.editor.border_subtitle = ""


class SidePanels(Horizontal):
    """The glossary hits and the QA issues of the current segment."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glossary = TextPane("Glossary", id="glossary")
        self.qa = TextPane("QA", id="qa")

    def compose(self) -> ComposeResult:
        yield self.glossary
        yield self.qa

    def show(self, view: SegmentView) -> None:
        self.glossary.show(glossary_content(view))
        self.show_issues(view.issues)

    def show_issues(self, issues: Sequence[Issue]) -> None:
        self.qa.show(qa_content(issues), f"{len(issues)}" if issues else "")

    def clear(self) -> None:
        self.glossary.show(Content(""))
        self.qa.show(Content(""))
