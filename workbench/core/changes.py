"""What other reviewers of a shared project wrote: the change feed, and the conflict a write
made over someone else's meets.

Every committed segment write is announced on `CHANNEL` (NOTIFY on PostgreSQL, nothing on
SQLite, where the lock lets no one else write). A `ChangeFeed` is what a worker blocks on:

    with project.changes() as feed:
        while not cancelled:
            for change in feed.wait(1.0):      # others' writes, never this project's own
                ...  # project.records([change.segment_id]) -> session.apply_changes(...)

`wait` returns within its timeout even when nothing happens, so the worker can check for
cancellation; `close` (from any thread) ends a wait within a quarter of a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from workbench.core.errors import ProjectError
from workbench.core.records import SegmentRecord
from workbench.core.state import Listener

CHANNEL = "workbench_segments"


@dataclass(frozen=True)
class Change:
    """A segment written by a workbench: which, its new version, by whom and how."""

    segment_id: str
    doc: str
    version: int
    by: str
    origin: str

    def payload(self) -> str:
        return json.dumps({"id": self.segment_id, "doc": self.doc, "version": self.version,
                           "by": self.by, "origin": self.origin}, ensure_ascii=False)

    @classmethod
    def parse(cls, payload: str) -> Change | None:
        """The change a payload announces; None for one this workbench cannot read."""
        try:
            data = json.loads(payload)
            return cls(str(data["id"]), str(data["doc"]), int(data["version"]),
                       str(data["by"]), str(data["origin"]))
        except (ValueError, KeyError, TypeError):
            return None


class ChangeFeed:
    """Others' segment writes as they are committed (see the module)."""

    def __init__(self, listener: Listener, own_session: int | None) -> None:
        self._listener = listener
        self._own = own_session

    def wait(self, timeout: float = 1.0) -> list[Change]:
        """The changes committed by other workbenches, waiting up to `timeout` seconds for
        the first; the latest version of each segment only, in the order they came."""
        latest: dict[str, Change] = {}
        for notice in self._listener.wait(timeout):
            if self._own is not None and notice.sender == self._own:
                continue
            change = Change.parse(notice.payload)
            if change is None:
                continue
            seen = latest.get(change.segment_id)
            if seen is None or change.version > seen.version:
                latest.pop(change.segment_id, None)
                latest[change.segment_id] = change
        return list(latest.values())

    @property
    def closed(self) -> bool:
        return self._listener.closed

    def close(self) -> None:
        self._listener.close()

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Conflict(ProjectError):
    """A write refused because another reviewer changed the segment after the writer read
    it: nothing of the change was written. `theirs` is the segment as it is now; `mine_final`
    and `mine_status` what the refused write asked for (None: left alone or cleared)."""

    def __init__(self, theirs: SegmentRecord, expected_version: int,
                 mine_final: str | None, mine_status: str | None) -> None:
        self.theirs = theirs
        self.expected_version = expected_version
        self.mine_final = mine_final
        self.mine_status = mine_status
        who = theirs.updated_by or "someone"
        yours = _excerpt(mine_final) if mine_final is not None else f"[{mine_status}]"
        super().__init__(
            f"segment #{theirs.ordinal} of {theirs.doc} was changed by {who} at "
            f"{theirs.updated_at} after you read it (version {expected_version}, now "
            f"{theirs.version}): yours {yours}, theirs {_excerpt(theirs.final)} "
            f"[{theirs.status}]",
            hint="nothing of your change was written: keep yours, take theirs or merge the "
                 "two, and write it again.")


def _excerpt(text: str | None, width: int = 60) -> str:
    if text is None:
        return "(no final)"
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
