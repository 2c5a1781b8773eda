"""The plain records every layer hands to the next: segments, their state, history, issues.

Nothing here reads or writes anything; the modules that do (segmentation, the project state,
the file formats, the checks) all speak in these types, so none of them needs another's code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

STATUSES: tuple[str, ...] = ("new", "draft", "reviewed", "approved", "rejected")
"""Review statuses, in workflow order. `reviewed` and `approved` count as done."""

DONE_STATUSES: frozenset[str] = frozenset({"reviewed", "approved"})

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
"""Issue severities, most severe first. Errors and warnings need a reviewer; info notes (a new
segment not translated yet, a name spelled two ways in the sources) do not."""

ATTENTION: frozenset[str] = frozenset({"error", "warning"})
"""The severities that need a reviewer's attention (`needs_attention`, the issue filter)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One source sentence as a reviewer sees it, with its place in the source file."""

    id: str
    doc: str
    ordinal: int
    source: str
    line_start: int
    line_end: int
    kind: str  # "text" | "heading" | "footnote" | "caption" | "label"


SEGMENT_FIELDS: tuple[str, ...] = ("id", "doc", "ordinal", "source", "line_start", "line_end",
                                   "kind")
WORK_FIELDS: tuple[str, ...] = ("mt", "mt_engine", "normalized", "normalized_glossary", "final",
                                "status", "updated_by", "updated_at")
RECORD_FIELDS: tuple[str, ...] = SEGMENT_FIELDS + WORK_FIELDS
"""Every field of a segment record, flat, in the order the aligned JSONL writes them."""


@dataclass(frozen=True, slots=True)
class SegmentRecord:
    """A segment as the project holds it: the segment, its MT, normalized and final text,
    its review status and who changed it last. `version` counts the writes to it."""

    segment: Segment
    mt: str | None = None
    mt_engine: str | None = None
    normalized: str | None = None
    normalized_glossary: str | None = None
    final: str | None = None
    status: str = "new"
    updated_by: str | None = None
    updated_at: str | None = None
    version: int = 0

    @classmethod
    def of(cls, **fields: Any) -> SegmentRecord:
        """A record from flat fields by name (`id=…, doc=…, source=…, final=…`); segment
        fields left out default to a one-line text segment."""
        seg: dict[str, Any] = {"id": "", "doc": "", "ordinal": 0, "source": "", "line_start": 0,
               "line_end": 0, "kind": "text"}
        for name in SEGMENT_FIELDS:
            if name in fields:
                seg[name] = fields.pop(name)
        return cls(Segment(**seg), **fields)

    def fields(self) -> dict[str, Any]:
        """Every field, flat (RECORD_FIELDS order): what the aligned JSONL holds."""
        seg = self.segment
        return {"id": seg.id, "doc": seg.doc, "ordinal": seg.ordinal, "source": seg.source,
                "line_start": seg.line_start, "line_end": seg.line_end, "kind": seg.kind,
                "mt": self.mt, "mt_engine": self.mt_engine, "normalized": self.normalized,
                "normalized_glossary": self.normalized_glossary, "final": self.final,
                "status": self.status, "updated_by": self.updated_by,
                "updated_at": self.updated_at}

    @property
    def id(self) -> str:
        return self.segment.id

    @property
    def doc(self) -> str:
        return self.segment.doc

    @property
    def ordinal(self) -> int:
        return self.segment.ordinal

    @property
    def source(self) -> str:
        return self.segment.source

    @property
    def line_start(self) -> int:
        return self.segment.line_start

    @property
    def line_end(self) -> int:
        return self.segment.line_end

    @property
    def kind(self) -> str:
        return self.segment.kind

    @property
    def done(self) -> bool:
        """Reviewed or approved."""
        return self.status in DONE_STATUSES

    @property
    def untranslated(self) -> bool:
        """No English from a reviewer yet: no final translation, or a blank one. (MT and
        its normalized text are proposals, not translations.)"""
        final = self.final
        return final is None or not final.strip()


def cut_record(record: SegmentRecord, limit: int) -> SegmentRecord | None:
    """The record with each of its texts cut to `limit` characters, for work that must not
    grow with a pathological segment; None when none is longer."""
    texts = {"mt": record.mt, "normalized": record.normalized, "final": record.final}
    if len(record.source) <= limit and all(t is None or len(t) <= limit
                                           for t in texts.values()):
        return None
    mt, normalized, final = (None if t is None else t[:limit] for t in texts.values())
    return replace(record, segment=replace(record.segment, source=record.source[:limit]),
                   mt=mt, normalized=normalized, final=final)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change of a segment's final translation or status."""

    seq: int
    segment_id: str
    field: str
    old: str | None
    new: str | None
    by: str | None
    at: str
    origin: str


@dataclass(frozen=True, slots=True)
class Issue:
    """One QA finding, located by document and segment (None for project-wide findings)."""

    check: str
    severity: str   # one of SEVERITIES
    doc: str
    segment_id: str | None
    ordinal: int | None
    message: str
    source: str = ""
    target: str = ""
    term: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.severity in ATTENTION

    @property
    def id(self) -> str:
        """A short id that names this finding: the same check finding the same thing in the
        same texts has the same id in every run, and any change to the segment's source or
        target gives a new one (so an ignored issue comes back when its text changes)."""
        key = "\x1f".join((self.check, self.doc, self.segment_id or "", self.term,
                            self.message, self.source, self.target))
        return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


ISSUE_FIELDS: tuple[str, ...] = ("id", "severity", "check", "doc", "ordinal", "segment_id",
                                 "term", "message", "source", "target")
"""The fields of an issue in reports (CSV columns, JSON keys), in that order."""


def needs_attention(issues: Any) -> bool:
    """Whether any of `issues` is an error or a warning."""
    return any(i.severity in ATTENTION for i in issues)


def issue_mark(issues: Any) -> str:
    """`!` for errors, `?` for warnings; nothing for none or for notes (severity info)."""
    severities = {i.severity for i in issues}
    if "error" in severities:
        return "!"
    return "?" if "warning" in severities else ""
