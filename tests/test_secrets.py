"""Tokens and signing secrets never reach a log line or an error message.

Known, recognisable secrets are set; every command of the catalogue is run
on Slack (HTTP mode and Socket Mode) and on Discord, along with the failure
paths where secrets are most likely to leak: refused and malformed requests,
Slack and Discord answering errors, a gateway reconnection (whose RESUME
carries the token), an engine failure, and tokens the platform rejects at
start-up. Every record is captured at DEBUG level from the root logger, the
libraries' own included, and scanned with its traceback.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Iterator

import pytest

from adapters.discord.app import DiscordAdapter, settings_from
from adapters.slack.app import SlackAdapter, read_settings
from bot.commands import CATALOGUE
from bot.core.command import Command
from bot.core.config import parse_config
from bot.core.errors import ConfigError
from bot.core.render import Renderer
from fake_discord import MANAGE_GUILD, FakeDiscord, FakeUser, running as running_discord
from fake_slack import (http_config, 
    FakeSlack,
    block_action_payload,
    home_opened_payload,
    post_to_app,
    running,
    send_event,
    send_interaction,
    send_slash_command,
    sign,
    slash_payload,
)

SLACK_BOT = "xoxb-4711-SECRETbot-9f2c7a1e5d"
SLACK_APP = "xapp-1-A0001-SECRETapp-3b8e6d0c"
SLACK_SIGNING = "SECRETsigning0d4f8a2b6c9e1f37"
DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.SECRETdiscord.q8Zr4Kx2Vw9Lm0Np"
WRONG_DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.SECRETwrong.a1b2c3d4e5"
TEAM = "T0001"
ALL_SECRETS = (SLACK_BOT, SLACK_APP, SLACK_SIGNING, DISCORD_TOKEN, WRONG_DISCORD_TOKEN)


class Everything(logging.Handler):
    """Keeps every record, formatted as a log file would show it (message, traceback, stack)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + repr(record.args))


