"""The PostgreSQL schema and its migrations.

The bot owns its schema: every migration below runs once, in order, inside a
transaction that holds an advisory lock, so several `sobria run` processes
starting together against an empty database create it exactly once, and a
half-applied migration never stays behind. `sobria migrate` applies them
explicitly; opening the store applies any that are missing.

Why the tables look as they do:
- events are keyed by (workspace, id): a retried request stores its event once;
- `sobria_events_period` covers the period queries (/ia-stats, /ia-log's week
  zone) so they read only the index, in the order of time;
- `sobria_event_totals` keeps each member's all-time figures per kind and
  zone, maintained by statement triggers in the same transaction as the
  events, so "all" (/ia-top all) reads a few hundred rows instead of every
  event, and cannot drift from the events whichever program writes them;
- summaries claimed are unique per (workspace, kind, period): whichever
  process inserts the row first posts the summary, the others see a conflict.

This module needs only a psycopg connection: postgres_store imports it to
migrate on opening, and copy_tinydb (the copy of an embedded store) imports
postgres_store, so the three never import each other in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from bot.core.errors import StoreError
from bot.store import pg_periods

# any constant works as long as every process uses the same: "Sobria" in ASCII
MIGRATION_LOCK = 0x536F62726961


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events with period and member indexes, all-time totals, members, settings, summaries, workspaces", (
        """CREATE TABLE sobria_workspaces (
            workspace text PRIMARY KEY,
            created_at timestamptz NOT NULL DEFAULT now()
        )""",
        """CREATE TABLE sobria_events (
            workspace text NOT NULL,
            id text NOT NULL,
            ts double precision NOT NULL,
            user_id text NOT NULL,
            type text NOT NULL,
            kind text NOT NULL,
            count integer NOT NULL,
            zone text NOT NULL,
            tool text,
            rct jsonb,
            rct_score integer,
            text text,
            PRIMARY KEY (workspace, id)
        )""",
        """CREATE INDEX sobria_events_period ON sobria_events (workspace, ts)
            INCLUDE (user_id, type, kind, zone, count, rct_score)""",
        "CREATE INDEX sobria_events_member ON sobria_events (workspace, user_id, ts)",
        """CREATE TABLE sobria_event_totals (
            workspace text NOT NULL,
            user_id text NOT NULL,
            type text NOT NULL,
            kind text NOT NULL,
            zone text NOT NULL,
            total bigint NOT NULL,
            logs bigint NOT NULL,
            rct_sum bigint NOT NULL,
            rct_n bigint NOT NULL,
            PRIMARY KEY (workspace, user_id, type, kind, zone)
        )""",
        """CREATE FUNCTION sobria_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO sobria_event_totals AS t (workspace, user_id, type, kind, zone, total, logs, rct_sum, rct_n)
            SELECT workspace, user_id, type, kind, zone, sum(count), count(*), coalesce(sum(rct_score), 0), count(rct_score)
            FROM added GROUP BY workspace, user_id, type, kind, zone
            ORDER BY workspace, user_id, type, kind, zone
            ON CONFLICT (workspace, user_id, type, kind, zone) DO UPDATE SET
                total = t.total + excluded.total, logs = t.logs + excluded.logs,
                rct_sum = t.rct_sum + excluded.rct_sum, rct_n = t.rct_n + excluded.rct_n;
            RETURN NULL;
        END $$""",
        """CREATE FUNCTION sobria_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            WITH gone AS (
                SELECT workspace, user_id, type, kind, zone, sum(count) AS total, count(*) AS logs,
                       coalesce(sum(rct_score), 0) AS rct_sum, count(rct_score) AS rct_n
                FROM removed GROUP BY workspace, user_id, type, kind, zone
            )
            UPDATE sobria_event_totals AS t SET
                total = t.total - gone.total, logs = t.logs - gone.logs,
                rct_sum = t.rct_sum - gone.rct_sum, rct_n = t.rct_n - gone.rct_n
            FROM gone
            WHERE t.workspace = gone.workspace AND t.user_id = gone.user_id AND t.type = gone.type
              AND t.kind = gone.kind AND t.zone = gone.zone;
            DELETE FROM sobria_event_totals t
            USING (SELECT DISTINCT workspace, user_id FROM removed) r
            WHERE t.workspace = r.workspace AND t.user_id = r.user_id AND t.logs <= 0;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER sobria_events_added AFTER INSERT ON sobria_events
            REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION sobria_totals_add()""",
        """CREATE TRIGGER sobria_events_removed AFTER DELETE ON sobria_events
            REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION sobria_totals_remove()""",
        # events are never edited; should anyone do it by hand, the totals follow
        """CREATE TRIGGER sobria_events_edited_old AFTER UPDATE ON sobria_events
            REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION sobria_totals_remove()""",
        """CREATE TRIGGER sobria_events_edited_new AFTER UPDATE ON sobria_events
            REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION sobria_totals_add()""",
        """CREATE TABLE sobria_settings (
            workspace text NOT NULL,
            key text NOT NULL,
            value jsonb,
            PRIMARY KEY (workspace, key)
        )""",
        """CREATE TABLE sobria_members (
            workspace text NOT NULL,
            user_id text NOT NULL,
            seq bigserial NOT NULL,
            fields jsonb NOT NULL DEFAULT '{}'::jsonb,
            PRIMARY KEY (workspace, user_id)
        )""",
        """CREATE TABLE sobria_summaries (
            workspace text NOT NULL,
            kind text NOT NULL,
            period text NOT NULL,
            claimed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workspace, kind, period)
        )""",
    )),
    # bot/store/installations.py: a distributed bot's tokens per workspace, the OAuth flow's one-time states,
    # and the workspaces uninstalled whose data waits out the grace period
    Migration(2, "installations, OAuth states and uninstalled workspaces", (
        """CREATE TABLE sobria_installations (
            platform text NOT NULL,
            kind text NOT NULL,
            enterprise text NOT NULL,
            team text NOT NULL,
            user_id text NOT NULL,
            record jsonb NOT NULL,
            saved_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (platform, kind, enterprise, team, user_id)
        )""",
        """CREATE TABLE sobria_oauth_states (
            state text PRIMARY KEY,
            expires_at double precision NOT NULL
        )""",
        """CREATE TABLE sobria_uninstalls (
            workspace text PRIMARY KEY,
            uninstalled_at double precision NOT NULL
        )""",
    )),
    Migration(3, "platform destinations (Teams conversation references kept at install)", (
        """CREATE TABLE sobria_destinations (
            workspace text NOT NULL,
            platform text NOT NULL,
            key text NOT NULL,
            value jsonb NOT NULL,
            PRIMARY KEY (workspace, platform, key)
        )""",
    )),
    # bot/store/pg_periods.py: week and month totals, so /ia-stats and /ia-log's week zone read a few rows
    Migration(4, pg_periods.MIGRATION_DESCRIPTION, pg_periods.STATEMENTS),
    Migration(5, pg_periods.MEMBERS_COUNTED_DESCRIPTION, pg_periods.MEMBERS_COUNTED),
)

LATEST = MIGRATIONS[-1].version
VERSION_TABLE = """CREATE TABLE IF NOT EXISTS sobria_schema_version (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """The highest migration applied to the database (0 for an empty database)."""
    exists = conn.execute("SELECT to_regclass('sobria_schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM sobria_schema_version").fetchone()
    return int(row[0]) if row else 0


def apply_migrations(conn: psycopg.Connection[Any], migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the missing migrations in one transaction; returns the versions applied now.

    Refuses a database whose schema is newer than this program knows: running
    old code on it could write rows a newer version no longer expects.
    """
    known = migrations[-1].version if migrations else 0
    if schema_version(conn) == known:
        return []  # the usual start-up: nothing to write, so a read-only database opens too
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(VERSION_TABLE)
        current = schema_version(conn)
        if current > known:
            raise StoreError(f"the database schema is at version {current}, newer than this Sobria knows ({known}); "
                             "upgrade Sobria before using this database")
        applied = []
        for m in migrations:
            if m.version <= current:
                continue
            for statement in m.statements:
                conn.execute(statement)
            conn.execute("INSERT INTO sobria_schema_version (version, description) VALUES (%s, %s)",
                         (m.version, m.description))
            applied.append(m.version)
    return applied


__all__ = ["LATEST", "MIGRATIONS", "Migration", "apply_migrations", "schema_version"]
