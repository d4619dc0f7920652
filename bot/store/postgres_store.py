"""The shared store: PostgreSQL, for several bot processes or very large workspaces.

Selected by `[store] url = "postgresql://…"`. It answers the same questions
as the embedded store (see base.Store), with the schema of pg_schema.py:

- every query names its workspace, and every index starts with it;
- figures for a day, week or month are one indexed range scan on the
  event time, bounded by the period's start and end in the workspace's zone;
  "all" reads the all-time totals the database maintains beside the events;
- an event id is stored once per workspace (a retried request is harmless),
  and a summary is claimed by inserting a unique (workspace, kind, period)
  row, so that exactly one process posts it however many run;
- settings and member fields are merged by the database (one key per row,
  JSON `||`), so two processes changing different keys never lose one.

Connections come from a psycopg-pool ConnectionPool (one per thread at a
time, at most `pool_size` per process, so that several processes stay well
inside the server's connection limit), in autocommit mode; statements that
must go together run in a transaction. Errors name the server but never the
password.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable, ClassVar, Iterable, Iterator, Mapping, Self, TypeVar
from zoneinfo import ZoneInfo

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from bot.core import periods
from bot.core.errors import StoreError, StoreWriteError
from bot.store import pg_periods
from bot.store.base import GENERATED, Counts, Event, MemberFigures, PeriodCounts, workspace_total
from bot.store.pg_schema import apply_migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
POOL_SIZE = 8  # connections per process at most; a request beyond waits for one to be free
CONNECT_TIMEOUT_S = 10  # one attempt to connect; also how long a request waits at most for a pooled connection
WAIT_STEP_S = 0.25  # a waiting request gives up at the end of a step in which an attempt to connect failed
BATCH = 5000  # events per INSERT when writing in bulk
_RETRIED = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure)


def describe(url: str) -> str:
    """The server and database of a connection URL, without its password (for messages and logs)."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unreadable URL)"
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host', '')}{port}/{info.get('dbname', '')}"


def period_bounds(key: str, tz: ZoneInfo) -> tuple[float, float] | None:
    """[start, end) of a period key as UTC timestamps in zone `tz`; None for "all"."""
    if key == "all":
        return None
    period = periods.of_key(key, tz)
    return period.start_ts, period.end_ts


def rct_score(event: Event) -> int | None:
    """The score the figures average: only for generations, as Counts.add_event counts it."""
    if event.type == GENERATED and event.rct and isinstance(event.rct.get("score"), (int, float)):
        return int(event.rct["score"])
    return None


_EVENT_COLUMNS = "id, ts, user_id, type, kind, count, zone, tool, rct, text"
_INSERT_INTO = """
    INSERT INTO sobria_events (workspace, id, ts, user_id, type, kind, count, zone, tool, rct, rct_score, text)"""
# An id already stored in the workspace is skipped (a retry counts once).
_SKIP_KNOWN = "ON CONFLICT (workspace, id) DO NOTHING"
# Events in bulk, one array per column.
_INSERT = f"""{_INSERT_INTO}
    SELECT %s, u.id, u.ts, u.user_id, u.type, u.kind, u.count, u.zone, u.tool, u.rct::jsonb, u.rct_score, u.text
    FROM unnest(%s::text[], %s::float8[], %s::text[], %s::text[], %s::text[], %s::int[],
                %s::text[], %s::text[], %s::text[], %s::int[], %s::text[])
         AS u(id, ts, user_id, type, kind, count, zone, tool, rct, rct_score, text)
    {_SKIP_KNOWN}"""
# One event, a command's: its values as parameters. psycopg turns a row into parameters in 5 µs, against
# 83 µs for the same row as the eleven one-item arrays of _INSERT (3 December 2026).
_INSERT_ONE = f"""{_INSERT_INTO}
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)
    {_SKIP_KNOWN}"""


# A member's fields merged into their record (a key left out is kept; no write when nothing changes).
_MEMBER_UPSERT = """
    INSERT INTO sobria_members AS m (workspace, user_id, fields) VALUES (%s, %s, %s)
    ON CONFLICT (workspace, user_id) DO UPDATE SET fields = m.fields || excluded.fields
    WHERE NOT m.fields @> excluded.fields"""
