"""QA issues as CSV and JSON (the XLSX is `formats.xlsx.issues_workbook`).

CSV cells that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or a carriage
return first) are written with a leading `'`, as OWASP recommends against CSV injection: a
source sentence such as `=HYPERLINK(…)` stays text when a reviewer opens the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from workbench.core.records import ISSUE_FIELDS, SEVERITIES, Issue

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell's text, defused if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text (header first), every cell defused by `safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def issues_csv(issues: Sequence[Issue]) -> str:
    """One row per issue, the columns of ISSUE_FIELDS."""
    return csv_text(ISSUE_FIELDS, ([getattr(i, f) for f in ISSUE_FIELDS] for i in issues))


def issues_json(issues: Sequence[Issue], *, segments: int,
                census: Sequence[dict[str, Any]] = (),
                ignored: Sequence[dict[str, Any]] | None = None) -> str:
    """The report as JSON: segments checked, counts per severity, the issues, the census
    (and, when given, the issues marked ignored with who and when)."""
    counts = {s: 0 for s in SEVERITIES}
    for issue in issues:
        counts[issue.severity] = counts.get(issue.severity, 0) + 1
    data: dict[str, Any] = {
        "segments": segments, "counts": counts,
        "issues": [{f: getattr(i, f) for f in ISSUE_FIELDS} for i in issues],
        "census": list(census)}
    if ignored is not None:
        data["ignored"] = list(ignored)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
