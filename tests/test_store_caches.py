"""The embedded store's shortcuts give the same results as the plain way, and never outlive a change.

Figures are kept in memory (moved on by each write), finished months are kept
on disk, local keys are remembered per quarter hour, and a log is spliced into
its day file's bytes; each test compares a shortcut with the plain computation
it replaces, or checks that a change makes the shortcut be computed again.
"""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from bot.core import periods
from bot.store import AVOIDED, GENERATED, Event, TinyStore, workspace_total
from bot.store.atomic import AtomicJSONStorage, file_stamp, read_json
from bot.store.tally import tally

PARIS = ZoneInfo("Europe/Paris")
OCT_2025 = datetime(2025, 10, 15, 12, tzinfo=PARIS).timestamp()
NOV_2025 = datetime(2025, 11, 10, 12, tzinfo=PARIS).timestamp()


def ev(i: int, ts: float, user: str = "U1", count: int = 1, type_: str = GENERATED) -> Event:
    return Event(id=f"e{i}", ts=ts, user=user, type=type_, kind="image", count=count, zone="FRA")


def saved_files(root: Path) -> list[Path]:
    return sorted(root.glob("workspaces/*/cache/**/*.totals"))


ZONES = ["Europe/Paris", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/St_Johns", "UTC",
         "America/Havana", "Asia/Tehran"]


@settings(max_examples=300, deadline=None)
@given(ts=st.floats(min_value=0, max_value=4_102_444_800), zone=st.sampled_from(ZONES))
def test_keys_remembered_per_quarter_hour_match_a_direct_conversion(ts: float, zone: str) -> None:
    tz = ZoneInfo(zone)
    assert periods.keys_for_many(ts, tz) == periods.keys_for(ts, tz)


def test_keys_of_the_last_microsecond_before_a_new_year_follow_datetime_rounding() -> None:
    for ts in (2_051_222_399.9999995, 2_051_222_399.9999994, 2_051_222_400.0000004, 1_798_761_599.999):
        assert periods.keys_for_many(ts, ZoneInfo("UTC")) == periods.keys_for(ts, ZoneInfo("UTC"))


def test_keys_are_exact_on_both_sides_of_daylight_saving_changes() -> None:
    for zone in ZONES:
        tz = ZoneInfo(zone)
        for year in (2024, 2026):
            start = datetime(year, 1, 1, tzinfo=timezone.utc).timestamp()
            for step in range(0, 366 * 24 * 4):
                ts = start + step * 900 + (step % 7) * 97  # every quarter hour of the year, at varied seconds
                assert periods.keys_for_many(ts, tz) == periods.keys_for(ts, tz), (zone, ts)


def test_tally_counts_each_event_once_in_its_day_week_and_month() -> None:
    rng = random.Random(7)
    events = [ev(i, NOV_2025 + rng.uniform(-3 * 86400, 3 * 86400), user=f"U{rng.randrange(4)}",
                 count=rng.randint(1, 5), type_=rng.choice([GENERATED, AVOIDED])) for i in range(400)]
    groups = tally([e.to_dict() for e in events], PARIS)
    for e in events:
        for key in periods.keys_for(e.ts, PARIS):
            assert any(key in keys and e.user in per_user for keys, per_user in groups.items())
    assert sum(c.generations + c.avoided for g in groups.values() for c in g.values()) == sum(e.count for e in events)


def test_a_finished_month_is_saved_and_read_back_after_a_restart(tmp_path: Path) -> None:
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(i, OCT_2025 + i * 3600, user=f"U{i % 3}", count=2) for i in range(60)])
    first = s.counts("T1", PARIS, ["m:2025-10"])["m:2025-10"]
    assert [p.name for p in saved_files(tmp_path) if p.parent.name == "Europe~Paris"] == ["2025-10.totals"]
    s.close()

    again = TinyStore(tmp_path)
    again._partial = None  # type: ignore[assignment]  # reading an event file now would fail the test
    second = again.counts("T1", PARIS, ["m:2025-10"])["m:2025-10"]
    assert {u: c.to_dict() for u, c in second.items()} == {u: c.to_dict() for u, c in first.items()}
    assert workspace_total(second).generations == 120


