"""The store contract, run against both stores (TinyDB and PostgreSQL), and what only PostgreSQL adds.

Every test taking `open_backend` runs twice: on the embedded store in a
temporary folder and on a real PostgreSQL server that this module starts
(tests/pg_server.py), each test in a database of its own. Figures are checked
against a reference computed straight from the events with Counts.add_event,
so both stores must agree with it and hence with each other.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import psycopg
import pytest

from bot.core import periods
from bot.core.config import parse_config
from bot.core.errors import ConfigError, StoreError, StoreWriteError
from bot.core.identity import Sender
from bot.store import (AVOIDED, GENERATED, Counts, Event, PeriodCounts, Store, TinyStore, open_configured_store,
                       workspace_total)
from bot.store.copy_tinydb import copy_from_tinydb
from bot.store.pg_schema import LATEST, MIGRATIONS, apply_migrations, schema_version
from bot.store.postgres_store import PostgresStore, describe, period_bounds
from tests.pg_server import PgServer, free_port

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
NOW = 1_795_000_000.0  # Wednesday 18 November 2026, 12:06 in Paris
BACKENDS = ("tinydb", "postgres")


def ev(i: int | str, user: str = "U1", ts: float = NOW, type_: str = GENERATED, kind: str = "image", count: int = 1,
       zone: str = "USA", score: int | None = None) -> Event:
    rct = None if score is None else {"score": score, "band": "ok", "parts": {"role": True}, "vague": False}
    return Event(id=f"e{i}", ts=ts, user=user, type=type_, kind=kind, count=count, zone=zone, rct=rct)


def utc(*args: int) -> float:
    return datetime(*args, tzinfo=timezone.utc).timestamp()


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgServer]:
    with PgServer() as server:
        yield server


_db_numbers = itertools.count()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database(f"t{next(_db_numbers)}")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where the store under test keeps its data: a folder, or a database URL."""
    return request.getfixturevalue("pg_url") if backend == "postgres" else str(tmp_path / "data")


@pytest.fixture
def open_backend(backend: str, location: str) -> Iterator[Callable[[], Store]]:
    """Opens a store object on the test's data; several objects share the data like several processes."""
    opened: list[Store] = []

    def open_one() -> Store:
        s: Store = PostgresStore(location) if backend == "postgres" else TinyStore(location)
        opened.append(s)
        return s

    yield open_one
    for s in opened:
        s.close()


@pytest.fixture
def store(open_backend: Callable[[], Store]) -> Store:
    return open_backend()


def reference(events: list[Event], tz: ZoneInfo, keys: list[str]) -> dict[str, PeriodCounts]:
    """Figures computed straight from the events, the way Counts defines them."""
    out: dict[str, PeriodCounts] = {k: {} for k in keys}
    for e in events:
        for key in keys:
            if key == "all" or key in periods.keys_for(e.ts, tz):
                out[key].setdefault(e.user, Counts()).add_event(e)
    return out


def as_plain(figures: dict[str, PeriodCounts]) -> dict[str, Any]:
    """Comparable form: {key: {user: (gen, avoid, gen_logs, avoid_logs, rct_sum, rct_n)}}."""
    return {k: {u: (dict(c.gen), dict(c.avoid), c.gen_logs, c.avoid_logs, c.rct_sum, c.rct_n)
                for u, c in per_user.items()} for k, per_user in figures.items()}


# ---------------------------------------------------------------------- the contract, on both stores
def test_events_are_counted_per_day_week_month_and_all(store: Store) -> None:
    store.add_event("T1", ev(1, count=3, score=80))
    store.add_event("T1", ev(2, user="U2", type_=AVOIDED, count=2))
    store.add_event("T1", ev(3, ts=NOW - 40 * 86400, score=40))
    c = store.counts("T1", PARIS, ["d:2026-11-18", "w:2026-W47", "m:2026-11", "all"])
    assert c["d:2026-11-18"]["U1"].generations == 3
    assert c["w:2026-W47"]["U2"].avoided == 2 and c["w:2026-W47"]["U2"].avoid_logs == 1
    assert c["m:2026-11"]["U1"].generations == 3 and c["m:2026-11"]["U1"].rct_avg == 80
    assert c["all"]["U1"].generations == 4 and c["all"]["U1"].gen_logs == 2 and c["all"]["U1"].rct_avg == 60
    assert store.counts("T1", PARIS, ["m:2026-01"]) == {"m:2026-01": {}}


