"""A local stand-in for Slack, on 127.0.0.1, for the Slack adapter's tests.

It plays the three parts of Slack the bot talks to:

* the Web API (`<base>/api/<method>`), recording every call with its
  parameters and token, and able to answer a slow reply, HTTP 429 with
  Retry-After, HTTP 5xx or `ok: false` on demand;
* response URLs (`<base>/hooks/<id>`), recording what is posted to them;
* a Socket Mode websocket (`apps.connections.open` returns its ws:// URL),
  able to push envelopes and record the bot's acknowledgements.

A slash command's acknowledgement may carry the reply itself (Slack shows a
message in the HTTP response body, or in a Socket Mode ack's payload, as it
shows one posted to the command's response URL): the fake records such a
message as delivered to that response URL, so tests read a reply the same
way however the app sent it.

It also builds requests the way Slack sends them to an app in HTTP mode
(form-encoded slash commands, signed with the signing secret), so tests can
drive the adapter with real HTTP. Runs aiohttp in its own thread and loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from aiohttp import WSMsgType, web

WAIT = 10.0  # default bound for every wait: a failing test fails, it never hangs


@dataclass
class Call:
    """One Web API call as the fake received it."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1


class FakeSlack:
    """See the module docstring. Use as a context manager, or call start() / stop()."""

    def __init__(self, team_id: str = "T0001", enterprise_id: str | None = None, bot_user: str = "UBOT") -> None:
        self.team_id, self.enterprise_id, self.bot_user = team_id, enterprise_id, bot_user
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.calls: list[Call] = []
        self.hook_posts: list[tuple[str, dict[str, Any]]] = []
        self.hook_statuses: list[tuple[str, int]] = []  # what the fake answered to each of those posts
        self.uploads: list[tuple[str, bytes]] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self.ack_replies: list[str] = []  # hooks whose reply came in the command's acknowledgement
        self._envelope_hooks: dict[str, str] = {}  # Socket Mode envelope id -> its response URL's hook
        self.socket_connections = 0
        self._failures: dict[str, list[Failure]] = {}
        self._delays: dict[str, float] = {}
        self._delays_left: dict[str, int] = {}  # how many more calls a limited delay applies to
        self._ids = itertools.count(1)
        self._lock = threading.RLock()  # re-entrant: wait_for's predicates read the records under it
        self._changed = threading.Condition(self._lock)
        self._sockets: list[web.WebSocketResponse] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ------------------------------------------------------------------ life cycle
    def start(self) -> "FakeSlack":
        started = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._start_server())
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-slack", daemon=True)
        self._thread.start()
        if not started.wait(WAIT):
            raise RuntimeError("fake Slack did not start")
        _RUNNING.append(self)
        return self

    async def _start_server(self) -> None:
        app = web.Application(client_max_size=8 << 20)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/hooks/{hook}", self._hook)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/link/", self._socket)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        if self in _RUNNING:
            _RUNNING.remove(self)
        if self._loop is None:
            return

        async def shutdown() -> None:
            for ws in list(self._sockets):
                await ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(WAIT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(WAIT)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # ------------------------------------------------------------------ scripting
    def add_usergroup(self, group_id: str, users: list[str]) -> None:
        """A user group `usergroups.list` returns, with its members."""
        self.usergroups[group_id] = list(users)

    def add_user(self, user_id: str, name: str, *, admin: bool = False, owner: bool = False,
                 locale: str = "fr-FR") -> None:
        """A member `users.info` knows about."""
        self.users[user_id] = {
            "id": user_id, "team_id": self.team_id, "name": name.lower(), "real_name": name,
            "is_admin": admin, "is_owner": owner, "is_primary_owner": False, "locale": locale,
            "profile": {"display_name": name, "real_name": name},
        }

    def fail(self, method: str, *, status: int = 200, error: str | None = None, retry_after: int | None = None,
             times: int = 1) -> None:
        """Make the next `times` calls to `method` (or "hook" for response URLs) fail this way."""
        with self._lock:
            self._failures.setdefault(method, []).append(Failure(status, error, retry_after, times))

    def delay(self, method: str, seconds: float, times: int | None = None) -> None:
        """Make calls to `method` ("hook" for response URLs) answer only after `seconds`: all, or the next `times`."""
        with self._lock:
            self._delays[method] = seconds
            if times is None:
                self._delays_left.pop(method, None)
            else:
                self._delays_left[method] = times

    def _take_delay(self, method: str) -> float:
        with self._lock:
            seconds = self._delays.get(method, 0.0)
            if method in self._delays_left:
                if self._delays_left[method] <= 0:
                    return 0.0
                self._delays_left[method] -= 1
            return seconds

    def new_response_url(self) -> str:
        return f"{self.base_url}/hooks/{next(self._ids)}"

    def posts_to(self, response_url: str) -> list[dict[str, Any]]:
        """Every message posted to one response URL, in order (failed attempts included)."""
        hook = response_url.rsplit("/", 1)[1]
        with self._lock:
            return [body for h, body in self.hook_posts if h == hook]

    def delivered_to(self, response_url: str) -> list[dict[str, Any]]:
        """The messages a response URL accepted (HTTP 200), in order."""
        hook = response_url.rsplit("/", 1)[1]
        with self._lock:
            statuses = [status for h, status in self.hook_statuses if h == hook]
            bodies = [body for h, body in self.hook_posts if h == hook]
        return [body for body, status in zip(bodies, statuses) if status == 200]

    def show_ack_reply(self, hook: str, message: dict[str, Any]) -> None:
        """A reply that came in a slash command's acknowledgement: shown, as if posted to its response URL."""
        self._record(lambda: (self.hook_posts.append((hook, message)), self.hook_statuses.append((hook, 200)),
                              self.ack_replies.append(hook)))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = WAIT) -> Any:
        """Wait until `predicate()` is truthy (re-checked on every recorded call); return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("fake Slack: condition not met in time")
                self._changed.wait(min(left, 0.1))

    def _record(self, append: Callable[[], None]) -> None:
        with self._changed:
            append()
            self._changed.notify_all()

    def _take_failure(self, method: str) -> Failure | None:
        with self._lock:
            queue = self._failures.get(method) or []
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    # ------------------------------------------------------------------ Web API
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(dict(urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True)))
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else params.get("token")
        self._record(lambda: self.calls.append(Call(method, params, token)))
        pause = self._take_delay(method)
        if pause:
            await asyncio.sleep(pause)
        failure = self._take_failure(method)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            if failure.status != 200:
                return web.json_response({"ok": False, "error": failure.error or "ratelimited"},
                                         status=failure.status, headers=headers)
            return web.json_response({"ok": False, "error": failure.error or "fatal_error"}, headers=headers)
        return web.json_response(self._answer(method, params, request))

    def _answer(self, method: str, params: dict[str, Any], request: web.Request) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.com/", "team": "Boulangerie", "user": "sobria",
                    "team_id": self.team_id, "user_id": self.bot_user, "bot_id": "B0001",
                    "enterprise_id": self.enterprise_id, "is_enterprise_install": False}
        if method == "api.test":  # needs no token: what a readiness probe asks
            return {"ok": True}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket={next(self._ids)}"}
        if method == "usergroups.list":
            return {"ok": True, "usergroups": [{"id": gid, "users": list(users)} for gid, users in self.usergroups.items()]}
        if method == "users.info":
            user = self.users.get(params.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}"}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{time.time():.6f}"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0001", **(_as_dict(params.get("view")) or {})}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).lstrip("U")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids)}"
            return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = _as_list(params.get("files"))
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(lambda: self.hook_posts.append((request.match_info["hook"], body)))
        pause = self._take_delay("hook")
        if pause:
            await asyncio.sleep(pause)
        failure = self._take_failure("hook")
        status = failure.status if failure is not None and failure.status != 200 else 200
        self._record(lambda: self.hook_statuses.append((request.match_info["hook"], status)))
        if status != 200:
            return web.Response(status=status, text=failure.error or "failed")  # type: ignore[union-attr]
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        self._record(lambda: self.uploads.append((request.match_info["file"], data)))
        return web.Response(text=f"OK - {len(data)}")

    # ------------------------------------------------------------------ Socket Mode
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._record(lambda: (self._sockets.append(ws), setattr(self, "socket_connections",
                                                                  self.socket_connections + 1)))
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": "A0001"}}))
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                if "envelope_id" in data:
                    self._record(lambda: self.acks.__setitem__(data["envelope_id"], data.get("payload") or {}))
                    hook = self._envelope_hooks.pop(data["envelope_id"], None)
                    if hook is not None and is_message(data.get("payload")):
                        self.show_ack_reply(hook, data["payload"])
        self._record(lambda: self._sockets.remove(ws) if ws in self._sockets else None)
        return ws

    def connected(self) -> bool:
        with self._lock:
            return bool(self._sockets)

    def send_envelope(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> str:
        """Push a Socket Mode envelope ("slash_commands", "interactive", "events_api"); return its id.
        `retry_attempt`: how many times Slack sent it before (0 for a first delivery)."""
        envelope_id = f"env-{next(self._ids)}"
        message = json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                              "accepts_response_payload": kind != "events_api", "retry_attempt": retry_attempt})
        with self._lock:
            ws = self._sockets[-1]
            if kind == "slash_commands" and isinstance(payload.get("response_url"), str):
                self._envelope_hooks[envelope_id] = payload["response_url"].rsplit("/", 1)[1]
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(ws.send_str(message), self._loop).result(WAIT)
        return envelope_id


_RUNNING: list[FakeSlack] = []  # the fakes of this process, to show replies that came in an acknowledgement


def is_message(body: Any) -> bool:
    """Whether an acknowledgement's body is a message Slack would show (text or blocks)."""
    return isinstance(body, dict) and bool(body.get("text") or body.get("blocks"))


