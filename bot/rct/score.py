"""RCT prompt scoring: Rôle, Contexte, Tâche (and Format as a bonus).

A precise first prompt saves re-generations, which is the most direct way to
use generative AI frugally. `score_prompt` tells a member which parts their
prompt has, how complete it is (0-100), and gives the advice material
(their own words) that `rct_view` turns into hints and a rewrite.

The score formula is part of the product and documented in `docs/rct.md`;
changing it changes every stored score, so it is pinned by tests:

    score = 20 × rôle + 30 × contexte + tâche + 10 × format
    tâche = 40 for a clear request, 20 for a vague one, 0 for none

A vague request is a task with no real object ("fais un truc bien"), or a
keyword prompt that names a deliverable but asks for nothing ("un logo pour
ma boulangerie"). Bands: "precise" from 90 (rôle, contexte and a clear tâche),
"vague" below 50 or whenever the request is missing or vague, "incomplete"
otherwise.

Pure Python, no platform imports, never raises.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

from bot.rct.detect import Detection, detect
from bot.rct.text import MAX_CHARS, Prepared, prepare
from bot.rct.words import Words, pick_words

PARTS: tuple[str, ...] = ("role", "context", "task", "format")
REQUIRED: tuple[str, ...] = ("role", "context", "task")
WEIGHTS: dict[str, int] = {"role": 20, "context": 30, "task": 40, "format": 10}
VAGUE_TASK_POINTS = 20
PRECISE_FROM = 90
VAGUE_BELOW = 50
BANDS: tuple[str, ...] = ("precise", "incomplete", "vague")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RctResult:
    """A scored prompt.

    The fields are what the engine stores and shows. `words` holds the
    member's own words for the advice (their task sentence, their organisation,
    the deliverable…); it is worked out only when a reply shows the advice, so
    that scoring stays cheap, and it is empty when the result was rebuilt from
    storage (`from_stored`): the advice then uses generic examples.
    """

    role: bool
    context: bool
    task: bool
    format: bool
    task_vague: bool  # the request is vague: no real object, or a keyword prompt with no request
    score: int  # 0..100, see the module docstring
    band: str  # "precise" | "incomplete" | "vague"
    lang: str  # language the prompt is written in: "fr" | "en"
    truncated: bool  # only the first MAX_CHARS characters were scored
    empty: bool  # nothing but whitespace
    scored_chars: int = 0  # how many characters were scored (MAX_CHARS when truncated)
    length: int = 0  # how many characters the prompt had
    source: tuple[Prepared, Detection] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def words(self) -> Words:
        """The member's own words for the advice (empty when rebuilt from storage)."""
        return pick_words(*self.source) if self.source is not None else Words()

    def missing(self) -> tuple[str, ...]:
        """Required parts that are absent, in PARTS order (a vague task is present)."""
        return tuple(part for part in REQUIRED if not getattr(self, part))

    def parts(self) -> dict[str, bool]:
        """The four parts as stored with each logged prompt."""
        return {part: bool(getattr(self, part)) for part in PARTS}


def task_points(task: bool, vague: bool) -> int:
    """40 for a clear request, 20 for a vague one (or a deliverable named without a request), else 0."""
    if vague:
        return VAGUE_TASK_POINTS
    return WEIGHTS["task"] if task else 0


def compute_score(role: bool, context: bool, task: bool, format: bool, vague: bool) -> int:
    """The documented score: 20 × rôle + 30 × contexte + tâche + 10 × format."""
    return (
        WEIGHTS["role"] * bool(role)
        + WEIGHTS["context"] * bool(context)
        + task_points(task, vague)
        + WEIGHTS["format"] * bool(format)
    )


def band_for(score: int, task: bool, vague: bool) -> str:
    """"precise" from 90; "vague" under 50 or when the request is missing or vague; else "incomplete"."""
    if not task or vague or score < VAGUE_BELOW:
        return "vague"
    return "precise" if score >= PRECISE_FROM else "incomplete"


def score_prompt(text: str, lang_hint: str = "fr") -> RctResult:
    """Score a prompt as a member typed or pasted it. Never raises.

    `lang_hint` is the member's language: the result's `lang` (the language of
    the examples and the rewrite) when the prompt's own words do not tell.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text.strip():
        return _empty(length=len(text))
    try:
        return _score(text, lang_hint)
    except Exception:  # a scorer bug must never break a /ia-log: report it, answer "not scored"
        log.exception("RCT scoring failed on a %d-character prompt", len(text))
        return _empty(empty=False, length=len(text))


def _score(text: str, lang_hint: str = "fr") -> RctResult:
    p = prepare(text)
    d = detect(p)
    role, context, task, fmt = (x is not None for x in (d.role, d.context, d.task, d.format))
    score = compute_score(role, context, task, fmt, d.task_vague)
    return RctResult(
        role=role,
        context=context,
        task=task,
        format=fmt,
        task_vague=d.task_vague,
        score=score,
        band=band_for(score, task, d.task_vague),
        lang=d.lang or lang_hint,
        truncated=p.truncated,
        empty=False,
        scored_chars=len(p.original),
        length=len(text),
        source=(p, d),
    )


def _empty(empty: bool = True, length: int = 0) -> RctResult:
    truncated = length > MAX_CHARS
    return RctResult(
        role=False, context=False, task=False, format=False, task_vague=False, score=0, band="vague",
        lang="fr", truncated=truncated, empty=empty, scored_chars=min(length, MAX_CHARS), length=length,
    )


def from_stored(parts: dict[str, bool], score: int, lang: str, vague: bool | None = None) -> RctResult:
    """Rebuild a result from what is stored when the prompt text was not kept.

    `vague` is stored too, but the formula makes it recoverable from the score:
    what remains once rôle, contexte and format are counted is the task's share
    (40, 20 or 0). The score is recomputed, so a damaged record still gives a
    coherent result. Never raises.
    """
    try:
        parts = parts if isinstance(parts, dict) else {}
        role, context, task, fmt = (bool(parts.get(k)) for k in PARTS)
        if vague is None:
            rest = int(score) - compute_score(role, context, False, fmt, False)
            vague = rest == VAGUE_TASK_POINTS
        lang = lang if lang in ("fr", "en") else "fr"
    except (TypeError, ValueError):
        role = context = task = fmt = False
        vague, lang = False, "fr"
    new_score = compute_score(role, context, task, fmt, bool(vague))
    return RctResult(
        role=role, context=context, task=task, format=fmt, task_vague=bool(vague), score=new_score,
        band=band_for(new_score, task, bool(vague)), lang=lang, truncated=False, empty=False,
    )

