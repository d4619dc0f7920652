"""The weekly volume diagnosis: green, orange or red.

From the seed article's pocket calculator (« calculatrice de poche »): count
« le nombre de générations (images ou textes longs) effectuées par semaine
dans votre structure »; fewer than 20 is a sober, targeted use, 20 to 100 a
risk of automating by reflex, more than 100 "digital bulimia".

What is counted matters as much as the lines. The article counts the heavy
generations, images and long texts; a short chat prompt or a code completion
uses a hundred times less energy (docs/methodology.md), and counting every one
of them called an ordinary 12-person team red three weeks out of four. So by
default the zone counts images, videos, audio and long documents (`doc`);
short texts and code are still logged and in every footprint, only not in the
zone. A workspace may count other kinds (`[zones] counted_kinds`,
`/ia-settings counted_kinds`).

The article's lines are for one small structure. A workspace may let them grow
with its active members (`scale_with_members`): the lines then hold for
`reference_members` active members and grow in proportion above that, never
below the article's own, so a large team is not red for being large while a
small one is judged exactly as the article says.

Every zone Sobria shows (the log reply, /ia-stats, the App Home, the weekly
and monthly summaries, the chart, the CSR report) comes from `diagnose`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol, Sequence

from bot.core.kinds import KINDS

GREEN, ORANGE, RED = "green", "orange", "red"

# How a zone is shown, in one place: chat replies (console, Slack, Discord), summaries, chart and report.
ZONE_EMOJI: dict[str, str] = {GREEN: "🟢", ORANGE: "🟠", RED: "🔴"}
ZONE_COLOURS: dict[str, str] = {GREEN: "#2f9e44", ORANGE: "#f08c00", RED: "#e03131"}

# The article's count: images or long texts, and the kinds heavier still (video, audio).
ARTICLE_KINDS: tuple[str, ...] = ("doc", "image", "video", "audio")
# A TPE (very small business) has fewer than 10 people: the size the article's lines are written for.
REFERENCE_MEMBERS = 10


def counted_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """`kinds` without repeats or unknown names, in the order of `KINDS` (so a setting reads the same everywhere)."""
    wanted = set(kinds)
    return tuple(k for k in KINDS if k in wanted)


@dataclass(frozen=True)
class Thresholds:
    """The workspace's rule for the weekly zone: where the lines are, what is counted, whether they scale.

    `green_max` is the first count that is no longer green (20: 19 is green, 20 orange);
    `orange_max` is the last count that is still orange (100: 100 orange, 101 red).
    `kinds` are the kinds counted. `per_members` is 0 when the lines are fixed, else the number of
    active members they hold for (they grow in proportion above it). What is counted travels with the
    lines on purpose: whatever is handed a workspace's thresholds (the scheduler, the report, the chart)
    cannot judge a week on one count and word it with another.
    """

    green_max: int = 20
    orange_max: int = 100
    kinds: tuple[str, ...] = ARTICLE_KINDS
    per_members: int = 0

    def for_members(self, active: int) -> Thresholds:
        """The lines in force for `active` members: as set, or grown by active / per_members (never shrunk)."""
        if not self.per_members or active <= self.per_members:
            return replace(self, per_members=0)
        factor = active / self.per_members
        return replace(self, green_max=round(self.green_max * factor), orange_max=round(self.orange_max * factor),
                       per_members=0)

    @property
    def all_kinds(self) -> bool:
        return set(self.kinds) >= set(KINDS)


class Countable(Protocol):
    """What can be counted for a zone: `bot.store.Counts`."""

    def zone_count(self, kinds: Sequence[str]) -> int: ...


@dataclass(frozen=True)
class Diagnosis:
    """A period's zone, the count it is based on and the lines it was judged against (scaled, if they scale)."""

    zone: str
    count: int
    thresholds: Thresholds


def zone_for(weekly_generations: int, t: Thresholds = Thresholds()) -> str:
    if weekly_generations < t.green_max:
        return GREEN
    if weekly_generations <= t.orange_max:
        return ORANGE
    return RED


def diagnose(counts: Countable, t: Thresholds, active: int = 0, days: int = 7) -> Diagnosis:
    """The zone of `counts`, a week (or `days` of one: judged on its pace per 7 days) with `active` members.

    The one place a zone is computed: it counts `t.kinds` only (`Counts.zone_count`).
    """
    n = counts.zone_count(t.kinds)
    lines = t.for_members(active)
    pace = n if days == 7 else round(n * 7 / max(days, 1))
    return Diagnosis(zone_for(pace, lines), n, lines)


ALL_WORDS = ("all", "tout", "tous", "toutes", "every", "everything")
ARTICLE_WORDS = ("article", "default", "defaut", "par-defaut", "standard")


def kinds_from_words(text: str) -> tuple[str, ...] | None:
    """The kinds an admin typed for `counted_kinds` ("image vidéo, audio", "tous", "article"), in canonical
    order; None when a word is not a kind (refused rather than half understood)."""
    from bot.core.grammar import fold  # the grammar imports the configuration, which imports this module
    from bot.core.kinds import KIND_WORDS

    words = [fold(w) for w in text.replace(",", " ").replace("+", " ").split() if fold(w) not in ("et", "and")]
    if len(words) == 1 and words[0] in ALL_WORDS:
        return KINDS
    if len(words) == 1 and words[0] in ARTICLE_WORDS:
        return ARTICLE_KINDS
    kinds = [KIND_WORDS.get(w) or (KIND_WORDS.get(w[:-1]) if w.endswith("s") else None) for w in words]
    if not kinds or None in kinds:
        return None
    return counted_kinds([k for k in kinds if k])
