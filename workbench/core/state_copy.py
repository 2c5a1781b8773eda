"""Copying a whole state from one database to another (SQLite or PostgreSQL, either way),
and the summary that proves nothing was lost: rows per table and a checksum of every row.

Nothing here knows the tables: every table of the source is copied and counted, so the
tables later migrations add travel too. Values are compared by the kind of their column
(text, integer, real, blob), so a number SQLite kept in a text column sums the same as the
text PostgreSQL holds for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import ProjectError
from workbench.core.state import StateDB, quote_name


@dataclass(frozen=True)
class StateSummary:
    """Rows per table and a checksum over every row of every table of one state."""

    where: str
    counts: dict[str, int]
    checksum: str


@dataclass(frozen=True)
class CopyReport:
    """A copy's source and target, summarized after the copy."""

    source: StateSummary
    target: StateSummary

    @property
    def identical(self) -> bool:
        return (self.source.counts == self.target.counts
                and self.source.checksum == self.target.checksum)


def _value(value: Any, kind: str) -> Any:
    """A value as its column's kind holds it (what is compared and what is written)."""
    if value is None:
        return None
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _canonical(row: Sequence[Any], kinds: Sequence[str]) -> str:
    out = []
    for value, kind in zip(row, kinds, strict=True):
        v = _value(value, kind)
        out.append(v.hex() if isinstance(v, bytes) else repr(v) if isinstance(v, float) else v)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def summarize(db: StateDB) -> StateSummary:
    """Count and checksum every table of `db`, read in one snapshot."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with db.snapshot():
        for table in sorted(db.tables()):
            columns = sorted(db.columns(table))
            names = [n for n, _ in columns]
            kinds = [k for _, k in columns]
            select = ", ".join(quote_name(n) for n in names)
            rows = sorted(_canonical(r, kinds) for r in db.query(
                f"SELECT {select} FROM {quote_name(table)}"))
            counts[table] = len(rows)
            digest.update(json.dumps([table, names]).encode())
            for row in rows:
                digest.update(row.encode())
                digest.update(b"\n")
    return StateSummary(db.describe(), counts, digest.hexdigest()[:16])


BOOKKEEPING = frozenset({"meta", "migrations"})
"""Tables a state has from its migrations alone, before any work."""


def has_data(db: StateDB) -> bool:
    """Whether `db` holds work (a state to keep, not a place to copy to): a row in any table
    but the bookkeeping of its migrations."""
    return any(db.scalar(f"SELECT count(*) FROM {quote_name(t)}")
               for t in db.tables() - BOOKKEEPING)


def copy_state(source: StateDB, target: StateDB) -> CopyReport:
    """Copy every row of every table of `source` into `target`, which must hold no data;
    its schema is made by the same migrations first. Both are summarized afterwards."""
    if has_data(target):
        raise ProjectError(
            f"{target.describe()} already holds a workbench state",
            hint="copy into an empty database (dropdb and createdb it again) or a new file.")
    target.migrate()
    with source.snapshot():
        tables = source.table_order()
        missing = [t for t in tables if t not in target.tables()]
        if missing:
            raise ProjectError(f"{target.describe()} has no table {', '.join(missing)}",
                               hint="both states must be of the same workbench version.")
        with target.transaction() as tx:
            for table in reversed(tables):
                tx.execute(f"DELETE FROM {quote_name(table)}")
            for table in tables:
                kinds = dict(target.columns(table))
                names = [n for n, _ in source.columns(table)]
                lost = [n for n in names if n not in kinds]
                if lost:
                    raise ProjectError(f"{target.describe()}: table {table} has no column "
                                       f"{', '.join(lost)}")
                select = ", ".join(quote_name(n) for n in names)
                rows = source.query(f"SELECT {select} FROM {quote_name(table)}")
                target.bulk_insert(table, names, (
                    [_value(v, kinds[n]) for v, n in zip(row, names, strict=True)]
                    for row in rows))
    return CopyReport(summarize(source), summarize(target))
