"""Stores: the interface (base) and its implementations. TinyDB is the default."""

from __future__ import annotations

from pathlib import Path

from .base import AVOIDED, GENERATED, Counts, Event, PeriodCounts, Store, workspace_total
from .tinydb_store import TinyStore


def open_store(data_dir: str | Path) -> Store:
    """Open the embedded store in `data_dir` (created if missing)."""
    return TinyStore(data_dir)


__all__ = [
    "AVOIDED", "GENERATED", "Counts", "Event", "PeriodCounts", "Store", "TinyStore",
    "open_store", "workspace_total",
]
