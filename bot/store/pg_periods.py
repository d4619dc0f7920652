"""Week and month totals kept by PostgreSQL beside the events, so a period's figures read a few rows.

Why: `/ia-stats month` counted the month's events (17,000 rows for a 500-member
workspace) with one grouped index scan on every call, 25 ms at the median;
the embedded store answers from totals it keeps in memory. Here the database
keeps `sobria_period_totals`: one row per (workspace, time zone, period,
member, type, kind, zone), `sobria_period_sums`, the same summed over
members (about twenty rows a period), and `sobria_period_members`, each
member's logs (to count who logged), all maintained by a statement trigger
in the same transaction as the events, as the all-time `sobria_event_totals`
is; how many members logged in a period is kept on its ready row
(`MEMBERS_COUNTED`). A workspace's sums are one row per kind that its logs
update in turn: two logs of the same kind in one workspace commit one after
the other, a fraction of a millisecond each, far above any team's pace.

Periods are local to the workspace's time zone ("m:2026-11" in Paris starts
at 23:00 UTC on 31 October), and the store learns the zone only when asked
for figures. So totals are kept per (workspace, zone) the store has been asked
about (`sobria_period_zones`), and a period is read from them only once it is
marked complete (`sobria_period_ready`):

- the first time a period is asked in a zone, `make_ready` registers the zone
  and counts that period from its events (one indexed range scan, what every
  call used to cost), under an exclusive advisory lock on the workspace;
- the trigger takes the same lock shared before reading which zones to keep,
  so an insert either finishes before the count (which then sees it) or
  waits for it (and then adds itself to the counted period): nothing is
  counted twice or missed, whatever process writes;
- the zone's keys are computed by PostgreSQL (`sobria_period_keys`, with the
  same formats as bot.core.periods). A zone is used only after checking that
  PostgreSQL's calendar gives the same keys as Python's around every month
  boundary of five years (`calendar_agrees`); otherwise, or for day keys, the
  store counts the events in the range, as before.

Nothing here needs a warm-up: a period never asked before costs one range
scan, once, and a new process finds the totals other processes made.

The burst-limit table (`sobria_bursts`) is here too: it is UNLOGGED, since a
per-member window of the last minute needs no crash safety, and so no commit
waits for the disk to record a command's hit.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from bot.core import periods

PERIOD_KINDS = ("w:", "m:")  # the keys kept as totals; day keys are few events and read from the events

MIGRATION_DESCRIPTION = "week and month totals per time zone, kept by triggers; members' burst windows"


def _event_triggers(prefix: str, add: str, remove: str) -> tuple[str, ...]:
    """The statement triggers that pass the events written to function `add` and those deleted to `remove`.

    An update passes the old rows to `remove` and the new ones to `add`. The
    text is part of migration 4, applied in existing databases: it must not
    change by a byte.
    """
    def trigger(name: str, action: str, rows: str, table: str, function: str) -> str:
        return (f"CREATE TRIGGER {prefix}_{name} AFTER {action} ON sobria_events\n"
                f"        REFERENCING {rows} TABLE AS {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()")

    return (trigger("added", "INSERT", "NEW", "added", add),
            trigger("removed", "DELETE", "OLD", "removed", remove),
            trigger("edited_old", "UPDATE", "OLD", "removed", remove),
            trigger("edited_new", "UPDATE", "NEW", "added", add))


STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE sobria_period_zones (
        workspace text NOT NULL,
        tz text NOT NULL,
        PRIMARY KEY (workspace, tz)
    )""",
    """CREATE TABLE sobria_period_ready (
        workspace text NOT NULL,
        tz text NOT NULL,
        period text NOT NULL,
        PRIMARY KEY (workspace, tz, period)
    )""",
    """CREATE TABLE sobria_period_totals (
        workspace text NOT NULL,
        tz text NOT NULL,
        period text NOT NULL,
        user_id text NOT NULL,
        type text NOT NULL,
        kind text NOT NULL,
        zone text NOT NULL,
        total bigint NOT NULL,
        logs bigint NOT NULL,
        rct_sum bigint NOT NULL,
        rct_n bigint NOT NULL,
        PRIMARY KEY (workspace, tz, period, user_id, type, kind, zone)
    )""",
    # each member's logs in a period, so "how many members logged" counts a few hundred short rows
    """CREATE TABLE sobria_period_members (
        workspace text NOT NULL,
        tz text NOT NULL,
        period text NOT NULL,
        user_id text NOT NULL,
        logs bigint NOT NULL,
        PRIMARY KEY (workspace, tz, period, user_id)
    )""",
    # the same summed over members, so the workspace's figures (the week's zone, /ia-stats) read ~20 rows
    """CREATE TABLE sobria_period_sums (
        workspace text NOT NULL,
        tz text NOT NULL,
        period text NOT NULL,
        type text NOT NULL,
        kind text NOT NULL,
        zone text NOT NULL,
        total bigint NOT NULL,
        logs bigint NOT NULL,
        rct_sum bigint NOT NULL,
        rct_n bigint NOT NULL,
        PRIMARY KEY (workspace, tz, period, type, kind, zone)
    )""",
    # the week and month keys of an instant in a zone, formatted as bot.core.periods formats them
    """CREATE FUNCTION sobria_period_keys(ts double precision, tz text) RETURNS text[]
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT ARRAY['w:' || to_char(l, 'IYYY-"W"IW'), 'm:' || to_char(l, 'YYYY-MM')]
        FROM (SELECT to_timestamp(ts) AT TIME ZONE tz AS l) AS local_time $$""",
    """CREATE FUNCTION sobria_periods_lock(workspace text) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT hashtextextended('sobria periods ' || workspace, 0) $$""",
    # one statement: the zones' keys are computed once and feed the three tables
    """CREATE FUNCTION sobria_periods_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock_shared(sobria_periods_lock(w))
        FROM (SELECT DISTINCT workspace AS w FROM added ORDER BY 1) AS touched;
        WITH keyed AS MATERIALIZED (
            SELECT a.workspace, z.tz, p.period, a.user_id, a.type, a.kind, a.zone, a.count, a.rct_score
            FROM added a JOIN sobria_period_zones z ON z.workspace = a.workspace
                 CROSS JOIN LATERAL unnest(sobria_period_keys(a.ts, z.tz)) AS p(period)
        ), per_member AS (
            INSERT INTO sobria_period_totals AS t
                (workspace, tz, period, user_id, type, kind, zone, total, logs, rct_sum, rct_n)
            SELECT workspace, tz, period, user_id, type, kind, zone, sum(count), count(*),
                   coalesce(sum(rct_score), 0), count(rct_score)
            FROM keyed GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
            ON CONFLICT (workspace, tz, period, user_id, type, kind, zone) DO UPDATE SET
                total = t.total + excluded.total, logs = t.logs + excluded.logs,
                rct_sum = t.rct_sum + excluded.rct_sum, rct_n = t.rct_n + excluded.rct_n
        ), members AS (
            INSERT INTO sobria_period_members AS t (workspace, tz, period, user_id, logs)
            SELECT workspace, tz, period, user_id, count(*) FROM keyed
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (workspace, tz, period, user_id) DO UPDATE SET logs = t.logs + excluded.logs
        )
        INSERT INTO sobria_period_sums AS t (workspace, tz, period, type, kind, zone, total, logs, rct_sum, rct_n)
        SELECT workspace, tz, period, type, kind, zone, sum(count), count(*), coalesce(sum(rct_score), 0),
               count(rct_score)
        FROM keyed GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (workspace, tz, period, type, kind, zone) DO UPDATE SET
            total = t.total + excluded.total, logs = t.logs + excluded.logs,
            rct_sum = t.rct_sum + excluded.rct_sum, rct_n = t.rct_n + excluded.rct_n;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION sobria_periods_remove() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock_shared(sobria_periods_lock(w))
        FROM (SELECT DISTINCT workspace AS w FROM removed ORDER BY 1) AS touched;
        UPDATE sobria_period_totals AS t SET
            total = t.total - gone.total, logs = t.logs - gone.logs,
            rct_sum = t.rct_sum - gone.rct_sum, rct_n = t.rct_n - gone.rct_n
        FROM (
            SELECT r.workspace, z.tz, p.period, r.user_id, r.type, r.kind, r.zone, sum(r.count) AS total,
                   count(*) AS logs, coalesce(sum(r.rct_score), 0) AS rct_sum, count(r.rct_score) AS rct_n
            FROM removed r JOIN sobria_period_zones z ON z.workspace = r.workspace
                 CROSS JOIN LATERAL unnest(sobria_period_keys(r.ts, z.tz)) AS p(period)
            GROUP BY 1, 2, 3, 4, 5, 6, 7
        ) AS gone
        WHERE t.workspace = gone.workspace AND t.tz = gone.tz AND t.period = gone.period
          AND t.user_id = gone.user_id AND t.type = gone.type AND t.kind = gone.kind AND t.zone = gone.zone;
        DELETE FROM sobria_period_totals t
        USING (SELECT DISTINCT r.workspace, z.tz, p.period, r.user_id
               FROM removed r JOIN sobria_period_zones z ON z.workspace = r.workspace
                    CROSS JOIN LATERAL unnest(sobria_period_keys(r.ts, z.tz)) AS p(period)) AS g
        WHERE t.workspace = g.workspace AND t.tz = g.tz AND t.period = g.period AND t.user_id = g.user_id
          AND t.logs <= 0;
        UPDATE sobria_period_members AS t SET logs = t.logs - gone.logs
        FROM (
            SELECT r.workspace, z.tz, p.period, r.user_id, count(*) AS logs
            FROM removed r JOIN sobria_period_zones z ON z.workspace = r.workspace
                 CROSS JOIN LATERAL unnest(sobria_period_keys(r.ts, z.tz)) AS p(period)
            GROUP BY 1, 2, 3, 4
        ) AS gone
        WHERE t.workspace = gone.workspace AND t.tz = gone.tz AND t.period = gone.period
          AND t.user_id = gone.user_id;
        DELETE FROM sobria_period_members t
        USING (SELECT DISTINCT r.workspace, z.tz, p.period, r.user_id
               FROM removed r JOIN sobria_period_zones z ON z.workspace = r.workspace
                    CROSS JOIN LATERAL unnest(sobria_period_keys(r.ts, z.tz)) AS p(period)) AS g
        WHERE t.workspace = g.workspace AND t.tz = g.tz AND t.period = g.period AND t.user_id = g.user_id
          AND t.logs <= 0;
        UPDATE sobria_period_sums AS t SET
            total = t.total - gone.total, logs = t.logs - gone.logs,
            rct_sum = t.rct_sum - gone.rct_sum, rct_n = t.rct_n - gone.rct_n
        FROM (
            SELECT r.workspace, z.tz, p.period, r.type, r.kind, r.zone, sum(r.count) AS total,
                   count(*) AS logs, coalesce(sum(r.rct_score), 0) AS rct_sum, count(r.rct_score) AS rct_n
            FROM removed r JOIN sobria_period_zones z ON z.workspace = r.workspace
                 CROSS JOIN LATERAL unnest(sobria_period_keys(r.ts, z.tz)) AS p(period)
            GROUP BY 1, 2, 3, 4, 5, 6
        ) AS gone
        WHERE t.workspace = gone.workspace AND t.tz = gone.tz AND t.period = gone.period
          AND t.type = gone.type AND t.kind = gone.kind AND t.zone = gone.zone;
        DELETE FROM sobria_period_sums t
        USING (SELECT DISTINCT r.workspace, z.tz, p.period
               FROM removed r JOIN sobria_period_zones z ON z.workspace = r.workspace
                    CROSS JOIN LATERAL unnest(sobria_period_keys(r.ts, z.tz)) AS p(period)) AS g
        WHERE t.workspace = g.workspace AND t.tz = g.tz AND t.period = g.period AND t.logs <= 0;
        RETURN NULL;
    END $$""",
    *_event_triggers("sobria_events_periods", add="sobria_periods_add", remove="sobria_periods_remove"),
    # one row per member who logged lately: the times of their last accepted logs (bot/core/ratelimit.py)
    """CREATE UNLOGGED TABLE sobria_bursts (
        workspace text NOT NULL,
        user_id text NOT NULL,
        hits double precision[] NOT NULL,
        accepted boolean NOT NULL,
        PRIMARY KEY (workspace, user_id)
    )""",
)

