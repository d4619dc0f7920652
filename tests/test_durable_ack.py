"""Acknowledged means stored: a burst of commands killed with SIGKILL, stopped with SIGTERM, or refused by a
full or read-only disk, and a command Slack sends again.

The kill and stop tests run the real `sobria run` in a process of its own,
against a fake Slack (tests/fake_slack.py) in this one; eight clients, each a
member, send signed /ia-log commands whose prompt carries a mark, and the
workspace keeps prompts, so that after the process is gone the store can be
asked which marks it holds. A command counts as acknowledged when Slack would
have shown its confirmation: HTTP 200 (or a Socket Mode ack) carrying the log's
reply. Every acknowledged command must be stored, exactly once; a command that
was in flight when the process died may be stored or not, never twice.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import pytest

from adapters.slack.app import SlackAdapter
from adapters.slack.retries import OnceByKey
from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.errors import StoreWriteError
from bot.core.identity import Delivery, Sender
from bot.store.tinydb_store import TinyStore
from fake_slack import (FakeSlack, block_action_payload, http_config, is_message, running, send_interaction,
                        send_slash_command, slash_payload)
from test_faults_slack import WriteFault, store_files

ROOT = Path(__file__).resolve().parent.parent
BOT = "xoxb-durable-bot-token"
APP = "xapp-durable-app-token"
SECRET = "durable-signing-secret"
TEAM = "T0001"
CLIENTS = 8
USERS = [f"U{k:02d}" for k in range(CLIENTS)]


# ---------------------------------------------------------------------------- helpers
@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=TEAM) as server:
        for user in USERS:
            server.add_user(user, f"Membre {user}")
        yield server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def logged(message: Any) -> bool:
    """Whether a message is a log's confirmation (it carries the Undo button), not a notice."""
    return is_message(message) and any(
        b.get("type") == "actions" and b["elements"][0].get("action_id") == "sobria:undo"
        for b in message.get("blocks") or [])


def prompt(mark: str) -> str:
    return f"text 1 chatgpt Tu es juriste. Rédige la clause {mark} en 5 lignes."


def stored_marks(data_dir: Path) -> list[str]:
    """The marks of every stored log, read from the files by a fresh store (as after a restart)."""
    store = TinyStore(data_dir)
    try:
        return [e.text.split("clause ")[1].split(" ")[0] for u in USERS for e in store.member_events(TEAM, u) if e.text]
    finally:
        store.close()


def assert_stored_exactly_once(data_dir: Path, acknowledged: set[str], sent: set[str]) -> None:
    marks = stored_marks(data_dir)
    assert len(marks) == len(set(marks)), "a command stored twice"
    assert acknowledged <= set(marks), f"{len(acknowledged - set(marks))} acknowledged command(s) lost"
    assert set(marks) <= sent
    assert len(set(marks) - acknowledged) <= CLIENTS  # at most the one in flight per client at the kill


class SobriaProcess:
    """`sobria run` in a process of its own, its config written beside its data."""

    def __init__(self, tmp: Path, fake: FakeSlack, mode: str = "http") -> None:
        self.data_dir = tmp / "data"
        self.port = free_port()
        slack = {"mode": mode, "api_url": fake.api_url, "bot_token": BOT}
        if mode == "http":
            slack |= {"host": "127.0.0.1", "port": self.port, "signing_secret": SECRET}
        else:
            slack |= {"app_token": APP}
        lines = [f'[store]\ndata_dir = "{self.data_dir}"', "[privacy]\nstore_prompts = true",
                 "[limits]\nlogs_per_minute = 100000",
                 "[slack]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in slack.items())]
        self.config = tmp / "sobria.toml"
        self.config.write_text("\n\n".join(lines) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "SOBRIA_"))}
        self.log = open(tmp / "process.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--config", str(self.config)],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}/slack/events"

    def wait_http(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "sobria run ended: " + self.output()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("sobria run did not listen in time: " + self.output())

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.log.close()


def burst(url: str, stop: threading.Event, acked: list[str], sent: list[str], hooks: str,
          acked_empty: list[str]) -> None:
    """Eight clients sending /ia-log until `stop` is set or the app is gone; the marks sent and acknowledged,
    and those acknowledged without their reply, which goes to the response URL `hooks` + mark."""
    lock = threading.Lock()

    def client(k: int) -> None:
        for i in range(100_000):
            if stop.is_set():
                return
            mark = f"m{k}x{i}"
            with lock:
                sent.append(mark)
            payload = slash_payload("/ia-log", prompt(mark), user_id=USERS[k], team_id=TEAM,
                                    response_url=f"{hooks}{mark}")
            try:
                answer = send_slash_command(url, SECRET, payload)
            except OSError:  # the process is gone
                return
            # acknowledged: with the log's reply, or (a command slower than Slack waits) empty, its reply then
            # going to the response URL
            if answer.status == 200 and (not answer.body or logged(json.loads(answer.body))):
                with lock:
                    acked.append(mark)
                    if not answer.body:
                        acked_empty.append(mark)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))


