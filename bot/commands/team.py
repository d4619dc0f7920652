"""/ia-team: join, leave and list teams; admins map a platform group (Slack user group, Discord role) to a team.

Wording: `templates/team.j2` and the `ia-team` entry of `commands.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core import grammar
from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import UsageError, fold
from bot.core.reply import Reply
from bot.core.services import Ctx, Services
from bot.reports.teams import team_members, team_of

NAME = "ia-team"
ACTIONS: tuple[str, ...] = ("join", "leave", "list", "map", "unmap")
WORDS = {
    "join": "join", "rejoindre": "join", "entrer": "join",
    "leave": "leave", "quitter": "leave", "sortir": "leave",
    "list": "list", "liste": "list", "voir": "list", "show": "list",
    "map": "map", "associer": "map", "lier": "map",
    "unmap": "unmap", "dissocier": "unmap", "delier": "unmap",
}
MAX_TEAM_NAME = 40
_GROUP = re.compile(r"<@&(\d+)>|<!subteam\^([A-Z0-9]+)(\|[^>]*)?>|([A-Za-z0-9_-]{1,80})")


@dataclass(frozen=True)
class TeamRequest:
    action: str  # join | leave | list | map | unmap
    name: str | None = None
    group: str | None = None


def _team_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UsageError(NAME, "missing_team")
    if len(name) > MAX_TEAM_NAME:
        raise UsageError(NAME, "team_name_too_long", {"max": MAX_TEAM_NAME})
    return name


def parse(text: str, cfg: Config) -> TeamRequest:
    tokens = text.split()
    if not tokens:
        return TeamRequest("list")
    action = WORDS.get(fold(tokens[0]))
    if action is None:
        raise UsageError(NAME, "bad_team", {"word": tokens[0][:40]})
    if action in ("leave", "list"):
        if len(tokens) > 1:
            raise UsageError(NAME, "bad_team", {"word": " ".join(tokens)[:40]})
        return TeamRequest(action)
    if action == "join":
        return TeamRequest("join", _team_name(grammar.rest(text, 1)))
    m = _GROUP.fullmatch(tokens[1]) if len(tokens) > 1 else None
    if not m:
        raise UsageError(NAME, "missing_group")
    group = m.group(1) or m.group(2) or m.group(4)
    if action == "unmap":
        return TeamRequest("unmap", group=group)
    return TeamRequest("map", _team_name(grammar.rest(text, 2)), group)


def handle(s: Services, req: TeamRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "team")
    groups = dict(ctx.settings.team_groups)
    if req.action == "join":
        s.store.update_member(ctx.ws, ctx.user, team=req.name)
        return Reply(kind="team", title=m("joined", req.name), lang=ctx.lang)
    if req.action == "leave":
        current = ctx.member.get("team")
        s.store.update_member(ctx.ws, ctx.user, team=None)
        return Reply(kind="team", title=m("left", current), lang=ctx.lang)
    if req.action in ("map", "unmap"):
        if not s.is_admin(ctx.sender):
            return s.notice("admin_only", ctx.lang)
        if req.action == "map":
            groups[str(req.group)] = str(req.name)
        else:
            groups.pop(str(req.group), None)
        s.store.set_setting(ctx.ws, "team_groups", groups)
        return Reply(kind="team", title=m("mapped" if req.action == "map" else "unmapped", req.group, req.name),
                     lang=ctx.lang)
    teams = team_members(s.store.members(ctx.ws), groups)
    mine = team_of(ctx.member, groups)
    lines = [m("list_row", name, len(users)) for name, users in sorted(teams.items(), key=lambda kv: kv[0].casefold())]
    lines.append(m("yours", mine))
    return Reply(kind="teams", title=m("list_title", len(teams)), lines=tuple(lines), lang=ctx.lang,
                 data={"teams": teams})


COMMAND = Command(NAME, handle, (Argument("action", "choice", choices=ACTIONS), Argument("name", "text")),
                  parse=parse)
