"""The Discord front-end: native slash commands over the one engine.

Each command of the coach's catalogue (`bot.commands.CATALOGUE`) becomes a Discord slash command
whose typed options (choices, bounded numbers, text, a `public` switch) are
derived from its `Argument`s. When a member runs one, the options are put
back into the text a Slack or console member would have typed, in the
catalogue's order (`kind:image count:3 prompt:…` → "image 3 …"), and handed
to `Coach.handle`: the behaviour is the engine's, identical on every
platform. The `Reply` comes back as an embed (see `discord_embeds`).

The adapter runs its own asyncio loop, so it can live in any thread next to
the Slack adapter in one `sobria run` process. The REST and gateway
addresses come from the config, which lets tests and proxies point the
unmodified discord.py client at another server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import inspect
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping

import discord
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.core.command import Argument, Command
from bot.core.coach import Coach
from bot.core.config import Config, DiscordSection
from bot.core.errors import ConfigError
from bot.core.grammar import END_OF_OPTIONS
from bot.core.identity import Sender
from bot.core.render import LANGS, Renderer, pick_lang
from bot.core.reply import Reply

from adapters.discord.embeds import NO_MENTIONS, ActionButton, ButtonId, Outgoing, render

log = logging.getLogger(__name__)

# The addresses Discord itself answers on, and where the token may be instead of the file: the schema's
# defaults for `[discord]` (bot.core.config), named here for the endpoints and the log.
DEFAULT_API_URL = DiscordSection().api_url
DEFAULT_GATEWAY_URL = DiscordSection().gateway_url
TOKEN_ENV = DiscordSection.env_name("token")

# Discord wants an interaction's answer within 3 s. The answer (or a "thinking…" deferral, which Discord counts
# as one) is sent only once the engine has stored the change: an engine slower than this is not deferred, its
# reply is posted as a message once the change is stored (see SobriaClient.answer).
ANSWER_WITHIN_S = 2.5
POST_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# A stop lets the interactions under way finish (stored, then answered) this long at most: an answer is due
# within ANSWER_WITHIN_S, a late one is a message more.
DRAIN_S = 8.0
DESCRIPTION_MAX = 100  # Discord's limit for command, option and choice descriptions and names

# Only the guilds intent: commands arrive as interactions, so no privileged intent
# (members, presences, message content) is ever requested.
INTENTS = discord.Intents(guilds=True)


# ---------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class DiscordSettings:
    """What the adapter runs with: the validated `[discord]` section (`config.discord`), with the token found
    and the command-sync state file placed in the data directory. The token never appears in a repr or a log."""

    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    gateway_url: str = DEFAULT_GATEWAY_URL
    guild_ids: tuple[int, ...] = ()
    sync_state_path: Path = Config().data_dir / DiscordSection().sync_state_file
    admins: frozenset[str] = frozenset()


def configured(config: Config, env: Mapping[str, str] | None = None) -> bool:
    """True when a bot token is available (environment first, then `[discord] token`)."""
    return bool(config.discord.with_env(os.environ if env is None else env).token)


def settings_from(config: Config, env: Mapping[str, str] | None = None) -> DiscordSettings:
    """`[discord]` as validated with the configuration, the environment's DISCORD_TOKEN over the file's.

    The values were checked when the configuration was read; what is left is
    what needs the environment: without a token anywhere, the adapter cannot run.
    """
    section = config.discord.with_env(os.environ if env is None else env)
    if not section.token:
        raise ConfigError("discord.token", f"a bot token, in the {TOKEN_ENV} environment variable or [discord] token",
                          None, config.source)
    state_path = Path(section.sync_state_file)
    if not state_path.is_absolute():
        state_path = Path(config.data_dir) / state_path
    return DiscordSettings(
        token=section.token,
        api_url=section.api_url,
        gateway_url=section.gateway_url,
        guild_ids=section.guild_ids,
        sync_state_path=state_path,
        admins=section.admins,
    )


# ---------------------------------------------------------------------------- endpoints


class Endpoints:
    """Rewrites discord.py's built-in Discord addresses to the configured ones.

    discord.py builds every REST URL from one class-wide base and opens the
    gateway at a built-in address; both are rewritten per client here, so one
    process could hold clients pointed at different servers.
    """

    def __init__(self, api_url: str, gateway_url: str) -> None:
        self.api_url = api_url.rstrip("/")
        self.gateway_url = gateway_url

    def rest(self, url: str) -> str:
        base = Route.BASE
        return self.api_url + url[len(base):] if url.startswith(base) else url

    def gateway(self, url: str) -> str:
        default = str(DiscordWebSocket.DEFAULT_GATEWAY)
        if not url.startswith(default):
            return url  # a resume address Discord handed out in READY
        rest = url[len(default):]
        if rest.startswith("?") and "?" in self.gateway_url:
            rest = "&" + rest[1:]
        return self.gateway_url + rest

    def install(self, http: Any) -> None:
        """Route a client's REST calls and gateway connection through these addresses."""
        plain_request, plain_ws_connect = http.request, http.ws_connect

        async def request(route: Route, **kwargs: Any) -> Any:
            route.url = self.rest(route.url)
            return await plain_request(route, **kwargs)

        async def ws_connect(url: str, **kwargs: Any) -> Any:
            return await plain_ws_connect(self.gateway(url), **kwargs)

        http.request = request
        http.ws_connect = ws_connect


