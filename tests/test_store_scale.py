"""Several processes on one store, and stores that answer at once at scale (issue 18).

- PostgreSQL's week and month totals (bot/store/pg_periods.py) give the same
  figures as the events, through logs, undo, erasure and concurrent writers,
  in zones east and west of UTC, and a zone whose calendar cannot be trusted
  is counted from the events;
- the embedded store's all-time figures come from saved UTC-month totals and
  history, so a store just filled in bulk answers "all" without reading any
  event file, and stays exact after imports into old months;
- two real processes on one PostgreSQL (and on one data directory): the burst
  limit holds across them, and each scheduled post goes out exactly once.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest

from bot.core import periods
from bot.store import AVOIDED, GENERATED, Counts, Event, PeriodCounts, Store, TinyStore
from bot.store import pg_periods
from bot.store.postgres_store import PostgresStore
from tests.pg_server import PgServer

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")
ZONES = [PARIS, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kathmandu")]
START = datetime(2026, 9, 28, tzinfo=PARIS).timestamp()  # a Monday; the events cover about ten weeks


def ev(i: int, ts: float, user: str = "U1", type_: str = GENERATED, kind: str = "image", count: int = 1,
       score: int | None = None) -> Event:
    rct = None if score is None else {"score": score, "band": "ok", "parts": {}, "vague": False}
    return Event(id=f"e{i}", ts=ts, user=user, type=type_, kind=kind, count=count, zone="USA", rct=rct)


def random_events(n: int, seed: int, first: int = 0) -> list[Event]:
    rng = random.Random(seed)
    return [ev(first + i, START + rng.uniform(0, 70 * 86400), user=f"U{rng.randrange(6)}",
               type_=rng.choice([GENERATED, GENERATED, AVOIDED]), kind=rng.choice(["image", "text", "video"]),
               count=rng.randint(1, 4), score=rng.choice([None, 40, 90])) for i in range(n)]


def reference(events: list[Event], tz: ZoneInfo, key: str) -> PeriodCounts:
    out: PeriodCounts = {}
    for e in events:
        if key == "all" or key in periods.keys_for(e.ts, tz):
            out.setdefault(e.user, Counts()).add_event(e)
    return out


def period_keys(tz: ZoneInfo) -> list[str]:
    keys = {k for day in range(-2, 75) for k in periods.keys_for(START + day * 86400, tz)[1:]}
    return sorted(keys)


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgServer]:
    with PgServer() as server:
        yield server


_numbers = iter(range(10_000))


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    return pg_server.create_database(f"scale{next(_numbers)}")


def check_all_periods(store: Store, events: list[Event]) -> None:
    for tz in ZONES:
        for key in period_keys(tz):
            want = reference(events, tz, key)
            assert store.counts("T1", tz, [key])[key] == want, (tz.key, key)
            total = Counts()
            for c in want.values():
                total.merge(c)
            assert store.totals("T1", tz, [key])[key] == total, (tz.key, key)
            fig = store.member_figures("T1", tz, key, "U1")
            assert (fig.mine, fig.team, fig.members) == (want.get("U1", Counts()), total, len(want)), (tz.key, key)


# ---------------------------------------------------------------------- PostgreSQL's period totals
def test_period_totals_follow_logs_undo_and_erasure_in_every_zone(pg_url: str) -> None:
    store, other = PostgresStore(pg_url), PostgresStore(pg_url)
    try:
        events = random_events(300, seed=1)
        store.add_events("T1", events[:200])
        check_all_periods(store, events[:200])  # prepares every period in three zones
        other.add_events("T1", events[200:])  # another process, after the totals exist
        for e in events[200:260]:
            other.add_event("T1", Event(**{**e.__dict__, "id": e.id + "b"}))
        events += [Event(**{**e.__dict__, "id": e.id + "b"}) for e in events[200:260]]
        for e in events[::7]:
            assert other.remove_event("T1", e.id)
        kept = [e for i, e in enumerate(events) if i % 7]
        other.forget_member("T1", "U3")
        kept = [e for e in kept if e.user != "U3"]
        check_all_periods(store, kept)
        check_all_periods(PostgresStore(pg_url), kept)  # a fresh process reads the same totals
    finally:
        store.close()
        other.close()


def test_a_period_counted_while_others_write_misses_nothing(pg_url: str) -> None:
    """The first read of a period counts it under a lock the writers' trigger shares: whatever the order,
    every event is in the totals exactly once."""
    writers = [PostgresStore(pg_url) for _ in range(3)]
    reader = PostgresStore(pg_url)
    events = random_events(600, seed=2)
    try:
        def write(store: PostgresStore, mine: list[Event]) -> None:
            for e in mine:
                store.add_event("T1", e)

        threads = [threading.Thread(target=write, args=(w, events[i::3])) for i, w in enumerate(writers)]
        for t in threads:
            t.start()
        keys = period_keys(PARIS)
        while any(t.is_alive() for t in threads):
            reader.counts("T1", PARIS, [random.choice(keys)])  # periods made ready while the writes go on
        for t in threads:
            t.join()
        for key in keys:
            want = reference(events, PARIS, key)
            assert reader.counts("T1", PARIS, [key])[key] == want, key
            assert reader.member_figures("T1", PARIS, key, "U1").members == len(want), key
    finally:
        for s in [*writers, reader]:
            s.close()


def test_a_database_migrated_from_version_4_counts_the_members_of_its_ready_periods(pg_url: str) -> None:
    """Migration 5 keeps how many members logged on each ready period's row: periods made ready before it
    are counted when it runs, and logs, undo and erasure after it keep the count."""
    import psycopg

    from bot.store.pg_schema import MIGRATIONS, apply_migrations

    events = random_events(200, seed=4)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        apply_migrations(conn, MIGRATIONS[:4])
        # what version 4 left: the zone's totals kept by its triggers from the first event, every period ready
        conn.execute("INSERT INTO sobria_period_zones VALUES ('T1', 'Europe/Paris')")
        old = PostgresStore(pg_url, migrate=False)
        try:
            old.add_events("T1", events[:150])
        finally:
            old.close()
        for key in period_keys(PARIS):
            conn.execute("INSERT INTO sobria_period_ready VALUES ('T1', 'Europe/Paris', %s)", (key,))
    store = PostgresStore(pg_url)
    try:
        store.add_events("T1", events[150:])
        for e in events[::9]:
            store.remove_event("T1", e.id)
        store.forget_member("T1", "U2")
        kept = [e for i, e in enumerate(events) if i % 9 and e.user != "U2"]
        for key in period_keys(PARIS):
            assert store.member_figures("T1", PARIS, key, "U1").members == len(reference(kept, PARIS, key)), key
    finally:
        store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn, pytest.raises(psycopg.errors.NotNullViolation):
        # a process of version 4, still running, cannot mark a period ready with no count (it counts the events)
        conn.execute("INSERT INTO sobria_period_ready VALUES ('T1', 'Europe/Paris', 'm:2020-01')")


def test_a_members_first_log_and_an_undo_at_once_do_not_deadlock(pg_url: str) -> None:
    """A member's first log of a period and the undo of another member's only log, at the same moment: the log
    holds the period's sums and then updates how many members logged; the undo must not take that count
    before the sums, or each waits for the other until PostgreSQL aborts one (after a second)."""
    import psycopg

    store = PostgresStore(pg_url)
    try:
        store.add_events("T1", [ev(1, START, user="U1"), ev(2, START + 60, user="U2")])
        week = periods.week_key(periods.local(START, PARIS).date())
        assert store.member_figures("T1", PARIS, week, "U1").members == 2  # the week is ready
        with store._connection() as conn:  # noqa: SLF001 — the new member's log pauses once its rows are written
            conn.execute("""CREATE FUNCTION pause() RETURNS trigger LANGUAGE plpgsql AS $$
                            BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$""")
            conn.execute("""CREATE TRIGGER a_pause AFTER INSERT ON sobria_period_members
                            FOR EACH ROW EXECUTE FUNCTION pause()""")
        failures: list[BaseException] = []

        def log_new_member() -> None:
            try:
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute("""INSERT INTO sobria_events (workspace, id, ts, user_id, type, kind, count, zone)
                                    VALUES ('T1', 'e3', %s, 'U3', 'gen', 'image', 1, 'USA')""", (START + 120,))
            except BaseException as exc:  # noqa: BLE001 — reported below
                failures.append(exc)

        writer = threading.Thread(target=log_new_member)
        writer.start()
        time.sleep(0.4)  # the log now holds the week's sums and pauses
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DELETE FROM sobria_events WHERE workspace = 'T1' AND id = 'e2'")  # U2's only log
        writer.join()
        assert failures == []
        assert store.member_figures("T1", PARIS, week, "U1").members == 2  # U1 and U3
    finally:
        store.close()


def test_a_zone_whose_calendar_differs_is_counted_from_the_events(pg_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_periods, "calendar_agrees", lambda conn, tz, around: False)
    store = PostgresStore(pg_url)
    try:
        events = random_events(120, seed=3)
        store.add_events("T1", events)
        check_all_periods(store, events)
        with store._connection() as conn:  # noqa: SLF001 — what the store kept: nothing for these zones
            assert conn.execute("SELECT count(*) FROM sobria_period_ready").fetchone() == (0,)
    finally:
        store.close()


def test_postgresql_and_python_agree_on_the_calendar_of_real_zones(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    try:
        with store._connection() as conn:  # noqa: SLF001
            for name in ("Europe/Paris", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham", "UTC"):
                assert pg_periods.calendar_agrees(conn, ZoneInfo(name), START), name
    finally:
        store.close()


# ---------------------------------------------------------------------- the embedded store's all-time figures
def test_a_store_filled_in_bulk_answers_all_time_without_reading_its_events(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Read: the saved history (every UTC month but the latest) and the latest month's saved totals."""
    from bot.store import saved_totals

    events = random_events(400, seed=4)
    loader = TinyStore(tmp_path)
    for i in range(0, len(events), 50):  # in chunks, as an import or the benchmark's loader writes
        loader.add_events("T1", sorted(events, key=lambda e: e.ts)[i:i + 50])
    fresh = TinyStore(tmp_path)

    def no_reading(path: Path) -> list[dict[str, Any]]:
        raise AssertionError(f"read {path.name}")

    fresh._events_in = no_reading  # type: ignore[method-assign]  # noqa: SLF001
    latest = max(periods.month_key(datetime.utcfromtimestamp(e.ts).date()) for e in events)
    fresh._period_counts = _no_latest_month(fresh, latest)  # type: ignore[method-assign]  # noqa: SLF001
    months_read: list[str] = []
    real_load = saved_totals.load
    monkeypatch.setattr(saved_totals, "load", lambda ws_dir, tz, key, stamps: months_read.append(key) or
                        real_load(ws_dir, tz, key, stamps))
    assert fresh.counts("T1", PARIS, ["all"])["all"] == reference(events, PARIS, "all")
    assert months_read == [latest]  # the older months come summed, from one file