# Migration 5: how many members logged in a ready period, kept on its `sobria_period_ready` row. Counting
# the period's `sobria_period_members` rows (500 for the benchmark's workspace) took 0.27 of the 0.35 ms that
# FIGURES cost the server, on every /ia-log and /ia-stats (EXPLAIN ANALYZE at 520,000 events, 3 December
# 2026). A member's first log of a period adds one (a row trigger: later logs only update their row and cost
# nothing more). Removing events counts the touched periods again, in a statement trigger whose name sorts
# after every other trigger of sobria_events (PostgreSQL fires them in the order of their names): the ready
# rows are then locked after the period sums, in the order of their keys, as a log locks them, so a log and an
# undo never wait for each other in a circle. The tables are locked first (the ready rows before the members,
# as make_ready reads them), so no writer adds a member between the count and the triggers; the column keeps
# no default, so a process of an older version preparing a period fails to mark it ready (it then counts the
# events) instead of marking it with a count of zero.
MEMBERS_COUNTED_DESCRIPTION = "how many members logged in each ready period, kept by triggers"
MEMBERS_COUNTED: tuple[str, ...] = (
    "LOCK TABLE sobria_period_ready IN ACCESS EXCLUSIVE MODE",
    "LOCK TABLE sobria_period_members IN SHARE ROW EXCLUSIVE MODE",
    "ALTER TABLE sobria_period_ready ADD COLUMN members bigint NOT NULL DEFAULT 0",
    """UPDATE sobria_period_ready AS r SET members = (
        SELECT count(*) FROM sobria_period_members m
        WHERE m.workspace = r.workspace AND m.tz = r.tz AND m.period = r.period)""",
    "ALTER TABLE sobria_period_ready ALTER COLUMN members DROP DEFAULT",
    """CREATE FUNCTION sobria_period_member_joined() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE sobria_period_ready SET members = members + 1
        WHERE workspace = NEW.workspace AND tz = NEW.tz AND period = NEW.period;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER sobria_period_members_joined AFTER INSERT ON sobria_period_members
        FOR EACH ROW EXECUTE FUNCTION sobria_period_member_joined()""",
    """CREATE FUNCTION sobria_period_members_recount() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH touched AS (
            SELECT r.workspace, r.tz, r.period
            FROM sobria_period_ready r
            WHERE (r.workspace, r.tz, r.period) IN (
                SELECT g.workspace, z.tz, p.period
                FROM removed g JOIN sobria_period_zones z ON z.workspace = g.workspace
                     CROSS JOIN LATERAL unnest(sobria_period_keys(g.ts, z.tz)) AS p(period))
            ORDER BY 1, 2, 3
            FOR UPDATE
        )
        UPDATE sobria_period_ready AS r SET members = (
            SELECT count(*) FROM sobria_period_members m
            WHERE m.workspace = r.workspace AND m.tz = r.tz AND m.period = r.period)
        FROM touched t
        WHERE r.workspace = t.workspace AND r.tz = t.tz AND r.period = t.period;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER sobria_events_zz_period_members_removed AFTER DELETE ON sobria_events
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION sobria_period_members_recount()""",
    """CREATE TRIGGER sobria_events_zz_period_members_edited AFTER UPDATE ON sobria_events
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION sobria_period_members_recount()""",
)

