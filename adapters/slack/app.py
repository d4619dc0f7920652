"""The Slack front-end: slash commands, buttons and the App Home, over slack-bolt.

This module only translates. A slash command becomes `Coach.handle(name,
text, sender)`, a button `Coach.action(...)`, the Home tab `Coach.home(...)`;
the `Reply` that comes back is laid out by `adapters.slack.blocks`. Which
words are shown, who may run what and what gets stored are the engine's.

Three rules shape the code:

* Acknowledged means stored. A command or a button press is run in the
  engine, in the request's own thread, before it is acknowledged: what it
  changes is on disk (the store's group commit shares one flush between the
  commands of a burst) before Slack hears back, so a crash, a kill -9 or a
  deploy never loses a command Slack was told about; a store that refuses the
  write answers the member that nothing was saved. A command's reply rides in
  the acknowledgement itself (Slack shows a message returned in the slash
  command's response, or in a Socket Mode ack's payload, as it shows one
  posted to the response URL), so the member is answered as soon as Slack is;
  a command that took longer than ACK_REPLY_WITHIN (Slack stops waiting at
  3 s) is answered at its response URL instead. The bot's identity
  (`auth.test`) is fetched once at start-up, not on the first command.
* What is slow and not needed for the answer is queued in the adapter's small
  pool of workers: file uploads, the replies to buttons (Slack shows nothing
  of their acknowledgement) and the App Home, republished once or twice per
  member for a burst of commands instead of once per command (the last one
  shows the latest figures).
* Slack sends a request again when it got no acknowledgement in time: a copy
  is answered with the first run's reply and never run again
  (`adapters.slack.retries`), and a reply that cannot be delivered is logged
  and dropped, never retried by running the command again: the event is
  stored exactly once.

Two connection modes share everything but the transport: Socket Mode (the
default, no public URL needed) and HTTP mode (`/slack/events`, every request
checked against the signing secret by bolt before any listener runs), served
through bolt's WSGI adapter by the shared server of `adapters.http_server`.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger import messages as bolt_messages
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import metrics
from bot.core.command import Command
from bot.core.coach import Coach
from bot.core.config import Config, SlackSection
from bot.core.errors import ConfigError
from bot.core.identity import Delivery, Sender
from bot.core.render import pick_lang
from bot.core.reply import Reply

from adapters.http_server import BodyLimit, HttpServer, Routes
from adapters.ops import add_ops_routes
from adapters.slack import blocks as slack_blocks
from adapters.slack.hooks import ResponseUrlPoster
from adapters.slack.retries import OnceByKey, action_key, command_key

log = logging.getLogger("sobria.slack")

PLATFORM = "slack"
EVENTS_PATH = "/slack/events"

MAX_BODY_BYTES = 1 << 20  # Slack payloads are a few kB; anything larger is not Slack
HTTP_READ_TIMEOUT = 10.0  # seconds a client may take to send its request
DISCARD_MAX_BYTES = 4 << 20  # a refused body up to this size is read and dropped so its sender sees the 413
DISCARD_TIMEOUT = 2.0  # seconds allowed for that
API_TIMEOUT = 10  # seconds per Slack Web API call (before retries)
# Workers for the queued work. The work is mostly interpreter-bound (engine, store, templates), so more
# threads add no speed, only more threads asking for the lock the acknowledgements also need; a few still
# overlap the waits on Slack's answers. With benchmarks/slack_http_overhead.py, 1, 2, 4 and 8 workers gave
# the same figures within the run-to-run noise of a 2-core machine; 4 bounds the threads without betting on it.
WORKERS = 4
# A command answered within this many seconds has its reply in the acknowledgement itself; a slower one (a slow
# users.info on a member's first command, a store waiting for its lock) is acknowledged all the same, once
# stored, and answered at its response URL, since Slack stops waiting for the acknowledgement after 3 s.
ACK_REPLY_WITHIN = 2.5
# A member's App Home is republished this long after a command, once for every command of that moment: in a burst,
# one Home per command cost as much processor time as the commands (benchmarks/slack_http_overhead.py).
HOME_DELAY_S = 0.2
RETRY_HEADER = "x-slack-retry-num"  # on a request Slack sends again (bolt's lower-case header names)
USER_CACHE_SECONDS = 15 * 60  # how long a users.info answer (name, role, locale) is reused
STARTUP_RETRY_MAX = 60.0  # longest wait between two start-up attempts while Slack is unreachable
STOP_TIMEOUT = 15.0

# Slack answers these when a token itself is wrong: retrying cannot help, the operator must fix the config.
_FATAL_AUTH_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                      "not_allowed_token_type", "invalid_token"}


# ---------------------------------------------------------------------------- settings
# The validated `[slack]` section (mode, host, port, api_url, tokens, admins), declared with the rest of the
# configuration in `bot.core.config`; secrets are kept out of `repr` so they never reach a log.
SlackSettings = SlackSection


def read_settings(config: Config, env: Mapping[str, str] | None = None) -> SlackSettings:
    """`[slack]` as validated with the configuration, each secret taken from the environment when it holds one.

    The environment wins so that secrets can stay out of files; token values
    never appear in an error.
    """
    return config.slack.with_env(os.environ if env is None else env)


def check_complete(s: SlackSettings, source: str | None = None) -> None:
    """Refuse to start with a missing or mistyped credential, before any network call.

    Token prefixes are checked because swapping the bot and app tokens is the
    most common installation mistake, and Slack's answer to it is cryptic.
    """
    if s.distributed:  # many workspaces install the app: tokens come from the installations, not the config
        from adapters.slack.distribution import check_distribution

        return check_distribution(s, source)
    env = SlackSettings.env_name
    if not s.bot_token.startswith("xoxb-"):
        raise ConfigError("slack.bot_token", f"the Bot User OAuth Token, starting with xoxb- (or {env('bot_token')})",
                          None, source)
    if s.mode == "socket" and not s.app_token.startswith("xapp-"):
        raise ConfigError("slack.app_token", f"an app-level token starting with xapp- (or {env('app_token')}), "
                          'needed in Socket Mode; or set slack.mode = "http"', None, source)
    if s.mode == "http" and not s.signing_secret:
        raise ConfigError("slack.signing_secret", f"the app's Signing Secret (or {env('signing_secret')}), "
                          "needed in HTTP mode", None, source)


def configured(config: Config) -> bool:
    """True when a Slack token is present (environment or config), i.e. the operator means to run Slack.

    Only presence is checked here; `SlackAdapter` then refuses, naming the
    key, a configuration that cannot work (so a half-done setup is reported
    instead of silently ignored).
    """
    settings = read_settings(config)
    return bool(settings.bot_token or settings.app_token or settings.distributed)


def retry_handlers() -> list[RetryHandler]:
    """Retry HTTP 429 (honouring Retry-After), 5xx answers and dropped connections, a few times each."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


