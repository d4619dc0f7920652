"""Tenant isolation: whatever a member of workspace B types, nothing of workspace A is seen or changed.

User ids can collide across workspaces (the same person in two Slack teams,
or two platforms), so workspace B's member deliberately has A's user id.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.coach import Coach
from bot.commands import CATALOGUE
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.store import open_store

PARIS = ZoneInfo("Europe/Paris")

# at least one invocation per command, including every admin action
INVOCATIONS = {
    "ia-log": ["image 3", "text 2 Tu es juriste. Rédige une clause."],
    "ia-avoid": ["image 2 photo reprise"],
    "ia-score": ["Rédige un post"],
    "ia-stats": ["", "mois", "semaine public"],
    "ia-top": ["", "tout", "semaine"],
    "ia-undo": [""],
    "ia-me": ["", "export", "nudges on", "leaderboard off", "lang en", "forget", "forget confirm"],
    "ia-team": ["", "join Secret-Team-B", "map <@&42> Ventes", "unmap 42", "leave"],
    "ia-settings": ["", "timezone America/New_York", "green_max 3", "summary_channel C999", "store_prompts on"],
    "ia-help": ["", "methode", "log"],
    "ia-report": ["", "2026-11 csv", "2026"],
}


def test_every_command_is_listed() -> None:
    assert set(INVOCATIONS) == {c.name for c in CATALOGUE}


@pytest.fixture
def two_workspaces(tmp_path: Path):
    coach = Coach(parse_config({"store": {"data_dir": str(tmp_path)}}), open_store(tmp_path))
    alice = Sender("TA", "U1", "Alice-Secret", "slack", is_admin=True)
    coach.handle("ia-settings", "summary_channel CA1", alice)
    coach.handle("ia-settings", "store_prompts on", alice)
    coach.handle("ia-team", "join Team-A-Secret", alice)
    coach.handle("ia-log", "image 7 midjourney logo-secret-de-A", alice)
    coach.handle("ia-avoid", "text 4", alice)
    return coach, alice


def snapshot(coach: Coach, ws: str) -> tuple:
    counts = coach.store.counts(ws, PARIS, ["all"])["all"]
    return (
        {u: c.to_dict() for u, c in counts.items()},
        coach.store.settings(ws),
        sorted(map(str, coach.store.members(ws))),
        sorted(e.id for e in coach.store.member_events(ws, "U1")),
    )


@pytest.mark.parametrize("admin", [False, True])
def test_workspace_b_never_sees_or_changes_workspace_a(two_workspaces, admin: bool) -> None:
    coach, alice = two_workspaces
    before = snapshot(coach, "TA")
    bob = Sender("TB", "U1", "Bob", "discord", is_admin=admin)
    for name, texts in INVOCATIONS.items():
        for text in texts:
            reply = coach.handle(name, text, bob)
            shown = "\n".join(reply.text_parts()) + "".join(a.content.decode("utf-8", "replace") for a in reply.attachments)
            for secret in ("Alice-Secret", "Team-A-Secret", "logo-secret-de-A", "CA1"):
                assert secret not in shown, (name, text, secret)
            if reply.data.get("export"):
                assert all(e["id"] not in before[3] for e in reply.data["export"]["events"])
    for action, value in (("undo", before[3][0]), ("improve", before[3][0]), ("pref", "nudges on")):
        reply = coach.action(action, value, bob)
        assert "logo-secret-de-A" not in "\n".join(reply.text_parts())
    assert snapshot(coach, "TA") == before
    assert coach.handle("ia-stats", "", alice).data["me"].generations == 7