# ---------------------------------------------------------------------- reading
# One row per member, type, kind and zone of a ready period; no row at all when the period is not ready
# (a ready period with no events gives one row of NULLs, from the LEFT JOIN).
PER_MEMBER = """
    SELECT t.user_id, t.type, t.kind, t.zone, t.total, t.logs, t.rct_sum, t.rct_n
    FROM sobria_period_ready r
         LEFT JOIN sobria_period_totals t ON t.workspace = r.workspace AND t.tz = r.tz AND t.period = r.period
    WHERE r.workspace = %s AND r.tz = %s AND r.period = %s"""
# The workspace's total of a ready period by type, kind and zone, the same way.
WORKSPACE = """
    SELECT t.type, t.kind, t.zone, t.total, t.logs, t.rct_sum, t.rct_n
    FROM sobria_period_ready r
         LEFT JOIN sobria_period_sums t ON t.workspace = r.workspace AND t.tz = r.tz AND t.period = r.period
    WHERE r.workspace = %s AND r.tz = %s AND r.period = %s"""
# /ia-stats in one round trip: the workspace's rows of a ready period ("team", none when it is not ready),
# then one member's rows ("mine", one row of NULLs when they have none), each with how many members logged
# (none either when the period is not ready).
FIGURES = """
    SELECT 'team', t.type, t.kind, t.zone, t.total, t.logs, t.rct_sum, t.rct_n, NULL::bigint
    FROM sobria_period_ready r
         LEFT JOIN sobria_period_sums t ON t.workspace = r.workspace AND t.tz = r.tz AND t.period = r.period
    WHERE r.workspace = %(ws)s AND r.tz = %(tz)s AND r.period = %(key)s
    UNION ALL
    SELECT 'mine', m.type, m.kind, m.zone, m.total, m.logs, m.rct_sum, m.rct_n, n.members
    FROM sobria_period_ready n
         LEFT JOIN sobria_period_totals m ON m.workspace = n.workspace AND m.tz = n.tz AND m.period = n.period
                                          AND m.user_id = %(user)s
    WHERE n.workspace = %(ws)s AND n.tz = %(tz)s AND n.period = %(key)s"""