def test_an_import_into_a_finished_month_is_counted_not_hidden_by_its_saved_total(tmp_path: Path) -> None:
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(1, OCT_2025)])
    assert workspace_total(s.counts("T1", PARIS, ["m:2025-10"])["m:2025-10"]).generations == 1
    other = TinyStore(tmp_path)  # another process imports into the old month
    other.add_events("T1", [ev(2, OCT_2025 + 60, count=4)])
    assert workspace_total(s.counts("T1", PARIS, ["m:2025-10"])["m:2025-10"]).generations == 5
    fresh = TinyStore(tmp_path)
    assert workspace_total(fresh.counts("T1", PARIS, ["m:2025-10"])["m:2025-10"]).generations == 5
    assert fresh.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 5


def test_a_finished_week_is_saved_and_follows_an_import_into_it(tmp_path: Path) -> None:
    """Finished weeks are kept on disk as finished months are (a monthly summary reads six of them): the
    workspace's total and the members' come back after a restart without reading an event file, and another
    process's import into the week is counted, not hidden by the saved total."""
    week = periods.week_key(datetime.fromtimestamp(OCT_2025, PARIS).date())
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(i, OCT_2025 + i * 3600, user=f"U{i % 3}", count=2) for i in range(40)])
    first = s.counts("T1", PARIS, [week])[week]
    assert f"{week[2:]}.totals" in [p.name for p in saved_files(tmp_path) if p.parent.name == "Europe~Paris"]
    s.close()

    again = TinyStore(tmp_path)
    again._partial = None  # type: ignore[assignment]  # reading an event file now would fail the test
    assert {u: c.to_dict() for u, c in again.counts("T1", PARIS, [week])[week].items()} == \
        {u: c.to_dict() for u, c in first.items()}
    assert again.totals("T1", PARIS, [week])[week].to_dict() == workspace_total(first).to_dict()
    again.close()

    reader, other = TinyStore(tmp_path), TinyStore(tmp_path)
    assert reader.totals("T1", PARIS, [week])[week].generations == 80
    other.add_events("T1", [ev(100, OCT_2025 + 60, user="U9", count=5)])  # an import into the old week
    assert reader.totals("T1", PARIS, [week])[week].generations == 85
    assert TinyStore(tmp_path).counts("T1", PARIS, [week])[week]["U9"].generations == 5


def test_a_week_still_running_at_the_stores_clock_is_not_saved(tmp_path: Path) -> None:
    """Which periods are finished is judged at the store's clock (the engine's): a week still being logged
    into is counted from its day files, not saved again after every log; once over, it is saved."""
    week = periods.week_key(datetime.fromtimestamp(OCT_2025, PARIS).date())
    now = [OCT_2025 + 60]
    s = TinyStore(tmp_path, clock=lambda: now[0])
    s.add_events("T1", [ev(1, OCT_2025, count=2)])
    assert s.totals("T1", PARIS, [week])[week].generations == 2
    assert not [p for p in saved_files(tmp_path) if p.parent.name == "Europe~Paris"]
    now[0] += 7 * 86_400  # the week is over
    assert s.counts("T1", PARIS, [week])[week]["U1"].generations == 2
    assert [p.name for p in saved_files(tmp_path) if p.parent.name == "Europe~Paris"] == [f"{week[2:]}.totals"]


def test_a_damaged_saved_total_is_counted_again(tmp_path: Path) -> None:
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(1, OCT_2025, count=3)])
    s.counts("T1", PARIS, ["m:2025-10"])
    saved_files(tmp_path)[0].write_text("{not json")
    assert TinyStore(tmp_path).counts("T1", PARIS, ["m:2025-10"])["m:2025-10"]["U1"].generations == 3