def _no_latest_month(store: TinyStore, latest: str) -> Any:
    """The store's _period_counts, answering the latest UTC month from its saved totals only (as history)."""
    real = store._period_counts  # noqa: SLF001

    def counts(workspace: str, tz: ZoneInfo, key: str) -> PeriodCounts:
        from bot.store import saved_totals
        if key == latest and tz.key == "UTC":
            files = store._period_files(workspace, tz, key)  # noqa: SLF001
            from bot.store.atomic import file_stamp
            parts = saved_totals.load(store._ws_dir(workspace), tz, key, [file_stamp(p) for p in files])  # noqa: SLF001
            assert parts is not None and all(c is not None for _, c in parts)
            out: PeriodCounts = {}
            for _, c in parts:
                for u, x in (c or {}).items():
                    out.setdefault(u, Counts()).merge(x)
            return out
        return real(workspace, tz, key)

    return counts


def test_all_time_stays_exact_through_imports_into_old_months_logs_and_restarts(tmp_path: Path) -> None:
    events = random_events(300, seed=5)
    TinyStore(tmp_path).add_events("T1", events[:200])
    reader = TinyStore(tmp_path)
    assert reader.counts("T1", PARIS, ["all"])["all"] == reference(events[:200], PARIS, "all")
    other = TinyStore(tmp_path)
    other.add_events("T1", events[200:250])  # an import into the old months, by another process
    for e in events[250:]:
        other.add_event("T1", e)
    assert other.remove_event("T1", events[3].id)
    kept = [e for e in events if e.id != events[3].id]
    for store in (reader, other, TinyStore(tmp_path)):
        assert store.counts("T1", PARIS, ["all"])["all"] == reference(kept, PARIS, "all")
    history = next(tmp_path.glob("workspaces/*/cache/UTC/history.totals"))
    history.write_text("{damaged")
    assert TinyStore(tmp_path).counts("T1", ZoneInfo("America/New_York"), ["all"])["all"] == \
        reference(kept, PARIS, "all")


