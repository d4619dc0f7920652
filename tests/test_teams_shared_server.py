"""Teams and Slack's HTTP mode on one host and port: one server, Slack's /slack/events beside Teams' /api/messages."""

from __future__ import annotations

import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Iterator

import pytest

from adapters.slack.app import SlackAdapter
from adapters.teams.app import TeamsAdapter
from bot.core.coach import Coach
from bot.store import open_store
from fake_slack import FakeSlack, http_config, running, send_slash_command, slash_payload
from tests.conftest import PARIS, Clock
from tests.fake_teams import APP_ID, OUTBOUND_TOKEN, TENANT, FakeTeams
from tests.test_teams_adapter import Running

SECRET = "test-signing-secret"


@pytest.fixture
def fakes() -> Iterator[tuple[FakeSlack, FakeTeams]]:
    with FakeSlack(team_id="T0001") as slack, FakeTeams() as teams:
        slack.add_user("U1", "Camille")
        yield slack, teams


def test_teams_mounts_its_endpoint_on_slacks_http_server(tmp_path: Path, fakes) -> None:
    slack_fake, teams_fake = fakes
    config = http_config(tmp_path / "data", slack_fake, "xoxb-test-bot-token", SECRET,
                         teams={"app_id": APP_ID, "port": 0, "openid_metadata_url": teams_fake.metadata_url})
    assert (config.teams.host, config.teams.port) == (config.slack.host, config.slack.port)
    store = open_store(config.data_dir)
    coach = Coach(config, store, clock=Clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)))
    teams = TeamsAdapter(coach, config, env={}, token_provider=lambda scope, tenant: OUTBOUND_TOKEN)
    with running(SlackAdapter(coach, config, env={})) as slack, Running(teams) as t:
        assert t.adapter.bound_port == slack.bound_port  # one server
        base = f"http://127.0.0.1:{slack.bound_port}"
        status, _ = teams_fake.post(f"{base}{config.teams.path}", teams_fake.activity("ia-log image 2"))
        assert status == 200
        teams_fake.wait_for(1)
        assert store.member_events(TENANT, "aad-u1")[0].count == 2
        response_url = slack_fake.new_response_url()
        sent = send_slash_command(f"{base}/slack/events", SECRET,
                                  slash_payload("/ia-log", "image 3", user_id="U1", response_url=response_url))
        assert sent.status == 200
        with urllib.request.urlopen(f"{base}/") as ok:
            assert ok.read() == b"ok"
    store.close()
