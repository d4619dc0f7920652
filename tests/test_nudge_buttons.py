"""One-click logging, the goal and the pause through Slack: the real adapter (slack-bolt over HTTP) against the
local Slack of `tests/fake_slack.py`, the real coach and store.

A summary is posted by the scheduler as `sobria run` posts it; its buttons are then pressed as Slack sends a
press (a signed `block_actions` interaction), and what reaches "Slack" is checked.
"""

from __future__ import annotations

from datetime import datetime

from bot.reports.summaries import parse_period
from bot.scheduler import POSTED, WEEKLY, SummaryScheduler
from bot.store import AVOIDED, GENERATED
from fake_slack import block_action_payload, send_interaction

from conftest import PARIS
from test_slack_http import (  # noqa: F401  (fixtures)
    SECRET, TEAM, adapter, command, config, fake, header, reply_at, texts, url,
)

NBSP = "\u00a0"


def actions_of(message: dict) -> list[dict]:
    return [e for block in message["blocks"] if block["type"] == "actions" for e in block["elements"]]


def press(url: str, fake, element: dict, user: str = "U1") -> str:
    """Press a button of a message as Slack does; the response URL its answer goes to."""
    button_url = fake.new_response_url()
    sent = send_interaction(url, SECRET, block_action_payload(element["action_id"], element.get("value", ""),
                                                              user_id=user, response_url=button_url))
    assert sent.status == 200
    return button_url


def weekly_summary(url, fake, adapter, config, coach, clock) -> dict:
    reply_at(fake, command(url, fake, "/ia-settings", "summary_channel <#C0042|general>", user="UADMIN")[1])
    scheduler = SummaryScheduler(config, coach.store, [adapter], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(TEAM)
    assert scheduler.publish(plan, WEEKLY, parse_period(WEEKLY, "2026-W47", plan.tz)) == POSTED
    (post,) = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == "C0042"]
    return post.params


def test_a_click_on_plus_one_image_in_the_weekly_summary_logs_one_image(url, fake, adapter, config, coach, clock,
                                                                        store) -> None:
    summary = weekly_summary(url, fake, adapter, config, coach, clock)
    buttons = actions_of(summary)
    assert [(b["text"]["text"], b.get("value")) for b in buttons] == [
        ("+1 image", "image"), ("+1 texte long", "doc"), ("J’ai évité une génération", "avoid")]
    assert len({b["action_id"] for b in buttons}) == 3  # Slack wants them distinct within a block

    answer = reply_at(fake, press(url, fake, buttons[0]))
    events = store.member_events(TEAM, "U1")
    assert [(e.type, e.kind, e.count) for e in events] == [(GENERATED, "image", 1)]
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False  # the summary stays
    # one line, and its Undo button
    assert header(answer) == f"Fait{NBSP}: 1 image notée. Pour annuler{NBSP}: le bouton ou /ia-undo."
    assert [b["type"] for b in answer["blocks"]] == ["header", "actions"]
    (undo,) = actions_of(answer)
    assert undo["action_id"] == "sobria:undo" and undo["value"] == events[0].id

    undone = reply_at(fake, press(url, fake, undo))
    assert header(undone).startswith("Enregistrement annulé") and store.member_events(TEAM, "U1") == []


def test_each_member_logs_their_own_click_and_the_avoided_one_counts_as_avoided(url, fake, adapter, config, coach,
                                                                                clock, store) -> None:
    buttons = actions_of(weekly_summary(url, fake, adapter, config, coach, clock))
    reply_at(fake, press(url, fake, buttons[1], user="U2"))
    reply_at(fake, press(url, fake, buttons[2], user="U1"))
    assert [(e.type, e.kind) for e in store.member_events(TEAM, "U2")] == [(GENERATED, "doc")]
    assert [(e.type, e.kind) for e in store.member_events(TEAM, "U1")] == [(AVOIDED, "image")]


def test_the_app_home_carries_the_buttons_and_a_click_there_shows_on_top(url, fake, adapter, store) -> None:
    reply_at(fake, command(url, fake, "/ia-me", "objectif 4")[1])
    view = fake.wait_for(lambda: fake.calls_to("views.publish"))[-1].params["view"]
    home_buttons = actions_of(view)
    assert [b["text"]["text"] for b in home_buttons[:3]] == ["+1 image", "+1 texte long", "J’ai évité une génération"]
    assert any(f"Cette semaine{NBSP}: 0 sur 4 générations comptées" in t for t in texts(view))
    published = len(fake.calls_to("views.publish"))
    sent = send_interaction(url, SECRET, block_action_payload(home_buttons[0]["action_id"], "image", user_id="U1",
                                                              in_home=True))
    assert sent.status == 200
    view = fake.wait_for(lambda: len(fake.calls_to("views.publish")) > published
                         and fake.calls_to("views.publish"))[-1].params["view"]
    assert view["blocks"][0]["text"]["text"] == (f"Fait{NBSP}: 1 image notée (cette semaine{NBSP}: 1 pour un "
                                                 f"objectif de 4). Pour annuler{NBSP}: le bouton ou /ia-undo.")
    assert any(f"Cette semaine{NBSP}: 1 sur 4 générations comptées" in t for t in texts(view))
    assert [e.kind for e in store.member_events(TEAM, "U1")] == ["image"]


def test_the_personal_nudge_by_direct_message_carries_the_buttons(url, fake, adapter, config, coach, clock,
                                                                  store) -> None:
    reply_at(fake, command(url, fake, "/ia-me", "nudges on")[1])
    reply_at(fake, command(url, fake, "/ia-log", "image 2")[1])
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=PARIS))
    scheduler = SummaryScheduler(config, coach.store, [adapter], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(TEAM)
    assert scheduler.send_nudges(plan, parse_period(WEEKLY, "2026-W48", plan.tz)) == {"U1": POSTED}
    (dm,) = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == "U1"]
    assert [b.get("value") for b in actions_of(dm.params)] == ["image", "doc", "avoid", "nudges off"]


def test_goal_and_pause_through_slack(url, fake, adapter, store) -> None:
    saved = reply_at(fake, command(url, fake, "/ia-me", "objectif 5")[1])
    assert header(saved).startswith(f"Objectif enregistré{NBSP}: au plus 5 générations par semaine")
    assert store.member(TEAM, "U1")["goal"] == 5
    paused = reply_at(fake, command(url, fake, "/ia-me", "pause 2 semaines")[1])
    assert header(paused) == "En pause jusqu’au 8 décembre 2026 inclus."
    refused = reply_at(fake, command(url, fake, "/ia-me", "pause jusqu'au hier")[1])
    assert header(refused) == "Pause invalide"
    back = reply_at(fake, command(url, fake, "/ia-me", "reprise")[1])
    assert header(back).startswith("Bon retour") and store.member(TEAM, "U1")["paused_until"] is None