def test_a_restart_counts_again_only_the_days_logged_since_the_totals_were_saved(tmp_path: Path) -> None:
    october = datetime(2025, 10, 1, 12, tzinfo=ZoneInfo("UTC")).timestamp()
    events = [ev(i, october + (i % 20) * 86400 + i, user=f"U{i % 4}") for i in range(200)]  # 1 to 20 October
    TinyStore(tmp_path).add_events("T1", events[:150])
    TinyStore(tmp_path).add_events("T1", events[150:])  # a second import: the saved totals move on
    later = ev(999, october + 19 * 86400 + 5000, user="U9")
    TinyStore(tmp_path).add_event("T1", later)  # a log on the newest day, after the totals were saved
    fresh = TinyStore(tmp_path)
    tallied: list[str] = []
    real = fresh._partial  # noqa: SLF001

    def partial(path: Path, tz: ZoneInfo) -> Any:
        tallied.append(path.name)
        return real(path, tz)

    fresh._partial = partial  # type: ignore[method-assign]  # noqa: SLF001
    assert fresh.counts("T1", PARIS, ["all"])["all"] == reference([*events, later], PARIS, "all")
    assert tallied == ["2025-10-20.json"]  # the newest day only; the 19 days before come from the saved part
    again = TinyStore(tmp_path)
    again._partial = None  # type: ignore[assignment]  # noqa: SLF001  # saved again: nothing left to count
    assert again.counts("T1", PARIS, ["all"])["all"] == reference([*events, later], PARIS, "all")


