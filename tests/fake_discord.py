"""A local stand-in for Discord, on 127.0.0.1, for the Discord adapter's tests.

It plays the two parts of Discord an unmodified discord.py client talks to:

* the REST API (`<base>/api/v10/...`): login (`/users/@me`, the application),
  command registration, interaction callbacks, webhook follow-ups and edits,
  channel messages. Every request is recorded with its JSON body (or the
  `payload_json` and files of a multipart body); any route can answer HTTP 429
  or 5xx on demand, the way Discord does;
* the gateway websocket: HELLO, IDENTIFY (the token and intents are checked
  and recorded), READY then GUILD_CREATE for each server, heartbeats, and
  INTERACTION_CREATE events pushed by the tests, zlib-compressed when the
  client asks for it, as Discord does. Sessions survive a dropped socket the
  way Discord's do: events sent meanwhile are kept, and a RESUME at the
  `resume_gateway_url` given in READY replays them before RESUMED; an
  unknown or invalidated session gets INVALID_SESSION. Tests can close the
  socket (with a close code, or by cutting the TCP connection), ask the
  client to RECONNECT, or invalidate its session.

Like Discord, an interaction is acknowledged once: a second callback gets
HTTP 400 (code 40060). With `interaction_window` set (Discord's is 3 s), a
callback arriving later than that after the interaction gets HTTP 404
"Unknown interaction" (code 10062).

Interactions are built like Discord's: option types, choices and bounds are
taken from the commands the bot registered, so an option the bot did not
declare cannot be sent. Runs aiohttp in its own thread and event loop.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from aiohttp import WSMsgType, web

WAIT = 10.0  # default bound for every wait: a failing test fails, it never hangs
API_PREFIX = "/api/v10"

VIEW_CHANNEL, SEND_MESSAGES = 1 << 10, 1 << 11
MANAGE_GUILD, ADMINISTRATOR = 1 << 5, 1 << 3
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
EPHEMERAL = 1 << 6


@dataclass(frozen=True)
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    nick: str | None = None

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "username": self.username, "global_name": self.global_name, "discriminator": "0",
                "avatar": None, "public_flags": 0}


@dataclass(frozen=True)
class FakeGuild:
    id: int
    name: str
    channel_ids: tuple[int, ...]
    locale: str = "fr"
    roles: tuple[tuple[int, str], ...] = ()  # (id, name) besides @everyone


@dataclass
class Recorded:
    """One REST request as the fake received it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    files: dict[str, tuple[str, bytes]]
    authorization: str | None
    status: int = 0  # what the fake answered (0 while it is being handled)
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Sent:
    """An interaction the fake pushed: its id and token find the bot's answers."""

    id: int
    token: str
    payload: dict[str, Any]


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: float


@dataclass
class _Session:
    """A gateway session: its sequence numbers and the dispatches sent in it (replayed on RESUME)."""

    id: str
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    valid: bool = True

    def stamp(self, t: str, d: Any) -> dict[str, Any]:
        """The next dispatch of this session, numbered and kept for a later RESUME."""
        self.seq += 1
        message = {"op": 0, "d": d, "s": self.seq, "t": t}
        self.sent.append(message)
        del self.sent[:-1000]  # Discord keeps a bounded backlog too
        return message


