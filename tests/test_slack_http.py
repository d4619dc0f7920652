"""HTTP mode against a local Slack: signed requests as Slack sends them, replies as Slack receives them.

Each test runs the real adapter (slack-bolt, slack_sdk, the real coach and a
TinyDB store in a temporary folder) on 127.0.0.1, with `tests/fake_slack.py`
standing in for slack.com.
"""

from __future__ import annotations

import json
import logging
import time
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from adapters.slack.app import SlackAdapter
from bot.core.config import parse_config
from bot.core.errors import ConfigError
from bot.store import GENERATED
from fake_slack import (http_config, 
    FakeSlack,
    block_action_payload,
    home_opened_payload,
    running,
    send_event,
    send_interaction,
    send_slash_command,
    sign,
    slash_payload,
)

BOT = "xoxb-test-bot-token"
SECRET = "test-signing-secret"
TEAM = "T0001"
ACK_BUDGET = 1.0  # seconds; Slack's own limit is 3


@pytest.fixture
def fake():
    with FakeSlack(team_id=TEAM) as server:
        server.add_user("U1", "Camille")
        server.add_user("U2", "Bob")
        server.add_user("UADMIN", "Alex", admin=True)
        server.add_user("UOWNER", "Dominique", owner=True)
        server.add_user("UCONF", "Lou")
        yield server


@pytest.fixture
def config(tmp_path, fake):  # overrides the shared fixture: the same coach, with a [slack] section
    return http_config(tmp_path / "data", fake, BOT, SECRET, slack={"admins": ["UCONF"]})


@pytest.fixture
def adapter(coach, config):
    with running(SlackAdapter(coach, config, env={})) as running_adapter:
        yield running_adapter


@pytest.fixture
def url(adapter):
    return f"http://127.0.0.1:{adapter.bound_port}/slack/events"


def command(url, fake, name, text, user="U1", **kw):
    """Send a slash command; return (ack, response_url)."""
    response_url = fake.new_response_url()
    sent = send_slash_command(url, SECRET, slash_payload(name, text, user_id=user, response_url=response_url, **kw))
    return sent, response_url


def reply_at(fake, response_url, index=0):
    """The `index`-th message posted to a response URL (waits for it)."""
    hook = response_url.rsplit("/", 1)[1]
    posts = fake.wait_for(lambda: len([b for h, b in fake.hook_posts if h == hook]) > index
                          and [b for h, b in fake.hook_posts if h == hook])
    return posts[index]


def header(message):
    return message["blocks"][0]["text"]["text"]


def texts(message):
    from adapters.slack.blocks import all_texts

    return all_texts(message)


# ---------------------------------------------------------------------------- the first thing users do
def test_log_image_is_stored_and_answered_with_blocks(url, fake, store, coach):
    sent, response_url = command(url, fake, "/ia-log", "image 4 midjourney logo de la boulangerie")
    assert sent.status == 200
    message = json.loads(sent.body)  # stored, then answered in the acknowledgement itself
    assert reply_at(fake, response_url) == message and fake.hook_posts == [(response_url.rsplit("/", 1)[1], message)]

    events = store.member_events(TEAM, "U1")
    assert [(e.type, e.kind, e.count, e.tool) for e in events] == [(GENERATED, "image", 4, "midjourney")]
    assert message["response_type"] == "ephemeral"
    assert header(message) == "4 images notées (midjourney) · 🟢 zone verte\u00a0: 4 générations comptées cette semaine"
    actions = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    assert actions[0]["action_id"] == "sobria:undo" and actions[0]["value"] == events[0].id
    assert actions[0]["text"]["text"] == "Annuler"
    assert actions[1]["action_id"] == "sobria:details" and actions[1]["text"]["text"] == "Détails"
    # "logo de la boulangerie" asks for nothing: the one fix the reply names is the request
    assert any(t.startswith("≈ 1 recharge") and "Score RCT\u00a0: 20/100" in t and "Tâche\u00a0:" in t
               for t in texts(message))


def test_same_reply_as_the_console(url, fake, coach):
    from bot.core.identity import Sender

    _, response_url = command(url, fake, "/ia-help", "log")
    message = reply_at(fake, response_url)
    console = coach.handle("ia-help", "log", Sender("console", "U9", "Camille", "console"))
    from adapters.slack.blocks import escape

    assert header(message) == escape(console.title)
    body = [t for t in texts(message) if t != message["text"]]
    assert console.lines
    for line in console.lines:
        assert any(escape(line) in t for t in body), line


