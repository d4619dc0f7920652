"""Scheduled summaries: on time in each workspace's zone, exactly once, caught up after downtime.

Time is controlled with time-machine (it moves the wall clock for every
thread, APScheduler's included, while waits still run on the real monotonic
clock), so a test jumps to one second before Monday 09:00 and the real
scheduler fires within that second. Posting goes to a recording poster, and
in one test to the real Slack adapter talking to the local fake Slack.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.core import periods
from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.errors import ConfigError
from bot.core.reply import Reply
from bot.scheduler import (
    ALREADY,
    FAILED,
    LATE,
    NOT_READY,
    OFF,
    POSTED,
    ScheduleSettings,
    SummaryScheduler,
    latest_slot,
    make_plan,
    read_schedule,
    trigger_for,
)
from bot.store import AVOIDED, GENERATED, Event, open_store

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parent.parent
WAIT = 5.0  # bound on every wait: a failing test fails, it never hangs


class FakeAdapter:
    """An `Adapter` that is connected and serves every workspace; subclasses say what posting does."""

    sends_direct = True

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.ready.set()

    def run_forever(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def serves(self, workspace_id: str) -> bool:
        return True

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        return True

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        return True


class RecordingPoster(FakeAdapter):
    """Records what would be posted, with the wall-clock time it was posted at."""

    def __init__(self, ok: bool = True) -> None:
        super().__init__()
        self.ok = ok
        self.posts: list[tuple[str, str, Reply, float]] = []
        self.direct: list[tuple[str, str, Reply]] = []
        self._changed = threading.Condition()

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        with self._changed:
            self.posts.append((workspace_id, channel_id, reply, time.time()))
            self._changed.notify_all()
        return self.ok

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        with self._changed:
            self.direct.append((workspace_id, user_id, reply))
            self._changed.notify_all()
        return self.ok

    def wait_posts(self, n: int, timeout: float = WAIT) -> list[tuple[str, str, Reply, float]]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.posts) >= n, timeout):
                raise AssertionError(f"expected {n} posts, got {len(self.posts)}")
            return list(self.posts)

    def kinds(self) -> list[tuple[str, str]]:
        return [(r.kind, ws) for ws, _, r, _ in self.posts]


class ChannelOnlyPoster(FakeAdapter):
    """A front-end that cannot send direct messages (like the console)."""

    sends_direct = False

    def __init__(self) -> None:
        super().__init__()
        self.posts: list[tuple[str, str, Reply]] = []

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        self.posts.append((workspace_id, channel_id, reply))
        return True


class Clock:
    def __init__(self, when: datetime) -> None:
        self.now = when.timestamp()

    def __call__(self) -> float:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when.timestamp()


def local(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: float = 0, tz: ZoneInfo = PARIS) -> datetime:
    whole = int(s)
    return datetime(y, mo, d, h, mi, whole, int(round((s - whole) * 1e6)), tzinfo=tz)


def setup_workspace(store, ws: str, tz: str = "Europe/Paris", channel: str | None = "C1", lang: str = "fr",
                    **settings: Any) -> None:
    for key, value in {"timezone": tz, "summary_channel": channel, "lang": lang, **settings}.items():
        store.set_setting(ws, key, value)


def some_activity(store, ws: str, start: datetime, days: int = 40) -> None:
    """A generation and an avoided image every other day, so every week and month has figures."""
    events = []
    for i in range(0, days, 2):
        ts = (start + timedelta(days=i, hours=10)).timestamp()
        events.append(Event(f"g{ws}{i}", ts, "U1", GENERATED, "text", 2, "USA"))
        events.append(Event(f"a{ws}{i}", ts + 60, "U2", AVOIDED, "image", 1, "USA"))
    store.add_events(ws, events)
    store.update_member(ws, "U1", name="Camille")
    store.update_member(ws, "U2", name="Hugo")


def scheduler(config, store, posters, clock=time.time, **kw) -> SummaryScheduler:
    return SummaryScheduler(config, store, posters, clock=clock, **kw)


# ---------------------------------------------------------------------------- configuration
def test_schedule_section_defaults_and_errors_name_the_key():
    assert read_schedule(parse_config({})) == ScheduleSettings()
    custom = read_schedule(parse_config({"schedule": {"grace_days": 5, "weekly_time": "8:30", "monthly_day": 3}}))
    assert (custom.grace_days, custom.weekly_time, custom.monthly_day) == (5, "08:30", 3)
    for bad, key in (
        ({"grace_days": -1}, "schedule.grace_days"),
        ({"grace_days": 40}, "schedule.grace_days"),
        ({"grace_days": True}, "schedule.grace_days"),
        ({"weekly_day": 7}, "schedule.weekly_day"),
        ({"weekly_time": "9h"}, "schedule.weekly_time"),
        ({"monthly_day": 29}, "schedule.monthly_day"),
        ({"monthly_time": "24:00"}, "schedule.monthly_time"),
        ({"enabled": "yes"}, "schedule.enabled"),
        ({"grace": 3}, "schedule.grace"),
    ):
        with pytest.raises(ConfigError) as err:
            read_schedule(parse_config({"schedule": bad}))
        assert err.value.key == key


def test_plan_reads_stored_settings_over_defaults_and_survives_bad_values():
    cfg = parse_config({"schedule": {"weekly_time": "08:00"}})
    sched = read_schedule(cfg)
    plan = make_plan("T1", {"timezone": "America/New_York", "summary_channel": "C9", "weekly_day": 4,
                            "monthly_time": "17:30", "lang": "en"}, cfg, sched)
    assert (plan.tz.key, plan.channel, plan.lang) == ("America/New_York", "C9", "en")
    assert (plan.weekly_day, plan.weekly_time, plan.monthly_day, plan.monthly_time) == (4, (8, 0), 1, (17, 30))
    broken = make_plan("T1", {"timezone": "Mars/Olympus", "weekly_day": 9, "weekly_time": "noon", "monthly_day": "x"},
                       cfg, sched)
    assert (broken.tz.key, broken.weekly_day, broken.weekly_time, broken.monthly_day) == ("Europe/Paris", 0, (8, 0), 1)
    assert broken.channel is None


# ---------------------------------------------------------------------------- when (pure)
@pytest.mark.parametrize(("tz", "monday", "utc_hour"), [
    (PARIS, date(2026, 3, 23), 8),  # CET, the week before the change
    (PARIS, date(2026, 3, 30), 7),  # CEST from 29 March
    (PARIS, date(2026, 10, 26), 8),  # CET again from 25 October
    (NEW_YORK, date(2026, 3, 2), 14),  # EST
    (NEW_YORK, date(2026, 3, 9), 13),  # EDT from 8 March
    (NEW_YORK, date(2026, 11, 2), 14),  # EST from 1 November
])
def test_weekly_slot_is_monday_nine_local_whatever_the_offset(tz, monday, utc_hour):
    plan = make_plan("T", {"timezone": tz.key, "summary_channel": "C"}, parse_config({}), ScheduleSettings())
    nine = datetime(monday.year, monday.month, monday.day, 9, tzinfo=tz)
    slot = latest_slot("weekly", plan, nine.timestamp() + 1)
    assert slot.at == nine and slot.at.astimezone(timezone.utc).hour == utc_hour
    assert slot.period == periods.previous(periods.week_of(monday, tz), tz)  # the week that just ended
    before = latest_slot("weekly", plan, nine.timestamp() - 1)
    assert before.at == datetime.combine(monday - timedelta(days=7), nine.time(), tz)
    trigger = trigger_for("weekly", plan)
    assert trigger.get_next_fire_time(None, nine - timedelta(days=2)) == nine


def test_monthly_slot_and_custom_days():
    plan = make_plan("T", {"summary_channel": "C", "monthly_day": 5, "monthly_time": "18:00", "weekly_day": 4,
                           "weekly_time": "16:30"}, parse_config({}), ScheduleSettings())
    slot = latest_slot("monthly", plan, local(2026, 12, 5, 18, 0, 1).timestamp())
    assert slot.at == local(2026, 12, 5, 18) and slot.period.key == "m:2026-11"
    early = latest_slot("monthly", plan, local(2026, 12, 5, 17, 59).timestamp())
    assert early.at == local(2026, 11, 5, 18) and early.period.key == "m:2026-10"
    friday = latest_slot("weekly", plan, local(2026, 11, 29, 12).timestamp())  # Sunday
    assert friday.at == local(2026, 11, 27, 16, 30) and friday.period.key == "w:2026-W47"


# ---------------------------------------------------------------------------- on time, with the real scheduler
@pytest.mark.parametrize(("monday", "paris_utc_hour", "new_york_utc_hour"), [
    (date(2026, 3, 9), 8, 13),  # New York moved to summer time on Sunday 8 March, Paris not yet
    (date(2026, 3, 30), 7, 13),  # Paris moved to summer time on Sunday 29 March
    (date(2026, 10, 26), 8, 13),  # Paris back to winter time on Sunday 25 October, New York not yet
    (date(2026, 11, 2), 8, 14),  # New York back to winter time on Sunday 1 November
])
def test_weekly_post_fires_at_nine_local_in_each_zone_across_daylight_saving(config, store, monday, paris_utc_hour,
                                                                            new_york_utc_hour):
    for ws, tz in (("T-paris", PARIS), ("T-ny", NEW_YORK)):
        some_activity(store, ws, datetime(monday.year, monday.month, 1, tzinfo=tz) - timedelta(days=20))
        # monthly summaries on the 15th, out of the way: this test is about the weekly one
        setup_workspace(store, ws, tz=tz.key, channel=f"C-{ws}", monthly_day=15)
    poster = RecordingPoster()
    sunday_noon = datetime.combine(monday - timedelta(days=1), datetime.min.time().replace(hour=12), PARIS)
    with time_machine.travel(sunday_noon, tick=True) as traveller:
        s = scheduler(config, store, [poster])
        s.start()
        try:
            assert s.caught_up.wait(WAIT)
            assert set(s.last_catch_up.values()) == {LATE}  # last Monday is 6 days ago: beyond the grace
            for n, (ws, tz) in enumerate((("T-paris", PARIS), ("T-ny", NEW_YORK)), start=1):
                nine = datetime.combine(monday, datetime.min.time().replace(hour=9), tz)
                assert s.jobs.get_job(f"weekly|{ws}").next_run_time == nine
                traveller.move_to(nine - timedelta(seconds=0.4))
                s.jobs.wakeup()
                poster.wait_posts(n)
                time.sleep(0.3)  # anything else due by now would have fired by now
                assert len(poster.posts) == n
        finally:
            s.stop()
    for (ws, channel, reply, posted_at), tz, utc_hour in zip(poster.posts, (PARIS, NEW_YORK),
                                                             (paris_utc_hour, new_york_utc_hour)):
        assert (channel, reply.kind) == (f"C-{ws}", "weekly_summary")
        when = datetime.fromtimestamp(posted_at, tz)
        assert (when.date(), when.hour, when.minute) == (monday, 9, 0)
        assert datetime.fromtimestamp(posted_at, timezone.utc).hour == utc_hour
        assert reply.data["figures"].period.key == periods.week_key(monday - timedelta(days=1))  # the week just ended
    assert [ws for ws, _, _, _ in poster.posts] == ["T-paris", "T-ny"]


def test_restart_right_after_posting_does_not_post_again(config, store):
    some_activity(store, "T1", local(2026, 11, 1))
    setup_workspace(store, "T1")
    first = RecordingPoster()
    with time_machine.travel(local(2026, 11, 30, 9, 0, 30), tick=True):
        a = scheduler(config, store, [first])
        a.start()
        try:
            first.wait_posts(1)  # Monday 30 Nov: the weekly summary, caught up 30 s late
            assert a.caught_up.wait(WAIT)
        finally:
            a.stop()
        assert first.kinds() == [("weekly_summary", "T1")]

        second = RecordingPoster()
        again = open_store(config.data_dir)  # a new process would open the data directory afresh
        b = scheduler(config, again, [second])
        b.start()
        try:
            assert b.caught_up.wait(WAIT)
        finally:
            b.stop()
        assert b.last_catch_up[("T1", "weekly")] == ALREADY
        assert second.posts == []


def test_down_from_the_28th_to_the_2nd_posts_the_monthly_summary_once_on_start(config, store):
    some_activity(store, "T1", local(2026, 10, 20))
    setup_workspace(store, "T1")
    poster = RecordingPoster()
    clock = Clock(local(2026, 11, 28, 18))
    before = scheduler(config, store, [poster], clock=clock)
    assert before.catch_up() == {("T1", "weekly"): LATE, ("T1", "monthly"): LATE}  # Saturday: nothing due

    clock.set(local(2026, 12, 2, 10))  # back on Wednesday the 2nd: 1 Dec 09:00 was missed by 25 hours
    outcomes = scheduler(config, open_store(config.data_dir), [poster], clock=clock).catch_up()
    assert outcomes == {("T1", "weekly"): POSTED, ("T1", "monthly"): POSTED}  # Monday 30 Nov too, 2 days late
    monthly = [r for _, _, r, _ in poster.posts if r.kind == "monthly_summary"]
    assert len(monthly) == 1
    assert monthly[0].data["figures"].period.key == "m:2026-11"
    assert monthly[0].attachments[0].content.startswith(b"\x89PNG")

    clock.set(local(2026, 12, 2, 10, 5))  # and a restart after that posts nothing
    assert set(scheduler(config, open_store(config.data_dir), [poster], clock=clock).catch_up().values()) == {ALREADY}
    assert len(poster.posts) == 2


def test_catch_up_is_bounded_by_the_grace_and_posts_only_the_latest_period(tmp_path):
    cfg = parse_config({"store": {"data_dir": str(tmp_path / "d")}, "schedule": {"grace_days": 2}})
    store = open_store(cfg.data_dir)
    some_activity(store, "T1", local(2026, 10, 20))
    setup_workspace(store, "T1")
    poster = RecordingPoster()
    clock = Clock(local(2026, 12, 3, 10))  # the 1st at 09:00 is 2 days and 1 hour ago: too late
    assert scheduler(cfg, store, [poster], clock=clock).catch_up()[("T1", "monthly")] == LATE
    clock.set(local(2026, 12, 15, 8))  # down for three weeks: only Monday 14th's summary (23 hours late)
    assert scheduler(cfg, store, [poster], clock=clock).catch_up()[("T1", "weekly")] == POSTED
    assert [r.data["figures"].period.key for _, _, r, _ in poster.posts] == ["w:2026-W50"]


CHILD = textwrap.dedent("""
    import json, os, sys, time
    sys.path.insert(0, {root!r})
    from bot.core.config import parse_config
    from bot.scheduler import SummaryScheduler
    from bot.store import open_store

    data, out, go, ready, now = sys.argv[1:6]

    import threading

    class FilePoster:
        sends_direct = False

        def __init__(self):
            self.ready = threading.Event()
            self.ready.set()

        def serves(self, ws):
            return True

        def post_to_channel(self, ws, channel, reply):
            line = json.dumps({{"pid": os.getpid(), "kind": reply.kind, "ws": ws}}) + "\\n"
            with open(out, "a", encoding="utf-8") as fh:
                fh.write(line)
            return True

    cfg = parse_config({{"store": {{"data_dir": data}}}})
    s = SummaryScheduler(cfg, open_store(data), [FilePoster()], clock=lambda: float(now))
    open(ready, "w").close()
    deadline = time.monotonic() + 20
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    print(json.dumps(sorted(f"{{k[1]}}={{v}}" for k, v in s.catch_up().items())))
""")


def test_two_scheduler_processes_on_one_data_directory_post_once(config, store, tmp_path):
    some_activity(store, "T1", local(2026, 10, 20))
    setup_workspace(store, "T1")
    store.close()
    out, go = tmp_path / "posts.jsonl", tmp_path / "go"
    now = str(local(2026, 12, 1, 9, 0, 5).timestamp())  # Tuesday 1st, 09:00:05: the monthly summary is due
    code = CHILD.format(root=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(config.data_dir), str(out), str(go),
                               str(tmp_path / f"ready{i}"), now], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in range(2)]
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"ready{i}").exists() for i in range(2)):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "children did not start"
        time.sleep(0.01)
    go.touch()  # both race for the same claims now
    results = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=60)
        assert p.returncode == 0, stderr
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    posts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # the monthly summary, and Monday's weekly one (a day late, within the grace): each once in all
    assert sorted(p["kind"] for p in posts) == ["monthly_summary", "weekly_summary"]
    for kind in ("monthly", "weekly"):
        assert sorted(r for res in results for r in res if r.startswith(kind + "=")) == [f"{kind}=already",
                                                                                          f"{kind}=posted"]


# ---------------------------------------------------------------------------- exactly once, readiness, failures
def test_a_failed_post_is_logged_and_never_posted_twice(config, store, caplog):
    some_activity(store, "T1", local(2026, 11, 1))
    setup_workspace(store, "T1")
    clock = Clock(local(2026, 11, 30, 9, 1))
    failing = RecordingPoster(ok=False)
    s = scheduler(config, store, [failing], clock=clock)
    with caplog.at_level("WARNING", logger="sobria.scheduler"):
        assert s.run("T1", "weekly") == FAILED
    assert "not retried" in caplog.text
    assert s.run("T1", "weekly") == ALREADY  # the claim stands: no second attempt, no duplicate
    assert len(failing.posts) == 1

    class Exploding(FakeAdapter):
        def post_to_channel(self, *args: Any) -> bool:
            raise RuntimeError("network down")

    setup_workspace(store, "T2")
    assert scheduler(config, store, [Exploding()], clock=clock).run("T2", "weekly") == FAILED


def test_nothing_is_claimed_until_a_poster_is_ready_and_the_job_retries(config, store):
    some_activity(store, "T1", local(2026, 11, 1))
    setup_workspace(store, "T1")
    poster = RecordingPoster()
    poster.ready = threading.Event()  # a platform still connecting
    with time_machine.travel(local(2026, 11, 30, 9, 0, 1), tick=True):
        s = scheduler(config, store, [poster])
        s.start()
        try:
            assert s.caught_up.wait(WAIT)
            assert s.last_catch_up[("T1", "weekly")] == NOT_READY
            retry = s.jobs.get_job("retry|weekly|T1")
            assert retry is not None
            poster.ready.set()
            retry.modify(next_run_time=datetime.now(timezone.utc))
            s.jobs.wakeup()
            poster.wait_posts(1)
        finally:
            s.stop()
    assert poster.kinds() == [("weekly_summary", "T1")]


def test_posters_that_do_not_serve_the_workspace_are_skipped(config, store):
    setup_workspace(store, "T1")
    discord, slack = RecordingPoster(), RecordingPoster()
    discord.serves = lambda ws: ws.isdigit()
    slack.serves = lambda ws: ws.startswith("T")
    clock = Clock(local(2026, 11, 30, 9, 1))
    assert scheduler(config, store, [discord, slack], clock=clock).run("T1", "weekly") == POSTED
    assert (len(discord.posts), len(slack.posts)) == (0, 1)


def test_summaries_are_off_until_a_channel_is_set(config, store):
    some_activity(store, "T1", local(2026, 11, 1))
    setup_workspace(store, "T1", channel=None)
    poster = RecordingPoster()
    clock = Clock(local(2026, 11, 30, 9, 1))
    s = scheduler(config, store, [poster], clock=clock)
    assert s.catch_up() == {("T1", "weekly"): OFF, ("T1", "monthly"): OFF}
    assert poster.posts == []


def test_sync_follows_settings_changes(config, store):
    setup_workspace(store, "T1", channel=None)
    with time_machine.travel(local(2026, 11, 25, 12), tick=True):
        s = scheduler(config, store, [RecordingPoster()])
        s.start()
        try:
            assert s.jobs.get_job("weekly|T1") is None
            store.set_setting("T1", "summary_channel", "C1")
            s.sync()
            assert s.jobs.get_job("weekly|T1").next_run_time == local(2026, 11, 30, 9)
            assert s.jobs.get_job("monthly|T1").next_run_time == local(2026, 12, 1, 9)
            store.set_setting("T1", "timezone", "America/New_York")
            store.set_setting("T1", "weekly_time", "08:15")
            s.sync()
            assert s.jobs.get_job("weekly|T1").next_run_time == local(2026, 11, 30, 8, 15, tz=NEW_YORK)
            store.set_setting("T1", "summary_channel", None)
            s.sync()
            assert s.jobs.get_job("weekly|T1") is None and s.jobs.get_job("monthly|T1") is None
        finally:
            s.stop()


def test_disabled_schedule_starts_nothing(tmp_path):
    cfg = parse_config({"store": {"data_dir": str(tmp_path / "d")}, "schedule": {"enabled": False}})
    s = SummaryScheduler(cfg, open_store(cfg.data_dir), [RecordingPoster()])
    assert s.start() is False and s.jobs is None


# ---------------------------------------------------------------------------- personal nudges
def test_personal_nudges_go_only_to_opted_in_active_members_once(config, store):
    some_activity(store, "T1", local(2026, 11, 1))
    setup_workspace(store, "T1")
    store.update_member("T1", "U1", nudges=True, lang="en")  # active
    store.update_member("T1", "U2", nudges=False)  # active, not opted in
    store.update_member("T1", "U3", name="Zoé", nudges=True)  # opted in, nothing logged
    clock = Clock(local(2026, 11, 30, 9, 1))

    channel_only = ChannelOnlyPoster()
    assert scheduler(config, store, [channel_only], clock=clock).run("T1", "weekly") == POSTED
    # no platform can send a direct message yet: nothing sent, nothing claimed

    poster = RecordingPoster()
    s = scheduler(config, store, [poster], clock=clock)
    assert s.run("T1", "weekly") == ALREADY  # the channel post was made above
    assert [(ws, user) for ws, user, _ in poster.direct] == [("T1", "U1")]
    nudge = poster.direct[0][2]
    assert nudge.kind == "personal_nudge" and nudge.lang == "en" and not nudge.public
    assert "Hugo" not in "\n".join(nudge.text_parts())
    s.run("T1", "weekly")
    assert len(poster.direct) == 1  # once per member and week


# ---------------------------------------------------------------------------- end to end with Slack
def test_monthly_summary_reaches_the_fake_slack_with_its_chart(tmp_path):
    slack_app = pytest.importorskip("adapters.slack.app", reason="the Slack adapter module is not in the tree")
    fake_slack = pytest.importorskip("fake_slack", reason="the fake Slack server is not in the tree")
    with fake_slack.FakeSlack(team_id="T0001") as fake:
        cfg = parse_config({
            "store": {"data_dir": str(tmp_path / "data")},
            "slack": {"mode": "http", "host": "127.0.0.1", "port": 0, "api_url": fake.api_url,
                      "bot_token": "xoxb-test", "signing_secret": "secret"},
        })
        store = open_store(cfg.data_dir)
        some_activity(store, "T0001", local(2026, 10, 20))
        setup_workspace(store, "T0001", channel="C0042")
        # posting asks the engine nothing: the coach only gives the adapter its commands
        adapter = slack_app.SlackAdapter(Coach(cfg, store), cfg, env={})
        with fake_slack.running(adapter):
            outcomes = scheduler(cfg, store, [adapter], clock=Clock(local(2026, 12, 1, 9, 0, 3))).catch_up()
        assert outcomes == {("T0001", "weekly"): POSTED, ("T0001", "monthly"): POSTED}  # Monday's is a day late
        posted = [c.params for c in fake.calls_to("chat.postMessage")]
        assert [p["channel"] for p in posted] == ["C0042", "C0042"]
        headers = [p["blocks"][0]["text"]["text"] for p in posted]
        assert headers[0].startswith("Votre semaine IA") and headers[1].startswith("Novembre 2026")
        (upload,) = fake.uploads
        assert upload[1].startswith(b"\x89PNG")
        (complete,) = fake.calls_to("files.completeUploadExternal")
        assert complete.params.get("channel_id") == "C0042"


def test_a_workspace_no_connected_platform_serves_is_not_retried(config, store):
    """A distributed Slack app's workspace that uninstalled it: its data waits out the grace period, its summaries
    are not retried every minute meanwhile (a platform still connecting is retried, as above)."""
    from bot.scheduler import NOT_SERVED, latest_slot

    some_activity(store, "T1", local(2026, 11, 1))
    setup_workspace(store, "T1")
    slack = RecordingPoster()
    slack.serves = lambda ws: False
    clock = Clock(local(2026, 11, 30, 9, 1))
    s = scheduler(config, store, [slack], clock=clock)
    assert s.run("T1", "weekly") == NOT_SERVED
    week = latest_slot("weekly", s.plan("T1"), clock()).period.key
    assert slack.posts == [] and store.claim_summary("T1", "weekly", week)  # nothing was claimed
