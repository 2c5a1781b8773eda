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
from workbench.core.session import VIEW_LIMIT, SegmentView

CUT_STYLE = "bold $warning"

HIT_STYLE = "bold underline $accent"
CHANGE_STYLE = "bold $success"
MISSING_STYLE = "bold $error"
MUTED_STYLE = "$text-muted"
ORPHAN_STYLE = "bold $warning"
SUGGESTION_STYLE = "$warning"
SUGGESTED_STYLE = "underline $warning"
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


def cut_marker(whole: str | None, shown: str | None) -> str:
    """What a pane says under a text it shows only the start of (nothing if shown whole)."""
    if whole is None or shown is None or len(whole) <= len(shown):
        return ""
    return (f"[cut: the first {len(shown):,} of {len(whole):,} characters shown; "
            "the whole text is kept]")


def with_marker(content: Content, whole: str | None, shown: str | None) -> Content:
    marker = cut_marker(whole, shown)
    return Content("\n").join([content, Content.styled(marker, CUT_STYLE)]) if marker \
        else content


def source_content(view: SegmentView) -> Content:
    """The source sentence with its glossary hits underlined, then the English that the
    document's alignment left with no Japanese next to it."""
    content = Content(view.display.source)
    for hit in view.hits:
        content = content.stylize(HIT_STYLE, hit.start, hit.end)
    content = with_marker(content, view.record.source, view.display.source)
    loose = orphans_content(view)
    return Content("\n").join([content, loose]) if loose else content


def orphans_content(view: SegmentView) -> Content | None:
    """English sentences of the aligned translation with no Japanese, before or after this
    segment (`o` gives them to it), with how sure the alignment is of them."""
    if not view.orphans:
        return None
    lines = [Content.styled("English with no Japanese here (o takes it):", ORPHAN_STYLE)]
    for bead in view.orphans:
        where = "before" if bead.after is None else "after"
        lines.append(Content.assemble((f"{where} · {bead.confidence:.2f} ", MUTED_STYLE),
                                      " ".join(bead.target)))
    return Content("\n").join(lines)


def engine_label(engine_id: str | None) -> str:
    """The model that made an MT, without its decoding settings (`name@version`)."""
    return engine_id.split()[0] if engine_id and engine_id.strip() else ""


def mt_content(view: SegmentView, model_note: str | None) -> Content:
    """The raw MT, or what to do to get some (translate, or install a model first)."""
    if view.record.mt is not None:
        return with_marker(Content(view.display.mt or ""), view.record.mt, view.display.mt)
    if model_note:   # it says there is no model: no MT goes without saying
        return Content.styled(model_note, "$warning")
    return Content.styled("No machine translation yet.\nPress t to translate this document.",
                          MUTED_STYLE)


def normalized_content(view: SegmentView) -> Content:
    """The glossary-enforced text: rewritten spans in colour and the spellings only
    suggested underlined, then why each was made and how sure it is; missing terms flagged."""
    enforced = view.enforced
    content = Content(enforced.text)
    for start, end in rewritten_spans(enforced.changes):
        content = content.stylize(CHANGE_STYLE, start, end)
    for start, end in suggested_spans(enforced.changes, enforced.suggestions):
        content = content.stylize(SUGGESTED_STYLE, start, end)
    notes: list[Content] = []
    if not enforced.pretranslated:    # a pre-translation says so once, below
        notes += [change_line(c) for c in enforced.changes]
    notes += [change_line(c, suggested=True) for c in enforced.suggestions]
    if enforced.pretranslated:
        notes.append(Content.styled("glossary pre-translation (no MT yet)", MUTED_STYLE))
    if enforced.missing:
        names = dict.fromkeys(entry.rendering for entry in enforced.missing)
        notes.append(Content.styled("missing: " + ", ".join(names), MISSING_STYLE))
    if view.cut:
        notes.append(Content.styled(f"[cut: made from the first {VIEW_LIMIT:,} characters of "
                                    "the segment]", CUT_STYLE))
    if notes:
        content = Content("\n").join([content, *notes])
    return content


def final_text(view: SegmentView) -> str:
    """What the Final editor shows: the text to edit, or the start of one too long to."""
    if not view.cut:
        return view.final_text
    whole = view.record.final if view.record.final is not None else view.record.normalized
    marker = cut_marker(whole, view.final_text) or "[cut]"
    return f"{view.final_text}\n{marker} Too long to edit here."


def change_line(change: Change, *, suggested: bool = False) -> Content:
    """`before → after · why · confidence`; a suggestion is marked as not applied."""
    why = change.why or change.reason.replace("_", " ")
    line = Content.assemble(
        ("? " if suggested else "", SUGGESTION_STYLE), change.before, " → ",
        (change.after, SUGGESTION_STYLE if suggested else CHANGE_STYLE),
        (f" · {why} · {change.confidence:.2f}", MUTED_STYLE))
    return Content.assemble(line, (" suggested, not applied", SUGGESTION_STYLE)) \
        if suggested else line


def normalized_note(view: SegmentView) -> str:
    """The Normalized pane's note: how many rewrites were made and suggested."""
    made, offered = len(view.enforced.changes), len(view.enforced.suggestions)
    parts = [f"{made} rewritten"] if made else []
    if offered:
        parts.append(f"{offered} suggested")
    return " · ".join(parts)


def suggested_spans(changes: Iterable[Change], suggestions: Iterable[Change]
                    ) -> list[tuple[int, int]]:
    """Where each suggestion's spelling lies in the enforced text (it spans the input,
    which the applied changes before it have shifted)."""
    applied = sorted(changes, key=lambda c: c.start)
    spans = []
    for suggestion in suggestions:
        shift = sum(len(c.after) - (c.end - c.start) for c in applied
                    if c.end <= suggestion.start)
        spans.append((suggestion.start + shift, suggestion.end + shift))
    return spans


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
    mt = view.display.mt
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


def source_note(view: SegmentView) -> str:
    """The Source pane's note: how many terms it holds, or that it is cut (the marker at its
    end says more, and is out of sight when the pane is short)."""
    if view.cut:
        return f"cut to {len(view.display.source):,} chars"
    terms = hit_summary(view.hits)
    if view.confidence is None:
        return terms
    sure = f"aligned {view.confidence:.2f}"
    return f"{terms} · {sure}" if terms else sure


def hit_summary(hits: Iterable[Hit]) -> str:
    """`n terms` for a pane title."""
    count = len({h.entry.en for h in hits})
    return f"{count} term{'s' if count != 1 else ''}" if count else ""
