"""Faults seen from Slack: an API answering 500 or 429 for a while, a failing response_url, a full or read-only disk.

The real adapter runs in HTTP mode on 127.0.0.1 against `fake_slack`, with
the real coach and a TinyDB store. Whatever fails, the bot must not crash,
each command's event is stored exactly once (a reply is retried, the command
never), a reply is either delivered within Slack's retries or dropped with a
log line saying why, and a failed write leaves the store as it was.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterator

import pytest
from slack_sdk.http_retry import builtin_handlers, jitter

from adapters.slack.app import SlackAdapter
from bot.core.reply import Reply
from bot.store import open_store
from bot.store.saved_totals import CACHE_DIR
from fake_slack import FakeSlack, block_action_payload, running, send_interaction, send_slash_command, slash_payload, http_config

BOT = "xoxb-faults-bot-token"
SECRET = "faults-signing-secret"
TEAM = "T0001"


@pytest.fixture(autouse=True)
def _retries_without_jitter(monkeypatch):
    """slack_sdk adds up to a second of random jitter to each retry pause; without it the pauses are exact."""
    for module in (builtin_handlers, jitter):
        monkeypatch.setattr(module, "random", SimpleNamespace(random=lambda: 0.0))


@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        server.add_user("U1", "Camille")
        server.add_user("UADMIN", "Alex", admin=True)
        yield server


@pytest.fixture
def config(tmp_path, fake):  # the shared coach, with a [slack] section for the adapter
    return http_config(tmp_path / "data", fake, BOT, SECRET)


@pytest.fixture
def adapter(coach, config):
    with running(SlackAdapter(coach, config, env={})) as running_adapter:
        yield running_adapter


@pytest.fixture
def url(adapter):
    return f"http://127.0.0.1:{adapter.bound_port}/slack/events"


def command(url, fake, name, text, user="U1"):
    """Send a signed slash command; return its response URL once Slack has been answered 200."""
    response_url = fake.new_response_url()
    sent = send_slash_command(url, SECRET, slash_payload(name, text, user_id=user, response_url=response_url))
    assert sent.status == 200 and sent.seconds < 3
    return response_url


def details(url, fake, response_url, user="U1"):
    """Press the « Details » button of the log answered at `response_url`; return the button's response URL.

    A command's reply rides in its acknowledgement; a button's goes to its
    response URL, then the channel: the way a reply meets Slack's faults."""
    message = delivered(fake, response_url)
    event_id = next(b for b in message["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    button_url = fake.new_response_url()
    sent = send_interaction(url, SECRET, block_action_payload("sobria:details", event_id, user_id=user,
                                                              response_url=button_url))
    assert sent.status == 200 and sent.seconds < 3
    return button_url


def delivered(fake, response_url, timeout=10.0):
    """The one message a response URL accepted (waits for it)."""
    return fake.wait_for(lambda: fake.delivered_to(response_url), timeout)[0]


def header(message):
    return message["blocks"][0]["text"]["text"]


def kinds(store, user="U1"):
    return sorted(e.kind for e in store.member_events(TEAM, user))


def settle(seconds=0.3):
    """Let the adapter's threads finish what they were doing (a late duplicate would show after this)."""
    time.sleep(seconds)


# ---------------------------------------------------------------------------- Slack answering errors
def test_a_response_url_failing_for_a_while_is_retried_and_answered_once(url, fake, store):
    logged = command(url, fake, "/ia-log", "image 2 midjourney")
    fake.fail("hook", status=500, times=2)  # within the adapter's retries (two for a server error)
    response_url = details(url, fake, logged)
    assert "midjourney" in header(delivered(fake, response_url))
    settle()
    assert len(fake.posts_to(response_url)) == 3 and len(fake.delivered_to(response_url)) == 1
    assert fake.calls_to("chat.postEphemeral") == []  # no fallback needed, so no second copy
    assert kinds(store) == ["image"]


def test_the_web_api_rate_limiting_for_a_while_is_waited_out(url, fake, store):
    logged = command(url, fake, "/ia-avoid", "text 1 modèle de mail")
    fake.fail("hook", status=404, error="expired_url")  # the response URL is gone: the channel is next
    fake.fail("chat.postEphemeral", status=429, retry_after=1, times=2)
    details(url, fake, logged)
    calls = fake.wait_for(lambda: len(fake.calls_to("chat.postEphemeral")) == 3 and fake.calls_to("chat.postEphemeral"))
    assert calls[2].params["user"] == "U1" and calls[2].params["channel"] == "C0001"
    assert calls[1].at - calls[0].at >= 0.9 and calls[2].at - calls[1].at >= 0.9  # Retry-After honoured
    settle()
    assert len(fake.calls_to("chat.postEphemeral")) == 3
    assert kinds(store) == ["text"]


def test_slack_down_past_the_retries_drops_the_reply_with_a_logged_reason(url, fake, store, caplog):
    logged = command(url, fake, "/ia-log", "video 1 sora")
    fake.wait_for(lambda: fake.calls_to("views.publish"))
    fake.fail("hook", status=500, times=3)
    fake.fail("chat.postEphemeral", status=429, retry_after=0, times=4)
    fake.fail("views.publish", status=503, error="service_unavailable", times=3)
    with caplog.at_level(logging.WARNING, logger="sobria.slack"):
        details(url, fake, logged)
        fake.wait_for(lambda: "could not be delivered" in caplog.text)
        fake.wait_for(lambda: "views.publish failed" in caplog.text)
    assert "response_url refused the reply: HTTP 500" in caplog.text
    assert "chat.postEphemeral failed: ratelimited (HTTP 429)" in caplog.text
    assert "reply 'details' for U1 could not be delivered" in caplog.text
    assert "views.publish failed: service_unavailable (HTTP 503)" in caplog.text
    assert len(fake.calls_to("chat.postEphemeral")) == 4  # the first try and three retries, then given up
    assert kinds(store) == ["video"]  # stored once: a lost reply never runs the command again

    # Slack is back: the bot kept running and answers the next command.
    response_url = command(url, fake, "/ia-log", "audio 1")
    assert header(delivered(fake, response_url)).startswith("1 audio noté · ")
    assert kinds(store) == ["audio", "video"]


def test_a_scheduled_post_is_retried_through_server_errors_then_dropped_with_a_reason(adapter, fake, caplog):
    summary = Reply(kind="monthly_summary", title="Bilan de novembre", public=True)
    fake.fail("chat.postMessage", status=500, times=2)
    assert adapter.post_to_channel(TEAM, "C0042", summary) is True
    assert len(fake.calls_to("chat.postMessage")) == 3
    fake.fail("chat.postMessage", status=503, error="service_unavailable", times=3)
    with caplog.at_level(logging.WARNING, logger="sobria.slack"):
        assert adapter.post_to_channel(TEAM, "C0042", summary) is False
    assert "chat.postMessage failed: service_unavailable (HTTP 503)" in caplog.text
    assert len(fake.calls_to("chat.postMessage")) == 6


# ---------------------------------------------------------------------------- the disk refusing a write
class WriteFault:
    """Makes the OS refuse the store's writes under one directory, the way a full or read-only disk does.

    `os.replace` (the atomic rename of a store file's write) or `os.fsync` (its
    flush to disk) raise OSError with the given errno while `active`, and with
    them their twins for a log added to a day file (atomic.py): `os.pwrite`
    (the append) and `os.fdatasync` (its flush). `hits` counts the refusals,
    so a test can tell a write was really attempted.
    """

    TWINS = {"replace": "pwrite", "fsync": "fdatasync"}

    def __init__(self, root: Path, call: str, code: int) -> None:
        self.root, self.call, self.code = str(root.resolve()), call, code
        self.active = False
        self.hits = 0

    def _ours(self, target: object) -> bool:
        if isinstance(target, int):  # a file descriptor: find its path (Linux), else assume it is ours
            try:
                target = os.readlink(f"/proc/self/fd/{target}")
            except OSError:
                return True
        return os.path.realpath(os.fspath(target)).startswith(self.root)  # type: ignore[arg-type]

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for call in (self.call, self.TWINS[self.call]):
            monkeypatch.setattr(os, call, self._refusing(call, getattr(os, call)))

    def _refusing(self, call: str, real: Any) -> Any:
        def refusing(first, *args, **kwargs):
            target = args[0] if call == "replace" else first  # replace(src, dst): the destination decides
            if self.active and self._ours(target):
                self.hits += 1
                raise OSError(self.code, os.strerror(self.code))
            return real(first, *args, **kwargs)

        return refusing

    @contextmanager
    def during(self) -> Iterator["WriteFault"]:
        self.active = True
        try:
            yield self
        finally:
            self.active = False


def store_files(data_dir: Path) -> dict[str, bytes]:
    """The store's files and their bytes; not the lock files, nor the burst windows of the rate limit
    (`.bursts/`: the last minute's attempts, written without fsync, by design not data), nor the totals of
    finished periods (`cache/`: counted from the events, saved when first read, which an App Home published
    once the fault is over may do)."""
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()
            and p.suffix != ".lock" and p.parent.name != ".bursts"
            and CACHE_DIR not in p.relative_to(data_dir).parts}


@pytest.mark.parametrize(("call", "code"), [("replace", errno.ENOSPC), ("fsync", errno.EROFS)],
                         ids=["disk-full", "read-only"])
def test_a_refused_write_gets_not_saved_and_leaves_the_store_intact(url, fake, store, coach, config, monkeypatch,
                                                                   call, code):
    data_dir = Path(config.data_dir)
    first = command(url, fake, "/ia-log", "image 3 midjourney")
    event_id = next(b for b in delivered(fake, first)["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    delivered(fake, command(url, fake, "/ia-help", "", user="UADMIN"))  # the admin is known before the fault
    settle()
    before = store_files(data_dir)
    not_saved = coach.notice("not_saved", "fr")

    fault = WriteFault(data_dir, call, code)
    fault.install(monkeypatch)
    with fault.during():
        refused = delivered(fake, command(url, fake, "/ia-log", "video 2 sora"))
        button_url = fake.new_response_url()
        sent = send_interaction(url, SECRET, block_action_payload("sobria:undo", event_id, user_id="U1",
                                                                  response_url=button_url))
        assert sent.status == 200
        undo_refused = delivered(fake, button_url)
        settings_refused = delivered(fake, command(url, fake, "/ia-settings", "timezone Europe/Brussels",
                                                   user="UADMIN"))
        settle()
    assert fault.hits >= 3  # each of the three really tried to write
    for message in (refused, undo_refused, settings_refused):
        assert header(message) == not_saved.title
        assert message["text"].startswith(not_saved.title)
        assert not_saved.lines[0] in json.dumps(message, ensure_ascii=False)

    assert store_files(data_dir) == before  # byte for byte: nothing half-written, no temporary file left
    reopened = open_store(data_dir)
    try:
        assert [e.id for e in reopened.member_events(TEAM, "U1")] == [event_id]
        assert reopened.settings(TEAM).get("timezone") is None
    finally:
        reopened.close()

    # the disk has room again: the same bot saves the next command
    again = delivered(fake, command(url, fake, "/ia-log", "video 2 sora"))
    assert header(again).startswith("2 vidéos notées (sora) · ")
    assert kinds(store) == ["image", "video"]
