"""Shared fixtures: a coach on a temporary data directory with a clock the test controls.

Engine tests read like conversations: `say("/ia-log image 2")` returns the Reply
the member would get, whatever the front-end.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.core.config import Config, parse_config  # noqa: E402
from bot.core.identity import Sender  # noqa: E402
from bot.core.reply import Reply  # noqa: E402
from bot.store import open_store  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self, when: datetime) -> None:
        self.now = when.timestamp()

    def __call__(self) -> float:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when.timestamp()

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))  # a Wednesday


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return parse_config({"store": {"data_dir": str(tmp_path / "data")}})


@pytest.fixture
def store(config: Config):
    s = open_store(config.data_dir)
    yield s
    s.close()


@pytest.fixture
def coach(config: Config, store, clock: Clock):
    from bot.core.coach import Coach

    return Coach(config, store, clock=clock)


@pytest.fixture
def member() -> Sender:
    return Sender("T1", "U1", "Camille", "console")


@pytest.fixture
def admin() -> Sender:
    return Sender("T1", "UADMIN", "Alex", "console", is_admin=True)


@pytest.fixture
def say(coach, member: Sender) -> Callable[..., Reply]:
    """Send a command line as `member` (or as `who=`) and get the reply."""

    def send(line: str, who: Sender | None = None) -> Reply:
        name, _, text = line.strip().partition(" ")
        return coach.handle(name.lstrip("/"), text, who or member)

    return send


def text_of(reply: Reply) -> str:
    return "\n".join(reply.text_parts())