def test_periods_follow_the_workspace_time_zone(store: Store) -> None:
    sunday_night_utc = utc(2026, 11, 22, 23, 30)  # Monday 00:30 in Paris, Sunday 18:30 in New York
    month_end_utc = utc(2026, 11, 30, 23, 30)  # Tuesday 1 December in Paris, still November in New York
    store.add_events("T1", [ev(1, ts=sunday_night_utc), ev(2, ts=month_end_utc, count=5)])
    paris = store.counts("T1", PARIS, ["d:2026-11-23", "w:2026-W48", "w:2026-W47", "w:2026-W49", "m:2026-12",
                                       "m:2026-11"])
    assert paris["d:2026-11-23"]["U1"].generations == 1
    assert paris["w:2026-W48"]["U1"].generations == 1 and paris["w:2026-W47"] == {}
    assert paris["w:2026-W49"]["U1"].generations == 5
    assert paris["m:2026-12"]["U1"].generations == 5 and paris["m:2026-11"]["U1"].generations == 1
    ny = store.counts("T1", NEW_YORK, ["d:2026-11-22", "w:2026-W47", "m:2026-11", "m:2026-12"])
    assert ny["d:2026-11-22"]["U1"].generations == 1 and ny["w:2026-W47"]["U1"].generations == 1
    assert ny["m:2026-11"]["U1"].generations == 6 and ny["m:2026-12"] == {}


@pytest.mark.parametrize("seed", [1, 2])
def test_figures_match_a_reference_computed_from_the_events(store: Store, seed: int) -> None:
    """Random events over a year (two DST changes), removals included, in three zones."""
    rng = random.Random(seed)
    start = utc(2026, 1, 1)
    events = [
        Event(id=f"r{i}", ts=start + rng.uniform(0, 365 * 86400), user=f"U{rng.randrange(6)}",
              type=rng.choice([GENERATED, GENERATED, AVOIDED]), kind=rng.choice(["text", "image", "doc"]),
              count=rng.randint(1, 4), zone=rng.choice(["USA", "SWE"]), tool=rng.choice([None, "chatgpt"]),
              rct=rng.choice([None, {"score": rng.randint(0, 100), "band": "x", "parts": {}, "vague": False}]))
        for i in range(500)
    ]
    assert store.add_events("T1", events[:400]) == 400
    for e in events[400:]:
        store.add_event("T1", e)
    for e in rng.sample(events, 20):
        assert store.remove_event("T1", e.id)
    removed = {e.id for e in events} - {e.id for u in {e.user for e in events} for e in store.member_events("T1", u)}
    kept = [e for e in events if e.id not in removed]
    assert len(kept) == 480
    for tz in (PARIS, NEW_YORK, ZoneInfo("Asia/Kolkata")):
        keys = ["all"] + sorted({k for e in kept for k in periods.keys_for(e.ts, tz)})
        expected = reference(kept, tz, keys)
        assert as_plain(store.counts("T1", tz, keys)) == as_plain(expected)
        totals = store.totals("T1", tz, keys)
        assert {k: c.to_dict() for k, c in totals.items()} == {k: workspace_total(expected[k]).to_dict() for k in keys}


def test_workspace_totals_follow_each_log_and_undo(store: Store) -> None:
    week = periods.week_key(periods.local(NOW, PARIS).date())
    assert store.totals("T1", PARIS, [week])[week].generations == 0
    for i in range(6):
        store.add_event("T1", ev(i, user=f"U{i % 2}", ts=NOW + i, count=i + 1))
        assert store.totals("T1", PARIS, [week])[week].generations == sum(range(1, i + 2))
    assert store.remove_event("T1", "e5")
    assert store.totals("T1", PARIS, [week, "all"])[week].generations == 15
    assert store.totals("T1", PARIS, ["all"])["all"].gen_logs == 5


def test_workspaces_never_mix(store: Store) -> None:
    store.add_event("T1", ev(1))
    store.add_event("T2", ev(2, count=5))
    store.update_member("T1", "U1", name="A")
    store.set_setting("T1", "lang", "en")
    assert store.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 1
    assert store.counts("T2", PARIS, ["all"])["all"]["U1"].generations == 5
    assert store.members("T2") == [] and store.member("T2", "U1") is None and store.settings("T2") == {}
    assert store.get_event("T2", "e1") is None and store.member_events("T2", "U1")[0].id == "e2"
    assert not store.remove_event("T2", "e1") and store.get_event("T1", "e1") is not None
    assert store.claim_summary("T1", "monthly", "2026-11") and store.claim_summary("T2", "monthly", "2026-11")
    assert store.workspaces() == ["T1", "T2"]


def test_odd_workspace_ids_are_kept_apart(store: Store) -> None:
    store.add_event("E1:T2", ev(1))
    store.add_event("../../etc", ev(2, count=2))
    assert store.workspaces() == ["../../etc", "E1:T2"]
    assert store.counts("E1:T2", PARIS, ["all"])["all"]["U1"].generations == 1


