"""The Slack app manifest: derived from the catalogue, up to date on disk, valid YAML of the expected shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from adapters.slack import manifest as slack_manifest
from bot.commands import CATALOGUE
from bot.core.render import Renderer


def read_yaml(text: str) -> Any:
    """The manifest as a YAML reader sees it: PyYAML's safe loader (YAML 1.1, where yes/no/on/off are booleans)."""
    return yaml.safe_load(text)


def test_checked_in_manifest_is_up_to_date():
    expected = slack_manifest.to_yaml(slack_manifest.build_manifest())
    on_disk = slack_manifest.MANIFEST_PATH.read_text(encoding="utf-8")
    assert on_disk == expected, "run: python -m adapters.slack.manifest --write"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("http_url", [None, "https://bot.example.fr/slack/events"])
def test_yaml_reads_back_to_the_same_manifest(lang, http_url):
    manifest = slack_manifest.build_manifest(lang, http_url)
    assert read_yaml(slack_manifest.to_yaml(manifest)) == manifest


def test_yaml_quotes_strings_that_would_otherwise_change_type():
    data = {"a": "true", "b": "12", "c": "x: y", "d": "# not a comment", "e": ['"q"', "- dash"], "f": False,
            "g": "yes", "h": "off", "i": "null", "j": "1e3", "k": "0x10", "l": "~", "m": "[x|y]", "n": "l'équipe",
            "o": "a\nb", "p": "@here", "q": "*alias", "r": "&anchor", "s": "!tag", "t": "{x}", "u": ""}
    assert read_yaml(slack_manifest.to_yaml(data)) == data


def test_yaml_is_block_style_with_the_header_and_long_texts_on_one_line():
    text = slack_manifest.to_yaml(slack_manifest.build_manifest())
    assert text.startswith(slack_manifest.HEADER)
    assert "{" not in text and "  slash_commands:\n    - command: /ia-log\n" in text
    long_description = slack_manifest.build_manifest()["display_information"]["long_description"]
    assert any(long_description.replace("'", "''") in line for line in text.splitlines())


def test_every_catalogue_command_is_declared_with_its_wording():
    words = Renderer().data("fr", "commands")
    manifest = slack_manifest.build_manifest("fr")
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/{c.name}" for c in CATALOGUE]
    for declared, command in zip(commands, CATALOGUE):
        assert declared["description"] == words[command.name]["summary"]
        assert declared.get("usage_hint", "") == words[command.name]["usage"]
        assert declared["should_escape"] is True
        assert "url" not in declared


def test_socket_mode_manifest_needs_no_public_url():
    manifest = slack_manifest.build_manifest()
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"] == {"is_enabled": True}
    assert settings["event_subscriptions"] == {"bot_events": ["app_home_opened"]}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "request_url" not in json.dumps(manifest)


def test_http_mode_manifest_points_everything_at_the_events_url():
    url = "https://bot.example.fr/slack/events"
    manifest = slack_manifest.build_manifest("en", url)
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}
    assert manifest["display_information"]["description"] == Renderer().macro("en", "help", "title")()


def test_scopes_are_exactly_the_needed_ones():
    scopes = slack_manifest.build_manifest()["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}
    assert sorted(scopes["bot"]) == ["chat:write", "commands", "files:write", "im:write", "usergroups:read", "users:read"]


def test_descriptions_fit_slack_limits():
    for lang in ("fr", "en"):
        display = slack_manifest.build_manifest(lang)["display_information"]
        assert 0 < len(display["description"]) <= slack_manifest.SHORT_DESCRIPTION_MAX
        if "long_description" in display:
            assert slack_manifest.LONG_DESCRIPTION_MIN <= len(display["long_description"]) <= 4000


def test_command_line_prints_and_refuses_to_overwrite_with_a_variant(capsys):
    assert slack_manifest.main(["--lang", "en"]) == 0
    assert "/ia-log" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        slack_manifest.main(["--write", "--http-url", "https://x.example/slack/events"])


def test_distribution_manifest_has_the_redirect_url_uninstall_events_and_token_rotation():
    manifest = slack_manifest.build_manifest("en", public_url="https://sobria.example.org/")
    settings = manifest["settings"]
    assert manifest["oauth_config"]["redirect_urls"] == ["https://sobria.example.org/slack/oauth_redirect"]
    assert settings["event_subscriptions"]["request_url"] == "https://sobria.example.org/slack/events"
    assert {"app_uninstalled", "tokens_revoked"} <= set(settings["event_subscriptions"]["bot_events"])
    assert settings["token_rotation_enabled"] is True and settings["socket_mode_enabled"] is False
    assert all(c["url"] == "https://sobria.example.org/slack/events" for c in manifest["features"]["slash_commands"])
    single = slack_manifest.build_manifest("en")  # one company's own app: unchanged
    assert "redirect_urls" not in single["oauth_config"] and single["settings"]["token_rotation_enabled"] is False
    assert "app_uninstalled" not in single["settings"]["event_subscriptions"]["bot_events"]
