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
KIND_WEIGHTS = [("text", 50), ("image", 22), ("doc", 12), ("code", 8), ("audio", 3), ("video", 2)]
TOOLS = {"text": ["chatgpt", "mistral", "claude", None], "doc": ["chatgpt", "claude"], "image": ["midjourney", "dall-e", "firefly"],
         "video": ["runway"], "audio": ["suno"], "code": ["copilot"]}


def demo_events(now: datetime, weeks: int = 8, seed: int = 2026) -> list[Event]:
    """The demo's events, oldest first, ending at `now` (an aware datetime)."""
    rng = random.Random(seed)
    start = now - timedelta(weeks=weeks)
    scored = [score_prompt(p) for p in PROMPTS]
    events: list[Event] = []
    kinds = [k for k, _ in KIND_WEIGHTS]
    weights = [w for _, w in KIND_WEIGHTS]
    day = start
    while day < now:
        if day.weekday() < 5:
            week_index = (day - start).days // 7
            trend = 1.2 - 0.5 * week_index / max(weeks - 1, 1)  # the team gets more sober over time
            for user, _, appetite in TEAM:
                for _ in range(rng.randint(0, max(1, round(3 * appetite * trend)))):
                    at = day.replace(hour=rng.randint(8, 18), minute=rng.randint(0, 59), second=rng.randint(0, 59))
                    if at >= now:
                        continue
                    kind = rng.choices(kinds, weights)[0]
                    pi = rng.randrange(len(PROMPTS))
                    r = scored[pi] if rng.random() < 0.6 else None
                    events.append(Event(
                        id=uuid.UUID(int=rng.getrandbits(128)).hex[:12], ts=at.timestamp(), user=user, type=GENERATED,
                        kind=kind, count=rng.choice([1, 1, 1, 2, 3, 4]) if kind == "image" else rng.choice([1, 1, 2]),
                        zone="SWE" if (tool := rng.choice(TOOLS[kind])) == "mistral" else "USA", tool=tool,
                        rct=None if r is None else {"score": r.score, "band": r.band, "vague": r.task_vague,
                                                   "parts": {"role": r.role, "context": r.context, "task": r.task, "format": r.format}},
                    ))
                if rng.random() < 0.35 * (2 - trend):
                    at = day.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))
                    if at < now:
                        events.append(Event(
                            id=uuid.UUID(int=rng.getrandbits(128)).hex[:12], ts=at.timestamp(), user=user, type=AVOIDED,
                            kind=rng.choice(["image", "text", "doc"]), count=rng.randint(1, 3), zone="USA",
                        ))
        day += timedelta(days=1)
    events.sort(key=lambda e: e.ts)
    return events


def fill(store: Store, workspace: str, tz: ZoneInfo, now_ts: float) -> int:
    """Write the demo team and its events into `workspace`; returns the number of events."""
    now = datetime.fromtimestamp(now_ts, tz)
    for user, name, _ in TEAM:
        store.update_member(workspace, user, name=name, leaderboard=(user != "demo-ines"))
    return store.add_events(workspace, demo_events(now))
