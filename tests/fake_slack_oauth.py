"""A fake Slack for a distributed app: several workspaces, each with its own bot token, and the OAuth exchange.

Extends tests/fake_slack.py's FakeSlack (the Web API, response URLs, the
records of every call) with what "Add to Slack" involves:

* `oauth.v2.access` with a code (checked against the app's client id and
  secret, sent as HTTP Basic as slack_sdk does) answers an installation with
  a new bot token for the code's workspace; with `grant_type=refresh_token`
  it rotates the token (a new access token and a new refresh token, the old
  refresh token refused afterwards), as Slack does when the app has token
  rotation on (https://docs.slack.dev/authentication/using-token-rotation);
* every other method answers for the workspace of the token it was called
  with (`auth.test`, `users.info`), and refuses a token it never issued, one
  revoked, or one expired (`token_expired`);
* `api.test` (no token) answers ok, as FakeSlack's: what /readyz asks.
"""

from __future__ import annotations

import base64
import itertools
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fake_slack import FakeSlack


@dataclass
class Token:
    team: str
    expires_at: float | None = None
    revoked: bool = False


class FakeSlackOAuth(FakeSlack):
    """See the module docstring. `expires_in` set: tokens rotate (and expire after that many seconds)."""

    def __init__(self, client_id: str, client_secret: str, expires_in: int | None = None) -> None:
        super().__init__()
        self.client_id, self.client_secret, self.expires_in = client_id, client_secret, expires_in
        self.codes: dict[str, tuple[str, str, str]] = {}  # code -> (team, team name, installer)
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> team
        self.team_users: dict[str, dict[str, dict[str, Any]]] = {}
        self._numbers = itertools.count(1)

    # ------------------------------------------------------------------ scripting
    def add_code(self, code: str, team: str, installer: str, team_name: str = "") -> None:
        """A code Slack hands the browser once `installer` has approved the install in `team`."""
        self.codes[code] = (team, team_name or f"Team {team}", installer)

    def add_member(self, team: str, user_id: str, name: str, *, admin: bool = False, locale: str = "fr-FR") -> None:
        self.team_users.setdefault(team, {})[user_id] = {
            "id": user_id, "team_id": team, "name": name.lower(), "real_name": name, "is_admin": admin,
            "is_owner": False, "is_primary_owner": False, "locale": locale,
            "profile": {"display_name": name, "real_name": name}}

    def tokens_of(self, team: str) -> list[str]:
        """Every bot token issued to `team`, oldest first."""
        return [t for t, info in self.tokens.items() if info.team == team]

    def expire(self, token: str) -> None:
        self.tokens[token].expires_at = time.time() - 1

    # ------------------------------------------------------------------ answers
    def _issue(self, team: str) -> dict[str, Any]:
        n = next(self._numbers)
        rotating = self.expires_in is not None
        token = f"xoxe.xoxb-{team}-{n}" if rotating else f"xoxb-{team}-{n}"
        self.tokens[token] = Token(team, time.time() + self.expires_in if rotating else None)  # type: ignore[operator]
        answer: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        if rotating:
            refresh = f"xoxe-1-{team}-{n}"
            self.refresh_tokens[refresh] = team
            answer.update(refresh_token=refresh, expires_in=self.expires_in)
        return answer

    def _client_ok(self, request: web.Request, params: dict[str, Any]) -> bool:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
        return (client_id, secret) == (self.client_id, self.client_secret)

    def _answer(self, method: str, params: dict[str, Any], request: web.Request) -> dict[str, Any]:
        if method == "oauth.v2.access":
            if not self._client_ok(request, params):
                return {"ok": False, "error": "invalid_client_id"}
            if params.get("grant_type") == "refresh_token":
                team = self.refresh_tokens.pop(params.get("refresh_token", ""), None)
                if team is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                return {"ok": True, "app_id": "A0001", "team": {"id": team}, **self._issue(team)}
            found = self.codes.pop(params.get("code", ""), None)  # a code works once
            if found is None:
                return {"ok": False, "error": "invalid_code"}
            team, name, installer = found
            return {"ok": True, "app_id": "A0001", "scope": "chat:write,commands,users:read",
                    "bot_user_id": f"UBOT{team}", "team": {"id": team, "name": name}, "enterprise": None,
                    "is_enterprise_install": False, "authed_user": {"id": installer}, **self._issue(team)}
        if method == "api.test":
            return super()._answer(method, params, request)
        token = request.headers.get("Authorization", "")[7:] or params.get("token", "")
        info = self.tokens.get(token)
        if info is None or info.revoked:
            return {"ok": False, "error": "invalid_auth"}
        if info.expires_at is not None and info.expires_at < time.time():
            return {"ok": False, "error": "token_expired"}
        if method == "auth.test":
            return {"ok": True, "url": f"https://{info.team.lower()}.slack.com/", "team": info.team,
                    "user": "sobria", "team_id": info.team, "user_id": f"UBOT{info.team}", "bot_id": f"B{info.team}",
                    "enterprise_id": None, "is_enterprise_install": False}
        if method == "users.info":
            user = self.team_users.get(info.team, {}).get(params.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        return super()._answer(method, params, request)
