"""Malformed platform payloads: a 4xx (never a 500, never a dropped connection), nothing stored, the bot still serving.

Slack side: the real adapter in HTTP mode on 127.0.0.1, sent bodies that
Slack never sends, or that someone pretending to be Slack might: broken or
non-object JSON, non-form bodies, missing fields, wrong types, a button
payload that is not JSON, a body over 1 MB. Most are correctly signed, so
they get past the signature check and reach the code that reads them.

Discord side: INTERACTION_CREATE events with missing or odd fields pushed
through the gateway to the unmodified discord.py client, which must neither
crash nor drop its connection.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.parse
from typing import Any, Iterator

import pytest

from adapters.discord.app import DiscordAdapter
from adapters.slack.app import DISCARD_MAX_BYTES, MAX_BODY_BYTES, SlackAdapter
from bot.core.config import parse_config
from fake_discord import WAIT, FakeDiscord, FakeUser, answer_body, running as running_discord
from fake_slack import (http_config, 
    FakeSlack,
    block_action_payload,
    home_opened_payload,
    post_to_app,
    running,
    send_slash_command,
    sign,
    slash_payload,
)

BOT = "xoxb-payloads-bot-token"
SECRET = "payloads-signing-secret"
TEAM = "T0001"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


# ---------------------------------------------------------------------------- Slack
@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        server.add_user("U1", "Camille")
        yield server


@pytest.fixture
def config(tmp_path, fake):
    return http_config(tmp_path / "data", fake, BOT, SECRET)


@pytest.fixture
def adapter(coach, config):
    with running(SlackAdapter(coach, config, env={})) as running_adapter:
        yield running_adapter


@pytest.fixture
def url(adapter):
    return f"http://127.0.0.1:{adapter.bound_port}/slack/events"


def good_slash(fake: FakeSlack, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = slash_payload("/ia-log", "image 1", user_id="U1", response_url=fake.new_response_url())
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


def form(payload: dict[str, Any]) -> str:
    return urllib.parse.urlencode(payload)


def interaction(payload: Any) -> str:
    return urllib.parse.urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)})


def button(**changes: Any) -> dict[str, Any]:
    payload = block_action_payload("sobria:undo", "abc123", user_id="U1", response_url="http://127.0.0.1:9/hooks/1")
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


# (name, body built from the fake, content type)
SLACK_BODIES = [
    ("interaction payload is not JSON", lambda f: interaction("{not json"), FORM),
    ("interaction payload is a list", lambda f: interaction([1, 2]), FORM),
    ("interaction payload is null", lambda f: interaction("null"), FORM),
    ("interaction payload is a string", lambda f: interaction('"sobria"'), FORM),
    ("broken JSON body", lambda f: '{"command": "/ia-log", ', JSON),
    ("JSON body is a list", lambda f: json.dumps([good_slash(f)]), JSON),
    ("XML body", lambda f: "<command>/ia-log</command>", "text/xml"),
    ("binary body", lambda f: "\x00\x01\x02\xff garbage", "application/octet-stream"),
    ("empty body", lambda f: "", FORM),
    ("slash command without command", lambda f: form(good_slash(f, command=None)), FORM),
    ("slash command without user_id", lambda f: form(good_slash(f, user_id=None)), FORM),
    ("slash command without team_id", lambda f: form(good_slash(f, team_id=None)), FORM),
    ("slash command with an empty user_id", lambda f: form(good_slash(f, user_id="")), FORM),
    ("slash command with a numeric user_id", lambda f: json.dumps(good_slash(f, user_id=5)), JSON),
    ("slash command with a team object", lambda f: json.dumps(good_slash(f, team_id={"id": TEAM})), JSON),
    ("slash command with text as a number", lambda f: json.dumps(good_slash(f, text=42)), JSON),
    ("slash command with command as a list", lambda f: json.dumps(good_slash(f, command=["/ia-log"])), JSON),
    ("slash command with a response_url object", lambda f: json.dumps(good_slash(f, response_url={"u": 1})), JSON),
    ("button without user", lambda f: interaction(button(user=None)), FORM),
    ("button with user as text", lambda f: interaction(button(user="U1")), FORM),
    ("button without actions", lambda f: interaction(button(actions=None)), FORM),
    ("button with actions as text", lambda f: interaction(button(actions="undo")), FORM),
    ("button with a numeric value", lambda f: interaction(button(actions=[{"action_id": "sobria:undo", "value": 7}])),
     FORM),
    ("button without a workspace", lambda f: interaction(button(team=None, user={"id": "U1"})), FORM),
    ("button with channel as text", lambda f: interaction(button(channel="C0001")), FORM),
    ("event without event", lambda f: json.dumps({**home_opened_payload("U1"), "event": None}), JSON),
    ("home opened without user", lambda f: json.dumps({**home_opened_payload("U1"),
                                                       "event": {"type": "app_home_opened", "tab": "home"}}), JSON),
    ("unknown request type", lambda f: json.dumps({"type": "nothing_we_know", "team_id": TEAM}), JSON),
]


def assert_still_serving(url: str, fake: FakeSlack, store) -> None:
    """A well-formed command right after is acknowledged, answered and stored (the app kept serving)."""
    before = len(store.member_events(TEAM, "U1"))
    payload = good_slash(fake)
    sent = send_slash_command(url, SECRET, payload)
    assert sent.status == 200
    fake.wait_for(lambda: fake.delivered_to(payload["response_url"]))
    assert len(store.member_events(TEAM, "U1")) == before + 1


def test_every_malformed_slack_body_gets_a_4xx_and_the_app_keeps_serving(url, fake, store, caplog):
    caplog.set_level(logging.WARNING)
    answers = {}
    for name, build, content_type in SLACK_BODIES:
        body = build(fake)
        answers[name] = post_to_app(url, body, sign(SECRET, body), content_type).status
    assert {name: status for name, status in answers.items() if not 400 <= status < 500} == {}
    assert store.workspaces() == [] and fake.hook_posts == []  # nothing reached the engine
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # and no traceback on the way
    assert_still_serving(url, fake, store)


def test_unreadable_bodies_are_refused_even_unsigned(url, fake, store):
    for body, content_type in (("payload=%7Bnot+json", FORM), ("[1, 2, 3]", JSON), ("{broken", FORM)):
        assert post_to_app(url, body, {}, content_type).status == 400
    assert post_to_app(url, form(good_slash(fake)), {}, FORM).status == 401
    assert store.workspaces() == []
    assert_still_serving(url, fake, store)


def _raw_post(port: int, body: bytes, headers: dict[str, str]) -> int:
    """POST with http.client (the whole body is sent before the answer is read, as most clients do)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        conn.request("POST", "/slack/events", body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_body_over_one_megabyte_gets_413_and_the_sender_reads_it(adapter, url, fake, store):
    body = form(good_slash(fake, text="image 1 " + "x" * (DISCARD_MAX_BYTES - 2048))).encode()
    assert MAX_BODY_BYTES < len(body) <= DISCARD_MAX_BYTES  # more than the kernel buffers between the two ends
    headers = {"Content-Type": FORM, **sign(SECRET, body.decode())}
    assert _raw_post(adapter.bound_port, body, headers) == 413
    assert _raw_post(adapter.bound_port, b"x", {"Content-Type": FORM, "Content-Length": "many"}) == 400
    assert store.workspaces() == []
    assert_still_serving(url, fake, store)


# ---------------------------------------------------------------------------- Discord
MEMBER = FakeUser(1000000000000000001, "camille", "Camille")
GUILD = "111111111111111111"


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


def _without(d: dict[str, Any], *path: str) -> dict[str, Any]:
    """A deep copy of `d` with the key at `path` removed."""
    out = json.loads(json.dumps(d))
    node = out
    for key in path[:-1]:
        node = node[key]
    node.pop(path[-1], None)
    return out


def _with(d: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    out = json.loads(json.dumps(d))
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def _option(d: dict[str, Any], **option: Any) -> dict[str, Any]:
    return _with(d, [option], "data", "options")


# (name, how to spoil a valid /ia-log interaction)
DISCORD_SPOILED = [
    ("no id", lambda p: _without(p, "id")),
    ("no token", lambda p: _without(p, "token")),
    ("no type", lambda p: _without(p, "type")),
    ("unknown type", lambda p: _with(p, 99, "type")),
    ("no data", lambda p: _without(p, "data")),
    ("data is a list", lambda p: _with(p, [], "data")),
    ("unknown command", lambda p: _with(p, "ia-nope", "data", "name")),
    ("count given as text", lambda p: _option(p, name="count", type=4, value="beaucoup")),
    ("kind not one of the choices", lambda p: _option(p, name="kind", type=3, value="hologram")),
    ("option the command does not have", lambda p: _option(p, name="secret", type=3, value="x")),
    ("no member in a server", lambda p: _without(p, "member")),
    ("member without user", lambda p: _without(p, "member", "user")),
    ("permissions not a number", lambda p: _with(p, "lots", "member", "permissions")),
    ("user id not a number", lambda p: _with(p, "camille", "member", "user", "id")),
    ("button without custom_id", lambda p: _with(_with(p, 3, "type"), {"component_type": 2}, "data")),
    ("button that is not ours", lambda p: _with(_with(p, 3, "type"), {"component_type": 2, "custom_id": "other:1"},
                                                "data")),
    ("payload is a list", lambda p: [p]),
    ("payload is null", lambda p: None),
]


def test_odd_interactions_do_not_crash_the_discord_client(discord_bot, discord_fake: FakeDiscord, store,
                                                          caplog) -> None:
    caplog.set_level(logging.WARNING)
    connections = discord_fake.gateway_connections
    for name, spoil in DISCORD_SPOILED:
        valid = discord_fake.slash_interaction("ia-log", {"kind": "image"}, user=MEMBER).payload
        discord_fake.dispatch_raw("INTERACTION_CREATE", spoil(valid))
    sent = discord_fake.slash("ia-help", {}, user=MEMBER)  # read after every odd one: they are all handled
    answer = discord_fake.wait_answer(sent)
    assert answer_body(answer)["embeds"][0]["title"]
    assert discord_fake.gateway_connections == connections  # the same connection all along
    assert discord_bot.client is not None and not discord_bot.client.is_closed()
    assert store.member_events(GUILD, str(MEMBER.id)) == []  # none of them logged anything
    assert "an unreadable interaction was dropped" in caplog.text
    assert "the Discord connection ended" not in caplog.text
