"""Excel bilingual tables: one sheet per document, a summary, and the issues workbook.

A bilingual workbook has a Summary sheet first, then one sheet per document with the
columns of `COLUMNS`, and a hidden `_workbench` sheet recording what was exported (sheet,
row, segment id, final, status) so `import_xlsx` can tell a reviewer's edit from a change
made in the project since, and a deleted or added row from a sorted one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from workbench.core.errors import ExportError
from workbench.core.formats.ooxml import (
    MAX_CELL_CHARS,
    Column,
    Font,
    ListValidation,
    Rich,
    Sheet,
    Style,
    Styled,
    Value,
    Workbook,
)
from workbench.core.records import DONE_STATUSES, STATUSES, Issue, SegmentRecord

COLUMNS: tuple[str, ...] = ("id", "no.", "source", "MT", "normalized", "final", "status",
                            "glossary terms", "issues")
"""Header of a document sheet; `import_xlsx` insists on exactly these, in this order."""
# Characters per column of COLUMNS: narrow enough that the whole row, fitted to the width
# of a landscape page, still prints at a readable size (long cells wrap and the row grows).
_WIDTHS = (17, 5, 44, 34, 34, 44, 10, 24, 30)
_WRAPPED = frozenset({"source", "MT", "normalized", "final", "glossary terms", "issues"})

MANIFEST_SHEET = "_workbench"
MANIFEST_COLUMNS: tuple[str, ...] = ("sheet", "row", "id", "document", "final", "status")
SUMMARY_SHEET = "Summary"
ISSUES_SHEET = "Issues"

TERM_FONT = Font(bold=True, color="1F5FAD")      # a glossary name, in source or English
FLAGGED_FONT = Font(bold=True, color="C00000", underline=True)  # an English form to avoid
_HEADER = Style(font=Font(bold=True), fill="DDE4EE", border_bottom=True, valign_top=False)
_WRAP = Style(wrap=True)
_TOP = Style()
_ISSUE = Style(wrap=True, fill="FBE3E1", font=Font(color="9C0006"))
_PERCENT = Style(number_format="0.0%")


TERM_CHECKS = frozenset({"term-missing", "off-canonical", "forbidden", "inconsistent-term"})
"""QA checks about glossary names: the summary counts them as term issues."""


@dataclass(frozen=True)
class TermRow:
    """Glossary knowledge about one segment: spans to highlight and the terms it names."""

    source_spans: tuple[tuple[int, int], ...] = ()
    terms: tuple[tuple[str, str], ...] = ()  # (Japanese surface, canonical English)
    english_forms: tuple[str, ...] = ()       # forms that count as the name in English
    flagged_forms: tuple[str, ...] = ()       # forms the glossary rewrites or forbids

    @cached_property
    def forms(self) -> tuple[tuple[str, Font], ...]:
        """Forms to look for in English, longest first ("Embassy of Russia" before "Russia")."""
        forms = [(f, FLAGGED_FONT) for f in self.flagged_forms if f]
        forms += [(f, TERM_FONT) for f in self.english_forms if f]
        return tuple(sorted(forms, key=lambda f: -len(f[0])))


@dataclass
class Annotations:
    """What the sheets show beside the state: glossary terms and QA issues per segment."""

    terms: dict[str, TermRow] = field(default_factory=dict)
    issues: dict[str, list[Issue]] = field(default_factory=dict)
    analysis: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per document (and `total`): the memory analysis figures, shown on the summary."""


# ---------------------------------------------------------------------- highlighting
def highlight(text: str, spans: Iterable[tuple[int, int, Font]]) -> str | Rich:
    """`text` with the given spans in their fonts; plain `text` when there are none."""
    ordered = sorted(spans)
    if not ordered or not text:
        return text
    runs: list[tuple[str, Font | None]] = []
    pos = 0
    for start, end, font in ordered:
        if start < pos or end <= start:
            continue  # overlapping or empty: the first span wins
        if start > pos:
            runs.append((text[pos:start], None))
        runs.append((text[start:end], font))
        pos = end
    if pos < len(text):
        runs.append((text[pos:], None))
    return Rich(tuple(runs))


