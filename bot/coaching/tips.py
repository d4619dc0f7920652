"""Which of the article's three remedies a log reply adds as a tip, and when: pure decisions, no store, no words.

The seed article gives small businesses three remedies: precise prompting (the RCT method), recycling
content before generating a new visual, and local small language models for simple tasks (JAN, Anything
LLM, LM Studio, GPT4All). Sobria says each at the moment it applies, in one line under a log reply:

- `RECYCLE`: the member had already logged `[tips] recycle_images` images this week when they log another
  visual (an image or a video: the moment the article's question fits); the line asks whether an existing
  visual could be reused and offers, in one click, to log an avoided image instead (what /ia-avoid image does);
- `LOCAL`: the member logs a short text with a hosted chatbot, and such texts are at least
  `[tips] local_short_texts` this week and more than `[tips] local_text_share` of their generations
  ("mostly short texts"); the line names the article's local tools and what they would have saved;
- `RCT`: the member logs a scored prompt while their week's RCT average, over at least
  `[tips] rct_min_prompts` scored prompts, is below `[tips] rct_below`; the line names the one part they
  miss most often (`most_missed`).

Each tip comes at most once a week per member (the workspace's calendar week, the one the zone counts):
the week it was last shown is kept per tip in the member's record (`MEMORY_FIELD`, written by
`bot.coaching.log_tip`). One tip per reply at most, in the order of `TIPS`, so a log reply grows by one
line at most.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol

RECYCLE, LOCAL, RCT = "recycle", "local", "rct"
TIPS: tuple[str, ...] = (RECYCLE, LOCAL, RCT)  # when several are due, the first one
MEMORY_FIELD = "tips_shown"  # member field: {tip: week key it was last shown}

# The parts the RCT tip may name, in the order a tie is broken: the request first, then what costs the most
# points (as the log reply's own fix, bot/rct/view.py FIX_ORDER). The format is a bonus: named only when
# no other part was ever missed.
REQUIRED_PARTS: tuple[str, ...] = ("task", "context", "role")
BONUS_PART = "format"
VISUAL_KINDS: tuple[str, ...] = ("image", "video")  # the logs the recycling question fits


class TipThresholds(Protocol):
    """The `[tips]` settings the decisions read (bot.core.config.TipsSection)."""

    enabled: bool
    recycle_images: int
    local_short_texts: int
    local_text_share: float
    rct_below: int
    rct_min_prompts: int


@dataclass(frozen=True)
class WeekSoFar:
    """The member's week as the log being answered leaves it (its own counts included unless said otherwise)."""

    week: str  # the week's key, "w:2026-W49"
    kind: str  # the kind just logged
    local: bool  # logged with a local tool
    scored: bool  # the log carried a prompt that was scored
    images_before: int  # images logged this week before this log
    hosted_short_texts: int  # short texts this week with a hosted chatbot (or no tool named)
    generations: int  # every generation this week
    rct_avg: float | None  # the week's RCT average
    rct_scored: int  # scored prompts this week
    shown: Mapping[str, str]  # tip -> week it was last shown


def shown_this_week(week: WeekSoFar, tip: str) -> bool:
    return week.shown.get(tip) == week.week


def recycling_due(w: WeekSoFar, t: TipThresholds) -> bool:
    """Several images already this week: the next visual is the moment to ask about reusing one."""
    return w.kind in VISUAL_KINDS and w.images_before >= t.recycle_images


def local_due(w: WeekSoFar, t: TipThresholds) -> bool:
    """A short text with a hosted chatbot, by a member whose week is mostly such texts."""
    return (w.kind == "text" and not w.local and w.hosted_short_texts >= t.local_short_texts
            and w.generations > 0 and w.hosted_short_texts / w.generations > t.local_text_share)


def rct_due(w: WeekSoFar, t: TipThresholds) -> bool:
    """A scored prompt from a member whose week's average, over enough prompts, is low."""
    return w.scored and w.rct_avg is not None and w.rct_scored >= t.rct_min_prompts and w.rct_avg < t.rct_below


_DUE = {RECYCLE: recycling_due, LOCAL: local_due, RCT: rct_due}


def due(w: WeekSoFar, t: TipThresholds) -> str | None:
    """The one tip this log reply carries, or None: the first of `TIPS` whose moment it is and that the
    member has not seen this week."""
    if not t.enabled:
        return None
    return next((tip for tip in TIPS if not shown_this_week(w, tip) and _DUE[tip](w, t)), None)


def remember(shown: Mapping[str, Any], tip: str, week: str) -> dict[str, str]:
    """The member's memory of tips once `tip` is shown in `week` (unreadable entries dropped)."""
    kept = {str(k): str(v) for k, v in shown.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(shown, Mapping) else {}
    return {**kept, tip: week}


def most_missed(scored_parts: Iterable[Mapping[str, Any]]) -> tuple[str, int, int] | None:
    """The RCT part missing most often from stored parts ({"role": bool, …} per scored prompt):
    (part, times missed, prompts). A required part first (ties broken by `REQUIRED_PARTS`); the format only
    when every required part was always there; None when nothing was missed or nothing was scored."""
    misses: Counter[str] = Counter()
    n = 0
    for parts in scored_parts:
        if not isinstance(parts, Mapping):
            continue
        n += 1
        misses.update(p for p in (*REQUIRED_PARTS, BONUS_PART) if not parts.get(p))
    required = [(misses[p], -i, p) for i, p in enumerate(REQUIRED_PARTS) if misses[p]]
    if required:
        count, _, part = max(required)
        return part, count, n
    if misses[BONUS_PART]:
        return BONUS_PART, misses[BONUS_PART], n
    return None