@pytest.fixture
def captured() -> Iterator[Everything]:
    root = logging.getLogger()
    # `sobria` (the CLI, run by other tests of the session) sets its own loggers to INFO, which would hide
    # the DEBUG lines of the libraries logging through them (slack_sdk's Web API client logs to sobria.slack.api)
    own = {name: logging.getLogger(name).level for name in ("bot", "adapters", "sobria")}
    handler, level = Everything(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in own:
        logging.getLogger(name).setLevel(logging.NOTSET)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for name, was in own.items():
            logging.getLogger(name).setLevel(was)


def assert_no_secret(texts: list[str]) -> None:
    for secret in ALL_SECRETS:
        pieces = {secret, secret[-12:], secret.split("-")[-1] if "-" in secret else secret[-16:]}
        leaked = [t for t in texts if any(p in t for p in pieces)]
        assert not leaked, f"a secret is in {len(leaked)} log line(s), e.g. {leaked[0][:300]!r}"


def example_text(name: str) -> str:
    """What a member would type after the command, from the command's French example."""
    example = str(Renderer().data("fr", "commands").get(name, {}).get("example", ""))
    return example.split(" ", 1)[1] if example.startswith(f"/{name} ") else ""


# ---------------------------------------------------------------------------- Slack
@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        server.add_user("U1", "Camille")
        server.add_user("UADMIN", "Alex", admin=True)
        yield server


@pytest.fixture
def config(tmp_path, fake):
    return http_config(tmp_path / "data", fake)


SLACK_ENV = {"SLACK_BOT_TOKEN": SLACK_BOT, "SLACK_APP_TOKEN": SLACK_APP, "SLACK_SIGNING_SECRET": SLACK_SIGNING}


def test_slack_never_logs_its_tokens_or_signing_secret(captured, fake, coach, config, monkeypatch):
    errors: list[str] = []
    with running(SlackAdapter(coach, config, env=SLACK_ENV)) as adapter:
        url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
        urls = []
        for command in CATALOGUE:
            for user in ("U1", "UADMIN"):
                urls.append(fake.new_response_url())
                payload = slash_payload(f"/{command.name}", example_text(command.name), user_id=user,
                                        response_url=urls[-1])
                assert send_slash_command(url, SLACK_SIGNING, payload).status == 200
        fake.wait_for(lambda: all(fake.delivered_to(u) for u in urls), timeout=20)
        send_interaction(url, SLACK_SIGNING, block_action_payload("sobria:pref", "nudges on", user_id="U1",
                                                                  in_home=True))
        send_event(url, SLACK_SIGNING, home_opened_payload("U1"))

        # failure paths: forged, stale and malformed requests; Slack answering errors; the engine failing
        forged = slash_payload("/ia-log", "image 1", user_id="U1", response_url=fake.new_response_url())
        assert send_slash_command(url, "not-the-secret", forged).status == 401
        assert send_slash_command(url, SLACK_SIGNING, forged, timestamp=int(time.time()) - 3600).status == 401
        assert post_to_app(url, "payload=%7Bbroken", sign(SLACK_SIGNING, "payload=%7Bbroken"),
                           "application/x-www-form-urlencoded").status == 400
        fake.fail("hook", status=404, error="expired_url")
        fake.fail("chat.postEphemeral", error="invalid_auth")
        fake.fail("users.info", status=500)
        fake.fail("views.publish", error="token_revoked")
        # a button's reply goes to its response URL (a command's rides in its acknowledgement), then the channel
        failing = block_action_payload("sobria:pref", "nudges on", user_id="U2", response_url=fake.new_response_url())
        send_interaction(url, SLACK_SIGNING, failing)
        fake.wait_for(lambda: len(fake.calls_to("chat.postEphemeral")) >= 1, timeout=15)
        real_handle = coach.handle

        def broken(*args: Any) -> Any:
            raise RuntimeError("engine failure")

        monkeypatch.setattr(coach, "handle", broken)
        crash = slash_payload("/ia-help", "", user_id="U1", response_url=fake.new_response_url())
        send_slash_command(url, SLACK_SIGNING, crash)
        fake.wait_for(lambda: fake.delivered_to(crash["response_url"]))
        monkeypatch.setattr(coach, "handle", real_handle)
        adapter.post_to_channel(TEAM, "C0042", coach.notice("internal_error", "fr"))
        errors.append(repr(adapter.settings))
    assert any(c.token == SLACK_BOT for c in fake.calls)  # the secrets were in use…
    assert any("Sending a request" in line for line in captured.lines)  # …and slack_sdk's debug lines captured
    assert any("engine call failed for workspace T0001" in line for line in captured.lines)
    assert any("Traceback" in line and "engine failure" in line for line in captured.lines)

    # start-up failures: a token Slack refuses, tokens swapped, a missing signing secret
    fake.fail("auth.test", error="invalid_auth")
    with pytest.raises(ConfigError) as refused:
        SlackAdapter(coach, config, env=SLACK_ENV).run_forever()
    errors.append(str(refused.value))
    swapped = {"SLACK_BOT_TOKEN": SLACK_APP, "SLACK_APP_TOKEN": SLACK_BOT, "SLACK_SIGNING_SECRET": SLACK_SIGNING}
    with pytest.raises(ConfigError) as wrong:
        SlackAdapter(coach, config, env=swapped)
    errors.append(str(wrong.value))
    with pytest.raises(ConfigError) as typed:
        read_settings(parse_config({**config.raw, "slack": {"bot_token": 12345}}), env={})
    errors.append(str(typed.value))
    assert_no_secret(captured.lines + errors)


def test_slack_socket_mode_never_logs_its_app_token(captured, fake, coach, config, store):
    socket_config = parse_config({**config.raw, "slack": {"api_url": fake.api_url}})
    with running(SlackAdapter(coach, socket_config, env=SLACK_ENV)):
        fake.wait_for(fake.connected)
        response_url = fake.new_response_url()
        envelope = fake.send_envelope("slash_commands", slash_payload("/ia-log", "image 2", user_id="U1",
                                                                      response_url=response_url))
        fake.wait_for(lambda: envelope in fake.acks and fake.delivered_to(response_url))
    assert fake.calls_to("apps.connections.open")[0].token == SLACK_APP
    assert len(store.member_events(TEAM, "U1")) == 1
    assert_no_secret(captured.lines)


# ---------------------------------------------------------------------------- Discord
MEMBER = FakeUser(1000000000000000001, "camille", "Camille")
OWNER = FakeUser(1000000000000000003, "alex", "Alex")


def discord_options(command: Command) -> dict[str, Any]:
    """Options a member would fill in: every argument, with a plausible value."""
    values = {"choice": lambda a: a.choices[0], "kind": lambda a: a.choices[0], "period": lambda a: a.choices[0],
              "count": lambda a: 1, "word": lambda a: "log", "tool": lambda a: "chatgpt",
              "text": lambda a: "Tu es comptable. Résume ce devis en 3 points.", "flag": lambda a: True}
    return {a.name: values[a.type](a) for a in command.args}


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=DISCORD_TOKEN) as server:
        yield server


