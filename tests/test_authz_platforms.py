"""Who may run the admin actions, through the real Slack and Discord front-ends.

Every admin action (each admin-only command of the catalogue, run bare,
`/ia-settings` with a value, `/ia-team map` and `unmap`) is refused to a
member, changing nothing, and allowed to each kind of admin each platform
knows: Slack workspace admins and owners, Discord members with Manage Server
or Administrator, and the ids listed in the configuration. A Slack admin
demoted since their last command is refused at once: the role is read fresh
for every admin action, not taken from the cache of names.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from adapters.discord.app import DiscordAdapter
from adapters.slack.app import SlackAdapter
from bot.commands import CATALOGUE
from bot.core.config import parse_config
from fake_discord import MANAGE_GUILD, ADMINISTRATOR, MEMBER_PERMISSIONS, FakeDiscord, FakeUser, answer_body
from fake_discord import running as running_discord
from fake_slack import FakeSlack, running, send_slash_command, slash_payload, http_config

BOT = "xoxb-authz-bot-token"
SECRET = "authz-signing-secret"
TEAM = "T0001"
GUILD = "111111111111111111"
VENTE, ATELIER = "111111111111111300", "111111111111111301"  # the fake server's roles

MEMBER = FakeUser(1000000000000000001, "camille", "Camille")
MANAGER = FakeUser(1000000000000000002, "bob", "Bob")
OWNER = FakeUser(1000000000000000003, "alex", "Alex")
LISTED = FakeUser(1000000000000000004, "lou", "Lou")  # in [discord] admins
BOT_LISTED = FakeUser(1000000000000000005, "noa", "Noa")  # in [bot] admins, like the Slack member UBOTCONF

OTHER_ADMIN_COMMANDS = [c.name for c in CATALOGUE if c.admin_only and c.name != "ia-settings"]


def _timezone(settings: dict[str, Any]) -> Any:
    return settings.get("timezone")


# (command, Slack text, Discord options, the change an admin makes, seen in the workspace settings)
ADMIN_ACTIONS: list[tuple[str, str, dict[str, Any], Any]] = [
    ("ia-settings", "", {}, None),
    ("ia-settings", "timezone Europe/Brussels", {"key": "timezone", "value": "Europe/Brussels"},
     lambda s: s.get("timezone") == "Europe/Brussels"),
    ("ia-team", "map <!subteam^S0VENTE|@ventes> Ventes", {"action": "map", "name": f"<@&{VENTE}> Ventes"},
     lambda s: (s.get("team_groups") or {}).get("S0VENTE") == "Ventes"
     or (s.get("team_groups") or {}).get(VENTE) == "Ventes"),
    ("ia-team", "unmap <!subteam^S0ATELIER|@atelier>", {"action": "unmap", "name": f"<@&{ATELIER}>"},
     lambda s: not ({"S0ATELIER", ATELIER} & set(s.get("team_groups") or {}))),
] + [(name, "", {}, None) for name in OTHER_ADMIN_COMMANDS]


def test_the_matrix_covers_every_admin_command() -> None:
    assert {a[0] for a in ADMIN_ACTIONS} == {c.name for c in CATALOGUE if c.admin_only} | {"ia-team"}


def reset(store, workspace: str) -> None:
    """The workspace as each run of the matrix starts: no time zone chosen, the Atelier group mapped."""
    store.set_setting(workspace, "timezone", None)
    store.set_setting(workspace, "team_groups", {"S0ATELIER" if workspace == TEAM else ATELIER: "Atelier"})


# ---------------------------------------------------------------------------- Slack
@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        server.add_user("U1", "Camille")
        server.add_user("UADMIN", "Alex", admin=True)
        server.add_user("UOWNER", "Dominique", owner=True)
        server.add_user("USLACKCONF", "Lou")
        server.add_user("UBOTCONF", "Noa")
        yield server


@pytest.fixture
def config(tmp_path, fake):
    return http_config(tmp_path / "data", fake, BOT, SECRET, slack={"admins": ["USLACKCONF"]},
                       bot={"admins": ["UBOTCONF", str(BOT_LISTED.id)]})


@pytest.fixture
def url(coach, config):
    with running(SlackAdapter(coach, config, env={})) as adapter:
        yield f"http://127.0.0.1:{adapter.bound_port}/slack/events"


def slack_header(url: str, fake: FakeSlack, name: str, text: str, user: str) -> str:
    response_url = fake.new_response_url()
    sent = send_slash_command(url, SECRET, slash_payload(f"/{name}", text, user_id=user, response_url=response_url))
    assert sent.status == 200
    return fake.wait_for(lambda: fake.delivered_to(response_url))[0]["blocks"][0]["text"]["text"]


def test_slack_members_and_demoted_admins_are_refused_every_admin_action(url, fake, store, coach):
    refused = coach.notice("admin_only", "fr").title
    reset(store, TEAM)
    before = store.settings(TEAM)
    for i, (name, text, _, _) in enumerate(ADMIN_ACTIONS):
        assert slack_header(url, fake, name, text, "U1") == refused, (name, text)
        demoted = f"UDEMOTED{i}"
        fake.add_user(demoted, "Sam", admin=True)
        slack_header(url, fake, "ia-help", "", demoted)  # known, and cached, as an admin…
        fake.add_user(demoted, "Sam", admin=False)  # …then demoted in Slack
        assert slack_header(url, fake, name, text, demoted) == refused, ("demoted", name, text)
    assert store.settings(TEAM) == before


@pytest.mark.parametrize("admin", ["UADMIN", "UOWNER", "USLACKCONF", "UBOTCONF"])
def test_slack_admins_may_run_every_admin_action(url, fake, store, coach, admin):
    not_expected = {coach.notice(key, "fr").title for key in ("admin_only", "internal_error", "not_saved")}
    reset(store, TEAM)
    for name, text, _, changed in ADMIN_ACTIONS:
        assert slack_header(url, fake, name, text, admin) not in not_expected, (name, text)
        if changed is not None:
            assert changed(store.settings(TEAM)), (name, text)


# ---------------------------------------------------------------------------- Discord


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as server:
        yield server


@pytest.fixture
def discord_bot(discord_fake: FakeDiscord, coach, config, monkeypatch) -> Iterator[DiscordAdapter]:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    raw = {**config.raw, "discord": discord_fake.config_section(admins=[LISTED.id])}
    with running_discord(DiscordAdapter(coach, parse_config(raw)), discord_fake) as adapter:
        yield adapter


def discord_title(fake: FakeDiscord, name: str, options: dict[str, Any], user: FakeUser, permissions: int) -> str:
    sent = fake.slash(name, options, user=user, permissions=permissions)
    (embed,) = answer_body(fake.wait_answer(sent))["embeds"]
    return embed["title"]


def test_discord_members_are_refused_every_admin_action(discord_bot, discord_fake, store, coach):
    refused = coach.notice("admin_only", "fr").title
    reset(store, GUILD)
    before = store.settings(GUILD)
    for permissions in (MEMBER_PERMISSIONS, MEMBER_PERMISSIONS | (1 << 13)):  # Manage Messages is not enough
        for name, _, options, _ in ADMIN_ACTIONS:
            assert discord_title(discord_fake, name, options, MEMBER, permissions) == refused, (name, options)
    assert store.settings(GUILD) == before


@pytest.mark.parametrize(("who", "permissions"), [(MANAGER, MANAGE_GUILD | MEMBER_PERMISSIONS),
                                                  (OWNER, ADMINISTRATOR), (LISTED, MEMBER_PERMISSIONS),
                                                  (BOT_LISTED, MEMBER_PERMISSIONS)],
                         ids=["manage-server", "administrator", "discord-admins", "bot-admins"])
def test_discord_admins_may_run_every_admin_action(discord_bot, discord_fake, store, coach, who, permissions):
    not_expected = {coach.notice(key, "fr").title for key in ("admin_only", "internal_error", "not_saved")}
    reset(store, GUILD)
    for name, _, options, changed in ADMIN_ACTIONS:
        assert discord_title(discord_fake, name, options, who, permissions) not in not_expected, (name, options)
        if changed is not None:
            assert changed(store.settings(GUILD)), (name, options)
