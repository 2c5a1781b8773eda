"""Segment repair: merge a segment with the next, split one at a character offset, move a
translated sentence to the segment before or after. Each is a state operation.

- Nothing is lost: a merged segment's parts and a split segment stay in the state (inactive)
  with their work, and come back, as they were, when the repair is undone. The new segment
  takes the work with it: a merge joins the finals and MTs of its parts and copies their
  history; a split shares the final and the MT between its pieces by length, sentence by
  sentence (the parts' own work when it splits a merge where it was joined).
- Ids are stable: a merged segment's id derives from its parts' ids, a piece's from the
  split segment's id and the offset, so the same repair makes the same segment, work and
  all. Repairs are kept in order in the `repairs` table; an ingest of an unchanged source
  makes them again (`replay`), and one of a changed source makes those whose segments are
  still there.
- Each is one transaction, on disk when the call returns; `undo` takes back the last
  repair of a document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from workbench.core.errors import ProjectError
from workbench.core.project import RECORD_COLUMNS, Project, current_user, record_from_row
from workbench.core.records import DONE_STATUSES, STATUSES, Segment, SegmentRecord
from workbench.core.state import Transaction, now

if TYPE_CHECKING:
    from workbench.core.align.language import TargetLanguage

ORIGIN = "repair"
OPS = ("merge", "split", "shift")
DIRECTIONS = ("up", "down")


@dataclass(frozen=True)
class Repair:
    """One repair as the state records it: what it took (`parts`), what it made
    (`result`), and what it needs to be made again or undone (`detail`)."""

    seq: int
    doc: str
    op: str
    parts: tuple[str, ...]
    result: tuple[str, ...]
    detail: dict[str, Any]
    active: bool
    by: str | None
    at: str
    origin: str


@dataclass(frozen=True)
class Repaired:
    """What a repair (or its undo) left: the repair and the segments it made active."""

    repair: Repair
    segments: list[SegmentRecord]


# ------------------------------------------------------------------------------ pure parts
def merged_id(first: str, second: str) -> str:
    """The id of the segment two segments merge into (the same two, the same id)."""
    return hashlib.sha1(f"merge\0{first}\0{second}".encode()).hexdigest()[:16]


def piece_id(segment_id: str, offset: int, index: int) -> str:
    """The id of piece `index` (0, 1) of a segment split at `offset`."""
    return hashlib.sha1(f"split\0{segment_id}\0{offset}\0{index}".encode()).hexdigest()[:16]


def join_sources(first: str, second: str) -> str:
    """Two sources as one: nothing between Japanese sentences, a space between Latin ones."""
    if not first or not second:
        return first + second
    latin = first[-1].isascii() and second[0].isascii()
    return f"{first} {second}" if latin else first + second


def join_english(first: str | None, second: str | None) -> str | None:
    """Two translations as one text (None when neither has one)."""
    parts = [t.strip() for t in (first, second) if t and t.strip()]
    if not parts:
        return None if first is None and second is None else ""
    return _translation_language().join(parts)


def merge_segments(first: Segment, second: Segment) -> Segment:
    """The segment `first` and `second` (next to each other) make together."""
    return Segment(merged_id(first.id, second.id), first.doc, first.ordinal,
                   join_sources(first.source, second.source), first.line_start,
                   max(first.line_end, second.line_end), first.kind)


def split_segment(segment: Segment, offset: int, ids: tuple[str, str] | None = None
                  ) -> tuple[Segment, Segment]:
    """`segment` cut at `offset` into two trimmed pieces; their lines share its span by the
    cut. Raises ProjectError when a piece would be empty."""
    text = segment.source
    head, tail = text[:offset].rstrip(), text[offset:].lstrip()
    if not 0 < offset < len(text) or not head or not tail:
        raise ProjectError(f"cannot split segment #{segment.ordinal} at {offset}: both parts "
                           f"must hold text (offsets 1 to {len(text) - 1})")
    first_id, second_id = ids or (piece_id(segment.id, offset, 0), piece_id(segment.id,
                                                                             offset, 1))
    span = segment.line_end - segment.line_start
    cut = segment.line_start + round(span * offset / max(len(text), 1))
    return (Segment(first_id, segment.doc, segment.ordinal, head, segment.line_start, cut,
                    segment.kind),
            Segment(second_id, segment.doc, segment.ordinal + 1, tail, cut, segment.line_end,
                    segment.kind))


def share_english(text: str | None, head: str, tail: str) -> tuple[str | None, str | None]:
    """A translation of `head + tail` shared between them: its sentences cut where their
    lengths best match the sources' (all to the first when it is one sentence)."""
    if text is None or not text.strip():
        return text, None
    language = _translation_language()
    sentences = language.split(text)
    if len(sentences) < 2:
        return text, None
    share = len(head) / max(len(head) + len(tail), 1)
    total = sum(len(s) for s in sentences)
    best, best_gap = 1, 2.0
    done = 0
    for k in range(1, len(sentences)):
        done += len(sentences[k - 1])
        gap = abs(done / total - share)
        if gap < best_gap:
            best, best_gap = k, gap
    return language.join(sentences[:best]), language.join(sentences[best:])


