"""Benchmark: what a personal goal costs the App Home, /ia-stats and a one-click log as history grows.

A member with a weekly goal sees their streak in the App Home (republished after each of their commands) and
in /ia-stats: up to a year of weeks read from the store (`bot.habits.progress`). This benchmark serves the
same calls for members without a goal and for members whose goal was set a year ago (the longest look-back),
on engine_latency.py's "large workspace" (500 members, ≈ 10 logs a member a week), and prints the figures
and their ratio in one run. Target: the goal adds at most half again to the App Home (ratio of the medians
≤ 1.5) once the caches are warm, and a one-click log costs no more than typing `/ia-log image` (ratio of
the medians ≤ 1.25, both timed in the same run: on a shared machine only ratios compare). The year of
weeks is read once before the timed calls, as a running bot has it after its first App Homes; that first
read is printed apart ("cold year").

Usage:
    python benchmarks/habits_latency.py                        # TinyDB, 10k and 100k events
    python benchmarks/habits_latency.py --sizes 10000 --rounds 50
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from engine_latency import NOW, PARIS, SEED, WORKSPACE, _config, load, member_ids, percentile  # noqa: E402

DEFAULT_SIZES = (10_000, 100_000)
HOME_RATIO_TARGET = 1.5
QUICK_RATIO_TARGET = 1.25


def serve(folder: str, rounds: int) -> dict[str, dict[str, float]]:
    """Milliseconds per call of each operation, for members without and with a goal."""
    from bot.core.coach import Coach
    from bot.core.identity import Sender
    from bot.store import open_configured_store

    cfg = _config("tinydb", folder)
    clock = [NOW.timestamp()]
    store = open_configured_store(cfg, clock=lambda: clock[0])  # the store's "now" is the coach's
    coach = Coach(cfg, store, clock=lambda: clock[0])
    members = member_ids()
    with_goal = members[: len(members) // 2]
    since = (NOW.date() - timedelta(days=364)).isoformat()
    for user, _ in with_goal:
        store.update_member(WORKSPACE, user, goal=5, goal_since=since)
    goal_ids = {u for u, _ in with_goal}
    from bot.core import periods

    started = time.perf_counter()
    store.counts(WORKSPACE, PARIS, [periods.week_key(NOW.date() - timedelta(days=7 * i)) for i in range(53)])
    cold_year = (time.perf_counter() - started) * 1000
    rng = random.Random(SEED)
    ops: dict[str, Callable[[Sender], Any]] = {
        "home": lambda s: coach.home(s),
        "ia-stats": lambda s: coach.handle("ia-stats", "", s),
        "quick +1 image": lambda s: coach.action("quick", "image", s),
        "/ia-log image": lambda s: coach.handle("ia-log", "image", s),
    }
    times: dict[str, list[float]] = {f"{op} {kind}": [] for op in ops for kind in ("no goal", "goal")}
    for i in range(rounds + 1):
        for op, call in ops.items():
            for kind in ("no goal", "goal"):
                pool = [m for m in members if (m[0] in goal_ids) == (kind == "goal")]
                user, name = pool[rng.randrange(len(pool))]
                started = time.perf_counter()
                reply = call(Sender(WORKSPACE, user, name, "slack"))
                elapsed = (time.perf_counter() - started) * 1000
                if not reply.ok:
                    raise RuntimeError(f"{op} failed: {reply.title}")
                if i:
                    times[f"{op} {kind}"].append(elapsed)
        clock[0] += 2.0
    store.close()
    out = {name: {"p50": statistics.median(v), "p99": percentile(v, 99)} for name, v in times.items()}
    out["cold year"] = {"p50": cold_year, "p99": cold_year}
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    p.add_argument("--rounds", type=int, default=100)
    p.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    args = p.parse_args()
    missed = []
    for size in [int(s) for s in args.sizes.split(",")]:
        folder = tempfile.mkdtemp(prefix=f"sobria-habits-{size}-")
        try:
            load("tinydb", folder, size)
            figures = serve(folder, args.rounds)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"{size:>8,} events (TinyDB), {args.rounds} rounds, ms per call:")
        for name, f in figures.items():
            print(f"  {name:24} p50 {f['p50']:7.2f}   p99 {f['p99']:7.2f}")
        ratio = figures["home goal"]["p50"] / figures["home no goal"]["p50"]
        print(f"  App Home with a goal / without: {ratio:.2f} (target ≤ {HOME_RATIO_TARGET})")
        quick = max(figures[f"quick +1 image {k}"]["p50"] / figures[f"/ia-log image {k}"]["p50"]
                    for k in ("goal", "no goal"))
        print(f"  one-click log / typed /ia-log image: {quick:.2f} (target ≤ {QUICK_RATIO_TARGET})")
        if ratio > HOME_RATIO_TARGET:
            missed.append(f"{size}: home ratio {ratio:.2f}")
        if quick > QUICK_RATIO_TARGET:
            missed.append(f"{size}: one-click ratio {quick:.2f}")
    print("targets missed: " + "; ".join(missed) if missed else "all targets met")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
