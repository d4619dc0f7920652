"""The weekly volume diagnosis: green, orange or red.

From the seed article's pocket calculator: fewer than 20 generations a week is
a sober, targeted use; 20 to 100 is a risk of automating by reflex; more than
100 is "digital bulimia". Thresholds are per workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

GREEN, ORANGE, RED = "green", "orange", "red"

# How a zone is shown, in one place: chat replies (console, Slack, Discord), summaries, chart and report.
ZONE_EMOJI: dict[str, str] = {GREEN: "🟢", ORANGE: "🟠", RED: "🔴"}
ZONE_COLOURS: dict[str, str] = {GREEN: "#2f9e44", ORANGE: "#f08c00", RED: "#e03131"}


@dataclass(frozen=True)
class Thresholds:
    """`green_max` is the first count that is no longer green (20: 19 is green, 20 orange);
    `orange_max` is the last count that is still orange (100: 100 orange, 101 red)."""

    green_max: int = 20
    orange_max: int = 100


def zone_for(weekly_generations: int, t: Thresholds = Thresholds()) -> str:
    if weekly_generations < t.green_max:
        return GREEN
    if weekly_generations <= t.orange_max:
        return ORANGE
    return RED