class _RoutedWebhooks(AsyncWebhookAdapter):
    """Interaction responses and follow-ups go through discord.py's webhook adapter: route them too."""

    def __init__(self, endpoints: Endpoints) -> None:
        super().__init__()
        self.endpoints = endpoints

    async def request(self, route: Route, session: Any, **kwargs: Any) -> Any:
        route.url = self.endpoints.rest(route.url)
        return await super().request(route, session, **kwargs)


# ---------------------------------------------------------------------------- commands


def argument_text(command: Command, options: Mapping[str, Any]) -> str:
    """The text a member would have typed for these options, in the catalogue's order.

    A set flag becomes its own name ("public"), which the grammar reads the
    same as the typed word; absent or empty options are left out. Free text
    that follows a count (a prompt, a "how") is preceded by the grammar's
    end-of-options mark, so that a prompt starting with a number or a tool's
    name stays the prompt the member typed in its own field.
    """
    words: list[str] = []
    has_count = any(a.type == "count" for a in command.args)
    for arg in command.args:
        value = options.get(arg.name)
        if value is None or value is False:
            continue
        if arg.type == "flag":
            words.append(arg.name)
            continue
        text = str(value).strip()
        if text:
            if arg.type == "text" and has_count and words:
                words.append(END_OF_OPTIONS)
            words.append(text)
    return " ".join(words)


def locale_lang(locale: discord.Locale | str | None) -> str | None:
    """The Sobria language of a Discord locale ("fr", "en-US" → "fr", "en"), None when unsupported."""
    value = str(locale or "").lower()
    for lang in LANGS:
        if value == lang or value.startswith(lang + "-"):
            return lang
    return None


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """Fit Discord's length limit for command wording, marking a cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class CommandWording:
    """The words of the command tree: `templates/commands.toml` translated by the language's catalogue.

    Keys are tuples: ("summary", command), ("arg", command, argument), ("choice", value).
    """

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def lookup(self, lang: str, key: tuple[str, ...]) -> str:
        words = self.renderer.data(lang, "commands")
        kind = key[0]
        if kind == "summary":
            value = words.get(key[1], {}).get("summary", "")
        elif kind == "arg":
            value = words.get(key[1], {}).get("args", {}).get(key[2], "")
        elif kind == "choice":
            value = words.get("choices", {}).get(key[1], "")
        else:
            value = ""
        return shorten(value) if isinstance(value, str) else ""

    def text(self, lang: str, key: tuple[str, ...], fallback: str) -> app_commands.locale_str:
        """A translatable string: `lang`'s wording as the default, `fallback` when it has none."""
        return app_commands.locale_str(self.lookup(lang, key) or fallback, sobria=key)


