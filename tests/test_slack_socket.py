"""Socket Mode against a local Slack: the app token opens a local websocket, envelopes are acknowledged."""

from __future__ import annotations

import errno
import threading
import time
from pathlib import Path

import pytest

from adapters.slack import blocks as slack_blocks
from adapters.slack.app import SlackAdapter
from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.errors import ConfigError
from fake_slack import FakeSlack, block_action_payload, home_opened_payload, running, slash_payload

BOT = "xoxb-socket-bot-token"
APP = "xapp-socket-app-token"
TEAM = "T0001"


@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        server.add_user("U1", "Camille")
        yield server


@pytest.fixture
def config(tmp_path, fake):  # overrides the shared fixture
    return parse_config({"store": {"data_dir": str(tmp_path / "data")}, "slack": {"api_url": fake.api_url}})


ENV = {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}


@pytest.fixture
def adapter(coach, config, fake):
    with running(SlackAdapter(coach, config, env=ENV)) as running_adapter:
        fake.wait_for(fake.connected)
        yield running_adapter


def test_connects_with_the_app_token(adapter, fake):
    opened = fake.calls_to("apps.connections.open")
    assert len(opened) == 1 and opened[0].token == APP
    assert fake.calls_to("auth.test")[0].token == BOT
    assert fake.socket_connections == 1


def test_slash_command_envelope_is_acknowledged_then_answered(adapter, fake, store):
    response_url = fake.new_response_url()
    started = time.monotonic()
    envelope = fake.send_envelope("slash_commands", slash_payload("/ia-log", "image 4 midjourney logo de la boulangerie",
                                                                  user_id="U1", response_url=response_url))
    fake.wait_for(lambda: envelope in fake.acks, timeout=3)
    assert time.monotonic() - started < 1.0
    post = fake.wait_for(lambda: fake.hook_posts)[0][1]
    assert post["blocks"][0]["text"]["text"].startswith("4 images notées (midjourney) · ")
    assert post["response_type"] == "ephemeral"
    assert [e.kind for e in store.member_events(TEAM, "U1")] == ["image"]
    assert fake.wait_for(lambda: fake.calls_to("views.publish"))[0].params["user_id"] == "U1"


def test_an_envelope_sent_again_after_a_restart_is_answered_and_stored_once(coach, config, fake, store):
    """Slack sends an envelope again when its acknowledgement did not arrive (the process died after storing):
    the restarted process answers the copy and does not store the log a second time."""
    payload = slash_payload("/ia-log", "image 2 midjourney logo", user_id="U1", response_url=fake.new_response_url())
    with running(SlackAdapter(coach, config, env=ENV)):
        fake.wait_for(fake.connected)
        first = fake.send_envelope("slash_commands", payload)
        fake.wait_for(lambda: first in fake.acks, timeout=3)
    fake.wait_for(lambda: not fake.connected())
    with running(SlackAdapter(Coach(config, store, clock=coach.clock), config, env=ENV)):
        fake.wait_for(fake.connected)
        again = fake.send_envelope("slash_commands", payload, retry_attempt=1)
        fake.wait_for(lambda: again in fake.acks, timeout=3)
        new = fake.send_envelope("slash_commands", {**payload, "trigger_id": "9.9.new"})  # another command
        fake.wait_for(lambda: new in fake.acks, timeout=3)
    assert fake.acks[again]["blocks"][0]["text"]["text"].startswith("2 images notées (midjourney) · ")
    assert [e.count for e in store.member_events(TEAM, "U1")] == [2, 2]


def test_button_and_home_envelopes_are_acknowledged(adapter, fake, store):
    envelope = fake.send_envelope("events_api", home_opened_payload("U1"))
    fake.wait_for(lambda: envelope in fake.acks, timeout=3)
    fake.wait_for(lambda: fake.calls_to("views.publish"))
    envelope = fake.send_envelope("interactive", block_action_payload("sobria:pref", "leaderboard off", user_id="U1",
                                                                      in_home=True))
    fake.wait_for(lambda: envelope in fake.acks, timeout=3)
    fake.wait_for(lambda: len(fake.calls_to("views.publish")) == 2)
    assert store.member(TEAM, "U1")["leaderboard"] is False


