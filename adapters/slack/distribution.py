"""Slack distribution: one Sobria that many workspaces install with "Add to Slack".

On when `[slack] client_id` is set (HTTP mode; no bot token in the config).
Everything else about Slack (listeners, layout, delivery) is `SlackAdapter`'s;
this subclass changes where tokens and admins come from:

* **Install.** bolt's OAuth flow (`slack_bolt.oauth.OAuthFlow`, with
  `OAuthSettings`) serves `GET /slack/install` (our page, in the browser's
  language, with the "Add to Slack" link and a one-time `state`) and
  `GET /slack/oauth_redirect` (the state checked and consumed, the code
  exchanged with `oauth.v2.access`, the installation saved). Installations and
  states live in Sobria's store (`adapters/slack/installations.py` over
  `bot/store/installations.py`), so every process behind a load balancer
  shares them. The installer gets a direct message saying what happens to the
  data on uninstall and how to export it first: after an uninstall the bot has
  no token left to say anything, so it is said at install time (and on the
  install pages, and in docs/hosting.md).
* **Tokens.** bolt's `InstallationStoreAuthorize` finds the workspace's bot
  token for each request and, when Slack's token rotation is on (the
  installation came with a refresh token), refreshes it with
  `oauth.v2.access grant_type=refresh_token` shortly before it expires
  (`TokenRotator`). The adapter calls Slack through one client whose
  token is a context variable: set for each request from bolt's answer (a
  middleware), carried into the work the request queues, and looked up the
  same way for the scheduled posts, which run outside any request
  (`_acting_for`). Nothing about a token is cached beyond bolt's `auth.test`
  answer.
* **Uninstall.** `app_uninstalled`, and `tokens_revoked` for the bot, delete
  the workspace's tokens at once (before Slack gets its acknowledgement: a
  failure is answered 500 so Slack retries) and mark the workspace; the daily
  upkeep deletes its data `[store] uninstall_grace_days` later
  (`bot.store.installations.purge_uninstalled`), unless it installs again.
* **Admins** are each workspace's own: its admins and owners (`users.info`)
  and the member who installed Sobria; the config's admin lists, which would
  make someone an admin of every company, must be empty.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Iterator, Mapping

from slack_bolt import App
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation import TokenRotator
from slack_sdk.oauth.token_rotation.rotator import SlackTokenRotationError

from bot.core.coach import Coach
from bot.core.config import Config, SlackSection
from bot.core.errors import ConfigError
from bot.core.identity import Sender
from bot.core.render import paragraphs, pick_lang
from bot.core.reply import Reply
from bot.store.installations import installations_for

from adapters.slack import blocks as slack_blocks
from adapters.slack.app import (API_TIMEOUT, Origin, SlackAdapter, UserDirectory, _RefuseMalformed,
                                _api_error, workspace_id)
from adapters.slack.installations import StoreInstallationStore, StoreOAuthStateStore
from adapters.slack.manifest import BOT_SCOPES

log = logging.getLogger("sobria.slack.distribution")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
ROTATE_MINUTES = 120  # refresh a rotating token this long before it expires (bolt's default; tokens last 12 h)
_LOCAL = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")

_TOKEN: contextvars.ContextVar[str | None] = contextvars.ContextVar("sobria_slack_token", default=None)
_WORKSPACE: contextvars.ContextVar[str] = contextvars.ContextVar("sobria_slack_workspace", default="")


def check_distribution(s: SlackSection, source: str | None = None) -> None:
    """Refuse a distribution that cannot work, naming the key, before anything listens."""
    env = SlackSection.env_name
    if s.mode != "http":
        raise ConfigError("slack.mode", '"http" with client_id set: Slack calls a distributed app over HTTPS',
                          s.mode, source)
    if not s.client_secret:
        raise ConfigError("slack.client_secret", f"the app's Client Secret (or {env('client_secret')})", None, source)
    if not s.signing_secret:
        raise ConfigError("slack.signing_secret", f"the app's Signing Secret (or {env('signing_secret')})", None,
                          source)
    if not (s.public_url.startswith("https://") or _LOCAL.match(s.public_url)):
        raise ConfigError("slack.public_url", 'the https address of this server, e.g. "https://sobria.example.org"',
                          s.public_url or None, source)
    if s.admins:
        raise ConfigError("slack.admins", "an empty list with client_id set: each workspace's admins are its own",
                          None, source)


def split_workspace(workspace: str) -> tuple[str | None, str | None]:
    """(enterprise, team) of a workspace id made by `workspace_id` ("E:T", or "T" outside Enterprise Grid)."""
    enterprise, _, team = workspace.rpartition(":")
    return (enterprise or None), (team or None)


class _WorkspaceClient(WebClient):
    """A WebClient whose token is that of the workspace the current thread serves (see `_acting_for`).

    `SlackAdapter` calls Slack through one client; with many workspaces, that
    client must use the right token for each call. A context variable, set
    around each piece of work, keeps the adapter's code unchanged and cannot
    leak a token to another thread's work.
    """

    @property  # type: ignore[override]
    def token(self) -> str | None:
        return _TOKEN.get()

    @token.setter
    def token(self, value: str | None) -> None:
        pass  # WebClient's constructor sets it; the workspace's token is always the one in use

    def api_call(self, api_method: str, **kwargs: Any) -> Any:  # type: ignore[override]
        """Slack's call, or SlackClientError at once when the workspace has no token (uninstalled meanwhile):
        nothing is sent without one, except `api.test`, which needs none."""
        if _TOKEN.get() is None and api_method != "api.test":
            raise SlackClientError(f"{api_method} not called: the workspace has no installation")
        return super().api_call(api_method, **kwargs)


class _App(App):
    """bolt's App, each request dispatched in a context of its own: the token a middleware sets for it
    (`DistributedSlackAdapter._serve_with_token`) never outlives it in the server's thread."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        return contextvars.copy_context().run(self._dispatch_fresh, req)

    def _dispatch_fresh(self, req: BoltRequest) -> BoltResponse:
        _TOKEN.set(None)
        _WORKSPACE.set("")
        return super().dispatch(req)


