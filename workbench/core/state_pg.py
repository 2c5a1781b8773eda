"""The PostgreSQL backend of the project state: many workbenches writing one project at once.

`PostgresStateDB` offers `StateDB`'s interface over one psycopg 3 connection (imported only
when a project names a `postgresql://` URL). The SQL of the workbench is written once in the
subset both databases share; `?` placeholders become psycopg's `%s` here. There is no lock
file: every segment write is conditional on the version its writer saw (see
`Project.update_many`), and committed writes are announced with NOTIFY, which `listen`
hears. Passwords come from PGPASSWORD or ~/.pgpass (libpq reads both), never from the project.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import ProjectError
from workbench.core.settings import redact_url
from workbench.core.state import Listener, Notice, Row, StateDB, column_kind, quote_name

if TYPE_CHECKING:
    import psycopg

    from workbench.core.state import Transaction

CONNECT_TIMEOUT = 5
"""Seconds to wait for the server before saying it cannot be reached."""
_SCHEMA_LOCK = 0x776F726B
"""The advisory lock held while a workbench changes the schema (any fixed number will do)."""
_SQL_PARTS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")
_C_COLLATIONS = frozenset({"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"})


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (and a literal `%` as `%%`), quoted text left
    alone."""
    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        return "%s" if token == "?" else "%%" if token == "%" else token

    return _SQL_PARTS.sub(swap, sql)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise ProjectError(
            "this project's state is on PostgreSQL, which needs psycopg",
            hint="pip install 'psycopg[binary]' (or the workbench with its [team] extra)."
        ) from exc
    return psycopg


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection in autocommit mode (the state runs BEGIN/COMMIT itself), or a
    ProjectError saying why the server could not be reached."""
    psycopg = _psycopg()
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise ProjectError(f"not a PostgreSQL URL: {redact_url(url)} ({exc})") from exc
    extra: dict[str, Any] = {"application_name": "workbench"}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = CONNECT_TIMEOUT
    try:
        return psycopg.connect(url, autocommit=True, **extra)
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split()) or "no answer"
        raise ProjectError(
            f"cannot reach the project state at {redact_url(url)}: {reason}",
            hint="check that the server runs and the database exists; the password comes "
                 "from PGPASSWORD or ~/.pgpass, never from workbench.toml.") from exc


class PostgresStateDB(StateDB):
    """One connection to a PostgreSQL state, safe to share between threads."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any], url: str, *, writable: bool) -> None:
        super().__init__(conn, None, writable=writable)   # type: ignore[arg-type]
        self._pg: psycopg.Connection[Any] = conn
        self.url = url

    # ------------------------------------------------------------------ statements
    def query(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        with self.lock:
            return self._execute(sql, args).fetchall()

    def query_one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        with self.lock:
            return self._execute(sql, args).fetchone()

    def _execute(self, sql: str, args: Sequence[Any]) -> Any:
        with self._errors():
            if args:
                return self._pg.execute(to_pyformat(sql), tuple(args))
            return self._pg.execute(sql)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        data = [tuple(r) for r in rows]
        if not data:
            return
        with self._errors(), self._pg.cursor() as cursor:
            cursor.executemany(to_pyformat(sql), data)

    def _insert(self, sql: str, args: Sequence[Any]) -> int:
        self._execute(sql, args)
        # lastval(): the key the INSERT just drew, on this connection (held under the lock)
        return int(self._execute("SELECT lastval()", ()).fetchone()[0])

    def _notify(self, channel: str, payload: str) -> None:
        self._execute("SELECT pg_notify(?, ?)", (channel, payload))

    def _begin(self) -> None:
        self._pg.execute("BEGIN")

    def _commit(self) -> None:
        self._pg.execute("COMMIT")

    def _rollback(self) -> None:
        psycopg = _psycopg()
        with contextlib.suppress(psycopg.Error):
            self._pg.execute("ROLLBACK")

    def _begin_snapshot(self) -> None:
        self._pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def bulk_insert(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """COPY the rows in (far faster than INSERTs), then move any auto-numbered key past
        the largest copied value so the next INSERT does not collide with it."""
        names = ", ".join(quote_name(c) for c in columns)
        with self._errors(), self._pg.cursor() as cursor:
            with cursor.copy(f"COPY {quote_name(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            for (column,) in self.query(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = ? AND is_identity = 'YES'", (table,)):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"coalesce(max({quote_name(column)}), 0) + 1, false) "
                    f"FROM {quote_name(table)}", (quote_name(table), column))

    # ------------------------------------------------------------------ schema
    def _lock_schema(self, tx: Transaction) -> None:
        tx.execute(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")

    def tables(self) -> set[str]:
        return {r[0] for r in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE'")}

    def table_order(self) -> list[str]:
        return [r[0] for r in self.query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid")]

    def columns(self, table: str) -> list[tuple[str, str]]:
        return [(name, column_kind(kind)) for name, kind in self.query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema "
            "= current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))]

    # ------------------------------------------------------------------ change feed
    def listen(self, channel: str) -> Listener:
        return PostgresListener(self.url, channel)

    @property
    def session_id(self) -> int:
        return int(self._pg.info.backend_pid)

    # ------------------------------------------------------------------ housekeeping
    def describe(self) -> str:
        return redact_url(self.url)

    def close(self) -> None:
        with self.lock:
            self._pg.close()

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole state as a SQLite file in `target`."""
        from workbench.core.state import open_sqlite
        from workbench.core.state_copy import copy_state

        dest = open_sqlite(target, write=True)
        try:
            copy_state(self, dest)
        finally:
            dest.close()

    def integrity_ok(self) -> bool:
        """The server answers (PostgreSQL checks its own pages)."""
        try:
            return self.scalar("SELECT 1") == 1
        except ProjectError:
            return False

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        psycopg = _psycopg()
        try:
            yield
        except psycopg.Error as exc:
            raise pg_error(exc, self.url) from exc


class PostgresListener(Listener):
    """LISTEN on its own connection; `wait` blocks until a NOTIFY arrives or time is up."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        self._conn = connect(url)
        self._lock = threading.Lock()
        self._conn.execute(f"LISTEN {quote_name(channel)}")

    def wait(self, timeout: float) -> list[Notice]:
        deadline = time.monotonic() + timeout
        found: list[Notice] = []
        while not self.closed:
            left = deadline - time.monotonic()
            # in slices, so that close() from another thread is seen within a quarter second
            with self._lock:
                if self.closed:
                    break
                for n in self._conn.notifies(timeout=max(0.0, min(left, 0.25))):
                    found.append(Notice(n.payload, n.pid))
                    if len(found) >= 1000:
                        break
            if found or left <= 0:
                break
        return found

    def close(self) -> None:
        super().close()
        with self._lock:
            self._conn.close()


def check_database(db: PostgresStateDB) -> None:
    """Refuse a database the workbench would misread: not UTF-8 (Japanese text), or sorting
    text by a locale (documents and segments would come out in another order than on
    SQLite, and in exports)."""
    encoding, collation = db.query_one(
        "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database "
        "WHERE datname = current_database()") or ("", "")
    if encoding != "UTF8" or collation not in _C_COLLATIONS:
        name = db.scalar("SELECT current_database()")
        raise ProjectError(
            f"the database {name} at {db.describe()} is {encoding} sorted by {collation!r}; "
            "the workbench needs UTF-8 sorted by code point (collation C)",
            hint=f"create it with: createdb -T template0 -E UTF8 --locale=C {name}")


def open_postgres(url: str, *, write: bool) -> PostgresStateDB:
    """Open the state in the database at `url`; a reader's transactions are read-only."""
    conn = connect(url)
    db = PostgresStateDB(conn, url, writable=write)
    try:
        check_database(db)
        if not write:
            db._execute("SET default_transaction_read_only = on", ())
    except BaseException:
        db.close()
        raise
    return db


def pg_error(exc: Exception, url: str) -> ProjectError:
    """What a PostgreSQL error means for the user, with the real cause."""
    import psycopg
    from psycopg import errors as e

    where = redact_url(url)
    text = " ".join(str(exc).split())
    if isinstance(exc, e.DiskFull):
        return ProjectError(f"the database server's disk is full: the change was not saved "
                            f"({where})", hint="free space on the server and try again.")
    if isinstance(exc, e.ReadOnlySqlTransaction):
        return ProjectError(f"the project state is open read-only ({where})")
    if isinstance(exc, e.InsufficientPrivilege):
        return ProjectError(f"the database user may not do this at {where}: {text}",
                            hint="grant the user rights on the database (or its schema).")
    if isinstance(exc, e.SerializationFailure | e.DeadlockDetected | e.LockNotAvailable):
        return ProjectError(f"the project state is busy (another workbench is writing the "
                            f"same rows): {text}", hint="try again in a moment.")
    if isinstance(exc, psycopg.OperationalError):
        return ProjectError(f"lost the connection to the project state at {where}: {text}",
                            hint="check the server; nothing committed before this is lost.")
    return ProjectError(f"project state error at {where}: {text}")
