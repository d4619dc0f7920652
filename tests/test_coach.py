"""The coach, tested as conversations: a member sends a command, we read the reply.

These tests hold for every front-end: adapters only format the Reply.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.store import open_store

from conftest import PARIS, text_of


def figures(store, ws="T1", key="all"):
    return store.counts(ws, PARIS, [key])[key]


# ------------------------------------------------------------------ logging


def test_log_image_answers_with_footprint_zone_and_undo(say, store, coach, member) -> None:
    reply = say("/ia-log image 2")
    assert reply.ok and reply.kind == "logged" and reply.lang == "fr"
    assert reply.title == "2 images notées · 🟢 zone verte\u00a0: 2 générations comptées cette semaine"
    assert reply.zone == "green" and reply.lines == ("≈ 0,5 recharge de téléphone (0,08 à 2 selon le modèle)",)
    assert [b.action for b in reply.buttons] == ["undo", "details"]
    details = coach.action("details", reply.data["event_id"], member)
    assert details.ok and "Zone verte" in details.zone_text and any("Wh" in f.value for f in details.facts)
    assert figures(store)["U1"].generations == 2


def test_log_with_a_prompt_scores_it_and_says_iterations(say, store, coach, member) -> None:
    reply = say("/ia-log text 3 Tu es juriste. Rédige une clause.")
    assert reply.lines[-1].startswith("Score RCT\u00a0: 60/100 (à compléter) — 2 essais de plus")
    assert "ajoutez le contexte dès le départ" in reply.lines[-1]
    details = coach.action("details", reply.data["event_id"], member)
    assert details.rct is not None and {p.key for p in details.rct.parts} >= {"role", "context", "task"}
    event = store.member_events("T1", "U1")[0]
    assert event.rct["parts"]["role"] is True and event.rct["parts"]["task"] is True
    assert event.text is None  # prompt texts are not kept by default


def test_good_prompt_scores_high_and_bare_one_low(say) -> None:
    good = say("/ia-score Tu es community manager. Notre boulangerie ouvre samedi à Lyon. Rédige un post Instagram de 3 lignes.")
    bare = say("/ia-score un logo")
    assert good.rct.score >= 80 and all(p.present for p in good.rct.parts if p.key in ("role", "context", "task"))
    assert bare.rct.score < 40
    missing = {p.key for p in bare.rct.parts if not p.present and not p.optional}
    assert missing == {"role", "context", "task"}
    assert all(p.hint for p in bare.rct.parts if p.key in missing)


def test_low_score_offers_details_that_reopen_the_advice(say, coach, member, store) -> None:
    reply = say("/ia-log image midjourney un logo")
    assert reply.data["event_id"]
    actions = [b.action for b in reply.buttons]
    assert actions == ["undo", "details"]
    details = next(b for b in reply.buttons if b.action == "details")
    advice = coach.action("details", details.value, member)
    score = store.member_events("T1", "U1")[0].rct["score"]
    assert advice.rct is not None and advice.rct.score == score and f"{score}/100" in advice.rct.summary
    assert any(p.hint for p in advice.rct.parts)
    # the "improve" button of replies posted before « Details » still answers
    assert coach.action("improve", details.value, member).rct.score == score


def test_tool_is_recorded_and_picks_its_zone(say, store) -> None:
    say("/ia-log text mistral Résume ce compte rendu")
    event = store.member_events("T1", "U1")[0]
    assert event.tool == "mistral" and event.zone == "SWE"


def test_prompts_are_kept_only_when_the_workspace_opts_in(say, store, admin) -> None:
    assert say("/ia-settings store_prompts on", who=admin).ok
    say("/ia-log text Rédige un slogan")
    assert store.member_events("T1", "U1")[0].text == "Rédige un slogan"


@pytest.mark.parametrize(
    "line",
    ["/ia-log", "/ia-log foo", "/ia-log image 0", "/ia-log image -3", "/ia-log image 1e9", "/ia-log image 51",
     "/ia-score", "/ia-score    ", "/ia-log text " + "x" * 50_000, "/ia-log text bonjour\x07", "/ia-foo",
     "/ia-stats year", "/ia-undo now", "/ia-me dance", "/ia-avoid"],
)
def test_bad_input_gets_a_short_french_reply_and_logs_nothing(say, store, line: str) -> None:
    reply = say(line)
    assert not reply.ok and reply.kind == "error"
    assert reply.lang == "fr" and len(text_of(reply)) < 1200
    assert any("/ia-" in x for x in reply.lines)  # shows the right form or the commands
    assert figures(store) == {}


def test_unknown_command_lists_the_commands(say) -> None:
    reply = say("/ia-foo")
    assert "ia-foo" in reply.lines[0] and "/ia-log" in text_of(reply) and "/ia-help" in text_of(reply)


def test_english_member_gets_english_errors_and_replies(say) -> None:
    assert say("/ia-me lang en").title.startswith("Noted")
    err = say("/ia-log image 0")
    assert err.lang == "en" and "whole number from 1 to 50" in text_of(err)
    ok = say("/ia-log image 2")
    assert ok.title == "2 images logged · 🟢 green zone: 2 generations counted this week"


def test_workspace_language_applies_to_members_without_one(say, admin) -> None:
    say("/ia-settings lang en", who=admin)
    assert say("/ia-log text").title.startswith("1 text logged · ")


# ------------------------------------------------------------------ zones


@pytest.mark.parametrize("n, zone", [(19, "green"), (20, "orange"), (100, "orange"), (101, "red")])
def test_every_log_shows_where_the_week_stands(coach, n: int, zone: str) -> None:
    others = [Sender("T1", f"U{i}", f"M{i}", "console") for i in range(3)]
    remaining = n
    i = 0
    while remaining > 0:
        c = min(50, remaining)
        coach.handle("ia-log", f"{('image', 'doc', 'video')[i % 3]} {c}", others[i % 3])
        remaining -= c
        i += 1
    reply = coach.handle("ia-stats", "", others[0])
    assert reply.zone == zone


def test_zone_thresholds_follow_workspace_settings(say, admin) -> None:
    say("/ia-settings green_max 3", who=admin)
    assert say("/ia-log image 2").zone == "green"
    assert say("/ia-log image 1").zone == "orange"
    bad = say("/ia-settings orange_max 2", who=admin)
    assert not bad.ok


def test_the_week_restarts_on_monday_in_the_workspace_zone(say, clock) -> None:
    clock.set(datetime(2026, 11, 29, 23, 0, tzinfo=PARIS))  # Sunday evening
    say("/ia-log image 30")
    assert say("/ia-stats").zone == "orange"
    clock.set(datetime(2026, 11, 30, 0, 30, tzinfo=PARIS))  # Monday 00:30 (still Sunday in UTC)
    assert say("/ia-stats").zone == "green"


# ------------------------------------------------------------------ avoided, stats, leaderboard


def test_avoid_thanks_and_shows_savings(say, store, coach, member) -> None:
    reply = say("/ia-avoid image 2 réutilisé la photo du catalogue")
    assert reply.ok and reply.kind == "avoided" and "2 images" in reply.title
    assert reply.lines[0].startswith("Économie estimée") and "réutilisé la photo du catalogue" in reply.lines[1]
    assert coach.action("details", reply.data["event_id"], member).facts and figures(store)["U1"].avoided == 2
    assert store.member_events("T1", "U1")[0].text is None


def test_avoid_has_a_daily_limit(say, store, clock) -> None:
    assert say("/ia-avoid image 6").ok
    refused = say("/ia-avoid image 5")
    assert not refused.ok and refused.kind == "avoid_limit" and "10" in text_of(refused)
    assert figures(store)["U1"].avoided == 6
    assert say("/ia-avoid text 4").ok
    clock.advance(24 * 3600)
    assert say("/ia-avoid text 10").ok


def test_stats_week_and_month(say, coach, clock) -> None:
    other = Sender("T1", "U2", "Léa", "console")
    say("/ia-log image 3")
    say("/ia-log text Tu es juriste. Notre PME de Nantes signe un bail. Rédige une clause de résiliation.")
    coach.handle("ia-avoid", "image 2", other)
    week = say("/ia-stats")
    assert week.kind == "stats" and not week.public
    facts = {f.label: f.value for f in week.facts}
    assert facts["Vous"].startswith("4 générations, 0 évitée")
    assert facts["L’équipe"].startswith("4 générations, 2 évitées")
    assert "score RCT moyen" in facts["Vous"]
    clock.advance(-10 * 86400)
    say("/ia-log image 5")
    clock.advance(10 * 86400)
    month = say("/ia-stats mois public")
    assert month.public and {f.label: f.value for f in month.facts}["Vous"].startswith("9 générations")


def test_leaderboard_ranks_ties_and_hides_opted_out(coach, say) -> None:
    people = {n: Sender("T1", f"U-{n}", n, "console") for n in ("Ana", "Bob", "Cyd", "Dan")}
    for name, count in (("Ana", 5), ("Bob", 5), ("Cyd", 3), ("Dan", 9)):
        coach.handle("ia-avoid", f"text {count}", people[name])
    coach.handle("ia-me", "leaderboard off", people["Dan"])
    top = coach.handle("ia-top", "", people["Cyd"])
    assert top.lines[:3] == ("1. Ana\u00a0: 5 évitées", "1. Bob\u00a0: 5 évitées", "3. Cyd\u00a0: 3 évitées")
    assert "Dan" not in text_of(top)
    assert [r[2] for r in top.data["rows"]] == ["Ana", "Bob", "Cyd"]
    assert "Dan" not in text_of(coach.handle("ia-top", "tout public", people["Ana"]))


# ------------------------------------------------------------------ undo


def test_undo_removes_the_last_recent_log_only(say, store, clock) -> None:
    say("/ia-log image 2")
    clock.advance(60)
    say("/ia-log text 4")
    assert say("/ia-undo").kind == "undone"
    assert figures(store)["U1"].generations == 2
    clock.advance(16 * 60)
    late = say("/ia-undo")
    assert late.kind == "undo_none" and not late.ok
    assert figures(store)["U1"].generations == 2


def test_undo_button_only_works_for_its_owner(say, coach, store) -> None:
    reply = say("/ia-log image 2")
    intruder = Sender("T1", "U9", "Eve", "console")
    assert coach.action("undo", reply.data["event_id"], intruder).kind == "undo_none"
    assert coach.action("undo", reply.data["event_id"], Sender("T1", "U1", "Camille", "console")).kind == "undone"
    assert figures(store) == {}


# ------------------------------------------------------------------ the member's data


def test_export_returns_all_of_the_members_data(say) -> None:
    say("/ia-log image 2")
    say("/ia-avoid text")
    say("/ia-me nudges on")
    reply = say("/ia-me export")
    assert reply.kind == "export" and len(reply.attachments) == 1
    data = json.loads(reply.attachments[0].content)
    assert len(data["events"]) == 2 and data["preferences"]["nudges"] is True and data["user"] == "U1"


def test_forget_needs_confirmation_then_leaves_nothing(say, coach, store, config) -> None:
    other = Sender("T1", "U2", "Léa", "console")
    say("/ia-log image 2")
    say("/ia-avoid text 3")
    say("/ia-me nudges on")
    coach.handle("ia-log", "text", other)
    assert say("/ia-me forget").kind == "forget_ask"
    assert figures(store)["U1"].generations == 2  # nothing erased before confirmation
    assert say("/ia-me forget confirm").kind == "forgotten"
    assert "U1" not in figures(store) and store.member("T1", "U1") is None
    assert store.member_events("T1", "U1") == []
    assert figures(store)["U2"].generations == 1
    for f in (config.data_dir / "workspaces" / "T1").rglob("*.json"):
        content = f.read_text()
        assert '"U1"' not in content and "Camille" not in content


def test_preferences_and_their_buttons(say, coach, member) -> None:
    show = say("/ia-me")
    assert show.kind == "me" and {b.value for b in show.buttons} == {"nudges on", "leaderboard off", "lang en"}
    assert coach.action("pref", "nudges on", member).kind == "pref"
    assert "nudges off" in {b.value for b in say("/ia-me").buttons}


# ------------------------------------------------------------------ settings and help


def test_settings_are_for_admins_only(say, store, admin) -> None:
    refused = say("/ia-settings timezone America/New_York")
    assert refused.kind == "notice:admin_only" and not refused.ok
    assert store.settings("T1") == {}
    assert say("/ia-settings timezone America/New_York", who=admin).ok
    assert store.settings("T1")["timezone"] == "America/New_York"
    assert "America/New_York" in text_of(say("/ia-settings", who=admin))


def test_config_admins_are_admins(tmp_path, clock) -> None:
    cfg = parse_config({"bot": {"admins": ["U1"]}, "store": {"data_dir": str(tmp_path)}})
    coach = Coach(cfg, open_store(tmp_path), clock=clock)
    assert coach.handle("ia-settings", "zone FRA", Sender("T1", "U1", "A", "slack")).ok
    assert not coach.handle("ia-settings", "zone MARS", Sender("T1", "U1", "A", "slack")).ok


def test_help_lists_every_command_with_an_example(say, admin) -> None:
    from bot.commands import CATALOGUE

    reply = say("/ia-help", who=admin)
    labels = " ".join(f.label for f in reply.facts)
    assert all(f"/{c.name}" in labels for c in CATALOGUE)
    assert all("/ia-" in f.value for f in reply.facts)  # each entry carries its example
    member_help = say("/ia-help")
    assert "/ia-settings" not in " ".join(f.label for f in member_help.facts)
    assert say("/ia-help log").kind == "help_command"
    method = say("/ia-help methode")
    assert method.kind == "help_method" and len(method.lines) > 3


def test_workspaces_are_isolated(coach) -> None:
    a = Sender("TA", "U1", "Ana", "slack")
    b = Sender("TB", "U1", "Ana", "slack")
    coach.handle("ia-log", "image 7", a)
    coach.handle("ia-avoid", "image 2", a)
    stats_b = coach.handle("ia-stats", "", b)
    assert {f.label: f.value for f in stats_b.facts}["L’équipe"].startswith("0 génération")
    assert coach.handle("ia-undo", "", b).kind == "undo_none"
    assert "Ana" not in text_of(coach.handle("ia-top", "tout", b))


def test_the_coach_never_raises(coach, member, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(coach.store, "add_event", broken)
    reply = coach.handle("ia-log", "image", member)
    assert reply.kind == "notice:internal_error" and not reply.ok


def test_a_refused_write_says_not_saved(coach, member, monkeypatch) -> None:
    from bot.core.errors import StoreWriteError

    def full(*args, **kwargs):
        raise StoreWriteError("No space left on device", "x.json")

    monkeypatch.setattr(coach.store, "add_event", full)
    reply = coach.handle("ia-log", "image", member)
    assert reply.kind == "notice:not_saved" and "Réessayez" in text_of(reply)


def test_every_template_renders_in_both_languages(coach) -> None:
    for lang in ("fr", "en"):
        for key in ("dm_refused", "internal_error", "admin_only", "not_saved", "rate_limited", "console_welcome"):
            reply = coach.notice(key, lang)
            assert reply.title and reply.lines, (lang, key)


# ------------------------------------------------------------------ teams


def test_teams_join_leave_and_team_leaderboard_per_member(coach, admin) -> None:
    small = [Sender("T1", f"S{i}", f"Small{i}", "console") for i in range(3)]
    big = [Sender("T1", f"B{i}", f"Big{i}", "console") for i in range(6)]
    for s in small:
        assert coach.handle("ia-team", "join Compta", s).kind == "team"
        coach.handle("ia-avoid", "text 3", s)
    for s in big:
        coach.handle("ia-team", "rejoindre Marketing digital", s)
        coach.handle("ia-avoid", "text 2", s)
    top = coach.handle("ia-top", "", admin)
    teams = top.data["teams"]
    assert [(t.team, t.avoided, t.members) for t in teams] == [("Compta", 9, 3), ("Marketing digital", 12, 6)]
    assert top.facts[0].label.endswith("Compta")
    listing = coach.handle("ia-team", "", small[0])
    assert listing.data["teams"]["Compta"] == ["S0", "S1", "S2"] and "Compta" in listing.lines[-1]
    coach.handle("ia-team", "leave", small[0])
    assert "S0" not in coach.handle("ia-team", "list", small[0]).data["teams"]["Compta"]


def test_admins_map_platform_groups_to_teams(coach, admin) -> None:
    member = Sender("T1", "U7", "Gil", "discord", groups=("555",))
    assert coach.handle("ia-team", "map <@&555> Ventes", member).kind == "notice:admin_only"
    assert coach.handle("ia-team", "map <@&555> Ventes", admin).ok
    coach.handle("ia-avoid", "image", member)
    assert coach.handle("ia-team", "", member).data["teams"] == {"Ventes": ["U7"]}
    coach.handle("ia-team", "join Compta", member)  # an explicit choice wins over the mapping
    assert coach.handle("ia-team", "", member).data["teams"] == {"Compta": ["U7"]}
    assert coach.handle("ia-team", "unmap 555", admin).ok


def test_schedule_settings(say, admin, store) -> None:
    assert say("/ia-settings weekly_day vendredi", who=admin).ok
    assert say("/ia-settings weekly_time 8h30", who=admin).ok
    assert say("/ia-settings monthly_day 2", who=admin).ok
    assert store.settings("T1") == {"weekly_day": 4, "weekly_time": "08:30", "monthly_day": 2}
    assert not say("/ia-settings monthly_day 31", who=admin).ok


def test_a_burst_of_logs_is_refused_politely_and_not_stored(coach, member, store, clock) -> None:
    for _ in range(30):
        assert coach.handle("ia-log", "text", member).ok
    refused = coach.handle("ia-log", "text", member)
    assert refused.kind == "notice:rate_limited" and not refused.ok
    assert coach.handle("ia-avoid", "text", member).kind == "notice:rate_limited"
    assert coach.action("quick", "image", member).kind == "notice:rate_limited"  # a one-click log is a log
    assert coach.handle("ia-stats", "", member).ok  # reading is never limited
    other = Sender("T1", "U2", "Léa", "console")
    assert coach.handle("ia-log", "text", other).ok  # the limit is per member
    assert store.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 30
    clock.advance(61)
    assert coach.handle("ia-log", "text", member).ok


def test_report_in_chat_is_for_admins_and_attaches_the_file(say, admin, clock) -> None:
    say("/ia-log image 2")
    assert say("/ia-report 2026-11").kind == "notice:admin_only"
    assert say("/ia-settings name Boulangerie <Dupont>", who=admin).ok
    html = say("/ia-report 2026-11", who=admin)
    assert html.kind == "report" and html.attachments[0].mime.startswith("text/html")
    assert b"Boulangerie &lt;Dupont&gt;" in html.attachments[0].content
    csv = say("/ia-report 2026-11 csv", who=admin)
    assert csv.attachments[0].filename.endswith(".csv")
    last_month = say("/ia-report", who=admin)
    assert last_month.data["period"] == "2026-10"
    for bad in ("2030", "2026-13", "novembre", "2026-11 2026-12"):
        err = say(f"/ia-report {bad}", who=admin)
        assert err.kind == "error" and err.data["error"] == "bad_report_period"


def test_a_log_counts_the_week_of_the_zone_the_workspace_just_chose(open_either_store, config, clock,
                                                                    member, admin) -> None:
    """/ia-log reads the member's week with its first read (one round trip on PostgreSQL), in the zone the
    workspace had last time: when an admin has just changed it, that week is set aside and the week of the new
    zone is counted. Two coaches on one store, as two processes: the second learns the change from the store."""
    from bot.core.coach import Coach

    store = open_either_store()
    first, second = Coach(config, store, clock=clock), Coach(config, open_either_store(), clock=clock)

    def log(coach: Coach, text: str) -> int:
        return coach.handle("ia-log", text, member).data["week_count"]

    clock.set(datetime(2026, 11, 29, 10, 0, tzinfo=PARIS))  # Sunday 22:00 in Auckland: the same week there
    assert log(first, "image 3") == 3 and log(second, "image 1") == 4
    assert first.handle("ia-settings", "timezone Pacific/Auckland", admin).ok
    clock.set(datetime(2026, 11, 29, 12, 30, tzinfo=PARIS))  # still Sunday in Paris, Monday 00:30 in Auckland
    assert log(second, "image 2") == 2  # a new week there, not 6
    assert log(second, "image 1") == 3 and log(first, "image 1") == 4