# One log and its member's fields in one statement: one round trip, one transaction, one durable commit.
_INSERT_WITH_MEMBER = (f"WITH logged AS ({_INSERT_ONE} RETURNING 1), remembered AS ({_MEMBER_UPSERT})"
                       " SELECT count(*) FROM logged")


# Grouped figures: one row per member, type, kind and zone. Rows come back in binary form, so
# psycopg decodes them in C; Python only adds them into Counts (see _per_user).
_IN_PERIOD = """
    SELECT user_id, type, kind, zone, sum(count)::bigint, count(*), coalesce(sum(rct_score), 0)::bigint,
           count(rct_score)
    FROM sobria_events WHERE workspace = %s AND ts >= %s AND ts < %s
    GROUP BY user_id, type, kind, zone"""
_ALL_TIME = """
    SELECT user_id, type, kind, zone, total, logs, rct_sum, rct_n
    FROM sobria_event_totals WHERE workspace = %s AND logs > 0"""
# The same, summed over members by the database: the workspace's figures in a few rows.
_IN_PERIOD_TOTAL = """
    SELECT type, kind, zone, sum(count)::bigint, count(*), coalesce(sum(rct_score), 0)::bigint, count(rct_score)
    FROM sobria_events WHERE workspace = %s AND ts >= %s AND ts < %s
    GROUP BY type, kind, zone"""
_ALL_TIME_TOTAL = """
    SELECT type, kind, zone, sum(total)::bigint, sum(logs)::bigint, sum(rct_sum)::bigint, sum(rct_n)::bigint
    FROM sobria_event_totals WHERE workspace = %s AND logs > 0
    GROUP BY type, kind, zone"""

# A member's hits within the window, the new one added only when there is room (as bot.core.ratelimit.admit).
_BURST = """
    INSERT INTO sobria_bursts AS b (workspace, user_id, hits, accepted)
    VALUES (%(ws)s, %(user)s, CASE WHEN %(limit)s > 0 THEN ARRAY[%(now)s::float8] ELSE '{}'::float8[] END,
            %(limit)s > 0)
    ON CONFLICT (workspace, user_id) DO UPDATE SET
        accepted = (SELECT count(*) FROM unnest(b.hits) AS h WHERE h > %(since)s) < %(limit)s,
        hits = CASE WHEN (SELECT count(*) FROM unnest(b.hits) AS h WHERE h > %(since)s) < %(limit)s
                    THEN ARRAY(SELECT h FROM unnest(b.hits) AS h WHERE h > %(since)s ORDER BY h) || %(now)s::float8
                    ELSE ARRAY(SELECT h FROM unnest(b.hits) AS h WHERE h > %(since)s ORDER BY h) END
    RETURNING accepted"""


# The first read of a rate-limited command, in one statement: the workspace's settings, the member's fields
# and the burst limit's answer, one row each, tagged. The burst row is written by a data-modifying
# WITH, which runs whatever the rest reads. _CONTEXT_WITH_FIGURES adds the member's figures of a period
# (pg_periods.FIGURES's rows, tagged "team" and "mine") to the same result. On this machine's loopback, at
# 520,000 events with the client busy 2 ms between reads and on the server's CPU, this took p50 0.49-0.75 ms
# and 0.27-0.35 ms of the client's CPU, against 0.82-1.04 and 0.40-0.53 for the two statements in a pipeline
# (3 runs of 600, 3 December 2026).
_CONTEXT = f"""WITH burst AS ({_BURST})
    SELECT 'setting' AS tag, key, value, NULL::text AS type, NULL::text AS kind, NULL::text AS zone,
           NULL::bigint AS total, NULL::bigint AS logs, NULL::bigint AS rct_sum, NULL::bigint AS rct_n,
           NULL::bigint AS members
    FROM sobria_settings WHERE workspace = %(ws)s
    UNION ALL
    SELECT 'member', NULL, fields, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM sobria_members WHERE workspace = %(ws)s AND user_id = %(user)s
    UNION ALL
    SELECT 'burst', NULL, to_jsonb(accepted), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM burst"""
_CONTEXT_WITH_FIGURES = f"""{_CONTEXT}
    UNION ALL
    SELECT f.tag, NULL, NULL, f.type, f.kind, f.zone, f.total, f.logs, f.rct_sum, f.rct_n, f.members
    FROM ({pg_periods.FIGURES}) AS f(tag, type, kind, zone, total, logs, rct_sum, rct_n, members)"""