def test_the_embedded_burst_window_survives_shrinking_and_damage(tmp_path: Path) -> None:
    import array
    import math

    from bot.store.bursts import MAGIC, Bursts, window_file

    def kept(user: str) -> list[float]:
        raw = window_file(tmp_path, user).read_bytes()
        assert raw.startswith(MAGIC)
        return [h for h in array.array("d", raw[len(MAGIC):]) if not math.isnan(h)]

    one, two = Bursts(), Bursts()  # as two processes
    accepted = [b.admit(tmp_path, f"U{i % 20}", 1000.0 + i / 10, 3, 60.0) for i, b in enumerate([one, two] * 40)]
    assert accepted[:60] == [True] * 60 and not any(accepted[60:])  # 3 each for 20 members, then refused
    assert kept("U2") == [1000.2, 1002.2, 1004.2]  # each member's own
    assert one.admit(tmp_path, "U1", 2000.0, 3, 60.0)  # a minute later: the old hits are forgotten
    assert kept("U1") == [2000.0]  # shorter: padded, not truncated
    assert window_file(tmp_path, "U1").stat().st_size == len(MAGIC) + 3 * 8
    window_file(tmp_path, "U1").write_bytes(MAGIC + b"\x00" * 5)  # a write cut short by a crash
    assert all(two.admit(tmp_path, "U1", 2001.0 + i, 3, 60.0) for i in range(3))  # read as empty, then exact
    assert not one.admit(tmp_path, "U1", 2005.0, 3, 60.0)
    window_file(tmp_path, "U3").write_bytes(b"[2000.0,2000.1,2000.2,2000.3,2000.4,2000.5,2000.6,2000.7]")
    assert one.admit(tmp_path, "U3", 2001.0, 3, 60.0)  # a window of the former JSON format: read as empty
    assert kept("U3") == [2001.0]
    assert window_file(tmp_path, "a/../b c").parent == tmp_path / ".bursts"  # any member id, a file name
    one.forget(tmp_path, "U1")
    assert not window_file(tmp_path, "U1").exists() and one.admit(tmp_path, "U1", 2006.0, 3, 60.0)