class Burst:
    """`burst` in a thread of its own: the marks sent and acknowledged so far, until `finish`."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.acked: list[str] = []
        self.sent: list[str] = []
        self.acked_empty: list[str] = []
        self.hooks = f"{fake.base_url}/hooks/"
        self._stop = threading.Event()
        self._clients = threading.Thread(target=burst, args=(url, self._stop, self.acked, self.sent, self.hooks,
                                                             self.acked_empty))
        self._clients.start()

    def wait_acked(self, count: int, timeout: float | None = None) -> None:
        """Until `count` commands are acknowledged, the clients have ended (the app is gone), or `timeout` passed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (len(self.acked) < count and self._clients.is_alive()
               and (deadline is None or time.monotonic() < deadline)):
            time.sleep(0.01)

    def finish(self) -> None:
        self._stop.set()
        self._clients.join(30)


# ---------------------------------------------------------------------------- kill -9 and SIGTERM, Slack HTTP
def test_kill_9_during_a_slack_http_burst_loses_no_acknowledged_command(tmp_path: Path, fake: FakeSlack) -> None:
    app = SobriaProcess(tmp_path, fake)
    try:
        app.wait_http()
        load = Burst(app.url, fake)
        load.wait_acked(150, timeout=60)
        app.proc.send_signal(signal.SIGKILL)
        app.proc.wait(10)
        load.finish()
        assert len(load.acked) >= 150, app.output()
    finally:
        app.close()
    assert_stored_exactly_once(app.data_dir, set(load.acked), set(load.sent))


def test_sigterm_during_a_burst_stores_and_answers_every_accepted_command_then_exits(tmp_path: Path,
                                                                                     fake: FakeSlack) -> None:
    app = SobriaProcess(tmp_path, fake)
    try:
        app.wait_http()
        load = Burst(app.url, fake)
        load.wait_acked(100)
        app.proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert app.proc.wait(30) == 0, app.output()
        assert time.monotonic() - started < 20  # bounded
        load.finish()
    finally:
        app.close()
    assert_stored_exactly_once(app.data_dir, set(load.acked), set(load.sent))
    # a command acknowledged before its reply was ready got that reply at its response URL before the exit
    for mark in load.acked_empty:
        assert any(logged(body) for body in fake.posts_to(load.hooks + mark)), mark
    # the members' Homes due after the burst were published before the exit
    assert {c.params["user_id"] for c in fake.calls_to("views.publish")} == set(USERS)


# ---------------------------------------------------------------------------- kill -9, Socket Mode
def test_kill_9_during_a_socket_mode_burst_loses_no_acknowledged_command(tmp_path: Path, fake: FakeSlack) -> None:
    app = SobriaProcess(tmp_path, fake, mode="socket")
    try:
        fake.wait_for(fake.connected, timeout=30)
        envelopes: dict[str, str] = {}  # envelope id -> mark
        for i in range(600):  # a burst: pushed faster than the app acknowledges
            mark = f"s{i}"
            payload = slash_payload("/ia-log", prompt(mark), user_id=USERS[i % CLIENTS], team_id=TEAM,
                                    response_url=fake.new_response_url())
            envelopes[fake.send_envelope("slash_commands", payload)] = mark

        def acknowledged() -> int:
            with fake._lock:
                return sum(1 for e in envelopes if logged(fake.acks.get(e)))

        fake.wait_for(lambda: acknowledged() >= 100, timeout=60)
        app.proc.send_signal(signal.SIGKILL)
        app.proc.wait(10)
        with fake._lock:
            acked = {mark for e, mark in envelopes.items() if logged(fake.acks.get(e))}
        assert len(acked) >= 100, app.output()
    finally:
        app.close()
    marks = stored_marks(app.data_dir)
    assert len(marks) == len(set(marks)), "a command stored twice"
    assert acked <= set(marks), f"{len(acked - set(marks))} acknowledged command(s) lost"


