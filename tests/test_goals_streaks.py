"""A member's weekly goal and its streak (`bot.habits`): the rules, /ia-me objectif on the console, the App Home,
/ia-stats, the personal nudge, the team's green streak, across week boundaries and daylight-saving changes.

The logs are stored at chosen local times (the store's own `add_events`), so each week holds exactly what the
test says; the coach's clock is set the same way. Slack and Discord are in test_nudge_buttons*.py.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest

from adapters.console import ConsoleAdapter
from bot.core.identity import Sender
from bot.habits import goals
from bot.habits.goals import GoalWeek, Progress
from bot.reports.summaries import parse_period
from bot.scheduler import MONTHLY, SummaryScheduler
from bot.store import AVOIDED, GENERATED, Event

from conftest import PARIS, text_of

NBSP, NNBSP = "\u00a0", "\u202f"
WS, USER = "T1", "U1"


def at(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> float:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS).timestamp()


def log(store, when: float, kind: str = "image", count: int = 1, user: str = USER, type_: str = GENERATED,
        ws: str = WS) -> None:
    store.add_events(ws, [Event(f"e{when}{kind}{user}{type_}", when, user, type_, kind, count, "FRA")])


class Poster:
    """A front-end that keeps what it is handed (the scheduler's summaries and nudges)."""

    sends_direct = True

    def __init__(self) -> None:
        import threading

        self.ready = threading.Event()
        self.ready.set()
        self.posts: list = []
        self.direct: list = []

    def serves(self, workspace_id: str) -> bool:
        return True

    def post_to_channel(self, workspace_id: str, channel_id: str, reply) -> bool:
        self.posts.append((channel_id, reply))
        return True

    def send_direct(self, workspace_id: str, user_id: str, reply) -> bool:
        self.direct.append((user_id, reply))
        return True

    def run_forever(self) -> None:
        pass

    def stop(self) -> None:
        pass


# ---------------------------------------------------------------------------- the rules
def test_a_streak_counts_weeks_within_the_goal_and_skips_weeks_without_logs_or_closed() -> None:
    mondays = [date(2026, 6, 29) - timedelta(days=7 * i) for i in range(6)]  # newest first
    weeks = [GoalWeek(mondays[0], 2, True), GoalWeek(mondays[1], 0, False),  # nothing logged: skipped
             GoalWeek(mondays[2], 9, True, closed=True),  # a closing week, over the goal: not judged
             GoalWeek(mondays[3], 3, True), GoalWeek(mondays[4], 4, True),  # over the goal of 3: the streak ends
             GoalWeek(mondays[5], 0, True)]
    assert goals.streak(weeks, 3) == 2
    assert goals.streak(weeks, 4) == 4  # the 4 is within a goal of 4
    assert goals.streak(weeks, 4, since=mondays[3] + timedelta(days=2)) == 2  # weeks before the goal do not count
    assert goals.streak([], 3) == 0


def test_progress_says_within_left_and_when_to_cheer() -> None:
    assert Progress(5, 3, 2, complete=False).left == 2 and not Progress(5, 3, 2, complete=False).celebrate
    assert Progress(5, 5, 1, complete=True).celebrate  # the week just over extended the streak
    assert not Progress(5, 6, 0, complete=True).within and Progress(5, 6, 0, complete=True).left == 0
    assert not Progress(5, 1, 3, complete=True, closed=True).celebrate


def test_a_changed_goal_keeps_the_streaks_start_and_off_forgets_it() -> None:
    first = goals.goal_fields({}, 5, date(2026, 3, 18))
    assert first == {"goal": 5, "goal_since": "2026-03-16"}  # the Monday of the week it was set
    assert goals.goal_fields(first, 3, date(2026, 4, 8)) == {"goal": 3, "goal_since": "2026-03-16"}
    assert goals.goal_fields(first, None, date(2026, 4, 8)) == {"goal": None, "goal_since": None}
    assert goals.goal_of({"goal": True}) is None and goals.goal_of({"goal": "5"}) is None  # damaged: no goal


# ---------------------------------------------------------------------------- /ia-me objectif
def test_goal_is_set_shown_and_removed_in_french_and_english(say, clock) -> None:
    none = say("/ia-me objectif")
    assert none.kind == "goal" and "/ia-me objectif 5" in text_of(none)
    saved = say("/ia-me objectif 5")
    assert saved.kind == "goal_saved"
    assert saved.title == ("Objectif enregistré\u00a0: au plus 5 générations par semaine parmi les types que la zone "
                           "compte (images, vidéos, audio, textes longs).")
    assert saved.lines == (f"Cette semaine{NBSP}: 0 sur 5 générations comptées, dans votre objectif.",)
    assert "au plus 5 générations comptées" in text_of(say("/ia-me"))
    say("/ia-me lang en")
    assert say("/ia-me goal 0").title.startswith("Goal saved: at most 0 generations a week")
    assert say("/ia-me goal off").title == "Weekly goal removed."
    assert say("/ia-me goal").lines[0].startswith("No weekly goal yet: /ia-me goal 5 sets one")


@pytest.mark.parametrize("typed", ["objectif beaucoup", "objectif 1001", "objectif -3", "objectif 5 6", "goal 2.5"])
def test_a_goal_that_is_no_number_is_refused_in_one_sentence(say, store, typed: str) -> None:
    refused = say(f"/ia-me {typed}")
    assert not refused.ok and refused.data["error"] == "bad_goal"
    assert "n’est pas un objectif" in refused.lines[0] and "de 0 à 1" in refused.lines[0]
    assert goals.goal_of(store.member(WS, USER) or {}) is None


def test_the_goal_counts_only_the_kinds_the_zone_counts(say, store, clock) -> None:
    say("/ia-me objectif 2")
    log(store, clock.now - 60, "text", 9)  # short texts: logged, not counted by the zone
    log(store, clock.now - 50, "image", 2)
    log(store, clock.now - 40, "image", 3, type_=AVOIDED)  # avoided: never counted against the goal
    assert say("/ia-me objectif").lines == (f"Cette semaine{NBSP}: 2 sur 2 générations comptées, dans votre objectif.",)
    log(store, clock.now - 30, "doc", 1)
    assert say("/ia-me objectif").lines[0].startswith(f"Cette semaine{NBSP}: 3 générations comptées, au-delà de "
                                                      "votre objectif de 2")


# ---------------------------------------------------------------------------- streaks across weeks and DST
def spring_weeks(store) -> None:
    """W12 (16-22 March 2026): 3 images. W13 (23-29 March, summer time from Sunday 29 at 02:00): 2 on Monday and
    1 on Sunday at 23:30 summer time. W14: 1 on Monday 30 at 00:30, which is still Sunday 29 in UTC."""
    log(store, at(2026, 3, 17), "image", 3)
    log(store, at(2026, 3, 23), "image", 2)
    log(store, at(2026, 3, 29, 23, 30))
    log(store, at(2026, 3, 30, 0, 30))


def test_the_streak_follows_paris_weeks_across_the_spring_change(say, store, clock, member) -> None:
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    say("/ia-me objectif 3")
    spring_weeks(store)
    clock.set(datetime(2026, 4, 1, 10, 0, tzinfo=PARIS))
    shown = say("/ia-me objectif").lines[0]
    # a week counted in UTC would hold the Monday 00:30 log in W13 (4 > 3): no streak, and W14 empty
    assert shown == (f"Cette semaine{NBSP}: 1 sur 3 générations comptées, dans votre objectif. "
                     f"Série{NBSP}: 2 semaines d’affilée dans votre objectif."), shown


def test_the_streak_follows_paris_weeks_across_the_autumn_change(say, store, clock) -> None:
    clock.set(datetime(2026, 10, 14, 10, 0, tzinfo=PARIS))  # W42
    say("/ia-me objectif 1")
    log(store, at(2026, 10, 15))  # W42: 1
    log(store, at(2026, 10, 25, 23, 30))  # W43 (winter time from Sunday 25 at 03:00): 1, at 22:30 UTC
    log(store, at(2026, 10, 26, 0, 30))  # W44: Monday 00:30 is Sunday 23:30 in UTC
    clock.set(datetime(2026, 10, 26, 8, 0, tzinfo=PARIS))
    assert say("/ia-me objectif").lines[0].endswith(f"Série{NBSP}: 2 semaines d’affilée dans votre objectif.")
    clock.set(datetime(2026, 10, 25, 23, 59, tzinfo=PARIS))  # still W43: the streak is W42's alone
    assert say("/ia-me objectif").lines[0] == (f"Cette semaine{NBSP}: 1 sur 1 génération comptée, dans votre objectif. "
                                               f"Série{NBSP}: 1 semaine dans votre objectif.")


def test_a_week_over_the_goal_ends_the_streak_and_the_next_starts_afresh(say, store, clock) -> None:
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    say("/ia-me objectif 3")
    spring_weeks(store)
    log(store, at(2026, 4, 2), "image", 5)  # W14: 6 in all, over 3
    clock.set(datetime(2026, 4, 8, 10, 0, tzinfo=PARIS))  # W15
    assert "Série" not in say("/ia-me objectif").lines[0]
    clock.set(datetime(2026, 4, 3, 10, 0, tzinfo=PARIS))
    assert say("/ia-me objectif").lines[0].startswith(f"Cette semaine{NBSP}: 6 générations comptées, au-delà")


def test_the_console_sets_the_goal_and_shows_the_streak(coach, config, store, clock) -> None:
    console = ConsoleAdapter(coach, config, stdin=io.StringIO(""), stdout=io.StringIO(),
                             sender=Sender(WS, USER, "Camille", "console"))
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    assert console.handle_line("/ia-me objectif 3").startswith("Objectif enregistré")
    spring_weeks(store)
    clock.set(datetime(2026, 4, 1, 10, 0, tzinfo=PARIS))
    printed = console.handle_line("/ia-stats")
    assert f"Série{NBSP}: 2 semaines d’affilée dans votre objectif." in printed, printed


def test_the_home_and_stats_show_the_goal(coach, say, store, clock, member) -> None:
    home = coach.home(member)
    assert home.lines[0].startswith(f"Pas encore d’objectif{NBSP}: /ia-me objectif 5")
    assert [b.value for b in home.buttons[:3]] == ["image", "doc", "avoid"]  # one-click logging first
    assert not any("objectif" in line for line in say("/ia-stats").lines)  # no goal, nothing said in /ia-stats
    say("/ia-me objectif 4")
    log(store, clock.now - 60, "image", 1)
    assert coach.home(member).lines == (f"Cette semaine{NBSP}: 1 sur 4 générations comptées, dans votre objectif.",)
    assert f"Cette semaine{NBSP}: 1 sur 4 générations comptées, dans votre objectif." in say("/ia-stats").lines


# ---------------------------------------------------------------------------- the nudge, the month
def test_the_personal_nudge_cheers_a_kept_goal_and_never_shames(coach, config, store, clock, say) -> None:
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    say("/ia-me objectif 3")
    say("/ia-me nudges on")
    spring_weeks(store)
    poster = Poster()
    scheduler = SummaryScheduler(config, store, [poster], impact=coach.impact, renderer=coach.r, clock=clock)
    clock.set(datetime(2026, 3, 30, 9, 0, tzinfo=PARIS))  # Monday: the nudge about W13
    plan = scheduler.plan(WS)
    scheduler.send_nudges(plan, parse_period("weekly", "2026-W13", PARIS))
    (user, nudge), = poster.direct
    assert user == USER and not nudge.public
    assert (f"Objectif tenu{NBSP}: 3 sur 3. 🎉 2 semaines d’affilée dans votre objectif{NNBSP}!") in nudge.lines
    assert [b.value for b in nudge.buttons] == ["image", "doc", "avoid", "nudges off"]
    log(store, at(2026, 4, 2), "image", 5)
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=PARIS))
    scheduler.send_nudges(plan, parse_period("weekly", "2026-W14", PARIS))
    over = poster.direct[-1][1]
    assert (f"Objectif{NBSP}: 6 générations comptées pour un objectif de 3. Nouvelle semaine, nouveau départ."
            in over.lines)
    assert not any("🎉" in line for line in over.lines)


