"""The member's own words, picked out of a prompt for the advice.

The advice quotes people back to themselves ("Tâche : Rédige un post
Instagram pour ma boulangerie"), so these helpers return slices of the
original text, never the folded form, tidied and bounded in length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.rct import lexicon as L
from bot.rct.detect import Detection
from bot.rct.text import Prepared, sentence_bounds, snippet


@dataclass(frozen=True)
class Words:
    role: str = ""  # the role clause, e.g. "Tu es community manager"
    context: str = ""  # a context sentence that is not the task sentence
    task: str = ""  # the task sentence, without a leading role clause or label
    format: str = ""  # a format clause outside the task sentence
    request: str = ""  # a keyword prompt ("un logo pour ma boulangerie"), to turn into a task
    request_article: bool = False  # the keyword prompt starts with a determiner ("un logo…", not "logo…")
    deliverable: str = ""  # deliverable key: "post", "logo", "email"...
    domain: str = ""  # advice domain: "social", "design", "code"...
    org: str = ""  # "ma boulangerie", "my bakery"
    topic: str = ""  # "les bienfaits du thé vert"
    material: bool = False  # the context is pasted material (text, data, code), not quoted back


def pick_words(p: Prepared, d: Detection) -> Words:
    """What the advice can quote from this prompt."""
    text, plain = p.original, p.plain
    task = role = context = fmt = ""
    task_bounds: tuple[int, int] | None = None
    if d.task is not None:
        start, end = sentence_bounds(text, d.task[0])
        label = L.LABEL_TASK.match(plain, start) or L.LABEL_TASK.match(plain, _line_start(plain, d.task[0]))
        if label and label.end() > start:
            start = label.end()
        if d.role is not None and start <= d.role[1] <= d.task[0]:
            start = d.role[1] + 1
        end = min([end] + [a for a, _ in d.hidden if d.task[0] < a < end])  # stop where pasted text begins
        task_bounds = (start, end)
        task = snippet(text, start, end)
    if d.role is not None:
        role = snippet(text, *_strip_label(plain, L.LABEL_ROLE, *d.role))
    if d.context is not None and not d.material:
        c_start, c_end = sentence_bounds(text, d.context[0])
        if task_bounds is not None and _overlaps((c_start, c_end), task_bounds):
            # one sentence holds both: the context keeps its own words and the task the rest, so the
            # rewrite shows the context on its Contexte line ("Pour notre client, un traiteur…, rédige…")
            (c_start, c_end), task_bounds = _split(plain, (c_start, c_end), d.context, task_bounds, d.task)
            task = _capitalised(snippet(text, *task_bounds))
        if d.role is not None and _overlaps((c_start, c_end), d.role):
            c_start = max(c_start, min(d.role[1], d.context[0]))
        if d.format is not None and d.context[1] <= d.format[0] < c_end:
            c_end = _clause(plain, d.format[0], d.format[1])[0]  # "…, ton chaleureux": the format's own line
        context = _capitalised(snippet(text, *_strip_label(plain, L.LABEL_CONTEXT, c_start, c_end)))
    if d.format is not None:
        f_start, f_end = _clause(plain, d.format[0], d.format[1])
        if not _overlaps((f_start, f_end), task_bounds):
            fmt = snippet(text, *_strip_label(plain, L.LABEL_FORMAT, f_start, f_end), limit=100)
    request = ""
    deliverable = L.DELIVERABLE_KEY.get(d.deliverable, "")
    article = False
    if d.task is None:
        request = snippet(text, 0, len(text), limit=100)
        article = bool(d.tokens) and d.tokens[0] in L.DETERMINERS
        if d.lang == "en":
            deliverable = _english_head(d.tokens) or deliverable
    return Words(
        role=role,
        context=context,
        task=task,
        format=fmt,
        request=request,
        request_article=article,
        deliverable=deliverable,
        domain=_domain(d.tokens, L.DELIVERABLE_DOMAIN.get(deliverable, "")),
        org=_org(text, plain),
        topic=_topic(text, plain, task_bounds),
        material=d.material,
    )


def _split(
    plain: str, sentence: tuple[int, int], found: tuple[int, int], task_bounds: tuple[int, int],
    task: tuple[int, int] | None,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Share a sentence between the context and the task: whichever comes first ends where the other starts.

    "Pour le site de notre client, un traiteur lyonnais, rédige une page d'accueil" gives the context
    "Pour le site de notre client, un traiteur lyonnais" and the task "rédige une page d'accueil";
    "Rédige une invitation pour des voisins âgés" gives the task "Rédige une invitation" and the
    context "pour des voisins âgés".
    """
    t_start, t_end = task_bounds
    verb = task[0] if task is not None else t_start
    if found[0] < verb:
        return (max(sentence[0], t_start if t_start < found[0] else sentence[0]), verb), (verb, t_end)
    start = _phrase_start(plain, found[0], verb)
    if start <= verb:
        return sentence, task_bounds  # nothing left for the task: both lines quote the sentence
    return (start, min(sentence[1], t_end) if t_end > start else sentence[1]), (t_start, start)