def test_event_round_trip_and_lookups(store: Store) -> None:
    full = Event(id="x1", ts=NOW + 0.123456, user="U1", type=GENERATED, kind="text", count=2, zone="SWE",
                 tool="mistral", rct={"score": 72, "band": "bon", "parts": {"role": True, "task": False}, "vague": True},
                 text="Tu es juriste. Rédige une clause — « courte »")
    store.add_events("T1", [full, ev(2, ts=NOW - 600), ev(3, ts=NOW - 300, user="U2")])
    assert store.get_event("T1", "x1") == full
    assert store.get_event("T1", "nope") is None
    assert store.last_event("T1", "U1", NOW - 900) == full
    assert store.last_event("T1", "U1", NOW + 1) is None
    assert store.last_event("T1", "U2", NOW - 900).id == "e3"  # type: ignore[union-attr]
    assert sorted(e.id for e in store.member_events("T1", "U1")) == ["e2", "x1"]
    assert store.remove_event("T1", "x1") and not store.remove_event("T1", "x1")
    assert store.last_event("T1", "U1", NOW - 900).id == "e2"  # type: ignore[union-attr]
    assert store.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 1


def test_forget_member_removes_events_and_preferences(store: Store) -> None:
    store.add_events("T1", [ev(i, ts=NOW - i * 86400) for i in range(5)] + [ev(9, user="U2")])
    store.update_member("T1", "U1", name="A", nudges=True)
    store.update_member("T1", "U2", name="B")
    assert store.forget_member("T1", "U1") == 5
    assert store.member("T1", "U1") is None and store.member_events("T1", "U1") == []
    figures = store.counts("T1", PARIS, ["all", "m:2026-11"])
    assert "U1" not in figures["all"] and "U1" not in figures["m:2026-11"]
    assert figures["all"]["U2"].generations == 1
    assert store.members("T1") == [{"user": "U2", "name": "B"}]
    assert store.forget_member("T1", "U1") == 0


def test_settings_keep_json_values_and_change_one_key_at_a_time(store: Store) -> None:
    assert store.settings("T1") == {}
    store.set_setting("T1", "lang", "en")
    store.set_setting("T1", "green_max", 12)
    store.set_setting("T1", "team_groups", {"S0123": "Ventes", "R9": "Équipe été"})
    store.set_setting("T1", "summary_channel", None)
    store.set_setting("T1", "store_prompts", True)
    store.set_setting("T1", "green_max", 15)
    assert store.settings("T1") == {"lang": "en", "green_max": 15, "team_groups": {"S0123": "Ventes", "R9": "Équipe été"},
                                    "summary_channel": None, "store_prompts": True}


def test_members_merge_fields_in_first_seen_order(store: Store) -> None:
    assert store.member("T1", "U2") is None and store.members("T1") == []
    store.update_member("T1", "U2", name="Léa")
    store.update_member("T1", "U1", name="Hugo", lang="en")
    store.update_member("T1", "U2", nudges=True, team="Ventes")
    store.update_member("T1", "U2", team=None)
    assert store.member("T1", "U2") == {"user": "U2", "name": "Léa", "nudges": True, "team": None}
    assert [m["user"] for m in store.members("T1")] == ["U2", "U1"]
    assert store.members("T1")[1] == {"user": "U1", "name": "Hugo", "lang": "en"}


def test_an_event_stored_with_its_members_fields(store: Store) -> None:
    store.update_member("T1", "U1", name="Léa", tips={"local": "w:2026-W40"})
    store.add_event("T1", ev(1, score=40), member={"tips": {"local": "w:2026-W40", "rct": "w:2026-W48"}})
    assert store.get_event("T1", "e1") == ev(1, score=40)
    assert store.member("T1", "U1") == {"user": "U1", "name": "Léa",
                                        "tips": {"local": "w:2026-W40", "rct": "w:2026-W48"}}
    store.add_event("T1", ev(2, user="U2"), member={"tips": {"recycle": "w:2026-W48"}})  # a member not seen yet
    store.add_event("T1", ev(3), member=None)
    assert store.totals("T1", PARIS, ["all"])["all"].generations == 3
    assert store.member("T1", "U2") == {"user": "U2", "tips": {"recycle": "w:2026-W48"}}
    assert [e.id for e in store.member_events("T1", "U1")] == ["e1", "e3"]