def test_fields_remembered_with_a_log_cost_no_rewrite_of_the_workspace_file(tmp_path: Path) -> None:
    from bot.store.logged import fields_file

    store = TinyStore(tmp_path)
    store.update_member("T1", "U1", name="Léa")
    workspace_file = tmp_path / "workspaces" / "T1" / "workspace.json"
    before = workspace_file.read_bytes(), workspace_file.stat().st_mtime_ns
    store.add_event("T1", ev(1, 1_764_000_000.0), member={"tips_shown": {"recycle": "w:2025-W47"}})
    store.add_event("T1", ev(2, 1_764_000_001.0), member={"tips_shown": {"recycle": "w:2025-W47", "rct": "w:2025-W47"}})
    assert (workspace_file.read_bytes(), workspace_file.stat().st_mtime_ns) == before  # no second flush
    other = TinyStore(tmp_path)  # as another process
    assert other.member("T1", "U1") == {"user": "U1", "name": "Léa",
                                        "tips_shown": {"recycle": "w:2025-W47", "rct": "w:2025-W47"}}
    store.add_event("T1", ev(3, 1_764_000_002.0, user="U2"), member={"tips_shown": {"local": "w:2025-W47"}})
    assert other.settings_and_member("T1", "U2") == ({}, {"user": "U2", "tips_shown": {"local": "w:2025-W47"}})
    fields_file(tmp_path / "workspaces" / "T1", "U2").write_bytes(b'{"tips_sh')  # a write cut short
    assert other.member("T1", "U2") is None  # forgotten: at worst a tip shown twice that week
    store.add_event("T1", ev(4, 1_764_000_003.0, user="U2"), member={"tips_shown": {"rct": "w:2025-W47"}})
    assert other.member("T1", "U2") == {"user": "U2", "tips_shown": {"rct": "w:2025-W47"}}
    assert store.forget_member("T1", "U1") == 2
    assert other.member("T1", "U1") is None and not fields_file(tmp_path / "workspaces" / "T1", "U1").exists()


