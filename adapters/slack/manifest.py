"""The Slack app manifest, derived from the command catalogue.

Pasting `adapters/slack/manifest.yml` at api.slack.com ("Create New App" →
"From a manifest") creates the app with every slash command, the App Home,
the scopes and Socket Mode in one go. The file is generated from
`bot.commands.CATALOGUE` and the wording in `templates/commands.toml` (translated by the catalogues),
so a new command cannot be forgotten; a test checks it is up to date.

    python -m adapters.slack.manifest --write          # regenerate the file
    python -m adapters.slack.manifest --http-url https://bot.example.fr/slack/events   # HTTP mode
    python -m adapters.slack.manifest --public-url https://sobria.example.org   # "Add to Slack" for many workspaces

Scopes are the fewest the adapter needs, each for a reason:
`commands` (slash commands), `chat:write` (ephemeral fallback when a
response URL has expired, scheduled summaries), `users:read` (display names,
admin/owner role for /ia-settings, locale), `usergroups:read` (teams that
admins map to a user group with /ia-team map), `im:write` and `files:write`
(the /ia-me export is sent as a file in the member's direct messages).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.commands import CATALOGUE
from bot.core.command import Catalogue
from bot.core.render import DEFAULT_LANG, Renderer

APP_NAME = "Sobria"  # the product's name, the same in every language
BACKGROUND = "#2e5e3e"
BOT_SCOPES: tuple[str, ...] = ("chat:write", "commands", "files:write", "im:write", "usergroups:read", "users:read")
BOT_EVENTS: tuple[str, ...] = ("app_home_opened",)
# a distributed app learns that a workspace removed it (its tokens are deleted then, its data after a grace period)
DISTRIBUTION_EVENTS: tuple[str, ...] = ("app_uninstalled", "tokens_revoked")
MANIFEST_PATH = Path(__file__).resolve().parent / "manifest.yml"

# Slack's manifest limits
SHORT_DESCRIPTION_MAX = 140
LONG_DESCRIPTION_MIN, LONG_DESCRIPTION_MAX = 175, 4000
COMMAND_DESCRIPTION_MAX = 2000
USAGE_HINT_MAX = 1000


def build_manifest(lang: str = DEFAULT_LANG, http_url: str | None = None,
                   renderer: Renderer | None = None, catalogue: Catalogue = CATALOGUE,
                   public_url: str | None = None) -> dict[str, Any]:
    """The manifest as data: Socket Mode by default, HTTP mode when `http_url` (…/slack/events) is given.

    `public_url` (the server's https address) makes the manifest of a distributed app (docs/hosting.md):
    HTTP mode on <public_url>/slack/events, the OAuth redirect URL, the uninstall events and token rotation.
    """
    if public_url:
        http_url = f"{public_url.rstrip('/')}/slack/events"
    r = renderer or Renderer()
    words = r.data(lang, "commands")
    commands = []
    for command in catalogue:
        entry = words[command.name]
        item: dict[str, Any] = {"command": f"/{command.name}"}
        if http_url:
            item["url"] = http_url
        item["description"] = entry["summary"][:COMMAND_DESCRIPTION_MAX]
        if entry.get("usage"):
            item["usage_hint"] = entry["usage"][:USAGE_HINT_MAX]
        # Slack then sends a #channel typed in the text as <#C…|name>: /ia-settings summary_channel keeps
        # the channel id, which survives a rename (mentions arrive as <@U…> too, and are echoed inert)
        item["should_escape"] = True
        commands.append(item)

    display: dict[str, Any] = {
        "name": APP_NAME,
        "description": r.macro(lang, "help", "title")()[:SHORT_DESCRIPTION_MAX],
        "background_color": BACKGROUND,
    }
    intro = r.macro(lang, "help", "intro")()
    if len(intro) >= LONG_DESCRIPTION_MIN:
        display["long_description"] = intro[:LONG_DESCRIPTION_MAX]

    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS + (DISTRIBUTION_EVENTS if public_url else ()))}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if http_url:
        events = {"request_url": http_url, **events}
        interactivity["request_url"] = http_url
    return {
        "display_information": display,
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                # the export file lands in the member's direct messages; they never type there
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {**({"redirect_urls": [f"{public_url.rstrip('/')}/slack/oauth_redirect"]} if public_url else {}),
                         "scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": not http_url,
            "token_rotation_enabled": bool(public_url),
        },
    }


# ---------------------------------------------------------------------------- YAML
HEADER = (
    "# Slack app manifest for Sobria, generated by `python -m adapters.slack.manifest --write`.\n"
    "# Paste it at https://api.slack.com/apps → Create New App → From a manifest. Do not edit by hand.\n"
)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, indenting a list under its key as Slack's own manifests do (easier to read)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def to_yaml(manifest: dict[str, Any]) -> str:
    """The manifest as block-style YAML (PyYAML), keys in the order built, after a header saying where it comes from.

    PyYAML quotes any string that would read back as something else (a
    number, a boolean, a comment, a mapping); long texts stay on one line.
    """
    body = yaml.dump(manifest, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=1 << 16)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m adapters.slack.manifest",
                                     description="Print (or write) the Slack app manifest.")
    parser.add_argument("--lang", default=DEFAULT_LANG, choices=("fr", "en"), help="language of the descriptions")
    parser.add_argument("--http-url", help="HTTP mode: the public https URL of /slack/events (default: Socket Mode)")
    parser.add_argument("--public-url", help="distribution: this server's https address (install link for many "
                        "workspaces; see docs/hosting.md)")
    parser.add_argument("--write", action="store_true", help=f"write {MANIFEST_PATH.name} instead of printing it")
    args = parser.parse_args(argv)
    if args.write and (args.http_url or args.public_url or args.lang != DEFAULT_LANG):
        parser.error("--write regenerates the checked-in Socket Mode manifest; print other variants instead")
    text = to_yaml(build_manifest(args.lang, args.http_url, public_url=args.public_url))
    if args.write:
        MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
        MANIFEST_PATH.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
