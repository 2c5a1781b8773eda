"""JSONL of one document: every field of every segment, one JSON object a line."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from workbench.core.errors import ExportError
from workbench.core.records import RECORD_FIELDS, SegmentRecord


def jsonl_bytes(records: Sequence[SegmentRecord],
                merged: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """One JSON object per segment, every field of the record, in field order; a segment
    merged from others (`merged`: id -> the ids of its parts) adds `merged_from`."""
    merged = merged or {}
    lines = [json.dumps(r.fields() if r.id not in merged else
                        {**r.fields(), "merged_from": list(merged[r.id])},
                        ensure_ascii=False, separators=(", ", ": ")) for r in records]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def read_jsonl(path: Path) -> list[SegmentRecord]:
    """Segment records from a JSONL file written by `jsonl_bytes`."""
    records = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                records.append(SegmentRecord.of(**{k: data[k] for k in RECORD_FIELDS}))
            except (ValueError, KeyError, TypeError) as exc:
                raise ExportError(f"not a segment record: {exc}", path=path,
                                  line=number) from None
    return records