def test_a_member_file_whose_folder_vanishes_fails_as_an_os_error(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The workspace deleted between a folder's creation and the file's (an uninstall's purge): the burst
    check lets the log through, and a log's remembered fields are only logged, the log stays stored."""
    import os as os_module

    from bot.store import logged, member_files
    from bot.store.bursts import Bursts

    real = os_module.open

    def vanishing(path: Any, flags: int, *args: Any) -> int:
        if ".bursts" in str(path) or ".logged" in str(path):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path, flags, *args)

    store = TinyStore(tmp_path)
    monkeypatch.setattr(member_files.os, "open", vanishing)
    assert Bursts().admit(tmp_path / "workspaces" / "T1", "U1", 1000.0, 3, 60.0)
    with pytest.raises(OSError):
        logged.merge(tmp_path / "workspaces" / "T1", "U1", {"tips_shown": {}})
    store.add_event("T1", ev(1, 1_764_000_000.0), member={"tips_shown": {"rct": "w:2025-W47"}})
    monkeypatch.undo()
    assert [e.id for e in store.member_events("T1", "U1")] == [ev(1, 1_764_000_000.0).id]


# ---------------------------------------------------------------------- two processes on one store
CHILD = textwrap.dedent("""
    import json, sys, time
    sys.path.insert(0, {root!r})
    from bot.core.config import parse_config
    role, where, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    store = {{"store": {{"url": where}}}} if where.startswith("postgresql") else {{"store": {{"data_dir": where}}}}
    config = parse_config({{**store, "limits": {{"logs_per_minute": 5}}}})
    from bot.core.coach import Coach
    from bot.core.identity import Sender
    from bot.store import open_configured_store
    coach = Coach(config, open_configured_store(config))
    out = []
    if role == "burst":
        while time.time() < start:
            time.sleep(0.001)
        for i in range(8):
            out.append(coach.handle("ia-log", "image 1", Sender("T1", "U1", "Camille", "slack")).kind)
    else:
        from bot.scheduler import SummaryScheduler, latest_slot

        class Poster:
            sends_direct = True
            def __init__(self):
                import threading
                self.ready = threading.Event(); self.ready.set()
            def serves(self, workspace_id): return True
            def post_to_channel(self, workspace_id, channel_id, reply):
                out.append(["post", workspace_id]); return True
            def send_direct(self, workspace_id, user_id, reply): return True
            def run_forever(self): pass

        now = [time.time()]
        scheduler = SummaryScheduler(config, coach.store, [Poster()], impact=coach.impact, renderer=coach.r,
                                     clock=lambda: now[0])
        plan = scheduler.plan("W0")
        due = {{kind: latest_slot(kind, plan, time.time()).at.timestamp() + 60 for kind in ("weekly", "monthly")}}
        while time.time() < start:
            time.sleep(0.001)
        for kind in ("weekly", "monthly"):
            now[0] = due[kind]  # a minute after the slot, in both processes
            for ws in sorted(coach.store.workspaces()):
                out.append([kind, ws, scheduler.run(ws, kind)])
    print(json.dumps(out))
""").format(root=str(ROOT))


def two_processes(role: str, where: str) -> list[Any]:
    """Run `role` in two processes at the same instant; returns what both did, together."""
    start = time.time() + 4.0  # both have imported and opened the store by then
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, role, where, str(start)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    done = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-3000:]
        done += json.loads(out.strip().splitlines()[-1])
    return done


@pytest.mark.parametrize("backend", ["postgres", "tinydb"])
def test_the_burst_limit_holds_across_two_processes(backend: str, request: pytest.FixtureRequest,
                                                    tmp_path: Path) -> None:
    where = request.getfixturevalue("pg_url") if backend == "postgres" else str(tmp_path / "data")
    kinds = two_processes("burst", where)
    assert len(kinds) == 16
    assert kinds.count("logged") == 5, kinds  # [limits] logs_per_minute = 5, whichever process answered
    assert kinds.count("notice:rate_limited") == 11
    store: Store = PostgresStore(where) if backend == "postgres" else TinyStore(where)
    try:
        assert len(store.member_events("T1", "U1")) == 5  # refused logs stored nothing
    finally:
        store.close()


def test_each_scheduled_post_goes_out_once_across_two_processes(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    try:
        for i in range(12):
            store.set_setting(f"W{i}", "summary_channel", "C1")
            store.add_event(f"W{i}", ev(i, time.time() - 20 * 86400))
    finally:
        store.close()
    done = two_processes("summaries", pg_url)
    posts = sorted(ws for what, ws in (d for d in done if d[0] == "post"))
    outcomes = [(kind, ws, outcome) for kind, ws, outcome in (d for d in done if d[0] != "post")]
    workspaces = sorted(f"W{i}" for i in range(12))
    assert posts == sorted(workspaces * 2), done  # each workspace's weekly and monthly summary, once each
    for kind in ("weekly", "monthly"):
        for ws in workspaces:
            mine = sorted(outcome for k, w, outcome in outcomes if (k, w) == (kind, ws))
            assert mine == ["already", "posted"], (kind, ws, mine)  # one process posted, the other found the claim