def replay(segments: Sequence[Segment], repairs: Sequence[Repair]) -> list[Segment]:
    """`segments` (as an ingest cuts a document) with the repairs made again in order; a
    repair whose segments are not there (their text changed) is passed over."""
    current = list(segments)
    for repair in repairs:
        where = {s.id: k for k, s in enumerate(current)}
        if repair.op == "merge":
            a, b = (where.get(p) for p in repair.parts)
            if a is not None and b == a + 1:
                current[a:a + 2] = [replace(merge_segments(current[a], current[b]),
                                            id=repair.result[0])]
        elif repair.op == "split":
            k = where.get(repair.parts[0])
            if k is not None:
                try:
                    pieces = split_segment(current[k], int(repair.detail["offset"]),
                                           (repair.result[0], repair.result[1]))
                except ProjectError:
                    continue
                current[k:k + 1] = list(pieces)
    return [replace(s, ordinal=n) for n, s in enumerate(current, 1)]


# ------------------------------------------------------------------------------ reading
def repairs(project: Project, doc: str, *, active_only: bool = True) -> list[Repair]:
    """The repairs of a document, oldest first."""
    sql = ("SELECT seq, doc, op, parts, result, detail, active, by, at, origin FROM repairs "
           "WHERE doc = ?")
    if active_only:
        sql += " AND active = 1"
    return [_repair(r) for r in project.db.query(sql + " ORDER BY seq", (doc,))]


def merged_parts(project: Project, doc: str) -> dict[str, tuple[str, ...]]:
    """Active merged segments of a document and the segments they were made of (for the
    exports: a TMX unit or a JSON line says what it joins)."""
    rows = project.db.query(
        "SELECT r.result, r.parts FROM repairs r JOIN segments s ON s.id = r.result "
        "WHERE r.doc = ? AND r.op = 'merge' AND r.active = 1 AND s.active = 1", (doc,))
    return {result: tuple(parts.split()) for result, parts in rows}


def _repair(row: Sequence[Any]) -> Repair:
    seq, doc, op, parts, result, detail, active, by, at, origin = row
    return Repair(int(seq), doc, op, tuple(parts.split()), tuple(result.split()),
                  json.loads(detail), bool(active), by, at, origin)


def _load(tx: Transaction, segment_id: str) -> SegmentRecord:
    row = tx.query_one(f"SELECT {RECORD_COLUMNS} FROM segments WHERE id = ?", (segment_id,))
    if row is None:
        raise ProjectError(f"no segment with id {segment_id}")
    return record_from_row(row)


def _active(tx: Transaction, segment_id: str) -> SegmentRecord:
    record = _load(tx, segment_id)
    if not tx.scalar("SELECT active FROM segments WHERE id = ?", (segment_id,)):
        raise ProjectError(f"segment {segment_id} is no longer in its document (its source "
                           "changed, or a repair replaced it)")
    return record


def _neighbour(tx: Transaction, record: SegmentRecord, step: int) -> SegmentRecord | None:
    row = tx.query_one(f"SELECT {RECORD_COLUMNS} FROM segments WHERE doc = ? AND active = 1 "
                       "AND ordinal = ?", (record.doc, record.ordinal + step))
    return None if row is None else record_from_row(row)


