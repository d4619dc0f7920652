"""Shared fixtures: a coach on a temporary data directory with a clock the test controls.

Engine tests read like conversations: `say("/ia-log image 2")` returns the Reply
the member would get, whatever the front-end. Tests that run on both stores take
`open_either_store`, and a PostgreSQL server of their own from `pg_server`.
"""

from __future__ import annotations

import itertools
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.core.config import Config, parse_config  # noqa: E402
from bot.core.identity import Sender  # noqa: E402
from bot.core.reply import Reply  # noqa: E402
from bot.store import Store, TinyStore, open_store  # noqa: E402

if TYPE_CHECKING:
    from tests.pg_server import PgServer

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


# ---------------------------------------------------------------------- both stores
# PostgreSQL and its driver are optional (the `postgres` extra): they are imported by the fixtures, not here.

@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server (tests/pg_server.py) for one test module in one pytest-xdist worker.

    Each worker is a process of its own, so each starts its own server, on a free port in a folder of its
    own. Where no server binaries are found, PgServerError fails the tests that ask for it.
    """
    from tests.pg_server import PgServer

    with PgServer() as server:
        yield server


_databases = itertools.count()


@pytest.fixture(params=("tinydb", "postgres"))
def open_either_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Opens store objects on the test's data, which the test runs once in TinyDB and once in PostgreSQL.

    The data is a folder, or an empty database on `pg_server`, asked for only by the PostgreSQL run (so the
    TinyDB run needs no server). Each call opens another object on the same data, as another process
    would; all are closed after the test.
    """
    location = (request.getfixturevalue("pg_server").create_database(f"s{next(_databases)}")
                if request.param == "postgres" else str(tmp_path / "data"))
    opened: list[Store] = []

    def open_one() -> Store:
        if request.param == "postgres":
            from bot.store.postgres_store import PostgresStore

            opened.append(PostgresStore(location))
        else:
            opened.append(TinyStore(location))
        return opened[-1]

    yield open_one
    for s in opened:
        s.close()


def text_of(reply: Reply) -> str:
    return "\n".join(reply.text_parts())
