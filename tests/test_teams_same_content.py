"""Every command through the Teams adapter shows what the console shows; summaries and nudges go out proactively.

Each command's example from the catalogue's words is sent to the running
adapter (signed activities, tests/fake_teams.py) and, in a second data
directory with the same clock, to the engine as the console renders it
(`adapters.console.render_text`): the card that reaches the fake Connector
must hold the same lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters.console import render_text
from adapters.teams.app import TeamsAdapter
from bot.commands import CATALOGUE
from bot.core.coach import Coach
from bot.core.config import Config
from bot.core.identity import Sender
from bot.core.render import Renderer
from bot.reports.summaries import last_complete
from bot.scheduler import MONTHLY, POSTED, WEEKLY, SummaryScheduler
from bot.store import Store, open_store
from tests.conftest import PARIS, Clock
from tests.fake_teams import OUTBOUND_TOKEN, TENANT, FakeTeams
from tests.test_teams_adapter import Running, card_lines, teams_config


@pytest.fixture
def fake() -> Iterator[FakeTeams]:
    with FakeTeams() as f:
        yield f


@dataclass
class TeamsBot:
    """The engine on a data directory of its own, with the Teams adapter that serves it (once `Running`)."""

    clock: Clock
    config: Config
    store: Store
    coach: Coach
    adapter: TeamsAdapter


@pytest.fixture
def bot(tmp_path: Path, fake: FakeTeams) -> Iterator[TeamsBot]:
    clock = Clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))
    config = teams_config(tmp_path, fake)
    store = open_store(config.data_dir)
    coach = Coach(config, store, clock=clock)
    yield TeamsBot(clock, config, store, coach,
                   TeamsAdapter(coach, config, env={}, token_provider=lambda scope, tenant: OUTBOUND_TOKEN))
    store.close()


def console_lines(reply: Any) -> list[str]:
    out = []
    for line in render_text(reply).split("\n"):
        for sep in (" : ", ": "):
            if line.startswith("  • ") and sep in line:
                label, _, value = line[4:].partition(sep)
                line = f"{label}\x00{value}"
                break
        out.append(line.strip())  # the console indents the RCT parts
    return out


def teams_lines(card: dict[str, Any]) -> list[str]:
    return [part.strip() for line in card_lines(card) for part in line.split("\n")]


def examples() -> list[tuple[str, str]]:
    words = Renderer().data("fr", "commands")
    out = []
    for command in CATALOGUE:
        example = str(words[command.name].get("example") or f"/{command.name}")
        out.append((command.name, example))
    return out


def test_every_command_shows_the_same_content_as_the_console(tmp_path: Path, fake: FakeTeams, bot: TeamsBot) -> None:
    console_config = teams_config(tmp_path / "console", fake)
    console_store = open_store(console_config.data_dir)
    console = Coach(console_config, console_store, clock=bot.clock)
    lines = examples()
    assert {name for name, _ in lines} == {c.name for c in CATALOGUE}
    with Running(bot.adapter) as running:
        for i, (name, example) in enumerate(lines, start=1):
            admin = CATALOGUE.find(name).admin_only
            user = "boss" if admin else "u1"
            sender = Sender(TENANT, f"aad-{user}", "Camille Martin", "teams", is_admin=admin, locale="fr-FR")
            command, _, text = example.lstrip("/").partition(" ")
            expected = console.handle(command, text, sender)
            status, _ = fake.post(running.endpoint, fake.activity(example, user=user))
            assert status == 200, example
            sent = fake.wait_for(i)[-1]
            assert teams_lines(sent.card()) == console_lines(expected), example
            bot.clock.advance(120)  # past the rate limit and undo windows alike, on both sides
    console_store.close()


def test_a_monthly_summary_with_its_chart_and_a_weekly_nudge_are_sent_proactively(fake: FakeTeams,
                                                                                 bot: TeamsBot) -> None:
    with Running(bot.adapter) as running:
        # installed in a team: its channel becomes the summary channel
        fake.post(running.endpoint, fake.activity(kind="conversationUpdate", conversation_type="channel",
                                                  membersAdded=[{"id": "28:" + bot.config.teams.app_id}]))
        # a member logs in a personal chat and asks for personal nudges
        for line in ("ia-log image 3", "ia-avoid image 2", "ia-me nudges on"):
            fake.post(running.endpoint, fake.activity(line))
        fake.wait_for(3)
        scheduler = SummaryScheduler(bot.config, bot.store, [bot.adapter], clock=bot.clock, impact=bot.coach.impact,
                                     renderer=bot.coach.r)
        plan = scheduler.plan(TENANT)
        assert plan.channel is not None
        # the events of this month count in December's summary of November
        december = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
        bot.clock.set(december)
        month = last_complete(MONTHLY, december.date(), plan.tz)
        assert scheduler.publish(plan, MONTHLY, month) == POSTED
        summary = fake.wait_for(4)[-1]
        assert summary.conversation == "19:general@thread.tacv2"
        assert summary.authorization == f"Bearer {OUTBOUND_TOKEN}"
        card = summary.card()
        [chart] = [e for e in card["body"] if e["type"] == "Image"]
        assert chart["url"].startswith("data:image/png;base64,")
        assert len(json.dumps(summary.body).encode()) < 28_000  # Teams' limit for a bot message
        # exactly once
        assert scheduler.publish(plan, MONTHLY, month) != POSTED
        week = last_complete(WEEKLY, december.date(), plan.tz)
        outcomes = scheduler.send_nudges(plan, week)
        assert set(outcomes) == {"aad-u1"}
        nudges = [s for s in fake.sent[4:] if s.conversation == "a:chat-u1"]
        assert nudges, outcomes


def test_a_refused_proactive_message_is_false_not_an_exception(fake: FakeTeams, bot: TeamsBot) -> None:
    adapter, coach = bot.adapter, bot.coach
    with Running(adapter) as running:
        fake.post(running.endpoint, fake.activity(kind="installationUpdate", action="add"))
        fake.refuse = True
        assert adapter.send_direct(TENANT, "aad-u1", coach.notice("rate_limited", "fr")) is False
        assert adapter.post_to_channel(TENANT, "teams-0000000000000000", coach.notice("rate_limited", "fr")) is False
    assert adapter.send_direct(TENANT, "aad-u1", coach.notice("rate_limited", "fr")) is False  # stopped
