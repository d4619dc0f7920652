"""The Discord command tree is the catalogue: typed options, localised choices, the same text to the engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord
import pytest
from discord import app_commands

from adapters.discord.app import (
    DEFAULT_API_URL,
    DEFAULT_GATEWAY_URL,
    CatalogueTranslator,
    CommandWording,
    Endpoints,
    SyncState,
    argument_text,
    command_set_digest,
    configured,
    locale_lang,
    settings_from,
    shorten,
    slash_command,
)
from bot.commands import parse
from bot.commands.log import LogRequest
from bot.core.grammar import UsageError
from bot.commands import CATALOGUE
from bot.core.kinds import KINDS

BY_NAME = CATALOGUE.by_name
from bot.core.config import Config, parse_config
from bot.core.errors import ConfigError
from bot.core.render import LANGS, Renderer


def _config(tmp_path: Path, **discord_keys):
    return parse_config({"store": {"data_dir": str(tmp_path)}, "discord": discord_keys})


# ---------------------------------------------------------------- the text handed to the engine


@pytest.mark.parametrize(
    ("name", "options", "text"),
    [
        ("ia-log", {"prompt": "logo de la boulangerie", "kind": "image", "count": 3}, "image 3 -- logo de la boulangerie"),
        ("ia-log", {"kind": "image", "count": 4, "tool": "midjourney", "prompt": "logo"}, "image 4 midjourney -- logo"),
        ("ia-log", {"kind": "text", "prompt": "3 idées avec chatgpt"}, "text -- 3 idées avec chatgpt"),
        ("ia-log", {"kind": "text"}, "text"),
        ("ia-avoid", {"kind": "image", "how": "réutilisé la photo", "count": 2}, "image 2 -- réutilisé la photo"),
        ("ia-score", {"prompt": "  Tu es community manager.  "}, "Tu es community manager."),
        ("ia-stats", {"period": "month", "public": True}, "month public"),
        ("ia-stats", {"public": False}, ""),
        ("ia-top", {"period": "all", "public": True}, "all public"),
        ("ia-undo", {}, ""),
        ("ia-me", {"action": "nudges on"}, "nudges on"),
        ("ia-settings", {"key": "timezone", "value": "Europe/Paris"}, "timezone Europe/Paris"),
        ("ia-help", {"topic": None}, ""),
    ],
)
def test_options_become_the_text_a_member_would_type(name: str, options: dict, text: str) -> None:
    assert argument_text(BY_NAME[name], options) == text


def test_a_prompt_field_that_looks_like_options_stays_the_prompt(tmp_path: Path) -> None:
    text = argument_text(BY_NAME["ia-log"], {"kind": "text", "prompt": "3 idées chatgpt pour la vitrine"})
    assert parse("ia-log", text, _config(tmp_path)) == LogRequest("text", 1, None, "3 idées chatgpt pour la vitrine")


@pytest.mark.parametrize("name", ["ia-log", "ia-avoid"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_choice_parses_as_itself(name: str, kind: str, tmp_path: Path) -> None:
    request = parse(name, argument_text(BY_NAME[name], {"kind": kind, "count": 7}), _config(tmp_path))
    assert (request.kind, request.count) == (kind, 7)


def test_the_grammar_never_rejects_a_choice_word(tmp_path: Path) -> None:
    """A choice may need more text (a team name, a setting's value), but the word itself is always understood."""
    cfg = _config(tmp_path)
    for command in CATALOGUE:
        for arg in command.args:
            for choice in arg.choices:
                try:
                    parse(command.name, argument_text(command, {arg.name: choice}), cfg)
                except UsageError as exc:
                    word = str(exc.params.get("word", ""))
                    assert not (word and choice.startswith(word.split()[0])), (command.name, choice, exc.key)
    for key, value in (("lang", "en"), ("timezone", "Europe/Paris"), ("green_max", "30"), ("orange_max", "120"),
                       ("store_prompts", "off")):
        request = parse("ia-settings", argument_text(BY_NAME["ia-settings"], {"key": key, "value": value}), cfg)
        assert (request.key, str(request.value)) == (key, {"off": "False"}.get(value, value))


# ---------------------------------------------------------------- the tree


def _payloads(lang: str = "fr", catalogue=CATALOGUE, renderer: Renderer | None = None,
              config: Config = Config()) -> dict[str, dict]:
    wording = CommandWording(renderer or Renderer())

    async def noop(interaction, command, options) -> None:
        return None

    async def build() -> dict[str, dict]:
        tree = app_commands.CommandTree(discord.Client(intents=discord.Intents(guilds=True)))
        translator = CatalogueTranslator(wording)
        out = {}
        for command in catalogue:
            slash = slash_command(command, wording, lang, noop, config)
            tree.add_command(slash)
            out[command.name] = await slash.get_translated_payload(tree, translator)
        return out

    return asyncio.run(build())


def test_one_slash_command_per_catalogue_entry_with_typed_options() -> None:
    payloads = _payloads()
    assert list(payloads) == [c.name for c in CATALOGUE]
    for command in CATALOGUE:
        options = {o["name"]: o for o in payloads[command.name].get("options", [])}
        assert list(options) == [a.name for a in sorted(command.args, key=lambda a: not a.required)]
        for arg in command.args:
            option = options[arg.name]
            assert option["required"] is arg.required
            expected_type = {"kind": 3, "period": 3, "choice": 3, "word": 3, "tool": 3, "text": 3, "count": 4,
                             "flag": 5}[arg.type]
            assert option["type"] == expected_type
            if arg.choices:
                assert [c["value"] for c in option["choices"]] == list(arg.choices)
            if arg.type == "count":
                assert (option["min_value"], option["max_value"]) == (1, Config().limits.max_count)


def test_settings_hidden_from_members_without_manage_server() -> None:
    payloads = _payloads()
    manage_guild = discord.Permissions(manage_guild=True).value
    for command in CATALOGUE:
        expected = manage_guild if command.admin_only else None
        assert payloads[command.name].get("default_member_permissions") == expected, command.name


def test_choices_and_descriptions_in_french_and_english() -> None:
    fr, en = _payloads("fr"), _payloads("en")
    kind = next(o for o in fr["ia-log"]["options"] if o["name"] == "kind")
    text_choice = next(c for c in kind["choices"] if c["value"] == "text")
    assert text_choice["name"] == "texte court"
    assert text_choice["name_localizations"]["fr"] == "texte court"
    assert text_choice["name_localizations"]["en-US"] == text_choice["name_localizations"]["en-GB"]
    assert text_choice["name_localizations"]["en-US"] != "texte court"
    assert fr["ia-log"]["description_localizations"]["fr"] == fr["ia-log"]["description"]
    # with English as the bot's language, the default wording is the English one
    assert en["ia-log"]["description"] == fr["ia-log"]["description_localizations"]["en-US"]
    assert "de" not in fr["ia-log"]["description_localizations"]  # unsupported locales fall back to the default


def test_every_word_of_the_tree_exists_in_both_languages_and_fits_discord() -> None:
    wording = CommandWording(Renderer())
    for lang in LANGS:
        for command in CATALOGUE:
            assert 0 < len(wording.lookup(lang, ("summary", command.name))) <= 100
            for arg in command.args:
                assert 0 < len(wording.lookup(lang, ("arg", command.name, arg.name))) <= 100, (lang, command.name, arg.name)
                for choice in arg.choices:
                    assert 0 < len(wording.lookup(lang, ("choice", choice))) <= 100, (lang, choice)


def test_shorten_marks_a_cut() -> None:
    assert shorten("court") == "court"
    cut = shorten("x" * 150)
    assert len(cut) == 100 and cut.endswith("…")


def test_locale_lang() -> None:
    assert locale_lang(discord.Locale.french) == "fr"
    assert locale_lang(discord.Locale.american_english) == "en"
    assert locale_lang(discord.Locale.british_english) == "en"
    assert locale_lang(discord.Locale.german) is None
    assert locale_lang(None) is None


def test_digest_follows_the_command_set() -> None:
    fr, en = _payloads("fr"), _payloads("en")
    assert command_set_digest(list(fr.values())) == command_set_digest(list(_payloads("fr").values()))
    assert command_set_digest(list(fr.values())) != command_set_digest(list(en.values()))


def test_sync_state_survives_a_corrupt_file(tmp_path: Path) -> None:
    state = SyncState(tmp_path / "sub" / "discord_commands.json")
    assert state.read() == {}
    state.write({"1:global": "abc"})
    assert state.read() == {"1:global": "abc"}
    state.path.write_text("{not json", encoding="utf-8")
    assert state.read() == {}


# ---------------------------------------------------------------- settings


def test_settings_defaults_and_environment_token_wins(tmp_path: Path) -> None:
    cfg = _config(tmp_path, token="from-file")
    s = settings_from(cfg, env={})
    assert (s.token, s.api_url, s.gateway_url, s.guild_ids, s.admins) == (
        "from-file", DEFAULT_API_URL, DEFAULT_GATEWAY_URL, (), frozenset())
    assert s.sync_state_path == tmp_path / "discord_commands.json"
    assert settings_from(cfg, env={"DISCORD_TOKEN": "from-env"}).token == "from-env"
    assert "from-file" not in repr(s)


def test_settings_read_every_key(tmp_path: Path) -> None:
    cfg = _config(tmp_path, token="t", api_url="http://127.0.0.1:9/api/v10/", gateway_url="ws://127.0.0.1:9/gw",
                  guild_ids=[123456789012345678, "223456789012345678"], admins=[42, "43"],
                  sync_state_file="state/cmds.json")
    s = settings_from(cfg, env={})
    assert s.api_url == "http://127.0.0.1:9/api/v10"
    assert s.gateway_url == "ws://127.0.0.1:9/gw"
    assert s.guild_ids == (123456789012345678, 223456789012345678)
    assert s.admins == frozenset({"42", "43"})
    assert s.sync_state_path == tmp_path / "state" / "cmds.json"


@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ({}, "discord.token"),
        ({"token": 12}, "discord.token"),
        ({"token": "t", "guild_ids": "123"}, "discord.guild_ids"),
        ({"token": "t", "guild_ids": [True]}, "discord.guild_ids"),
        ({"token": "t", "admins": ["bob"]}, "discord.admins"),
        ({"token": "t", "api_url": "discord.com"}, "discord.api_url"),
        ({"token": "t", "gateway_url": "https://gateway"}, "discord.gateway_url"),
        ({"token": "t", "sync_state_file": ""}, "discord.sync_state_file"),
        ({"token": "t", "guild_id": [123456789012345678]}, "discord.guild_id"),  # unknown keys too
    ],
)
def test_bad_settings_name_their_key(keys: dict, named: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        settings_from(_config(tmp_path, **keys), env={})
    assert err.value.key == named


def test_configured_when_a_token_is_somewhere(tmp_path: Path) -> None:
    assert not configured(_config(tmp_path), env={})
    assert not configured(_config(tmp_path, token="  "), env={})
    assert configured(_config(tmp_path, token="t"), env={})
    assert configured(_config(tmp_path), env={"DISCORD_TOKEN": "t"})


def test_a_misspelt_key_is_refused_with_the_nearest_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        _config(tmp_path, token="t", gateway="ws://127.0.0.1:9/gw")
    assert err.value.key == "discord.gateway" and "did you mean gateway_url?" in str(err.value)


def test_a_blank_environment_token_leaves_the_file_s_token(tmp_path: Path) -> None:
    """The one rule of every platform's secrets: the environment wins when it holds a value."""
    assert settings_from(_config(tmp_path, token="from-file"), env={"DISCORD_TOKEN": " "}).token == "from-file"
    assert configured(_config(tmp_path, token="from-file"), env={"DISCORD_TOKEN": " "})


# ---------------------------------------------------------------- addresses


def test_endpoints_rewrite_only_discord_addresses() -> None:
    e = Endpoints("http://127.0.0.1:8/api/v10", "ws://127.0.0.1:8/gateway")
    assert e.rest(DEFAULT_API_URL + "/users/@me") == "http://127.0.0.1:8/api/v10/users/@me"
    assert e.rest("https://cdn.discordapp.com/x.png") == "https://cdn.discordapp.com/x.png"
    assert e.gateway("wss://gateway.discord.gg/?v=10&encoding=json") == "ws://127.0.0.1:8/gateway?v=10&encoding=json"
    assert e.gateway("wss://resume.example/?v=10") == "wss://resume.example/?v=10"
    default = Endpoints(DEFAULT_API_URL, DEFAULT_GATEWAY_URL)
    assert default.rest(DEFAULT_API_URL + "/users/@me") == DEFAULT_API_URL + "/users/@me"
    assert default.gateway(DEFAULT_GATEWAY_URL + "?v=10") == DEFAULT_GATEWAY_URL + "?v=10"


def test_the_example_config_is_valid_for_discord() -> None:
    from bot.core.config import load_config

    example = load_config(Path(__file__).resolve().parent.parent / "config.example.toml")
    s = settings_from(example, env={"DISCORD_TOKEN": "t"})
    assert (s.api_url, s.gateway_url) == (DEFAULT_API_URL, DEFAULT_GATEWAY_URL)
