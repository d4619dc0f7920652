"""The Microsoft Teams front-end, over Microsoft's Teams SDK for Python (`microsoft-teams-apps`).

This module only translates. A message to the bot (in a personal chat, or
@Sobria in a channel or group chat) is read like a console line — `ia-log
image 2`, `/ia-log image 2` and `@Sobria ia-log image 2` are the same — and
handed to `Coach.handle`; a pressed card button comes back as a message whose
`value` names the coach action (`Coach.action`); the `Reply` is laid out as an
Adaptive Card by `adapters.teams.cards`. Private replies go to the member's
personal chat with the bot, public ones to the conversation they came from.

How the SDK is driven, and why.

* HTTP. The SDK's `App` receives activities through an `HttpServerAdapter`
  (FastAPI and uvicorn by default) but lets an application give its own: it
  registers one async handler for `POST /api/messages` there, which checks the
  Bot Framework token and runs the activity through the SDK's router. Sobria
  gives it `_WsgiRoute`, which mounts that handler on Sobria's own cheroot
  server (`adapters.http_server`) and runs it in the adapter's event loop: the
  Teams endpoint then shares Slack's HTTP-mode server when both are configured
  on the same host and port (one port, one TLS proxy), and stops with the rest
  of `sobria run`. Running the SDK's FastAPI app under uvicorn instead would
  need a second server and port, or an ASGI-to-WSGI bridge for Slack; the
  handler is a plain coroutine, so nothing is lost by not using them.
* Tokens in. Every request is checked by the SDK (signature against the Bot
  Framework's published keys, issuer, audience = the app id, expiry, and the
  `serviceurl` claim against the activity's `serviceUrl`). The key source and
  the issuer are the SDK's `CloudEnvironment`, built here from `[teams]
  openid_metadata_url` and `token_issuer`, so tests (and sovereign clouds)
  point them at another server. Unauthenticated requests are never allowed,
  whatever the SDK's DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS variable says.
* Tokens out. Replies are sent by the SDK to the activity's `serviceUrl`
  with a token the SDK obtains with the app id and password (MSAL, from
  Microsoft Entra). Tests give a token provider instead (`token_provider`),
  since MSAL only talks to https Entra addresses.
* Proactive messages (weekly and monthly summaries, personal nudges) need a
  conversation reference, which Teams hands over only in the activities it
  sends: the adapter keeps one per team channel and per member's personal chat
  in the store's platform destinations (`Store.set_destination`, platform
  "teams", per tenant), written when the app is installed (`installationUpdate`,
  or `conversationUpdate` adding the bot) or when a member writes in a
  personal chat, and removed when the app is uninstalled or the bot removed.
  A channel is known to the scheduler by a short key ("teams-" and 16 hex
  digits of its conversation id's SHA-256, which `/ia-settings channel`
  accepts); installing the app in a team makes the channel it was installed
  in the summary channel when none is set, and a channel mentioned after
  `/ia-settings channel` is turned into its key.

Identity: the tenant is the workspace; the member is their Microsoft Entra
object id (the personal-chat destination's key), with the display name and
locale of the activity. Admins are listed in `[teams] admins`: a bot receives
no Teams role beyond member or guest without Graph permissions Sobria does
not ask for.

The SDK loads a `.env` file from the working directory when it is imported,
like Sobria's own environment-only secrets that is the operator's choice.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import html
import json
import logging
import os
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Mapping

with warnings.catch_warnings():  # the SDK announces at import a preview (HTML widgets) that Sobria does not use
    warnings.filterwarnings("ignore", message=".*is in preview.*")
    from microsoft_teams.api import Account, ConversationReference, MessageActivityInput
    from microsoft_teams.api.activities.utils import StripMentionsTextOptions, strip_mentions_text
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
    from microsoft_teams.api.clients.conversation.params import CreateConversationParams
    from microsoft_teams.apps import App

from bot.core.coach import Coach
from bot.core.config import Config, TeamsSection
from bot.core.errors import ConfigError
from bot.core.identity import Sender
from bot.core.reply import Reply

from adapters.http_server import BodyLimit, HttpServer, Routes, plain, serving
from adapters.teams.cards import card, pressed

log = logging.getLogger("sobria.teams")

PLATFORM = "teams"
MAX_BODY_BYTES = 1 << 20  # activities are a few kB
DISCARD_MAX_BYTES = 4 << 20
DISCARD_TIMEOUT = 2.0
HTTP_READ_TIMEOUT = 10.0
ACTIVITY_TIMEOUT = 60.0  # seconds a request may wait for the SDK (the engine and the reply it sends)
SEND_TIMEOUT = 30.0  # seconds a proactive message may take
SHARED_SERVER_WAIT = 30.0  # seconds to wait for Slack's HTTP server when the endpoint shares it
SEEN_MAX = 4096  # activity ids remembered against a second delivery (a few minutes of a busy tenant)
CHANNEL_PREFIX = "teams-"
USER_PREFIX = "user:"

TeamsSettings = TeamsSection
TokenProvider = Callable[[str, "str | None"], str]


def read_settings(config: Config, env: Mapping[str, str] | None = None) -> TeamsSettings:
    """`[teams]` with the environment's TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID over the file's."""
    return config.teams.with_env(os.environ if env is None else env)


def configured(config: Config, env: Mapping[str, str] | None = None) -> bool:
    """True when an app id is set: the operator means to run Teams (the adapter then checks the rest)."""
    return bool(read_settings(config, env).app_id)


def channel_key(conversation_id: str) -> str:
    """The short key a Teams channel is known by in the settings and the store ("teams-" + 16 hex digits)."""
    base = conversation_id.split(";", 1)[0]
    return CHANNEL_PREFIX + hashlib.sha256(base.encode("utf-8")).hexdigest()[:16]


_AT = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")


def command_text(text: str) -> tuple[str, str]:
    """("ia-log", "image 2") from a message's text, once the SDK has removed the bot's mention; markup is
    dropped, other mentions are kept as the names they show."""
    text = _AT.sub(lambda m: m.group(1), text or "")
    text = html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ").strip()
    name, _, rest = text.partition(" ")
    return name.lstrip("/").lower(), rest.strip()


# ---------------------------------------------------------------------------- HTTP


class _WsgiRoute:
    """The SDK's `HttpServerAdapter`, served by Sobria's WSGI server; see the module docstring.

    `register_route` keeps the SDK's handler; `__call__` is the WSGI app
    mounted on the configured path: it reads the JSON body, runs the handler
    in the adapter's event loop and answers what it returns. A body that is
    not a JSON object is answered 400 before the SDK sees it.
    """

    def __init__(self) -> None:
        self.handler: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    # HttpServerAdapter
    def register_route(self, method: str, path: str, handler: Any) -> None:
        self.handler = handler

    def serve_static(self, path: str, directory: str) -> None:
        """Sobria serves no tab pages."""

    async def start(self, port: int) -> None:
        """Nothing to start: the adapter mounts this route on Sobria's own HTTP server (`run_forever`), so
        the SDK never opens a server or a port of its own."""

    async def stop(self) -> None:
        """The server is Sobria's, stopped by the adapter."""

    # WSGI
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        handler, loop = self.handler, self.loop
        if handler is None or loop is None:
            return plain(start_response, 503, "not ready")
        try:
            body = json.loads(environ["wsgi.input"].read() or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return plain(start_response, 400, "a JSON activity is expected")
        headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        try:
            future = asyncio.run_coroutine_threadsafe(handler({"body": body, "headers": headers}), loop)
        except RuntimeError:  # the loop closed meanwhile: the adapter is stopping
            return plain(start_response, 503, "stopping")
        try:
            response = future.result(ACTIVITY_TIMEOUT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            log.warning("an activity took more than %.0f s: answered 504", ACTIVITY_TIMEOUT)
            return plain(start_response, 504, "timeout")
        except Exception:
            log.exception("an activity failed")
            return plain(start_response, 500, "error")
        status = int(response.get("status") or 200)
        payload = response.get("body")
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        start_response(f"{status} {_phrase(status)}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


# ---------------------------------------------------------------------------- the adapter


@dataclass(frozen=True)
class _Origin:
    """Where an activity came from: enough to answer it and to know who asked."""

    tenant: str
    conversation_id: str
    conversation_type: str  # "personal" | "channel" | "groupChat"
    service_url: str
    user_id: str  # the member's Entra object id (their id in the store)
    user_channel_id: str  # the member's Teams id ("29:…"), to open a personal chat
    bot_id: str
    name: str
    locale: str | None


class TeamsAdapter:
    """Serves the Teams messaging endpoint until `stop()`; posts summaries and nudges proactively."""

    sends_direct = True

    def __init__(self, coach: Coach, config: Config, env: Mapping[str, str] | None = None,
                 token_provider: TokenProvider | None = None) -> None:
        self.coach = coach
        self.config = config
        self.settings = read_settings(config, env)
        if not self.settings.app_id:
            raise ConfigError("teams.app_id", f"the bot's Microsoft App ID (or {TeamsSection.env_name('app_id')})",
                              None, config.source)
        if not self.settings.app_password and token_provider is None:
            raise ConfigError("teams.app_password", "the bot's client secret, in the "
                              f"{TeamsSection.env_name('app_password')} environment variable or [teams] app_password",
                              None, config.source)
        self._token_provider = token_provider
        self.ready = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._app: App | None = None
        self._route = _WsgiRoute()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._server: HttpServer | None = None
        self.bound_port: int | None = None

    # ------------------------------------------------------------------ the SDK's app
    def _make_app(self) -> App:
        s = self.settings
        cloud = with_overrides(PUBLIC, openid_metadata_url=s.openid_metadata_url, token_issuer=s.token_issuer)
        options: dict[str, Any] = {
            "client_id": s.app_id,
            "tenant_id": s.tenant_id or None,
            "http_server_adapter": self._route,
            "messaging_endpoint": s.path,
            "cloud": cloud,
            "dangerously_allow_unauthenticated_requests": False,
            "state": False,
            "telemetry": {"agent365": False},
        }
        if self._token_provider is not None:
            options["token"] = self._token_provider
        else:
            options["client_secret"] = s.app_password
        app = App(**options)
        app.on_message(self._on_message)
        app.on_conversation_update(self._on_conversation_update)
        app.on_install_add(self._on_install)
        app.on_install_remove(self._on_uninstall)
        return app

    # ------------------------------------------------------------------ incoming
    def _origin(self, activity: Any) -> _Origin | None:
        conversation = activity.conversation
        channel_data = activity.channel_data
        tenant = (conversation.tenant_id if conversation else None) or (
            channel_data.tenant.id if channel_data and channel_data.tenant else None)
        user = activity.from_
        if not tenant or conversation is None or user is None:
            return None
        return _Origin(
            tenant=tenant,
            conversation_id=conversation.id,
            conversation_type=conversation.conversation_type or "personal",
            service_url=activity.service_url or "",
            user_id=(user.aad_object_id or user.id).lower(),
            user_channel_id=user.id,
            bot_id=activity.recipient.id if activity.recipient else self.settings.app_id,
            name=user.name or "",
            locale=activity.locale,
        )

    def _serves_tenant(self, tenant: str) -> bool:
        return not self.settings.tenant_id or tenant.lower() == self.settings.tenant_id.lower()

    def _sender(self, origin: _Origin) -> Sender:
        return Sender(workspace_id=origin.tenant, user_id=origin.user_id, display_name=origin.name,
                      platform=PLATFORM, is_admin=origin.user_id in self.settings.admins, locale=origin.locale)

    async def _on_message(self, ctx: Any) -> None:
        activity = ctx.activity
        origin = self._origin(activity)
        if origin is None or not self._serves_tenant(origin.tenant):
            log.warning("a message without a tenant, or of a tenant this bot does not serve, was ignored")
            return
        if not self._first_delivery(activity.id):
            log.info("an activity delivered again was answered once already: ignored")
            return
        sender = self._sender(origin)
        if origin.conversation_type == "personal":
            try:
                await asyncio.to_thread(self._keep_personal, origin)
            except Exception as exc:  # the command still runs; the nudges wait for the next message
                log.warning("could not keep a personal chat of tenant %s: %s", origin.tenant, exc)
        button = pressed(activity.value)
        if button is not None:
            reply = await asyncio.to_thread(self.coach.action, button[0], button[1], sender)
        else:
            bot = activity.recipient.id if activity.recipient else None
            name, text = command_text(strip_mentions_text(activity, StripMentionsTextOptions(account_id=bot))
                                      if bot else activity.text)
            if name == "ia-settings" and activity.entities:
                text = await asyncio.to_thread(self._channel_mentions, activity, origin, text)
            reply = await asyncio.to_thread(self.coach.handle, name, text, sender)
        try:
            await self._answer(ctx, origin, reply)
        except Exception as exc:  # Connector down or refusing: logged, never run again (the event is stored once)
            log.warning("the reply to a member of tenant %s was not delivered: %s", origin.tenant, exc)

    def _first_delivery(self, activity_id: str | None) -> bool:
        """False for an activity id seen lately: Teams delivers again an activity it got no answer for in time,
        and the command must run once (its event stored once)."""
        if not activity_id:
            return True
        with self._lock:
            if activity_id in self._seen:
                return False
            self._seen[activity_id] = None
            while len(self._seen) > SEEN_MAX:
                self._seen.popitem(last=False)
        return True

    def _channel_mentions(self, activity: Any, origin: _Origin, text: str) -> str:
        """`/ia-settings channel @General`: the channel's name becomes its key, and its destination is kept."""
        for entity in activity.entities or []:
            mentioned = getattr(entity, "mentioned", None)
            mention_id = getattr(mentioned, "id", "") or ""
            if not mention_id.startswith("19:") or mentioned is None:
                continue  # a member, or the bot
            key = channel_key(mention_id)
            self.coach.store.set_destination(origin.tenant, PLATFORM, key, {
                "conversation_id": mention_id, "service_url": origin.service_url, "scope": "channel",
                "name": mentioned.name or ""})
            if mentioned.name and mentioned.name in text:
                text = text.replace(mentioned.name, key, 1)
        return text

    async def _answer(self, ctx: Any, origin: _Origin, reply: Reply) -> None:
        """Public replies in the conversation; private ones there in a personal chat, else in the member's."""
        if reply.public or origin.conversation_type == "personal":
            await ctx.send(card(reply))
            return
        conversation_id = await self._personal_conversation(ctx, origin)
        if conversation_id is None:
            log.warning("no personal chat with a member of tenant %s: private reply not sent", origin.tenant)
            return
        ref = ConversationReference(service_url=origin.service_url, bot=Account(id=origin.bot_id),
                                    channel_id="msteams", conversation={"id": conversation_id})  # type: ignore[arg-type]
        await ctx.send(card(reply), ref)

    async def _personal_conversation(self, ctx: Any, origin: _Origin) -> str | None:
        """The member's personal chat with the bot: the one kept, else one the Bot Connector opens."""
        kept = (await asyncio.to_thread(self.coach.store.destinations, origin.tenant, PLATFORM)).get(
            USER_PREFIX + origin.user_id)
        if kept:
            return str(kept["conversation_id"])
        try:
            created = await ctx.api.conversations.create(CreateConversationParams(
                members=[Account(id=origin.user_channel_id)], tenant_id=origin.tenant))
        except Exception as exc:  # refused (the app not installed for the member), unreachable
            log.warning("could not open a personal chat in tenant %s: %s", origin.tenant, type(exc).__name__)
            return None
        await asyncio.to_thread(self._keep, origin.tenant, USER_PREFIX + origin.user_id, {
            "conversation_id": created.id, "service_url": origin.service_url, "scope": "personal",
            "user_channel_id": origin.user_channel_id})
        return created.id

    # ------------------------------------------------------------------ install, uninstall
    def _keep(self, tenant: str, key: str, value: dict[str, Any] | None) -> None:
        self.coach.store.set_destination(tenant, PLATFORM, key, value)

    def _keep_personal(self, origin: _Origin) -> None:
        """Remember the member's personal chat (for nudges), written only when it changed."""
        value = {"conversation_id": origin.conversation_id, "service_url": origin.service_url,
                 "scope": "personal", "user_channel_id": origin.user_channel_id}
        if self.coach.store.destinations(origin.tenant, PLATFORM).get(USER_PREFIX + origin.user_id) != value:
            self._keep(origin.tenant, USER_PREFIX + origin.user_id, value)

    def _installed(self, activity: Any, origin: _Origin) -> None:
        if origin.conversation_type == "personal":
            self._keep_personal(origin)
            log.info("Teams: installed in a personal chat of tenant %s", origin.tenant)
            return
        key = channel_key(origin.conversation_id)
        self._keep(origin.tenant, key, {"conversation_id": origin.conversation_id.split(";", 1)[0],
                                        "service_url": origin.service_url, "scope": origin.conversation_type,
                                        "team_id": _team_id(activity)})
        if origin.conversation_type == "channel" and not self.coach.store.settings(origin.tenant).get(
                "summary_channel"):
            self.coach.store.set_setting(origin.tenant, "summary_channel", key)
        log.info("Teams: installed in a %s of tenant %s", origin.conversation_type, origin.tenant)

    def _uninstalled(self, activity: Any, origin: _Origin) -> None:
        """Forget every destination this installation gave: the personal chat, or the team's channels."""
        store = self.coach.store
        if origin.conversation_type == "personal":
            self._keep(origin.tenant, USER_PREFIX + origin.user_id, None)
        else:
            team = _team_id(activity)
            conversation = origin.conversation_id.split(";", 1)[0]
            for key, value in store.destinations(origin.tenant, PLATFORM).items():
                if value.get("conversation_id") == conversation or (team and value.get("team_id") == team):
                    self._keep(origin.tenant, key, None)
        log.info("Teams: uninstalled from a %s of tenant %s", origin.conversation_type, origin.tenant)

    async def _on_install(self, ctx: Any) -> None:
        origin = self._origin(ctx.activity)
        if origin is not None and self._serves_tenant(origin.tenant):
            await asyncio.to_thread(self._installed, ctx.activity, origin)

    async def _on_uninstall(self, ctx: Any) -> None:
        origin = self._origin(ctx.activity)
        if origin is not None:
            await asyncio.to_thread(self._uninstalled, ctx.activity, origin)

    async def _on_conversation_update(self, ctx: Any) -> None:
        """The bot added to (or removed from) a team or chat: the same as an install (or uninstall)."""
        activity = ctx.activity
        origin = self._origin(activity)
        bot = activity.recipient.id if activity.recipient else None
        if origin is None or bot is None:
            return
        if any(m.id == bot for m in activity.members_added or []) and self._serves_tenant(origin.tenant):
            await asyncio.to_thread(self._installed, activity, origin)
        elif any(m.id == bot for m in activity.members_removed or []):
            await asyncio.to_thread(self._uninstalled, activity, origin)

    # ------------------------------------------------------------------ outgoing (the scheduler's thread)
    def serves(self, workspace_id: str) -> bool:
        """A tenant this bot was installed in (it kept a destination there) and may serve."""
        return self._serves_tenant(workspace_id) and bool(self.coach.store.destinations(workspace_id, PLATFORM))

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        """Post in a channel known by its key (`channel_key`); False and a log line on failure, never raises."""
        return self._send_to(workspace_id, channel_id, reply, f"channel {channel_id}")

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        """A message in the member's personal chat with the bot (kept at install or at their first message)."""
        return self._send_to(workspace_id, USER_PREFIX + user_id.lower(), reply, f"member {user_id}")

    def _send_to(self, workspace_id: str, key: str, reply: Reply, what: str) -> bool:
        with self._lock:
            loop, app = self._loop, self._app
        if loop is None or app is None:
            log.warning("Teams is not running: message to %s of tenant %s not sent", what, workspace_id)
            return False
        try:
            target = self.coach.store.destinations(workspace_id, PLATFORM).get(key)
        except Exception as exc:
            log.warning("message to %s of tenant %s not sent: store unreadable (%s)", what, workspace_id, exc)
            return False
        if not target:
            log.warning("no Teams conversation known for %s of tenant %s: message not sent", what, workspace_id)
            return False
        activity = MessageActivityInput().add_card(card(reply))
        future = asyncio.run_coroutine_threadsafe(
            app.send(str(target["conversation_id"]), activity, service_url=str(target["service_url"])), loop)
        try:
            future.result(SEND_TIMEOUT)
            return True
        except concurrent.futures.TimeoutError:
            future.cancel()
            log.warning("message to %s of tenant %s timed out", what, workspace_id)
        except Exception as exc:
            log.warning("Teams refused the message to %s of tenant %s: %s", what, workspace_id, exc)
        return False

    # ------------------------------------------------------------------ life cycle
    def _shares_slack_server(self) -> bool:
        slack = self.config.slack
        return (slack.mode == "http" and bool(slack.with_env(os.environ).bot_token or slack.distributed)
                and (slack.host, slack.port) == (self.settings.host, self.settings.port))

    def run_forever(self) -> None:
        """Serve the messaging endpoint until `stop()` (blocks the calling thread, which runs the SDK's loop)."""
        if self._stopping.is_set():
            return
        asyncio.run(self._main())

    async def _main(self) -> None:
        app = self._make_app()
        await app.initialize()
        with self._lock:
            if self._stopping.is_set():
                return
            self._loop, self._app = asyncio.get_running_loop(), app
        self._route.loop = asyncio.get_running_loop()
        stopped = asyncio.Event()
        self._wake = lambda: self._route.loop.call_soon_threadsafe(stopped.set) if self._route.loop else None
        try:
            if not await asyncio.to_thread(self._mount):
                return
            self.ready.set()
            log.info("Teams messaging endpoint on http://%s:%s%s", self.settings.host, self.bound_port,
                     self.settings.path)
            if not self._stopping.is_set():
                await stopped.wait()
        finally:
            self.ready.clear()
            self._route.loop = None  # a route left on Slack's server answers 503 from now on
            with self._lock:
                self._loop = self._app = None
            if self._server is not None:
                await asyncio.to_thread(self._server.stop)

    def _mount(self) -> bool:
        """Mount the endpoint on Slack's server (same host and port) or on a server of its own."""
        s = self.settings
        if self._shares_slack_server():
            shared = serving(s.host, s.port, SHARED_SERVER_WAIT, self._stopping)
            if shared is None or shared.routes is None:
                if not self._stopping.is_set():
                    log.error("Slack's HTTP server on %s:%s did not start: the Teams endpoint is not served",
                              s.host, s.port)
                return False
            shared.routes.add("POST", s.path, self._route)
            self.bound_port = shared.port
            return True
        routes = Routes(BodyLimit(max_bytes=MAX_BODY_BYTES, discard_max_bytes=DISCARD_MAX_BYTES,
                                  discard_timeout=DISCARD_TIMEOUT))
        routes.add("POST", s.path, self._route)
        try:
            server = HttpServer(routes, s.host, s.port, read_timeout=HTTP_READ_TIMEOUT).bind()
        except OSError as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
            log.error("the Teams endpoint cannot listen on %s:%s (%s): check [teams] port", s.host, s.port,
                      cause.strerror or cause)
            return False
        self._server = server.start()
        self.bound_port = server.port
        return True

    def stop(self) -> None:
        """Stop serving; `run_forever` then returns. Safe from any thread, and more than once."""
        self._stopping.set()
        wake = getattr(self, "_wake", None)
        if wake is not None:
            try:
                wake()
            except RuntimeError:  # the loop has already closed
                pass


def _team_id(activity: Any) -> str | None:
    data = activity.channel_data
    return data.team.id if data is not None and data.team is not None else None
