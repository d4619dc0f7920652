"""The real discord.py client against a local Discord: log in, sync, every command, buttons, failures.

Each test runs the adapter exactly as `sobria run` does (its own thread, its
own event loop) against `fake_discord.FakeDiscord`, and checks what reached
"Discord": the interaction answers, their embeds, flags and mentions.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters.discord.app import DiscordAdapter
from adapters.discord.embeds import build_embed
from bot.commands import CATALOGUE
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.core.reply import Button, Reply
from fake_discord import EPHEMERAL, MANAGE_GUILD, MEMBER_PERMISSIONS, WAIT, FakeDiscord, FakeUser, Recorded, Sent

MEMBER = FakeUser(1000000000000000001, "camille", "Camille")
OTHER = FakeUser(1000000000000000002, "bob", "Bob", nick="Bob de l'atelier")
OWNER = FakeUser(1000000000000000003, "alex", "Alex")
NO_MENTIONS = {"parse": []}


class Recording:
    """The real coach, with every call and reply kept for the assertions (and an optional slowness)."""

    def __init__(self, coach: Any) -> None:
        self.coach = coach
        self.calls: list[tuple[str, str, str, Sender, Reply]] = []
        self.delay = 0.0
        self.alter = None  # a function Reply → Reply, to simulate an engine decision
        self._lock = threading.Lock()

    def _keep(self, entry: str, name: str, text: str, sender: Sender, reply: Reply) -> Reply:
        if self.alter is not None:
            reply = self.alter(reply)
        with self._lock:
            self.calls.append((entry, name, text, sender, reply))
        return reply

    def handle(self, command: str, text: str, sender: Sender) -> Reply:
        time.sleep(self.delay)
        return self._keep("handle", command, text, sender, self.coach.handle(command, text, sender))

    def action(self, action: str, value: str, sender: Sender) -> Reply:
        return self._keep("action", action, value, sender, self.coach.action(action, value, sender))

    def notice(self, key: str, lang: str) -> Reply:
        reply = self.coach.notice(key, lang)
        with self._lock:
            self.calls.append(("notice", key, lang, Sender("", "", "", "discord"), reply))
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self.coach, name)  # the catalogue, the config: the real coach's

    def last(self) -> tuple[str, str, str, Sender, Reply]:
        with self._lock:
            return self.calls[-1]


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as server:
        yield server


def discord_config(fake: FakeDiscord, data_dir: Path, **keys: Any):
    section = {"token": fake.token, "api_url": fake.api_url, "gateway_url": fake.gateway_url,
               "guild_ids": [g.id for g in fake.guilds], **keys}
    return parse_config({"store": {"data_dir": str(data_dir)}, "discord": section})


@contextmanager
def running(adapter: DiscordAdapter, fake: FakeDiscord) -> Iterator[DiscordAdapter]:
    """Run the adapter in its own thread until the block ends; it must then stop cleanly.

    The block starts once the bot has identified and received its servers
    (interactions sent from then on are read after them). discord.py's own
    "ready" comes two seconds later, after its wait for late servers; the
    tests that need it wait for `adapter.ready`.
    """
    connections = fake.gateway_connections
    thread = threading.Thread(target=adapter.run_forever, name="discord-under-test", daemon=True)
    thread.start()
    try:
        fake.wait_until(lambda: fake.gateway_connections > connections, what="the bot to connect")
        fake.wait_ready()
        yield adapter
    finally:
        adapter.stop()
        thread.join(WAIT)
        assert not thread.is_alive(), "run_forever did not return after stop()"


@pytest.fixture
def recording(coach) -> Recording:
    return Recording(coach)


@pytest.fixture
def bot(fake: FakeDiscord, recording: Recording, tmp_path: Path) -> Iterator[DiscordAdapter]:
    with running(DiscordAdapter(recording, discord_config(fake, tmp_path / "bot")), fake) as adapter:
        yield adapter


def body(answer: Recorded) -> dict[str, Any]:
    """The message part of an answer: callback `data`, or a webhook edit / follow-up body."""
    return (answer.json.get("data") or {}) if answer.path.endswith("/callback") else answer.json


def embed(answer: Recorded) -> dict[str, Any]:
    (only,) = body(answer)["embeds"]
    return only


def is_ephemeral(answer: Recorded) -> bool:
    return bool(int(body(answer).get("flags") or 0) & EPHEMERAL)


def ask(fake: FakeDiscord, name: str, options: dict[str, Any] | None = None, **kw: Any) -> tuple[Sent, Recorded]:
    sent = fake.slash(name, options, user=kw.pop("user", MEMBER), **kw)
    return sent, fake.wait_answer(sent)


def events_of(store, workspace: str, user: str) -> list:
    return list(store.member_events(workspace, user))


GUILD = "111111111111111111"

# (command, options, who, permissions, text the engine must receive, reply kind)
ROUND_TRIPS = [
    ("ia-log", {"kind": "image", "count": 3, "tool": "midjourney", "prompt": "logo de la boulangerie"}, MEMBER,
     MEMBER_PERMISSIONS, "image 3 midjourney -- logo de la boulangerie", "logged"),
    ("ia-avoid", {"kind": "text", "count": 2, "how": "réutilisé le modèle de mail"}, MEMBER, MEMBER_PERMISSIONS,
     "text 2 -- réutilisé le modèle de mail", "avoided"),
    ("ia-score", {"prompt": "Tu es community manager. Rédige un post de 3 lignes."}, MEMBER, MEMBER_PERMISSIONS,
     "Tu es community manager. Rédige un post de 3 lignes.", "score"),
    ("ia-stats", {"period": "month", "public": True}, MEMBER, MEMBER_PERMISSIONS, "month public", "stats"),
    ("ia-top", {"period": "all"}, MEMBER, MEMBER_PERMISSIONS, "all", "top"),
    ("ia-undo", {}, MEMBER, MEMBER_PERMISSIONS, "", "undo_none"),
    ("ia-me", {"action": "nudges on"}, MEMBER, MEMBER_PERMISSIONS, "nudges on", "pref"),
    ("ia-team", {"action": "list"}, MEMBER, MEMBER_PERMISSIONS, "list", None),
    ("ia-settings", {"key": "timezone", "value": "Europe/Brussels"}, OWNER, MANAGE_GUILD, "timezone Europe/Brussels",
     "setting_saved"),
    ("ia-report", {"period": "2026-10", "format": "csv"}, OWNER, MANAGE_GUILD, "2026-10 csv", "report"),
    ("ia-help", {"topic": "log"}, MEMBER, MEMBER_PERMISSIONS, "log", "help_command"),
]


def test_the_round_trips_cover_the_whole_catalogue() -> None:
    assert {case[0] for case in ROUND_TRIPS} == {c.name for c in CATALOGUE}


@pytest.mark.parametrize(("name", "options", "who", "permissions", "text", "kind"), ROUND_TRIPS,
                         ids=[case[0] for case in ROUND_TRIPS])
def test_every_command_round_trips(bot, fake: FakeDiscord, recording: Recording, name: str, options: dict,
                                   who: FakeUser, permissions: int, text: str, kind: str | None) -> None:
    sent, answer = ask(fake, name, options, user=who, permissions=permissions)
    entry, command, got_text, sender, reply = recording.last()
    assert (entry, command, got_text) == ("handle", name, text)
    assert (sender.workspace_id, sender.user_id, sender.platform) == (GUILD, str(who.id), "discord")
    assert sender.display_name == (who.nick or who.global_name)
    if kind is not None:
        assert reply.kind == kind, reply
    assert answer.json["type"] == 4
    assert embed(answer) == build_embed(reply).to_dict()
    assert is_ephemeral(answer) is (not reply.public)
    assert body(answer)["allowed_mentions"] == NO_MENTIONS


def test_login_uses_no_privileged_intent_and_syncs_to_the_listed_guilds(bot, fake: FakeDiscord) -> None:
    (identify,) = fake.identifies
    assert identify["intents"] == 1  # guilds only: no members, presences or message content
    puts = fake.requests_matching("PUT", r"/applications/\d+(/guilds/\d+)?/commands")
    assert sorted(r.path for r in puts) == sorted(f"/applications/{fake.app_id}/guilds/{g.id}/commands"
                                                 for g in fake.guilds)
    assert all(r.authorization == f"Bot {fake.token}" for r in puts)
    for guild in fake.guilds:
        assert [c["name"] for c in fake.commands[str(guild.id)]] == [c.name for c in CATALOGUE]
    assert "global" not in fake.commands


def test_without_guild_ids_commands_are_registered_globally(fake: FakeDiscord, recording: Recording,
                                                             tmp_path: Path) -> None:
    with running(DiscordAdapter(recording, discord_config(fake, tmp_path, guild_ids=[])), fake):
        fake.wait_request("PUT", rf"/applications/{fake.app_id}/commands")
        sent, answer = ask(fake, "ia-help")
    assert [r.path for r in fake.requests_matching("PUT", r".*/commands")] == [f"/applications/{fake.app_id}/commands"]
    assert embed(answer)["title"]


def test_a_restart_with_the_same_commands_does_not_sync_again(fake: FakeDiscord, recording: Recording,
                                                              tmp_path: Path) -> None:
    config = discord_config(fake, tmp_path)
    with running(DiscordAdapter(recording, config), fake):
        pass
    first = len(fake.requests_matching("PUT", r".*/commands"))
    assert first == len(fake.guilds)
    state = json.loads((tmp_path / "discord_commands.json").read_text(encoding="utf-8"))
    assert sorted(state) == sorted(f"{fake.app_id}:{g.id}" for g in fake.guilds)

    with running(DiscordAdapter(recording, config), fake) as again:
        ask(fake, "ia-help")  # the commands registered before still answer
        assert again.client.synced == []
    assert len(fake.requests_matching("PUT", r".*/commands")) == first

    english = parse_config({**config.raw, "bot": {"lang": "en"}})  # other default wording: a changed command set
    with running(DiscordAdapter(recording, english), fake) as changed:
        assert len(changed.client.synced) == len(fake.guilds)
    assert len(fake.requests_matching("PUT", r".*/commands")) == 2 * first


def test_a_refused_sync_is_logged_served_anyway_and_retried_at_the_next_start(fake: FakeDiscord, recording: Recording,
                                                                             tmp_path: Path) -> None:
    first, second = fake.guilds
    fake.fail("PUT", rf"/applications/{fake.app_id}/guilds/{second.id}/commands", 403)  # scope missing there
    config = discord_config(fake, tmp_path)
    with running(DiscordAdapter(recording, config), fake) as adapter:
        assert adapter.client.synced == [f"{fake.app_id}:{first.id}"]
        sent, answer = ask(fake, "ia-help")
        assert embed(answer)["title"]
    with running(DiscordAdapter(recording, config), fake) as adapter:
        assert adapter.client.synced == [f"{fake.app_id}:{second.id}"]


def test_settings_are_refused_to_members_and_allowed_to_listed_admins(fake: FakeDiscord, recording: Recording,
                                                                      store, tmp_path: Path) -> None:
    config = discord_config(fake, tmp_path, admins=[OTHER.id])
    with running(DiscordAdapter(recording, config), fake):
        sent, answer = ask(fake, "ia-settings", {"key": "lang", "value": "en"}, user=MEMBER)
        refused = recording.last()[4]
        assert refused.kind == "notice:admin_only"
        assert embed(answer) == build_embed(refused).to_dict() and is_ephemeral(answer)
        assert store.settings(GUILD).get("lang") is None

        sent, answer = ask(fake, "ia-settings", {"key": "green_max", "value": "30"}, user=OTHER)
        assert recording.last()[3].is_admin and recording.last()[4].kind == "setting_saved"
        assert store.settings(GUILD)["green_max"] == 30


def test_mentions_in_user_text_ping_no_one(bot, fake: FakeDiscord, recording: Recording) -> None:
    prompt = "@everyone @here <@1000000000000000002> <@&111111111111111300> **urgent** écris un mail"
    sent, answer = ask(fake, "ia-log", {"kind": "text", "prompt": prompt})
    assert recording.last()[2] == "text -- " + prompt  # the engine sees exactly what was typed, as the prompt
    shown = json.dumps(embed(answer), ensure_ascii=False)
    for ping in ("@everyone", "@here", "<@1000000000000000002>", "<@&111111111111111300>"):
        assert ping not in shown
    assert body(answer)["allowed_mentions"] == NO_MENTIONS


def test_a_display_name_cannot_ping_either(bot, fake: FakeDiscord) -> None:
    sneaky = FakeUser(1000000000000000009, "sneaky", "@everyone **Boss**")
    sent, answer = ask(fake, "ia-me", {"action": "show"}, user=sneaky)
    assert "@everyone" not in json.dumps(embed(answer)) and "**Boss**" not in json.dumps(embed(answer))
    assert body(answer)["allowed_mentions"] == NO_MENTIONS


def test_direct_messages_are_refused_politely(fake: FakeDiscord, recording: Recording, tmp_path: Path) -> None:
    # Only global commands can be run in a DM with the bot; server-synced ones are not offered there.
    with running(DiscordAdapter(recording, discord_config(fake, tmp_path, guild_ids=[])), fake):
        sent, answer = ask(fake, "ia-log", {"kind": "image"}, guild_id=0, locale="en-US")
    entry, key, lang, _, reply = recording.last()
    assert (entry, key, lang) == ("notice", "dm_refused", "en")
    assert embed(answer) == build_embed(reply).to_dict() and is_ephemeral(answer)
    assert not any(call[0] == "handle" for call in recording.calls)


def test_roles_are_the_senders_groups(bot, fake: FakeDiscord, recording: Recording) -> None:
    ask(fake, "ia-help", roles=(111111111111111300,))
    assert recording.last()[3].groups == ("111111111111111300",)


def test_undo_and_details_buttons(bot, fake: FakeDiscord, recording: Recording, store) -> None:
    sent, answer = ask(fake, "ia-log", {"kind": "text", "count": 2, "prompt": "fais un truc"})
    logged = recording.last()[4]
    event_id = logged.data["event_id"]
    ids = [c["custom_id"] for row in body(answer)["components"] for c in row["components"]]
    assert ids == [f"sobria:undo:{event_id}", f"sobria:details:{event_id}"]
    message = fake.message_for(sent)

    details = fake.click(f"sobria:details:{event_id}", message, user=MEMBER)
    opened = fake.wait_answer(details)
    assert recording.last()[:3] == ("action", "details", event_id)
    assert recording.last()[4].kind == "details" and embed(opened) == build_embed(recording.last()[4]).to_dict()
    assert is_ephemeral(opened) and recording.last()[4].rct is not None

    other = fake.click(f"sobria:undo:{event_id}", message, user=OTHER)  # someone else's event: not theirs to undo
    fake.wait_answer(other)
    assert recording.last()[4].kind == "undo_none"
    assert len(events_of(store, GUILD, str(MEMBER.id))) == 1

    undo = fake.click(f"sobria:undo:{event_id}", message, user=MEMBER)
    undone = fake.wait_answer(undo)
    assert recording.last()[4].kind == "undone" and is_ephemeral(undone)
    assert events_of(store, GUILD, str(MEMBER.id)) == []


def test_preference_buttons(bot, fake: FakeDiscord, recording: Recording, store) -> None:
    sent, answer = ask(fake, "ia-me", {"action": "show"})
    ids = [c["custom_id"] for row in body(answer)["components"] for c in row["components"]]
    assert "sobria:pref:nudges on" in ids
    press = fake.click("sobria:pref:nudges on", fake.message_for(sent), user=MEMBER)
    fake.wait_answer(press)
    assert recording.last()[:3] == ("action", "pref", "nudges on")
    assert store.member(GUILD, str(MEMBER.id))["nudges"] is True


def test_export_arrives_as_a_file(bot, fake: FakeDiscord, recording: Recording) -> None:
    ask(fake, "ia-log", {"kind": "image"})
    sent, answer = ask(fake, "ia-me", {"action": "export"})
    (name, content), = answer.files.values()
    assert name == recording.last()[4].attachments[0].filename
    assert len(json.loads(content)["events"]) == 1
    assert is_ephemeral(answer)


def test_slow_work_gets_no_early_answer_and_its_private_reply_comes_by_direct_message(bot, fake: FakeDiscord,
                                                                                       recording: Recording) -> None:
    bot.client.answer_within = 0.05  # the engine is "slower than Discord waits"
    recording.delay = 0.5
    sent = fake.slash("ia-stats", {"period": "week"}, user=MEMBER)
    dm = fake.dm_channel_of(MEMBER.id)
    (posted,) = fake.wait_request("POST", rf"/channels/{dm}/messages")
    assert posted.json["embeds"] == [build_embed(recording.last()[4]).to_dict()]
    assert posted.json["allowed_mentions"] == NO_MENTIONS
    assert fake.answers(sent) == []  # neither an answer nor a "thinking…" deferral before the engine was done


def test_slow_work_with_a_public_reply_is_posted_in_the_channel(bot, fake: FakeDiscord, recording: Recording) -> None:
    bot.client.answer_within = 0.05
    recording.delay = 0.5
    sent = fake.slash("ia-top", {"period": "week", "public": True}, user=MEMBER)
    channel = sent.payload["channel_id"]
    (posted,) = fake.wait_request("POST", rf"/channels/{channel}/messages")
    assert posted.json["embeds"] == [build_embed(recording.last()[4]).to_dict()]
    assert fake.answers(sent) == []


def test_rate_limits_and_server_errors_are_retried_and_the_event_stored_once(bot, fake: FakeDiscord,
                                                                              recording: Recording, store) -> None:
    fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 429, times=1, retry_after=0.1)
    sent, answer = ask(fake, "ia-log", {"kind": "image"})
    assert len(fake.requests_matching("POST", rf"/interactions/{sent.id}/.*/callback")) == 2
    fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 503, times=1)
    sent, answer = ask(fake, "ia-log", {"kind": "video"})
    assert len(fake.requests_matching("POST", rf"/interactions/{sent.id}/.*/callback")) == 2
    assert [e.kind for e in events_of(store, GUILD, str(MEMBER.id))] == ["image", "video"]
    assert sum(1 for call in recording.calls if call[0] == "handle") == 2


def test_a_failed_answer_is_not_retried_and_the_bot_keeps_serving(bot, fake: FakeDiscord, recording: Recording,
                                                                  store) -> None:
    fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 404, times=1)  # e.g. the 3-second window was missed
    sent = fake.slash("ia-log", {"kind": "audio"}, user=MEMBER)
    fake.wait_until(lambda: fake.requests_matching("POST", rf"/interactions/{sent.id}/.*/callback"))
    sent, answer = ask(fake, "ia-log", {"kind": "code"})
    assert [e.kind for e in events_of(store, GUILD, str(MEMBER.id))] == ["audio", "code"]
    assert embed(answer)["title"]


def test_post_to_channel(bot, fake: FakeDiscord, coach) -> None:
    guild, other = fake.guilds
    reply = coach.handle("ia-stats", "month", Sender(str(guild.id), str(MEMBER.id), "Camille", "discord"))
    assert bot.post_to_channel(str(guild.id), str(guild.channel_ids[1]), reply) is True
    (posted,) = fake.requests_matching("POST", rf"/channels/{guild.channel_ids[1]}/messages")
    assert posted.json["embeds"] == [build_embed(reply).to_dict()]
    assert posted.json["allowed_mentions"] == NO_MENTIONS
    # a channel of another server, an unknown channel, nonsense ids: refused, never raised
    assert bot.post_to_channel(str(guild.id), str(other.channel_ids[0]), reply) is False
    assert bot.post_to_channel(str(guild.id), "999999999999999999", reply) is False
    assert bot.post_to_channel("not-a-guild", "123", reply) is False
    assert fake.requests_matching("POST", rf"/channels/{other.channel_ids[0]}/messages") == []


def test_serves_only_its_servers(bot, fake: FakeDiscord) -> None:
    assert bot.ready.wait(WAIT)  # the scheduler asks only once the bot is ready
    assert bot.serves(str(fake.guilds[0].id)) and bot.serves(str(fake.guilds[1].id))
    assert not bot.serves("333333333333333333") and not bot.serves("T0001")


def test_send_direct_and_its_button_pressed_in_the_dm(bot, fake: FakeDiscord, recording: Recording, store) -> None:
    guild = fake.guilds[0]
    ask(fake, "ia-me", {"action": "nudges on"})  # Camille is a member and wants her weekly nudge
    assert store.member(GUILD, str(MEMBER.id))["nudges"] is True
    nudge = Reply(kind="nudge", title="Votre semaine", buttons=(Button("pref", "Couper les rappels", "nudges off"),))
    assert bot.send_direct(GUILD, str(MEMBER.id), nudge) is True
    dm = fake.dm_channel_of(MEMBER.id)
    (posted,) = fake.requests_matching("POST", rf"/channels/{dm}/messages")
    assert posted.json["embeds"] == [build_embed(nudge).to_dict()]
    assert posted.json["allowed_mentions"] == NO_MENTIONS
    (button,) = [c for row in posted.json["components"] for c in row["components"]]
    assert button["custom_id"] == f"sobria:pref@{guild.id}:nudges off"

    message = next(m for m in fake.messages.values() if m["channel_id"] == str(dm))
    press = fake.click(button["custom_id"], message, user=MEMBER)
    answer = fake.wait_answer(press)
    entry, action, value, sender, reply = recording.last()
    assert (entry, action, value) == ("action", "pref", "nudges off")
    assert (sender.workspace_id, sender.user_id, sender.is_admin) == (GUILD, str(MEMBER.id), False)
    assert store.member(GUILD, str(MEMBER.id))["nudges"] is False
    buttons = [c["custom_id"] for row in body(answer).get("components", []) for c in row["components"]]
    assert buttons and all(b.startswith(f"sobria:pref@{guild.id}:") for b in buttons)  # still usable in the DM


def test_send_direct_refuses_strangers_and_a_dm_button_of_a_server_left(bot, fake: FakeDiscord,
                                                                        recording: Recording) -> None:
    stranger = FakeUser(1000000000000000077, "stranger", "Stranger")
    reply = Reply(kind="nudge", title="Votre semaine")
    assert bot.send_direct(GUILD, str(stranger.id), reply) is False
    assert bot.send_direct("333333333333333333", str(MEMBER.id), reply) is False
    assert fake.requests_matching("POST", r"/users/@me/channels") == []
    # a button naming a server the presser does not belong to is refused like any DM command
    fake.add_member(fake.guilds[1].id, stranger)
    message = {"id": "1", "channel_id": str(fake.dm_channel_of(stranger.id)), "components": [
        {"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": f"sobria:pref@{GUILD}:nudges off"}]}],
        "author": {**fake.bot.payload(), "bot": True}, "content": "", "timestamp": "2026-11-25T10:00:00+00:00",
        "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0}
    press = fake.click(f"sobria:pref@{GUILD}:nudges off", message, user=stranger)
    fake.wait_answer(press)
    assert recording.last()[:2] == ("notice", "dm_refused")


def test_the_scheduler_posts_its_summary_and_chart_through_discord(bot, fake: FakeDiscord, coach, config,
                                                                   clock) -> None:
    from bot.scheduler import MONTHLY, POSTED, SummaryScheduler
    from bot.reports.summaries import parse_period

    channel = fake.guilds[0].channel_ids[1]
    ask(fake, "ia-settings", {"key": "summary_channel", "value": f"<#{channel}>"}, user=OWNER, permissions=MANAGE_GUILD)
    ask(fake, "ia-log", {"kind": "image", "count": 3, "tool": "midjourney"})
    ask(fake, "ia-avoid", {"kind": "text", "count": 2}, user=OTHER)
    assert bot.ready.wait(WAIT)
    scheduler = SummaryScheduler(config, coach.store, [bot], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(GUILD)
    assert scheduler.publish(plan, MONTHLY, parse_period(MONTHLY, "2026-11", plan.tz)) == POSTED
    (post,) = fake.requests_matching("POST", rf"/channels/{channel}/messages")
    (chart_name, chart), = post.files.values()
    assert chart.startswith(b"\x89PNG")
    (shown,) = post.json["embeds"]
    assert shown["title"] and shown["image"]["url"] == f"attachment://{chart_name}"
    assert post.json["allowed_mentions"] == NO_MENTIONS


def test_post_to_channel_when_not_connected(coach, fake: FakeDiscord, tmp_path: Path) -> None:
    adapter = DiscordAdapter(coach, discord_config(fake, tmp_path))
    assert adapter.post_to_channel(str(fake.guilds[0].id), str(fake.guilds[0].channel_ids[0]),
                                   coach.notice("internal_error", "fr")) is False
    adapter.stop()
    adapter.run_forever()  # already stopped: returns at once
    assert fake.gateway_connections == 0


def test_a_refused_token_ends_the_run_without_logging_it(coach, fake: FakeDiscord, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    config = discord_config(fake, tmp_path, token="not-the-right-token")
    adapter = DiscordAdapter(coach, config)
    caplog.set_level(logging.DEBUG)
    thread = threading.Thread(target=adapter.run_forever, daemon=True)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive()
    assert "refused the bot token" in caplog.text
    assert "not-the-right-token" not in caplog.text and fake.token not in caplog.text


def test_environment_token_wins_and_no_log_line_shows_it(coach, fake: FakeDiscord, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("DISCORD_TOKEN", fake.token)
    with running(DiscordAdapter(coach, discord_config(fake, tmp_path, token="stale-token-in-the-file")), fake):
        ask(fake, "ia-log", {"kind": "image", "prompt": "logo"})
    assert fake.identifies[-1]["token"] == fake.token
    assert all(r.authorization == f"Bot {fake.token}" for r in fake.requests if r.authorization)
    assert "logging in using static token" in caplog.text  # the log was captured, at debug level…
    assert fake.token not in caplog.text  # …and the token is nowhere in it
