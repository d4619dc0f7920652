"""Platform destinations (where Teams keeps its conversation references) in both stores, TinyDB and PostgreSQL.

Kept per workspace and platform, replaced whole, removed with None, seen by another store object (another
process), and never visible from another workspace or platform.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Callable

from bot.store import Store
from bot.store.postgres_store import PostgresStore
from bot.store.tinydb_store import TinyStore
from tests.pg_server import PgServer

_numbers = itertools.count()


def test_destinations_are_kept_replaced_and_removed(open_either_store: Callable[[], Store]) -> None:
    store = open_either_store()
    assert store.destinations("T1", "teams") == {}
    ref = {"conversation_id": "19:general@thread.tacv2", "service_url": "https://smba.example/emea/"}
    store.set_destination("T1", "teams", "teams-0123456789abcdef", ref)
    store.set_destination("T1", "teams", "user:aad-1", {"conversation_id": "a:1", "service_url": "x"})
    assert store.destinations("T1", "teams") == {"teams-0123456789abcdef": ref,
                                                 "user:aad-1": {"conversation_id": "a:1", "service_url": "x"}}
    store.set_destination("T1", "teams", "user:aad-1", {"conversation_id": "a:2", "service_url": "x"})
    assert store.destinations("T1", "teams")["user:aad-1"]["conversation_id"] == "a:2"
    store.set_destination("T1", "teams", "user:aad-1", None)
    store.set_destination("T1", "teams", "never-kept", None)  # removing what is not there is no error
    assert list(store.destinations("T1", "teams")) == ["teams-0123456789abcdef"]
    # another process sees them; other workspaces and platforms do not
    other = open_either_store()
    assert other.destinations("T1", "teams") == {"teams-0123456789abcdef": ref}
    assert other.destinations("T2", "teams") == {}
    assert other.destinations("T1", "slack") == {}
    # a tenant where the bot is installed is a workspace (the scheduler visits it)
    assert "T1" in other.workspaces()


def test_sobria_migrate_copies_the_destinations_of_an_embedded_store(tmp_path: Path, pg_server: PgServer) -> None:
    from bot.store.copy_tinydb import copy_from_tinydb

    tiny = TinyStore(str(tmp_path / "data"))
    ref = {"conversation_id": "19:general@thread.tacv2", "service_url": "https://smba.example/emea/"}
    tiny.set_destination("T1", "teams", "teams-0123456789abcdef", ref)
    tiny.close()
    target = PostgresStore(pg_server.create_database(f"m{next(_numbers)}"))
    try:
        copy_from_tinydb(tmp_path / "data", target)
        assert target.destinations("T1", "teams") == {"teams-0123456789abcdef": ref}
    finally:
        target.close()
