"""A command is declared once: a toy command added through its declaration alone shows up everywhere.

The toy command is a `Command` value and its words in a copy of the
templates and catalogues; nothing else is touched, and `/ia-help`, the Slack manifest, the
Discord command tree, the grammar and the dispatch all see it.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import discord
import pytest

from adapters.discord.app import CommandWording, DiscordSettings, SobriaClient
from adapters.slack.manifest import build_manifest
from bot.commands import CATALOGUE
from bot.core.coach import Coach
from bot.core.command import Argument, Catalogue, Command
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.core.i18n import LOCALES_DIR
from bot.core.render import TEMPLATES_DIR, Renderer
from bot.core.reply import Reply
from bot.store import open_store

# The toy's words: English msgids in templates/commands.toml, French in the catalogue (context: the TOML path).
WORDS = '\n["ia-toy"]\nsummary = "A toy command."\nusage = "<word>"\nexample = "/ia-toy hello"\n' \
        '[ia-toy.args]\nword = "A word."\n'
FRENCH = {"ia-toy.summary": ("A toy command.", "Une commande jouet."), "ia-toy.usage": ("<word>", "<mot>"),
          "ia-toy.example": ("/ia-toy hello", "/ia-toy bonjour"), "ia-toy.args.word": ("A word.", "Un mot.")}


def _toy(services, request, ctx) -> Reply:
    return Reply(kind="toy", title=f"toy:{request['word']}:{request['twice']}", lang=ctx.lang)


TOY = Command("ia-toy", _toy, (Argument("word", "word", required=True), Argument("twice", "flag")))


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    shutil.copytree(LOCALES_DIR, tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    path = templates / "commands.toml"
    head, sep, tail = path.read_text(encoding="utf-8").partition("\n[choices]")  # top-level tables before [choices]
    path.write_text(head + WORDS + sep + tail, encoding="utf-8")
    with open(tmp_path / "locales" / "fr" / "LC_MESSAGES" / "sobria.po", "a", encoding="utf-8") as po:
        for context, (msgid, msgstr) in FRENCH.items():
            po.write(f'\nmsgctxt "{context}"\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n')
    return Renderer(templates)


@pytest.fixture
def catalogue() -> Catalogue:
    return CATALOGUE.adding(TOY)


def test_the_toy_command_runs_and_is_listed_in_help(tmp_path: Path, renderer: Renderer, catalogue: Catalogue) -> None:
    cfg = parse_config({"store": {"data_dir": str(tmp_path / "data")}})
    coach = Coach(cfg, open_store(cfg.data_dir), renderer=renderer, catalogue=catalogue)
    sender = Sender("W", "U1", "Ana", "console")
    assert coach.handle("/ia-toy", "ping", sender).title == "toy:ping:False"
    help_reply = coach.handle("ia-help", "", sender)
    assert any(f.label.startswith("/ia-toy <mot>") for f in help_reply.facts)
    assert coach.handle("ia-help", "toy", sender).kind == "help_command"
    assert CATALOGUE.find("ia-toy") is None  # the shipped catalogue is unchanged


def test_the_toy_command_is_in_the_slack_manifest(renderer: Renderer, catalogue: Catalogue) -> None:
    for lang in ("fr", "en"):
        commands = build_manifest(lang, renderer=renderer, catalogue=catalogue)["features"]["slash_commands"]
        toy = next(c for c in commands if c["command"] == "/ia-toy")
        assert toy["description"] == ("Une commande jouet." if lang == "fr" else "A toy command.")


def test_the_toy_command_is_in_the_discord_tree(tmp_path: Path, renderer: Renderer, catalogue: Catalogue) -> None:
    cfg = parse_config({"store": {"data_dir": str(tmp_path / "data")}})
    coach = Coach(cfg, open_store(cfg.data_dir), renderer=renderer, catalogue=catalogue)

    async def tree_names() -> list[str]:
        client = SobriaClient(coach, DiscordSettings(token="x"), CommandWording(renderer), "fr")
        try:
            return [c.name for c in client.tree.get_commands()]
        finally:
            await client.close()

    names = asyncio.run(tree_names())
    assert names == [c.name for c in catalogue] and "ia-toy" in names
    assert discord.__version__  # the real library built the tree