def _show_if_reply(sent: "Sent", response_url: str | None) -> None:
    """Slack shows a message returned in a slash command's HTTP acknowledgement: so does the fake it belongs to."""
    if sent.status != 200 or not response_url or not sent.body.lstrip().startswith("{"):
        return
    try:
        body = json.loads(sent.body)
    except ValueError:
        return
    if not is_message(body):
        return
    for fake in list(_RUNNING):
        if response_url.startswith(f"{fake.base_url}/hooks/"):
            fake.show_ack_reply(response_url.rsplit("/", 1)[1], body)


def _as_dict(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else None


def _as_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, list) else []


# ---------------------------------------------------------------------------- what Slack sends to an app
_TRIGGERS = itertools.count(1)


def slash_payload(command: str, text: str, *, user_id: str, team_id: str = "T0001", response_url: str,
                  channel_id: str = "C0001", user_name: str = "someone",
                  enterprise_id: str | None = None) -> dict[str, str]:
    """The fields of a slash-command request, named and shaped as Slack sends them."""
    payload = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "boulangerie",
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        "response_url": response_url,
        # unique per command, as Slack's are, across the processes that send commands (the benchmark's loads)
        "trigger_id": f"{int(time.time())}.{os.getpid()}{next(_TRIGGERS):06d}.abcdef",
    }
    if enterprise_id:
        payload["enterprise_id"] = enterprise_id
        payload["enterprise_name"] = "Grid"
    return payload


