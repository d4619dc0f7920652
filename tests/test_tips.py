"""Issue 20, the article's three remedies as tips: each at its moment, one line, at most once a week per member,
in the member's language, with its source; the recycling tip's button logs an avoided image on Slack and Discord.

The decisions are pure (bot/coaching/tips.py) and tested as such; the conversations below go through the coach,
the store and the wording, as a member would meet them.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Callable

import pytest

from adapters.discord.embeds import parse_custom_id, render as discord_render
from adapters.slack import blocks as slack_blocks
from bot.coaching import tips
from bot.core.coach import Coach
from bot.core.config import ConfigError, parse_config
from bot.core.identity import Sender
from bot.core.reply import Reply
from bot.store import open_store

from conftest import PARIS, Clock

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # ISO week 2026-W48
SUNDAY_NIGHT = datetime(2026, 11, 29, 23, 30, tzinfo=PARIS)
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)  # 2026-W49
VAGUE = {"fr": "Écris un mail.", "en": "Write an email."}  # 40/100: no role, no context


class Chat:
    """A member talking to a coach whose clock moves a minute per command (no rate limit in the way)."""

    def __init__(self, coach: Coach, clock: Clock, who: Sender) -> None:
        self.coach, self.clock, self.who = coach, clock, who

    def __call__(self, line: str) -> Reply:
        name, _, text = line.strip().partition(" ")
        reply = self.coach.handle(name.lstrip("/"), text, self.who)
        self.clock.advance(60)
        assert reply.ok, reply
        return reply


@pytest.fixture(params=["fr", "en"])
def lang(request) -> str:
    return request.param


@pytest.fixture
def chat(tmp_path: Path, lang: str):
    config = parse_config({"store": {"data_dir": str(tmp_path / "data")}, "bot": {"lang": lang}})
    store = open_store(config.data_dir)
    clock = Clock(WEDNESDAY)
    yield Chat(Coach(config, store, clock=clock), clock, Sender("T1", "U1", "Camille", "console"))
    store.close()


def tip_lines(reply: Reply) -> list[str]:
    """The tip line of a log reply, if any: the line after the footprint and the score."""
    return [line for line in reply.lines if "Imagisto 2026" in line]


# ---------------------------------------------------------------------------- the pure decisions

class T:
    enabled = True
    recycle_images = 5
    local_short_texts = 10
    local_text_share = 0.5
    rct_below = 50
    rct_min_prompts = 3


def week(**kw) -> tips.WeekSoFar:
    base = dict(week="w:2026-W48", kind="text", local=False, scored=False, images_before=0, hosted_short_texts=0,
                generations=1, rct_avg=None, rct_scored=0, shown={})
    return tips.WeekSoFar(**{**base, **kw})


def test_each_tip_is_due_at_its_moment_only() -> None:
    assert tips.due(week(kind="image", images_before=4), T) is None
    assert tips.due(week(kind="image", images_before=5), T) == tips.RECYCLE
    assert tips.due(week(kind="video", images_before=5), T) == tips.RECYCLE
    assert tips.due(week(kind="doc", images_before=5), T) is None  # not a visual: not the moment
    assert tips.due(week(hosted_short_texts=10, generations=12), T) == tips.LOCAL
    assert tips.due(week(hosted_short_texts=10, generations=25), T) is None  # not mostly short texts
    assert tips.due(week(hosted_short_texts=10, generations=12, local=True), T) is None  # already local
    assert tips.due(week(kind="image", hosted_short_texts=10, generations=12), T) is None  # not a short text
    assert tips.due(week(scored=True, rct_avg=40, rct_scored=3), T) == tips.RCT
    assert tips.due(week(scored=True, rct_avg=40, rct_scored=2), T) is None  # too few prompts to judge
    assert tips.due(week(scored=False, rct_avg=40, rct_scored=3), T) is None  # no prompt in this log
    assert tips.due(week(scored=True, rct_avg=50, rct_scored=3), T) is None


def test_one_tip_per_reply_and_none_shown_twice_in_a_week() -> None:
    everything = dict(kind="image", images_before=9, hosted_short_texts=10, generations=12, scored=True, rct_avg=20, rct_scored=5)
    assert tips.due(week(**everything), T) == tips.RECYCLE
    assert tips.due(week(**everything, shown={"recycle": "w:2026-W48"}), T) == tips.RCT  # an image: not a short text
    assert tips.due(week(**{**everything, "kind": "text"}), T) == tips.LOCAL
    assert tips.due(week(**{**everything, "kind": "text"}, shown={"local": "w:2026-W48"}), T) == tips.RCT
    seen_all = {name: "w:2026-W48" for name in tips.TIPS}
    assert tips.due(week(**everything, shown=seen_all), T) is None
    assert tips.due(week(**everything, shown=seen_all, week="w:2026-W49"), T) == tips.RECYCLE  # a new week
    T.enabled = False
    try:
        assert tips.due(week(**everything), T) is None
    finally:
        T.enabled = True


def test_the_part_missed_most_often_prefers_the_required_parts() -> None:
    full = {"role": True, "context": True, "task": True, "format": True}
    assert tips.most_missed([]) is None
    assert tips.most_missed([full, full]) is None
    no_ctx, no_role, no_fmt = ({**full, p: False} for p in ("context", "role", "format"))
    assert tips.most_missed([no_ctx, no_ctx, no_role, no_fmt, no_fmt, no_fmt]) == ("context", 2, 6)
    assert tips.most_missed([no_ctx, no_role]) == ("context", 1, 2)  # a tie: the context costs more points
    assert tips.most_missed([no_fmt, full]) == ("format", 1, 2)  # the bonus only when nothing else is missed
    assert tips.most_missed(["damaged", no_role]) == ("role", 1, 1)


def test_remember_keeps_the_other_tips_and_drops_damaged_entries() -> None:
    assert tips.remember({"local": "w:2026-W40", 3: "x", "rct": 7}, "recycle", "w:2026-W48") == {
        "local": "w:2026-W40", "recycle": "w:2026-W48"}
    assert tips.remember("damaged", "rct", "w:2026-W48") == {"rct": "w:2026-W48"}


def test_the_thresholds_are_configured_in_one_place() -> None:
    cfg = parse_config({"tips": {"recycle_images": 2, "local_text_share": 0.75, "rct_below": 60}})
    assert (cfg.tips.recycle_images, cfg.tips.local_text_share, cfg.tips.rct_below) == (2, 0.75, 60)
    assert parse_config({}).tips.recycle_images == 5
    for bad in ({"recycle_images": 0}, {"local_text_share": 1.5}, {"rct_below": 101}, {"enabled": "yes"}):
        with pytest.raises(ConfigError):
            parse_config({"tips": bad})


# ---------------------------------------------------------------------------- recycling

def test_recycling_tip_comes_after_several_images_and_not_again_this_week(chat: Chat, lang: str) -> None:
    first = chat("/ia-log image 5 midjourney")
    assert first.data["tip"] is None and len(first.lines) == 1  # five images in one log: nothing before it
    assert chat("/ia-log texte").data["tip"] is None  # a text: not the moment to ask about a visual
    reply = chat("/ia-log image")
    assert reply.data["tip"] == "recycle"
    [line] = tip_lines(reply)
    if lang == "fr":
        assert line == ("Déjà 5 images cette semaine\u00a0: un visuel existant pourrait-il resservir\u202f? "
                        "Source\u00a0: Imagisto 2026, «\u202fLe recyclage de contenu\u202f».")
    else:
        assert line == ("5 images already this week: could an existing visual be reused instead? "
                        "Source: Imagisto 2026, “Content recycling”.")
    button = reply.buttons[-1]
    assert (button.action, button.value) == ("quick", "avoid")
    assert button.label == ("J’ai réutilisé un visuel" if lang == "fr" else "I reused a visual")
    assert len(reply.lines) <= 2  # the footprint and the tip: one extra line
    for line in ("/ia-log image 2", "/ia-log texte", "/ia-log image"):
        again = chat(line)
        assert again.data["tip"] is None and not tip_lines(again)
        assert all(b.action != "quick" for b in again.buttons)


def test_recycling_tip_across_a_week_boundary(chat: Chat) -> None:
    chat("/ia-log image 5")
    assert chat("/ia-log image").data["tip"] == "recycle"  # Wednesday, week 48
    chat.clock.set(SUNDAY_NIGHT)
    assert chat("/ia-log image").data["tip"] is None  # still week 48: shown already
    chat.clock.set(MONDAY)
    assert chat("/ia-log image").data["tip"] is None  # week 49: last week's images do not count
    chat("/ia-log image 4")
    assert chat("/ia-log image").data["tip"] == "recycle"  # five this week: due again, once
    assert chat("/ia-log image").data["tip"] is None


def test_the_recycling_button_logs_an_avoided_image_through_slack_and_discord(chat: Chat, lang: str) -> None:
    chat("/ia-log image 5")
    reply = chat("/ia-log image")
    store = chat.coach.store

    def avoided() -> int:
        return sum(e.count for e in store.member_events("T1", "U1") if e.type == "avoid" and e.kind == "image")

    # Slack: the button as Block Kit lays it out, and the click as the adapter reads it back
    payload = slack_blocks.message(reply)
    texts = slack_blocks.all_texts(payload["blocks"])
    assert any("Imagisto 2026" in t for t in texts)
    element = next(e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"].startswith("sobria:quick"))
    action = slack_blocks.parse_action_id(element["action_id"])
    clicked = chat.coach.action(action, element["value"], Sender("T1", "U1", "Camille", "slack"))
    assert clicked.ok and avoided() == 1
    assert len(clicked.title.splitlines()) == 1 and not clicked.lines  # confirmed in one line
    assert any(b.action == "undo" for b in clicked.buttons)

    # Discord: the same button as a component, its custom id parsed back
    async def build():
        return discord_render(reply)

    out = asyncio.run(build())
    ids = [c.custom_id for c in out.view.children]
    target = parse_custom_id(next(i for i in ids if i.startswith("sobria:quick")))
    assert target is not None and (target.action, target.value) == ("quick", "avoid")
    assert "Imagisto 2026" in (out.embed.description or "")
    chat.clock.advance(60)
    clicked = chat.coach.action(target.action, target.value, Sender("T1", "U1", "Camille", "discord"))
    assert clicked.ok and avoided() == 2


# ---------------------------------------------------------------------------- local models

def test_local_model_tip_for_mostly_short_texts_with_a_hosted_chatbot(chat: Chat, lang: str) -> None:
    replies = [chat("/ia-log texte chatgpt") for _ in range(10)]
    assert [r.data["tip"] for r in replies] == [None] * 9 + ["local"]
    [line] = tip_lines(replies[-1])
    for name in ("JAN", "Anything LLM", "LM Studio", "GPT4All", "g CO2e"):
        assert name in line
    if lang == "fr":
        assert line.startswith("10 textes courts cette semaine avec un chatbot en ligne\u00a0: pour les tâches simples")
        assert "«\u202fL’IA de proximité\u202f»" in line
        assert "≈ 0,12\u00a0g CO2e au lieu de ≈ 1,4\u00a0g CO2e" in line  # France's grid, the small-model factor
    else:
        assert line.startswith("10 short texts this week with an online chatbot: for simple tasks")
        assert "“Local AI”" in line
        assert "≈ 0.46\u00a0g CO2e instead of ≈ 1.4\u00a0g CO2e" in line  # an English workspace: the default grid
    assert all(chat("/ia-log texte chatgpt").data["tip"] is None for _ in range(3))
    chat.clock.set(MONDAY)
    assert [chat("/ia-log text gemini").data["tip"] for _ in range(10)][-1] == "local"  # a new week


def test_no_local_model_tip_for_local_use_nor_a_week_of_images(chat: Chat) -> None:
    assert all(chat("/ia-log texte lmstudio").data["tip"] is None for _ in range(12))
    chat.clock.set(MONDAY)
    chat("/ia-log image 20")  # a week that is mostly images: its short texts are not "mostly"
    assert [chat("/ia-log texte chatgpt").data["tip"] for _ in range(11)].count("local") == 0


# ---------------------------------------------------------------------------- precise prompting

def test_rct_tip_names_the_part_missed_most_often(chat: Chat, lang: str) -> None:
    prompt = VAGUE[lang]  # role and context missing as often: the context costs more
    first, second, third = (chat(f"/ia-log texte chatgpt {prompt}") for _ in range(3))
    assert first.data["tip"] is None and second.data["tip"] is None  # two prompts are not an average yet
    assert third.data["tip"] == "rct"
    [line] = tip_lines(third)
    if lang == "fr":
        assert line.startswith("Score RCT moyen cette semaine\u00a0: ")
        assert "Ce qui manque le plus souvent\u00a0: le contexte (3 prompts sur 3)\u00a0: dites pour qui et pourquoi" in line
        assert line.endswith("Source\u00a0: Imagisto 2026, «\u202fLe prompting de précision\u202f».")
    else:
        assert line.startswith("RCT average this week: ")
        assert "Most often missing: the context (3 of 3 prompts): say who it is for and why" in line
        assert line.endswith("Source: Imagisto 2026, “Precise prompting”.")
    assert len(third.lines) == 3  # footprint, the prompt's own score line, the tip
    assert chat(f"/ia-log texte chatgpt {prompt}").data["tip"] is None
    chat.clock.set(MONDAY)
    assert [chat(f"/ia-log texte chatgpt {prompt}").data["tip"] for _ in range(3)] == [None, None, "rct"]


def test_no_rct_tip_for_a_good_average(chat: Chat, lang: str) -> None:
    good = {"fr": "Tu es community manager. Notre boulangerie de Lyon ouvre samedi. Rédige un post Instagram de 3 lignes.",
            "en": "You are a community manager. Our bakery in Lyon opens on Saturday. Write a three-line Instagram post."}
    assert all(chat(f"/ia-log texte {good[lang]}").data["tip"] is None for _ in range(4))


def test_a_workspace_can_turn_the_tips_off(tmp_path: Path) -> None:
    config = parse_config({"store": {"data_dir": str(tmp_path / "data")}, "tips": {"enabled": False}})
    store = open_store(config.data_dir)
    try:
        clock = Clock(WEDNESDAY)
        chat = Chat(Coach(config, store, clock=clock), clock, Sender("T1", "U1", "Camille", "console"))
        chat("/ia-log image 9")
        assert chat("/ia-log image").data["tip"] is None
    finally:
        store.close()


def test_the_tip_memory_is_kept_in_the_member_record(chat: Chat) -> None:
    chat("/ia-log image 5")
    chat("/ia-log image")
    assert chat.coach.store.member("T1", "U1")[tips.MEMORY_FIELD] == {"recycle": "w:2026-W48"}
