"""A member's pause (/ia-me pause, reprise) and a workspace's closing weeks (/ia-settings fermeture): what is
stored, what is refused, and what the scheduler then does not send, across week boundaries and DST.

Slack and Discord are in test_nudge_buttons*.py; the console is driven here through `ConsoleAdapter`.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from adapters.console import ConsoleAdapter
from bot.commands import parse
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.habits import goals
from bot.reports.summaries import parse_period
from bot.scheduler import CLOSED, PAUSED, POSTED, WEEKLY, SummaryScheduler

from conftest import PARIS, text_of
from test_goals_streaks import Poster, at, log

NBSP = "\u00a0"
WS, USER = "T1", "U1"
CFG = parse_config({})


# ---------------------------------------------------------------------------- reading what is typed
@pytest.mark.parametrize(("typed", "value"), [
    ("pause 2 semaines", ("for", 2, "week")), ("pause deux semaines", ("for", 2, "week")),
    ("pause 2 weeks", ("for", 2, "week")), ("pause 10 jours", ("for", 10, "day")), ("pause 10j", ("for", 10, "day")),
    ("pause 1 mois", ("for", 1, "month")), ("vacances 3 sem", ("for", 3, "week")),
    ("pause jusqu'au 2026-08-23", ("until", date(2026, 8, 23))),
    ("pause jusqu’au 23/08/2026", ("until", date(2026, 8, 23))),
    ("pause jusqu'à 2026-08-23", ("until", date(2026, 8, 23))),
    ("pause until 2026-08-23", ("until", date(2026, 8, 23))), ("pause 2026-08-23", ("until", date(2026, 8, 23))),
])
def test_a_pause_is_read_as_people_type_it(typed: str, value: tuple) -> None:
    request = parse("ia-me", typed, CFG)
    assert (request.action, request.value) == ("pause", value)


def test_a_pause_ends_the_day_before_the_same_weekday() -> None:
    wednesday = date(2026, 3, 25)
    assert goals.pause_end(wednesday, 2, "week") == date(2026, 4, 7)  # back on Wednesday 8 April
    assert goals.pause_end(wednesday, 1, "day") == wednesday
    assert goals.is_paused({"paused_until": "2026-04-07"}, date(2026, 4, 7))
    assert not goals.is_paused({"paused_until": "2026-04-07"}, date(2026, 4, 8))
    assert not goals.is_paused({"paused_until": "not a date"}, date(2026, 4, 1))  # damaged: not paused


# ---------------------------------------------------------------------------- the command
def test_pause_and_resume_in_french_and_english(say, store, clock) -> None:
    paused = say("/ia-me pause 2 semaines")  # Wednesday 25 November 2026
    assert paused.kind == "paused" and paused.title == "En pause jusqu’au 8 décembre 2026 inclus."
    assert paused.lines == (f"Aucun rappel personnel d’ici là. /ia-me reprise pour revenir plus tôt.",)
    assert store.member(WS, USER)["paused_until"] == "2026-12-08"
    assert "En pause jusqu’au 8 décembre 2026 inclus." in text_of(say("/ia-me"))
    assert say("/ia-me reprise").title == f"Bon retour{NBSP}: vos rappels personnels reprennent."
    assert store.member(WS, USER)["paused_until"] is None
    say("/ia-me lang en")
    assert say("/ia-me pause until 2027-01-01").title == "On pause until 1 January 2027 included."
    assert say("/ia-me resume").title == "Welcome back: your personal nudges resume."
    assert say("/ia-me resume").title == "You were not on pause."


@pytest.mark.parametrize(("typed", "key"), [
    ("pause", "bad_pause"), ("pause demain", "bad_pause"), ("pause 2 lunes", "bad_pause"),
    ("pause jusqu'au 2026-02-30", "bad_pause"), ("pause jusqu'au 2026-11-24", "pause_past"),
    ("pause 2 ans", "bad_pause"), ("pause 60 semaines", "pause_too_long"), ("pause until 2028-01-01", "pause_too_long"),
    ("reprise maintenant", "bad_me"),
])
def test_a_pause_that_cannot_be_taken_is_refused_in_one_sentence(say, store, typed: str, key: str) -> None:
    refused = say(f"/ia-me {typed}")
    assert not refused.ok and refused.data["error"] == key, text_of(refused)
    assert len(refused.lines) == 2 and refused.lines[1].startswith("Forme")  # what is wrong, then the usage
    assert goals.paused_until(store.member(WS, USER) or {}) is None


def test_a_pause_without_a_length_asks_for_one(say) -> None:
    assert say("/ia-me pause").lines[0] == ("Dites pour combien de temps\u00a0: une durée (2 semaines, 10 jours) ou un "
                                            "dernier jour (jusqu’au 2026-08-23).")


def test_a_past_day_is_named_as_a_date(say) -> None:
    assert say("/ia-me pause jusqu'au 2026-11-24").lines[0] == \
        f"Le 24 novembre 2026 est déjà passé{NBSP}: donnez un jour à partir d’aujourd’hui."


def test_a_pause_counts_days_in_the_workspaces_calendar_across_the_autumn_change(say, store, clock) -> None:
    clock.set(datetime(2026, 10, 25, 0, 30, tzinfo=PARIS))  # Sunday 25 October 00:30, still summer time (22:30 UTC)
    say("/ia-me pause 1 semaine")
    assert store.member(WS, USER)["paused_until"] == "2026-10-31"  # Saturday: back on Sunday 1 November
    clock.set(datetime(2026, 10, 26, 0, 30, tzinfo=PARIS))  # Monday 00:30, winter time: Sunday 23:30 in UTC
    say("/ia-me pause 1 jour")
    assert store.member(WS, USER)["paused_until"] == "2026-10-26"


def test_the_console_pauses_and_resumes(coach, config, store) -> None:
    console = ConsoleAdapter(coach, config, stdin=io.StringIO(""), stdout=io.StringIO(),
                             sender=Sender(WS, USER, "Camille", "console"))
    assert console.handle_line("/ia-me pause jusqu'au 2026-12-24").startswith("En pause jusqu’au 24 décembre 2026")
    assert store.member(WS, USER)["paused_until"] == "2026-12-24"
    assert console.handle_line("/ia-me reprise").startswith("Bon retour")


# ---------------------------------------------------------------------------- the scheduler
def nudging(coach, config, store, clock, say, admin):
    say("/ia-settings summary_channel C1", who=admin)
    say("/ia-me nudges on")
    log(store, at(2026, 3, 17), "image", 2)
    poster = Poster()
    return poster, SummaryScheduler(config, store, [poster], impact=coach.impact, renderer=coach.r, clock=clock)


def test_a_paused_member_gets_no_personal_nudge_until_the_pause_ends(coach, config, store, clock, say, admin) -> None:
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    poster, scheduler = nudging(coach, config, store, clock, say, admin)
    say("/ia-me pause jusqu'au 2026-03-29")  # the last Sunday of March, when summer time starts
    week = parse_period("weekly", "2026-W12", PARIS)
    clock.set(datetime(2026, 3, 29, 23, 59, tzinfo=PARIS))
    assert scheduler.send_nudges(scheduler.plan(WS), week) == {USER: PAUSED}
    clock.set(datetime(2026, 3, 30, 0, 1, tzinfo=PARIS))  # Monday, back: still Sunday 22:01 in UTC
    assert scheduler.send_nudges(scheduler.plan(WS), week) == {USER: POSTED}
    assert [user for user, _ in poster.direct] == [USER]


# ---------------------------------------------------------------------------- closing weeks
def test_closing_weeks_are_declared_listed_and_removed(say, store, admin) -> None:
    saved = say("/ia-settings fermeture 2026-08-05 2026-08-20", who=admin)  # Wednesday to Thursday
    assert saved.title == ("Fermeture enregistrée du 3 au 23 août 2026\u00a0: aucun bilan hebdomadaire n’est publié "
                           "et la zone n’est pas jugée.")  # the whole weeks it touches
    say("/ia-settings closing 2026-12-24 2027-01-03", who=admin)
    say("/ia-settings closing 2026-12-24 2027-01-03", who=admin)  # declared twice, kept once
    assert store.settings(WS)["closing"] == [["2026-08-05", "2026-08-20"], ["2026-12-24", "2027-01-03"]]
    listed = text_of(say("/ia-settings", who=admin))
    assert "Semaines de fermeture\u00a0: du 5 au 20 août 2026, du 24 décembre 2026 au 3 janvier 2027." in listed
    assert say("/ia-settings fermeture off", who=admin).title.startswith("Semaines de fermeture supprimées")
    assert store.settings(WS)["closing"] == []


@pytest.mark.parametrize("typed", ["2026-08-23 2026-08-03", "2026-08-03", "demain", "2026-08-03 2027-09-01",
                                   "2026-13-01 2026-13-02"])
def test_a_closing_that_makes_no_sense_is_refused(say, store, admin, typed: str) -> None:
    refused = say(f"/ia-settings fermeture {typed}", who=admin)
    assert not refused.ok and refused.data["error"] == "bad_value"
    assert "le premier et le dernier jour de fermeture" in refused.lines[0]
    assert "closing" not in store.settings(WS)


def test_members_cannot_declare_closing_weeks(say, store) -> None:
    assert not say("/ia-settings fermeture 2026-08-03 2026-08-23").ok
    assert "closing" not in store.settings(WS)


def test_no_weekly_summary_about_or_during_a_closing_week(coach, config, store, clock, say, admin) -> None:
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    poster, scheduler = nudging(coach, config, store, clock, say, admin)
    say("/ia-settings fermeture 2026-03-25 2026-03-27", who=admin)  # in W13 (23-29 March)
    clock.set(datetime(2026, 3, 23, 9, 0, 30, tzinfo=PARIS))  # Monday of W13: the summary about W12, sent in W13
    assert scheduler.run(WS, WEEKLY) == CLOSED
    clock.set(datetime(2026, 3, 30, 9, 0, 30, tzinfo=PARIS))  # Monday of W14, summer time: the summary about W13
    assert scheduler.run(WS, WEEKLY) == CLOSED
    assert poster.posts == [] and poster.direct == []
    clock.set(datetime(2026, 4, 6, 9, 0, 30, tzinfo=PARIS))  # about W14: open again
    assert scheduler.run(WS, WEEKLY) == POSTED
    (channel, summary), = poster.posts
    assert channel == "C1" and [b.value for b in summary.buttons] == ["image", "doc", "avoid"]


def test_a_closing_week_is_not_judged_for_streaks(say, store, clock, admin) -> None:
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    say("/ia-me objectif 1")
    log(store, at(2026, 3, 17))  # W12: 1
    log(store, at(2026, 3, 24), "image", 8)  # W13: 8, over the goal...
    log(store, at(2026, 3, 31))  # W14: 1
    clock.set(datetime(2026, 4, 8, 10, 0, tzinfo=PARIS))
    assert "Série" in say("/ia-me objectif").lines[0] and "1 semaine" in say("/ia-me objectif").lines[0]
    say("/ia-settings fermeture 2026-03-23 2026-03-29", who=admin)  # ...but W13 was a closing week
    assert say("/ia-me objectif").lines[0].endswith(f"Série{NBSP}: 2 semaines d’affilée dans votre objectif.")
    clock.set(datetime(2026, 3, 25, 10, 0, tzinfo=PARIS))
    assert say("/ia-me objectif").lines[0] == (f"Semaine de fermeture{NBSP}: votre objectif n’est pas jugé "
                                               "cette semaine.")


def test_the_monthly_summary_shows_closing_weeks_unjudged_and_the_team_streak_skips_them(coach, config, store,
                                                                                          clock, say, admin) -> None:
    from bot.scheduler import MONTHLY, build_summary

    say("/ia-settings summary_channel C1", who=admin)
    for week in range(6):  # every week from 6 July to 16 August 2026: 3 images, green...
        log(store, at(2026, 7, 7) + week * 7 * 86400, "image", 3, user="U2")
    log(store, at(2026, 8, 12), "image", 200, user="U2")  # ...but 200 more in W33 (10-16 August): red
    log(store, at(2026, 8, 25), "image", 3, user="U2")  # W35: green
    plan = SummaryScheduler(config, store, [Poster()], impact=coach.impact, renderer=coach.r, clock=clock).plan(WS)
    august = parse_period(MONTHLY, "2026-08", PARIS)
    before = build_summary(MONTHLY, plan, august, store, coach.impact, coach.r, with_chart=False)
    assert not any("d’affilée" in line for line in before.lines)  # W35 alone after the red W33
    say("/ia-settings fermeture 2026-08-10 2026-08-14", who=admin)  # the team was closed that week
    plan = SummaryScheduler(config, store, [Poster()], impact=coach.impact, renderer=coach.r, clock=clock).plan(WS)
    summary = build_summary(MONTHLY, plan, august, store, coach.impact, coach.r)
    weeks = next(line for line in summary.lines if line.startswith("Générations comptées par semaine"))
    closed = [row for row in weeks.splitlines() if row.startswith("⏸️")]
    assert len(closed) == 1 and "10" in closed[0] and closed[0].endswith("(semaine de fermeture, non jugée)")
    assert "🔴" not in weeks  # the red week was a closing week: not judged
    # W28 to W32 and W35 are green; W33 is a closing week and W34 has nothing logged: skipped, not broken
    assert f"🟢 6 semaines vertes d’affilée pour l’équipe{NBSP}: continuez\u202f!" in summary.lines
    assert summary.attachments and summary.attachments[0].content.startswith(b"\x89PNG")  # the chart still draws


def test_members_on_pause_are_left_out_of_the_weekly_count_of_who_has_not_logged(coach, config, store, clock, say,
                                                                                  admin) -> None:
    from bot.scheduler import build_summary

    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    hugo, ines = Sender(WS, "U2", "Hugo", "console"), Sender(WS, "U3", "Inès", "console")
    say("/ia-me", who=hugo)
    say("/ia-me", who=ines)  # Camille (U1), Hugo and Inès are known to the workspace
    log(store, at(2026, 3, 17), "image", 2, user="U2")  # only Hugo logs in W12
    say("/ia-me pause 2 semaines")  # Camille is away
    plan = SummaryScheduler(config, store, [Poster()], impact=coach.impact, renderer=coach.r, clock=clock).plan(WS)
    week = parse_period("weekly", "2026-W12", PARIS)
    lines = build_summary(WEEKLY, plan, week, store, coach.impact, coach.r).lines
    assert (f"1 membre n’a rien noté la semaine dernière{NBSP}: un clic sur un bouton ci-dessous suffit." in lines)
    assert "Inès" not in text_of(build_summary(WEEKLY, plan, week, store, coach.impact, coach.r))  # a count, no name
    say("/ia-me reprise")
    lines = build_summary(WEEKLY, plan, week, store, coach.impact, coach.r).lines
    assert any(line.startswith("2 membres n’ont rien noté") for line in lines)


def test_in_a_closing_week_stats_and_the_home_say_the_zone_is_not_judged(coach, say, store, clock, admin,
                                                                         member) -> None:
    log(store, clock.now - 60, "image", 150)  # would be red
    assert say("/ia-stats").zone == "red"
    say("/ia-settings fermeture 2026-11-23 2026-11-27", who=admin)  # this week (Wednesday 25 November)
    for reply in (say("/ia-stats"), coach.home(member)):
        assert not reply.zone and "🔴" not in reply.zone_line()
        assert reply.zone_line() == (f"⏸️ Semaine de fermeture{NBSP}: la zone n’est pas jugée (150 générations "
                                     "comptées (images, vidéos, audio, textes longs)).")
    clock.set(datetime(2026, 11, 30, 10, 0, tzinfo=PARIS))  # the next week is judged again
    log(store, clock.now - 60, "image", 150)
    assert say("/ia-stats").zone == "red"


def test_in_a_closing_week_the_log_and_avoid_replies_do_not_judge_the_zone(say, store, clock, admin) -> None:
    log(store, clock.now - 60, "image", 150)  # would be red
    say("/ia-settings fermeture 2026-11-23 2026-11-27", who=admin)  # this week (Wednesday 25 November)
    for typed, said in (("/ia-log image", "1 image notée"), ("/ia-avoid image", "1 image évitée")):
        reply = say(typed)
        assert reply.ok and not reply.zone
        assert said in reply.title and reply.title.endswith("⏸️ semaine de fermeture, non jugée")
        assert "🔴" not in " ".join(reply.text_parts())
    clock.set(datetime(2026, 11, 30, 10, 0, tzinfo=PARIS))  # the next week is judged again
    log(store, clock.now - 60, "image", 150)
    assert say("/ia-log image").title.endswith("🔴 zone rouge : 151 générations comptées cette semaine".replace(" :", f"{NBSP}:"))