def test_stop_closes_the_socket(coach, config, fake):
    adapter = SlackAdapter(coach, config, env=ENV)
    assert not adapter.serves(TEAM)  # not started: nothing known yet
    with running(adapter):
        fake.wait_for(fake.connected)
        assert adapter.serves(TEAM)
    fake.wait_for(lambda: not fake.connected())
    assert not adapter.ready.is_set()


def test_runs_beside_another_adapter_in_its_own_thread(coach, config, fake, tmp_path):
    """Two adapters in one process, as `sobria run` does with Slack and Discord."""
    with FakeSlack(team_id="T0002") as other_fake:
        other_config = parse_config({"store": {"data_dir": str(tmp_path / "data2")},
                                     "slack": {"api_url": other_fake.api_url}})
        with running(SlackAdapter(coach, config, env=ENV)), running(SlackAdapter(coach, other_config, env=ENV)):
            fake.wait_for(fake.connected)
            other_fake.wait_for(other_fake.connected)
            assert threading.active_count() > 2


def test_a_rejected_app_token_is_a_config_error(coach, config, fake):
    fake.fail("apps.connections.open", error="invalid_auth")
    adapter = SlackAdapter(coach, config, env=ENV)
    with pytest.raises(ConfigError) as err:
        adapter.run_forever()
    assert err.value.key == "slack.app_token" and APP not in str(err.value)


def test_a_rejected_bot_token_is_a_config_error(coach, config, fake):
    fake.fail("auth.test", error="invalid_auth")
    adapter = SlackAdapter(coach, config, env=ENV)
    with pytest.raises(ConfigError) as err:
        adapter.run_forever()
    assert err.value.key == "slack.bot_token" and BOT not in str(err.value)


def test_unreachable_slack_is_retried_until_stopped(coach, tmp_path):
    with FakeSlack() as gone:
        api_url = gone.api_url  # a port nothing listens on once this block ends
    config = parse_config({"store": {"data_dir": str(tmp_path / "d")}, "slack": {"api_url": api_url}})
    adapter = SlackAdapter(coach, config, env=ENV)
    thread = threading.Thread(target=adapter.run_forever, daemon=True)
    thread.start()
    time.sleep(1.5)
    assert thread.is_alive() and not adapter.ready.is_set()
    started = time.monotonic()
    adapter.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - started < 5


@pytest.mark.parametrize(("call", "code"), [("replace", errno.ENOSPC), ("fsync", errno.EROFS)],
                         ids=["disk-full", "read-only"])
def test_a_refused_write_is_acknowledged_with_not_saved_and_leaves_the_store_as_it_was(adapter, fake, store, coach,
                                                                                      config, monkeypatch, call,
                                                                                      code):
    from test_faults_slack import WriteFault, store_files

    first = fake.send_envelope("slash_commands", slash_payload("/ia-log", "image", user_id="U1",
                                                               response_url=fake.new_response_url()))
    fake.wait_for(lambda: first in fake.acks, timeout=3)
    data_dir = Path(config.data_dir)
    before = store_files(data_dir / "workspaces")
    fault = WriteFault(data_dir, call, code)
    fault.install(monkeypatch)
    with fault.during():
        refused = fake.send_envelope("slash_commands", slash_payload("/ia-log", "video 2", user_id="U1",
                                                                     response_url=fake.new_response_url()))
        fake.wait_for(lambda: refused in fake.acks, timeout=5)
    assert fault.hits >= 1
    assert fake.acks[refused]["blocks"] == slack_blocks.message(coach.notice("not_saved", "fr"))["blocks"]
    assert store_files(data_dir / "workspaces") == before
    assert [e.kind for e in store.member_events(TEAM, "U1")] == ["image"]
