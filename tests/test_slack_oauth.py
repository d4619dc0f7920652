"""Slack distribution end to end: "Add to Slack" for two workspaces, their own tokens, rotation, uninstall.

The real adapter (slack-bolt's OAuth flow, slack_sdk, the coach) runs in HTTP
mode on 127.0.0.1 against tests/fake_slack_oauth.py, which plays slack.com's
`oauth.v2.access` and `auth.test` for several workspaces; a browser is played
with urllib (the install page's state cookie carried to the redirect). Every
test runs on both stores: the embedded one in a temporary folder, and a real
PostgreSQL (tests/pg_server.py), where installations live in migration 2's tables.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters.slack.distribution import DistributedSlackAdapter
from bot.core.coach import Coach
from bot.core.config import Config
from bot.core.errors import ConfigError
from bot.core.reply import Reply
from bot.store import open_configured_store
from bot.store.installations import installations_for
from bot.store.upkeep import run_upkeep
from tests.fake_slack import http_config, running, send_event, send_slash_command, slash_payload
from tests.fake_slack_oauth import FakeSlackOAuth
from tests.pg_server import PgServer

CLIENT_ID, CLIENT_SECRET, SECRET = "111.222", "client-secret-value", "signing-secret-value"
DAY = 86400.0
ADMIN_ONLY = "Réservé aux administrateurs"  # the title of the admin_only notice, in French (the default language)
_databases = itertools.count()


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgServer]:
    with PgServer() as server:
        yield server


@pytest.fixture(params=["tinydb", "postgres"])
def store_section(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    section: dict[str, Any] = {"data_dir": str(tmp_path / "data")}
    if request.param == "postgres":
        section["url"] = request.getfixturevalue("pg_server").create_database(f"oauth{next(_databases)}")
    return section


def make_config(fake: FakeSlackOAuth, store_section: dict[str, Any], **slack: Any) -> Config:
    return http_config(store_section["data_dir"], fake, signing_secret=SECRET, store=store_section,
                       slack={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                              "public_url": "http://127.0.0.1:8080", **slack})


@dataclass
class Bot:
    adapter: DistributedSlackAdapter
    fake: FakeSlackOAuth
    coach: Coach
    config: Config

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.adapter.bound_port}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers

    def open_install_page(self, lang: str = "en") -> tuple[str, str]:
        """The browser opens /slack/install: returns the state in the "Add to Slack" link and the cookie set."""
        status, page, headers = self.get(f"/slack/install?lang={lang}")
        assert status == 200
        link = re.search(r'href="([^"]+)"', page)
        assert link is not None
        query = urllib.parse.parse_qs(urllib.parse.urlparse(link.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID] and query["redirect_uri"] == ["http://127.0.0.1:8080/slack/oauth_redirect"]
        return query["state"][0], headers["Set-Cookie"].split(";")[0]

    def come_back(self, code: str, state: str, cookie: str) -> tuple[int, str]:
        """Slack sends the browser back with a code and the state."""
        status, page, _ = self.get(f"/slack/oauth_redirect?code={code}&state={state}", {"Cookie": cookie})
        return status, page

    def install(self, team: str, installer: str) -> str:
        """The whole "Add to Slack": returns the workspace's bot token."""
        code = f"code-{team}-{time.monotonic_ns()}"
        self.fake.add_code(code, team, installer, team_name=f"Boulangerie {team}")
        state, cookie = self.open_install_page()
        status, page = self.come_back(code, state, cookie)
        assert status == 200, page
        return self.fake.tokens_of(team)[-1]

    def command(self, team: str, user: str, text: str, name: str = "/ia-log") -> dict[str, Any]:
        """A slash command from a member of `team`; returns the reply Slack received on the response URL."""
        response_url = self.fake.new_response_url()
        sent = send_slash_command(f"{self.base}/slack/events", SECRET,
                                  slash_payload(name, text, user_id=user, team_id=team, response_url=response_url))
        assert sent.status == 200
        if sent.body.strip():  # the reply rode in the acknowledgement
            return dict(json.loads(sent.body))
        return self.fake.wait_for(lambda: self.fake.delivered_to(response_url))[0]

    def uninstall(self, team: str, event: str = "app_uninstalled") -> int:
        body: dict[str, Any] = {"type": event}
        if event == "tokens_revoked":
            body["tokens"] = {"oauth": [], "bot": [f"UBOT{team}"]}
        payload = {"token": "x", "team_id": team, "api_app_id": "A0001", "type": "event_callback",
                   "event_id": f"Ev{time.monotonic_ns()}", "event_time": int(time.time()), "event": body}
        return send_event(f"{self.base}/slack/events", SECRET, payload).status


