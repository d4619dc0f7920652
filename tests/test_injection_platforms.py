"""Names and text that try to ping or to hide a link, shown inert on every Slack and Discord output path.

Display names come from the platform and team names from members: both are
echoed in leaderboards (`/ia-top`), in the App Home and in the monthly
summary the scheduler posts to a channel. A member called "<!channel>",
"@everyone" or "<@U123>" must appear as exactly that text and ping no one;
a team called like a masked link must not become one.

Slack: `<`, `>` and `&` are escaped in every text object and in the
notification text, and mrkdwn is sent verbatim (no automatic links or
mentions). Discord: markdown and mentions are escaped in the embed, and
every message says `allowed_mentions: {"parse": []}`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

import pytest

from adapters.discord.app import DiscordAdapter
from adapters.slack.app import SlackAdapter
from adapters.slack.blocks import all_texts
from bot.core.config import parse_config
from bot.scheduler import MONTHLY, POSTED, SummaryScheduler
from bot.reports.summaries import parse_period
from fake_discord import WAIT, FakeDiscord, FakeUser, answer_body
from fake_discord import running as running_discord
from fake_slack import FakeSlack, running, send_slash_command, slash_payload, http_config

BOT = "xoxb-injection-bot-token"
SECRET = "injection-signing-secret"
TEAM = "T0001"
GUILD = "111111111111111111"
SUMMARY_CHANNEL_SLACK = "C0042"

# (Slack user id, display name, avoided generations): the first three make the summary's top three
SLACK_MEMBERS = [
    ("U1", "<!channel>", 4),
    ("U2", "<@U123>", 3),
    ("U3", "<https://evil.example|Cliquez ici>", 2),
    ("U4", "<!here> @everyone &lt;!here&gt;", 1),
]
SLACK_TEAM_NAME = "<!subteam^S1|@v> <https://e.vil|go>"  # within the 40 characters of a team name


# ---------------------------------------------------------------------------- Slack
def slack_inert(payload: dict[str, Any]) -> str:
    """Check a message or view is inert for Slack; return it dumped, to look for the escaped names."""
    for text in all_texts(payload):
        assert "<" not in text and ">" not in text, text  # no markup left for Slack to read
        assert not re.search(r"&(?!amp;|lt;|gt;)", text), text  # every & is one of ours
    blocks = payload.get("blocks") or []
    mrkdwn = [o for o in _objects(blocks) if o.get("type") == "mrkdwn"]
    assert all(o.get("verbatim") is True for o in mrkdwn)  # no automatic links or mentions either
    return json.dumps(payload, ensure_ascii=False)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _objects(item)


@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        for user, name, _ in SLACK_MEMBERS:
            server.add_user(user, name)
        yield server


@pytest.fixture
def config(tmp_path, fake):
    return http_config(tmp_path / "data", fake, BOT, SECRET)


@pytest.fixture
def adapter(coach, config):
    with running(SlackAdapter(coach, config, env={})) as running_adapter:
        yield running_adapter


def slack_command(adapter, fake, name: str, text: str, user: str) -> dict[str, Any]:
    url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
    response_url = fake.new_response_url()
    assert send_slash_command(url, SECRET, slash_payload(name, text, user_id=user, response_url=response_url)).status \
        == 200
    return fake.wait_for(lambda: fake.delivered_to(response_url))[0]


def test_slack_leaderboard_home_and_monthly_summary_show_hostile_names_inert(adapter, fake, store, coach, config,
                                                                              clock):
    for user, _, avoided in SLACK_MEMBERS:
        slack_command(adapter, fake, "/ia-avoid", f"text {avoided}", user)
    slack_command(adapter, fake, "/ia-team", f"join {SLACK_TEAM_NAME}", "U1")

    top = slack_inert(slack_command(adapter, fake, "/ia-top", "mois public", "U2"))
    for shown in ("&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;https://evil.example|Cliquez ici&gt;",
                  "&lt;!here&gt; @everyone &amp;lt;!here&amp;gt;",  # shown as typed, entity included
                  "&lt;!subteam^S1|@v&gt; &lt;https://e.vil|go&gt;"):
        assert shown in top, shown

    home = fake.wait_for(lambda: [c for c in fake.calls_to("views.publish") if c.params["user_id"] == "U1"])[-1]
    assert "&lt;!channel&gt;" in slack_inert(home.params["view"])

    store.set_setting(TEAM, "summary_channel", SUMMARY_CHANNEL_SLACK)
    scheduler = SummaryScheduler(config, store, [adapter], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(TEAM)
    assert scheduler.publish(plan, MONTHLY, parse_period(MONTHLY, "2026-11", plan.tz)) == POSTED
    (post,) = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == SUMMARY_CHANNEL_SLACK]
    summary = slack_inert(post.params)
    for shown in ("&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;https://evil.example|Cliquez ici&gt;",
                  "&lt;!subteam^S1|@v&gt; &lt;https://e.vil|go&gt;"):
        assert shown in summary, shown


# ---------------------------------------------------------------------------- Discord
# (user, avoided): the display names are the users' global names
DISCORD_MEMBERS = [
    (FakeUser(1000000000000000011, "everyone", "@everyone"), 4),
    (FakeUser(1000000000000000012, "mention", "<@1000000000000000002>"), 3),
    (FakeUser(1000000000000000013, "channel", "[Cliquez ici](https://evil.example) <!channel>"), 2),
    (FakeUser(1000000000000000014, "here", "@here **Patron** <@U123>", nick="@here **Patron** <@U123>"), 1),
]
DISCORD_TEAM_NAME = "<@&111111111111111300> [go](http://e.v)"  # within the 40 characters


def discord_inert(message: dict[str, Any]) -> str:
    """Check a Discord message is inert; return every text of its embeds, to look for the escaped names."""
    assert message.get("allowed_mentions") == {"parse": []}
    shown = "\n".join(_strings(message.get("embeds") or []))
    assert not re.search(r"@(everyone|here)", shown), shown  # escaped as "@\u200beveryone"
    assert not re.search(r"<@[!&]?\d+>", shown), shown  # no user or role mention left whole
    assert not re.search(r"(?<!\\)\[[^\]]*\]\(", shown), shown  # no masked link
    return shown


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as server:
        yield server


@pytest.fixture
def discord_bot(discord_fake: FakeDiscord, coach, config, monkeypatch) -> Iterator[DiscordAdapter]:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    settings = parse_config({**config.raw, "discord": discord_fake.config_section()})
    with running_discord(DiscordAdapter(coach, settings), discord_fake) as adapter:
        yield adapter


def discord_answer(fake: FakeDiscord, name: str, options: dict[str, Any], user: FakeUser) -> dict[str, Any]:
    return answer_body(fake.wait_answer(fake.slash(name, options, user=user)))


def test_discord_leaderboard_and_monthly_summary_show_hostile_names_inert(discord_bot, discord_fake, store, coach,
                                                                          config, clock):
    for user, avoided in DISCORD_MEMBERS:
        discord_answer(discord_fake, "ia-avoid", {"kind": "image", "count": avoided}, user)
    first = DISCORD_MEMBERS[0][0]
    discord_answer(discord_fake, "ia-team", {"action": "join", "name": DISCORD_TEAM_NAME}, first)

    top = discord_inert(discord_answer(discord_fake, "ia-top", {"period": "month", "public": True},
                                       DISCORD_MEMBERS[1][0]))
    for shown in ("@\u200beveryone", "<@\u200b1000000000000000002>", "\\[Cliquez ici](https://evil.example)",
                  "@\u200bhere \\*\\*Patron\\*\\*", "<@\u200b&111111111111111300> \\[go](http://e.v)"):
        assert shown in top, shown

    me = discord_inert(discord_answer(discord_fake, "ia-me", {"action": "show"}, first))
    assert "@\u200beveryone" in me

    assert discord_bot.ready.wait(WAIT)  # the scheduler posts only through a ready bot
    channel = discord_fake.guilds[0].channel_ids[1]
    store.set_setting(GUILD, "summary_channel", str(channel))
    scheduler = SummaryScheduler(config, store, [discord_bot], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(GUILD)
    assert scheduler.publish(plan, MONTHLY, parse_period(MONTHLY, "2026-11", plan.tz)) == POSTED
    (post,) = discord_fake.requests_matching("POST", rf"/channels/{channel}/messages")
    summary = discord_inert(post.json)
    for shown in ("@\u200beveryone", "<@\u200b1000000000000000002>", "\\[Cliquez ici](https://evil.example)",
                  "<@\u200b&111111111111111300> \\[go](http://e.v)"):
        assert shown in summary, shown
