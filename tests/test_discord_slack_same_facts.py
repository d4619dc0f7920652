"""Slack and Discord replies for the same engine call carry the same facts.

The engine answers once; each front-end only formats. Here one engine call
goes through the real Discord path (discord.py against the local fake) and
the very Reply it produced is laid out as Slack Block Kit: once each
platform's escaping is undone, both show the engine's facts, in its order.
Last, both front-ends run together as `sobria run` starts them, each in its
thread against its local fake, and answer the same command with the same facts.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters.slack import blocks as slack_blocks
from adapters.discord.app import DiscordAdapter
from fake_discord import FakeDiscord
from test_discord_live import Recording, ask, discord_config, embed, running


def discord_plain(text: str) -> str:
    """What Discord displays: markdown escapes dropped, mention breakers removed."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL).replace("@\u200b", "@")


def slack_facts(message: dict[str, Any]) -> list[tuple[str, str]]:
    facts = []
    for block in message["blocks"]:
        for field in block.get("fields", []):
            label, _, value = field["text"].partition("\n")
            facts.append((slack_blocks.unescape(label.strip("*")), slack_blocks.unescape(value)))
    return facts


def discord_facts(embed_payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(discord_plain(f["name"]), discord_plain(f["value"])) for f in embed_payload.get("fields", [])]


@pytest.fixture
def recording(coach) -> Recording:
    return Recording(coach)


@pytest.fixture
def discord_bot(recording: Recording, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDiscord]:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with FakeDiscord() as fake, running(DiscordAdapter(recording, discord_config(fake, tmp_path / "bot")), fake):
        yield fake


def slack_lines(message: dict[str, Any]) -> list[str]:
    """The lines a short reply shows on Slack: its header, then its sections (escaping undone)."""
    lines: list[str] = []
    for block in message["blocks"]:
        if block["type"] == "header" or (block["type"] == "section" and "text" in block):
            lines += slack_blocks.unescape(block["text"]["text"]).splitlines()
    return lines


def discord_lines(embed_payload: dict[str, Any]) -> list[str]:
    """The lines a short reply shows on Discord: the embed's title, then its description."""
    return [discord_plain(embed_payload["title"]), *discord_plain(embed_payload.get("description", "")).splitlines()]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("ia-log", {"kind": "image", "count": 4, "tool": "midjourney",
                    "prompt": "Tu es graphiste. Crée un visuel pour notre boulangerie de Lyon qui fête ses 10 ans "
                              "samedi, format carré."}),
        ("ia-log", {"kind": "image", "count": 4, "tool": "midjourney", "prompt": "logo <b> & @everyone *promo*"}),
        ("ia-avoid", {"kind": "doc", "count": 2, "how": "repris le rapport de mars"}),
    ],
)
def test_a_log_reply_is_the_same_three_lines_and_a_details_button_on_both(
        discord_bot: FakeDiscord, recording: Recording, name: str, options: dict[str, Any]) -> None:
    """Issue 16's done-when: the same three short lines on Slack and Discord, plus a « Détails » button whose
    answer (private) holds the rest, with the same facts on both."""
    from test_discord_live import MEMBER, is_ephemeral

    sent, answer = ask(discord_bot, name, options)
    reply = recording.last()[4]
    shown = [reply.title, *reply.lines]
    assert 2 <= len(shown) <= 3 and not reply.facts and not reply.rct and not reply.footer
    assert discord_lines(embed(answer)) == shown
    message = slack_blocks.message(reply)
    assert slack_lines(message) == shown
    slack_buttons = [(e["action_id"], e["text"]["text"]) for b in message["blocks"] if b["type"] == "actions"
                     for e in b["elements"]]
    assert slack_buttons == [("sobria:undo", "Annuler"), ("sobria:details", "Détails")]
    discord_buttons = [(c["custom_id"], c["label"]) for row in (answer.json.get("data") or answer.json)["components"]
                       for c in row["components"]]
    event_id = reply.data["event_id"]
    assert discord_buttons == [(f"sobria:undo:{event_id}", "Annuler"), (f"sobria:details:{event_id}", "Détails")]

    press = discord_bot.click(f"sobria:details:{event_id}", discord_bot.message_for(sent), user=MEMBER)
    opened = discord_bot.wait_answer(press)
    details = recording.last()[4]
    assert recording.last()[:3] == ("action", "details", event_id) and details.kind == "details"
    assert is_ephemeral(opened)
    expected = [(f.label, f.value) for f in details.facts]
    assert expected and discord_facts(embed(opened)) == expected
    assert slack_facts(slack_blocks.message(details)) == expected
    assert details.footer and (reply.kind == "avoided" or details.rct is not None)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("ia-stats", {"period": "month"}),
        ("ia-help", {}),
    ],
)
def test_slack_and_discord_show_the_same_facts(discord_bot: FakeDiscord, recording: Recording, name: str,
                                               options: dict[str, Any]) -> None:
    ask(discord_bot, "ia-log", {"kind": "text", "count": 3})  # some figures for the statistics
    sent, answer = ask(discord_bot, name, options)
    reply = recording.last()[4]
    expected = [(f.label, f.value) for f in reply.facts]
    assert expected, f"{name} should answer with facts"
    assert discord_facts(embed(answer)) == expected
    assert slack_facts(slack_blocks.message(reply)) == expected