def english_spans(text: str, row: TermRow) -> list[tuple[int, int, Font]]:
    """Where the glossary's English forms (and the forbidden ones) occur in `text`."""
    found: list[tuple[int, int, Font]] = []
    if not text:
        return found
    for form, font in row.forms:
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            if _word_bounded(text, start, end) and all(end <= s or start >= e
                                                        for s, e, _ in found):
                found.append((start, end, font))
            start = text.find(form, start + 1)
    return found


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and \
        not (after.isalnum() and text[end - 1].isalnum())


# ---------------------------------------------------------------------- bilingual workbook
@dataclass(frozen=True)
class DocumentTable:
    """One document's rows for the bilingual workbook."""

    doc: str
    records: Sequence[SegmentRecord]


def bilingual_workbook(tables: Sequence[DocumentTable], notes: Annotations) -> Workbook:
    """The reviewer's workbook: Summary, a sheet per document, the hidden manifest."""
    book = Workbook()
    header = book.style(_HEADER)
    wrap, top, issue_style = book.style(_WRAP), book.style(_TOP), book.style(_ISSUE)
    summary_name = book.sheet_name(SUMMARY_SHEET)
    manifest_name = book.sheet_name(MANIFEST_SHEET)  # before any document can take it
    sheet_names = [book.sheet_name(t.doc) for t in tables]
    extra = list(next(iter(notes.analysis.values()), {}))
    summary_columns = _summary_columns(top, book.style(_PERCENT)) + \
        [Column(c, max(10, len(c) + 3), top) for c in extra]
    book.add(Sheet(summary_name, summary_columns,
                   _with_analysis(_summary_rows(tables, sheet_names, notes), notes, extra),
                   header_style=header, freeze_rows=1, freeze_cols=1))
    columns = [Column(title, width, wrap if title in _WRAPPED else top)
               for title, width in zip(COLUMNS, _WIDTHS, strict=True)]
    # Filled by the document sheets' rows as they are written; the manifest sheet comes last.
    manifest: list[Sequence[Value]] = []
    for table, name in zip(tables, sheet_names, strict=True):
        book.add(Sheet(name, columns, _document_rows(table, name, notes, issue_style, manifest),
                       header_style=header, freeze_rows=1, freeze_cols=2,
                       validations=[ListValidation(
                           COLUMNS.index("status"), STATUSES,
                           error="Pick a status from the list: " + ", ".join(STATUSES))]))
    book.add(Sheet(manifest_name, [Column(c, 14) for c in MANIFEST_COLUMNS], manifest,
                   freeze_rows=0, autofilter=False, hidden=True, printed=False))
    return book


def _summary_columns(top: int, percent: int) -> list[Column]:
    return [Column("document", 48, top), Column("sheet", 32, top), Column("segments", 10, top),
            *(Column(s, 10, top) for s in STATUSES), Column("done", 9, percent),
            Column("term issues", 12, top), Column("issues", 9, top)]


def _summary_rows(tables: Sequence[DocumentTable], sheet_names: Sequence[str],
                  notes: Annotations) -> Iterator[Sequence[Value]]:
    totals: Counter[str] = Counter()
    for table, name in zip(tables, sheet_names, strict=True):
        counts = Counter(r.status for r in table.records)
        issues = [i for r in table.records for i in notes.issues.get(r.id, ())]
        term_issues = sum(1 for i in issues if is_term_issue(i))
        n = len(table.records)
        done = sum(counts[s] for s in DONE_STATUSES)
        totals.update(counts)
        totals["_segments"] += n
        totals["_term"] += term_issues
        totals["_issues"] += len(issues)
        yield (table.doc, name, n, *(counts[s] for s in STATUSES),
               round(done / n, 4) if n else 0.0, term_issues, len(issues))
    n = totals["_segments"]
    done = sum(totals[s] for s in DONE_STATUSES)
    yield ("total", "", n, *(totals[s] for s in STATUSES), round(done / n, 4) if n else 0.0,
           totals["_term"], totals["_issues"])


def _with_analysis(rows: Iterator[Sequence[Value]], notes: Annotations, columns: list[str]
                   ) -> Iterator[Sequence[Value]]:
    """The summary rows with the analysis figures of their document after them."""
    for row in rows:
        figures = notes.analysis.get(str(row[0]), {})
        yield (*row, *(figures.get(c, 0) for c in columns)) if columns else row


def is_term_issue(issue: Issue) -> bool:
    """A glossary (term) issue, as opposed to other QA findings."""
    return issue.check in TERM_CHECKS or bool(issue.term)