# ---------------------------------------------------------------------------- kill -9, Discord
def test_kill_9_during_a_discord_burst_loses_no_answered_command(tmp_path: Path) -> None:
    """Discord's confirmation is the interaction's answer, sent once the engine (and so the store) is done."""
    from fake_discord import FakeDiscord, FakeUser, answer_body

    members = [FakeUser(1000000000000000100 + k, f"member{k}", f"Membre {k}") for k in range(CLIENTS)]
    with FakeDiscord() as fake:
        data_dir = tmp_path / "data"
        section = fake.config_section()
        config = tmp_path / "sobria.toml"
        config.write_text(f'[store]\ndata_dir = "{data_dir}"\n\n[privacy]\nstore_prompts = true\n\n'
                          '[limits]\nlogs_per_minute = 100000\n\n[discord]\n'
                          + "\n".join(f"{k} = {json.dumps(v)}" for k, v in section.items()) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "SOBRIA_"))}
        log = open(tmp_path / "process.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--config", str(config)], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            fake.wait_until(lambda: fake.gateway_connections, timeout=30, what="the bot to connect")
            fake.wait_ready(30)
            guild = fake.guilds[0].id
            fake.wait_until(lambda: any(c.get("name") == "ia-log" for c in fake.commands.get(str(guild), [])
                                        + fake.commands.get("global", [])), timeout=30, what="the commands")
            # one command first, as in a bot already serving: its cold start (catalogues, templates) would
            # otherwise push the whole burst queued behind it past Discord's answer window
            warm = fake.slash("ia-stats", {}, user=members[0])
            fake.wait_answer(warm, timeout=30)
            sent = {}
            for i in range(400):  # a burst: sent faster than the bot answers
                mark = f"d{i}"
                interaction = fake.slash("ia-log", {"kind": "text", "count": 1, "tool": "chatgpt",
                                                    "prompt": prompt(mark).split("chatgpt ")[1]},
                                         user=members[i % CLIENTS])
                sent[mark] = interaction

            by_token = {interaction.token: mark for mark, interaction in sent.items()}
            seen = 0  # requests already read: each is read once (the check runs on every request, under the fake's lock)
            done: set[str] = set()

            def answered() -> set[str]:
                nonlocal seen
                new, seen = fake.requests[seen:], len(fake.requests)
                for r in new:
                    mark = next((m for token, m in by_token.items() if token in r.path), None)
                    if mark is None or not 200 <= r.status < 300 or (r.json or {}).get("type") == 5:
                        continue
                    embeds = answer_body(r).get("embeds") or [{}]
                    if "noté" in str(embeds[0].get("title", "")) + str(embeds[0].get("description", "")):
                        done.add(mark)
                return done

            fake.wait_until(lambda: len(answered()) >= 60, timeout=60, what="60 answers")
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            confirmed = answered()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)
            log.close()
    store = TinyStore(data_dir)
    try:
        marks = [e.text.split("clause ")[1].split(" ")[0] for m in members
                 for e in store.member_events(str(fake.guilds[0].id), str(m.id)) if e.text]
    finally:
        store.close()
    assert len(marks) == len(set(marks)), "a command stored twice"
    assert confirmed <= set(marks), f"{len(confirmed - set(marks))} confirmed command(s) lost"


class Slowed:
    """The real coach, `seconds` slower per command (a store that takes its time); `entered` is set as one begins."""

    def __init__(self, coach: Any, seconds: float) -> None:
        self.coach, self.seconds = coach, seconds
        self.entered = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.coach, name)

    def handle(self, *args: Any) -> Any:
        self.entered.set()
        time.sleep(self.seconds)
        return self.coach.handle(*args)


# ---------------------------------------------------------------------------- Slack's retries
@pytest.fixture
def config(tmp_path, fake):  # the workspace keeps prompts: the marks say which command was stored
    return http_config(tmp_path / "data", fake, BOT, SECRET, privacy={"store_prompts": True},
                       limits={"logs_per_minute": 100000})


@pytest.fixture
def adapter(coach, config):
    with running(SlackAdapter(coach, config, env={})) as running_adapter:
        yield running_adapter


