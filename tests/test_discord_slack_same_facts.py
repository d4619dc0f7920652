"""Slack and Discord replies for the same engine call carry the same facts.

The engine answers once; each front-end only formats. Here one engine call
goes through the real Discord path (discord.py against the local fake) and
the very Reply it produced is laid out as Slack Block Kit: once each
platform's escaping is undone, both show the engine's facts, in its order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters import slack_blocks
from adapters.discord_app import DiscordAdapter
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


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("ia-log", {"kind": "image", "count": 4, "tool": "midjourney", "prompt": "logo <b> & @everyone *promo*"}),
        ("ia-avoid", {"kind": "doc", "count": 2, "how": "repris le rapport de mars"}),
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