def test_settings_and_member_are_read_together_as_each_alone(store: Store) -> None:
    assert store.settings_and_member("T1", "U1") == ({}, None)
    store.set_setting("T1", "zone", "FR")
    store.set_setting("T1", "admins", ["U9"])
    assert store.settings_and_member("T1", "U1") == (store.settings("T1"), None)
    store.update_member("T1", "U1", name="Léa", lang="en")
    store.update_member("T1", "U2", name="Hugo")
    assert store.settings_and_member("T1", "U1") == (store.settings("T1"), store.member("T1", "U1"))
    assert store.settings_and_member("T1", "U1")[1] == {"user": "U1", "name": "Léa", "lang": "en"}
    assert store.settings_and_member("T2", "U1") == ({}, None)


def test_the_burst_check_read_with_the_settings_and_member_answers_as_each_alone(store: Store) -> None:
    store.set_setting("T1", "lang", "en")
    store.update_member("T1", "U1", name="Léa")
    read = [store.settings_member_admitting("T1", "U1", 1000.0 + i, 3, 60.0) for i in range(4)]
    assert [r[:2] for r in read] == [store.settings_and_member("T1", "U1")] * 4
    assert [r[2] for r in read] == [True, True, True, False]  # three a minute, the fourth refused
    assert not store.admit_burst("T1", "U1", 1010.0, 3, 60.0)  # the same window as admit_burst's
    assert store.settings_member_admitting("T1", "U1", 1061.0, 3, 60.0)[2]  # the first hit left the window
    assert store.settings_member_admitting("T2", "U9", 1000.0, 3, 60.0) == ({}, None, True, None)


def test_the_week_read_with_the_burst_check_is_member_figures(store: Store) -> None:
    """The week asked with a log's first read (one round trip on PostgreSQL) is what member_figures() says, for
    a period being counted for the first time (PostgreSQL then answers None: the caller reads it alone), for
    one whose totals are kept, and for a workspace or member with nothing yet."""
    week = periods.week_key(periods.local(NOW, PARIS).date())
    store.add_events("T1", [Event("a", NOW - 3600, "U1", GENERATED, "image", 3, "FRA"),
                            Event("b", NOW - 60, "U2", AVOIDED, "text", 1, "FRA"),
                            Event("c", NOW - 86_400 * 30, "U1", GENERATED, "text", 5, "FRA")])  # last month
    first = store.settings_member_admitting("T1", "U1", NOW, 30, 60.0, (PARIS, week))[3]
    assert first is None or first == store.member_figures("T1", PARIS, week, "U1")
    for ws, user in (("T1", "U1"), ("T1", "U2"), ("T1", "U3"), ("T9", "U1")):
        store.member_figures(ws, PARIS, week, user)  # the period counted (PostgreSQL): from now on kept
        read = store.settings_member_admitting(ws, user, NOW, 30, 60.0, (PARIS, week))
        assert read[2] and read[3] == store.member_figures(ws, PARIS, week, user), (ws, user)
    store.add_event("T1", Event("d", NOW, "U1", GENERATED, "image", 2, "FRA"))
    mine = store.settings_member_admitting("T1", "U1", NOW + 1, 30, 60.0, (PARIS, week))[3]
    assert mine is not None and mine.mine.generations == 5 and mine.team.avoided == 1 and mine.members == 2


def test_summary_claims_are_exactly_once_across_store_objects(open_backend: Callable[[], Store]) -> None:
    a, b = open_backend(), open_backend()
    assert a.claim_summary("T1", "monthly", "2026-11")
    assert not b.claim_summary("T1", "monthly", "2026-11") and not a.claim_summary("T1", "monthly", "2026-11")
    assert b.claim_summary("T1", "weekly", "2026-W48") and b.claim_summary("T1", "monthly", "2026-12")


def test_writes_are_seen_by_another_store_object(open_backend: Callable[[], Store]) -> None:
    a, b = open_backend(), open_backend()
    assert a.add_events("T1", [ev(1), ev(2, count=2)]) == 2
    assert b.counts("T1", PARIS, ["all", "m:2026-11"])["m:2026-11"]["U1"].generations == 3
    b.add_event("T1", ev(3))
    b.remove_event("T1", "e1")
    b.update_member("T1", "U1", name="A")
    assert a.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 3
    assert a.member("T1", "U1") == {"user": "U1", "name": "A"}


def test_threads_sharing_one_store_lose_nothing(store: Store) -> None:
    def work(t: int) -> None:
        for i in range(50):
            store.add_event("T1", ev(t * 1000 + i, user=f"U{t}", ts=time.time()))
            store.counts("T1", PARIS, ["all"])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    figures = store.counts("T1", PARIS, ["all"])["all"]
    assert {u: c.generations for u, c in figures.items()} == {"U0": 50, "U1": 50, "U2": 50, "U3": 50}