def test_a_command_slack_sends_again_is_answered_again_and_stored_once(adapter, fake, store) -> None:
    url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
    payload = slash_payload("/ia-log", prompt("r1"), user_id="U00", team_id=TEAM, response_url=fake.new_response_url())
    first = send_slash_command(url, SECRET, payload)
    again = send_slash_command(url, SECRET, payload, retry_num=1)
    assert first.status == again.status == 200 and json.loads(again.body) == json.loads(first.body)
    assert logged(json.loads(first.body))
    assert [e.text for e in store.member_events(TEAM, "U00")] == [prompt("r1").split("chatgpt ")[1]]


def test_a_copy_reaching_a_restarted_process_finds_the_command_stored(coach, config, fake, store) -> None:
    """The first attempt was stored, then its process died before acknowledging (or a load balancer sent the
    copy to another process): the new process, which never saw the first, stores nothing more."""
    payload = slash_payload("/ia-log", prompt("r2"), user_id="U00", team_id=TEAM, response_url=fake.new_response_url())
    with running(SlackAdapter(coach, config, env={})) as first_process:
        first = send_slash_command(f"http://127.0.0.1:{first_process.bound_port}/slack/events", SECRET, payload)
    with running(SlackAdapter(Coach(config, store, clock=coach.clock), config, env={})) as restarted:
        url = f"http://127.0.0.1:{restarted.bound_port}/slack/events"
        again = send_slash_command(url, SECRET, payload, retry_num=1)
        other = send_slash_command(url, SECRET, {**payload, "trigger_id": "9.9.other"})  # a new command, same words
    assert first.status == again.status == other.status == 200
    assert logged(json.loads(again.body)) and logged(json.loads(other.body))
    assert [e.text for e in store.member_events(TEAM, "U00")] == [prompt("r2").split("chatgpt ")[1]] * 2


@pytest.mark.parametrize("command", ["ia-log", "ia-avoid"])
def test_a_copy_is_stored_once_whichever_process_stored_the_first(open_either_store, command) -> None:
    config = parse_config({"store": {"data_dir": "unused"}})
    member = Sender("T1", "U1", "Camille", "slack")
    text = "image 2" if command == "ia-log" else "image 2 une photo de l'équipe"
    first, restarted = Coach(config, open_either_store()), Coach(config, open_either_store())
    week = 2 if command == "ia-log" else 0  # the week's zone counts generations, here two images
    assert first.handle(command, text, member, Delivery("111.222.a")).data["week_count"] == week
    again = restarted.handle(command, text, member, Delivery("111.222.a", copy=True))  # answered, not stored
    assert again.ok and again.data["week_count"] == week  # the log counted once
    assert restarted.handle(command, text, member, Delivery("111.222.b", copy=True)).ok  # its first never stored
    assert restarted.handle(command, text, member, Delivery("111.222.c")).ok
    events = restarted.store.member_events("T1", "U1")
    assert len(events) == 3 and len({e.id for e in events}) == 3


def test_a_copied_avoid_that_reached_the_daily_limit_is_answered_as_its_first_attempt(open_either_store) -> None:
    """The first attempt took the member to the day's limit of avoided generations: its copy is the same
    command, not one more, so it is answered as stored, not refused."""
    config = parse_config({"store": {"data_dir": "unused"}, "limits": {"avoid_per_day": 3}})
    member = Sender("T1", "U1", "Camille", "slack")
    first, restarted = Coach(config, open_either_store()), Coach(config, open_either_store())
    assert first.handle("ia-avoid", "image 3 une photo de l'équipe", member, Delivery("777.888.a")).ok
    again = restarted.handle("ia-avoid", "image 3 une photo de l'équipe", member, Delivery("777.888.a", copy=True))
    assert again.kind == "avoided", again.title
    assert restarted.handle("ia-avoid", "image 1", member, Delivery("777.888.b")).kind == "avoid_limit"
    assert len(restarted.store.member_events("T1", "U1")) == 1


