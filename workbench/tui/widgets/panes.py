"""What the panes of one segment show: pure functions from a SegmentView to Content.

Kept apart from the widgets so they can be tested without an app, and so a move to the
next segment is a handful of string operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content

from workbench.core.enforce import Change, present_in
from workbench.core.glossary.model import Hit
from workbench.core.records import Issue
from workbench.core.session import SegmentView

HIT_STYLE = "bold underline $accent"
CHANGE_STYLE = "bold $success"
MISSING_STYLE = "bold $error"
MUTED_STYLE = "$text-muted"
YES = "✓"
NO = "✗"


def source_title(view: SegmentView) -> str:
    """The Source pane's title: what kind of unit the segment is, if not running text (a
    heading, a footnote or a caption the layout dropped into a sentence), and where it
    stands in the source file, to find it in the original."""
    record = view.record
    kind = "" if record.kind == "text" else f" · {record.kind}"
    lines = (f"line {record.line_start}" if record.line_start == record.line_end else
             f"lines {record.line_start}–{record.line_end}")
    return f"Source{kind} · {lines}"


def source_content(view: SegmentView) -> Content:
    """The source sentence with its glossary hits underlined."""
    content = Content(view.record.source)
    for hit in view.hits:
        content = content.stylize(HIT_STYLE, hit.start, hit.end)
    return content


def mt_content(view: SegmentView, model_note: str | None) -> Content:
    """The raw MT, or what to do to get some (translate, or install a model first)."""
    if view.record.mt is not None:
        return Content(view.record.mt)
    lines = [Content.styled("No machine translation yet.", MUTED_STYLE)]
    if model_note:
        lines.append(Content.styled(model_note, "$warning"))
    else:
        lines.append(Content.styled("Press t to translate this document.", MUTED_STYLE))
    return Content("\n").join(lines)


def normalized_content(view: SegmentView) -> Content:
    """The glossary-enforced text: rewritten spans in colour, missing terms flagged."""
    enforced = view.enforced
    content = Content(enforced.text)
    for start, end in rewritten_spans(enforced.changes):
        content = content.stylize(CHANGE_STYLE, start, end)
    notes: list[Content] = []
    if enforced.pretranslated:
        notes.append(Content.styled("glossary pre-translation (no MT yet)", MUTED_STYLE))
    if enforced.missing:
        names = dict.fromkeys(entry.rendering for entry in enforced.missing)
        notes.append(Content.styled("missing: " + ", ".join(names), MISSING_STYLE))
    if notes:
        content = Content("\n").join([content, *notes])
    return content


def rewritten_spans(changes: Iterable[Change]) -> list[tuple[int, int]]:
    """Where each change's replacement lies in the enforced text (changes span the input)."""
    spans = []
    shift = 0
    for change in sorted(changes, key=lambda c: c.start):
        start = change.start + shift
        spans.append((start, start + len(change.after)))
        shift += len(change.after) - (change.end - change.start)
    return spans


def glossary_content(view: SegmentView) -> Content:
    """One line per hit: source variant → canonical English, in MT? in Normalized?"""
    if not view.hits:
        return Content.styled("No glossary terms in this segment.", MUTED_STYLE)
    mt = view.record.mt
    lines = []
    seen: set[tuple[str, str]] = set()
    for hit in view.hits:
        key = (hit.surface, hit.entry.en)
        if key in seen:
            continue
        seen.add(key)
        in_mt = mark(present_in(hit.entry, mt)) if mt is not None else Content("–")
        in_norm = mark(hit.entry in view.enforced.present)
        lines.append(Content.assemble(
            ("MT ", MUTED_STYLE), in_mt, (" Norm ", MUTED_STYLE), in_norm, "  ",
            (hit.surface, HIT_STYLE), " → ", hit.entry.rendering))
    return Content("\n").join(lines)


SEVERITY_MARKS: dict[str, tuple[str, str]] = {
    "error": ("! ", MISSING_STYLE), "warning": ("? ", "$warning"), "info": ("· ", MUTED_STYLE)}


def qa_content(issues: Sequence[Issue]) -> Content:
    """The segment's QA issues, errors first."""
    if not issues:
        return Content.styled("No issues.", MUTED_STYLE)
    order = list(SEVERITY_MARKS)
    lines = []
    for issue in sorted(issues, key=lambda i: order.index(i.severity)
                        if i.severity in order else len(order)):
        mark, style = SEVERITY_MARKS.get(issue.severity, ("? ", "$warning"))
        lines.append(Content.assemble(
            (mark, style), (issue.check, "bold" if issue.severity != "info" else MUTED_STYLE),
            ": ", issue.message))
    return Content("\n").join(lines)


def mark(present: bool) -> Content:
    return Content.styled(YES, "$success") if present else Content.styled(NO, MISSING_STYLE)


def hit_summary(hits: Iterable[Hit]) -> str:
    """`n terms` for a pane title."""
    count = len({h.entry.en for h in hits})
    return f"{count} term{'s' if count != 1 else ''}" if count else ""
