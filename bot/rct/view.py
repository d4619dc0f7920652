"""An RCT score as a reply shows it: part labels, verdict, hints, rewrite, notes.

All the words come from `templates/rct.j2` and its catalogues. The questions, labels and
notes are in the member's language; the examples inside the hints and the
suggested rewrite are in the language the prompt was written in, because the
member pastes them back into that prompt.

The member's words (`advice`, which picks them out of the prompt) are worked out only when a hint or the
rewrite quotes them, and copied field by field rather than by `dataclasses.asdict` (which deep-copies):
with the macros kept by the Renderer, `rct_view` went from 1.11 to 0.58 ms of a profiled /ia-log
(1,000 logs of four prompts, development machine). They reach the templates as a namespace rather than the
dict `advice` returns: Jinja reads `a.domain` (asked up to 39 times by the examples) as an attribute at once,
where on a dict it first fails as one; a log's view of a vague prompt took 55 µs instead of 97 (timeit). The
parts' labels and the verdict, the same words for every prompt, come from `Renderer.constant`.
"""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace
from typing import Any, Callable

from bot.rct import lexicon as L
from bot.rct.score import PARTS, RctResult
from bot.rct.words import Words
from bot.core.render import LANGS, Renderer, pick_lang
from bot.core.reply import RctPart, RctView


# The fix a log reply names first, as (part, whether it is present but vague): the request, missing or vague,
# since no context helps a prompt that asks for nothing clear (and the verdict then says "too vague"); then
# what costs the most points (context 30, role 20); the format is a bonus, named only when nothing else is.
FIX_ORDER: tuple[tuple[str, bool], ...] = (
    ("task", False), ("task", True), ("context", False), ("role", False), ("format", False),
)


def first_fix(result: RctResult) -> str | None:
    """The part whose advice a log names (FIX_ORDER); None for an empty or precise prompt."""
    if result.empty or result.band == "precise":
        return None
    for key, vague in FIX_ORDER:
        if bool(getattr(result, key)) == vague and _advised(key, result):
            return key
    return None


def _advised(key: str, result: RctResult) -> bool:
    """Whether `key` gets a hint: missing, or (the request) present but vague."""
    return not getattr(result, key) or (key == "task" and result.task_vague)


def rct_view(renderer: Renderer, lang: str, result: RctResult, rewrite: bool = True) -> RctView:
    """Render `result` for a member who reads `lang`; when `rewrite` is False, without the suggested rewrite,
    the notes and the hints other than the first fix's (a log's three lines show the score and one fix: the
    rest waits for « Détails », and is not worded only to be dropped on the path every log takes)."""
    lang = pick_lang(lang)
    prompt_lang = result.lang if result.lang in LANGS else lang

    def say(name: str) -> Callable[..., str]:
        return renderer.macro(lang, "rct", name)

    def example(name: str) -> Callable[..., str]:
        return renderer.macro(prompt_lang, "rct", name)

    advised = PARTS if rewrite else (first_fix(result),)
    hinted = () if result.empty else tuple(key for key in advised if key is not None and _advised(key, result))
    rewritten = rewrite and not result.empty and result.band != "precise"
    hints: dict[str, str] = {}
    suggested = ""
    if hinted or rewritten:
        # the member's words are picked out of the prompt only when a hint or the rewrite quotes them; the
        # templates read them as attributes (see the module docstring)
        a = SimpleNamespace(**advice(result, prompt_lang))
        hints = {key: _hint(key, result, a, say, example) for key in hinted}
        if rewritten:
            missing = [key for key in PARTS if not getattr(result, key)]
            suggested = say("rewrite_intro")() + "\n" + example("skeleton")(a, missing)
    parts = tuple(
        RctPart(
            key=key,
            label=renderer.constant(lang, "rct", "part_label", key),
            present=bool(getattr(result, key)),
            hint=hints.get(key, ""),
            optional=key == "format",
        )
        for key in PARTS
    )
    notes: list[str] = []
    if rewrite:
        if result.empty:
            notes.append(say("note_empty")())
        if result.truncated:
            tail = result.source[0].tail if result.source is not None else 0
            notes.append(say("note_truncated")(result.scored_chars - tail - 2 if tail else result.scored_chars,
                                               result.length, bool(tail)))
        if not result.empty and result.source is None:
            notes.append(say("note_stored")())
        elif prompt_lang != lang and (suggested or any(p.hint for p in parts)):
            notes.append(say("note_examples_lang")(prompt_lang))
    return RctView(
        score=result.score,
        band=result.band,
        verdict=renderer.constant(lang, "rct", "verdict", result.band),
        parts=parts,
        rewrite=suggested,
        notes=tuple(notes),
    )


_WORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Words))  # every field is a str or a bool


def advice(result: RctResult, lang: str = "fr") -> dict[str, Any]:
    """What the templates may quote: the member's words and the vague flag.

    A keyword prompt typed without an article ("flyer soirée", "picture of a cat") gets the one its own noun
    takes in `lang`, the language of the examples, so the suggested request agrees with what the member named
    (« Crée un flyer soirée », "Create a picture of a cat") rather than with the kind of deliverable; a plural
    ("ideas for a waitlist") keeps the template's own count (« Give me 5 ideas… »).
    """
    words = {name: getattr(result.words, name) for name in _WORD_FIELDS} | {"vague": result.task_vague}
    head = words["request"].split(maxsplit=1)[0].lower() if words["request"].strip() else ""
    plural = head.endswith(("s", "x")) and len(head) > 3  # "ideas", « idées », « tuyaux »: the template counts them
    if words["request"] and not words["request_article"] and not plural:
        words["request"] = f"{indefinite_article(words['request'], lang)} {words['request']}"
        words["request_article"] = True
    return words


def indefinite_article(noun_phrase: str, lang: str) -> str:
    """The indefinite article of a noun phrase: "un"/"une" in French, "a"/"an" in English."""
    first = noun_phrase.split(maxsplit=1)[0].lower() if noun_phrase.strip() else ""
    if lang == "en":
        vowel = first[:1] in "aeiou" and not first.startswith(L.AN_EXCEPTIONS)
        return "an" if vowel or first in L.AN_SILENT_H else "a"
    return "une" if first in L.FEMININE_NOUNS or first.removesuffix("s") in L.FEMININE_NOUNS else "un"


def _hint(
    key: str, result: RctResult, a: SimpleNamespace, say: Callable[[str], Callable[..., str]],
    example: Callable[[str], Callable[..., str]],
) -> str:
    present = bool(getattr(result, key))
    if key == "role" and not present:
        return say("hint_role")(example("example_role")(a))
    if key == "context" and not present:
        return say("hint_context")(a, example("example_context")(a))
    if key == "task" and not present:
        return say("hint_task_missing")(a, example("example_task")(a))
    if key == "task" and result.task_vague:
        return say("hint_task_vague")(example("example_task")(a))
    if key == "format" and not present:
        return say("hint_format")(example("example_format")(a))
    return ""