def test_a_copied_undo_reaching_a_restarted_process_undoes_the_same_log(open_either_store) -> None:
    """/ia-undo takes the member's last log: a copy run where the first attempt is unknown must not take the
    one before it. It also finishes an undo whose process died between choosing the log and removing it."""
    config = parse_config({"store": {"data_dir": "unused"}})
    member = Sender("T1", "U1", "Camille", "slack")
    first, restarted = Coach(config, open_either_store()), Coach(config, open_either_store())
    for kind in ("image", "text", "video"):
        assert first.handle("ia-log", f"{kind} 1", member).ok
    undone = first.handle("ia-undo", "", member, Delivery("555.666.a"))
    again = restarted.handle("ia-undo", "", member, Delivery("555.666.a", copy=True))
    assert undone.kind == again.kind == "undone" and again.title == undone.title
    assert [e.kind for e in restarted.store.member_events("T1", "U1")] == ["image", "text"]

    failing = Coach(config, open_either_store())  # the process dies once the log is removed, before any ack
    removed = failing.store.remove_event

    def removing_then_dying(workspace: str, event_id: str) -> bool:
        removed(workspace, event_id)
        raise StoreWriteError("the process was killed", "test")

    failing.store.remove_event = removing_then_dying  # type: ignore[method-assign]
    assert failing.handle("ia-undo", "", member, Delivery("555.666.b")).kind == "notice:not_saved"
    assert restarted.handle("ia-undo", "", member, Delivery("555.666.b", copy=True)).kind == "undone"
    assert restarted.handle("ia-undo", "", member, Delivery("555.666.b", copy=True)).kind == "undone"
    assert [e.kind for e in restarted.store.member_events("T1", "U1")] == ["image"]


def test_a_copied_button_press_reaching_a_restarted_process_logs_once(coach, config, fake, store) -> None:
    press = block_action_payload("sobria:quick", "image", user_id="U00", team_id=TEAM,
                                 response_url=fake.new_response_url())
    with running(SlackAdapter(coach, config, env={})) as first_process:
        first = send_interaction(f"http://127.0.0.1:{first_process.bound_port}/slack/events", SECRET, press)
    with running(SlackAdapter(Coach(config, store, clock=coach.clock), config, env={})) as restarted:
        again = send_interaction(f"http://127.0.0.1:{restarted.bound_port}/slack/events", SECRET, press, retry_num=1)
    assert first.status == again.status == 200
    assert [e.kind for e in store.member_events(TEAM, "U00")] == ["image"]


@pytest.mark.parametrize("button", ["image", "avoid"])
def test_a_copied_one_click_log_is_stored_once(open_either_store, button) -> None:
    config = parse_config({"store": {"data_dir": "unused"}})
    member = Sender("T1", "U1", "Camille", "slack")
    first, restarted = Coach(config, open_either_store()), Coach(config, open_either_store())
    assert first.action("quick", button, member, Delivery("333.444.a")).ok
    assert restarted.action("quick", button, member, Delivery("333.444.a", copy=True)).ok
    assert restarted.action("quick", button, member, Delivery("333.444.b")).ok
    assert len(restarted.store.member_events("T1", "U1")) == 2


def test_a_retry_arriving_while_the_first_attempt_is_still_storing_waits_for_it(coach, config, fake, store) -> None:
    with running(SlackAdapter(Slowed(coach, 1.2), config, env={})) as slow:  # a store waiting for its lock
        url = f"http://127.0.0.1:{slow.bound_port}/slack/events"
        payload = slash_payload("/ia-log", "image 2", user_id="U00", team_id=TEAM, response_url=fake.new_response_url())
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(send_slash_command, url, SECRET, payload)
            time.sleep(0.3)
            again = pool.submit(send_slash_command, url, SECRET, payload, retry_num=1)
            answers = [first.result(10), again.result(10)]
    assert [a.status for a in answers] == [200, 200]
    assert logged(json.loads(answers[0].body)) and json.loads(answers[1].body) == json.loads(answers[0].body)
    assert [e.count for e in store.member_events(TEAM, "U00")] == [2]


def test_a_copy_still_waiting_for_the_first_attempt_to_be_stored_is_not_acknowledged(coach, config, fake,
                                                                                        store) -> None:
    """The store takes longer than a copy can wait: the copy is refused (Slack sends it again) instead of being
    acknowledged before the command is stored; the first attempt stores it once and answers at the response URL."""
    very_slow = Slowed(coach, 3.5)
    with running(SlackAdapter(very_slow, config, env={})) as slow:
        url = f"http://127.0.0.1:{slow.bound_port}/slack/events"
        payload = slash_payload("/ia-log", "image 3", user_id="U00", team_id=TEAM, response_url=fake.new_response_url())
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(send_slash_command, url, SECRET, payload)
            assert very_slow.entered.wait(10)  # the first attempt is being stored when its copy arrives
            again = pool.submit(send_slash_command, url, SECRET, payload, retry_num=1)
            copy_answer, first_answer = again.result(10), first.result(10)
        fake.wait_for(lambda: fake.hook_posts, timeout=10)  # the first attempt's reply
    assert copy_answer.status == 503 and first_answer.status == 200
    assert logged(fake.hook_posts[0][1])
    assert [e.count for e in store.member_events(TEAM, "U00")] == [3]