def kept(key: str) -> bool:
    """Whether period `key` can be read from the totals (weeks and months)."""
    return key.startswith(PERIOD_KINDS)


# ---------------------------------------------------------------------- a zone's calendar
def calendar_agrees(conn: psycopg.Connection[Any], tz: ZoneInfo, around: float) -> bool:
    """Whether PostgreSQL knows zone `tz` and puts each instant in the same week and month as Python.

    Checked one second either side of every local month start and of every
    Monday of the five years around `around`: where the two time zone
    databases disagree on an offset near a boundary, the keys differ there.
    """
    year = datetime.fromtimestamp(around, timezone.utc).year
    instants: list[float] = []
    day = datetime(year - 2, 1, 1).date()
    end = datetime(year + 3, 1, 1).date()
    while day < end:
        if day.day == 1 or day.weekday() == 0:
            start = datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()
            instants += [start - 1, start + 1]
        day += timedelta(days=1)
    try:
        with conn.transaction():
            rows = conn.execute("SELECT sobria_period_keys(t, %s) FROM unnest(%s::float8[]) AS t",
                                (tz.key, instants)).fetchall()
    except psycopg.Error:
        return False  # a zone PostgreSQL does not know
    for ts, (keys,) in zip(instants, rows):
        _, week, month = periods.keys_for(ts, tz)
        if list(keys) != [week, month]:
            return False
    return True


