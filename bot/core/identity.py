"""Who sent a command: the same shape on every platform."""

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
