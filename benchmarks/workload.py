"""What the benchmarks log: kinds, tools and one random event, drawn the same way everywhere."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Sequence

from bot.store import AVOIDED, GENERATED, Event

KINDS = [("text", 50), ("image", 22), ("doc", 12), ("code", 8), ("audio", 5), ("video", 3)]
TOOLS = {"text": ["chatgpt", "mistral", "claude", None], "doc": ["chatgpt", "claude"],
         "image": ["midjourney", "dall-e", "firefly"], "video": ["runway"], "audio": ["suno"], "code": ["copilot"]}
_KIND_NAMES, _KIND_WEIGHTS = zip(*KINDS)


def random_event(rng: random.Random, user: str, at: datetime, rcts: Sequence[dict[str, Any]]) -> Event:
    """One log: 15 % avoided, else a generation with a tool and, 60 % of the time, a scored prompt."""
    kind = rng.choices(_KIND_NAMES, _KIND_WEIGHTS)[0]
    eid = f"{rng.getrandbits(64):016x}"
    if rng.random() < 0.15:
        return Event(id=eid, ts=at.timestamp(), user=user, type=AVOIDED, kind=kind, count=rng.randint(1, 3), zone="USA")
    tool = rng.choice(TOOLS[kind])
    return Event(
        id=eid, ts=at.timestamp(), user=user, type=GENERATED, kind=kind,
        count=rng.choice([1, 1, 1, 2, 3, 4]) if kind == "image" else rng.choice([1, 1, 2]),
        zone="SWE" if tool == "mistral" else "USA", tool=tool,
        rct=rcts[rng.randrange(len(rcts))] if rng.random() < 0.6 else None,
    )