def workspace_id(enterprise_id: str | None, team_id: str | None) -> str:
    """The tenant key: the team id, prefixed by the enterprise id on Enterprise Grid."""
    if enterprise_id and team_id:
        return f"{enterprise_id}:{team_id}"
    return team_id or enterprise_id or ""


# ---------------------------------------------------------------------------- incoming payloads
def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _optional(body: Mapping[str, Any], key: str, kind: type) -> bool:
    return body.get(key) is None or isinstance(body.get(key), kind)


def payload_problem(body: Any) -> str | None:
    """What makes a request unusable by the listeners below, or None when it is well formed.

    Checked once the signature is verified and before any listener runs: a
    slash command or a button press without a member or a workspace, or with
    a field of the wrong type, would otherwise reach the engine as a nameless
    member of a nameless workspace (and be acknowledged as if all was well).
    Requests of other kinds are left to bolt, which answers 404 to what no
    listener handles.
    """
    if not isinstance(body, Mapping):
        return "not a JSON object or form"
    if "command" in body:
        for key in ("command", "user_id", "team_id"):
            if not _is_text(body.get(key)):
                return f"{key} missing or not text"
        for key in ("text", "response_url", "channel_id", "enterprise_id", "user_name"):
            if not _optional(body, key, str):
                return f"{key} is not text"
        return None
    kind = body.get("type")
    if kind == "block_actions":
        user, team, enterprise = body.get("user"), body.get("team"), body.get("enterprise")
        if not isinstance(user, Mapping) or not _is_text(user.get("id")):
            return "user missing"
        if not all(_optional(body, key, Mapping) for key in ("team", "enterprise", "channel", "container")):
            return "team, enterprise, channel or container is not an object"
        if not any(_is_text(v) for v in ((team or {}).get("id"), user.get("team_id"), (enterprise or {}).get("id"))):
            return "workspace missing"
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions or not all(
                isinstance(a, Mapping) and isinstance(a.get("action_id"), str) and _optional(a, "value", str)
                for a in actions):
            return "actions missing or malformed"
        if not _optional(body, "response_url", str):
            return "response_url is not text"
        return None
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
            return "event missing"
        if event.get("type") == "app_home_opened" and not _is_text(event.get("user")):
            return "user missing"
    return None