class CatalogueTranslator(app_commands.Translator):
    """Gives Discord the French and English wording of every command, option and choice."""

    def __init__(self, wording: CommandWording) -> None:
        self.wording = wording

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        key = string.extras.get("sobria")
        lang = locale_lang(locale)
        if not key or lang is None:
            return None
        return self.wording.lookup(lang, key) or None


def _annotation(arg: Argument, config: Config) -> Any:
    if arg.type == "count":
        low, high = arg.bounds(config)
        return app_commands.Range[int, low, high]
    if arg.type == "flag":
        return bool
    return str


CommandHandler = Callable[[discord.Interaction, Command, dict[str, Any]], Awaitable[None]]


def slash_command(command: Command, wording: CommandWording, lang: str, handler: CommandHandler,
                  config: Config) -> app_commands.Command:
    """The Discord slash command for one catalogue entry; `handler` receives the options by name.

    The callback's signature is built from the catalogue, which is how
    discord.py learns the typed options without a hand-written function per
    command.
    """

    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        await handler(interaction, command, options)

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
    descriptions: dict[str, app_commands.locale_str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    for arg in command.args:
        default = inspect.Parameter.empty if arg.required else None
        params.append(inspect.Parameter(arg.name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(arg, config), default=default))
        descriptions[arg.name] = wording.text(lang, ("arg", command.name, arg.name), arg.name)
        if arg.choices:
            choices[arg.name] = [
                app_commands.Choice(name=wording.text(lang, ("choice", value), value), value=value) for value in arg.choices
            ]
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = command.name.replace("-", "_")
    if descriptions:
        app_commands.describe(**descriptions)(callback)
    if choices:
        app_commands.choices(**choices)(callback)
    slash = app_commands.Command(
        name=command.name,
        description=wording.text(lang, ("summary", command.name), command.name),
        callback=callback,
    )
    if command.admin_only:
        # Hidden from members without Manage Server; the engine checks again at run time.
        slash.default_permissions = discord.Permissions(manage_guild=True)
    return slash


def sender_from(interaction: discord.Interaction, admins: frozenset[str] = frozenset()) -> Sender | None:
    """Who runs the command; None outside a server (commands are per server).

    Admin: Manage Server (or Administrator) in this server, or listed in
    `[discord] admins`. Groups: the member's role ids, for team mapping.
    """
    if interaction.guild_id is None:
        return None
    user = interaction.user
    permissions = interaction.permissions
    is_admin = bool(permissions.manage_guild or permissions.administrator) or str(user.id) in admins
    roles = getattr(user, "roles", [])  # a Member in a server; @everyone is no group
    return Sender(
        workspace_id=str(interaction.guild_id),
        user_id=str(user.id),
        display_name=user.display_name,
        platform="discord",
        is_admin=is_admin,
        locale=str(interaction.locale) if interaction.locale else None,
        groups=tuple(str(role.id) for role in roles if not role.is_default()),
    )


def command_set_digest(payload: list[dict[str, Any]]) -> str:
    """A fingerprint of the command set as Discord receives it (names, options, every translation)."""
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class SyncState:
    """The fingerprint last synced per target, kept in a small JSON file of the data directory.

    Discord rate-limits command registration; comparing fingerprints makes a
    restart with an unchanged command set cost no request at all. Delete the
    file to force a new sync.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("command sync state %s unreadable (%s): commands will be synced again", self.path, exc)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def write(self, state: dict[str, str]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("could not record the command sync in %s (%s): the next start will sync again", self.path, exc)


async def sync_commands(tree: app_commands.CommandTree, application_id: int, guild_ids: tuple[int, ...],
                        state: SyncState) -> list[str]:
    """Register the commands in the listed guilds (instant) or globally, only when they changed.

    Returns the targets actually synced. A failure is logged and leaves the
    recorded fingerprint untouched, so the next start tries again.
    """
    recorded = state.read()
    synced: list[str] = []
    guilds: list[discord.Object | None] = [discord.Object(id=g) for g in guild_ids] or [None]
    for guild in guilds:
        if guild is not None:
            tree.copy_global_to(guild=guild)
        commands = tree.get_commands(guild=guild)
        translator = tree.translator
        if translator is not None:
            payload = [await c.get_translated_payload(tree, translator) for c in commands]
        else:
            payload = [c.to_dict(tree) for c in commands]
        target = f"{application_id}:{guild.id if guild else 'global'}"
        digest = command_set_digest(payload)
        if recorded.get(target) == digest:
            log.info("commands unchanged for %s: no sync", target)
            continue
        try:
            await tree.sync(guild=guild)
        except Exception as exc:  # refused, rate-limited for long, unreachable: serve anyway, retry next start
            log.error("command sync for %s failed: %r", target, exc)
            continue
        recorded[target] = digest
        state.write(recorded)
        synced.append(target)
        log.info("commands synced for %s", target)
    return synced


# ---------------------------------------------------------------------------- the client


class _Tree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        client = interaction.client
        log.error("command %s failed in guild %s: %r", getattr(interaction.command, "name", "?"), interaction.guild_id,
                  error)
        if isinstance(client, SobriaClient) and not interaction.response.is_done():
            await client.deliver(interaction, client.coach.notice("internal_error", client.lang_hint(interaction)))


def _log_unsent(what: str, guild_id: int | None, exc: Exception) -> None:
    """Log an answer that did not go out: the HTTP status when Discord refused it, else the error."""
    detail = f"HTTP {exc.status}" if isinstance(exc, discord.HTTPException) else repr(exc)
    log.warning("could not %s in guild %s: %s", what, guild_id, detail)


class SobriaClient(discord.Client):
    """discord.py client: slash commands and buttons in, coach replies out."""

    def __init__(self, coach: Coach, settings: DiscordSettings, wording: CommandWording, lang: str,
                 on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(intents=INTENTS, allowed_mentions=NO_MENTIONS)
        self.coach = coach
        self.settings = settings
        self.answer_within = ANSWER_WITHIN_S
        self.synced: list[str] = []
        self._ready_callback = on_ready
        self.closing = False  # set by `close_after_answers`: new interactions are told to come back
        self._answering = 0  # interactions whose engine call or answer is under way
        Endpoints(settings.api_url, settings.gateway_url).install(self.http)
        self.tree = _Tree(self)
        for command in coach.catalogue:
            self.tree.add_command(slash_command(command, wording, lang, self.run_command, coach.cfg))
        self._translator = CatalogueTranslator(wording)
        self._guard_interaction_parser()

    def _guard_interaction_parser(self) -> None:
        """An interaction discord.py cannot read is logged and dropped instead of ending the connection.

        discord.py parses gateway events inside its connection loop, where an
        exception raised by a malformed INTERACTION_CREATE (a missing id, an
        odd type) ends the client: one bad event would take the bot offline in
        every server. Only the parser is wrapped; discord.py is unchanged.
        """
        parsers = self._connection.parsers
        parse = parsers["INTERACTION_CREATE"]

        def guarded(data: Any) -> None:
            try:
                parse(data)
            except Exception as exc:
                fields = data if isinstance(data, dict) else {}
                log.warning("an unreadable interaction was dropped (type %r, guild %r): %s",
                            fields.get("type"), fields.get("guild_id"), type(exc).__name__)

        parsers["INTERACTION_CREATE"] = guarded

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton)
        await self.tree.set_translator(self._translator)
        if self.application_id is None:
            log.error("Discord gave no application id: commands cannot be registered")
            return
        self.synced = await sync_commands(self.tree, self.application_id, self.settings.guild_ids,
                                          SyncState(self.settings.sync_state_path))

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d server(s)", self.user, len(self.guilds))
        if self._ready_callback:
            self._ready_callback()

    # ---------------------------------------------------------------- incoming
    def lang_hint(self, interaction: discord.Interaction) -> str:
        return pick_lang(locale_lang(interaction.locale), locale_lang(interaction.guild_locale))

    async def run_command(self, interaction: discord.Interaction, command: Command, options: dict[str, Any]) -> None:
        text = argument_text(command, options)
        await self.answer(interaction, lambda sender: self.coach.handle(command.name, text, sender))

    async def on_sobria_action(self, interaction: discord.Interaction, target: ButtonId) -> None:
        sender: Sender | None = None
        if interaction.guild_id is None and target.guild_id is not None:
            sender = await self.dm_sender(interaction, target.guild_id)  # a button of a message sent in a DM
        await self.answer(interaction, lambda s: self.coach.action(target.action, target.value, s), sender=sender)

    async def dm_sender(self, interaction: discord.Interaction, guild_id: int) -> Sender | None:
        """The member behind a button pressed in a DM, if they still belong to the server the button is about.

        Never an admin: the buttons sent in DMs only change the member's own preferences.
        """
        guild = self.get_guild(guild_id)
        if guild is None:
            return None
        try:
            member = guild.get_member(interaction.user.id) or await guild.fetch_member(interaction.user.id)
        except discord.HTTPException:
            return None
        return Sender(str(guild_id), str(member.id), member.display_name, "discord", is_admin=False,
                      locale=str(interaction.locale) if interaction.locale else None,
                      groups=tuple(str(role.id) for role in member.roles if not role.is_default()))

    async def answer(self, interaction: discord.Interaction, work: Callable[[Sender], Reply],
                     sender: Sender | None = None) -> None:
        """Run `work` off the event loop, then send its reply once: acknowledged means stored.

        Neither the answer nor a deferral goes out before the engine has
        returned, so before what the command changes is stored: a crash never
        leaves a member with a confirmation of something that was not saved.
        An engine slower than `answer_within` (Discord stops waiting at 3 s)
        gets no answer in time; its reply is then posted as a message, in the
        channel when public, else by DM (`deliver_late`). The engine is called
        exactly once whatever happens to the answer, so an event is never
        stored twice; a failed answer is logged, never retried.
        """
        if self.closing:  # Discord never sends an interaction again: the member is told to, nothing is stored
            await self.deliver(interaction, self.coach.notice("restarting", self.lang_hint(interaction)))
            return
        sender = sender or sender_from(interaction, self.settings.admins)
        if sender is None:
            await self.deliver(interaction, self.coach.notice("dm_refused", self.lang_hint(interaction)))
            return
        self._answering += 1
        try:
            await self._answer(interaction, work, sender)
        finally:
            self._answering -= 1

    async def _answer(self, interaction: discord.Interaction, work: Callable[[Sender], Reply], sender: Sender) -> None:
        task = asyncio.ensure_future(asyncio.to_thread(work, sender))
        done, _ = await asyncio.wait({task}, timeout=self.answer_within)
        try:
            reply = await task
        except Exception:
            log.exception("the engine failed on an interaction in guild %s", interaction.guild_id)
            reply = self.coach.notice("internal_error", self.lang_hint(interaction))
        dm_guild = int(sender.workspace_id) if interaction.guild_id is None else None
        if done:
            await self.deliver(interaction, reply, dm_guild=dm_guild)
        else:
            await self.deliver_late(interaction, reply, int(sender.workspace_id))

    async def close_after_answers(self, within: float) -> None:
        """A graceful stop: take no more interactions (each is told to come back in a minute), let those under way
        store their change and send their answer, `within` seconds at most, then disconnect."""
        self.closing = True
        deadline = asyncio.get_running_loop().time() + within
        while self._answering and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        if self._answering:
            log.warning("stopping with %d Discord interaction(s) still unanswered", self._answering)
        await self.close()

    async def deliver_late(self, interaction: discord.Interaction, reply: Reply, guild_id: int) -> bool:
        """The reply of an interaction Discord stopped waiting for: in the channel when public, else by DM."""
        try:
            if reply.public and interaction.guild_id is not None and interaction.channel is not None:
                await self._send(interaction.channel, render(reply))
            else:
                await self._send(interaction.user, render(reply, dm_guild_id=guild_id))
            return True
        except Exception as exc:  # refused, network down, Discord unreachable: the bot must keep serving
            _log_unsent("send a late answer", interaction.guild_id, exc)
        return False

    async def deliver(self, interaction: discord.Interaction, reply: Reply, dm_guild: int | None = None) -> bool:
        """Send `reply` as the interaction's answer.

        `dm_guild`: the server a DM answer is about, written into its buttons.
        """
        out = render(reply, dm_guild)
        extra: dict[str, Any] = {}
        if out.view is not None:
            extra["view"] = out.view
        if out.files:
            extra["files"] = out.files
        try:
            await interaction.response.send_message(embed=out.embed, ephemeral=out.ephemeral,
                                                    allowed_mentions=NO_MENTIONS, **extra)
            return True
        except Exception as exc:  # refused, network down, Discord unreachable: the bot must keep serving
            _log_unsent("answer an interaction", interaction.guild_id, exc)
        return False

    # ---------------------------------------------------------------- outgoing
    async def _until_ready(self) -> None:
        if not self.is_ready():
            await asyncio.wait_for(self.wait_until_ready(), timeout=POST_TIMEOUT_S)

    @staticmethod
    async def _send(destination: Any, out: Outgoing) -> None:
        extra: dict[str, Any] = {}
        if out.view is not None:
            extra["view"] = out.view
        if out.files:
            extra["files"] = out.files
        await destination.send(embed=out.embed, allowed_mentions=NO_MENTIONS, **extra)

    async def post(self, guild_id: int, channel_id: int, reply: Reply) -> bool:
        """Post `reply` in a channel of `guild_id`; refuses a channel of another server."""
        await self._until_ready()
        channel = self.get_channel(channel_id)
        if channel is None:
            channel = await self.fetch_channel(channel_id)
        guild = getattr(channel, "guild", None)
        if guild is None or guild.id != guild_id or not hasattr(channel, "send"):
            log.warning("channel %s is not a text channel of server %s: message not posted", channel_id, guild_id)
            return False
        await self._send(channel, render(reply))
        return True

    async def direct(self, guild_id: int, user_id: int, reply: Reply) -> bool:
        """Send `reply` by DM to a member of `guild_id` (its buttons name the server); refuses a non-member."""
        await self._until_ready()
        guild = self.get_guild(guild_id)
        if guild is None:
            log.warning("not in server %s: direct message not sent", guild_id)
            return False
        try:
            member = guild.get_member(user_id) or await guild.fetch_member(user_id)
        except discord.NotFound:
            log.warning("user %s is not a member of server %s: direct message not sent", user_id, guild_id)
            return False
        await self._send(member, render(reply, dm_guild_id=guild_id))
        return True


# ---------------------------------------------------------------------------- the adapter


class DiscordAdapter:
    """Runs the Discord client in its own event loop, in whatever thread calls `run_forever`."""

    sends_direct = True

    def __init__(self, coach: Coach, config: Config) -> None:
        self.coach = coach
        self.config = config
        self.settings = settings_from(config)
        self.wording = CommandWording(Renderer())
        self.ready = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: SobriaClient | None = None
        self._loop_thread: int | None = None

    @property
    def client(self) -> SobriaClient | None:
        return self._client

    def run_forever(self) -> None:
        """Connect and serve until `stop()`; a refused token is logged and ends the run."""
        if self._stopping.is_set():
            return
        asyncio.run(self._main())

    async def _main(self) -> None:
        endpoints = Endpoints(self.settings.api_url, self.settings.gateway_url)
        async_context.set(_RoutedWebhooks(endpoints))  # this loop's tasks inherit it
        client = SobriaClient(self.coach, self.settings, self.wording, self.config.lang, on_ready=self.ready.set)
        with self._lock:
            if self._stopping.is_set():
                return
            self._loop, self._client = asyncio.get_running_loop(), client
            self._loop_thread = threading.get_ident()
        try:
            async with client:
                await client.start(self.settings.token, reconnect=True)
        except discord.LoginFailure:
            log.error("Discord refused the bot token: check %s or [discord] token", TOKEN_ENV)
        except Exception:
            log.exception("the Discord connection ended")
        finally:
            with self._lock:
                self._loop = self._client = None
                self._loop_thread = None
            self.ready.clear()

    def stop(self) -> None:
        """Disconnect once the interactions under way are answered (`SobriaClient.close_after_answers`);
        `run_forever` then returns. Safe from any thread, and more than once."""
        self._stopping.set()
        with self._lock:
            loop, client, loop_thread = self._loop, self._client, self._loop_thread
        if loop is None or client is None:
            return
        future = asyncio.run_coroutine_threadsafe(client.close_after_answers(DRAIN_S), loop)
        if threading.get_ident() == loop_thread:
            return
        try:
            future.result(timeout=DRAIN_S + STOP_TIMEOUT_S)
        except Exception as exc:  # closing is best effort; the loop ends with the thread anyway
            log.warning("Discord client did not close cleanly: %r", exc)

    def serves(self, workspace_id: str) -> bool:
        """Whether `workspace_id` is a server this bot is in (the scheduler asks before offering a summary)."""
        client = self._client
        if client is None or not str(workspace_id).isdigit():
            return False
        return client.get_guild(int(workspace_id)) is not None

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        """Post `reply` in `channel_id` of server `workspace_id`; False (and a log line) on any failure."""
        return self._call_in_loop(lambda client, ws, cid: client.post(ws, cid, reply), workspace_id, channel_id,
                                  f"channel {channel_id}")

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        """Send `reply` by DM to member `user_id` of server `workspace_id` (weekly nudges). Never raises."""
        return self._call_in_loop(lambda client, ws, uid: client.direct(ws, uid, reply), workspace_id, user_id,
                                  f"user {user_id}")

    def _call_in_loop(self, make: Callable[[SobriaClient, int, int], Awaitable[bool]], workspace_id: str, target: str,
                      what: str) -> bool:
        """Run a sending coroutine in the client's loop from another thread; False on any failure."""
        with self._lock:
            loop, client, loop_thread = self._loop, self._client, self._loop_thread
        if loop is None or client is None:
            log.warning("Discord is not connected: message to %s of server %s not sent", what, workspace_id)
            return False
        if threading.get_ident() == loop_thread:
            log.error("Discord messages to %s must be sent from another thread than the Discord event loop", what)
            return False
        try:
            guild_id, target_id = int(workspace_id), int(target)
        except (TypeError, ValueError):
            log.warning("not a Discord server/target id pair: %r/%r", workspace_id, target)
            return False
        future = asyncio.run_coroutine_threadsafe(make(client, guild_id, target_id), loop)
        try:
            return future.result(timeout=POST_TIMEOUT_S + 5)
        except concurrent.futures.TimeoutError:
            future.cancel()
            log.warning("message to %s of server %s timed out", what, workspace_id)
        except discord.HTTPException as exc:
            log.warning("Discord refused the message to %s of server %s: HTTP %s", what, workspace_id, exc.status)
        except Exception:
            log.exception("message to %s of server %s failed", what, workspace_id)
        return False