def make_ready(conn: psycopg.Connection[Any], workspace: str, tz: ZoneInfo, key: str) -> None:
    """Count period `key` of zone `tz` from the events and mark it ready (see the module docstring).

    The exclusive lock waits for inserts under way in the workspace and holds
    new ones back for the count: a range scan of one period, a few
    milliseconds, once per period and zone.
    """
    period = periods.of_key(key, tz)
    # a day of margin: the range only narrows the index scan, the keys decide
    lo, hi = period.start_ts - 86_400, period.end_ts + 86_400
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(sobria_periods_lock(%s))", (workspace,))
        conn.execute("INSERT INTO sobria_period_zones (workspace, tz) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                     (workspace, tz.key))
        done = conn.execute("SELECT 1 FROM sobria_period_ready WHERE workspace = %s AND tz = %s AND period = %s",
                            (workspace, tz.key, key)).fetchone()
        if done:
            return  # another process counted it meanwhile
        for table in ("sobria_period_totals", "sobria_period_members", "sobria_period_sums"):
            conn.execute(f"DELETE FROM {table} WHERE workspace = %s AND tz = %s AND period = %s",
                         (workspace, tz.key, key))
        conn.execute(
            """INSERT INTO sobria_period_totals (workspace, tz, period, user_id, type, kind, zone, total, logs,
                                                 rct_sum, rct_n)
               SELECT workspace, %(tz)s, %(key)s, user_id, type, kind, zone, sum(count), count(*),
                      coalesce(sum(rct_score), 0), count(rct_score)
               FROM sobria_events
               WHERE workspace = %(ws)s AND ts >= %(lo)s AND ts < %(hi)s
                 AND %(key)s = ANY(sobria_period_keys(ts, %(tz)s))
               GROUP BY workspace, user_id, type, kind, zone""",
            {"ws": workspace, "tz": tz.key, "key": key, "lo": lo, "hi": hi})
        conn.execute(
            """INSERT INTO sobria_period_members (workspace, tz, period, user_id, logs)
               SELECT workspace, tz, period, user_id, sum(logs) FROM sobria_period_totals
               WHERE workspace = %s AND tz = %s AND period = %s
               GROUP BY workspace, tz, period, user_id""", (workspace, tz.key, key))
        conn.execute(
            """INSERT INTO sobria_period_sums (workspace, tz, period, type, kind, zone, total, logs, rct_sum, rct_n)
               SELECT workspace, tz, period, type, kind, zone, sum(total), sum(logs), sum(rct_sum), sum(rct_n)
               FROM sobria_period_totals WHERE workspace = %s AND tz = %s AND period = %s
               GROUP BY workspace, tz, period, type, kind, zone""", (workspace, tz.key, key))
        conn.execute(  # the members' rows just written did not count themselves: the period was not ready
            """INSERT INTO sobria_period_ready (workspace, tz, period, members)
               SELECT %(ws)s, %(tz)s, %(key)s, count(*) FROM sobria_period_members
               WHERE workspace = %(ws)s AND tz = %(tz)s AND period = %(key)s""",
            {"ws": workspace, "tz": tz.key, "key": key})


__all__ = ["FIGURES", "MEMBERS_COUNTED", "MEMBERS_COUNTED_DESCRIPTION", "MIGRATION_DESCRIPTION", "PER_MEMBER",
           "STATEMENTS", "WORKSPACE",
           "calendar_agrees", "kept", "make_ready"]