def block_action_payload(action_id: str, value: str, *, user_id: str, team_id: str = "T0001",
                         response_url: str | None = None, in_home: bool = False) -> dict[str, Any]:
    """A `block_actions` interaction: a button pressed in a message or in the App Home."""
    container: dict[str, Any] = ({"type": "view", "view_id": "V0001"} if in_home else
                                 {"type": "message", "message_ts": "1.2", "channel_id": "C0001", "is_ephemeral": True})
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": "someone", "name": "someone", "team_id": team_id},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": "1.1.abc",
        "team": {"id": team_id, "domain": "boulangerie"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                     "text": {"type": "plain_text", "text": "x"}, "action_ts": f"{time.time():.6f}"}],
    }
    if in_home:
        payload["view"] = {"id": "V0001", "type": "home", "team_id": team_id}
    else:
        payload["channel"] = {"id": "C0001", "name": "general"}
        payload["response_url"] = response_url
    return payload


def home_opened_payload(user_id: str, team_id: str = "T0001") -> dict[str, Any]:
    """An `app_home_opened` Events API callback."""
    return {
        "token": "legacy-verification-token", "team_id": team_id, "api_app_id": "A0001", "type": "event_callback",
        "event_id": f"Ev{int(time.time() * 1000)}", "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": user_id, "channel": "D0001", "tab": "home",
                  "event_ts": f"{time.time():.6f}"},
        "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
    }


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature headers (v0, HMAC-SHA256 over "v0:<timestamp>:<body>")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Sent:
    status: int
    body: str
    seconds: float


