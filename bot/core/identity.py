"""Who sent a command, and how it came: the same shape on every platform."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sender:
    """The member behind a command.

    `workspace_id` is the tenant: a Slack team (or enterprise:team), a Discord
    guild, or "console". Nothing is ever read or written across workspaces.
    `is_admin` is decided by the adapter from platform roles (Slack admins and
    owners, Discord "Manage Server") or from the config's admin list.
    """

    workspace_id: str
    user_id: str
    display_name: str
    platform: str  # "console" | "slack" | "discord"
    is_admin: bool = False
    locale: str | None = None  # the platform's locale hint for this member, e.g. "fr-FR"
    groups: tuple[str, ...] = ()  # platform groups (Discord role ids, Slack user group ids) for team mapping


@dataclass(frozen=True)
class Delivery:
    """How a platform delivered a command: its id for that command (Slack's trigger_id), the same in every copy
    the platform sends again when it saw no acknowledgement in time, and whether this is such a copy.

    A log's id is made from it (`bot.commands.log.new_event_id`), so a copy reaching another process, or the
    same one after a restart, finds the log already stored and does not store it again
    (`Services.stored_copy`). Front-ends whose platform never sends a command twice pass none.
    """

    id: str
    copy: bool = False