def _figures_args(workspace: str, tz: ZoneInfo, key: str, user: str) -> dict[str, Any]:
    return {"ws": workspace, "tz": tz.key, "key": key, "user": user}


def _figures(rows: list[tuple[Any, ...]]) -> MemberFigures | None:
    """MemberFigures from the rows of pg_periods.FIGURES; None when the period's totals are not ready."""
    team = [r[1:8] for r in rows if r[0] == "team"]
    if not team:
        return None
    mine = [("", *r[1:8]) for r in rows if r[0] == "mine" and r[1] is not None]
    members = next((r[8] for r in rows if r[0] == "mine"), 0)
    return MemberFigures(_per_user(mine).get("", Counts()), _total([t for t in team if t[0] is not None]),
                         int(members or 0))


def _row(e: Event) -> tuple[Any, ...]:
    """An event's values in the order of _INSERT_INTO (after the workspace)."""
    return (e.id, e.ts, e.user, e.type, e.kind, e.count, e.zone, e.tool,
            None if e.rct is None else json.dumps(e.rct), rct_score(e), e.text)


def _columns(batch: list[Event]) -> list[list[Any]]:
    """The events as one list per column of _INSERT (after the workspace)."""
    columns: list[list[Any]] = [[] for _ in range(11)]
    for e in batch:
        for col, value in zip(columns, _row(e)):
            col.append(value)
    return columns


def _event(row: tuple[Any, ...]) -> Event:
    eid, ts, user, type_, kind, count, zone, tool, rct, text = row
    return Event(id=eid, ts=float(ts), user=user, type=type_, kind=kind, count=int(count), zone=zone,
                 tool=tool, rct=rct, text=text)


class _Reachability:
    """What the pool's last attempt to connect found.

    The pool retries failed connections in the background and only logs why
    they failed: a request that waits for a connection in vain would get a
    bare timeout, after the full wait. Remembering the last failure lets the
    store give up within a fraction of a second while the server refuses
    connections, so the member hears "not saved" at once, and say why
    ("connection refused", "password authentication failed").
    """

    def __init__(self) -> None:
        self.error: str | None = None  # the last attempt's failure; None once one succeeds


class SobriaConnection(psycopg.Connection[Any]):
    """A connection whose opening (the pool calls `connect`) is reported to a store's _Reachability.

    The pool takes a class, not a function, to open connections; each store
    makes its own subclass (see _connections_reporting_to) so that stores on
    different servers keep separate reports.
    """

    reach: ClassVar[_Reachability]

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs: Any) -> Self:  # type: ignore[override]
        try:
            conn = super().connect(conninfo, **kwargs)
        except psycopg.Error as exc:
            cls.reach.error = _short(exc)
            raise
        cls.reach.error = None
        return conn


def _connections_reporting_to(reach: _Reachability) -> type[SobriaConnection]:
    """A SobriaConnection class of one store's own, reporting to `reach`."""
    return type("SobriaConnection", (SobriaConnection,), {"reach": reach})