def test_every_catalogue_command_is_routed(url, fake):
    from bot.commands import CATALOGUE

    for cmd in CATALOGUE:
        sent, response_url = command(url, fake, f"/{cmd.name}", "")
        assert sent.status == 200, cmd.name
        assert header(reply_at(fake, response_url)), cmd.name


def test_a_command_slower_than_slack_waits_is_acknowledged_once_stored_and_answered_at_its_response_url(
        coach, config, fake, store):
    class SlowCoach:
        """The real coach behind a storage that takes 2 s per command."""

        def __getattr__(self, name):
            return getattr(coach, name)

        def handle(self, *args):
            time.sleep(2)
            return coach.handle(*args)

    fake.delay("users.info", 1.5)
    fake.delay("views.publish", 1.5)
    with running(SlackAdapter(SlowCoach(), config, env={})) as adapter:
        events_url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
        sent, response_url = command(events_url, fake, "/ia-log", "image 2")
        assert (sent.status, sent.body) == (200, "")  # too late for a reply in the acknowledgement...
        assert len(store.member_events(TEAM, "U1")) == 1  # ...but never before the command is stored
        assert header(reply_at(fake, response_url)).startswith("2 images notées")
        fake.wait_for(lambda: fake.calls_to("views.publish"))
    assert len(store.member_events(TEAM, "U1")) == 1


# ---------------------------------------------------------------------------- request verification
def test_forged_signature_is_rejected_and_nothing_is_logged(url, fake, store):
    payload = slash_payload("/ia-log", "image 1", user_id="U1", response_url=fake.new_response_url())
    sent = send_slash_command(url, SECRET, payload, signature="v0=" + "0" * 64)
    assert sent.status == 401
    sent = send_slash_command(url, "another-secret", payload)
    assert sent.status == 401
    time.sleep(0.3)
    assert store.member_events(TEAM, "U1") == []
    assert fake.hook_posts == []
    assert {c.method for c in fake.calls} == {"auth.test"}


def test_six_minute_old_request_is_rejected(url, fake, store):
    payload = slash_payload("/ia-log", "image 1", user_id="U1", response_url=fake.new_response_url())
    sent = send_slash_command(url, SECRET, payload, timestamp=int(time.time()) - 6 * 60)
    assert sent.status == 401
    time.sleep(0.3)
    assert store.member_events(TEAM, "U1") == [] and fake.hook_posts == []


