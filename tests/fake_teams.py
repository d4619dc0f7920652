"""A local stand-in for Microsoft's side of a Teams bot, on 127.0.0.1, for tests.

It plays two services at one address:

* the Bot Framework's OpenID metadata and signing keys
  (`/v1/.well-known/openidconfiguration` and `/v1/.well-known/keys`), with an
  RSA key generated for the run: `token()` signs the Bearer tokens that Teams
  would send with each activity, so the Teams SDK validates every test request
  as it validates Teams' (signature, issuer, audience, expiry, serviceurl);
* the Bot Connector service that an activity's `serviceUrl` names:
  `POST /v3/conversations/{id}/activities` (a reply or a proactive message)
  and `POST /v3/conversations` (a personal chat opened by the bot) are
  recorded in `sent` with the Authorization header they carried, and answered
  as the Connector answers.

`activity()` builds the activities Teams POSTs to the bot's messaging
endpoint; `post()` sends one there, signed.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "72f988bf-0000-4000-8000-000000000001"
BOT_ID = f"28:{APP_ID}"
# What the bot's token provider hands out in tests: a token as Entra would issue it for the Bot Framework (the SDK
# reads its claims; only the Connector, here the fake, checks it).
OUTBOUND_TOKEN = jwt.encode({"aud": "https://api.botframework.com", "appid": APP_ID, "exp": 4102444800},
                            "entra-side-secret-of-the-fake-32b", algorithm="HS256")
ISSUER = "https://api.botframework.com"
KID = "sobria-test-key"


@dataclass
class Sent:
    """One call the bot made to the Connector."""

    path: str
    body: dict[str, Any]
    authorization: str

    @property
    def conversation(self) -> str:
        return self.path.split("/")[3] if self.path.count("/") >= 4 else ""

    def card(self) -> dict[str, Any]:
        """The Adaptive Card of a message (its first attachment's content)."""
        return self.body["attachments"][0]["content"]


@dataclass
class FakeTeams:
    """See the module docstring. Use as a context manager."""

    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537,
                                                                                  key_size=2048))
    sent: list[Sent] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    refuse: bool = False  # answer 403 to every send (a bot removed meanwhile)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/v1/.well-known/openidconfiguration":
                    self._json(200, {"issuer": ISSUER, "jwks_uri": f"{fake.url}/v1/.well-known/keys",
                                     "id_token_signing_alg_values_supported": ["RS256"]})
                elif self.path == "/v1/.well-known/keys":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(fake.key.public_key()))
                    self._json(200, {"keys": [{**jwk, "kid": KID, "use": "sig", "endorsements": ["msteams"]}]})
                else:
                    self._json(404, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                auth = self.headers.get("Authorization", "")
                if fake.refuse:
                    self._json(403, {"error": {"code": "BotNotInConversationRoster"}})
                    return
                if self.path == "/v3/conversations":
                    conversation = f"a:personal-{next(fake._ids)}"
                    with fake._changed:
                        fake.created.append({**body, "id": conversation, "authorization": auth})
                        fake._changed.notify_all()
                    self._json(201, {"id": conversation})
                elif self.path.startswith("/v3/conversations/") and self.path.endswith("/activities"):
                    with fake._changed:
                        fake.sent.append(Sent(self.path, body, auth))
                        fake._changed.notify_all()
                    self._json(201, {"id": f"activity-{next(fake._ids)}"})
                else:
                    self._json(404, {})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.metadata_url = f"{self.url}/v1/.well-known/openidconfiguration"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeTeams":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------------ what Teams sends
    def token(self, *, audience: str = APP_ID, issuer: str = ISSUER, service_url: str | None = None,
              expires_in: float = 600, key: rsa.RSAPrivateKey | None = None) -> str:
        """A Bot Framework token as Teams sends it with an activity, signed with this fake's key (or `key`)."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "iat": now - 5, "nbf": now - 5, "exp": int(now + expires_in),
                  "serviceurl": service_url or self.url}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KID})

    def activity(self, text: str = "", *, user: str = "u1", name: str = "Camille Martin",
                 conversation_type: str = "personal", conversation: str | None = None, locale: str = "fr-FR",
                 value: Any = None, kind: str = "message", tenant: str = TENANT, **extra: Any) -> dict[str, Any]:
        """An activity as Teams POSTs it to the bot (a message by default, in the member's personal chat)."""
        if conversation is None:
            conversation = f"a:chat-{user}" if conversation_type == "personal" else "19:general@thread.tacv2"
        body: dict[str, Any] = {
            "type": kind,
            "id": f"in-{next(self._ids)}",
            "timestamp": "2026-12-02T10:00:00.000Z",
            "serviceUrl": self.url,
            "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": name, "aadObjectId": f"aad-{user}"},
            "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": tenant},
            "recipient": {"id": BOT_ID, "name": "Sobria"},
            "locale": locale,
            "channelData": {"tenant": {"id": tenant}},
        }
        if kind == "message":
            body["text"] = text
            body["textFormat"] = "plain"
        if value is not None:
            body["value"] = value
        if conversation_type == "channel":
            body["channelData"].update({"team": {"id": "19:team@thread.tacv2", "name": "Boulangerie"},
                                        "channel": {"id": conversation}})
        body.update(extra)
        return body

    def mention(self, text_after: str, **kw: Any) -> dict[str, Any]:
        """`@Sobria <text_after>` in a channel, with the mention entity Teams adds."""
        body = self.activity(f"<at>Sobria</at> {text_after}", conversation_type="channel", **kw)
        body["entities"] = [{"type": "mention", "text": "<at>Sobria</at>",
                             "mentioned": {"id": BOT_ID, "name": "Sobria"}}]
        return body

    def post(self, endpoint: str, activity: dict[str, Any], token: str | None = "valid",
             raw: bytes | None = None) -> tuple[int, bytes]:
        """POST an activity to the bot's endpoint with a valid token (or `token`; None: no Authorization)."""
        headers = {"Content-Type": "application/json"}
        if token == "valid":
            token = self.token(service_url=activity.get("serviceUrl"))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else json.dumps(activity).encode()
        request = urllib.request.Request(endpoint, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Sent]:
        """The messages sent so far once there are at least `count` (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.sent) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"expected {count} message(s) at the fake Connector, got {len(self.sent)}"
                self._changed.wait(left)
            return list(self.sent)
