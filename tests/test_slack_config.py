"""The `[slack]` section: defaults, environment over config, errors that name the key and never show a secret."""

from __future__ import annotations

import logging

import pytest

from adapters.slack import app as slack_app
from adapters.slack.app import SlackAdapter, check_complete, configured, read_settings, workspace_id
from bot.core.coach import Coach
from bot.store import open_store
from bot.core.config import parse_config
from bot.core.errors import ConfigError

BOT, APP, SECRET = "xoxb-111-secret-bot", "xapp-1-secret-app", "signing-secret-value"


def cfg(**slack):
    return parse_config({"slack": slack} if slack else {})


def test_defaults():
    s = read_settings(cfg(), env={})
    assert (s.mode, s.host, s.port, s.api_url) == ("socket", "127.0.0.1", 3000, "https://slack.com/api/")
    assert (s.bot_token, s.app_token, s.signing_secret, s.admins) == ("", "", "", frozenset())


def test_config_values_are_read_and_the_environment_wins_for_secrets():
    config = cfg(mode="http", host="0.0.0.0", port=8080, api_url="http://127.0.0.1:9/api", bot_token="xoxb-from-file",
                 app_token="xapp-from-file", signing_secret="from-file", admins=["U1", "U2"])
    s = read_settings(config, env={})
    assert (s.mode, s.host, s.port, s.api_url) == ("http", "0.0.0.0", 8080, "http://127.0.0.1:9/api/")
    assert (s.bot_token, s.app_token, s.signing_secret) == ("xoxb-from-file", "xapp-from-file", "from-file")
    assert s.admins == {"U1", "U2"}
    env = {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET}
    s = read_settings(config, env=env)
    assert (s.bot_token, s.app_token, s.signing_secret) == (BOT, APP, SECRET)


@pytest.mark.parametrize(
    "slack, key",
    [
        ({"mode": "webhook"}, "slack.mode"),
        ({"port": 70000}, "slack.port"),
        ({"port": "3000"}, "slack.port"),
        ({"port": True}, "slack.port"),
        ({"host": ""}, "slack.host"),
        ({"api_url": "slack.com/api"}, "slack.api_url"),
        ({"admins": "U1"}, "slack.admins"),
        ({"admins": [1]}, "slack.admins"),
        ({"bot_token": 12}, "slack.bot_token"),
        ({"typo_key": 1}, "slack.typo_key"),
    ],
)
def test_bad_values_name_their_key(slack, key):
    with pytest.raises(ConfigError) as err:
        read_settings(cfg(**slack), env={})
    assert err.value.key == key


def test_a_misspelt_key_is_refused_with_the_nearest_one_and_no_secret():
    with pytest.raises(ConfigError) as err:
        read_settings(cfg(singing_secret=SECRET), env={})
    assert err.value.key == "slack.singing_secret" and "did you mean signing_secret?" in str(err.value)
    assert SECRET not in str(err.value)


def test_a_blank_environment_variable_leaves_the_file_s_token():
    s = read_settings(cfg(bot_token=BOT), env={"SLACK_BOT_TOKEN": "  ", "SLACK_APP_TOKEN": APP})
    assert (s.bot_token, s.app_token) == (BOT, APP)


@pytest.mark.parametrize(
    "slack, env, key",
    [
        ({}, {}, "slack.bot_token"),
        ({"bot_token": APP}, {}, "slack.bot_token"),  # the two tokens swapped
        ({"bot_token": BOT}, {}, "slack.app_token"),
        ({"bot_token": BOT, "app_token": BOT}, {}, "slack.app_token"),
        ({"mode": "http"}, {"SLACK_BOT_TOKEN": BOT}, "slack.signing_secret"),
    ],
)
def test_incomplete_credentials_are_refused_without_showing_them(slack, env, key):
    with pytest.raises(ConfigError) as err:
        check_complete(read_settings(cfg(**slack), env=env))
    assert err.value.key == key
    assert BOT not in str(err.value) and APP not in str(err.value)


def test_complete_credentials_pass_for_each_mode():
    check_complete(read_settings(cfg(bot_token=BOT, app_token=APP), env={}))
    check_complete(read_settings(cfg(mode="http", bot_token=BOT, signing_secret=SECRET), env={}))


def test_secrets_never_appear_in_repr():
    s = read_settings(cfg(), env={"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET})
    shown = repr(s)
    assert BOT not in shown and APP not in shown and SECRET not in shown
    assert "mode='socket'" in shown


def test_configured_follows_token_presence(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert not configured(cfg())
    assert not configured(cfg(mode="http", bot_token="  "))
    assert configured(cfg(bot_token=BOT))
    assert configured(cfg(app_token=APP))
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT)
    assert configured(cfg())


def test_adapter_refuses_an_incomplete_config_before_any_network(tmp_path):
    config = parse_config({"store": {"data_dir": str(tmp_path)}, "slack": {"bot_token": BOT,
                                                                           "api_url": "http://127.0.0.1:9/api/"}})
    with pytest.raises(ConfigError) as err:
        SlackAdapter(coach=None, config=config, env={})
    assert err.value.key == "slack.app_token"


def test_bolt_token_warnings_are_silenced_but_others_kept(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP)
    config = parse_config({"store": {"data_dir": str(tmp_path)}, "slack": {"api_url": "http://127.0.0.1:9/api/"}})
    coach = Coach(config, open_store(tmp_path))
    with caplog.at_level(logging.DEBUG, logger="sobria.slack"):
        adapter = SlackAdapter(coach=coach, config=config)
        adapter.app.logger.warning("another warning")
    messages = [r.getMessage() for r in caplog.records]
    assert "another warning" in messages
    assert not any("token" in m and "unused" in m or "will be ignored" in m for m in messages)
    assert not any(BOT in m or APP in m for m in messages)
    adapter._executor.shutdown()


def test_workspace_ids():
    assert workspace_id(None, "T1") == "T1"
    assert workspace_id("E1", "T1") == "E1:T1"
    assert workspace_id("E1", None) == "E1"
    assert slack_app._same_workspace("T1", {"team_id": "T1"})
    assert not slack_app._same_workspace("T2", {"team_id": "T1"})
    assert slack_app._same_workspace("E1:T9", {"team_id": "T1", "enterprise_id": "E1"})
    assert not slack_app._same_workspace("E2:T1", {"team_id": "T1", "enterprise_id": "E1"})


def test_user_from_info_prefers_the_display_name_and_reads_roles():
    info = {"id": "U1", "name": "camille", "real_name": "Camille Martin", "is_owner": True, "locale": "en-GB",
            "profile": {"display_name": "", "real_name": "Camille Martin"}}
    user = slack_app.user_from_info(info)
    assert (user.name, user.is_admin, user.locale) == ("Camille Martin", True, "en-GB")
    user = slack_app.user_from_info({"id": "U2", "name": "bob", "profile": {"display_name": "Bob"}})
    assert (user.name, user.is_admin, user.locale) == ("Bob", False, None)