def test_the_coach_gives_the_same_answers_on_both_stores(backend: str, location: str) -> None:
    from bot.core.coach import Coach

    raw: dict[str, Any] = {"store": {"url": location} if backend == "postgres" else {"data_dir": location}}
    cfg = parse_config(raw)
    store = open_configured_store(cfg)
    assert isinstance(store, PostgresStore if backend == "postgres" else TinyStore)
    now = [NOW]
    coach = Coach(cfg, store, clock=lambda: now[0])
    camille, hugo = Sender("T1", "U1", "Camille", "slack"), Sender("T1", "U2", "Hugo", "slack")
    try:
        logged = coach.handle("ia-log", "image 4 midjourney logo de la boulangerie", camille)
        assert logged.kind == "logged", logged.title
        assert coach.handle("ia-avoid", "image 2 photo maison", hugo).kind == "avoided"
        now[0] += 60
        stats = coach.handle("ia-stats", "month", camille)
        assert stats.kind == "stats" and stats.data["me"].generations == 4 and stats.data["team"].avoided == 2
        top = coach.handle("ia-top", "all", camille)
        assert [row[1:] for row in top.data["rows"]] == [("U2", "Hugo", 2)]
        undone = coach.action("undo", logged.data["event_id"], camille)
        assert undone.kind == "undone"
        assert coach.handle("ia-stats", "month", camille).data["me"].generations == 0
        assert [m["name"] for m in store.members("T1")] == ["Camille", "Hugo"]
    finally:
        store.close()


# ---------------------------------------------------------------------- several processes at once
WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from bot.store import Event, TinyStore
    from bot.store.postgres_store import PostgresStore
    where, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = PostgresStore(where) if where.startswith("postgresql://") else TinyStore(where)
    for i in range(n):
        store.add_event("T1", Event(id=f"{{prefix}}-{{i}}", ts=time.time(), user=prefix, type="gen",
                                    kind="text", count=1, zone="USA"))
        print(f"{{prefix}}-{{i}}", flush=True)
    """
)

CLAIMER = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {root!r})
    from bot.store import TinyStore
    from bot.store.postgres_store import PostgresStore
    where, go, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = PostgresStore(where) if where.startswith("postgresql://") else TinyStore(where)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.001)
    won = [p for p in range(n) if store.claim_summary("T1", "monthly", f"p{{p}}")]
    print(" ".join(map(str, won)), flush=True)
    """
)


def _spawn(tmp_path: Path, template: str, *args: str) -> subprocess.Popen[str]:
    script = tmp_path / f"{abs(hash(template))}.py"
    script.write_text(template.format(root=str(ROOT)))
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_two_processes_writing_500_events_each_leave_1000_on_postgres(pg_url: str, tmp_path: Path) -> None:
    procs = [_spawn(tmp_path, WRITER, pg_url, p, "500") for p in ("a", "b")]
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        assert len(out.split()) == 500
    store = PostgresStore(pg_url)
    try:
        figures = store.counts("T1", PARIS, ["all"])["all"]
        assert figures["a"].generations == 500 and figures["b"].generations == 500
        ids = [e.id for u in ("a", "b") for e in store.member_events("T1", u)]
        assert len(ids) == len(set(ids)) == 1000
        assert store.workspaces() == ["T1"]
    finally:
        store.close()


