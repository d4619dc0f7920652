"""Faults seen from Discord: the gateway closing the socket, REST failing for a while, a disk refusing a write.

The unmodified discord.py client runs in the adapter's own thread against
`fake_discord`, which keeps sessions the way Discord does (a RESUME replays
what the bot missed) and, here, enforces Discord's 3-second window for the
first answer to an interaction. Whatever fails, the bot keeps answering,
each command reaches the engine once and stores its event once, and an
answer that cannot be given in time is dropped with a log line saying why.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters.discord.app import DiscordAdapter
from adapters.discord.embeds import build_embed
from bot.core.config import parse_config
from bot.core.reply import Reply
from bot.store import open_store
from fake_discord import WAIT, FakeDiscord, FakeUser, Recorded, Sent, answer_body, running
from test_faults_slack import WriteFault, store_files

MEMBER = FakeUser(1000000000000000001, "camille", "Camille")
GUILD = "111111111111111111"
DISCORD_WINDOW = 3.0  # seconds Discord gives a bot for the first answer to an interaction


class Counting:
    """The real coach, counting the commands that reach it (a retried answer must never run one again)."""

    def __init__(self, coach: Any) -> None:
        self.coach = coach
        self.handled: list[tuple[str, str]] = []
        self.delay = 0.0
        self._lock = threading.Lock()

    def handle(self, command: str, text: str, sender: Any) -> Reply:
        with self._lock:
            self.handled.append((command, text))
        time.sleep(self.delay)
        return self.coach.handle(command, text, sender)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.coach, name)


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as server:
        server.interaction_window = DISCORD_WINDOW
        yield server


@pytest.fixture
def engine(coach) -> Counting:
    return Counting(coach)


@pytest.fixture
def bot(fake: FakeDiscord, engine: Counting, config) -> Iterator[DiscordAdapter]:
    settings = parse_config({**config.raw, "discord": fake.config_section()})
    with running(DiscordAdapter(engine, settings), fake) as adapter:
        yield adapter


def ask(fake: FakeDiscord, name: str, options: dict[str, Any] | None = None, **kw: Any) -> tuple[Sent, Recorded]:
    sent = fake.slash(name, options, user=kw.pop("user", MEMBER), **kw)
    return sent, fake.wait_answer(sent)


def title(answer: Recorded) -> str:
    (embed,) = answer_body(answer)["embeds"]
    return embed["title"]


def kinds(store) -> list[str]:
    return sorted(e.kind for e in store.member_events(GUILD, str(MEMBER.id)))


def callbacks(fake: FakeDiscord, sent: Sent) -> list[Recorded]:
    return fake.requests_matching("POST", rf"/interactions/{sent.id}/[^/]+/callback")


# ---------------------------------------------------------------------------- the gateway closing the socket
@pytest.mark.parametrize("code", [4000, None, "reconnect"], ids=["closed-4000", "tcp-cut", "op7-reconnect"])
def test_a_closed_gateway_is_resumed_and_what_was_missed_is_answered(bot, fake: FakeDiscord, engine: Counting,
                                                                      store, code) -> None:
    ask(fake, "ia-log", {"kind": "image"})
    (identify,) = fake.identifies
    if code == "reconnect":
        fake.request_reconnect(hold_resume=True)  # Discord asks the client to move to another socket
    else:
        fake.drop_connection(code, hold_resume=True)
    fake.wait_until(lambda: fake.resumes, what="the client to try a RESUME")
    missed = fake.slash("ia-log", {"kind": "video"}, user=MEMBER)  # sent while the bot is away: kept by Discord
    fake.release_resume()

    answer = fake.wait_answer(missed)  # replayed at the RESUME, answered within Discord's window
    assert title(answer).startswith("1 vidéo notée · ")
    _, after = ask(fake, "ia-log", {"kind": "audio"})
    assert title(after).startswith("1 audio noté · ")

    (resume,) = fake.resumes
    assert resume["path"] == "/resume"  # at the resume address READY gave, as Discord asks
    assert resume["session_id"] == fake.sessions[resume["session_id"]].id and resume["token"] == fake.token
    assert fake.identifies == [identify] and fake.gateway_connections == 2  # resumed, not a new session
    assert fake.replayed == 1  # the interaction sent while the bot was away
    assert kinds(store) == ["audio", "image", "video"]
    assert [c for c, _ in engine.handled] == ["ia-log"] * 3
    assert len(callbacks(fake, missed)) == 1


def test_a_session_discord_no_longer_knows_is_identified_again(bot, fake: FakeDiscord, engine: Counting,
                                                               store, caplog) -> None:
    caplog.set_level(logging.INFO, logger="discord")
    ask(fake, "ia-log", {"kind": "image"})
    fake.invalidate_session()
    # discord.py waits five seconds before identifying again, as Discord asks of a client
    fake.wait_until(lambda: len(fake.identifies) == 2, timeout=WAIT + 5, what="a second IDENTIFY")
    fake.wait_ready()
    _, answer = ask(fake, "ia-log", {"kind": "code"})
    assert title(answer).startswith("1 complétion de code notée · ")
    assert "session has been invalidated" in caplog.text
    assert kinds(store) == ["code", "image"] and len(engine.handled) == 2


# ---------------------------------------------------------------------------- REST failing for a while
def test_interaction_answers_rate_limited_for_a_while_are_retried_once_each(bot, fake: FakeDiscord,
                                                                           engine: Counting, store) -> None:
    fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 429, times=3, retry_after=0.2)
    sent, answer = ask(fake, "ia-avoid", {"kind": "text", "count": 2})
    assert answer.json["type"] == 4 and title(answer).startswith("🎉 Bravo\u00a0: 2 textes évités · ")
    statuses = [r.status for r in callbacks(fake, sent)]
    assert statuses == [429, 429, 429, 200]
    assert kinds(store) == ["text"] and len(engine.handled) == 1


def test_an_answer_failing_past_discords_window_is_dropped_with_a_logged_reason(bot, fake: FakeDiscord,
                                                                              engine: Counting, store,
                                                                              caplog) -> None:
    fake.fail("POST", r"/interactions/\d+/[^/]+/callback", 500, times=2)  # retried after 1 s, then 3 s more
    caplog.set_level(logging.WARNING, logger="adapters.discord.app")
    sent = fake.slash("ia-log", {"kind": "image", "count": 2}, user=MEMBER)
    fake.wait_until(lambda: "could not answer an interaction" in caplog.text, timeout=WAIT,
                    what="the dropped answer to be logged")
    assert f"could not answer an interaction in guild {GUILD}: HTTP 404" in caplog.text  # "Unknown interaction"
    assert [r.status for r in callbacks(fake, sent)] == [500, 500, 404]
    assert kinds(store) == ["image"] and len(engine.handled) == 1  # stored once, never run again

    _, answer = ask(fake, "ia-log", {"kind": "doc"})  # the bot keeps answering
    assert title(answer).startswith("1 texte long noté · ")
    assert kinds(store) == ["doc", "image"]


def test_a_late_answer_whose_direct_message_fails_for_a_while_is_retried(bot, fake: FakeDiscord, engine: Counting,
                                                                         store) -> None:
    bot.client.answer_within = 0.05
    engine.delay = 0.3  # slower than the bot waits before answering: the reply comes by DM once stored
    dm = fake.dm_channel_of(MEMBER.id)
    fake.fail("POST", rf"/channels/{dm}/messages", 502, times=1)
    sent = fake.slash("ia-log", {"kind": "video", "count": 3}, user=MEMBER)
    posts = fake.wait_until(lambda: [r for r in fake.requests_matching("POST", rf"/channels/{dm}/messages")
                                     if r.status == 200], timeout=WAIT, what="the direct message")
    (embed,) = posts[0].json["embeds"]
    assert embed["title"].startswith("3 vidéos notées · ")
    assert [r.status for r in fake.requests_matching("POST", rf"/channels/{dm}/messages")] == [502, 200]
    assert callbacks(fake, sent) == []  # no deferral before the event was stored
    assert kinds(store) == ["video"] and len(engine.handled) == 1


def test_a_channel_post_is_retried_through_a_server_error_and_a_refusal_is_logged(bot, fake: FakeDiscord, coach,
                                                                                 caplog) -> None:
    assert bot.ready.wait(WAIT)  # the scheduler posts only once the bot is ready
    channel = fake.guilds[0].channel_ids[1]
    summary = Reply(kind="monthly_summary", title="Bilan de novembre", public=True)
    fake.fail("POST", rf"/channels/{channel}/messages", 502, times=1)
    assert bot.post_to_channel(GUILD, str(channel), summary) is True
    posts = fake.requests_matching("POST", rf"/channels/{channel}/messages")
    assert [r.status for r in posts] == [502, 200]
    assert posts[1].json["embeds"] == [build_embed(summary).to_dict()]

    fake.fail("POST", rf"/channels/{channel}/messages", 403, times=1)  # the bot lost access to the channel
    caplog.set_level(logging.WARNING, logger="adapters.discord.app")
    assert bot.post_to_channel(GUILD, str(channel), summary) is False
    assert f"Discord refused the message to channel {channel} of server {GUILD}: HTTP 403" in caplog.text


# ---------------------------------------------------------------------------- the disk refusing a write
@pytest.mark.parametrize(("call", "code"), [("replace", errno.ENOSPC), ("fsync", errno.EROFS)],
                         ids=["disk-full", "read-only"])
def test_a_refused_write_gets_not_saved_and_leaves_the_store_intact(bot, fake: FakeDiscord, coach, config,
                                                                   monkeypatch, call, code) -> None:
    data_dir = Path(config.data_dir)
    _, first = ask(fake, "ia-log", {"kind": "image", "count": 3})
    before = store_files(data_dir / "workspaces")
    not_saved = coach.notice("not_saved", "fr")

    fault = WriteFault(data_dir, call, code)
    fault.install(monkeypatch)
    with fault.during():
        _, refused = ask(fake, "ia-log", {"kind": "video", "count": 2})
        _, settings_refused = ask(fake, "ia-settings", {"key": "timezone", "value": "Europe/Brussels"},
                                  permissions=1 << 5)
    assert fault.hits >= 2
    for answer in (refused, settings_refused):
        (embed,) = answer_body(answer)["embeds"]
        assert embed == build_embed(not_saved).to_dict()

    assert store_files(data_dir / "workspaces") == before  # nothing half-written, no temporary file left
    reopened = open_store(data_dir)
    try:
        assert [e.kind for e in reopened.member_events(GUILD, str(MEMBER.id))] == ["image"]
        assert reopened.settings(GUILD).get("timezone") is None
    finally:
        reopened.close()

    _, again = ask(fake, "ia-log", {"kind": "video", "count": 2})  # same bot, the disk has room again
    assert title(again).startswith("2 vidéos notées · ")
    assert fake.gateway_connections == 1


def test_a_stop_answers_the_interactions_under_way_and_tells_new_ones_to_come_back(fake: FakeDiscord, engine: Counting,
                                                                                   coach, config) -> None:
    """SIGTERM (a deploy) while a command is being stored: its member still gets the answer, one arriving during
    the stop is told to send it again (Discord never does), and only then does the bot disconnect."""
    settings = parse_config({**config.raw, "discord": fake.config_section()})
    adapter = DiscordAdapter(engine, settings)
    with running(adapter, fake):
        engine.delay = 1.5  # the store is slow: the stop begins while the command is under way
        under_way = fake.slash("ia-log", {"kind": "image", "count": 2}, user=MEMBER)
        fake.wait_until(lambda: engine.handled, WAIT, "the command to reach the engine")
        stopping = threading.Thread(target=adapter.stop)
        stopping.start()
        fake.wait_until(lambda: fake.gateway_connections and adapter.client is not None and adapter.client.closing,
                        WAIT, "the stop to begin")
        late, late_answer = ask(fake, "ia-log", {"kind": "video", "count": 1})
        answer = fake.wait_answer(under_way)
        stopping.join(30)
        assert not stopping.is_alive()
    (embed,) = answer_body(answer)["embeds"]
    assert embed["title"].startswith("2 images notées")
    (embed,) = answer_body(late_answer)["embeds"]
    assert embed == build_embed(coach.notice("restarting", "fr")).to_dict()
    assert engine.handled == [("ia-log", "image 2")]
    assert [e.kind for e in coach.store.member_events(GUILD, str(MEMBER.id))] == ["image"]