def test_erasing_a_member_deletes_the_saved_totals_that_name_them(tmp_path: Path) -> None:
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(1, OCT_2025, user="U1"), ev(2, OCT_2025, user="U2")])
    s.counts("T1", PARIS, ["all"])
    assert saved_files(tmp_path)
    s.forget_member("T1", "U1")
    assert all("U1" not in p.read_text() for p in saved_files(tmp_path))
    assert set(s.counts("T1", PARIS, ["all"])["all"]) == {"U2"}


def test_all_time_totals_follow_logs_undo_and_other_processes(tmp_path: Path) -> None:
    s, other = TinyStore(tmp_path), TinyStore(tmp_path)
    s.add_events("T1", [ev(i, OCT_2025 + i * 86400 / 8, count=1) for i in range(100)])
    expected = 100
    for i in range(30):
        writer = s if i % 3 else other
        writer.add_event("T1", ev(1000 + i, NOV_2025 + i * 60, count=2))
        expected += 2
        if i % 5 == 0:
            assert writer.remove_event("T1", f"e{1000 + i}")
            expected -= 2
        assert s.counts("T1", PARIS, ["all"])["all"]["U1"].generations == expected
        assert workspace_total(s.counts("T1", PARIS, ["m:2025-11"])["m:2025-11"]).generations == expected - 100


def test_a_log_appended_to_a_day_file_writes_the_same_bytes_as_a_full_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    storage = AtomicJSONStorage(path)
    records = [{**ev(i, NOV_2025 + i).to_dict(), "text": f"Tu es « juriste » n°{i} \u2014 résume\n\"ceci\""}
               for i in range(5)]
    for i, record in enumerate(records, start=1):
        assert storage.append_record("events", record) == i
        assert path.read_bytes() == json.dumps(json.loads(path.read_bytes()), ensure_ascii=False,
                                               separators=(",", ":")).encode()
        assert read_json(path) == {"events": {str(j): r for j, r in enumerate(records[:i], start=1)}}
    db = TinyDB(str(path))  # TinyDB itself reads the file and goes on numbering from it
    assert len(db.table("events")) == 5 and db.table("events").insert({"x": 1}) == 6
    db.close()


def test_appending_to_a_file_of_another_shape_rewrites_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text('{"events": {"3": {"a": 1}}, "other": {}}\n')
    storage = AtomicJSONStorage(path)
    assert storage.append_record("events", {"b": 2}) == 4
    assert read_json(path) == {"events": {"3": {"a": 1}, "4": {"b": 2}}, "other": {}}
    path.write_text('{"events": {"1": {"a": 1}} }')  # another writer, with spaces
    assert storage.append_record("events", {"c": 3}) == 2
    assert read_json(path) == {"events": {"1": {"a": 1}, "2": {"c": 3}}}


def test_counts_already_handed_out_never_change_under_their_reader(tmp_path: Path) -> None:
    """A reader in one thread may still be going through figures while another thread logs."""
    s = TinyStore(tmp_path)
    s.add_event("T1", ev(1, NOV_2025))
    month = s.counts("T1", PARIS, ["m:2025-11"])["m:2025-11"]
    before = {u: c.to_dict() for u, c in month.items()}
    s.add_event("T1", Event(id="e2", ts=NOV_2025 + 60, user="U1", type=AVOIDED, kind="text", count=2, zone="SWE"))
    s.add_event("T1", ev(3, NOV_2025 + 120, user="U9"))
    assert {u: c.to_dict() for u, c in month.items()} == before
    after = s.counts("T1", PARIS, ["m:2025-11"])["m:2025-11"]
    assert after["U1"].avoided == 2 and after["U9"].generations == 1