def test_other_paths_and_methods(url, adapter):
    base = f"http://127.0.0.1:{adapter.bound_port}"
    for path, method, expected, body in (("/", "GET", 200, "ok"), ("/slack/events", "GET", 405, None),
                                         ("/", "POST", 405, None), ("/other", "POST", 404, None)):
        request = urllib.request.Request(base + path, data=b"" if method == "POST" else None, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                status, text, allow = response.status, response.read().decode(), None
        except urllib.error.HTTPError as exc:
            status, text, allow = exc.code, None, exc.headers.get("Allow")
        assert status == expected, path
        if body is not None:
            assert text == body, path
        if status == 405:
            assert allow == ("POST" if path == "/slack/events" else "GET"), path


def test_oversized_body_is_refused_before_it_is_read(adapter):
    with socket.create_connection(("127.0.0.1", adapter.bound_port), timeout=5) as conn:
        conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n")
        assert conn.recv(64).startswith(b"HTTP/1.1 413")


def test_a_client_that_hangs_up_mid_request_costs_one_log_line_and_nothing_else(adapter, url, fake, store, caplog):
    half_sent = fake.new_response_url()
    payload = slash_payload("/ia-log", "image 1", user_id="U1", response_url=half_sent)
    body = urllib.parse.urlencode(payload).encode()
    head = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n")
    signature = "".join(f"{k}: {v}\r\n" for k, v in sign(SECRET, body.decode()).items())
    with caplog.at_level(logging.DEBUG):
        with socket.create_connection(("127.0.0.1", adapter.bound_port), timeout=5) as conn:
            conn.sendall((head + signature + "\r\n").encode() + body[: len(body) // 2])
        fake.wait_for(lambda: "hung up" in caplog.text)
        sent = send_slash_command(url, SECRET, slash_payload("/ia-help", "", user_id="U1",
                                                             response_url=fake.new_response_url()))
    assert sent.status == 200  # still serving
    hung_up = [r for r in caplog.records if "hung up" in r.getMessage()]
    assert len(hung_up) == 1 and hung_up[0].exc_info is None and hung_up[0].levelno == logging.INFO
    assert f"after {len(body) // 2} of its {len(body)} bytes" in hung_up[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert store.member_events(TEAM, "U1") == [] and fake.posts_to(half_sent) == []  # the half request did nothing


def refuses_connections(port, within):
    """Whether connecting to the port is refused before `within` seconds have passed."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_stopping_lets_the_acknowledgement_in_flight_finish_and_refuses_new_connections(coach, config, fake, store):
    class SlowAck(SlackAdapter):
        """The real adapter, its work before the acknowledgement of /ia-log held until the test lets it go."""

        entered, release = threading.Event(), threading.Event()

        def _run_command(self, *args):
            self.entered.set()
            self.release.wait(10)
            return super()._run_command(*args)

    adapter = SlowAck(coach, config, env={})
    with running(adapter):
        events_url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
        response_url = fake.new_response_url()
        with ThreadPoolExecutor(max_workers=2) as pool:
            in_flight = pool.submit(send_slash_command, events_url, SECRET,
                                    slash_payload("/ia-log", "image 2", user_id="U1", response_url=response_url))
            assert adapter.entered.wait(10)
            stopping = pool.submit(adapter.stop)
            try:
                assert refuses_connections(adapter.bound_port, within=3.0)  # while the request is still in flight
                assert not in_flight.done()
            finally:
                adapter.release.set()
            assert in_flight.result(10).status == 200
            stopping.result(20)
    assert fake.delivered_to(response_url)  # its work ran before the adapter stopped
    assert [e.count for e in store.member_events(TEAM, "U1")] == [2]


# ---------------------------------------------------------------------------- safety
def test_mentions_in_echoed_text_never_ping(url, fake, store):
    fake.add_user("U1", "<!everyone> Camille")  # a display name is echoed too
    for text in ("text 1 <!channel> <@U123> <!here>", "text 1 &lt;!channel&gt; &lt;@U123&gt; &lt;!here&gt;"):
        _, response_url = command(url, fake, "/ia-avoid", text)
        message = reply_at(fake, response_url)
        dumped = json.dumps(message, ensure_ascii=False)
        assert "<!channel>" not in dumped and "<@U123>" not in dumped and "<!here>" not in dumped
        assert "&lt;!channel&gt; &lt;@U123&gt; &lt;!here&gt;" in dumped  # shown, as typed, inert
    _, response_url = command(url, fake, "/ia-me", "")
    message = reply_at(fake, response_url)
    assert header(message) == "Vos préférences, &lt;!everyone&gt; Camille"
    for t in texts(message):
        assert "<" not in t and ">" not in t
    home = fake.wait_for(lambda: fake.calls_to("views.publish"))[-1].params["view"]
    assert "<!everyone>" not in json.dumps(home, ensure_ascii=False)


def test_settings_refused_for_a_member(url, fake, store, coach):
    _, response_url = command(url, fake, "/ia-settings", "lang en", user="U2")
    message = reply_at(fake, response_url)
    assert header(message) == coach.notice("admin_only", "fr").title
    assert store.settings(TEAM).get("lang") is None


@pytest.mark.parametrize("user", ["UADMIN", "UOWNER", "UCONF"])
def test_settings_allowed_for_slack_admins_owners_and_config_admins(url, fake, store, user):
    _, response_url = command(url, fake, "/ia-settings", "timezone Europe/Brussels", user=user)
    reply_at(fake, response_url)
    assert store.settings(TEAM).get("timezone") == "Europe/Brussels"


def test_summary_channel_typed_as_a_slack_channel_link_keeps_its_id(url, fake, store):
    # with should_escape, a channel picked in the text arrives as <#C…|name>
    _, response_url = command(url, fake, "/ia-settings", "summary_channel <#C0042|compta>", user="UADMIN")
    reply_at(fake, response_url)
    assert store.settings(TEAM).get("summary_channel") == "C0042"


def test_admin_role_is_read_fresh_for_admin_commands(url, fake, store):
    command(url, fake, "/ia-help", "", user="U2")  # caches Bob as a member
    fake.wait_for(lambda: fake.calls_to("users.info"))
    fake.add_user("U2", "Bob", admin=True)  # promoted since
    _, response_url = command(url, fake, "/ia-settings", "timezone Europe/Brussels", user="U2")
    reply_at(fake, response_url)
    assert store.settings(TEAM).get("timezone") == "Europe/Brussels"


def test_unknown_role_means_no_admin(url, fake, store):
    fake.fail("users.info", error="ratelimited", times=5)
    _, response_url = command(url, fake, "/ia-settings", "lang en", user="UADMIN")
    message = reply_at(fake, response_url)
    assert store.settings(TEAM).get("lang") is None
    assert message["blocks"]  # still answered


def test_names_are_cached(url, fake):
    for _ in range(3):
        _, response_url = command(url, fake, "/ia-help", "")
        reply_at(fake, response_url)
    assert len(fake.calls_to("users.info")) == 1
    assert fake.calls_to("users.info")[0].params["user"] == "U1"


# ---------------------------------------------------------------------------- delivery
def test_rate_limited_then_delivered(adapter, fake):
    from bot.core.reply import Reply

    fake.fail("chat.postMessage", status=429, retry_after=0)
    assert adapter.post_to_channel(TEAM, "C0042", Reply(kind="summary", title="Bilan <!channel>")) is True
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) == 2 and calls[1].params["channel"] == "C0042"
    assert calls[1].params["blocks"][0]["text"]["text"] == "Bilan &lt;!channel&gt;"


def test_post_to_channel_reports_failures_without_raising(adapter, fake, caplog):
    from bot.core.reply import Reply

    reply = Reply(kind="summary", title="Bilan")
    fake.fail("chat.postMessage", error="not_in_channel")
    with caplog.at_level(logging.WARNING, logger="sobria.slack"):
        assert adapter.post_to_channel(TEAM, "C0042", reply) is False
    assert "not_in_channel" in caplog.text
    assert adapter.post_to_channel("T9999", "C0042", reply) is False  # another workspace's channel
    fake.fail("chat.postMessage", status=500, times=10)
    assert adapter.post_to_channel(TEAM, "C0042", reply) is False
    assert BOT not in caplog.text


def test_summary_with_a_chart_is_posted_then_uploaded_in_the_channel(adapter, fake):
    from bot.core.reply import Attachment, Reply

    chart = Attachment("bilan.png", b"\x89PNG fake", "image/png")
    assert adapter.post_to_channel(TEAM, "C0042", Reply(kind="summary", title="Bilan", attachments=(chart,)))
    complete = fake.wait_for(lambda: fake.calls_to("files.completeUploadExternal"))[0]
    assert complete.params["channel_id"] == "C0042"
    assert fake.uploads[0][1] == b"\x89PNG fake"
    assert fake.calls_to("conversations.open") == []


def test_direct_message_goes_to_the_members_conversation_with_the_app(adapter, fake):
    from bot.core.reply import Reply

    assert adapter.send_direct(TEAM, "U1", Reply(kind="nudge", title="Votre semaine <@U2>")) is True
    call = fake.calls_to("chat.postMessage")[0]
    assert call.params["channel"] == "U1"
    assert call.params["blocks"][0]["text"]["text"] == "Votre semaine &lt;@U2&gt;"
    fake.fail("chat.postMessage", error="user_not_found")
    assert adapter.send_direct(TEAM, "U404", Reply(kind="nudge", title="x")) is False
    assert adapter.send_direct("T9999", "U1", Reply(kind="nudge", title="x")) is False


def test_serves_only_its_own_workspace(adapter):
    assert adapter.serves(TEAM)
    assert not adapter.serves("T9999") and not adapter.serves("123456789012345678")


def press_details(url, fake, sent):
    """Press the « Details » button of the log answered by `sent`: a button's reply goes to its response URL
    (a command's rides in its acknowledgement). Returns the button's response URL."""
    message = json.loads(sent.body)
    event_id = next(b for b in message["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    button_url = fake.new_response_url()
    pressed = send_interaction(url, SECRET, block_action_payload("sobria:details", event_id, user_id="U1",
                                                                 response_url=button_url))
    assert pressed.status == 200
    return button_url


def test_expired_response_url_falls_back_to_an_ephemeral_message(url, fake):
    sent, _ = command(url, fake, "/ia-log", "image 1")
    fake.fail("hook", status=404, error="expired_url")
    fake.fail("chat.postEphemeral", status=429, retry_after=0)
    press_details(url, fake, sent)
    calls = fake.wait_for(lambda: len(fake.calls_to("chat.postEphemeral")) == 2 and fake.calls_to("chat.postEphemeral"))
    assert calls[1].params["user"] == "U1" and calls[1].params["channel"] == "C0001"
    assert "1 image notée" in calls[1].params["blocks"][0]["text"]["text"]


def test_public_replies_go_in_channel(url, fake):
    _, response_url = command(url, fake, "/ia-stats", "mois public")
    assert reply_at(fake, response_url)["response_type"] == "in_channel"
    _, response_url = command(url, fake, "/ia-top", "")
    assert reply_at(fake, response_url)["response_type"] == "ephemeral"


def test_undeliverable_reply_is_logged_and_the_event_stored_once(url, fake, store, caplog):
    sent, _ = command(url, fake, "/ia-log", "video 2 sora")
    assert sent.status == 200
    fake.fail("hook", status=500, times=5)
    fake.fail("chat.postEphemeral", error="channel_not_found")
    with caplog.at_level(logging.WARNING, logger="sobria.slack"):
        press_details(url, fake, sent)
        fake.wait_for(lambda: fake.calls_to("chat.postEphemeral"))
        fake.wait_for(lambda: "could not be delivered" in caplog.text)
    assert "channel_not_found" in caplog.text
    assert len(store.member_events(TEAM, "U1")) == 1
    assert SECRET not in caplog.text and BOT not in caplog.text


def test_export_is_sent_as_a_file_in_direct_messages(url, fake, store):
    reply_at(fake, command(url, fake, "/ia-log", "text 3 mistral")[1])
    _, response_url = command(url, fake, "/ia-me", "export")
    reply_at(fake, response_url)
    complete = fake.wait_for(lambda: fake.calls_to("files.completeUploadExternal"))[0]
    assert fake.calls_to("conversations.open")[0].params["users"] == "U1"
    assert complete.params["channel_id"] == "D1"
    data = json.loads(fake.uploads[0][1])
    assert data["user"] == "U1" and len(data["events"]) == 1


# ---------------------------------------------------------------------------- identity
def test_enterprise_grid_workspace_is_enterprise_and_team(url, fake, store):
    _, response_url = command(url, fake, "/ia-log", "image 1", enterprise_id="E0001")
    reply_at(fake, response_url)
    assert len(store.member_events("E0001:T0001", "U1")) == 1
    assert store.member_events(TEAM, "U1") == []


def test_display_name_comes_from_users_info(url, fake, store):
    _, response_url = command(url, fake, "/ia-help", "", user_name="camille.legacy")
    reply_at(fake, response_url)
    assert store.member(TEAM, "U1")["name"] == "Camille"


# ---------------------------------------------------------------------------- buttons and App Home
def test_home_is_published_after_a_command(url, fake):
    command(url, fake, "/ia-log", "image 2")
    call = fake.wait_for(lambda: fake.calls_to("views.publish"))[0]
    view = call.params["view"]
    assert call.params["user_id"] == "U1" and view["type"] == "home"
    assert view["blocks"][0]["type"] == "header" and "Camille" in view["blocks"][0]["text"]["text"]
    actions = [e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions[:3] == ["sobria:quick", "sobria:quick.2", "sobria:quick.3"] and "sobria:pref" in actions
    assert any(t.startswith(("🟢", "🟠", "🔴")) for t in texts(view))


@contextmanager
def workers_held(adapter):
    """Every worker of the adapter busy until the block ends: work queued meanwhile waits, acks do not."""
    from adapters.slack import app as slack_app

    release = threading.Event()
    busy = [adapter._executor.submit(release.wait, 10) for _ in range(slack_app.WORKERS)]
    try:
        yield
    finally:
        release.set()
        for f in busy:
            f.result(10)


def sender_of(adapter, user):
    from adapters.slack.app import Origin

    return adapter._sender(Origin(user_id=user, team_id=TEAM, enterprise_id=None), None)


def test_homes_queued_for_a_member_are_published_once_with_the_latest_sender(adapter, fake):
    from dataclasses import replace

    camille, bob = sender_of(adapter, "U1"), sender_of(adapter, "U2")
    with workers_held(adapter):
        for n in range(5):
            adapter._refresh_home_soon(replace(camille, display_name=f"Camille {n}"))
        adapter._refresh_home_soon(bob)
    fake.wait_for(lambda: len(fake.calls_to("views.publish")) == 2)
    time.sleep(0.3)  # a third Home, if any, would be published by now
    publishes = {c.params["user_id"]: c.params["view"] for c in fake.calls_to("views.publish")}
    assert len(fake.calls_to("views.publish")) == 2 and set(publishes) == {"U1", "U2"}
    assert "Camille 4" in publishes["U1"]["blocks"][0]["text"]["text"]


def test_a_burst_of_commands_ends_with_a_home_showing_all_of_it(url, fake, adapter, store):
    from adapters.slack.blocks import home_view

    with workers_held(adapter):
        urls = []
        for n in range(1, 13):
            sent, response_url = command(url, fake, "/ia-log", f"image {n}")
            assert sent.status == 200 and sent.seconds < ACK_BUDGET  # acknowledged with no worker free
            urls.append(response_url)
    assert header(reply_at(fake, urls[-1])).startswith("12 images notées · ")
    assert all(reply_at(fake, u) for u in urls)
    fake.wait_for(lambda: fake.calls_to("views.publish"))
    time.sleep(0.5)  # the last Home, if one is still due, is published by now
    assert len(store.member_events(TEAM, "U1")) == 12
    publishes = fake.calls_to("views.publish")
    assert 1 <= len(publishes) < 12  # fewer Homes than commands
    expected = json.loads(json.dumps(home_view(adapter.coach.home(sender_of(adapter, "U1")))))
    assert publishes[-1].params["view"] == expected  # the last one published shows every command


def test_home_opened_publishes_the_home(url, fake):
    sent = send_event(url, SECRET, home_opened_payload("U2"))
    assert sent.status == 200
    call = fake.wait_for(lambda: fake.calls_to("views.publish"))[0]
    assert call.params["user_id"] == "U2" and "Bob" in call.params["view"]["blocks"][0]["text"]["text"]


def test_undo_button_removes_the_event(url, fake, store):
    _, response_url = command(url, fake, "/ia-log", "image 3")
    event_id = next(b for b in reply_at(fake, response_url)["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    button_url = fake.new_response_url()
    sent = send_interaction(url, SECRET, block_action_payload("sobria:undo", event_id, user_id="U1",
                                                              response_url=button_url))
    assert sent.status == 200 and sent.seconds < ACK_BUDGET
    assert header(reply_at(fake, button_url)).startswith("Enregistrement annulé")
    assert store.member_events(TEAM, "U1") == []


def test_undo_button_of_someone_else_does_nothing(url, fake, store):
    _, response_url = command(url, fake, "/ia-log", "image 3")
    event_id = next(b for b in reply_at(fake, response_url)["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    button_url = fake.new_response_url()
    send_interaction(url, SECRET, block_action_payload("sobria:undo", event_id, user_id="U2", response_url=button_url))
    reply_at(fake, button_url)
    assert len(store.member_events(TEAM, "U1")) == 1


def test_details_button_opens_the_rest_privately(url, fake):
    _, response_url = command(url, fake, "/ia-log", "text 1 chatgpt écris un truc")
    buttons = next(b for b in reply_at(fake, response_url)["blocks"] if b["type"] == "actions")["elements"]
    details = next(b for b in buttons if b["action_id"] == "sobria:details")
    button_url = fake.new_response_url()
    sent = send_interaction(url, SECRET, block_action_payload("sobria:details", details["value"], user_id="U1",
                                                              response_url=button_url))
    assert sent.status == 200 and sent.seconds < ACK_BUDGET
    opened = reply_at(fake, button_url)
    assert opened["response_type"] == "ephemeral" and opened["replace_original"] is False
    assert header(opened) == "Détails\u00a0: 1 texte noté (chatgpt)"
    assert any(t.startswith("*Énergie*") for t in texts(opened))  # the figures the three lines left out
    assert any(t.startswith("*Score RCT") for t in texts(opened)) and any(t.startswith("❌") for t in texts(opened))


def test_improve_button_of_an_older_reply_still_opens_the_advice(url, fake):
    _, response_url = command(url, fake, "/ia-log", "text 1 chatgpt écris un truc")
    buttons = next(b for b in reply_at(fake, response_url)["blocks"] if b["type"] == "actions")["elements"]
    button_url = fake.new_response_url()
    send_interaction(url, SECRET, block_action_payload("sobria:improve", buttons[0]["value"], user_id="U1",
                                                       response_url=button_url))
    advice = reply_at(fake, button_url)
    assert header(advice).startswith("Score RCT")
    assert any(t.startswith("❌") for t in texts(advice))


def test_preference_button_in_home_updates_and_republishes(url, fake, store):
    sent = send_interaction(url, SECRET, block_action_payload("sobria:pref.2", "nudges on", user_id="U1", in_home=True))
    assert sent.status == 200
    view = fake.wait_for(lambda: fake.calls_to("views.publish"))[0].params["view"]
    assert store.member(TEAM, "U1")["nudges"] is True
    assert view["blocks"][0]["text"]["text"] == "Rappels hebdomadaires activés."
    assert [b["type"] for b in view["blocks"]].count("divider") == 1
    assert fake.hook_posts == [] and fake.calls_to("chat.postMessage") == []


# ---------------------------------------------------------------------------- scheduled summaries
def test_the_scheduler_posts_its_summary_through_slack(url, fake, adapter, config, coach, clock):
    from bot.scheduler import MONTHLY, POSTED, SummaryScheduler
    from bot.reports.summaries import parse_period

    reply_at(fake, command(url, fake, "/ia-settings", "summary_channel <#C0042|compta>", user="UADMIN")[1])
    reply_at(fake, command(url, fake, "/ia-log", "image 3 midjourney")[1])
    reply_at(fake, command(url, fake, "/ia-avoid", "text 2", user="U2")[1])
    scheduler = SummaryScheduler(config, coach.store, [adapter], impact=coach.impact, renderer=coach.r, clock=clock)
    plan = scheduler.plan(TEAM)
    period = parse_period(MONTHLY, "2026-11", plan.tz)
    assert scheduler.publish(plan, MONTHLY, period) == POSTED
    post = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == "C0042"]
    assert len(post) == 1 and post[0].params["blocks"][0]["type"] == "header"
    for text in texts(post[0].params):
        assert "<" not in text and ">" not in text
    uploaded = fake.calls_to("files.completeUploadExternal")
    assert uploaded and uploaded[0].params["channel_id"] == "C0042"  # the month's chart
    assert fake.uploads[0][1].startswith(b"\x89PNG")


def test_a_busy_port_is_a_config_error(coach, tmp_path, fake):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = parse_config({"store": {"data_dir": str(tmp_path / "d")}, "slack": {
            "mode": "http", "port": port, "api_url": fake.api_url, "bot_token": BOT, "signing_secret": SECRET}})
        with pytest.raises(ConfigError) as err:
            SlackAdapter(coach, config, env={}).run_forever()
    assert err.value.key == "slack.port"


def test_a_slack_user_group_mapped_to_a_team_puts_its_members_in_it(url, fake, store, coach):
    fake.add_usergroup("S0SALES", ["U2"])
    _, response_url = command(url, fake, "/ia-log", "image", user="U2")
    reply_at(fake, response_url)
    assert not [c for c in fake.calls if c.method == "usergroups.list"]  # not asked while no mapping exists
    _, response_url = command(url, fake, "/ia-team", "map <!subteam^S0SALES|@ventes> Ventes", user="UADMIN")
    reply_at(fake, response_url)
    _, response_url = command(url, fake, "/ia-team", "", user="U2")
    message = reply_at(fake, response_url)
    assert "Votre équipe\u00a0: Ventes" in "\n".join(texts(message))
    assert store.member(TEAM, "U2")["groups"] == ["S0SALES"]