class _Authorize(InstallationStoreAuthorize):
    """bolt's authorisation from the installation store, refreshing tokens through the adapter's `_rotate`
    (one refresh at a time; see there) instead of on its own."""

    def __init__(self, *, rotate: Callable[[Installation], Installation | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rotate = rotate

    def _rotate_and_save_tokens_if_necessary(self, installation: Installation | None) -> Installation | None:
        if installation is None or not installation.bot_refresh_token:
            return None
        return self._rotate(installation)


class SobriaOAuthFlow(OAuthFlow):
    """bolt's OAuth flow with Sobria's install page (in French or English, wording from the templates)."""

    def __init__(self, *, page: Callable[..., str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._page = page

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return self._page("install", request, url=url)


def _first(query: Mapping[str, Any], key: str) -> str | None:
    values = query.get(key) or []
    return str(values[0]) if values else None


def request_lang(request: BoltRequest, default: str) -> str:
    """The page's language: `?lang=`, else the browser's first language Sobria speaks, else the config's."""
    accepted = [part.split(";")[0].strip() for part in str((request.headers.get("accept-language") or [""])[0])
                .split(",")]
    return pick_lang(_first(request.query, "lang"), *accepted, default)


class DistributedSlackAdapter(SlackAdapter):
    """The Slack front-end for many workspaces; see the module docstring."""

    def __init__(self, coach: Coach, config: Config, env: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        if config.admins:
            raise ConfigError("bot.admins", "an empty list when Slack is distributed (client_id set): each "
                              "workspace's admins are its own", None, config.source)
        self.clock = clock
        self.installs = installations_for(coach.store)
        self.installation_store = StoreInstallationStore(self.installs)
        self._directories: dict[str, UserDirectory] = {}
        self._rotation_lock = threading.Lock()
        super().__init__(coach, config, env)
        self.admin_ids = frozenset()

    # ------------------------------------------------------------------ wiring
    def _make_app(self, bolt_log: logging.Logger) -> App:
        s = self.settings
        # the clients SlackAdapter.__init__ made for one token give way to one that uses each workspace's
        self.web = _WorkspaceClient(base_url=s.api_url, timeout=API_TIMEOUT, retry_handlers=self._retry_handlers,
                                    logger=logging.getLogger("sobria.slack.api"))
        # slack_sdk logs each request and answer at DEBUG, and oauth.v2.access's carry the tokens: this client's
        # log stops at INFO whatever the bot's level (its failures are still logged)
        oauth_log = logging.getLogger("sobria.slack.oauth")
        oauth_log.setLevel(logging.INFO)
        oauth_web = WebClient(base_url=s.api_url, timeout=API_TIMEOUT, retry_handlers=self._retry_handlers,
                              logger=oauth_log)  # no token of its own: oauth.v2.access, and auth.test with one given
        self.rotator = TokenRotator(client_id=s.client_id, client_secret=s.client_secret, client=oauth_web)
        settings = OAuthSettings(
            client_id=s.client_id, client_secret=s.client_secret, scopes=list(BOT_SCOPES), user_scopes=[],
            redirect_uri=f"{s.public_url}{REDIRECT_PATH}", install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
            installation_store=self.installation_store, token_rotation_expiration_minutes=ROTATE_MINUTES,
            state_store=StoreOAuthStateStore(self.installs, clock=self.clock),
            callback_options=CallbackOptions(success=self._installed, failure=self._not_installed),
            logger=bolt_log)
        authorize = _Authorize(
            rotate=self._rotate, logger=bolt_log, installation_store=self.installation_store, client_id=s.client_id,
            client_secret=s.client_secret, token_rotation_expiration_minutes=ROTATE_MINUTES,
            cache_enabled=True,  # one auth.test per token, not per request (a rotated token is a new key)
            client=oauth_web)
        flow = SobriaOAuthFlow(page=self._page, client=oauth_web, logger=bolt_log, settings=settings)
        app = _App(client=self.web, signing_secret=s.signing_secret, oauth_flow=flow,
                   installation_store=self.installation_store, authorize=authorize, logger=bolt_log, name="sobria",
                   process_before_response=True, before_authorize=_RefuseMalformed())
        app.use(self._serve_with_token)
        return app

    def _register(self) -> None:
        super()._register()

        def uninstalled(ack: Callable[..., Any], context: Any) -> None:
            self._forget_tokens(context.enterprise_id, context.team_id)
            ack()

        def revoked(ack: Callable[..., Any], event: dict[str, Any], context: Any) -> None:
            tokens = event.get("tokens") or {}
            for user in tokens.get("oauth") or []:
                self.installation_store.delete_installation(enterprise_id=context.enterprise_id,
                                                            team_id=context.team_id, user_id=user)
            if tokens.get("bot"):
                self._forget_tokens(context.enterprise_id, context.team_id)
            ack()

        self.app.event("app_uninstalled")(uninstalled)
        self.app.event("tokens_revoked")(revoked)

    def _forget_tokens(self, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete the workspace's tokens now; its data waits for the grace period (the daily upkeep)."""
        self.installation_store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        workspace = workspace_id(enterprise_id, team_id)
        self.installs.mark_uninstalled(workspace, self.clock())
        log.info("Sobria uninstalled from workspace %s: its tokens are deleted, its data will be in %d days",
                 workspace, self.config.store.uninstall_grace_days)

    # ------------------------------------------------------------------ tokens
    def installation(self, workspace: str) -> Installation | None:
        """The workspace's latest installation (a team's, else its organisation's), its token refreshed if due."""
        found = self._find(workspace)
        if found is None or not found.bot_refresh_token:
            return found
        return self._rotate(found) or found

    def _find(self, workspace: str) -> Installation | None:
        enterprise, team = split_workspace(workspace)
        found = self.installation_store.find_installation(enterprise_id=enterprise, team_id=team)
        if found is None and enterprise:
            found = self.installation_store.find_installation(enterprise_id=enterprise, team_id=None,
                                                              is_enterprise_install=True)
        return found

    def _rotate(self, installation: Installation) -> Installation | None:
        """Refresh a rotating token due to expire (None when not due), for bolt's requests and for our own work.

        A refresh token is spent once: two threads refreshing at the same time
        would have one of them refused. Refreshes are therefore taken one at a
        time, each re-reading the installation first (the previous one may have
        refreshed it already); and when another process got there first,
        Slack's refusal is followed by reading the token it saved.
        """
        expires = installation.bot_token_expires_at
        if expires is not None and expires > time.time() + ROTATE_MINUTES * 60:
            return None  # the usual case, decided without the lock or the store
        workspace = workspace_id(installation.enterprise_id, installation.team_id)
        with self._rotation_lock:
            current = self._find(workspace) or installation
            if current.bot_token != installation.bot_token:
                return current  # refreshed meanwhile by another thread
            try:
                refreshed = self.rotator.perform_token_rotation(installation=current,
                                                                minutes_before_expiration=ROTATE_MINUTES)
            except SlackTokenRotationError:
                latest = self._find(workspace)
                if latest is not None and latest.bot_token != current.bot_token:
                    return latest  # another process refreshed it
                raise
            if refreshed is not None:
                self.installation_store.save(refreshed)
                log.info("bot token of workspace %s refreshed", workspace)
            return refreshed

    @contextmanager
    def _acting_for(self, workspace: str) -> Iterator[str | None]:
        """Within the block, Slack calls of this thread use `workspace`'s bot token (None when it has none)."""
        try:
            installed = self.installation(workspace)
        except (SlackApiError, SlackClientError, OSError) as exc:  # the token could not be refreshed
            log.warning("no usable token for workspace %s: %s", workspace, _api_error(exc))
            installed = None
        except Exception as exc:  # slack_sdk's SlackTokenRotationError, a store error
            log.warning("no usable token for workspace %s: %s", workspace, type(exc).__name__)
            installed = None
        token = installed.bot_token if installed else None
        tokens, workspaces = _TOKEN.set(token), _WORKSPACE.set(workspace)
        try:
            yield token
        finally:
            _TOKEN.reset(tokens)
            _WORKSPACE.reset(workspaces)

    @property  # type: ignore[override]
    def users(self) -> UserDirectory:
        """The users.info cache of the workspace being served (names and roles are per workspace)."""
        workspace = _WORKSPACE.get()
        with self._lock:
            directory = self._directories.get(workspace)
            if directory is None:
                directory = self._directories[workspace] = UserDirectory(self.web)
            return directory

    @users.setter
    def users(self, value: UserDirectory) -> None:
        pass  # SlackAdapter.__init__ sets one directory; here there is one per workspace

    # ------------------------------------------------------------------ the work, each in its workspace
    def _serve_with_token(self, context: Any, next: Callable[[], Any]) -> None:  # noqa: A002 (bolt's name)
        """bolt middleware, after its authorisation: this request's work uses the token bolt found (and rotated)."""
        _TOKEN.set(context.bot_token)
        _WORKSPACE.set(workspace_id(context.enterprise_id, context.team_id))
        next()

    def _queue(self, work: Callable[..., None], *args: Any) -> None:
        """As SlackAdapter's, the work running with the token of the request (or the work) that queued it."""
        context = contextvars.copy_context()

        @functools.wraps(work)
        def in_context(*values: Any) -> None:
            context.run(work, *values)

        super()._queue(in_context, *args)

    def _refresh_due_home(self, key: tuple[str, str]) -> None:
        with self._acting_for(key[0]):
            super()._refresh_due_home(key)

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        with self._acting_for(workspace_id):
            return super().post_to_channel(workspace_id, channel_id, reply)

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        with self._acting_for(workspace_id):
            return super().send_direct(workspace_id, user_id, reply)

    def serves(self, workspace_id: str) -> bool:
        """Whether the workspace has Sobria installed (the scheduler asks before offering it a summary)."""
        try:
            enterprise, team = split_workspace(workspace_id)
            return self.installation_store.find_bot(enterprise_id=enterprise, team_id=team) is not None
        except Exception:
            log.exception("cannot tell whether workspace %s is installed", workspace_id)
            return False

    def _check_workspace(self, workspace_id: str, destination: str) -> bool:
        if _TOKEN.get() is None:
            log.warning("not posting to %s: workspace %s has no installation", destination, workspace_id)
            return False
        return True

    def _sender(self, context: Origin, fallback_name: str | None, fresh: bool = False) -> Sender:
        """As SlackAdapter's (admins and owners from users.info), and the installer is an admin too."""
        sender = super()._sender(context, fallback_name, fresh)
        if sender.is_admin or not sender.user_id:
            return sender
        try:
            enterprise, team = split_workspace(sender.workspace_id)
            latest = self.installation_store.find_installation(enterprise_id=enterprise, team_id=team)
        except Exception:
            log.exception("cannot read the installation of workspace %s", sender.workspace_id)
            return sender
        return replace(sender, is_admin=True) if latest and latest.user_id == sender.user_id else sender

    def identity(self) -> dict[str, Any]:
        """No single identity: each workspace has its own bot user. An empty answer (nothing is called)."""
        return {}

    def _start_up(self) -> bool:
        """Nothing to check with Slack before listening: there is no configured token (see /readyz)."""
        return not self._stopping.is_set()

    # ------------------------------------------------------------------ the install pages
    def _page(self, page: str, request: BoltRequest, **values: Any) -> str:
        lang = request_lang(request, self.config.lang)
        return self.coach.r.template(lang, "install.html.j2", html=True).render(
            page=page, days=self.config.store.uninstall_grace_days, install_path=INSTALL_PATH, **values)

    def _installed(self, args: SuccessArgs) -> BoltResponse:
        """The code was exchanged and the installation saved: a reinstall in time keeps the data; welcome."""
        installation = args.installation
        workspace = workspace_id(installation.enterprise_id, installation.team_id)
        if self.installs.clear_uninstalled(workspace):
            log.info("workspace %s installed Sobria again within the grace period: its data is kept", workspace)
        log.info("Sobria installed in workspace %s", workspace)
        if installation.user_id:
            self._queue(self._welcome, workspace, installation.user_id)
        team = installation.team_name or installation.enterprise_name or ""
        return BoltResponse(status=200, body=self._page("done", args.request, team=team),
                            headers={"Content-Type": "text/html; charset=utf-8"})

    def _not_installed(self, args: FailureArgs) -> BoltResponse:
        log.warning("an installation failed: %s", args.reason)
        return BoltResponse(status=args.suggested_status_code,
                            body=self._page("failed", args.request, reason=args.reason),
                            headers={"Content-Type": "text/html; charset=utf-8"})

    def _welcome(self, workspace: str, user_id: str) -> None:
        """Tell the installer, in their language, how admins work and what happens to the data on uninstall."""
        with self._acting_for(workspace):
            user = self.users.lookup(user_id)
            lang = pick_lang(user.locale if user else None, self.config.lang)
            words = self.coach.words(lang, "install")
            reply = Reply(kind="installed", title=words("title"),
                          lines=paragraphs(words("body", self.config.store.uninstall_grace_days)), lang=lang)
            self._post(lambda: self.web.chat_postMessage(channel=user_id, **slack_blocks.message(reply)),
                       "chat.postMessage")