class _Connection:
    """One gateway websocket: its session (once identified or resumed) and, when asked, a zlib stream."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool, transport: Any = None) -> None:
        self.ws = ws
        self.transport = transport
        self.session: _Session | None = None
        self.compressor = zlib.compressobj() if compress else None
        self.identified = False

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        if op == 0:
            assert self.session is not None, "a dispatch needs a session"
            await self.send_message(self.session.stamp(t or "", d))
        else:
            await self.send_message({"op": op, "d": d, "s": None, "t": t})

    async def send_message(self, message: dict[str, Any]) -> None:
        raw = json.dumps(message).encode("utf-8")
        if self.compressor is None:
            await self.ws.send_str(raw.decode("utf-8"))
        else:
            await self.ws.send_bytes(self.compressor.compress(raw) + self.compressor.flush(zlib.Z_SYNC_FLUSH))


class FakeDiscord:
    """See the module docstring. Use as a context manager, or call start() / stop()."""

    def __init__(self, token: str = "fake-discord-token", guilds: tuple[FakeGuild, ...] | None = None) -> None:
        self.token = token
        self.app_id = 900000000000000001
        self.bot = FakeUser(900000000000000001, "sobria", "Sobria")
        self.guilds = guilds or (
            FakeGuild(111111111111111111, "Boulangerie Martin", (111111111111111200, 111111111111111201),
                      roles=((111111111111111300, "Vente"), (111111111111111301, "Atelier"))),
            FakeGuild(222222222222222222, "Atelier Durand", (222222222222222200,), locale="en-US"),
        )
        self.requests: list[Recorded] = []
        self.identifies: list[dict[str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id → registered commands
        self.messages: dict[int, dict[str, Any]] = {}
        self.original: dict[str, int] = {}  # interaction token → message id of its answer
        self._channel_by_token: dict[str, int] = {}
        self.members: dict[int, dict[int, FakeUser]] = {g.id: {} for g in self.guilds}
        self.dm_channels: dict[int, int] = {}  # DM channel id → user id
        self.gateway_connections = 0
        self.resumes: list[dict[str, Any]] = []  # RESUME payloads received, with the path they came to
        self.replayed = 0  # dispatches sent again after a RESUME
        self.sessions: dict[str, _Session] = {}
        self.interaction_window: float | None = None  # seconds; None: late callbacks are accepted
        self._pushed_at: dict[str, float] = {}  # interaction token → when it was pushed
        self._acknowledged: set[str] = set()  # interaction tokens already answered by a callback
        self._waiting_resume: _Session | None = None  # a session whose socket the fake dropped
        self._resumes_open = threading.Event()  # cleared: a RESUME is recorded but answered only once set again
        self._resumes_open.set()
        self._failures: list[_Failure] = []
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._connections: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ------------------------------------------------------------------ life cycle
    def start(self) -> "FakeDiscord":
        started = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_server())
            except BaseException as exc:  # surfaced to the caller of start()
                errors.append(exc)
                started.set()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-discord", daemon=True)
        self._thread.start()
        if not started.wait(WAIT) or errors:
            raise RuntimeError(f"fake Discord did not start: {errors}")
        return self

    async def _start_server(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def close_sockets() -> None:
            for conn in list(self._connections):
                await conn.ws.close()

        try:
            asyncio.run_coroutine_threadsafe(close_sockets(), loop).result(WAIT)
        except Exception:
            pass
        loop.call_soon_threadsafe(loop.stop)
        if self._thread:
            self._thread.join(WAIT)
        self._loop = None

    def __enter__(self) -> "FakeDiscord":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """Where READY tells the client to resume (Discord gives a different address from the first one)."""
        return f"ws://127.0.0.1:{self.port}/resume"

    def config_section(self, **keys: Any) -> dict[str, Any]:
        """A `[discord]` config section pointing the bot at this fake (token, addresses, its servers)."""
        return {"token": self.token, "api_url": self.api_url, "gateway_url": self.gateway_url,
                "guild_ids": [g.id for g in self.guilds], **keys}

    # ------------------------------------------------------------------ test controls
    def fail(self, method: str, path_pattern: str, status: int, times: int = 1, retry_after: float = 0.05) -> None:
        """Answer the next `times` matching requests with `status` (429 carries Retry-After)."""
        with self._lock:
            self._failures.append(_Failure(method.upper(), re.compile(path_pattern), status, times, retry_after))

    def wait_until(self, condition: Callable[[], Any], timeout: float = WAIT, what: str = "condition") -> Any:
        """Block until `condition()` is truthy (re-checked on every request or event); its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = condition()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"fake Discord: timed out waiting for {what}")
                self._changed.wait(min(left, 0.1))

    def requests_matching(self, method: str, path_pattern: str) -> list[Recorded]:
        pattern = re.compile(path_pattern)
        return [r for r in self.requests if r.method == method.upper() and pattern.fullmatch(r.path)]

    def wait_request(self, method: str, path_pattern: str, count: int = 1, timeout: float = WAIT) -> list[Recorded]:
        return self.wait_until(lambda: (found := self.requests_matching(method, path_pattern)) and len(found) >= count
                               and found, timeout, f"{count} × {method} {path_pattern}")

    def wait_ready(self, timeout: float = WAIT) -> None:
        """Until a client identified and received every GUILD_CREATE."""
        self.wait_until(lambda: self._connections and self._connections[-1].identified, timeout,
                        "a client to identify")

    def answers(self, sent: Sent) -> list[Recorded]:
        """Every request the bot made about one interaction (callback, edits, follow-ups)."""
        return [r for r in self.requests if sent.token in r.path]

    def wait_answer(self, sent: Sent, final: bool = True, timeout: float = WAIT) -> Recorded:
        """The bot's answer: the callback, or after a deferral the edit or follow-up that completes it."""

        def done() -> Recorded | None:
            for r in self.answers(sent):
                if not 200 <= r.status < 300:
                    continue
                if r.method == "POST" and r.path.endswith("/callback") and (r.json or {}).get("type") != 5:
                    return r
                if final and r.method in ("PATCH", "POST") and r.path.startswith("/webhooks/"):
                    return r
                if not final and r.path.endswith("/callback"):
                    return r
            return None

        return self.wait_until(done, timeout, f"an answer to interaction {sent.id}")

    def message_for(self, sent: Sent) -> dict[str, Any]:
        """The message the bot's answer produced (after any edit)."""
        with self._lock:
            return self.messages[self.original[sent.token]]

    # ------------------------------------------------------------------ interactions
    def registered(self, name: str, guild_id: int | None) -> dict[str, Any]:
        """The definition of `/name` as the bot registered it for that server (or globally)."""
        with self._lock:
            for target in ((str(guild_id),) if guild_id else ()) + ("global",):
                for command in self.commands.get(target, []):
                    if command["name"] == name:
                        return command
        raise AssertionError(f"/{name} was never registered for {guild_id or 'DMs'}")

    def _options(self, command: dict[str, Any], options: dict[str, Any]) -> list[dict[str, Any]]:
        declared = {o["name"]: o for o in command.get("options", [])}
        out = []
        for name, value in options.items():
            if name not in declared:
                raise AssertionError(f"/{command['name']} has no option {name!r}")
            spec = declared[name]
            if spec.get("choices") and value not in [c["value"] for c in spec["choices"]]:
                raise AssertionError(f"{value!r} is not a choice of {name!r}")
            if "min_value" in spec and value < spec["min_value"] or "max_value" in spec and value > spec["max_value"]:
                raise AssertionError(f"{value!r} is out of the bounds of {name!r}")
            out.append({"name": name, "type": spec["type"], "value": value})
        missing = [o["name"] for o in declared.values() if o.get("required") and o["name"] not in options]
        if missing:
            raise AssertionError(f"/{command['name']} needs {missing}")
        return out

    def slash(self, name: str, options: dict[str, Any] | None = None, *, user: FakeUser, guild_id: int | None = None,
              channel_id: int | None = None, permissions: int = MEMBER_PERMISSIONS, locale: str = "fr",
              roles: tuple[int, ...] = ()) -> Sent:
        """Run `/name` as `user`: in a server (default the first) or, with guild_id=0, in a DM with the bot."""
        sent = self.slash_interaction(name, options, user=user, guild_id=guild_id, channel_id=channel_id,
                                      permissions=permissions, locale=locale, roles=roles)
        self._dispatch("INTERACTION_CREATE", sent.payload)
        return sent

    def slash_interaction(self, name: str, options: dict[str, Any] | None = None, *, user: FakeUser,
                          guild_id: int | None = None, channel_id: int | None = None,
                          permissions: int = MEMBER_PERMISSIONS, locale: str = "fr",
                          roles: tuple[int, ...] = ()) -> Sent:
        """The interaction `slash` would send, not sent (a test may alter it, then `dispatch_raw` it)."""
        guild = self._guild(guild_id)
        command = self.registered(name, guild.id if guild else None)
        data = {"id": command["id"], "name": name, "type": 1, "options": self._options(command, options or {})}
        if guild:
            data["guild_id"] = str(guild.id)
        return self._interaction(2, data, user, guild, channel_id, permissions, locale, roles=roles)

    def click(self, custom_id: str, message: dict[str, Any], *, user: FakeUser, guild_id: int | None = None,
              permissions: int = MEMBER_PERMISSIONS, locale: str = "fr") -> Sent:
        """Press the button `custom_id` of `message` (it must be one of the message's components)."""
        ids = [c.get("custom_id") for row in message.get("components", []) for c in row.get("components", [])]
        if custom_id not in ids:
            raise AssertionError(f"no button {custom_id!r} on that message (has {ids})")
        guild = self._guild(0 if int(message["channel_id"]) in self.dm_channels else guild_id)
        data = {"custom_id": custom_id, "component_type": 2}
        return self._push(3, data, user, guild, int(message["channel_id"]), permissions, locale, message=message)

    def add_member(self, guild_id: int, user: FakeUser) -> None:
        """Make `user` a member of the server (anyone who ran a command there already is)."""
        with self._lock:
            self.members[guild_id][user.id] = user

    def dm_channel_of(self, user_id: int) -> int:
        """The id of the bot's DM channel with `user_id` (the same every time, as on Discord)."""
        with self._lock:
            for channel, user in self.dm_channels.items():
                if user == user_id:
                    return channel
            channel = next(self._ids)
            self.dm_channels[channel] = user_id
            return channel

    def _guild(self, guild_id: int | None) -> FakeGuild | None:
        if guild_id == 0:
            return None
        if guild_id is None:
            return self.guilds[0]
        return next(g for g in self.guilds if g.id == guild_id)

    def _push(self, kind: int, data: dict[str, Any], user: FakeUser, guild: FakeGuild | None, channel_id: int | None,
              permissions: int, locale: str, message: dict[str, Any] | None = None, roles: tuple[int, ...] = ()) -> Sent:
        sent = self._interaction(kind, data, user, guild, channel_id, permissions, locale, message, roles)
        self._dispatch("INTERACTION_CREATE", sent.payload)
        return sent

    def _interaction(self, kind: int, data: dict[str, Any], user: FakeUser, guild: FakeGuild | None,
                     channel_id: int | None, permissions: int, locale: str, message: dict[str, Any] | None = None,
                     roles: tuple[int, ...] = ()) -> Sent:
        interaction_id = next(self._ids)
        token = f"itoken-{interaction_id}"
        payload: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(self.app_id), "type": kind, "data": data,
            "token": token, "version": 1, "locale": locale, "app_permissions": str(MEMBER_PERMISSIONS),
            "entitlements": [], "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is not None:
            self.add_member(guild.id, user)
            channel = channel_id or guild.channel_ids[0]
            payload.update({
                "guild_id": str(guild.id), "guild_locale": guild.locale, "context": 0,
                "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
                "channel_id": str(channel), "channel": self._channel(guild, channel),
                "authorizing_integration_owners": {"0": str(guild.id)},
                "member": {"user": user.payload(), "nick": user.nick, "roles": [str(r) for r in roles], "joined_at": _now(), "deaf": False,
                           "mute": False, "flags": 0, "permissions": str(permissions)},
            })
        else:
            dm = channel_id or self.dm_channel_of(user.id)
            payload.update({
                "context": 1, "channel_id": str(dm), "user": user.payload(),
                "channel": {"id": str(dm), "type": 1, "recipients": [user.payload()], "last_message_id": None},
                "authorizing_integration_owners": {"0": str(user.id)},
            })
        if message is not None:
            payload["message"] = message
        with self._lock:
            self._channel_by_token[token] = int(payload["channel_id"])
            self._pushed_at[token] = time.monotonic()
        return Sent(interaction_id, token, payload)

    def _dispatch(self, event: str, payload: dict[str, Any]) -> None:
        """Send a dispatch to the connected client; while its socket is down, keep it for the RESUME."""
        loop = self._loop
        assert loop is not None, "fake Discord is not running"
        with self._lock:
            waiting = self._waiting_resume
            if waiting is not None:
                waiting.stamp(event, payload)  # sent again when the client resumes
                return
        self.wait_until(lambda: [c for c in self._connections if c.identified], what="a connected client")
        with self._lock:
            conn = [c for c in self._connections if c.identified][-1]
        asyncio.run_coroutine_threadsafe(conn.send(0, payload, event), loop).result(WAIT)

    def dispatch_raw(self, event: str, payload: Any) -> None:
        """Send any dispatch as it is, unchecked (a malformed interaction, an unknown event)."""
        self._dispatch(event, payload)

    # ------------------------------------------------------------------ gateway faults
    def _current(self) -> _Connection:
        self.wait_until(lambda: [c for c in self._connections if c.identified], what="a connected client")
        with self._lock:
            return [c for c in self._connections if c.identified][-1]

    def drop_connection(self, code: int | None = 4000, *, hold_resume: bool = False) -> None:
        """Close the client's socket from Discord's side: with a close code, or (None) by cutting the TCP connection.

        The session stays valid: events dispatched until the client resumes are
        kept and replayed, as Discord does. With `hold_resume`, the client's
        RESUME is recorded but answered only after `release_resume()`, so a
        test can dispatch events while the bot is known to be away.
        """
        conn = self._current()
        loop = self._loop
        assert loop is not None
        with self._lock:
            conn.identified = False
            self._waiting_resume = conn.session
        if hold_resume:
            self._resumes_open.clear()

        async def close() -> None:
            if code is None:
                if conn.transport is not None:
                    conn.transport.abort()
            else:
                await conn.ws.close(code=code, message=b"fake Discord closed the socket")

        asyncio.run_coroutine_threadsafe(close(), loop).result(WAIT)

    def release_resume(self) -> None:
        """Answer the RESUME held by `drop_connection(hold_resume=True)`."""
        self._resumes_open.set()

    def request_reconnect(self, *, hold_resume: bool = False) -> None:
        """Send RECONNECT (op 7): the client must close and resume on a new socket (`hold_resume`: as above)."""
        conn = self._current()
        with self._lock:
            self._waiting_resume = conn.session
        if hold_resume:
            self._resumes_open.clear()
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(conn.send(7, None), self._loop).result(WAIT)

    def invalidate_session(self) -> None:
        """Forget the client's session and send INVALID_SESSION (not resumable): it must identify again."""
        conn = self._current()
        with self._lock:
            if conn.session is not None:
                conn.session.valid = False
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(conn.send(9, False), self._loop).result(WAIT)

    # ------------------------------------------------------------------ gateway
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        conn = _Connection(ws, request.query.get("compress") == "zlib-stream", request.transport)
        with self._changed:
            self._connections.append(conn)
            self.gateway_connections += 1
            self._changed.notify_all()
        try:
            await conn.send(10, {"heartbeat_interval": 41250})
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                if op == 1:
                    await conn.send(11, None)
                elif op == 2:
                    await self._identify(conn, frame["d"])
                elif op == 6:
                    await self._resume(conn, frame["d"], request.path)
        finally:
            with self._changed:
                if conn in self._connections:
                    self._connections.remove(conn)
                self._changed.notify_all()
        return ws

    async def _resume(self, conn: _Connection, d: dict[str, Any], path: str) -> None:
        """RESUME: replay what the session missed since the client's last sequence number, then RESUMED."""
        with self._changed:
            self.resumes.append({**d, "path": path})
            self._changed.notify_all()
        if not self._resumes_open.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self._resumes_open.wait, WAIT)
        with self._lock:
            session = self.sessions.get(str(d.get("session_id")))
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if session is None or not session.valid:
            await conn.send(9, False)  # the client identifies again
            return
        seen = int(d.get("seq") or 0)
        conn.session = session
        with self._lock:
            missed = [m for m in session.sent if m["s"] > seen]
            if self._waiting_resume is session:
                self._waiting_resume = None
        for message in missed:
            await conn.send_message(message)
        with self._lock:
            self.replayed += len(missed)
        await conn.send(0, {}, "RESUMED")
        with self._changed:
            conn.identified = True
            self._changed.notify_all()

    async def _identify(self, conn: _Connection, d: dict[str, Any]) -> None:
        with self._changed:
            self.identifies.append(d)
            self._changed.notify_all()
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if int(d.get("intents", 0)) & PRIVILEGED_INTENTS:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        session = _Session(f"session-{next(self._ids)}")
        with self._lock:
            self.sessions[session.id] = session
            self._waiting_resume = None
        conn.session = session
        ready = {
            "v": 10, "user": {**self.bot.payload(), "bot": True, "verified": True, "flags": 0, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.guilds],
            "session_id": session.id, "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.app_id), "flags": 0}, "private_channels": [], "relationships": [],
            "presences": [], "session_type": "normal", "shard": [0, 1], "geo_ordered_rtc_regions": [],
        }
        await conn.send(0, ready, "READY")
        for guild in self.guilds:
            await conn.send(0, self._guild_payload(guild), "GUILD_CREATE")
        with self._changed:
            conn.identified = True
            self._changed.notify_all()

    def _channel(self, guild: FakeGuild, channel_id: int) -> dict[str, Any]:
        return {"id": str(channel_id), "type": 0, "guild_id": str(guild.id), "name": f"salon-{channel_id % 1000}",
                "position": guild.channel_ids.index(channel_id) if channel_id in guild.channel_ids else 0,
                "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
                "last_message_id": None, "rate_limit_per_user": 0}

    def _guild_payload(self, guild: FakeGuild) -> dict[str, Any]:
        def role(role_id: int, name: str, position: int) -> dict[str, Any]:
            return {"id": str(role_id), "name": name, "permissions": str(MEMBER_PERMISSIONS), "position": position,
                    "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}

        roles = [role(guild.id, "@everyone", 0)] + [role(r, n, i + 1) for i, (r, n) in enumerate(guild.roles)]
        return {
            "id": str(guild.id), "name": guild.name, "icon": None, "splash": None, "discovery_splash": None,
            "owner_id": "1", "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "roles": roles, "emojis": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None, "description": None,
            "banner": None, "premium_tier": 0, "preferred_locale": guild.locale, "public_updates_channel_id": None,
            "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": False, "joined_at": _now(),
            "large": False, "unavailable": False, "member_count": 3, "voice_states": [], "members": [],
            "channels": [self._channel(guild, c) for c in guild.channel_ids], "threads": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    # ------------------------------------------------------------------ REST
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "multipart/form-data":
            form = await request.post()
            for name, value in form.items():
                if name == "payload_json":
                    body = json.loads(value if isinstance(value, str) else value.file.read())
                elif hasattr(value, "file"):
                    files[name] = (value.filename, value.file.read())
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        record = Recorded(request.method, path, dict(request.query), body, files, request.headers.get("Authorization"))
        with self._changed:
            self.requests.append(record)
            failure = next((f for f in self._failures if f.method == request.method and f.pattern.fullmatch(path)
                            and f.times > 0), None)
            if failure:
                failure.times -= 1
            self._changed.notify_all()
        if failure:
            record.status = failure.status
            return _failure_response(failure)
        bot_route = not path.startswith(("/interactions/", "/webhooks/"))
        if bot_route and record.authorization != f"Bot {self.token}":
            record.status = 401
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        try:
            status, payload = self._route(record)
            record.status = status
        finally:
            with self._changed:
                self._changed.notify_all()
        if status == 204:
            return web.Response(status=204)
        return _json(payload, status=status)

    def _route(self, r: Recorded) -> tuple[int, Any]:
        m = re.fullmatch
        app = str(self.app_id)
        if r.method == "GET" and r.path == "/users/@me":
            return 200, {**self.bot.payload(), "bot": True, "verified": True, "flags": 0, "mfa_enabled": False}
        if r.method == "GET" and r.path == "/oauth2/applications/@me":
            return 200, {"id": app, "name": "Sobria", "icon": None, "description": "", "rpc_origins": [],
                         "bot_public": False, "bot_require_code_grant": False, "owner": self.bot.payload(),
                         "summary": "", "verify_key": "0" * 64, "flags": 0, "team": None,
                         "interactions_endpoint_url": None, "tags": []}
        if r.method == "PUT" and (hit := m(rf"/applications/{app}(?:/guilds/(\d+))?/commands", r.path)):
            target = hit.group(1) or "global"
            registered = [self._command(c, hit.group(1)) for c in r.json]
            with self._lock:
                self.commands[target] = registered
            return 200, registered
        if r.method == "POST" and (hit := m(r"/interactions/(\d+)/([^/]+)/callback", r.path)):
            token = hit.group(2)
            with self._lock:
                pushed = self._pushed_at.get(token)
                late = (self.interaction_window is not None and pushed is not None
                        and r.at - pushed > self.interaction_window)
                again = token in self._acknowledged
                if not late and not again:
                    self._acknowledged.add(token)
            if late:
                return 404, {"message": "Unknown interaction", "code": 10062}
            if again:
                return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
            return 200, self._callback(hit.group(1), token, r.json or {})
        if (hit := m(rf"/webhooks/{app}/([^/]+)/messages/@original", r.path)):
            token = hit.group(1)
            with self._lock:
                message_id = self.original.get(token)
                if message_id is None:
                    return 404, {"message": "Unknown Message", "code": 10008}
                if r.method == "DELETE":
                    self.messages.pop(message_id, None)
                    return 204, None
                message = self.messages[message_id]
                if r.method == "PATCH":
                    message.update(self._message_fields(r.json or {}, r.files))
                    message["edited_timestamp"] = _now()
                return 200, message
        if r.method == "POST" and (hit := m(rf"/webhooks/{app}/([^/]+)", r.path)):
            token = hit.group(1)
            channel = self._channel_of_token(token)
            message = self._new_message(channel, r.json or {}, r.files, interaction=True)
            return 200, message
        if r.method == "POST" and (hit := m(r"/channels/(\d+)/messages", r.path)):
            channel = int(hit.group(1))
            if self._guild_of_channel(channel) is None and channel not in self.dm_channels:
                return 404, {"message": "Unknown Channel", "code": 10003}
            return 200, self._new_message(channel, r.json or {}, r.files)
        if r.method == "GET" and (hit := m(r"/guilds/(\d+)/members/(\d+)", r.path)):
            with self._lock:
                member = self.members.get(int(hit.group(1)), {}).get(int(hit.group(2)))
            if member is None:
                return 404, {"message": "Unknown Member", "code": 10007}
            return 200, {"user": member.payload(), "nick": member.nick, "roles": [], "joined_at": _now(),
                         "deaf": False, "mute": False, "flags": 0}
        if r.method == "POST" and r.path == "/users/@me/channels":
            user_id = int((r.json or {})["recipient_id"])
            known = {u.id: u for users in self.members.values() for u in users.values()}
            if user_id not in known:
                return 404, {"message": "Unknown User", "code": 10013}
            return 200, {"id": str(self.dm_channel_of(user_id)), "type": 1, "last_message_id": None,
                         "recipients": [known[user_id].payload()]}
        if r.method == "GET" and (hit := m(r"/channels/(\d+)", r.path)):
            channel = int(hit.group(1))
            guild = self._guild_of_channel(channel)
            if guild is None:
                return 404, {"message": "Unknown Channel", "code": 10003}
            return 200, self._channel(guild, channel)
        return 404, {"message": "404: Not Found", "code": 0}

    def _command(self, command: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        out = {"id": str(next(self._ids)), "application_id": str(self.app_id), "version": str(next(self._ids)),
               "type": 1, "nsfw": False, "options": [], "default_member_permissions": None, **command}
        if guild_id:
            out["guild_id"] = guild_id
        return out

    def _callback(self, interaction_id: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("type")
        data = body.get("data") or {}
        result: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 2}}
        if kind in (4, 5):
            channel = self._channel_of_token(token)
            message = self._new_message(channel, data, {}, interaction=True, loading=kind == 5)
            with self._lock:
                self.original[token] = int(message["id"])
            result["interaction"].update({"response_message_id": message["id"],
                                          "response_message_loading": kind == 5,
                                          "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL)})
            result["resource"] = {"type": kind, "message": message}
        return result

    def _message_fields(self, body: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for key in ("content", "embeds", "components", "allowed_mentions"):
            if key in body:
                fields[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if files or "attachments" in body:
            fields["attachments"] = [
                {"id": str(next(self._ids)), "filename": name, "size": len(content),
                 "url": f"http://127.0.0.1:{self.port}/attachments/{name}", "proxy_url": "", "content": content}
                for name, content in files.values()
            ]
        return fields

    def _new_message(self, channel_id: int, body: dict[str, Any], files: dict[str, tuple[str, bytes]],
                     interaction: bool = False, loading: bool = False) -> dict[str, Any]:
        guild = self._guild_of_channel(channel_id)
        message = {
            "id": str(next(self._ids)), "channel_id": str(channel_id), "author": {**self.bot.payload(), "bot": True},
            "content": "", "timestamp": _now(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "components": [], "pinned": False,
            "type": 20 if interaction else 0, "flags": int(body.get("flags") or 0) | (1 << 7 if loading else 0),
        }
        if guild is not None:
            message["guild_id"] = str(guild.id)
        message.update(self._message_fields(body, files))
        for attachment in message["attachments"]:
            attachment.pop("content", None)
        with self._lock:
            self.messages[int(message["id"])] = message
        return message

    def _guild_of_channel(self, channel_id: int) -> FakeGuild | None:
        return next((g for g in self.guilds if channel_id in g.channel_ids), None)

    def _channel_of_token(self, token: str) -> int:
        with self._lock:
            return self._channel_by_token.get(token, self.guilds[0].channel_ids[0])


@contextmanager
def running(adapter: Any, fake: FakeDiscord) -> Iterator[Any]:
    """Run a Discord adapter in its own thread, as `sobria run` does, until the block ends; it must then stop.

    The block starts once the bot has identified and received its servers.
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


def answer_body(answer: Recorded) -> dict[str, Any]:
    """The message part of an answer: a callback's `data`, or the body of a webhook edit or follow-up."""
    if answer.path.endswith("/callback"):
        return (answer.json or {}).get("data") or {}
    return answer.json or {}


def _failure_response(failure: _Failure) -> web.Response:
    if failure.status == 429:
        body = {"message": "You are being rate limited.", "retry_after": failure.retry_after, "global": False}
        headers = {"Retry-After": str(failure.retry_after), "X-RateLimit-Scope": "user", "Via": "1.1 google",
                   "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Reset-After": str(failure.retry_after), "X-RateLimit-Bucket": "fake"}
        return _json(body, status=429, headers=headers)
    if failure.status >= 500:
        return web.Response(status=failure.status, text="upstream connect error", headers={"Via": "1.1 google"})
    known = {403: ("Missing Access", 50001), 404: ("Unknown interaction", 10062)}
    message, code = known.get(failure.status, ("Bad request", 0))
    return _json({"message": message, "code": code}, status=failure.status)


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer typed exactly `application/json`, as Discord sends it (discord.py checks the header)."""
    return web.Response(body=json.dumps(payload).encode("utf-8"), status=status, headers=headers,
                        content_type="application/json")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()
