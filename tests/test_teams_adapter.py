"""The Teams adapter as it runs in production, against the local fake of Microsoft's side (tests/fake_teams.py).

Activities are POSTed to the adapter's messaging endpoint with Bearer tokens
signed by keys the fake generates and publishes: the Teams SDK validates them
as it validates Teams' own. Replies and proactive messages arrive at the fake
Bot Connector named by the activity's serviceUrl.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.teams.app import PLATFORM, TeamsAdapter, channel_key, command_text
from adapters.teams.cards import escape
from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.store import open_store
from tests.conftest import PARIS, Clock
from tests.fake_teams import APP_ID, OUTBOUND_TOKEN, TENANT, FakeTeams


@pytest.fixture
def fake() -> Iterator[FakeTeams]:
    with FakeTeams() as f:
        yield f


def teams_config(tmp_path: Path, fake: FakeTeams, **teams: Any):
    return parse_config({
        "store": {"data_dir": str(tmp_path / "data")},
        "teams": {"app_id": APP_ID, "port": 0, "openid_metadata_url": fake.metadata_url,
                  "admins": ["aad-boss"], **teams},
    })


class Running:
    """An adapter serving in its thread, and the address of its endpoint."""

    def __init__(self, adapter: TeamsAdapter) -> None:
        self.adapter = adapter
        self.thread = threading.Thread(target=adapter.run_forever, daemon=True)

    def __enter__(self) -> "Running":
        self.thread.start()
        assert self.adapter.ready.wait(20), "the Teams adapter did not start"
        s = self.adapter.settings
        self.endpoint = f"http://127.0.0.1:{self.adapter.bound_port}{s.path}"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.adapter.stop()
        self.thread.join(15)
        assert not self.thread.is_alive()


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))


@pytest.fixture
def running(tmp_path: Path, fake: FakeTeams, clock: Clock) -> Iterator[Running]:
    config = teams_config(tmp_path, fake)
    store = open_store(config.data_dir)
    coach = Coach(config, store, clock=clock)
    adapter = TeamsAdapter(coach, config, env={}, token_provider=lambda scope, tenant: OUTBOUND_TOKEN)
    with Running(adapter) as r:
        yield r
    store.close()


def unescape(text: str) -> str:
    out, skip = [], False
    for i, ch in enumerate(text):
        if ch == "\\" and i + 1 < len(text) and not skip:
            skip = True
            continue
        skip = False
        out.append(ch)
    return "".join(out)


def card_lines(card: dict[str, Any]) -> list[str]:
    """The texts a card shows, in order, unescaped (facts as "label : value" / "label: value" lines)."""
    lines: list[str] = []
    for element in card.get("body", []):
        if element["type"] == "TextBlock":
            lines.append(unescape(element["text"]))
        elif element["type"] == "FactSet":
            lines += [f"{unescape(f['title'])}\x00{unescape(f['value'])}" for f in element["facts"]]
        elif element["type"] == "Image":
            lines.append(f"📎 {element['altText']}")
    return lines


def test_a_message_in_a_personal_chat_is_a_command_and_its_reply_a_card(running: Running, fake: FakeTeams) -> None:
    status, _ = fake.post(running.endpoint, fake.activity("ia-log image 2"))
    assert status == 200
    [sent] = fake.wait_for(1)
    assert sent.conversation == "a:chat-u1"
    assert sent.authorization == f"Bearer {OUTBOUND_TOKEN}"
    card = sent.card()
    assert card["type"] == "AdaptiveCard"
    assert any("image" in line.lower() for line in card_lines(card))
    events = running.adapter.coach.store.member_events(TENANT, "aad-u1")
    assert len(events) == 1 and events[0].count == 2


@pytest.mark.parametrize("text", ["/ia-log image 2", "ia-log image 2", "IA-LOG image 2"])
def test_slash_or_not_the_same_grammar(running: Running, fake: FakeTeams, text: str) -> None:
    fake.post(running.endpoint, fake.activity(text))
    fake.wait_for(1)
    assert running.adapter.coach.store.member_events(TENANT, "aad-u1")[0].count == 2


def test_a_mention_in_a_channel_runs_the_command_and_a_private_reply_goes_to_the_personal_chat(
        running: Running, fake: FakeTeams) -> None:
    status, _ = fake.post(running.endpoint, fake.mention("ia-log image 2"))
    assert status == 200
    [sent] = fake.wait_for(1)
    assert running.adapter.coach.store.member_events(TENANT, "aad-u1")[0].count == 2
    # the log reply is private: a personal chat was opened for the member, not the channel
    assert fake.created and fake.created[0]["members"] == [{"id": "29:u1"}]
    assert sent.conversation == fake.created[0]["id"]
    # and it is kept: the next private reply needs no new conversation
    fake.post(running.endpoint, fake.mention("ia-stats"))
    fake.wait_for(2)
    assert len(fake.created) == 1


def test_a_public_reply_goes_to_the_channel(running: Running, fake: FakeTeams) -> None:
    fake.post(running.endpoint, fake.mention("ia-top week public"))
    [sent] = fake.wait_for(1)
    assert sent.conversation.startswith("19:general@thread.tacv2")


def test_a_button_press_reaches_coach_action(running: Running, fake: FakeTeams) -> None:
    fake.post(running.endpoint, fake.activity("ia-log image 2 midjourney Crée un logo"))
    [logged] = fake.wait_for(1)
    buttons = logged.card().get("actions", [])
    undo = [b for b in buttons if b["data"]["sobria"] == "undo"]
    assert undo, buttons
    fake.post(running.endpoint, fake.activity("", value=undo[0]["data"]))
    fake.wait_for(2)
    assert running.adapter.coach.store.member_events(TENANT, "aad-u1") == []


def test_member_text_cannot_become_markup_or_a_mention(running: Running, fake: FakeTeams) -> None:
    prompt = "Tu es **graphiste** [clic](https://x.example) <at>Tout le monde</at>"
    fake.post(running.endpoint, fake.activity(f"ia-score {prompt}"))
    [sent] = fake.wait_for(1)
    body = sent.body
    assert "entities" not in body or not any(e.get("type") == "mention" for e in body["entities"])
    texts = [e["text"] for e in sent.card()["body"] if e["type"] == "TextBlock"]
    assert not any("**graphiste**" in t or "](https" in t for t in texts)
    assert escape("**a** [b](c)") == r"\*\*a\*\* \[b\]\(c\)"


def test_no_token_or_a_bad_token_is_refused_and_nothing_is_stored(running: Running, fake: FakeTeams) -> None:
    activity = fake.activity("ia-log image 2")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token in (None, "not-a-jwt", fake.token(key=stranger), fake.token(audience="someone-else"),
                  fake.token(issuer="https://evil.example"), fake.token(expires_in=-3600),
                  fake.token(service_url="https://elsewhere.example")):
        status, _ = fake.post(running.endpoint, activity, token=token)
        assert status == 401, token
    assert running.adapter.coach.store.member_events(TENANT, "aad-u1") == []
    assert fake.sent == []


def test_a_body_that_is_not_an_activity_is_refused(running: Running, fake: FakeTeams) -> None:
    status, _ = fake.post(running.endpoint, {}, raw=b"{not json")
    assert status == 400
    status, _ = fake.post(running.endpoint, {}, raw=b"[1, 2]")
    assert status == 400


def test_install_in_a_team_keeps_the_channel_and_uninstall_forgets_it(running: Running, fake: FakeTeams) -> None:
    store = running.adapter.coach.store
    install = fake.activity(kind="conversationUpdate", conversation_type="channel",
                            membersAdded=[{"id": "28:" + APP_ID}])
    status, _ = fake.post(running.endpoint, install)
    assert status == 200
    key = channel_key("19:general@thread.tacv2")
    assert set(store.destinations(TENANT, PLATFORM)) == {key}
    assert store.settings(TENANT)["summary_channel"] == key
    assert running.adapter.serves(TENANT)
    remove = fake.activity(kind="conversationUpdate", conversation_type="channel",
                           membersRemoved=[{"id": "28:" + APP_ID}])
    fake.post(running.endpoint, remove)
    assert store.destinations(TENANT, PLATFORM) == {}
    assert not running.adapter.serves(TENANT)


def test_personal_install_and_uninstall(running: Running, fake: FakeTeams) -> None:
    store = running.adapter.coach.store
    fake.post(running.endpoint, fake.activity(kind="installationUpdate", action="add"))
    assert set(store.destinations(TENANT, PLATFORM)) == {"user:aad-u1"}
    assert running.adapter.send_direct(TENANT, "aad-u1", running.adapter.coach.notice("rate_limited", "fr"))
    [sent] = fake.wait_for(1)
    assert sent.conversation == "a:chat-u1"
    fake.post(running.endpoint, fake.activity(kind="installationUpdate", action="remove"))
    assert store.destinations(TENANT, PLATFORM) == {}
    assert not running.adapter.send_direct(TENANT, "aad-u1", running.adapter.coach.notice("rate_limited", "fr"))


def test_identity_tenant_name_locale_and_admins(running: Running, fake: FakeTeams) -> None:
    fake.post(running.endpoint, fake.activity("ia-settings", locale="en-US"))
    [refused] = fake.wait_for(1)
    fake.post(running.endpoint, fake.activity("ia-settings", user="boss", locale="en-US"))
    [_, shown] = fake.wait_for(2)
    assert refused.card()["body"][0]["text"] != shown.card()["body"][0]["text"]
    member = running.adapter.coach.store.member(TENANT, "aad-boss")
    assert member is None or member.get("name", "Camille Martin") == "Camille Martin"


def test_another_tenant_is_ignored_by_a_single_tenant_bot(tmp_path: Path, fake: FakeTeams, clock: Clock) -> None:
    config = teams_config(tmp_path, fake, tenant_id=TENANT)
    store = open_store(config.data_dir)
    adapter = TeamsAdapter(Coach(config, store, clock=clock), config, env={},
                           token_provider=lambda scope, tenant: OUTBOUND_TOKEN)
    with Running(adapter) as r:
        status, _ = fake.post(r.endpoint, fake.activity("ia-log image 2", tenant="other-tenant"))
        assert status == 200
        assert store.member_events("other-tenant", "aad-u1") == []
        assert fake.sent == []
    store.close()


def test_command_text() -> None:
    assert command_text("ia-log image 2 <at>Bob</at>") == ("ia-log", "image 2 Bob")
    assert command_text("/IA-LOG&nbsp;image 2") == ("ia-log", "image 2")
    assert command_text("<p>ia-stats <b>month</b></p>") == ("ia-stats", "month")


def test_an_admin_names_the_summary_channel_by_mentioning_it(running: Running, fake: FakeTeams) -> None:
    store = running.adapter.coach.store
    activity = fake.mention("ia-settings channel <at>Ventes</at>", user="boss")
    activity["entities"].append({"type": "mention", "text": "<at>Ventes</at>",
                                 "mentioned": {"id": "19:ventes@thread.tacv2", "name": "Ventes"}})
    status, _ = fake.post(running.endpoint, activity)
    assert status == 200
    fake.wait_for(1)
    key = channel_key("19:ventes@thread.tacv2")
    assert store.settings(TENANT).get("summary_channel") == key
    assert store.destinations(TENANT, PLATFORM)[key]["conversation_id"] == "19:ventes@thread.tacv2"
    assert running.adapter.post_to_channel(TENANT, key, running.adapter.coach.notice("rate_limited", "fr"))
    assert fake.wait_for(2)[-1].conversation == "19:ventes@thread.tacv2"


def test_an_activity_delivered_twice_runs_once(running: Running, fake: FakeTeams) -> None:
    activity = fake.activity("ia-log image 2")
    assert fake.post(running.endpoint, activity)[0] == 200
    assert fake.post(running.endpoint, activity)[0] == 200
    fake.wait_for(1)
    assert len(running.adapter.coach.store.member_events(TENANT, "aad-u1")) == 1
    assert len(fake.sent) == 1


def test_a_connector_that_refuses_the_reply_costs_a_log_line_and_the_event_stays_once(
        running: Running, fake: FakeTeams, caplog: pytest.LogCaptureFixture) -> None:
    fake.refuse = True
    status, _ = fake.post(running.endpoint, fake.activity("ia-log image 2"))
    assert status == 200
    assert len(running.adapter.coach.store.member_events(TENANT, "aad-u1")) == 1
    assert any("not delivered" in r.getMessage() for r in caplog.records)


def test_production_configuration_needs_the_app_password(tmp_path: Path, fake: FakeTeams, clock: Clock) -> None:
    from bot.core.errors import ConfigError

    config = teams_config(tmp_path, fake)
    store = open_store(config.data_dir)
    with pytest.raises(ConfigError, match="teams.app_password"):
        TeamsAdapter(Coach(config, store, clock=clock), config, env={})
    adapter = TeamsAdapter(Coach(config, store, clock=clock), config, env={"TEAMS_APP_PASSWORD": "s3cret"})
    assert adapter.settings.app_password == "s3cret" and "s3cret" not in repr(adapter.settings)
    store.close()


def test_sobria_run_starts_teams_when_an_app_id_is_set(tmp_path: Path, fake: FakeTeams, clock: Clock,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import _platform_adapters

    config = teams_config(tmp_path, fake)
    store = open_store(config.data_dir)
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "s3cret")
    adapters = _platform_adapters(Coach(config, store, clock=clock), config)
    assert [type(a).__name__ for a in adapters] == ["TeamsAdapter"]
    assert _platform_adapters(Coach(config, store, clock=clock),
                              parse_config({"store": {"data_dir": str(tmp_path / "data")}})) == []
    store.close()