def test_keys_are_forgotten_after_the_retry_window() -> None:
    now = [0.0]
    once: OnceByKey[int] = OnceByKey(window=60, clock=lambda: now[0])
    assert once.run("k", lambda: 1, 1) == (1, True)
    assert once.run("k", lambda: 2, 1) == (1, False)
    now[0] = 61
    assert once.run("other", lambda: 3, 1) == (3, True)
    assert once.run("k", lambda: 4, 1) == (4, True)


# ---------------------------------------------------------------------------- a full or read-only disk in a burst
@pytest.mark.parametrize(("call", "code"), [("replace", errno.ENOSPC), ("fsync", errno.EROFS)],
                         ids=["disk-full", "read-only"])
def test_a_refusing_disk_during_a_burst_acknowledges_nothing_as_saved(adapter, fake, store, coach, monkeypatch,
                                                                      call: str, code: int) -> None:
    url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
    data_dir = Path(adapter.config.data_dir)
    for k, user in enumerate(USERS):  # every member known, something stored, before the fault
        assert logged(json.loads(send_slash_command(url, SECRET, slash_payload(
            "/ia-log", prompt(f"before{k}"), user_id=user, team_id=TEAM, response_url=fake.new_response_url())).body))
    time.sleep(0.5)  # the Homes of those commands are published
    before = store_files(data_dir)
    not_saved = coach.notice("not_saved", "fr")
    fault = WriteFault(data_dir, call, code)
    fault.install(monkeypatch)

    def client(k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(6):
            answer = send_slash_command(url, SECRET, slash_payload("/ia-log", prompt(f"f{k}x{i}"), user_id=USERS[k],
                                                                   team_id=TEAM, response_url=fake.new_response_url()))
            assert answer.status == 200
            out.append(json.loads(answer.body))
        return out

    with fault.during():
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = [a for answers in pool.map(client, range(CLIENTS)) for a in answers]
    assert fault.hits >= 1
    assert len(answers) == 6 * CLIENTS
    for message in answers:  # each member is told, in their acknowledgement, that nothing was saved
        assert not logged(message) and message["blocks"][0]["text"]["text"] == not_saved.title
    assert store_files(data_dir) == before  # nothing damaged, nothing half-written
    assert sorted(stored_marks(data_dir)) == sorted(f"before{k}" for k in range(CLIENTS))


def test_a_copy_gets_only_what_is_kept_of_the_first_result() -> None:
    once: OnceByKey[list[int]] = OnceByKey()
    assert once.run("k", lambda: [1, 2], 1, keep=lambda r: r[:1]) == ([1, 2], True)  # e.g. a reply without its files
    assert once.run("k", lambda: [3], 1) == ([1], False)


def test_stopping_in_socket_mode_acknowledges_the_commands_being_stored_and_refuses_new_ones(coach, tmp_path,
                                                                                           fake, store) -> None:
    slow = Slowed(coach, 1.0)  # the stop comes while a command is being stored
    config = parse_config({"store": {"data_dir": str(tmp_path / "data")}, "slack": {"api_url": fake.api_url}})
    adapter = SlackAdapter(slow, config, env={"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP})
    with running(adapter):
        fake.wait_for(fake.connected)
        first = fake.send_envelope("slash_commands", slash_payload("/ia-log", "image 2", user_id="U00", team_id=TEAM,
                                                                   response_url=fake.new_response_url()))
        assert slow.entered.wait(5)
        stopping = threading.Thread(target=adapter.stop)
        stopping.start()
        time.sleep(0.2)
        late = fake.send_envelope("slash_commands", slash_payload("/ia-log", "video 3", user_id="U00", team_id=TEAM,
                                                                  response_url=fake.new_response_url()))
        stopping.join(20)
    assert logged(fake.acks.get(first))  # acknowledged, with its reply, before the socket closed
    assert late not in fake.acks  # never acknowledged: Slack sends it again to the next process
    assert [(e.kind, e.count) for e in store.member_events(TEAM, "U00")] == [("image", 2)]
