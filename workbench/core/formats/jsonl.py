"""JSONL of one document: every field of every segment, one JSON object a line."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from workbench.core.decode import read_bytes
from workbench.core.errors import ExportError
from workbench.core.formats.units import MAX_ALIGNED_BYTES
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


_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "doc": (str,), "ordinal": (int,), "source": (str,), "line_start": (int,),
    "line_end": (int,), "kind": (str,), "status": (str,)}


def read_jsonl(path: Path) -> list[SegmentRecord]:
    """Segment records from a JSONL file written by `jsonl_bytes` (a regular file of at most
    MAX_ALIGNED_BYTES, refused otherwise)."""
    return parse_jsonl(read_bytes(path, limit=MAX_ALIGNED_BYTES), path)


def parse_jsonl(data: bytes, path: Path) -> list[SegmentRecord]:
    """Segment records from JSONL bytes; anything else is an ExportError naming the line."""
    records = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ExportError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): not a JSONL file "
                              "written by workbench", path=path, line=number) from None
        if not line.strip():
            continue
        try:
            data_ = json.loads(line)
        except ValueError as exc:
            raise ExportError(f"not a JSON object: {exc}", path=path, line=number) from None
        if not isinstance(data_, dict):
            raise ExportError("not a segment record (a JSON object per line)", path=path,
                              line=number)
        missing = [k for k in RECORD_FIELDS if k not in data_]
        if missing:
            raise ExportError(f"not a segment record: no {missing[0]!r}", path=path,
                              line=number)
        for key in RECORD_FIELDS:
            value = data_[key]
            wanted = _TYPES.get(key, (str, type(None)))
            if not isinstance(value, wanted) or isinstance(value, bool):
                raise ExportError(f"not a segment record: {key!r} is {value!r}", path=path,
                                  line=number)
        records.append(SegmentRecord.of(**{k: data_[k] for k in RECORD_FIELDS}))
    return records