# ------------------------------------------------------------------------------ writing
def merge(project: Project, segment_id: str, *, by: str | None = None,
          origin: str = ORIGIN) -> Repaired:
    """Merge a segment with the next one of its document."""
    with project.db.transaction() as tx:
        first = _active(tx, segment_id)
        second = _neighbour(tx, first, 1)
        if second is None:
            raise ProjectError(f"segment #{first.ordinal} is the last of {first.doc}: there is "
                               "no next segment to merge it with")
        return _merge(tx, first, second, by or current_user(), origin)


def merge_runs(project: Project, runs: Sequence[Sequence[str]], *, by: str | None = None,
               origin: str = ORIGIN) -> list[SegmentRecord]:
    """Merge each run of consecutive segments (ids in document order) into one, in one
    transaction, numbering the document once at the end (an alignment's 2-1 and 3-1 beads).
    Returns the merged segments, a run at a time."""
    who = by or current_user()
    made: list[SegmentRecord] = []
    with project.db.transaction() as tx:
        docs = set()
        for run in runs:
            current = _active(tx, run[0])
            for segment_id in run[1:]:
                current = _merge(tx, current, _active(tx, segment_id), who, origin,
                                 renumber=False).segments[0]
            made.append(current)
            docs.add(current.doc)
        for doc in docs:
            _renumber(tx, doc)
        return [_load(tx, r.id) for r in made]


def _merge(tx: Transaction, first: SegmentRecord, second: SegmentRecord, who: str,
           origin: str, *, renumber: bool = True) -> Repaired:
    at = now()
    segment = merge_segments(first.segment, second.segment)
    final = join_english(first.final, second.final)
    status = first.status if first.status == second.status else \
        "draft" if final else "new"
    engine = first.mt_engine if first.mt_engine == second.mt_engine or not second.mt_engine \
        else second.mt_engine if not first.mt_engine else f"{first.mt_engine}+{second.mt_engine}"
    _put(tx, SegmentRecord(segment, join_english(first.mt, second.mt), engine, None, None,
                           final, status, who, at))
    # The merged segment's history is its parts' (what was not copied by an earlier merge
    # of the same two), then the merge.
    since = tx.scalar("SELECT max(seq) FROM history WHERE segment_id = ? AND field = 'merge'",
                      (segment.id,)) or 0
    tx.execute("INSERT INTO history (segment_id, field, old, new, by, at, origin) "
               "SELECT ?, field, old, new, by, at, origin FROM history WHERE segment_id IN "
               "(?, ?) AND seq > ? ORDER BY seq", (segment.id, first.id, second.id, since))
    tx.execute("INSERT INTO history (segment_id, field, old, new, by, at, origin) VALUES "
               "(?, 'merge', ?, ?, ?, ?, ?)", (segment.id, f"{first.id} {second.id}",
                                               segment.id, who, at, origin))
    tx.execute("UPDATE segments SET active = 0 WHERE id IN (?, ?)", (first.id, second.id))
    if renumber:
        _renumber(tx, first.doc)
    repair = _record_repair(tx, first.doc, "merge", (first.id, second.id), (segment.id,), {},
                            who, at, origin)
    return Repaired(repair, [_load(tx, segment.id)])