def test_two_processes_claiming_the_same_summaries_each_get_one_winner(location: str, tmp_path: Path) -> None:
    n = 150
    go = tmp_path / "go"
    procs = [_spawn(tmp_path, CLAIMER, location, str(go), str(n)) for _ in range(2)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    go.touch()
    won = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        won.append({int(x) for x in out.split()})
    assert won[0] | won[1] == set(range(n))
    assert won[0] & won[1] == set()


def test_processes_opening_an_empty_database_together_create_the_schema_once(pg_url: str) -> None:
    errors: list[BaseException] = []
    stores: list[PostgresStore] = []

    def open_one() -> None:
        try:
            stores.append(PostgresStore(pg_url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(stores) == 4
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM sobria_schema_version").fetchall() == [(v,) for v in range(1, LATEST + 1)]
    for s in stores:
        s.close()


# ---------------------------------------------------------------------- PostgreSQL only
def test_migrations_are_versioned_and_applied_once(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert schema_version(conn) == 0
        assert apply_migrations(conn) == list(range(1, LATEST + 1))
        assert apply_migrations(conn) == []
        assert schema_version(conn) == LATEST
        conn.execute("INSERT INTO sobria_schema_version (version, description) VALUES (%s, 'from the future')",
                     (LATEST + 1,))
    with pytest.raises(StoreError, match="newer than this Sobria"):
        PostgresStore(pg_url)


def test_an_event_id_is_stored_once_per_workspace(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    try:
        assert store.add_events("T1", [ev(1), ev(2)]) == 2
        assert store.add_events("T1", [ev(1), ev(3)]) == 1  # a retried request does not count twice
        store.add_event("T1", ev(1))
        assert store.add_events("T2", [ev(1)]) == 1
        assert store.counts("T1", PARIS, ["all"])["all"]["U1"].gen_logs == 3
    finally:
        store.close()


def test_period_queries_read_the_period_index(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    try:
        rng = random.Random(7)
        for ws in ("T1", "T2"):
            store.add_events(ws, [ev(i, user=f"U{i % 50}", ts=utc(2025, 1, 1) + rng.uniform(0, 2 * 365 * 86400))
                                  for i in range(6000)])
        store.analyze()
        start, end = period_bounds("m:2026-06", PARIS)  # type: ignore[misc]
        with psycopg.connect(pg_url) as conn:
            plan = "\n".join(r[0] for r in conn.execute(
                """EXPLAIN SELECT user_id, type, kind, zone, sum(count), count(*), coalesce(sum(rct_score), 0),
                          count(rct_score) FROM sobria_events WHERE workspace = %s AND ts >= %s AND ts < %s
                   GROUP BY user_id, type, kind, zone""", ("T1", start, end)).fetchall())
        assert "sobria_events_period" in plan and "Seq Scan" not in plan, plan
    finally:
        store.close()


def test_all_time_totals_follow_every_way_events_change(pg_url: str) -> None:
    """The totals behind "all" are kept by the database, even for changes made by hand."""
    store = PostgresStore(pg_url)
    try:
        store.add_events("T1", [ev(1, count=2, score=50), ev(2, user="U2"), ev(3, type_=AVOIDED, count=3)])
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("UPDATE sobria_events SET count = 7, zone = 'SWE' WHERE workspace = 'T1' AND id = 'e1'")
            conn.execute("DELETE FROM sobria_events WHERE workspace = 'T1' AND user_id = 'U2'")
        figures = store.counts("T1", PARIS, ["all", "m:2026-11"])
        assert as_plain({"all": figures["all"]}) == {"all": as_plain({"m": figures["m:2026-11"]})["m"]}
        assert figures["all"]["U1"].gen == {"image|SWE": 7} and figures["all"]["U1"].rct_avg == 50
        assert "U2" not in figures["all"]
        with psycopg.connect(pg_url) as conn:
            assert conn.execute("SELECT count(*) FROM sobria_event_totals WHERE user_id = 'U2'").fetchone() == (0,)
    finally:
        store.close()


def test_an_unreachable_server_is_named_without_its_password() -> None:
    port = free_port()
    url = f"postgresql://sobria:s3cret-pw@127.0.0.1:{port}/sobria"
    with pytest.raises(StoreError) as err:
        PostgresStore(url)
    assert "s3cret-pw" not in str(err.value)
    assert f"postgresql://sobria@127.0.0.1:{port}/sobria" in str(err.value)
    assert describe(url) == f"postgresql://sobria@127.0.0.1:{port}/sobria"


def test_connections_cut_by_the_server_are_replaced(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    try:
        store.add_event("T1", ev(1))
        with psycopg.connect(pg_url, autocommit=True) as conn:
            cut = conn.execute("""SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                                  WHERE application_name = 'sobria' AND datname = current_database()""").fetchone()
        assert cut == (1,)
        assert store.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 1
        store.add_event("T1", ev(2))
        assert len(store.member_events("T1", "U1")) == 2
    finally:
        store.close()


def test_a_server_outage_costs_only_the_writes_made_during_it() -> None:
    """While the server is down each request fails at once with the reason; afterwards the pool reconnects."""
    with PgServer() as server:
        store = PostgresStore(server.create_database("outage"))
        try:
            store.add_event("T1", ev(1))
            server.halt()
            for i in (2, 3):
                started = time.monotonic()
                with pytest.raises(StoreWriteError, match="did not store the change") as err:
                    store.add_event("T1", ev(i))
                assert time.monotonic() - started < 3 and f"127.0.0.1:{server.port}" in str(err.value)
            with pytest.raises(StoreError, match="did not answer"):
                store.counts("T1", PARIS, ["all"])
            server.resume()
            deadline = time.monotonic() + 30
            while True:
                try:
                    store.add_event("T1", ev(4))
                    break
                except StoreWriteError:
                    assert time.monotonic() < deadline, "the store did not reconnect"
                    time.sleep(0.2)
            assert [e.id for e in store.member_events("T1", "U1")] == ["e1", "e4"]
        finally:
            store.close()


def test_a_refused_write_tells_the_member_nothing_was_saved(pg_url: str) -> None:
    from bot.core.coach import Coach

    PostgresStore(pg_url).close()  # create the schema, then make the database read-only
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {pg_url.rsplit('/', 1)[1]} SET default_transaction_read_only = on")
    cfg = parse_config({"store": {"url": pg_url}})
    store = open_configured_store(cfg)
    try:
        coach = Coach(cfg, store, clock=lambda: NOW)
        sender = Sender("T1", "U1", "", "slack")
        assert coach.handle("ia-log", "text 1", sender).kind == "notice:not_saved"
        assert coach.handle("ia-stats", "month", sender).kind == "stats"  # reading still works
    finally:
        store.close()


def test_log_and_stats_each_take_few_round_trips(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statement is a round trip to the server, which the command waits for, unless statements go in one
    pipeline (psycopg's pipeline mode: sent together, answered together): once the week and month
    totals are ready, /ia-log without a tip takes two (the settings, the member, the burst limit and the
    member's week for both the zone and the tip, in one statement; the event), /ia-stats month three (the
    settings and the member, the month's figures, the week's zone)."""
    from bot.core.coach import Coach

    cfg = parse_config({"store": {"url": pg_url}})
    store = open_configured_store(cfg)
    statements: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(cur: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        said = " ".join(str(query).split())
        pipeline = cur.connection._pipeline  # statements in one pipeline share their round trip
        if pipeline is not None and statements and statements[-1].startswith(f"pipeline {id(pipeline)}"):
            statements[-1] += f" + {said}"
        else:
            statements.append(f"pipeline {id(pipeline)}: {said}" if pipeline is not None else said)
        return execute(cur, query, *args, **kwargs)

    try:
        coach = Coach(cfg, store, clock=lambda: NOW)
        for user in ("U1", "U2"):  # the first commands count the periods; U2's are as every later one
            statements.clear()
            assert coach.handle("ia-log", "text 1", Sender("T1", user, "Léa", "slack")).kind == "logged"
            monkeypatch.setattr(psycopg.Cursor, "execute", counted)
            assert coach.handle("ia-log", "image 1", Sender("T1", user, "Léa", "slack")).kind == "logged"
            logged = list(statements)
            statements.clear()
            assert coach.handle("ia-stats", "month", Sender("T1", user, "Léa", "slack")).kind == "stats"
            monkeypatch.setattr(psycopg.Cursor, "execute", execute)
        assert len(logged) == 2, logged
        assert "sobria_bursts" in logged[0] and "sobria_period_totals" in logged[0], logged  # with the week
        assert not logged[0].startswith("pipeline"), logged  # in one statement
        assert logged[1].startswith("INSERT INTO sobria_events"), logged
        assert len(statements) == 3, statements
    finally:
        store.close()


def test_store_url_selects_the_store_and_is_checked(tmp_path: Path, pg_url: str) -> None:
    embedded = open_configured_store(parse_config({"store": {"data_dir": str(tmp_path / "d")}}))
    assert isinstance(embedded, TinyStore)
    shared = open_configured_store(parse_config({"store": {"url": pg_url, "data_dir": str(tmp_path / "d")}}))
    assert isinstance(shared, PostgresStore)
    shared.close()
    for bad in ("mysql://root:hunter2@db/sobria", 42):
        with pytest.raises(ConfigError) as err:
            open_configured_store(parse_config({"store": {"url": bad}}))
        assert err.value.key == "store.url" and "hunter2" not in str(err.value)


# ---------------------------------------------------------------------- copying the embedded store
def _embedded_fixture(folder: Path) -> TinyStore:
    tiny = TinyStore(folder)
    rng = random.Random(11)
    for ws in ("T1", "E1:T2"):
        tiny.add_events(ws, [ev(f"{ws}-{i}", user=f"U{i % 7}", ts=utc(2026, 1, 1) + rng.uniform(0, 330 * 86400),
                                type_=rng.choice([GENERATED, AVOIDED]), count=rng.randint(1, 3),
                                score=rng.choice([None, 70])) for i in range(400)])
        tiny.update_member(ws, "U1", name="Camille", nudges=True, leaderboard=False)
        tiny.update_member(ws, "U2", name="Hugo", team=None)
        tiny.set_setting(ws, "lang", "en")
        tiny.set_setting(ws, "team_groups", {"S1": "Ventes"})
        tiny.claim_summary(ws, "monthly", "2026-10")
    return tiny


def test_copy_from_tinydb_loses_nothing_and_can_run_again(tmp_path: Path, pg_url: str) -> None:
    tiny = _embedded_fixture(tmp_path / "data")
    from bot.store import logged

    logged.merge(tiny._ws_dir("T1"), "U1", {"tips_shown": {"rct": "w:2026-W20"}})  # noqa: SLF001  # a log's memory
    target = PostgresStore(pg_url)
    try:
        reports = copy_from_tinydb(tmp_path / "data", target, batch=150)
        assert target.member("T1", "U1") == tiny.member("T1", "U1") == {
            "user": "U1", "name": "Camille", "nudges": True, "leaderboard": False, "tips_shown": {"rct": "w:2026-W20"}}
        assert [(r.workspace, r.events, r.inserted, r.members, r.settings, r.summaries, r.ok) for r in reports] == [
            ("E1:T2", 400, 400, 2, 2, 1, True), ("T1", 400, 400, 2, 2, 1, True)]
        for ws in ("T1", "E1:T2"):
            keys = ["all", "m:2026-03", "w:2026-W20", "d:2026-05-12"]
            assert as_plain(target.counts(ws, PARIS, keys)) == as_plain(tiny.counts(ws, PARIS, keys))
            assert target.settings(ws) == tiny.settings(ws)
            assert target.members(ws) == [tiny.member(ws, str(m["user"])) for m in tiny.members(ws)]
            assert not target.claim_summary(ws, "monthly", "2026-10")
            for u in ("U0", "U3"):
                assert target.member_events(ws, u) == sorted(tiny.member_events(ws, u), key=lambda e: (e.ts, e.id))
        again = copy_from_tinydb(tmp_path / "data", target)
        assert [(r.events, r.inserted, r.ok) for r in again] == [(400, 0, True), (400, 0, True)]
    finally:
        target.close()
        tiny.close()


def test_copy_from_a_folder_without_an_embedded_store_is_refused(tmp_path: Path, pg_url: str) -> None:
    target = PostgresStore(pg_url)
    try:
        with pytest.raises(StoreError, match="no embedded store"):
            copy_from_tinydb(tmp_path, target)
    finally:
        target.close()


def test_sobria_migrate_creates_the_schema_and_copies_an_embedded_store(tmp_path: Path, pg_url: str,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import EXIT_CONFIG, main

    _embedded_fixture(tmp_path / "old").close()
    config = tmp_path / "sobria.toml"
    config.write_text(f'[store]\nurl = "{pg_url}"\n')
    assert main(["migrate", "--config", str(config)]) == 0
    applied = ", ".join(str(m.version) for m in MIGRATIONS)
    assert f"migrations {applied} appliquées" in capsys.readouterr().out  # the command line speaks [bot] lang
    assert main(["migrate", "--config", str(config), "--from-tinydb", str(tmp_path / "old")]) == 0
    out = capsys.readouterr().out.replace("\u00a0", " ").replace("\u202f", " ")
    assert "déjà à jour" in out
    assert "T1 : 400 enregistrements (400 nouveaux), membres : 2, réglages : 2, bilans envoyés : 1 ; ok" in out
    assert "2 espaces copiés et vérifiés (enregistrements : 800)" in out
    store = PostgresStore(pg_url)
    try:
        assert sum(c.gen_logs + c.avoid_logs for c in store.counts("E1:T2", PARIS, ["all"])["all"].values()) == 400
    finally:
        store.close()
    embedded_only = tmp_path / "embedded.toml"
    embedded_only.write_text('[store]\ndata_dir = "data"\n')
    assert main(["migrate", "--config", str(embedded_only)]) == EXIT_CONFIG
    assert "store.url" in capsys.readouterr().err


# Each released migration's statements, as databases have run them (SHA-256 of the statements joined by NUL).
# A migration is never edited once released: a change goes into a new one, which gets its line here.
RELEASED_MIGRATIONS = {
    1: "c8a2def5073a7bee9824a1550d233192ecf656d39ac77066d3d91b0b26b53edd",
    2: "0a196b05a79130d169865209c3b6e37d8631bb2d975ffc5e0f7f9c7a0689a40a",
    3: "e7cbcd01466c89ec78cf5b7f1d1eb48430b7be1a766140a9bccc912860942438",
    4: "f75151bc0d0ccebfe0545fadbb0188d168b721b7f1cd97695bb204c8ea410b2b",
    5: "b4ce1e761239e4e00a77b535ad52c7e57c8093b0e98e480ecd31fa6a1bd3104d",
}


def test_released_migrations_are_never_edited() -> None:
    import hashlib

    from bot.store.pg_schema import MIGRATIONS

    released = {m.version: hashlib.sha256("\x00".join(m.statements).encode()).hexdigest()
                for m in MIGRATIONS if m.version in RELEASED_MIGRATIONS}
    assert released == RELEASED_MIGRATIONS
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))  # numbered in order, no gap
