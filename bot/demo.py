"""Eight weeks of plausible activity for a 12-person team, to try the coach at once.

Deterministic (seeded) so that the demo prints the same story every time for
the same day. Events are written in bulk (one write per day file).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.rct.score import score_prompt
from bot.store import AVOIDED, GENERATED, Event, Store

TEAM = [
    ("demo-camille", "Camille", 1.6), ("demo-lea", "Léa", 0.6), ("demo-hugo", "Hugo", 1.2),
    ("demo-ines", "Inès", 0.4), ("demo-lucas", "Lucas", 2.0), ("demo-manon", "Manon", 0.8),
    ("demo-nathan", "Nathan", 1.0), ("demo-sarah", "Sarah", 0.5), ("demo-theo", "Théo", 1.4),
    ("demo-chloe", "Chloé", 0.7), ("demo-yanis", "Yanis", 0.9), ("demo-zoe", "Zoé", 0.3),
]

PROMPTS = [
    "Tu es community manager. Notre boulangerie ouvre samedi à Lyon. Rédige un post Instagram de 3 lignes.",
    "un logo pour la boulangerie",
    "Rédige un mail de relance pour un client qui n'a pas payé sa facture de mars, ton cordial.",
    "Tu es juriste. Rédige une clause de confidentialité pour un contrat de prestation.",
    "résume ce texte",
    "Agis comme un expert SEO. Notre site vend des vélos d'occasion à Nantes. Propose 10 titres d'articles de blog.",
    "idées de slogan",
    "Vous êtes consultant RH. Nous sommes une PME de 40 personnes qui recrute deux commerciaux. Rédigez l'annonce en 200 mots.",
    "fais un truc bien pour la newsletter",
    "Traduis ce paragraphe en anglais : Nos horaires changent à partir du 1er décembre.",
]
HOW = ["réutilisé un visuel existant", "10 minutes de réflexion en équipe", "repris le modèle de l'an dernier", "photo maison"]
# Short texts and code completions: many, light, and not in the weekly zone (bot/core/zones.py).
LIGHT_WEIGHTS = [("text", 85), ("code", 15)]
# What the zone counts, as the article does: images and long texts first, some audio and video.
HEAVY_WEIGHTS = [("image", 55), ("doc", 33), ("audio", 7), ("video", 5)]
# The story of the eight complete weeks, in generations the zone counts: an ordinary week, a product-launch
# campaign (red), then a team that learns to reuse and to ask precisely: orange weeks getting lighter, then
# green. Exact targets, so every run of the demo shows the three colours whatever day it starts.
HEAVY_PER_WEEK = (58, 124, 71, 47, 33, 24, 17, 14)
CURRENT_WEEK_HEAVY = 12  # the week in progress, at the pace of a whole working week (scaled to the days gone)
TOOLS = {"text": ["chatgpt", "mistral", "claude", None], "doc": ["chatgpt", "claude"], "image": ["midjourney", "dall-e", "firefly"],
         "video": ["runway"], "audio": ["suno"], "code": ["copilot"]}


def demo_events(now: datetime, weeks: int = 8, seed: int = 2026) -> list[Event]:
    """The demo's events, oldest first, ending at `now` (an aware datetime).

    The demo covers `weeks` whole ISO weeks before the current one, then the current week up to `now`, so
    its weeks are the weeks /ia-stats, the summaries and the chart show. Each week's count of the kinds the
    zone counts is set by `HEAVY_PER_WEEK`; short texts and code come on top, drawn per member and day.
    """
    rng = random.Random(seed)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = monday - timedelta(weeks=weeks)
    scored = [score_prompt(p) for p in PROMPTS]
    events: list[Event] = []
    profile = _heavy_profile(weeks)

    def generated(at: datetime, user: str, kind: str, count: int) -> Event:
        tool = rng.choice(TOOLS[kind])
        pi = rng.randrange(len(PROMPTS))
        r = scored[pi] if kind in ("text", "doc", "image") and rng.random() < 0.6 else None
        return Event(
            id=uuid.UUID(int=rng.getrandbits(128)).hex[:12], ts=at.timestamp(), user=user, type=GENERATED,
            kind=kind, count=count, zone="SWE" if tool == "mistral" else "USA", tool=tool,
            rct=None if r is None else {"score": r.score, "band": r.band, "vague": r.task_vague,
                                       "parts": {"role": r.role, "context": r.context, "task": r.task, "format": r.format}},
        )

    def moment(day: datetime, first: int = 8, last: int = 18) -> datetime:
        return day.replace(hour=rng.randint(first, last), minute=rng.randint(0, 59), second=rng.randint(0, 59))

    for week in range(weeks + 1):
        first_day = start + timedelta(weeks=week)
        workdays = [first_day + timedelta(days=i) for i in range(5) if first_day + timedelta(days=i) < now]
        if not workdays:
            break
        trend = 1.2 - 0.5 * week / max(weeks - 1, 1)  # the team gets more sober over time
        # short texts and code: every member, every working day
        for day in workdays:
            for user, _, appetite in TEAM:
                for _ in range(rng.randint(0, max(1, round(1.8 * appetite * trend)))):
                    at = moment(day)
                    if at < now:
                        kind = rng.choices([k for k, _ in LIGHT_WEIGHTS], [w for _, w in LIGHT_WEIGHTS])[0]
                        events.append(generated(at, user, kind, rng.choice([1, 1, 2])))
                if rng.random() < 0.35 * (2 - trend):
                    at = moment(day, 9, 17)
                    if at < now:
                        events.append(Event(
                            id=uuid.UUID(int=rng.getrandbits(128)).hex[:12], ts=at.timestamp(), user=user,
                            type=AVOIDED, kind=rng.choice(["image", "text", "doc"]), count=rng.randint(1, 3), zone="USA",
                        ))
        # the heavy kinds, to the week's target, spread over its members (by appetite) and its days so far
        target = profile[week] if week < weeks else round(CURRENT_WEEK_HEAVY * len(workdays) / 5)
        users = [u for u, _, _ in TEAM]
        appetites = [a for _, _, a in TEAM]
        while target > 0:
            kind = rng.choices([k for k, _ in HEAVY_WEIGHTS], [w for _, w in HEAVY_WEIGHTS])[0]
            count = min(target, rng.choice([1, 1, 1, 2, 3, 4]) if kind == "image" else 1)
            at = moment(rng.choice(workdays))
            if at >= now:  # the day in progress: some time between its start and now
                day = max(workdays[-1], at.replace(hour=0, minute=0, second=0))
                at = day + (now - day) * rng.random()
            events.append(generated(at, rng.choices(users, appetites)[0], kind, count))
            target -= count
    events.sort(key=lambda e: e.ts)
    return events


def _heavy_profile(weeks: int) -> tuple[int, ...]:
    """`HEAVY_PER_WEEK` stretched or cut to `weeks` weeks, keeping its end (the team as it is now)."""
    if weeks <= len(HEAVY_PER_WEEK):
        return HEAVY_PER_WEEK[len(HEAVY_PER_WEEK) - weeks:]
    return (HEAVY_PER_WEEK[0],) * (weeks - len(HEAVY_PER_WEEK)) + HEAVY_PER_WEEK


def fill(store: Store, workspace: str, tz: ZoneInfo, now_ts: float) -> int:
    """Write the demo team and its events into `workspace`; returns the number of events."""
    now = datetime.fromtimestamp(now_ts, tz)
    for user, name, _ in TEAM:
        store.update_member(workspace, user, name=name, leaderboard=(user != "demo-ines"))
    return store.add_events(workspace, demo_events(now))
