"""Events in Paris time for the tests of figures (summaries and reports share them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.store import GENERATED, Event

PARIS = ZoneInfo("Europe/Paris")


def at(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> float:
    """The time stamp of a Paris wall-clock time."""
    return datetime(y, mo, d, h, mi, tzinfo=PARIS).timestamp()


def ev(user: str, ts: float, kind: str, count: int, type_: str = GENERATED, rct: int | None = None) -> Event:
    """One logged event with a fresh id, on the US grid mix, with an RCT score when given."""
    return Event(id=uuid.uuid4().hex[:12], ts=ts, user=user, type=type_, kind=kind, count=count, zone="USA",
                 rct={"score": rct} if rct is not None else None)