def _phrase_start(plain: str, pos: int, floor: int) -> int:
    """Where the phrase holding `pos` starts: after the last comma, or at its preposition ("pour des…")."""
    comma = max(plain.rfind(c, floor, pos) for c in ",;:")
    if comma >= 0:
        return comma + 1
    lead = -1
    for m in _PHRASE_LEAD.finditer(plain, floor, pos + 12):
        if m.start() > pos:
            break
        lead = m.start()
    return lead if lead > floor else pos


_PHRASE_LEAD = re.compile(
    r"\b(?:pour|a|aux|avec|sans|chez|dans|depuis|car|parce|puisque|sachant|for|to|with|without|at|in|because|since|"
    r"using)\b"
)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _strip_label(plain: str, label: re.Pattern[str], start: int, end: int) -> tuple[int, int]:
    m = label.match(plain, _line_start(plain, start))
    if m and m.end() <= end:
        return max(start, m.end()), end
    return start, end


def _overlaps(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


def _clause(plain: str, start: int, end: int) -> tuple[int, int]:
    left = max(plain.rfind(c, 0, start) for c in ",;.!?\n") + 1
    rights = [i for i in (plain.find(c, end) for c in ",;.!?\n") if i >= 0]
    return left, min(rights) if rights else len(plain)


def _domain(tokens: tuple[str, ...], from_deliverable: str) -> str:
    """The advice domain: the deliverable's, unless it is plain writing and the words name a specialty.

    "Une annonce pour recruter un serveur" is an HR matter written as text; "un
    post pour ma boulangerie" stays a social-media post.
    """
    keys = {L.DOMAIN_KEY[t] for t in tokens if t in L.DOMAIN_KEY}
    best = min(keys, key=L.DOMAIN_ORDER.__getitem__) if keys else ""
    if from_deliverable and not (from_deliverable == "writing" and best in L.SPECIALTIES):
        return from_deliverable
    return best


def _english_head(tokens: tuple[str, ...]) -> str:
    """In "newsletter ideas for a plant shop" the deliverable is the last noun before the preposition."""
    head = ""
    for tok in tokens:
        if tok in L.EN_HEAD_STOP:
            break
        head = L.DELIVERABLE_KEY.get(tok, head)
    return head


def _org(text: str, plain: str) -> str:
    m = L.ORG.search(plain)
    return snippet(text, m.start(), m.end(), limit=60) if m else ""


def _topic(text: str, plain: str, bounds: tuple[int, int] | None) -> str:
    start, end = bounds if bounds else (0, len(plain))
    m = L.TOPIC.search(plain, start, end)
    if not m:
        return ""
    stop = L.TOPIC_STOP.search(plain, m.end(), end)
    topic_end = stop.start() if stop else end
    first = plain[m.end() : topic_end].split(maxsplit=1)[:1]
    if first and (first[0] in L.TASK_VERB_WORDS or first[0].endswith(("er", "ir"))):
        return ""  # "pour recruter un serveur" is a purpose, not a topic
    return snippet(text, m.end(), topic_end, limit=60)