@pytest.fixture
def bot(store_section: dict[str, Any]) -> Iterator[Bot]:
    with FakeSlackOAuth(CLIENT_ID, CLIENT_SECRET) as fake:
        yield from _running(fake, store_section)


def _running(fake: FakeSlackOAuth, store_section: dict[str, Any]) -> Iterator[Bot]:
    for team in ("TA", "TB"):
        fake.add_member(team, f"U{team}1", f"Installer {team}")
        fake.add_member(team, f"U{team}2", f"Member {team}")
        fake.add_member(team, f"U{team}ADMIN", f"Admin {team}", admin=True)
    config = make_config(fake, store_section)
    store = open_configured_store(config)
    coach = Coach(config, store)
    try:
        with running(DistributedSlackAdapter(coach, config, env={})) as adapter:
            yield Bot(adapter, fake, coach, config)
    finally:
        store.close()


def text_of(message: dict[str, Any]) -> str:
    return str(message)


def tokens_used(fake: FakeSlackOAuth, method: str) -> set[str | None]:
    return {c.token for c in fake.calls_to(method)}


def rows_left(bot: Bot, workspace: str) -> dict[str, int]:
    """PostgreSQL: the tables holding rows of `workspace`, with how many (the embedded store: its folder's files)."""
    url = bot.config.store.url
    if url is None:
        folder = Path(bot.config.data_dir) / "workspaces" / workspace
        return {str(p): 1 for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}
    import psycopg

    with psycopg.connect(getattr(bot.coach.store, "url")) as conn:
        tables = [r[0] for r in conn.execute(
            """SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()
               AND column_name = 'workspace' AND table_name LIKE 'sobria%'""").fetchall()]
        found = {t: conn.execute(f'SELECT count(*) FROM "{t}" WHERE workspace = %s', (workspace,)).fetchone()[0]
                 for t in tables}
    return {t: n for t, n in found.items() if n}


# ---------------------------------------------------------------------------- install
def test_two_workspaces_install_and_each_is_answered_with_its_own_token(bot: Bot) -> None:
    token_a, token_b = bot.install("TA", "UTA1"), bot.install("TB", "UTB1")
    assert token_a != token_b
    # bolt exchanged each code once, then checked the token it got
    assert [c.params.get("code", "")[:7] for c in bot.fake.calls_to("oauth.v2.access")] == ["code-TA", "code-TB"]
    # the installer is told, in a direct message with the workspace's token, how to export before uninstalling
    welcome = bot.fake.wait_for(lambda: [c for c in bot.fake.calls_to("chat.postMessage") if c.params.get("channel") == "UTB1"])
    assert welcome[0].token == token_b and "/ia-me export" in str(welcome[0].params) and "30" in str(welcome[0].params)
    bot.fake.wait_for(lambda: [c for c in bot.fake.calls_to("chat.postMessage") if c.params.get("channel") == "UTA1"])
    bot.fake.calls.clear()
    bot.command("TA", "UTA2", "image 2")
    assert tokens_used(bot.fake, "users.info") == {token_a}
    bot.fake.calls.clear()
    bot.command("TB", "UTB2", "image 3")
    assert tokens_used(bot.fake, "users.info") == {token_b}
    # each workspace's data is its own
    assert [e.count for e in bot.coach.store.member_events("TA", "UTA2")] == [2]
    assert [e.count for e in bot.coach.store.member_events("TB", "UTB2")] == [3]
    assert bot.coach.store.member_events("TB", "UTA2") == []


