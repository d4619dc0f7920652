"""A per-member sliding-window limit on logging commands, shared by every process on the same store.

A burst of logs (a script, a stuck key, someone gaming the leaderboard) is
refused politely and nothing is stored. The window is kept in the store
(`Store.admit_burst`): several processes behind a load balancer see each
other's hits, so the limit holds for the member whichever process answers.
PostgreSQL decides in one atomic upsert (bot/store/postgres_store.py), which
rides in the command's first read (`Store.settings_member_admitting`); the
embedded store keeps a small file per member under its own lock
(bot/store/bursts.py), with the rule below.

Written here rather than taken from a library: the rule is six lines, and the
libraries that keep such windows in a shared place (limits, for one) need
Redis or memcached, which a small company's Sobria does not run.
"""

from __future__ import annotations

from typing import Sequence

WINDOW_S = 60.0  # `[limits] logs_per_minute` counts the hits of the last minute


def admit(hits: Sequence[float], now: float, limit: int, window: float) -> tuple[bool, list[float]]:
    """The rule: the hits still within `window` seconds of `now`, and whether one more fits under `limit`.

    Returns (accepted, the hits to keep): an accepted hit is added, a refused one is not recorded.
    """
    recent = sorted(h for h in hits if h > now - window)
    if len(recent) >= limit:
        return False, recent
    return True, recent + [now]


__all__ = ["WINDOW_S", "admit"]