def test_all_time_totals_follow_a_rollup_changed_after_the_figures_were_cached(tmp_path: Path) -> None:
    """Retention then an erasure, in a store whose caches knew the rolled-up months as events."""
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(1, OCT_2025, user="U1", count=2), ev(2, OCT_2025 + 60, user="U2", count=3),
                        ev(3, NOV_2025, user="U1")])
    assert s.counts("T1", PARIS, ["all"])["all"]["U2"].generations == 3
    assert s.apply_retention("T1", PARIS, keep_months=1, now_ts=NOV_2025 + 30 * 86400)[0] >= 1
    assert s.counts("T1", PARIS, ["all"])["all"]["U2"].generations == 3  # now from the rollup
    s.forget_member("T1", "U2")
    everyone = s.counts("T1", PARIS, ["all"])["all"]
    assert "U2" not in everyone and everyone["U1"].generations == 3
    assert s.totals("T1", PARIS, ["all"])["all"].generations == 3


def test_next_month_logs_in_a_shared_day_file_recount_that_file_only(tmp_path: Path) -> None:
    """West of UTC, a month's last day file (a UTC day) also holds the next month's first local hours."""
    ny = ZoneInfo("America/New_York")
    utc = timezone.utc
    october = [ev(i, datetime(2025, 10, 3 + i, 15, tzinfo=utc).timestamp(), count=1) for i in range(20)]
    late = ev(100, datetime(2025, 11, 1, 2, tzinfo=utc).timestamp(), count=5)  # 31 October, 22:00 in New York
    s = TinyStore(tmp_path)
    s.add_events("T1", october + [late])
    assert workspace_total(s.counts("T1", ny, ["m:2025-10"])["m:2025-10"]).generations == 25

    def files_read(store: TinyStore) -> list[str]:
        seen: list[str] = []
        real = store._partial

        def spy(path: Path, tz: ZoneInfo):  # type: ignore[no-untyped-def]
            seen.append(path.name)
            return real(path, tz)

        store._partial = spy  # type: ignore[method-assign]
        return seen

    TinyStore(tmp_path).add_event("T1", ev(101, datetime(2025, 11, 1, 12, tzinfo=utc).timestamp()))  # November
    fresh = TinyStore(tmp_path)
    seen = files_read(fresh)
    assert workspace_total(fresh.counts("T1", ny, ["m:2025-10"])["m:2025-10"]).generations == 25
    assert seen == ["2025-11-01.json"]

    TinyStore(tmp_path).add_events("T1", [ev(102, datetime(2025, 11, 1, 3, tzinfo=utc).timestamp(), count=7)])
    fresh = TinyStore(tmp_path)
    seen = files_read(fresh)
    assert workspace_total(fresh.counts("T1", ny, ["m:2025-10"])["m:2025-10"]).generations == 32
    assert seen == ["2025-11-01.json"]

    TinyStore(tmp_path).add_events("T1", [ev(103, datetime(2025, 10, 15, 9, tzinfo=utc).timestamp(), count=2)])
    fresh = TinyStore(tmp_path)
    seen = files_read(fresh)
    assert workspace_total(fresh.counts("T1", ny, ["m:2025-10"])["m:2025-10"]).generations == 34
    assert "2025-10-15.json" in seen and "2025-11-01.json" not in seen


def test_totals_counted_before_an_erasure_are_not_saved_after_it(tmp_path: Path) -> None:
    s = TinyStore(tmp_path)
    s.add_events("T1", [ev(1, OCT_2025, user="U1"), ev(2, OCT_2025 + 60, user="U2")])
    files = s._period_files("T1", PARIS, "m:2025-10")
    stamps = tuple(file_stamp(p) for p in files)
    counted = s._finished_period("T1", PARIS, "m:2025-10", files, stamps)  # saves, then another process erases U2
    assert "U2" in counted and saved_files(tmp_path)
    TinyStore(tmp_path).forget_member("T1", "U2")
    assert not saved_files(tmp_path)
    s._save_period("T1", PARIS, "m:2025-10", files, stamps, [(tuple(range(len(files))), counted)])
    assert not saved_files(tmp_path)  # counted from files the erasure has since rewritten: not written back