def test_discord_never_logs_its_token(captured, discord_fake: FakeDiscord, coach, config, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD_TOKEN)
    errors: list[str] = []
    settings = parse_config({**config.raw, "discord": {**discord_fake.config_section(), "token": ""}})
    with running_discord(DiscordAdapter(coach, settings), discord_fake) as bot:
        for command in CATALOGUE:
            for user, permissions in ((MEMBER, 1 << 11), (OWNER, MANAGE_GUILD)):
                sent = discord_fake.slash(command.name, discord_options(command), user=user, permissions=permissions)
                discord_fake.wait_answer(sent)
        # failure paths: Discord rate-limiting and failing, a gateway reconnection, an odd interaction
        discord_fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 429, times=1, retry_after=0.05)
        discord_fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 500, times=1)
        discord_fake.wait_answer(discord_fake.slash("ia-log", {"kind": "image"}, user=MEMBER))
        discord_fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 403, times=1)
        discord_fake.slash("ia-log", {"kind": "audio"}, user=MEMBER)
        discord_fake.wait_until(lambda: any("could not answer" in line for line in captured.lines),
                                what="the refused answer to be logged")
        discord_fake.drop_connection(4000)
        discord_fake.wait_until(lambda: discord_fake.resumes and discord_fake.gateway_connections == 2,
                                what="a RESUME")
        discord_fake.wait_answer(discord_fake.slash("ia-help", {}, user=MEMBER))
        discord_fake.dispatch_raw("INTERACTION_CREATE", {"type": 2, "token": "x"})
        errors.append(repr(bot.settings))
    assert discord_fake.identifies[0]["token"] == DISCORD_TOKEN == discord_fake.resumes[0]["token"]  # in use
    assert any(r.authorization == f"Bot {DISCORD_TOKEN}" for r in discord_fake.requests)
    assert any(line.startswith("DEBUG discord.") for line in captured.lines)  # discord.py's debug lines captured

    # a token Discord refuses ends the run with a log line that does not show it
    monkeypatch.setenv("DISCORD_TOKEN", WRONG_DISCORD_TOKEN)
    refused = DiscordAdapter(coach, settings)
    refused.run_forever()
    assert any("refused the bot token" in line for line in captured.lines)
    with pytest.raises(ConfigError) as typed:
        settings_from(parse_config({**config.raw, "discord": {"token": ["not", "a", "string"]}}), env={})
    errors.append(str(typed.value))
    assert_no_secret(captured.lines + errors)
    assert re.search(r"SECRET[a-z]", " ".join(captured.lines + errors)) is None  # not even a fragment



# ---------------------------------------------------------------------------- Slack distribution, and JSON logs
def test_a_distributed_slack_never_logs_client_secret_tokens_or_refresh_tokens(captured, tmp_path):
    """Installs, token refreshes, refused installs and an uninstall; every record as text and as JSON lines."""
    from adapters.slack.distribution import DistributedSlackAdapter
    from bot.core.coach import Coach
    from bot.logs import JsonFormatter
    from bot.store import open_configured_store
    from tests.fake_slack_oauth import FakeSlackOAuth
    from tests.test_slack_oauth import SECRET, Bot, make_config

    as_json = Everything()
    as_json.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(as_json)
    client_secret = "SECRETclient-7c1e2d9a4b"
    try:
        with FakeSlackOAuth("111.222", client_secret, expires_in=3600) as fake:
            for team in ("TA", "TB"):
                fake.add_member(team, f"U{team}1", "Installer")
            config = make_config(fake, {"data_dir": str(tmp_path / "data")}, client_secret=client_secret)
            store = open_configured_store(config)
            try:
                with running(DistributedSlackAdapter(Coach(config, store), config, env={})) as adapter:
                    bot = Bot(adapter, fake, adapter.coach, config)
                    bot.install("TA", "UTA1")
                    bot.install("TB", "UTB1")
                    bot.command("TA", "UTA1", "image 2")  # a one-hour token: each use refreshes it
                    bot.command("TB", "UTB1", "", name="/ia-settings")
                    state, cookie = bot.open_install_page()
                    bot.come_back("no-such-code", state, cookie)  # refused by Slack
                    bot.come_back("code", "forged", "slack-app-oauth-state=forged")
                    assert bot.uninstall("TA") == 200
            finally:
                store.close()
            secrets = [client_secret, SECRET, *fake.tokens]
            refreshes = [c.params["refresh_token"] for c in fake.calls_to("oauth.v2.access") if "refresh_token" in c.params]
    finally:
        logging.getLogger().removeHandler(as_json)
    assert len(fake.tokens) >= 4 and refreshes  # tokens were issued and refreshed
    lines = captured.lines + as_json.lines
    assert any('"level": "DEBUG"' in line for line in as_json.lines)  # JSON lines were written, down to DEBUG
    for secret in secrets + refreshes:
        leaked = [t for t in lines if secret in t]
        assert not leaked, f"a secret is in {len(leaked)} log line(s), e.g. {leaked[0][:300]!r}"