def _document_rows(table: DocumentTable, sheet: str, notes: Annotations, issue_style: int,
                   manifest: list[Sequence[Value]]) -> Iterator[Sequence[Value]]:
    for row, r in enumerate(table.records, 2):
        _fits_a_cell(r)
        terms = notes.terms.get(r.id)
        source: str | Rich = r.source
        mt: str | Rich = r.mt or ""
        normalized: str | Rich = r.normalized or ""
        final: str | Rich = r.final or ""
        glossary = ""
        if terms is not None:
            source = highlight(r.source, ((s, e, TERM_FONT) for s, e in terms.source_spans))
            # MT, normalized and final are often the same text: highlight each text once.
            done: dict[str, str | Rich] = {"": ""}
            for text in (r.mt or "", r.normalized or "", r.final or ""):
                if text not in done:
                    done[text] = highlight(text, english_spans(text, terms))
            mt, normalized, final = (done[r.mt or ""], done[r.normalized or ""],
                                     done[r.final or ""])
            glossary = "\n".join(f"{ja} → {en}" for ja, en in terms.terms)
        issues = notes.issues.get(r.id)
        issue_cell: Value = ""
        if issues:
            issue_cell = Styled("\n".join(f"{i.severity} {i.check}: {i.message}"
                                          for i in issues), issue_style)
        manifest.append((sheet, row, r.id, r.doc, r.final or "", r.status))
        yield (r.id, r.ordinal, source, mt, normalized, final, r.status, glossary, issue_cell)


def _fits_a_cell(record: SegmentRecord) -> None:
    """Refuse, naming the document and segment, a text Excel cannot hold in one cell."""
    for column, text in (("source", record.source), ("MT", record.mt),
                         ("normalized", record.normalized), ("final", record.final)):
        if text is not None and len(text) > MAX_CELL_CHARS:
            raise ExportError(
                f"{record.doc} #{record.ordinal} (segment {record.id}): its {column} text is "
                f"{len(text):,} characters, over Excel's limit of {MAX_CELL_CHARS:,} a cell",
                hint="split the sentence in its source, or export txt, tmx or jsonl, which "
                     "have no such limit")


# ---------------------------------------------------------------------- issues workbook
ISSUE_COLUMNS: tuple[str, ...] = ("document", "no.", "segment id", "severity", "check",
                                  "message", "source", "target", "term")


def issues_workbook(issues: Sequence[Issue], terms: dict[str, TermRow] | None = None
                    ) -> Workbook:
    """QA issues as a table (same styling as the bilingual workbook) and counts per check."""
    book = Workbook()
    header = book.style(_HEADER)
    wrap, top = book.style(_WRAP), book.style(_TOP)
    columns = [Column("document", 30, top), Column("no.", 6, top), Column("segment id", 18, top),
               Column("severity", 9, top), Column("check", 18, top), Column("message", 50, wrap),
               Column("source", 50, wrap), Column("target", 50, wrap), Column("term", 24, wrap)]
    terms = terms or {}

    def rows() -> Iterator[Sequence[Value]]:
        for i in issues:
            row = terms.get(i.segment_id or "", TermRow())
            if i.term and i.term not in row.english_forms:
                row = TermRow(row.source_spans, row.terms, (*row.english_forms, i.term),
                              row.flagged_forms)
            source = highlight(i.source, ((s, e, TERM_FONT) for s, e in row.source_spans))
            target = highlight(i.target, english_spans(i.target, row))
            yield (i.doc, i.ordinal, i.segment_id or "", i.severity, i.check, i.message, source,
                   target, i.term)

    def counts() -> Iterator[Sequence[Value]]:
        by = Counter((i.doc, i.check, i.severity) for i in issues)
        for (doc, check, severity), n in sorted(by.items()):
            yield (doc, check, severity, n)
        yield ("total", "", "", len(issues))

    book.add(Sheet(book.sheet_name(ISSUES_SHEET), columns, rows(), header_style=header,
                   freeze_rows=1, freeze_cols=3))
    book.add(Sheet(book.sheet_name("By check"),
                   [Column("document", 40, top), Column("check", 24, top),
                    Column("severity", 10, top), Column("issues", 9, top)],
                   counts(), header_style=header))
    return book