def test_the_install_pages_speak_french_and_english(bot: Bot) -> None:
    _, fr, _ = bot.get("/slack/install", {"Accept-Language": "fr-FR,fr;q=0.9"})
    _, en, _ = bot.get("/slack/install?lang=en")
    assert "Ajouter à Slack" in fr and '<html lang="fr">' in fr and "supprimées 30" in fr
    assert "Add to Slack" in en and '<html lang="en">' in en and "30 days" in en
    # the probes of a distributed server: Slack's api.test needs no token
    assert bot.get("/healthz")[0] == 200 and bot.get("/readyz")[:2] == (200, "ready")


def test_a_bad_or_replayed_state_is_refused(bot: Bot) -> None:
    bot.fake.add_code("code-1", "TA", "UTA1")
    state, cookie = bot.open_install_page()
    # a state nobody issued, with a cookie that matches it: refused by the state store
    status, page = bot.come_back("code-1", "forged-state", "slack-app-oauth-state=forged-state")
    assert status == 401 and "a expiré ou a déjà servi" in page
    # the state of the page, but another browser (no cookie)
    status, _ = bot.come_back("code-1", state, "")
    assert status == 400
    assert bot.fake.calls_to("oauth.v2.access") == []  # no code was exchanged
    status, _ = bot.come_back("code-1", state, cookie)
    assert status == 200
    bot.fake.add_code("code-2", "TA", "UTA1")
    status, page = bot.come_back("code-2", state, cookie)  # the same state again
    assert status == 401 and "a expiré ou a déjà servi" in page
    assert len(bot.fake.calls_to("oauth.v2.access")) == 1
    # an expired state: issued, then time passes beyond its 10 minutes
    installs = installations_for(bot.coach.store)
    installs.add_state("old-state", time.time() - 1)
    status, _ = bot.come_back("code-2", "old-state", "slack-app-oauth-state=old-state")
    assert status == 401


def test_admins_are_the_workspaces_own_and_the_installer(bot: Bot) -> None:
    bot.install("TA", "UTA1")
    bot.install("TB", "UTB1")
    assert ADMIN_ONLY not in text_of(bot.command("TA", "UTA1", "", name="/ia-settings"))  # the installer
    assert ADMIN_ONLY not in text_of(bot.command("TA", "UTAADMIN", "", name="/ia-settings"))  # a Slack admin
    assert ADMIN_ONLY in text_of(bot.command("TA", "UTA2", "", name="/ia-settings"))
    # the installer of TA is nobody special in TB (and TA's admin list is not TB's)
    bot.fake.add_member("TB", "UTA1", "Visitor")
    assert ADMIN_ONLY in text_of(bot.command("TB", "UTA1", "", name="/ia-settings"))


def test_the_config_admin_lists_are_refused_in_distribution(store_section: dict[str, Any]) -> None:
    with FakeSlackOAuth(CLIENT_ID, CLIENT_SECRET) as fake:
        with pytest.raises(ConfigError, match="slack.admins"):
            config = make_config(fake, store_section, admins=["U1"])
            DistributedSlackAdapter(Coach(config, open_configured_store(config)), config, env={})
        with pytest.raises(ConfigError, match="slack.mode"):
            config = make_config(fake, store_section, mode="socket")
            DistributedSlackAdapter(Coach(config, open_configured_store(config)), config, env={})


# ---------------------------------------------------------------------------- rotation
@pytest.fixture
def rotating_bot(store_section: dict[str, Any]) -> Iterator[Bot]:
    # tokens that last an hour: within bolt's 2 hours of margin, so each is refreshed before its first use
    with FakeSlackOAuth(CLIENT_ID, CLIENT_SECRET, expires_in=3600) as fake:
        yield from _running(fake, store_section)