class _RefuseMalformed(Middleware):
    """bolt middleware, run after the signature check: a malformed request gets 400 and reaches no listener.

    A Middleware class rather than a function: bolt builds a function's
    arguments from the body first, which itself fails on some malformed bodies.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002 (bolt's name)
        problem = payload_problem(req.body)
        if problem is not None:
            log.warning("malformed Slack request refused: %s", problem)
            return BoltResponse(status=400, body="")
        return next()

    @property
    def name(self) -> str:
        return "RefuseMalformed"


# ---------------------------------------------------------------------------- members
@dataclass(frozen=True)
class SlackUser:
    """What the bot needs from `users.info`."""

    name: str
    is_admin: bool
    locale: str | None


def user_from_info(user: Mapping[str, Any]) -> SlackUser:
    """Display name (as shown in Slack), admin/owner role and locale from a `users.info` user object."""
    profile = user.get("profile") or {}
    name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
            or user.get("name") or user.get("id") or "")
    is_admin = any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))
    return SlackUser(name=str(name), is_admin=is_admin, locale=user.get("locale"))


class UserDirectory:
    """`users.info`, cached: names are refreshed every `ttl` seconds, roles re-read for admin commands."""

    def __init__(self, client: WebClient, ttl: float = USER_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.client, self.ttl, self.clock = client, ttl, clock
        self._cache: dict[str, tuple[float, SlackUser]] = {}
        self._groups: tuple[float, dict[str, list[str]]] | None = None
        self._lock = threading.Lock()

    def lookup(self, user_id: str, fresh: bool = False) -> SlackUser | None:
        """The member, or None when Slack cannot tell (the caller then falls back to the payload)."""
        now = self.clock()
        with self._lock:
            hit = self._cache.get(user_id)
        if hit and not fresh and now - hit[0] < self.ttl:
            return hit[1]
        try:
            response = self.client.users_info(user=user_id, include_locale=True)
            user = user_from_info(response.get("user") or {})
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("users.info failed for %s: %s", user_id, _api_error(exc))
            return hit[1] if hit else None
        with self._lock:
            self._cache[user_id] = (now, user)
        return user

    def groups_of(self, user_id: str) -> tuple[str, ...]:
        """The user groups (ids) the member belongs to, from `usergroups.list` (cached like names).

        Asked only when a workspace maps user groups to teams; a workspace whose app
        lacks the `usergroups:read` scope gets no groups and a warning, never an error.
        """
        now = self.clock()
        with self._lock:
            cached = self._groups
        if cached is None or now - cached[0] >= self.ttl:
            try:
                response = self.client.usergroups_list(include_users=True)
                members: dict[str, list[str]] = {}
                for group in response.get("usergroups") or []:
                    for user in group.get("users") or []:
                        members.setdefault(str(user), []).append(str(group.get("id")))
                cached = (now, members)
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.warning("usergroups.list failed (teams from user groups need the usergroups:read scope): %s",
                            _api_error(exc))
                cached = (now, cached[1] if cached else {})
            with self._lock:
                self._groups = cached
        return tuple(cached[1].get(user_id, ()))


def _api_error(exc: BaseException) -> str:
    """A short, secret-free description of a Slack failure for the log."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        return f"{response.get('error', 'error')} (HTTP {response.status_code})"
    return type(exc).__name__


# ---------------------------------------------------------------------------- who and where
@dataclass(frozen=True)
class Origin:
    """Who sent a request, from bolt's context: all the queued work needs of it (the context stays behind)."""

    user_id: str | None
    team_id: str | None
    enterprise_id: str | None

    @classmethod
    def of(cls, context: Any) -> "Origin":
        return cls(user_id=context.user_id, team_id=context.team_id, enterprise_id=context.enterprise_id)


@dataclass(frozen=True)
class Target:
    """Where to answer an interaction: its response_url first, else the channel, else the member's DM."""

    user_id: str
    response_url: str | None = None
    channel_id: str | None = None


class _QuietBoltLogs(logging.Filter):
    """Drop bolt's start-up warnings about `token` being unused.

    The adapter hands bolt a ready WebClient (for the configurable API URL and
    the retry handlers) and an `authorize` function (so no request waits for
    `auth.test`); bolt then warns that a SLACK_BOT_TOKEN in the environment is
    ignored, which would mislead an operator: that very token is in use.
    """

    _DROPPED = {bolt_messages.warning_client_prioritized_and_token_skipped(), bolt_messages.warning_token_skipped()}

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self._DROPPED


