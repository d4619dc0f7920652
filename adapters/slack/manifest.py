"""The Slack app manifest, derived from the command catalogue.

Pasting `adapters/slack/manifest.yml` at api.slack.com ("Create New App" →
"From a manifest") creates the app with every slash command, the App Home,
the scopes and Socket Mode in one go. The file is generated from
`bot.commands.catalogue.CATALOGUE` and the wording in `templates/<lang>/commands.toml`,
so a new command cannot be forgotten; a test checks it is up to date.

    python -m adapters.slack.manifest --write          # regenerate the file
    python -m adapters.slack.manifest --http-url https://bot.example.fr/slack/events   # HTTP mode

Scopes are the fewest the adapter needs, each for a reason:
`commands` (slash commands), `chat:write` (ephemeral fallback when a
response URL has expired, scheduled summaries), `users:read` (display names,
admin/owner role for /ia-settings, locale), `usergroups:read` (teams that
admins map to a user group with /ia-team map), `im:write` and `files:write`
(the /ia-me export is sent as a file in the member's direct messages).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.commands.catalogue import CATALOGUE
from bot.core.render import DEFAULT_LANG, Renderer

APP_NAME = "Sobria"  # the product's name, the same in every language
BACKGROUND = "#2e5e3e"
BOT_SCOPES: tuple[str, ...] = ("chat:write", "commands", "files:write", "im:write", "usergroups:read", "users:read")
BOT_EVENTS: tuple[str, ...] = ("app_home_opened",)
MANIFEST_PATH = Path(__file__).resolve().parent / "manifest.yml"

# Slack's manifest limits
SHORT_DESCRIPTION_MAX = 140
LONG_DESCRIPTION_MIN, LONG_DESCRIPTION_MAX = 175, 4000
COMMAND_DESCRIPTION_MAX = 2000
USAGE_HINT_MAX = 1000


def build_manifest(lang: str = DEFAULT_LANG, http_url: str | None = None,
                   renderer: Renderer | None = None) -> dict[str, Any]:
    """The manifest as data: Socket Mode by default, HTTP mode when `http_url` (…/slack/events) is given."""
    r = renderer or Renderer()
    words = r.data(lang, "commands")
    commands = []
    for command in CATALOGUE:
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

    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
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
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": not http_url,
            "token_rotation_enabled": False,
        },
    }


# ---------------------------------------------------------------------------- YAML
def _scalar(value: Any) -> str:
    """A YAML scalar. Strings are written JSON-quoted: always valid YAML, never read as a number or a bool."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:")
                _emit(item, indent + 1, out)
            else:
                empty = "{}" if isinstance(item, dict) else "[]"
                out.append(f"{pad}{key}: {empty if isinstance(item, (dict, list)) else _scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                lines: list[str] = []
                _emit(item, indent + 1, lines)
                first = lines[0].lstrip()
                out.append(f"{pad}- {first}")
                out.extend(lines[1:])
            else:
                out.append(f"{pad}- {_scalar(item)}")


def to_yaml(manifest: dict[str, Any]) -> str:
    """Block-style YAML for the subset a manifest uses (mappings, lists, strings, booleans, numbers)."""
    out: list[str] = [
        "# Slack app manifest for Sobria, generated by `python -m adapters.slack.manifest --write`.",
        "# Paste it at https://api.slack.com/apps → Create New App → From a manifest. Do not edit by hand.",
    ]
    _emit(manifest, 0, out)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m adapters.slack.manifest",
                                     description="Print (or write) the Slack app manifest.")
    parser.add_argument("--lang", default=DEFAULT_LANG, choices=("fr", "en"), help="language of the descriptions")
    parser.add_argument("--http-url", help="HTTP mode: the public https URL of /slack/events (default: Socket Mode)")
    parser.add_argument("--write", action="store_true", help=f"write {MANIFEST_PATH.name} instead of printing it")
    args = parser.parse_args(argv)
    if args.write and (args.http_url or args.lang != DEFAULT_LANG):
        parser.error("--write regenerates the checked-in Socket Mode manifest; print other variants instead")
    text = to_yaml(build_manifest(args.lang, args.http_url))
    if args.write:
        MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
        MANIFEST_PATH.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