def split(project: Project, segment_id: str, offset: int, *, by: str | None = None,
          origin: str = ORIGIN) -> Repaired:
    """Split a segment at a character offset of its source (the first piece ends there)."""
    who = by or current_user()
    at = now()
    with project.db.transaction() as tx:
        record = _active(tx, segment_id)
        merge_of = tx.query_one(
            "SELECT parts FROM repairs WHERE op = 'merge' AND active = 1 AND result = ? "
            "ORDER BY seq DESC", (record.id,))
        ids = None
        parts: list[SegmentRecord] = []
        if merge_of is not None:
            parts = [_load(tx, p) for p in merge_of[0].split()]
            joint = len(parts[0].source)
            head, tail = record.source[:offset].strip(), record.source[offset:].strip()
            if (head, tail) == (parts[0].source, parts[1].source) and offset >= joint:
                ids = (parts[0].id, parts[1].id)    # where it was joined: the parts again
        pieces = split_segment(record.segment, offset, ids)
        finals = share_english(record.final, pieces[0].source, pieces[1].source)
        mts = share_english(record.mt, pieces[0].source, pieces[1].source)
        if ids is not None:
            # The parts' own work where the merged segment still holds what they had.
            if record.final == join_english(parts[0].final, parts[1].final):
                finals = (parts[0].final, parts[1].final)
            if record.mt == join_english(parts[0].mt, parts[1].mt):
                mts = (parts[0].mt, parts[1].mt)
        made = []
        for k, piece in enumerate(pieces):
            before = parts[k] if ids is not None else None
            final = finals[k]
            status = record.status
            if not final:
                status = "new" if final is None else status
            elif before is not None and before.final == final and status != "rejected":
                status = max(before.status, status, key=_progress)    # the part as it was
            elif record.status in DONE_STATUSES:
                status = "draft"       # a share of a reviewed translation is to be reviewed
            _put(tx, SegmentRecord(piece, mts[k], record.mt_engine, None, None, final, status,
                                   who, at))
            history: list[tuple[str, str | None, str | None]] = [
                ("split", record.id, str(offset))]
            if before is None:      # a new piece: the split segment's history is its own
                tx.execute("INSERT INTO history (segment_id, field, old, new, by, at, origin) "
                           "SELECT ?, field, old, new, by, at, origin FROM history WHERE "
                           "segment_id = ? ORDER BY seq", (piece.id, record.id))
            else:                   # a part again: what changed in it since the merge
                if before.final != final:
                    history.append(("final", before.final, final))
                if before.status != status:
                    history.append(("status", before.status, status))
            tx.executemany("INSERT INTO history (segment_id, field, old, new, by, at, origin) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(piece.id, f, o, n, who, at, origin) for f, o, n in history])
            made.append(piece.id)
        tx.execute("UPDATE segments SET active = 0 WHERE id = ?", (record.id,))
        _renumber(tx, record.doc, after=record.id, pieces=made)
        repair = _record_repair(tx, record.doc, "split", (record.id,), tuple(made),
                                {"offset": offset}, who, at, origin)
        return Repaired(repair, [_load(tx, i) for i in made])


def shift(project: Project, segment_id: str, direction: str, *, by: str | None = None,
          origin: str = ORIGIN) -> Repaired:
    """Move a translated sentence to the neighbouring segment: `up`, the first sentence of
    this segment's final to the end of the previous segment's; `down`, the last sentence to
    the start of the next segment's."""
    if direction not in DIRECTIONS:
        raise ProjectError(f"unknown direction {direction!r}; one of {', '.join(DIRECTIONS)}")
    who = by or current_user()
    at = now()
    language = _translation_language()
    with project.db.transaction() as tx:
        record = _active(tx, segment_id)
        other = _neighbour(tx, record, -1 if direction == "up" else 1)
        if other is None:
            where = "first" if direction == "up" else "last"
            raise ProjectError(f"segment #{record.ordinal} is the {where} of {record.doc}: "
                               f"there is no segment to move a sentence {direction} to")
        sentences = language.split(record.final or "")
        if not sentences:
            raise ProjectError(f"segment #{record.ordinal} has no translated sentence to move")
        moved = sentences[0] if direction == "up" else sentences[-1]
        rest = sentences[1:] if direction == "up" else sentences[:-1]
        theirs = language.split(other.final or "")
        theirs = [*theirs, moved] if direction == "up" else [moved, *theirs]
        changes = {record.id: (language.join(rest) if rest else None, record.status),
                   other.id: (language.join(theirs), "draft" if other.status == "new"
                              else other.status)}
        before = {record.id: (record.final, record.status), other.id: (other.final,
                                                                        other.status)}
        _set_finals(tx, changes, before, who, at, origin)
        repair = _record_repair(tx, record.doc, "shift", (record.id,), (other.id,),
                                {"sentence": moved, "direction": direction,
                                 "before": before, "after": changes}, who, at, origin)
        return Repaired(repair, [_load(tx, record.id), _load(tx, other.id)])


def shift_orphan(project: Project, doc: str, position: int, direction: str, *,
                 by: str | None = None, origin: str = ORIGIN) -> Repaired:
    """Give target sentences an alignment kept without a segment (its bead at `position`)
    to the segment before it (`up`: at the end of its final) or after it (`down`: at the
    start)."""
    if direction not in DIRECTIONS:
        raise ProjectError(f"unknown direction {direction!r}; one of {', '.join(DIRECTIONS)}")
    who = by or current_user()
    at = now()
    language = _translation_language()
    with project.db.transaction() as tx:
        row = tx.query_one("SELECT doc, position, segments, after, target, line, confidence "
                           "FROM alignment_beads WHERE doc = ? AND position = ?",
                           (doc, position))
        if row is None or row[2]:
            raise ProjectError(f"no target sentence without a segment at bead {position} of "
                               f"{doc}", hint="`workbench beads DOC --orphans` lists them.")
        after = _after_orphan(tx, doc, row[3])
        if direction == "up":
            if after is None:
                raise ProjectError("these sentences come before the first segment: move "
                                   "them down")
            other = after
        else:
            found = _neighbour(tx, after, 1) if after is not None else \
                _first(tx, doc)
            if found is None:
                raise ProjectError("these sentences come after the last segment: move them up")
            other = found
        sentences = json.loads(row[4])
        theirs = language.split(other.final or "")
        theirs = [*theirs, *sentences] if direction == "up" else [*sentences, *theirs]
        changes: dict[str, tuple[str | None, str]] = {
            other.id: (language.join(theirs), "draft" if other.status == "new"
                       else other.status)}
        before = {other.id: (other.final, other.status)}
        _set_finals(tx, changes, before, who, at, origin)
        tx.execute("DELETE FROM alignment_beads WHERE doc = ? AND position = ?", (doc, position))
        repair = _record_repair(tx, doc, "shift", (), (other.id,),
                                {"sentence": " ".join(sentences), "direction": direction,
                                 "before": before, "after": changes, "bead": list(row)},
                                who, at, origin)
        return Repaired(repair, [_load(tx, other.id)])


def _after_orphan(tx: Transaction, doc: str, after: str | None) -> SegmentRecord | None:
    """The active segment an orphan bead follows (None: it is before the first)."""
    if after is None:
        return None
    record = _load(tx, after)
    if not tx.scalar("SELECT active FROM segments WHERE id = ?", (after,)):
        raise ProjectError("the segment these sentences followed is no longer in the "
                           "document: align the translation again")
    return record


def _first(tx: Transaction, doc: str) -> SegmentRecord | None:
    row = tx.query_one(f"SELECT {RECORD_COLUMNS} FROM segments WHERE doc = ? AND active = 1 "
                       "ORDER BY ordinal", (doc,))
    return None if row is None else record_from_row(row)


def undo(project: Project, doc: str, *, by: str | None = None) -> Repaired:
    """Take back the last repair of a document still in force."""
    who = by or current_user()
    at = now()
    with project.db.transaction() as tx:
        row = tx.query_one("SELECT seq, doc, op, parts, result, detail, active, by, at, "
                           "origin FROM repairs WHERE doc = ? AND active = 1 ORDER BY seq DESC",
                           (doc,))
        if row is None:
            raise ProjectError(f"no repair of {doc} to undo")
        repair = _repair(row)
        if repair.op == "shift":
            after = {k: tuple(v) for k, v in repair.detail["after"].items()}
            current = {k: (r.final, r.status) for k in after for r in [_load(tx, k)]}
            if current != after:
                raise ProjectError(f"the translations this move changed were edited since "
                                   f"(segments {', '.join(after)}): undo it by hand")
            before = {k: tuple(v) for k, v in repair.detail["before"].items()}
            _set_finals(tx, before, after, who, at, "undo")
            if "bead" in repair.detail:     # sentences taken from an alignment's orphans
                tx.execute("INSERT INTO alignment_beads (doc, position, segments, after, "
                           "target, line, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           repair.detail["bead"])
        else:
            for segment_id in repair.result:
                _active(tx, segment_id)
            tx.execute(f"UPDATE segments SET active = 0 WHERE id IN "
                       f"({', '.join('?' * len(repair.result))})", repair.result)
            tx.execute(f"UPDATE segments SET active = 1 WHERE id IN "
                       f"({', '.join('?' * len(repair.parts))})", repair.parts)
            tx.executemany("INSERT INTO history (segment_id, field, old, new, by, at, origin) "
                           "VALUES (?, ?, ?, ?, ?, ?, 'undo')",
                           [(i, f"undo {repair.op}", " ".join(repair.result),
                             " ".join(repair.parts), who, at) for i in repair.parts])
            _renumber(tx, doc, after=repair.result[0], pieces=repair.parts)
        tx.execute("UPDATE repairs SET active = 0 WHERE seq = ?", (repair.seq,))
        ids = repair.parts if repair.op != "shift" else (*repair.parts, *repair.result)
        return Repaired(replace(repair, active=False), [_load(tx, i) for i in ids])


# ------------------------------------------------------------------------------ helpers
def _progress(status: str) -> int:
    """How far along the workflow a status is (rejected counts as a draft)."""
    return ("new", "draft", "reviewed", "approved").index(status) if status != "rejected" \
        else 1


def _put(tx: Transaction, record: SegmentRecord) -> None:
    """Insert a segment made by a repair, active (or bring back the one of the same id)."""
    s = record.segment
    tx.execute(
        "INSERT INTO segments (id, doc, ordinal, source, line_start, line_end, kind, active, "
        "mt, mt_engine, normalized, normalized_glossary, final, status, updated_by, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, NULL, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET ordinal = excluded.ordinal, source = excluded.source, "
        "line_start = excluded.line_start, line_end = excluded.line_end, kind = excluded.kind, "
        "active = 1, mt = excluded.mt, mt_engine = excluded.mt_engine, normalized = NULL, "
        "normalized_glossary = NULL, final = excluded.final, status = excluded.status, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at, "
        "version = segments.version + 1",
        (s.id, s.doc, s.ordinal, s.source, s.line_start, s.line_end, s.kind, record.mt,
         record.mt_engine, record.final, record.status, record.updated_by, record.updated_at))


def _set_finals(tx: Transaction, changes: dict[str, tuple[str | None, str]],
                before: dict[str, tuple[str | None, str]], who: str, at: str,
                origin: str) -> None:
    for segment_id, (final, status) in changes.items():
        if status not in STATUSES:
            raise ProjectError(f"unknown status {status!r}")
        old_final, old_status = before[segment_id]
        tx.execute("UPDATE segments SET final = ?, status = ?, updated_by = ?, updated_at = ?, "
                   "version = version + 1 WHERE id = ?", (final, status, who, at, segment_id))
        history = [("final", old_final, final)] if final != old_final else []
        if status != old_status:
            history.append(("status", old_status, status))
        tx.executemany("INSERT INTO history (segment_id, field, old, new, by, at, origin) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(segment_id, f, o, n, who, at, origin) for f, o, n in history])


def _renumber(tx: Transaction, doc: str, *, after: str | None = None,
              pieces: Sequence[str] = ()) -> None:
    """Number the active segments of `doc` 1, 2, … in document order; the `pieces` of a
    split come where the segment `after` was."""
    rows = tx.query("SELECT id, ordinal FROM segments WHERE doc = ? AND active = 1 "
                    "ORDER BY ordinal, id", (doc,))
    order = [(o, i) for i, o in rows if i not in pieces]
    if after is not None:
        at = tx.scalar("SELECT ordinal FROM segments WHERE id = ?", (after,))
        order += [(at + k / (len(pieces) + 1), i) for k, i in enumerate(pieces)]
    order.sort()
    current: dict[str, int] = dict(rows)
    tx.executemany("UPDATE segments SET ordinal = ? WHERE id = ?",
                   [(n, i) for n, (_, i) in enumerate(order, 1) if current.get(i) != n])


def _record_repair(tx: Transaction, doc: str, op: str, parts: Sequence[str],
                   result: Sequence[str], detail: dict[str, Any], who: str, at: str,
                   origin: str) -> Repair:
    seq = tx.insert("INSERT INTO repairs (doc, op, parts, result, detail, active, by, at, "
                    "origin) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
                    (doc, op, " ".join(parts), " ".join(result),
                     json.dumps(detail, ensure_ascii=False), who, at, origin))
    return Repair(seq, doc, op, tuple(parts), tuple(result), detail, True, who, at, origin)


def _translation_language() -> TargetLanguage:
    """How the translation's sentences join and split (imported when a repair needs it: a
    re-ingest that replays no repair does not pay for it)."""
    from workbench.core.align.languages import target_language

    return target_language()
