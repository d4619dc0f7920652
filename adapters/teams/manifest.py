"""The Teams app manifest, derived from the command catalogue, in French and English.

Teams has no custom slash commands: a bot declares *command lists*, which
Teams shows as suggestions in the compose box of a personal chat and after
@Sobria in a channel; picking one inserts its title (`ia-log`), and the member
completes the text as anywhere else. The lists are built from
`bot.commands.CATALOGUE` and the wording of `templates/commands.toml`, like
the Slack manifest, so a new command cannot be forgotten.

The manifest's own strings are French (Sobria's default language); the English
ones are a Teams localization file (`en.json`) that the package carries
beside it, which Teams picks for members whose Teams speaks English
(https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/apps-localization).
`tests/data/teams/` holds the manifest and localization schemas this is
checked against (manifest version 1.24).
"""

from __future__ import annotations

import uuid
from typing import Any

from bot.commands import CATALOGUE
from bot.core.command import Catalogue
from bot.core.render import DEFAULT_LANG, Renderer

APP_NAME = "Sobria"  # the product's name, the same in every language
ACCENT = "#2E5E3E"
MANIFEST_VERSION = "1.24"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = (f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/"
                           "MicrosoftTeams.Localization.schema.json")
COLOR_ICON, OUTLINE_ICON = "color.png", "outline.png"
SCOPES = ("personal", "team", "groupChat")
# Teams language tags of the manifest's strings (the manifest itself) and of each localization file
LANGUAGE_TAGS = {"fr": "fr-fr", "en": "en-us"}

# The manifest schema's limits (v1.24)
NAME_SHORT_MAX, NAME_FULL_MAX = 30, 100
DESCRIPTION_SHORT_MAX, DESCRIPTION_FULL_MAX = 80, 4000
COMMANDS_MAX = 12  # per command list: the first twelve of the catalogue (all of /ia-help lists them anyway)
COMMAND_TITLE_MAX, COMMAND_DESCRIPTION_MAX = 32, 128  # Teams' store rules are stricter than the schema's


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def strings(lang: str, renderer: Renderer | None = None, catalogue: Catalogue = CATALOGUE) -> dict[str, str]:
    """Every translatable string of the manifest in `lang`, by its localization key ("bots[0]…title")."""
    r = renderer or Renderer()
    words = r.data(lang, "commands")
    title = r.macro(lang, "help", "title")()
    out = {
        "name.short": APP_NAME,
        "name.full": _cut(title, NAME_FULL_MAX),
        "description.short": _cut(title, DESCRIPTION_SHORT_MAX),
        "description.full": _cut(r.macro(lang, "help", "intro")(), DESCRIPTION_FULL_MAX),
    }
    for i, _scope in enumerate(SCOPES):
        for j, command in enumerate(list(catalogue)[:COMMANDS_MAX]):
            entry = words.get(command.name, {})  # a command without words yet is still listed, by its name
            key = f"bots[0].commandLists[{i}].commands[{j}]"
            out[f"{key}.title"] = command.name
            usage = f" {entry['usage']}" if entry.get("usage") else ""
            summary = entry.get("summary") or command.name
            out[f"{key}.description"] = _cut(f"{summary}{usage}", COMMAND_DESCRIPTION_MAX)
    return out


def app_id_for(bot_id: str) -> str:
    """The app's id in Teams: a GUID of its own, derived from the bot's so that a new package updates the app."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sobria-teams:{bot_id}"))


def build_manifest(bot_id: str, *, version: str, developer: str, website: str, privacy: str, terms: str,
                   domain: str | None = None, renderer: Renderer | None = None,
                   catalogue: Catalogue = CATALOGUE) -> dict[str, Any]:
    """manifest.json as data, its strings in the default language (French); `strings("en")` is its en.json."""
    words = strings(DEFAULT_LANG, renderer, catalogue)
    command_lists = []
    for i, scope in enumerate(SCOPES):
        count = min(len(catalogue), COMMANDS_MAX)
        commands = [{"title": words[f"bots[0].commandLists[{i}].commands[{j}].title"],
                     "description": words[f"bots[0].commandLists[{i}].commands[{j}].description"]}
                    for j in range(count)]
        command_lists.append({"scopes": [scope], "commands": commands})
    manifest: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id_for(bot_id),
        "developer": {"name": _cut(developer, 32), "websiteUrl": website, "privacyUrl": privacy,
                      "termsOfUseUrl": terms},
        "name": {"short": words["name.short"], "full": words["name.full"]},
        "description": {"short": words["description.short"], "full": words["description.full"]},
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": ACCENT,
        "bots": [{
            "botId": bot_id,
            "scopes": list(SCOPES),
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": command_lists,
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [domain] if domain else [],
        "localizationInfo": {
            "defaultLanguageTag": LANGUAGE_TAGS[DEFAULT_LANG],
            "additionalLanguages": [{"languageTag": tag, "file": f"{lang}.json"}
                                    for lang, tag in LANGUAGE_TAGS.items() if lang != DEFAULT_LANG],
        },
    }
    return manifest


def localization(lang: str, renderer: Renderer | None = None, catalogue: Catalogue = CATALOGUE) -> dict[str, Any]:
    """A localization file (`en.json`): the manifest's strings in `lang`."""
    return {"$schema": LOCALIZATION_SCHEMA_URL, **strings(lang, renderer, catalogue)}
