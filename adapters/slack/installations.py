"""slack_sdk's InstallationStore and OAuthStateStore, kept in Sobria's own store.

Bolt's OAuth flow saves each workspace's installation (its bot token, and the
refresh token when token rotation is on) through an `InstallationStore`, and
its per-request authorisation finds the token there; the flow's `state` goes
through an `OAuthStateStore`. These two classes implement slack_sdk's
interfaces over `bot.store.installations` (PostgreSQL tables, or a file of
the embedded store), so every process behind a load balancer shares them and
the engine stays free of Slack's types.

Records: the latest installation of a workspace (user "" ), the installer's
own (user = their id), and the bot (kind "bot"), as slack_sdk's SQL store
keeps them, stored as JSON (`Installation.to_dict_for_copying`, dates as
epoch seconds).
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import datetime
from typing import Any, Callable

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from bot.store.installations import Installations

PLATFORM = "slack"
INSTALLATION, BOT = "installation", "bot"
STATE_SECONDS = 600  # how long an install page's state stays valid (bolt's default)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """slack_sdk's dict with its datetimes as epoch seconds, so that it is JSON."""
    out = {}
    for key, value in values.items():
        if isinstance(value, datetime):
            value = int(value.timestamp()) if key.endswith("expires_at") else value.timestamp()
        out[key] = value
    return out


def _ids(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> tuple[str, str]:
    """The (enterprise, team) address: an organisation-wide install is addressed by its enterprise alone."""
    if is_enterprise_install:
        team_id = None
    return enterprise_id or "", team_id or ""


class StoreInstallationStore(InstallationStore):
    """slack_sdk's InstallationStore over `bot.store.installations.Installations`."""

    def __init__(self, installs: Installations) -> None:
        self.installs = installs
        self._logger = logging.getLogger("sobria.slack.installations")

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def save(self, installation: Installation) -> None:
        enterprise, team = _ids(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        record = _plain(installation.to_dict_for_copying())
        self.installs.save(PLATFORM, INSTALLATION, enterprise, team, "", record)
        if installation.user_id:
            self.installs.save(PLATFORM, INSTALLATION, enterprise, team, installation.user_id, record)
        if installation.bot_token:
            self.save_bot(installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        enterprise, team = _ids(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        self.installs.save(PLATFORM, BOT, enterprise, team, "", _plain(bot.to_dict_for_copying()))

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        enterprise, team = _ids(enterprise_id, team_id, is_enterprise_install)
        record = self.installs.find(PLATFORM, BOT, enterprise, team, "")
        return Bot(**record) if record else None

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        enterprise, team = _ids(enterprise_id, team_id, is_enterprise_install)
        record = self.installs.find(PLATFORM, INSTALLATION, enterprise, team, user_id or "")
        if record is None:
            return None
        if user_id is None:
            # the latest installation carries the bot token of the latest bot saved (a rotation saves both)
            bot = self.installs.find(PLATFORM, BOT, enterprise, team, "")
            if bot is None:
                return None  # the bot's tokens were revoked: nothing left to act with
            for key in ("bot_token", "bot_refresh_token", "bot_token_expires_at", "bot_id", "bot_user_id"):
                record[key] = bot.get(key)
        return Installation(**record)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The bot's tokens revoked: its record goes and so do the installations that carry a copy of its token."""
        enterprise, team = _ids(enterprise_id, team_id, False)  # a team of None: the organisation-wide install
        self.installs.delete(PLATFORM, enterprise, team)

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                            user_id: str | None = None) -> None:
        enterprise, team = _ids(enterprise_id, team_id, False)
        self.installs.delete(PLATFORM, enterprise, team, kind=INSTALLATION, user=user_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        enterprise, team = _ids(enterprise_id, team_id, False)  # a team of None: the organisation-wide install
        self.installs.delete(PLATFORM, enterprise, team)


class StoreOAuthStateStore(OAuthStateStore):
    """slack_sdk's OAuthStateStore over `Installations`: each state is consumed once, before it expires."""

    def __init__(self, installs: Installations, expiration_seconds: int = STATE_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self.installs, self.expiration_seconds, self.clock = installs, expiration_seconds, clock
        self._logger = logging.getLogger("sobria.slack.installations")

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        self.installs.add_state(state, self.clock() + self.expiration_seconds)
        return state

    def consume(self, state: str) -> bool:
        if not state:
            return False
        return self.installs.consume_state(state, self.clock())
