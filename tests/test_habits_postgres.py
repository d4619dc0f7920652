"""Goals, streaks, pauses, closing weeks and one-click logging on both stores: TinyDB and a real PostgreSQL
(tests/pg_server.py). Member fields set back to nothing (a pause ended, a goal removed) and the workspace's
list of closings are stored as JSON in PostgreSQL: the same conversation must read the same on both.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

import pytest

from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.store import GENERATED, Event, Store
from conftest import PARIS, Clock

WS = "T1"
MEMBER = Sender(WS, "U1", "Camille", "console")
ADMIN = Sender(WS, "UADMIN", "Alex", "console", is_admin=True)


@pytest.fixture
def store(open_either_store: Callable[[], Store]) -> Store:
    """The store under test, in TinyDB then in PostgreSQL (tests/conftest.py)."""
    return open_either_store()


def at(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> float:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS).timestamp()


def test_the_same_habits_on_both_stores(store, tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 3, 18, 10, 0, tzinfo=PARIS))
    coach = Coach(parse_config({"store": {"data_dir": str(tmp_path / "cfg")}}), store, clock=clock)

    def say(line: str, who: Sender = MEMBER):
        name, _, text = line.partition(" ")
        return coach.handle(name.lstrip("/"), text, who)

    assert say("/ia-me objectif 3").kind == "goal_saved"
    store.add_events(WS, [Event("a", at(2026, 3, 17), "U1", GENERATED, "image", 3, "FRA"),
                          Event("b", at(2026, 3, 23), "U1", GENERATED, "image", 2, "FRA"),
                          Event("c", at(2026, 3, 29, 23, 30), "U1", GENERATED, "image", 1, "FRA"),  # summer time
                          Event("d", at(2026, 3, 30, 0, 30), "U1", GENERATED, "image", 1, "FRA")])  # W14, Sun in UTC
    clock.set(datetime(2026, 4, 1, 10, 0, tzinfo=PARIS))
    assert say("/ia-me objectif").lines[0].endswith("2 semaines d’affilée dans votre objectif.")
    click = coach.action("quick", "image", MEMBER)
    assert click.kind == "quick_logged" and "2 pour un objectif de 3" in click.title
    assert coach.action("undo", click.data["event_id"], MEMBER).kind == "undone"

    assert say("/ia-me pause 2 semaines").kind == "paused"
    assert store.member(WS, "U1")["paused_until"] == "2026-04-14"
    assert say("/ia-me reprise").title.startswith("Bon retour")
    assert not store.member(WS, "U1").get("paused_until")
    assert say("/ia-me reprise").title == "Vous n’étiez pas en pause."  # read back as no pause on both stores
    assert say("/ia-me objectif off").title == "Objectif de la semaine supprimé."
    assert say("/ia-me objectif").lines[0].startswith("Pas encore d’objectif")

    say("/ia-settings fermeture 2026-08-03 2026-08-23", ADMIN)
    say("/ia-settings fermeture 2026-12-24 2027-01-02", ADMIN)
    assert store.settings(WS)["closing"] == [["2026-08-03", "2026-08-23"], ["2026-12-24", "2027-01-02"]]
    assert coach.workspace_settings(WS).closing[0][0].isoformat() == "2026-08-03"
    say("/ia-settings fermeture off", ADMIN)
    assert coach.workspace_settings(WS).closing == ()