class PostgresStore:
    """Store implementation on PostgreSQL (psycopg 3); see the module docstring."""

    def __init__(self, url: str, pool_size: int = POOL_SIZE, migrate: bool = True) -> None:
        self.url = url
        self.where = describe(url)
        self.pool_size = pool_size
        self._known: set[str] = set()  # workspaces this object has already registered
        self._zones: dict[str, bool] = {}  # time zone -> whether its periods are read from the totals
        self._reach = _Reachability()
        # One connection is kept open (min_size), so a request after a quiet hour does not pay for a connect;
        # others are opened under load and closed after ten idle minutes. A connection the pool finds broken
        # is replaced in the background; attempts stop after CONNECT_TIMEOUT_S and start again on demand, so
        # the store follows a server restart within seconds.
        self._pool: ConnectionPool[SobriaConnection] = ConnectionPool(
            url, open=False, min_size=1, max_size=pool_size, timeout=CONNECT_TIMEOUT_S,
            reconnect_timeout=CONNECT_TIMEOUT_S, name="sobria",
            connection_class=_connections_reporting_to(self._reach),
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S, "application_name": "sobria"})
        try:
            if migrate:
                self.migrate()
            else:
                with self._own_connection("cannot reach the database"):
                    pass
            self._open_pool()
        except BaseException:
            self._pool.close()
            raise

    def migrate(self) -> list[int]:
        """Apply the schema migrations the database lacks (see pg_schema.py); returns their versions."""
        with self._own_connection("could not prepare the database schema") as conn:
            applied = apply_migrations(conn)
        if applied:
            log.info("database schema migrated to version %s on %s", applied[-1], self.where)
        return applied

    # ------------------------------------------------------------------ connections
    @contextmanager
    def _own_connection(self, failing: str) -> Iterator[psycopg.Connection[Any]]:
        """A connection outside the pool, for opening the store and migrating it.

        Opened directly so that a server that cannot be reached is reported
        at once with libpq's reason (the pool would wait, then time out); and
        the migration's advisory lock and DDL stay off the pooled connections.
        """
        try:
            with psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                 application_name="sobria") as conn:
                yield conn
        except psycopg.OperationalError as exc:
            raise StoreError(f"cannot reach the database: {_short(exc)}", self.where) from exc
        except psycopg.Error as exc:
            raise StoreError(f"{failing}: {_short(exc)}", self.where) from exc

    def _open_pool(self) -> None:
        """Start the pool and wait for its first connection, so the first request finds it ready."""
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except PoolTimeout as exc:
            raise StoreError(f"cannot reach the database: {self._unreachable()}", self.where) from exc

    def _unreachable(self) -> str:
        return self._reach.error or f"no connection within {CONNECT_TIMEOUT_S} s"

    @contextmanager
    def _connection(self) -> Iterator[SobriaConnection]:
        """A pooled connection, returned to the pool afterwards (the pool replaces it if it broke).

        The wait is cut in steps of WAIT_STEP_S: while connections are only
        busy, a request waits up to CONNECT_TIMEOUT_S for one; once an attempt
        to connect has failed, it gives up at the end of the step.
        """
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while True:
            try:
                conn = self._pool.getconn(timeout=max(0.01, min(WAIT_STEP_S, deadline - time.monotonic())))
                break
            except PoolTimeout:
                if self._reach.error is not None or time.monotonic() >= deadline:
                    raise
        try:
            yield conn
        finally:
            self._pool.putconn(conn)

    def _run(self, fn: Callable[[psycopg.Connection[Any]], T], write: bool) -> T:
        """Run `fn` on a pooled connection, retrying what is safe to retry.

        A connection that went stale while idle (server restart) is replaced
        once, after the pool has checked the other idle ones; a transaction
        chosen as a deadlock victim is run again. Other database errors, and
        no connection in time, become StoreWriteError (the coach says "not
        saved") or StoreError.
        """
        attempts = 0
        while True:
            attempts += 1
            try:
                with self._connection() as conn:
                    return fn(conn)
            except _RETRIED:
                if attempts >= 3:
                    raise self._failure(write, "the database kept refusing the transaction") from None
            except PoolTimeout as exc:
                raise self._failure(write, f"cannot reach the database: {self._unreachable()}") from exc
            except PoolClosed as exc:
                raise self._failure(write, "the store is closed") from exc
            except psycopg.OperationalError as exc:
                if attempts >= 2:
                    raise self._failure(write, _short(exc)) from exc
                self._pool.check()
            except psycopg.Error as exc:
                raise self._failure(write, _short(exc)) from exc

    def _failure(self, write: bool, reason: str) -> StoreError:
        if write:
            return StoreWriteError(f"the database did not store the change: {reason}", self.where)
        return StoreError(f"the database did not answer: {reason}", self.where)

    @contextmanager
    def _writing(self, conn: psycopg.Connection[Any], workspace: str) -> Iterator[None]:
        """Around ONE statement: makes `workspace` appear in workspaces() (asked once per store object).

        The first time, the registration and the statement go in one
        transaction; afterwards the statement runs alone in autocommit, which
        is a transaction of its own, triggers included: one round trip instead
        of three (BEGIN, statement, COMMIT). Statements that must go together
        open their own `conn.transaction()`.
        """
        fresh = workspace not in self._known
        if not fresh:
            yield
            return
        with conn.transaction():
            if fresh:
                conn.execute("INSERT INTO sobria_workspaces (workspace) VALUES (%s) ON CONFLICT DO NOTHING",
                             (workspace,))
            yield
        if fresh:
            self._known.add(workspace)

    # ------------------------------------------------------------------ events
    def add_event(self, workspace: str, event: Event, member: Mapping[str, Any] | None = None) -> None:
        """Store one event; `member`, fields merged into its member's record in the same statement (see Store)."""
        row = (workspace, *_row(event))

        def insert(conn: psycopg.Connection[Any]) -> None:
            with self._writing(conn, workspace):
                if member:
                    fields = {k: v for k, v in member.items() if k != "user"}
                    conn.execute(_INSERT_WITH_MEMBER, (*row, workspace, event.user, Jsonb(fields)))
                else:
                    conn.execute(_INSERT_ONE, row)

        self._run(insert, write=True)

    def add_events(self, workspace: str, events: Iterable[Event]) -> int:
        """Store events in batches of one statement each; returns how many were new.

        An id already stored in the workspace is skipped: a retried request or
        a migration run twice does not count twice.
        """
        batch: list[Event] = []
        added = 0
        for e in events:
            batch.append(e)
            if len(batch) >= BATCH:
                added += self._insert(workspace, batch)
                batch = []
        if batch:
            added += self._insert(workspace, batch)
        return added

    def _insert(self, workspace: str, batch: list[Event]) -> int:
        if not batch:
            return 0
        columns = _columns(batch)

        def insert(conn: psycopg.Connection[Any]) -> int:
            with self._writing(conn, workspace):
                cur = conn.execute(_INSERT, (workspace, *columns))
                return cur.rowcount

        return self._run(insert, write=True)

    def get_event(self, workspace: str, event_id: str) -> Event | None:
        row = self._run(lambda c: c.execute(
            f"SELECT {_EVENT_COLUMNS} FROM sobria_events WHERE workspace = %s AND id = %s",
            (workspace, event_id)).fetchone(), write=False)
        return _event(row) if row else None

    def last_event(self, workspace: str, user: str, since_ts: float) -> Event | None:
        row = self._run(lambda c: c.execute(
            f"""SELECT {_EVENT_COLUMNS} FROM sobria_events
                WHERE workspace = %s AND user_id = %s AND ts >= %s ORDER BY ts DESC LIMIT 1""",
            (workspace, user, since_ts)).fetchone(), write=False)
        return _event(row) if row else None

    def remove_event(self, workspace: str, event_id: str) -> bool:
        return self._run(lambda c: c.execute(
            "DELETE FROM sobria_events WHERE workspace = %s AND id = %s", (workspace, event_id)).rowcount > 0,
            write=True)

    def member_events(self, workspace: str, user: str, since_ts: float | None = None) -> list[Event]:
        rows = self._run(lambda c: c.execute(
            f"""SELECT {_EVENT_COLUMNS} FROM sobria_events WHERE workspace = %s AND user_id = %s AND ts >= %s
                ORDER BY ts, id""",
            (workspace, user, float("-inf") if since_ts is None else since_ts)).fetchall(), write=False)
        return [_event(r) for r in rows]

    def forget_member(self, workspace: str, user: str) -> int:
        def forget(conn: psycopg.Connection[Any]) -> int:
            with conn.transaction():
                removed = conn.execute("DELETE FROM sobria_events WHERE workspace = %s AND user_id = %s",
                                       (workspace, user)).rowcount
                conn.execute("DELETE FROM sobria_members WHERE workspace = %s AND user_id = %s", (workspace, user))
                conn.execute("DELETE FROM sobria_bursts WHERE workspace = %s AND user_id = %s", (workspace, user))
                return removed

        return self._run(forget, write=True)

    def missing_events(self, workspace: str, event_ids: list[str]) -> list[str]:
        """The ids among `event_ids` that the workspace does not hold (checks after a copy)."""
        if not event_ids:
            return []
        rows = self._run(lambda c: c.execute(
            """SELECT wanted.id FROM unnest(%s::text[]) AS wanted(id)
               WHERE NOT EXISTS (SELECT 1 FROM sobria_events e WHERE e.workspace = %s AND e.id = wanted.id)""",
            (event_ids, workspace)).fetchall(), write=False)
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ figures
    def _period_rows(self, conn: psycopg.Connection[Any], workspace: str, tz: ZoneInfo, key: str,
                     kept_sql: str, range_sql: str, all_sql: str) -> tuple[list[tuple[Any, ...]], bool]:
        """The grouped rows of one period, and whether they came from the period totals.

        "all" reads the all-time totals; a week or a month, the period totals
        (counted once, the first time: pg_periods.make_ready); a day, or any
        period of a zone PostgreSQL reads differently, its events.
        """
        span = period_bounds(key, tz)
        if span is None:
            return conn.execute(all_sql, (workspace,), binary=True).fetchall(), False
        if pg_periods.kept(key) and self._zone_kept(conn, tz):
            for _ in range(2):
                rows = conn.execute(kept_sql, (workspace, tz.key, key), binary=True).fetchall()
                if rows:  # a ready period with no events gives one row of NULLs
                    return [r for r in rows if r[-1] is not None], True
                try:
                    pg_periods.make_ready(conn, workspace, tz, key)
                except psycopg.OperationalError:
                    raise
                except psycopg.Error as exc:  # a read-only database, say: count the events instead
                    log.warning("period totals of %s not prepared on %s: %s", key, self.where, _short(exc))
                    break
        return conn.execute(range_sql, (workspace, span[0], span[1]), binary=True).fetchall(), False

    def _zone_kept(self, conn: psycopg.Connection[Any], tz: ZoneInfo) -> bool:
        """Whether the period totals can serve zone `tz` (checked once per zone and store object)."""
        agrees = self._zones.get(tz.key)
        if agrees is None:
            agrees = self._zones[tz.key] = pg_periods.calendar_agrees(conn, tz, time.time())
            if not agrees:
                log.warning("PostgreSQL's calendar differs from Python's for %s: its figures are counted from "
                            "the events", tz.key)
        return agrees

    def counts(self, workspace: str, tz: ZoneInfo, keys: Iterable[str]) -> dict[str, PeriodCounts]:
        """Figures per member for each period key (see _period_rows)."""
        wanted = list(dict.fromkeys(keys))

        def read(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
            return {key: self._period_rows(conn, workspace, tz, key, pg_periods.PER_MEMBER, _IN_PERIOD, _ALL_TIME)[0]
                    for key in wanted}

        rows = self._run(read, write=False)
        return {key: _per_user(rows[key]) for key in wanted}

    def totals(self, workspace: str, tz: ZoneInfo, keys: Iterable[str]) -> dict[str, Counts]:
        """The workspace's counts of each period, summed over members by the database (a few rows each)."""
        wanted = list(dict.fromkeys(keys))

        def read(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
            return {key: self._period_rows(conn, workspace, tz, key, pg_periods.WORKSPACE, _IN_PERIOD_TOTAL,
                                           _ALL_TIME_TOTAL)[0] for key in wanted}

        rows = self._run(read, write=False)
        return {key: _total(rows[key]) for key in wanted}

    def member_figures(self, workspace: str, tz: ZoneInfo, key: str, user: str) -> MemberFigures:
        """One member's counts of a period, the workspace's, and how many members logged (see Store)."""

        def read(conn: psycopg.Connection[Any]) -> MemberFigures | None:
            if not (pg_periods.kept(key) and self._zone_kept(conn, tz)):
                return None
            args = _figures_args(workspace, tz, key, user)
            for _ in range(2):
                figures = _figures(conn.execute(pg_periods.FIGURES, args, binary=True).fetchall())
                if figures is not None:
                    return figures
                try:
                    pg_periods.make_ready(conn, workspace, tz, key)
                except psycopg.OperationalError:
                    raise
                except psycopg.Error as exc:  # a read-only database, say: from the events, as counts() does
                    log.warning("period totals of %s not prepared on %s: %s", key, self.where, _short(exc))
                    return None
            return None

        got = self._run(read, write=False)
        if got is None:  # a day, "all", or a zone read from the events: from the per-member figures
            per_user = self.counts(workspace, tz, [key])[key]
            return MemberFigures(per_user.get(user, Counts()), workspace_total(per_user), len(per_user))
        return got

    def admit_burst(self, workspace: str, user: str, now: float, limit: int, window: float) -> bool:
        """The burst limit across processes (see Store): one atomic upsert of the member's recent hits.

        The row is locked by the upsert, so two processes deciding at once see
        each other's hit; the table is UNLOGGED (pg_periods), so the commit
        does not wait for the disk.
        """
        row = self._run(lambda c: c.execute(_BURST, {"ws": workspace, "user": user, "now": now, "limit": limit,
                                                     "since": now - window}).fetchone(), write=True)
        return bool(row and row[0])

    # ------------------------------------------------------------------ settings, members, summaries
    def settings(self, workspace: str) -> dict[str, Any]:
        rows = self._run(lambda c: c.execute(
            "SELECT key, value FROM sobria_settings WHERE workspace = %s ORDER BY key", (workspace,)).fetchall(),
            write=False)
        return {k: v for k, v in rows}

    def set_setting(self, workspace: str, key: str, value: Any) -> None:
        def write(conn: psycopg.Connection[Any]) -> None:
            with self._writing(conn, workspace):
                conn.execute(
                    """INSERT INTO sobria_settings (workspace, key, value) VALUES (%s, %s, %s)
                       ON CONFLICT (workspace, key) DO UPDATE SET value = excluded.value""",
                    (workspace, key, Jsonb(value)))

        self._run(write, write=True)

    def member(self, workspace: str, user: str) -> dict[str, Any] | None:
        row = self._run(lambda c: c.execute(
            "SELECT fields FROM sobria_members WHERE workspace = %s AND user_id = %s", (workspace, user)).fetchone(),
            write=False)
        return {"user": user, **row[0]} if row else None

    def settings_and_member(self, workspace: str, user: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """settings() and member() in one query: every command's first read, one round trip instead of two."""
        rows = self._run(lambda c: c.execute(
            """SELECT key, value FROM sobria_settings WHERE workspace = %(ws)s
               UNION ALL
               SELECT NULL, fields FROM sobria_members WHERE workspace = %(ws)s AND user_id = %(user)s""",
            {"ws": workspace, "user": user}).fetchall(), write=False)
        member = next(({"user": user, **v} for k, v in rows if k is None), None)
        return dict(sorted((k, v) for k, v in rows if k is not None)), member

    def settings_member_admitting(self, workspace: str, user: str, now: float, limit: int, window: float,
                                  week: tuple[ZoneInfo, str] | None = None
                                  ) -> tuple[dict[str, Any], dict[str, Any] | None, bool, MemberFigures | None]:
        """settings_and_member(), admit_burst() and member_figures() of `week` in one statement: a log's first
        read is one round trip (see _CONTEXT). The figures come back only when the period's totals are ready
        (they nearly always are: the first command of a week or zone prepares them); otherwise None, and the
        caller reads them with member_figures()."""
        params = {"ws": workspace, "user": user, "now": now, "limit": limit, "since": now - window}

        def read(conn: psycopg.Connection[Any]) -> tuple[list[tuple[Any, ...]], bool]:
            if week is None or not (pg_periods.kept(week[1]) and self._zone_kept(conn, week[0])):
                return conn.execute(_CONTEXT, params, binary=True).fetchall(), False
            args = {**params, **_figures_args(workspace, week[0], week[1], user)}
            return conn.execute(_CONTEXT_WITH_FIGURES, args, binary=True).fetchall(), True

        rows, asked = self._run(read, write=True)
        member = next(({"user": user, **r[2]} for r in rows if r[0] == "member"), None)
        admitted = next((bool(r[2]) for r in rows if r[0] == "burst"), True)
        figures = _figures([(r[0], *r[3:]) for r in rows if r[0] in ("team", "mine")]) if asked else None
        return dict(sorted((r[1], r[2]) for r in rows if r[0] == "setting")), member, admitted, figures

    def update_member(self, workspace: str, user: str, **fields: Any) -> None:
        fields.pop("user", None)

        def write(conn: psycopg.Connection[Any]) -> None:
            with self._writing(conn, workspace):
                conn.execute(_MEMBER_UPSERT, (workspace, user, Jsonb(fields)))

        self._run(write, write=True)

    def members(self, workspace: str) -> list[dict[str, Any]]:
        rows = self._run(lambda c: c.execute(
            "SELECT user_id, fields FROM sobria_members WHERE workspace = %s ORDER BY seq", (workspace,)).fetchall(),
            write=False)
        return [{"user": user, **fields} for user, fields in rows]

    def workspaces(self) -> list[str]:
        rows = self._run(lambda c: c.execute("SELECT workspace FROM sobria_workspaces").fetchall(), write=False)
        return sorted(r[0] for r in rows)

    def claim_summary(self, workspace: str, kind: str, period: str) -> bool:
        """Record that (kind, period) is being posted; False when any process already did (exactly once)."""
        return self.record_summary(workspace, kind, period)

    def record_summary(self, workspace: str, kind: str, period: str, at: str | None = None) -> bool:
        """Insert the claim row (with its original time when copied); True when this call created it."""
        when = datetime.fromisoformat(at) if at else datetime.now(timezone.utc)

        def write(conn: psycopg.Connection[Any]) -> bool:
            with self._writing(conn, workspace):
                cur = conn.execute(
                    """INSERT INTO sobria_summaries (workspace, kind, period, claimed_at) VALUES (%s, %s, %s, %s)
                       ON CONFLICT (workspace, kind, period) DO NOTHING""", (workspace, kind, period, when))
                return cur.rowcount == 1

        return self._run(write, write=True)

    def summaries_claimed(self, workspace: str) -> set[tuple[str, str]]:
        rows = self._run(lambda c: c.execute(
            "SELECT kind, period FROM sobria_summaries WHERE workspace = %s", (workspace,)).fetchall(), write=False)
        return {(k, p) for k, p in rows}

    def destinations(self, workspace: str, platform: str) -> dict[str, dict[str, Any]]:
        """The platform's stored destinations of the workspace (see Store), by key."""
        rows = self._run(lambda c: c.execute(
            "SELECT key, value FROM sobria_destinations WHERE workspace = %s AND platform = %s ORDER BY key",
            (workspace, platform)).fetchall(), write=False)
        return {k: dict(v) for k, v in rows}

    def set_destination(self, workspace: str, platform: str, key: str, value: dict[str, Any] | None) -> None:
        """Keep (or replace) one destination; None removes it."""
        def write(conn: psycopg.Connection[Any]) -> None:
            with self._writing(conn, workspace):
                if value is None:
                    conn.execute("DELETE FROM sobria_destinations WHERE workspace = %s AND platform = %s AND key = %s",
                                 (workspace, platform, key))
                else:
                    conn.execute(
                        """INSERT INTO sobria_destinations (workspace, platform, key, value) VALUES (%s, %s, %s, %s)
                           ON CONFLICT (workspace, platform, key) DO UPDATE SET value = excluded.value""",
                        (workspace, platform, key, Jsonb(value)))

        self._run(write, write=True)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk copy, so the first queries pick the indexes)."""
        self._run(lambda c: c.execute("ANALYZE sobria_events, sobria_event_totals, sobria_members"), write=True)

    def close(self) -> None:
        self._pool.close()


def _per_user(rows: list[tuple[Any, ...]]) -> PeriodCounts:
    """Grouped rows (user, type, kind, zone, total, logs, rct_sum, rct_n) → Counts per member.

    The same arithmetic as Counts.add_event: a type other than "gen" counts as avoided.
    """
    out: PeriodCounts = {}
    for user, type_, kind, zone, total, logs, rct_sum, rct_n in rows:
        c = out.get(user)
        if c is None:
            c = out[user] = Counts()
        key = kind + "|" + zone
        if type_ == GENERATED:
            c.gen[key] = c.gen.get(key, 0) + total
            c.gen_logs += logs
            c.rct_sum += rct_sum
            c.rct_n += rct_n
        else:
            c.avoid[key] = c.avoid.get(key, 0) + total
            c.avoid_logs += logs
    return out


def _total(rows: list[tuple[Any, ...]]) -> Counts:
    """Rows (type, kind, zone, total, logs, rct_sum, rct_n) summed over members → the workspace's Counts."""
    return _per_user([("", *row) for row in rows if row[0] is not None]).get("", Counts())


def _short(exc: BaseException) -> str:
    """The first line of a database error, which is what a person can act on."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


__all__ = ["PostgresStore", "describe", "period_bounds", "rct_score"]
