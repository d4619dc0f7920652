"""One-click logging, the goal and the pause through Discord: the real discord.py client (the adapter, in its own
thread and event loop) against the local Discord of `tests/fake_discord.py`, the real coach and store.

The weekly summary is posted by the scheduler in a server's channel and the personal nudge by direct message,
as `sobria run` sends them; their buttons are then pressed as Discord sends a press.
"""

from __future__ import annotations

from datetime import datetime

from adapters.discord.embeds import build_embed
from bot.reports.summaries import parse_period
from bot.scheduler import POSTED, WEEKLY, SummaryScheduler
from bot.store import AVOIDED, GENERATED
from fake_discord import WAIT

from conftest import PARIS
from test_discord_live import (  # noqa: F401  (fixtures)
    GUILD, MEMBER, OTHER, Recording, _no_token_from_the_environment, ask, body, bot, embed, fake, is_ephemeral,
    recording,
)

NBSP = "\u00a0"


def button_ids(message: dict) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row["components"]]


def scheduler_for(bot, coach, config, clock) -> SummaryScheduler:
    assert bot.ready.wait(WAIT)  # the scheduler offers a summary only to a connected front-end
    return SummaryScheduler(config, coach.store, [bot], impact=coach.impact, renderer=coach.r, clock=clock)


def test_a_click_on_plus_one_image_in_the_weekly_summary_logs_one_image(bot, fake, recording: Recording, coach,
                                                                        config, clock, store) -> None:
    channel = fake.guilds[0].channel_ids[1]
    store.set_setting(GUILD, "summary_channel", str(channel))
    scheduler = scheduler_for(bot, coach, config, clock)
    plan = scheduler.plan(GUILD)
    assert scheduler.publish(plan, WEEKLY, parse_period(WEEKLY, "2026-W47", plan.tz)) == POSTED
    message = next(m for m in fake.messages.values() if m["channel_id"] == str(channel))
    assert button_ids(message) == ["sobria:quick:image", "sobria:quick:doc", "sobria:quick:avoid"]
    labels = [c["label"] for row in message["components"] for c in row["components"]]
    assert labels == ["+1 image", "+1 texte long", "J’ai évité une génération"]

    pressed = fake.click("sobria:quick:image", message, user=MEMBER)
    answer = fake.wait_answer(pressed)
    entry, action, value, sender, reply = recording.last()
    assert (entry, action, value, sender.workspace_id) == ("action", "quick", "image", GUILD)
    events = store.member_events(GUILD, str(MEMBER.id))
    assert [(e.type, e.kind, e.count) for e in events] == [(GENERATED, "image", 1)]
    assert is_ephemeral(answer)  # only the member sees it; the summary stays for the others
    assert embed(answer) == build_embed(reply).to_dict()
    assert reply.title == f"Fait{NBSP}: 1 image notée. Pour annuler{NBSP}: le bouton ou /ia-undo." and not reply.lines
    assert button_ids(body(answer)) == [f"sobria:undo:{events[0].id}"]

    other = fake.wait_answer(fake.click("sobria:quick:avoid", message, user=OTHER))
    assert is_ephemeral(other)
    assert [(e.type, e.kind) for e in store.member_events(GUILD, str(OTHER.id))] == [(AVOIDED, "image")]

    undone = fake.wait_answer(fake.click(f"sobria:undo:{events[0].id}", fake.message_for(pressed), user=MEMBER))
    assert recording.last()[4].kind == "undone" and is_ephemeral(undone)
    assert store.member_events(GUILD, str(MEMBER.id)) == []


def test_the_personal_nudge_buttons_work_in_the_direct_message(bot, fake, recording: Recording, coach, config,
                                                               clock, store) -> None:
    ask(fake, "ia-me", {"action": "nudges on"})  # Camille is a member of the server and wants her nudge
    ask(fake, "ia-log", {"kind": "image", "count": 2})
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=PARIS))
    scheduler = scheduler_for(bot, coach, config, clock)
    plan = scheduler.plan(GUILD)
    assert scheduler.send_nudges(plan, parse_period(WEEKLY, "2026-W48", plan.tz)) == {str(MEMBER.id): POSTED}
    dm = fake.dm_channel_of(MEMBER.id)
    message = next(m for m in fake.messages.values() if m["channel_id"] == str(dm))
    assert button_ids(message)[:3] == [f"sobria:quick@{GUILD}:image", f"sobria:quick@{GUILD}:doc",
                                       f"sobria:quick@{GUILD}:avoid"]
    fake.wait_answer(fake.click(f"sobria:quick@{GUILD}:doc", message, user=MEMBER))
    assert recording.last()[3].workspace_id == GUILD  # the server named in the button, though pressed in a DM
    assert [(e.kind, e.count) for e in store.member_events(GUILD, str(MEMBER.id))] == [("image", 2), ("doc", 1)]


def test_goal_and_pause_through_discord(bot, fake, recording: Recording, store) -> None:
    sent, answer = ask(fake, "ia-me", {"action": "goal", "value": "5"})
    assert recording.last()[2] == "goal 5"
    assert embed(answer)["title"].startswith(f"Objectif enregistré{NBSP}: au plus 5 générations par semaine")
    assert store.member(GUILD, str(MEMBER.id))["goal"] == 5
    sent, answer = ask(fake, "ia-me", {"action": "pause", "value": "2 semaines"})
    assert recording.last()[2] == "pause 2 semaines" and recording.last()[4].kind == "paused"
    assert store.member(GUILD, str(MEMBER.id))["paused_until"] == "2026-12-08"
    sent, answer = ask(fake, "ia-me", {"action": "resume"})
    assert recording.last()[4].kind == "resumed" and store.member(GUILD, str(MEMBER.id))["paused_until"] is None
    sent, answer = ask(fake, "ia-me", {"action": "pause", "value": "demain"})
    assert recording.last()[4].data["error"] == "bad_pause" and is_ephemeral(answer)