def test_slack_and_discord_serve_together_in_one_process(coach, store, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """As `sobria run` does: every configured front-end, each in its own thread, over one engine."""
    from bot.cli import _platform_adapters
    from bot.core.config import parse_config
    from fake_discord import WAIT
    from fake_slack import FakeSlack, slash_payload

    with FakeSlack(team_id="T0001") as slack, FakeDiscord() as discord_fake:
        slack.add_user("U1", "Camille")
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-one-process")
        monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-one-process")
        monkeypatch.setenv("DISCORD_TOKEN", discord_fake.token)
        config = parse_config({
            "store": {"data_dir": str(tmp_path / "run")},
            "slack": {"api_url": slack.api_url},
            "discord": {"api_url": discord_fake.api_url, "gateway_url": discord_fake.gateway_url,
                        "guild_ids": [g.id for g in discord_fake.guilds]},
        })
        adapters = _platform_adapters(coach, config)
        assert [type(a).__name__ for a in adapters] == ["SlackAdapter", "DiscordAdapter"]
        threads = [threading.Thread(target=a.run_forever, daemon=True) for a in adapters]
        for thread in threads:
            thread.start()
        try:
            slack.wait_for(slack.connected)
            discord_fake.wait_ready()
            hook = slack.new_response_url()
            slack.send_envelope("slash_commands", slash_payload("/ia-log", "image 4 midjourney", user_id="U1",
                                                                response_url=hook))
            on_slack = slack.wait_for(lambda: slack.hook_posts)[0][1]
            sent, on_discord = ask(discord_fake, "ia-log", {"kind": "image", "count": 4, "tool": "midjourney"})
        finally:
            for adapter in adapters:
                adapter.stop()
            for thread in threads:
                thread.join(WAIT)
        assert not any(thread.is_alive() for thread in threads)
    shown_on_slack, shown_on_discord = slack_lines(on_slack), discord_lines(embed(on_discord))
    # the same words but the week's count, which the other platform's log just moved
    assert [re.sub(r"\d+ générations", "N", line) for line in shown_on_slack] == \
        [re.sub(r"\d+ générations", "N", line) for line in shown_on_discord]
    assert shown_on_slack[0].startswith("4 images notées (midjourney) · ")
    assert [e.count for e in store.member_events("T0001", "U1")] == [4]
    discord_member = sent.payload["member"]["user"]["id"]
    assert [e.count for e in store.member_events(str(discord_fake.guilds[0].id), discord_member)] == [4]
