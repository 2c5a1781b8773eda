"""What an aligned file holds of a document: which segments, and their English."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.records import DONE_STATUSES, SegmentRecord

MAX_ALIGNED_BYTES = 256 * 1024 * 1024
"""The largest aligned file read back (for `check`, the export guard, `state rebuild`): four
times the largest source, since a JSONL holds MT, normalized and final text beside it."""


def select(records: Sequence[SegmentRecord], include_all: bool) -> list[SegmentRecord]:
    """The segments an aligned file holds: reviewed and approved ones, or all of them."""
    if include_all:
        return list(records)
    return [r for r in records if r.status in DONE_STATUSES]


def english(record: SegmentRecord) -> str:
    """The English of a segment in aligned files: its final translation, else empty."""
    return record.final or ""