# ---------------------------------------------------------------------------- the adapter
class SlackAdapter:
    """Runs the Slack front-end until `stop()`; see the module docstring."""

    sends_direct = True

    def __init__(self, coach: Coach, config: Config, env: Mapping[str, str] | None = None) -> None:
        self.coach = coach
        self.config = config
        self.settings = read_settings(config, env)
        check_complete(self.settings, config.source)
        self.admin_ids = frozenset(self.settings.admins) | frozenset(config.admins)
        self.ready = threading.Event()  # set once connected (Socket Mode) or listening (HTTP mode)
        self.bound_port: int | None = None  # the HTTP port actually bound (useful with port = 0)
        self._stopping = threading.Event()
        self._done = threading.Event()
        self._runner: threading.Thread | None = None
        self._lock = threading.Lock()
        self._identity: dict[str, Any] | None = None
        self._retry_handlers = retry_handlers()
        self.web = WebClient(
            token=self.settings.bot_token,
            base_url=self.settings.api_url,
            timeout=API_TIMEOUT,
            retry_handlers=self._retry_handlers,
            logger=logging.getLogger("sobria.slack.api"),
        )
        self.users = UserDirectory(self.web)
        self._hooks = ResponseUrlPoster(self._retry_handlers, API_TIMEOUT, connections=WORKERS)
        self._executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="sobria-slack")
        self._once: OnceByKey[Any] = OnceByKey()  # requests already run, by key: Slack's retries are not run again
        self._in_flight = 0  # requests being stored and acknowledged (see _draining)
        self._idle = threading.Condition(self._lock)
        # Homes to republish, by (workspace, member): QUEUED, RUNNING or AGAIN (running, and due once more),
        # with the latest Sender seen for the member (see _refresh_home_soon)
        self._homes: dict[tuple[str, str], str] = {}
        self._home_senders: dict[tuple[str, str], Sender] = {}
        self._home_timers: dict[tuple[str, str], threading.Timer] = {}  # Homes waiting for HOME_DELAY_S
        bolt_log = logging.getLogger("sobria.slack.bolt")
        if not any(isinstance(f, _QuietBoltLogs) for f in bolt_log.filters):
            bolt_log.addFilter(_QuietBoltLogs())
        self.app = self._make_app(bolt_log)
        self._register()

    # ------------------------------------------------------------------ wiring
    def _make_app(self, bolt_log: logging.Logger) -> App:
        """bolt's App for one workspace's bot token (distribution.DistributedSlackAdapter makes its own)."""
        return App(
            client=self.web,
            signing_secret=self.settings.signing_secret,
            authorize=self._authorizer(),
            logger=bolt_log,
            name="sobria",
            process_before_response=True,  # the acknowledgement is sent once the listener has stored the change
            before_authorize=_RefuseMalformed(),
        )

    def _mount_ops(self, routes: Routes) -> None:
        """/healthz, /readyz (the store and Slack's API reachable) and /metrics beside /slack/events."""
        add_ops_routes(routes, store=self.coach.store, platform_reachable=lambda: bool(self.web.api_test().get("ok")),
                       metrics_on=self.config.metrics.enabled)

    def _authorizer(self) -> Callable[..., AuthorizeResult]:
        """bolt's `authorize`: the identity fetched at start-up, so no request waits for `auth.test`."""

        def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
            identity = self.identity()
            return AuthorizeResult.from_auth_test_response(auth_test_response=identity,
                                                           bot_token=self.settings.bot_token)

        return authorize

    def _register(self) -> None:
        """Commands and buttons are run (their change stored) before they are acknowledged; see the module docstring.

        A command's reply rides in its acknowledgement when it is ready within
        ACK_REPLY_WITHIN, else it goes to the response URL; a button's reply
        always goes there (Slack shows nothing of a button's acknowledgement).
        Uploads and the App Home follow in the workers. A copy of a request
        that Slack sends again (`adapters.slack.retries`) is answered with the
        first one's reply, never run twice; a copy that arrives while the first
        is still being stored, and still is ACK_REPLY_WITHIN later, is refused
        (HTTP 503, or no Socket Mode acknowledgement): nothing is acknowledged
        before it is stored, and Slack sends it again.
        """

        def acknowledge_command(ack: Callable[..., Any], body: dict[str, Any], context: Any,
                                request: BoltRequest) -> BoltResponse | None:
            started = time.monotonic()
            origin = Origin.of(context)
            copy = _is_copy(request)
            done, first = self._once.run(command_key(body), lambda: self._run_command(body, origin, copy),
                                         ACK_REPLY_WITHIN,
                                         keep=lambda run: (replace(run[0], attachments=()), *run[1:]))
            if done is None:  # a copy of a command still being stored: not acknowledged before it is (Slack sends
                return BoltResponse(status=503, body="")  # it again; the first one answers at the response URL)
            reply, sender, target = done
            if time.monotonic() - started < ACK_REPLY_WITHIN:
                ack({"response_type": "in_channel" if reply.public else "ephemeral", **slack_blocks.message(reply)})
                if first and reply.attachments:
                    self._queue(self._upload, reply, target)
            else:  # Slack has stopped waiting for this acknowledgement: the reply goes to the response URL
                ack()
                if first:
                    self._queue(self.deliver, reply, target)
            if first:
                self._refresh_home_soon(sender)
            return None

        def acknowledge_action(ack: Callable[..., Any], body: dict[str, Any], action: dict[str, Any],
                               context: Any, request: BoltRequest) -> BoltResponse | None:
            origin = Origin.of(context)
            copy = _is_copy(request)
            done, first = self._once.run(action_key(body, action),
                                         lambda: self._run_action(body, action, origin, copy), ACK_REPLY_WITHIN)
            if done is None and not first:  # a copy of a press still being stored, as for a command
                return BoltResponse(status=503, body="")
            ack()
            if done is not None and first:
                self._queue(self._deliver_action, body, *done)
            return None

        def acknowledge_home_opened(ack: Callable[..., Any], event: dict[str, Any], context: Any) -> None:
            ack()
            self._queue(self._on_home_opened, event, Origin.of(context))

        for command in self.coach.catalogue:
            self.app.command(f"/{command.name}")(self._draining(acknowledge_command))
        self.app.action(re.compile("^" + re.escape(slack_blocks.ACTION_PREFIX)))(self._draining(acknowledge_action))
        self.app.event("app_home_opened")(acknowledge_home_opened)

    def _draining(self, listener: Callable[..., BoltResponse | None]) -> Callable[..., Any]:
        """`listener`, run only while the adapter is not stopping, and counted while it runs (see `_until_idle`).

        A request that arrives once the stop has begun is refused (HTTP 503, or
        no Socket Mode acknowledgement) before anything is stored: Slack sends
        it again, to the next process. bolt reads the listener's arguments
        through `functools.wraps`.
        """

        @functools.wraps(listener)
        def run(**kwargs: Any) -> BoltResponse | None:
            with self._lock:
                if self._stopping.is_set():
                    return BoltResponse(status=503, body="")
                self._in_flight += 1
            try:
                return listener(**kwargs)  # a response of its own refuses the request (bolt sends it instead)
            finally:
                with self._lock:
                    self._in_flight -= 1
                    self._idle.notify_all()

        return run

    def _until_idle(self, timeout: float) -> None:
        """Wait (bounded) until no request is being stored and acknowledged."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(max(0.0, deadline - time.monotonic()))

    def _queue(self, work: Callable[..., None], *args: Any) -> None:
        """Run `work(*args)` in a worker; its failure is logged (the request is acknowledged already)."""

        def run() -> None:
            try:
                work(*args)
            except Exception:
                log.exception("Slack work %s failed", getattr(work, "__name__", "?"))

        try:
            self._executor.submit(run)
        except RuntimeError:  # the adapter is stopping: the pool takes no new work
            log.warning("Slack work %s dropped: the adapter is stopping", getattr(work, "__name__", "?"))

    def identity(self) -> dict[str, Any]:
        """The bot's `auth.test` answer (team, enterprise, bot user), fetched once."""
        with self._lock:
            if self._identity is not None:
                return self._identity
        response = self.web.auth_test()
        data = dict(response.data) if isinstance(response.data, dict) else {}
        with self._lock:
            self._identity = data
        return data

    # ------------------------------------------------------------------ work before the acknowledgement
    def _run_command(self, body: dict[str, Any], context: Origin, copy: bool = False) -> tuple[Reply, Sender, Target]:
        """Run a slash command in the engine (its change is stored when this returns): its reply, who, where to.
        `copy`: Slack sent this request before (a log of the first attempt, stored by another process or before
        a restart, is then found and not stored again: `Services.add_event`)."""
        name = str(body.get("command", "")).lstrip("/")
        user_id = context.user_id or body.get("user_id", "")
        target = Target(user_id=user_id, response_url=body.get("response_url"), channel_id=body.get("channel_id"))
        sender = self._sender(context, body.get("user_name"), fresh=_role_checked(self.coach.catalogue.find(name)))
        text = slack_blocks.unescape(str(body.get("text") or ""))
        delivery = _delivery(body, copy)
        reply = self._ask(sender, lambda: self.coach.handle(name, text, sender, delivery))
        return reply, sender, target

    def _run_action(self, body: dict[str, Any], action: dict[str, Any],
                    context: Origin, copy: bool = False) -> tuple[Reply, Sender] | None:
        """Run a button press in the engine (its change stored when this returns); None for a button not ours.
        `copy` as for `_run_command` (a one-click log is stored once)."""
        name = slack_blocks.parse_action_id(str(action.get("action_id", "")))
        if name is None:
            return None
        user = body.get("user") or {}
        sender = self._sender(context, user.get("username") or user.get("name"))
        value = str(action.get("value") or "")
        delivery = _delivery(body, copy)
        return self._ask(sender, lambda: self.coach.action(name, value, sender, delivery)), sender

    # ------------------------------------------------------------------ queued work
    def _deliver_action(self, body: dict[str, Any], reply: Reply, sender: Sender) -> None:
        if (body.get("container") or {}).get("type") == "view":
            # pressed in the App Home: the answer shows on top of the refreshed Home tab
            self.refresh_home(sender, notice=reply)
            if reply.attachments:
                self._upload(reply, Target(user_id=sender.user_id))
            return
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        self.deliver(reply, Target(user_id=sender.user_id, response_url=body.get("response_url"), channel_id=channel))
        self._refresh_home_soon(sender)

    def _on_home_opened(self, event: dict[str, Any], context: Origin) -> None:
        if event.get("tab", "home") != "home":
            return
        self.refresh_home(self._sender(context, None))

    # ------------------------------------------------------------------ engine calls
    def _sender(self, context: Origin, fallback_name: str | None, fresh: bool = False) -> Sender:
        """Who is acting; name, role and locale from users.info (cached), the payload when Slack cannot say."""
        user_id = context.user_id or ""
        user = self.users.lookup(user_id, fresh=fresh) if user_id else None
        workspace = workspace_id(context.enterprise_id, context.team_id)
        groups: tuple[str, ...] = ()
        if user_id and self.coach.store.settings(workspace).get("team_groups"):
            groups = self.users.groups_of(user_id)
        return Sender(
            workspace_id=workspace,
            user_id=user_id,
            display_name=(user.name if user else "") or fallback_name or user_id,
            platform=PLATFORM,
            is_admin=user_id in self.admin_ids or bool(user and user.is_admin),
            locale=user.locale if user else None,
            groups=groups,
        )

    def _ask(self, sender: Sender, call: Callable[[], Reply]) -> Reply:
        """Call the engine; it does not raise by contract, but a bug must still end in a polite notice."""
        try:
            return call()
        except Exception:
            log.exception("engine call failed for workspace %s", sender.workspace_id)
            return self.coach.notice("internal_error", pick_lang(sender.locale, self.config.lang))

    # ------------------------------------------------------------------ delivery
    def deliver(self, reply: Reply, target: Target) -> bool:
        """Send a reply to the member; False (and a log line) when every way failed. Never raises."""
        payload = slack_blocks.message(reply)
        delivered = False
        if target.response_url:
            delivered = self._respond(target.response_url, payload, reply.public)
        if not delivered and target.channel_id:
            delivered = self._post_in_channel(payload, reply.public, target)
        if not delivered and not target.channel_id and target.user_id:
            delivered = self._post(lambda: self.web.chat_postMessage(channel=target.user_id, **payload), "chat.postMessage")
        if reply.attachments:
            self._upload(reply, target)
        if not delivered:
            metrics.REPLIES_FAILED.labels(platform=PLATFORM).inc()
            log.warning("reply %r for %s could not be delivered", reply.kind, target.user_id)
        return delivered

    def _respond(self, url: str, payload: dict[str, Any], public: bool) -> bool:
        try:
            answer = self._hooks.post(url, {"response_type": "in_channel" if public else "ephemeral",
                                            "replace_original": False, **payload})
        except Exception as exc:  # plain OS and http.client errors, or a URL that is not http(s)
            log.warning("response_url post failed: %s", type(exc).__name__)
            return False
        if answer.status != 200:
            log.warning("response_url refused the reply: HTTP %s %s", answer.status, answer.body[:80])
            return False
        return True

    def _post_in_channel(self, payload: dict[str, Any], public: bool, target: Target) -> bool:
        channel = target.channel_id or ""
        if public:
            return self._post(lambda: self.web.chat_postMessage(channel=channel, **payload), "chat.postMessage")
        return self._post(lambda: self.web.chat_postEphemeral(channel=channel, user=target.user_id, **payload),
                          "chat.postEphemeral")

    def _post(self, call: Callable[[], Any], method: str) -> bool:
        try:
            call()
            return True
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("%s failed: %s", method, _api_error(exc))
            return False

    def _upload(self, reply: Reply, target: Target) -> bool:
        """Files go to the channel for a public reply, else to the member's direct messages with the app."""
        try:
            if reply.public and target.channel_id:
                channel = target.channel_id
            else:
                opened = self.web.conversations_open(users=target.user_id)
                channel = (opened.get("channel") or {}).get("id")
            for attachment in reply.attachments:
                self.web.files_upload_v2(channel=channel, content=attachment.content, filename=attachment.filename,
                                         title=attachment.filename)
            return True
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("file upload for %s failed: %s", target.user_id, _api_error(exc))
            return False

    def refresh_home(self, sender: Sender, notice: Reply | None = None) -> bool:
        """Publish the member's App Home (their week and month, their preferences). Never raises."""
        home = self._ask(sender, lambda: self.coach.home(sender))
        view = slack_blocks.home_view(home, notice)
        return self._post(lambda: self.web.views_publish(user_id=sender.user_id, view=view), "views.publish")

    def _refresh_home_soon(self, sender: Sender) -> None:
        """Republish the member's Home after a command, once for a burst of commands.

        A Home queued and not yet started reads the figures when it runs, so it
        shows this command's effect too; one being published is followed by
        one more. A member's burst thus costs a Home or two instead of one per
        command, the replies are not held up behind Homes that would be
        overwritten a moment later, and, one member's Homes never being
        published two at a time, the last one published is the latest.
        """
        key = (sender.workspace_id, sender.user_id)
        with self._lock:
            self._home_senders[key] = sender  # the latest name, role and locale are the ones shown
            state = self._homes.get(key)
            if state == _RUNNING:
                self._homes[key] = _AGAIN
            if state is not None:
                return
            self._homes[key] = _QUEUED
        self._queue_home(key)

    def _queue_home(self, key: tuple[str, str]) -> None:
        """Queue a member's Home HOME_DELAY_S from now, so that the commands of that moment share it.

        In a burst, publishing a Home as soon as a worker is free costs as much
        processor time as answering the commands themselves; a fraction of a
        second later, one Home shows them all. When the adapter stops, the
        Homes still waiting are queued at once (`_shutdown`).
        """
        if self._stopping.is_set():
            self._queue(self._refresh_due_home, key)
            return
        timer = threading.Timer(HOME_DELAY_S, self._home_due, (key,))
        timer.daemon = True
        with self._lock:
            self._home_timers[key] = timer
        timer.start()

    def _home_due(self, key: tuple[str, str]) -> None:
        with self._lock:
            if self._home_timers.pop(key, None) is None:  # the stop queued it already
                return
        self._queue(self._refresh_due_home, key)

    def _refresh_due_home(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._homes[key] = _RUNNING
            sender = self._home_senders[key]
        try:
            self.refresh_home(sender)
        finally:
            with self._lock:
                again = self._homes.get(key) == _AGAIN
                if again:
                    self._homes[key] = _QUEUED
                else:
                    del self._homes[key], self._home_senders[key]
            if again:  # queued behind the work that came meanwhile rather than run at once: replies first
                self._queue_home(key)

    def serves(self, workspace_id: str) -> bool:
        """Whether a stored workspace is this bot's (the scheduler asks before offering it a summary)."""
        with self._lock:
            identity = self._identity
        return identity is not None and _same_workspace(workspace_id, identity)

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        """Post a reply in a channel (scheduled summaries); False and a log line on failure, never raises.

        The bot must be a member of the channel (the app has no chat:write.public
        scope); Slack's `not_in_channel` then appears in the log.
        """
        if not self._check_workspace(workspace_id, channel_id):
            return False
        ok = self._post(lambda: self.web.chat_postMessage(channel=channel_id, **slack_blocks.message(reply)),
                        "chat.postMessage")
        if ok and reply.attachments:
            ok = self._upload(replace(reply, public=True), Target(user_id="", channel_id=channel_id))
        return ok

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        """A private message in the member's conversation with the app (weekly nudges). Never raises."""
        if not self._check_workspace(workspace_id, user_id):
            return False
        ok = self._post(lambda: self.web.chat_postMessage(channel=user_id, **slack_blocks.message(reply)),
                        "chat.postMessage")
        if ok and reply.attachments:
            ok = self._upload(replace(reply, public=False), Target(user_id=user_id))
        return ok

    def _check_workspace(self, workspace_id: str, destination: str) -> bool:
        try:
            identity = self.identity()
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("cannot post to %s: auth.test failed: %s", destination, _api_error(exc))
            return False
        if not _same_workspace(workspace_id, identity):
            log.warning("not posting to %s: workspace %s is not this bot's", destination, workspace_id)
            return False
        return True

    # ------------------------------------------------------------------ life cycle
    def run_forever(self) -> None:
        """Connect (Socket Mode) or listen (HTTP mode) until `stop()`. Safe to run in any thread.

        While Slack is unreachable at start-up it keeps trying (with growing
        pauses); a token Slack rejects raises ConfigError at once instead.
        """
        with self._lock:
            if self._runner is not None:
                raise RuntimeError("a Slack adapter runs once; create a new one to start again")
            self._runner = threading.current_thread()
        try:
            if self._start_up():
                if self.settings.mode == "http":
                    self._serve_http()
                else:
                    self._run_socket()
        finally:
            self._shutdown()
            self._done.set()

    def stop(self) -> None:
        """Ask `run_forever` to return, and wait (bounded) until it has."""
        self._stopping.set()
        with self._lock:
            runner = self._runner
        if runner is not None and runner is not threading.current_thread():
            if not self._done.wait(STOP_TIMEOUT):
                log.warning("the Slack adapter did not stop within %.0f s", STOP_TIMEOUT)

    def _start_up(self) -> bool:
        """Check the bot token with auth.test, retrying while Slack is unreachable; False when stopped meanwhile."""
        pause = 1.0
        while not self._stopping.is_set():
            try:
                identity = self.identity()
                log.info("Slack bot token accepted for workspace %s",
                         workspace_id(identity.get("enterprise_id"), identity.get("team_id")))
                return True
            except SlackApiError as exc:
                if exc.response.get("error") in _FATAL_AUTH_ERRORS:
                    raise ConfigError("slack.bot_token", "a valid bot token: Slack refused it "
                                      f"({exc.response.get('error')})", None, self.config.source) from None
                log.warning("auth.test failed: %s; retrying in %.0f s", _api_error(exc), pause)
            except (SlackClientError, OSError) as exc:
                log.warning("Slack unreachable (%s); retrying in %.0f s", type(exc).__name__, pause)
            self._stopping.wait(pause)
            pause = min(pause * 2, STARTUP_RETRY_MAX)
        return False

    def _run_socket(self) -> None:
        from slack_bolt.adapter.socket_mode.builtin import SocketModeHandler

        pause = 1.0
        while not self._stopping.is_set():
            handler = SocketModeHandler(self.app, app_token=self.settings.app_token, web_client=self.web,
                                        logger=logging.getLogger("sobria.slack.socket"))
            try:
                handler.connect()
            except SlackApiError as exc:
                handler.close()
                if exc.response.get("error") in _FATAL_AUTH_ERRORS:
                    raise ConfigError("slack.app_token", "a valid app-level token with the connections:write "
                                      f"scope: Slack refused it ({exc.response.get('error')})",
                                      None, self.config.source) from None
                log.warning("apps.connections.open failed: %s; retrying in %.0f s", _api_error(exc), pause)
            except (SlackClientError, OSError) as exc:
                handler.close()
                log.warning("Socket Mode connection failed (%s); retrying in %.0f s", type(exc).__name__, pause)
            else:
                identity = self.identity()
                log.info("Slack bot connected to workspace %s (socket mode)",
                         workspace_id(identity.get("enterprise_id"), identity.get("team_id")))
                self.ready.set()
                self._stopping.wait()
                self._until_idle(STOP_TIMEOUT / 2)  # the commands being stored are acknowledged before the socket closes
                handler.close()
                return
            self._stopping.wait(pause)
            pause = min(pause * 2, STARTUP_RETRY_MAX)

    def _serve_http(self) -> None:
        try:
            server = make_http_server(self.app, self.settings.host, self.settings.port, self._mount_ops)
        except OSError as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc  # cheroot wraps the bind error
            raise ConfigError("slack.port", f"a free port on {self.settings.host} ({cause.strerror or cause})",
                              self.settings.port, self.config.source) from None
        self.bound_port = server.port
        log.info("Slack events endpoint listening on http://%s:%s%s", self.settings.host, self.bound_port, EVENTS_PATH)
        server.start()
        self.ready.set()
        try:
            self._stopping.wait()
        finally:
            server.stop()  # in-flight acknowledgements finish; the work they queued is waited for in _shutdown

    def _shutdown(self) -> None:
        """Let accepted commands finish (they are acknowledged already), then release the threads."""
        with self._lock:
            waiting, self._home_timers = self._home_timers, {}
        for key, timer in waiting.items():  # the Homes still waiting for their delay are published now
            timer.cancel()
            self._queue(self._refresh_due_home, key)
        self._executor.shutdown(wait=True)
        self._hooks.close()
        self.ready.clear()


# States of a member's pending Home (SlackAdapter._homes)
_QUEUED, _RUNNING, _AGAIN = "queued", "running", "again"

def _role_checked(command: Command | None) -> bool:
    """Whether the member's role is read from Slack at once rather than from the cache of names: for the
    admin-only commands, and /ia-team, whose map and unmap are admin actions of a member command."""
    return command is not None and (command.admin_only or command.name == "ia-team")


def _same_workspace(workspace: str, identity: Mapping[str, Any]) -> bool:
    """Whether a stored workspace id belongs to the workspace (or Grid organisation) of this bot token."""
    team, enterprise = identity.get("team_id"), identity.get("enterprise_id")
    if enterprise:
        return workspace == enterprise or workspace.startswith(f"{enterprise}:")
    return workspace == team


# ---------------------------------------------------------------------------- HTTP mode
class _SlackEvents(SlackRequestHandler):
    """slack-bolt's WSGI adapter, answering 400 to a body that bolt cannot even read.

    bolt parses the body before it checks the signature: broken JSON, JSON
    that is not an object or bytes that are not UTF-8 raise while the request
    is built, and would otherwise end as a 500 with a traceback in the log.
    """

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            bolt_request = BoltRequest(body=request.get_body(), query=request.query_string,
                                       headers=request.get_headers())
        except (ValueError, AttributeError, TypeError) as exc:
            log.warning("unreadable request body refused (%s)", type(exc).__name__)
            return BoltResponse(status=400, body="")
        started = time.perf_counter()
        try:
            return self.app.dispatch(bolt_request)  # returns once the listener has acknowledged (see _queue)
        finally:
            metrics.ACK_SECONDS.labels(platform=PLATFORM).observe(time.perf_counter() - started)


def _delivery(body: dict[str, Any], copy: bool) -> Delivery | None:
    """How Slack delivered a command or a button press: its trigger_id, the same in every copy."""
    trigger = str(body.get("trigger_id") or "")
    return Delivery(trigger, copy) if trigger else None


def _is_copy(request: BoltRequest) -> bool:
    """Whether Slack sent this request before: `X-Slack-Retry-Num` over HTTP; in Socket Mode, bolt turns the
    envelope's `retry_attempt` into the same header, "0" on a first delivery."""
    return any(value.strip() not in ("", "0") for value in request.headers.get(RETRY_HEADER) or ())


def http_routes(app: App, extra: Callable[[Routes], None] | None = None) -> Routes:
    """The WSGI app of HTTP mode: POST /slack/events to bolt (signature and timestamp checked there), GET / "ok";
    with distribution, GET of the install page and of the OAuth redirect to bolt's OAuth flow; then `extra`'s."""
    routes = Routes(BodyLimit(max_bytes=MAX_BODY_BYTES, discard_max_bytes=DISCARD_MAX_BYTES,
                              discard_timeout=DISCARD_TIMEOUT))
    events = _SlackEvents(app, path=EVENTS_PATH)
    routes.add("POST", EVENTS_PATH, events)
    if app.oauth_flow is not None:  # bolt's WSGI adapter answers both paths by their GET
        routes.add("GET", app.oauth_flow.install_path, events)
        routes.add("GET", app.oauth_flow.redirect_uri_path, events)
    if extra is not None:
        extra(routes)
    return routes


def make_http_server(app: App, host: str, port: int, extra: Callable[[Routes], None] | None = None) -> HttpServer:
    """The HTTP-mode server, bound (port 0 picks a free port) but not yet serving: `start()`, then `stop()`."""
    return HttpServer(http_routes(app, extra), host, port, read_timeout=HTTP_READ_TIMEOUT).bind()