def test_the_monthly_summary_shows_the_teams_green_weeks_in_a_row(coach, config, store, clock, admin, say) -> None:
    say("/ia-settings summary_channel C1", who=admin)
    for week in range(5):  # W10 to W14 of 2026, green; W9 red
        log(store, at(2026, 3, 2) + week * 7 * 86400, "image", 3, user="U2")
    log(store, at(2026, 2, 24), "image", 150, user="U2")
    scheduler = SummaryScheduler(config, store, [Poster()], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(WS)
    from bot.scheduler import build_summary

    march = build_summary(MONTHLY, plan, parse_period(MONTHLY, "2026-03", PARIS), store, coach.impact, coach.r,
                          with_chart=False)
    # March's last whole week is W13 (23-29): W10-W13 are green in a row, W9 is red
    assert f"🟢 4 semaines vertes d’affilée pour l’équipe{NBSP}: continuez{NNBSP}!" in march.lines
    february = build_summary(MONTHLY, plan, parse_period(MONTHLY, "2026-02", PARIS), store, coach.impact, coach.r,
                             with_chart=False)
    assert not any("d’affilée" in line for line in february.lines)  # W9 was red


def test_the_teams_green_streak_reads_weeks_only_until_it_ends(store) -> None:
    """Weeks are read a few at a time, newest first (six, then twice as many): a team that was not green last
    week costs six weeks' reads, not a year's; a streak longer than the first six weeks is still counted whole."""
    from bot.core.zones import Thresholds
    from bot.habits.progress import team_green_streak

    asked: list[str] = []
    totals = store.totals

    class Counting:
        def totals(self, workspace, tz, keys):
            asked.extend(keys)
            return totals(workspace, tz, keys)

    log(store, at(2026, 3, 25), "image", 150, user="U2")  # W13 red
    assert team_green_streak(Counting(), WS, PARIS, Thresholds(), (), date(2026, 3, 29)) == 0
    assert len(asked) == 6
    asked.clear()
    for week in range(9):  # W15 to W23 green, one image each
        log(store, at(2026, 4, 7) + week * 7 * 86400, "image", 1, user="U2")
    assert team_green_streak(Counting(), WS, PARIS, Thresholds(), (), date(2026, 6, 7)) == 9  # W23 ends 7 June
    assert len(asked) == 18  # 6, then 12: W13, red, is in the second chunk


def test_the_weekly_summary_cheers_streaks_of_leaderboard_members_only(coach, config, store, clock, say,
                                                                        admin) -> None:
    camille, ines, hugo = (Sender(WS, u, n, "console") for u, n in (("U1", "Camille"), ("U3", "Inès"),
                                                                    ("U4", "Hugo")))
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    for who in (camille, ines, hugo):
        say("/ia-me objectif 3", who=who)
    say("/ia-me leaderboard off", who=ines)  # she keeps her goal too, privately
    for user in ("U1", "U3", "U4"):
        log(store, at(2026, 3, 17), "image", 1, user=user)  # W12: within for all
    log(store, at(2026, 3, 24), "image", 1, user="U1")  # W13: Camille and Inès within, Hugo over
    log(store, at(2026, 3, 24), "image", 1, user="U3")
    log(store, at(2026, 3, 24), "image", 9, user="U4")
    from bot.scheduler import build_summary

    plan = SummaryScheduler(config, store, [Poster()], impact=coach.impact, renderer=coach.r, clock=clock).plan(WS)
    summary = build_summary("weekly", plan, parse_period("weekly", "2026-W13", PARIS), store, coach.impact, coach.r)
    cheers = [line for line in summary.lines if "Objectifs tenus" in line]
    assert cheers == [f"Objectifs tenus semaine après semaine{NBSP}: Camille (2 semaines). 🎉"]
    assert "Hugo" not in text_of(summary) and "Inès" not in text_of(summary)  # no shame, no one opted out
    one_week = build_summary("weekly", plan, parse_period("weekly", "2026-W12", PARIS), store, coach.impact, coach.r)
    assert not any("Objectifs tenus" in line for line in one_week.lines)  # a single week is not yet a streak