def post_to_app(url: str, body: str, headers: dict[str, str], content_type: str) -> Sent:
    """POST to the app as Slack does, timing how long the app takes to acknowledge."""
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": content_type, "User-Agent": "Slackbot 1.0", **headers})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return Sent(response.status, response.read().decode("utf-8"), time.monotonic() - started)
    except urllib.error.HTTPError as exc:
        return Sent(exc.code, exc.read().decode("utf-8"), time.monotonic() - started)


def send_slash_command(url: str, secret: str, payload: dict[str, str], timestamp: int | None = None,
                       signature: str | None = None, retry_num: int | None = None) -> Sent:
    """A signed, form-encoded slash command request (optionally with a forged signature or an old timestamp,
    or sent again as Slack retries a request it got no acknowledgement for: `retry_num`)."""
    body = urllib.parse.urlencode(payload)
    headers = sign(secret, body, timestamp)
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    sent = post_to_app(url, body, headers, "application/x-www-form-urlencoded")
    _show_if_reply(sent, payload.get("response_url"))
    return sent


def send_interaction(url: str, secret: str, payload: dict[str, Any], retry_num: int | None = None) -> Sent:
    """A signed interaction request (`payload=<json>`, form-encoded, as Slack sends button presses); `retry_num`
    as for `send_slash_command`."""
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    headers = sign(secret, body)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return post_to_app(url, body, headers, "application/x-www-form-urlencoded")


def send_event(url: str, secret: str, payload: dict[str, Any]) -> Sent:
    """A signed Events API request (JSON body)."""
    body = json.dumps(payload)
    return post_to_app(url, body, sign(secret, body), "application/json")


@contextmanager
def running(adapter: Any, timeout: float = WAIT) -> Iterator[Any]:
    """Run an adapter's `run_forever` in a thread until the block ends; fail fast if it never gets ready."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            adapter.run_forever()
        except BaseException as exc:  # surfaced to the test below
            errors.append(exc)

    thread = threading.Thread(target=run, name="adapter-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not adapter.ready.wait(0.05):
        if errors or not thread.is_alive() or time.monotonic() > deadline:
            adapter.stop()
            raise AssertionError(f"adapter did not start: {errors[0] if errors else 'timeout'}")
    try:
        yield adapter
    finally:
        adapter.stop()
        thread.join(timeout)
        assert not thread.is_alive(), "adapter did not stop"
    if errors:
        raise errors[0]


def http_config(data_dir: Any, fake: "FakeSlack", bot_token: str | None = None, signing_secret: str | None = None,
                *, slack: dict[str, Any] | None = None, **sections: Any) -> Any:
    """A configuration for the Slack adapter in HTTP mode on a free loopback port, talking to `fake`."""
    from bot.core.config import parse_config

    section: dict[str, Any] = {"mode": "http", "host": "127.0.0.1", "port": 0, "api_url": fake.api_url}
    if bot_token is not None:
        section["bot_token"] = bot_token
    if signing_secret is not None:
        section["signing_secret"] = signing_secret
    section.update(slack or {})
    return parse_config({"store": {"data_dir": str(data_dir)}, "slack": section, **sections})