def test_a_day_file_read_again_is_the_one_on_disk_even_when_another_process_changed_it(tmp_path: Path) -> None:
    reader, writer = TinyStore(tmp_path), TinyStore(tmp_path)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc).timestamp()
    writer.add_event("W", ev(1, monday))
    assert [e.id for e in reader.member_events("W", "U1", since_ts=monday)] == ["e1"]  # kept in memory now
    writer.add_event("W", ev(2, monday + 60))  # another process appends to that day
    assert [e.id for e in reader.member_events("W", "U1", since_ts=monday)] == ["e1", "e2"]
    writer.remove_event("W", "e1")
    assert [e.id for e in reader.member_events("W", "U1", since_ts=monday)] == ["e2"]


def test_a_member_read_from_day_files_grouped_by_member_sees_another_process_add_remove_and_add_days(
        tmp_path: Path) -> None:
    """A member's week reads day files grouped by member and a listing of the folder kept while it does not
    change: a day added or removed by another process, at once or a second later, is seen at the next read."""
    reader, writer = TinyStore(tmp_path), TinyStore(tmp_path)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc).timestamp()
    day = 86400
    writer.add_events("W", [ev(1, monday, user="U1"), ev(2, monday + 60, user="U2")])
    folder = tmp_path / "workspaces" / "W" / "events"

    def week(user: str = "U1") -> list[str]:
        return [e.id for e in reader.member_events("W", user, since_ts=monday)]

    assert week() == ["e1"] and week("U2") == ["e2"]
    writer.add_event("W", ev(3, monday + day))  # a new day at once: the folder's time is too fresh to be trusted
    assert week() == ["e1", "e3"]
    time.sleep(1.05)
    assert week() == ["e1", "e3"] and reader._day_names  # a listing now kept...
    writer.add_event("W", ev(4, monday + 2 * day))  # ...until another process adds a day
    assert week() == ["e1", "e3", "e4"]
    assert reader.last_event("W", "U1", monday).id == "e4"  # type: ignore[union-attr]
    writer.add_event("W", ev(5, monday + 120, user="U1"))  # a day already grouped changes
    assert week() == ["e1", "e5", "e3", "e4"]
    writer.forget_member("W", "U1")
    assert week() == [] and week("U2") == ["e2"] and reader.last_event("W", "U1", monday) is None


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Pacific/Chatham"])
def test_a_log_moves_on_the_cached_figures_of_every_period_its_utc_day_overlaps(tmp_path: Path, zone: str) -> None:
    """A UTC day file overlaps two local days (and their weeks and months, here a Monday and the 1st of a
    month): every figure kept that reads it is moved on by a log, not left to be counted again, and is right."""
    tz = ZoneInfo(zone)
    at = datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc).timestamp()  # Tuesday 1 December, 00:30 UTC
    s = TinyStore(tmp_path, clock=lambda: at)
    s.add_events("W", [ev(1, at - 3600), ev(2, at + 3600, user="U2"), ev(3, at + 20 * 3600)])
    local_days = {periods.local(at - 1800, tz).date(), periods.local(at - 1800 + 86399, tz).date()}
    assert len(local_days) == 2
    keys = sorted({k for d in local_days for k in (periods.day_key(d), periods.week_key(d), periods.month_key(d))})
    s.counts("W", tz, keys)
    s.totals("W", tz, keys)
    s.add_event("W", ev(4, at + 22 * 3600, count=5))
    path = tmp_path / "workspaces" / "W" / "events" / "2026-12-01.json"
    kept = [(k, e) for k, e in s._periods.items() if path.name in e.names]
    assert len(kept) == 2 * len(keys)
    assert all(e.stamps[e.names[path.name]] == file_stamp(path) for _, e in kept)  # moved on, all of them
    fresh = TinyStore(tmp_path, clock=lambda: at)
    assert s.counts("W", tz, keys) == fresh.counts("W", tz, keys)
    assert s.totals("W", tz, keys) == fresh.totals("W", tz, keys)