def test_an_expiring_token_is_refreshed_before_a_call(rotating_bot: Bot) -> None:
    bot = rotating_bot
    first = bot.install("TA", "UTA1")
    bot.fake.wait_for(lambda: bot.fake.calls_to("chat.postMessage"))  # the welcome, after its own refresh
    bot.fake.expire(bot.fake.tokens_of("TA")[-1])
    bot.fake.calls.clear()
    bot.command("TA", "UTA2", "image 2")
    refreshes = [c for c in bot.fake.calls_to("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"]
    assert refreshes, "no refresh_token exchange"
    latest = bot.fake.tokens_of("TA")[-1]
    assert latest != first and tokens_used(bot.fake, "users.info") == {latest}
    # a scheduled post (no request from Slack) refreshes too, and the store keeps the newest token
    bot.fake.expire(latest)
    bot.fake.calls.clear()
    assert bot.adapter.post_to_channel("TA", "C0001", Reply(kind="weekly", title="Semaine"))
    posted = bot.fake.calls_to("chat.postMessage")
    newest = bot.fake.tokens_of("TA")[-1]
    assert newest != latest and {c.token for c in posted} == {newest}
    with bot.adapter._rotation_lock:  # no refresh half done: the store holds the newest token and its unspent refresh
        stored = bot.adapter.installation_store.find_installation(enterprise_id=None, team_id="TA")
        assert stored is not None and stored.bot_token == bot.fake.tokens_of("TA")[-1]
        assert stored.bot_refresh_token in bot.fake.refresh_tokens


@pytest.fixture
def twelve_hour_bot(store_section: dict[str, Any]) -> Iterator[Bot]:
    with FakeSlackOAuth(CLIENT_ID, CLIENT_SECRET, expires_in=12 * 3600) as fake:  # Slack's rotating tokens' life
        yield from _running(fake, store_section)


def test_a_token_far_from_expiry_is_used_as_it_is(twelve_hour_bot: Bot) -> None:
    bot = twelve_hour_bot
    token = bot.install("TA", "UTA1")
    bot.command("TA", "UTA2", "image 2")
    assert bot.adapter.post_to_channel("TA", "C0001", Reply(kind="weekly", title="Semaine"))
    assert [c for c in bot.fake.calls_to("oauth.v2.access") if c.params.get("grant_type")] == []
    assert {c.token for c in bot.fake.calls_to("chat.postMessage")} == {token}


# ---------------------------------------------------------------------------- uninstall
@pytest.mark.parametrize("event", ["app_uninstalled", "tokens_revoked"])
def test_uninstall_deletes_tokens_at_once_and_data_after_the_grace_period(bot: Bot, event: str) -> None:
    token_a = bot.install("TA", "UTA1")
    token_b = bot.install("TB", "UTB1")
    bot.command("TA", "UTA2", "image 2")
    bot.command("TB", "UTB2", "image 5")
    # the work each command queued (its App Home) is done: nothing of TA's is still in flight below
    bot.fake.wait_for(lambda: {token_a, token_b} <= tokens_used(bot.fake, "views.publish"))
    uninstalled_at = time.time()
    assert bot.uninstall("TA", event) == 200
    assert bot.adapter.installation("TA") is None and not bot.adapter.serves("TA")
    assert bot.adapter.serves("TB")
    assert [e.count for e in bot.coach.store.member_events("TA", "UTA2")] == [2]  # data kept for now
    # 29 days later the data is still there; 31 days later it is gone, and the other workspace untouched
    assert run_upkeep(bot.coach.store, bot.config, now=uninstalled_at + 29 * DAY)["uninstalled"] == []
    assert [e.count for e in bot.coach.store.member_events("TA", "UTA2")] == [2]
    assert run_upkeep(bot.coach.store, bot.config, now=uninstalled_at + 31 * DAY)["uninstalled"] == ["TA"]
    assert bot.coach.store.member_events("TA", "UTA2") == [] and "TA" not in bot.coach.store.workspaces()
    assert bot.coach.store.member(("TA"), "UTA2") is None
    assert [e.count for e in bot.coach.store.member_events("TB", "UTB2")] == [5]
    assert rows_left(bot, "TA") == {} and rows_left(bot, "TB")  # on PostgreSQL: in no table at all
    bot.fake.calls.clear()
    bot.command("TB", "UTB2", "image 1")  # the other workspace works as before
    assert [e.count for e in bot.coach.store.member_events("TB", "UTB2")] == [5, 1]
    assert bot.fake.wait_for(lambda: tokens_used(bot.fake, "views.publish")) == {token_b}  # its App Home


def test_a_workspace_that_installs_again_in_time_keeps_its_data(bot: Bot) -> None:
    bot.install("TA", "UTA1")
    bot.command("TA", "UTA2", "image 2")
    uninstalled_at = time.time()
    assert bot.uninstall("TA") == 200
    bot.install("TA", "UTA1")
    assert run_upkeep(bot.coach.store, bot.config, now=uninstalled_at + 60 * DAY)["uninstalled"] == []
    assert [e.count for e in bot.coach.store.member_events("TA", "UTA2")] == [2]
    assert ADMIN_ONLY not in text_of(bot.command("TA", "UTA1", "", name="/ia-settings"))


# ---------------------------------------------------------------------------- the store's half
def test_installation_records_states_and_forgetting_on_both_stores(store_section: dict[str, Any]) -> None:
    from bot.core.config import parse_config
    from bot.store import Event
    from bot.store.installations import forget_workspace

    store = open_configured_store(parse_config({"store": store_section}))
    try:
        installs = installations_for(store)
        assert installations_for(store) is installs  # one per store
        installs.save("slack", "installation", "", "T1", "", {"bot_token": "xoxb-1", "n": 1})
        installs.save("slack", "installation", "", "T1", "U1", {"bot_token": "xoxb-1", "n": 2})
        installs.save("slack", "bot", "", "T1", "", {"bot_token": "xoxb-1"})
        installs.save("slack", "installation", "", "T1", "", {"bot_token": "xoxb-2", "n": 3})  # replaced
        assert installs.find("slack", "installation", "", "T1", "") == {"bot_token": "xoxb-2", "n": 3}
        assert installs.find("slack", "installation", "", "T2", "") is None
        assert installs.delete("slack", "", "T1", kind="installation", user="U1") == 1
        assert installs.delete("slack", "", "T1") == 2 and installs.find("slack", "bot", "", "T1", "") is None
        # a state is good once, and only before it expires
        installs.add_state("s1", time.time() + 600)
        installs.add_state("s2", time.time() - 1)
        assert installs.consume_state("s1", time.time()) and not installs.consume_state("s1", time.time())
        assert not installs.consume_state("s2", time.time()) and not installs.consume_state("never", time.time())
        # uninstalls: the first time is kept, a reinstall clears it
        installs.mark_uninstalled("E1", 100.0)
        installs.mark_uninstalled("E1", 200.0)
        assert installs.uninstalled() == {"E1": 100.0}
        assert installs.clear_uninstalled("E1") and not installs.clear_uninstalled("E1")
        # forgetting a Grid organisation takes its teams' data, not a look-alike organisation's
        for ws in ("E1:T1", "E1:T2", "E10:T1", "E1_x"):
            store.add_event(ws, Event(id="e1", ts=time.time(), user="U1", type="gen", kind="image", count=1,
                                      zone="USA"))
            store.update_member(ws, "U1", name="Camille")
        assert sorted(forget_workspace(store, "E1")) == ["E1:T1", "E1:T2"]
        assert store.workspaces() == ["E10:T1", "E1_x"]
        assert store.member("E1:T1", "U1") is None and store.member("E10:T1", "U1") is not None
        store.add_event("E1:T1", Event(id="e2", ts=time.time(), user="U1", type="gen", kind="image", count=2,
                                       zone="USA"))  # a workspace forgotten can start again
        assert [e.count for e in store.member_events("E1:T1", "U1")] == [2]
    finally:
        store.close()


def test_sobria_run_builds_the_distributed_adapter_when_client_id_is_set(store_section: dict[str, Any]) -> None:
    from bot.cli import _slack

    with FakeSlackOAuth(CLIENT_ID, CLIENT_SECRET) as fake:
        config = make_config(fake, store_section)
        store = open_configured_store(config)
        try:
            adapter = _slack(Coach(config, store), config)
            assert isinstance(adapter, DistributedSlackAdapter)
            adapter.stop()
        finally:
            store.close()
