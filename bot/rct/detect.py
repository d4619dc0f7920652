"""Finding Rôle, Contexte, Tâche and Format in a prepared prompt.

Each finder returns the (start, end) of the evidence it relied on, or None.
Positions are the same in the member's text, the folded text and the masked
text (see `rct_text`), so the advice can quote the member's own sentence.

Order matters: the role is found first, because "Agis comme un traducteur"
starts with an imperative that is not a task, and "Tu es un pro" holds a
word that elsewhere would be a tone.

Speed matters too (thousands of prompts a second): the prompt's words are
listed once, and word lookups in sets decide which patterns are worth
running at all (`lexicon.woken`). Work that cannot change a result is left
undone: an earliest-match finder runs one `search` per pattern and makes an
iterator only when that first match must be skipped; the facts of the
member's situation are searched one rule at a time until one is found, and
places only when there is a request; what a message must say only when the
prompt holds what such content starts with.

Measured on 3 December 2026 (/tmp scripts, not kept): `score_prompt` before
these changes (bot/rct as of 4b1aa62) and after, alternating in one process,
CPU time of the thread, the least of 20 rounds per prompt, on a 2-core
machine shared with other work (absolute figures move by a third between
runs, the ratios by a tenth). The four one-line prompts of issue #19: mean
272 → 160 µs a call (1.69×; "un logo pour la boulangerie" 154 → 63 µs).
The 2,199 prompts of tests/data/rct*.jsonl and tests/data/rct/: median
291 → 188 µs (1.54×), mean 381 → 279 µs (1.37×). Most of what is left is
the regex engine scanning the text once per pattern woken up.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.rct import lexicon as L
from bot.rct.text import MASK, Prepared, fold_aligned, masked, words

Span = tuple[int, int]

_KEYWORD_LINE_WORDS = 10  # a line of keywords, not a sentence
_KEYWORD_LINE_CHARS = 160
_MAX_COLONS = 25  # enough for any real prompt; a wall of colons is not worth more
_BODY_WORDS_SCAN = 400  # characters read to count the words after a colon
_CLAUSE_END = re.compile(r"[,.;:!?\n]|\s(?:et|and|puis|then|pour que|so that)\s")
_SENTENCE_STOP = re.compile(r"[.!?\n]")
_TOKENS = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
_SELF_AFTER_AS = re.compile(r"\b(?:je|j'|i|i'm|we|nous)\b")
_YOU = re.compile(r"\b(?:tu|vous|you|t'|te)\b|-(?:tu|vous)\b")
_POSSESSIVE = frozenset("mon ma mes ton ta tes ce cet cette ces my this these our notre nos votre vos your".split())
_FR_WORDS = frozenset(
    "le la les des un une du et est pour avec que qui dans sur pas je tu il nous vous ils mon ma mes notre nos ton "
    "ta tes votre vos ce cette ces au aux ou mais donc ne plus tres moi toi fais peux merci bonjour rediger redige "
    "quel quelle comment pourquoi ai c qu d l sont ecris aide".split()
)
_EN_WORDS = frozenset(
    "the and is are for with that this to of my our your you i we it be can what how why please me not at from by "
    "have has will would could should write give make help need want about an some any their they them do does "
    "m re s don t".split()
)


class Detection(NamedTuple):
    """Where each part was found (None when absent) and what the advice needs."""

    role: Span | None
    context: Span | None
    task: Span | None
    format: Span | None
    task_vague: bool
    material: bool  # the context is (or includes) pasted material: text, data, code
    lang: str
    deliverable: str  # the first deliverable word ("logo", "post"...), "" when none
    role_self: Span | None  # "En tant que gérante, j'…": the member's identity
    tokens: tuple[str, ...]  # the prompt's words (folded), in order
    hidden: tuple[Span, ...] = ()  # material read as context, never as instructions


def detect(p: Prepared) -> Detection:
    """Run every finder on a prepared prompt."""
    hidden, material = _material(p)
    plain = _mask(p.plain, hidden)
    tokens = tuple(_TOKENS.findall(plain))
    present = set(tokens)
    if _DIGIT.search(plain):
        present.add(L.DIGIT)
    labels = _labels(plain)
    roles, role_self = _roles(p, plain, labels, present)
    task = _task(plain, roles, present, labels)
    deliverable = next((t for t in tokens if t in L.DELIVERABLE_KEY), "")
    vague = False
    if task is not None:
        vague = _vague(plain, roles, tokens, present)
    elif not roles:
        vague = _keywords(plain, tokens)  # a keyword prompt names what it wants, but asks for nothing
    return Detection(
        role=roles[0] if roles else None,
        context=_context(p, plain, material, role_self, present, labels, roles, task),
        task=task,
        format=_format(plain, roles, labels, present),
        task_vague=vague,
        material=material is not None,
        lang=_lang(tokens),
        deliverable=deliverable,
        role_self=role_self,
        tokens=tokens,
        hidden=tuple(sorted(hidden)),
    )


# ---------------------------------------------------------------- labels
def _labels(plain: str) -> dict[str, Span]:
    """The first "Rôle :", "Contexte :", "Tâche :", "Format :" label of each kind."""
    found: dict[str, Span] = {}
    if any(mark in plain for mark in L.LABEL_MARKS):
        for m in L.LABELS.finditer(plain):
            found.setdefault(m.lastgroup or "", m.span())
    return found


# ---------------------------------------------------------------- material
def _material(p: Prepared) -> tuple[list[Span], Span | None]:
    """Spans to hide from instruction finders, and the first one that counts as context."""
    hide: list[Span] = []
    found: Span | None = None
    for start, end, n in p.code:
        hide.append((start, end))
        if n >= 1 and found is None:
            found = (start, end)
    for start, end, n in p.quotes:
        if found is None and not _after_protocol(p.plain, start) and (
            n >= L.MATERIAL_MIN_WORDS or (n >= L.POINTED_QUOTE_MIN_WORDS and _pointed(p, start, end))
        ):
            found = (start, end)
    plain = p.plain
    if ":" in plain:
        for n, m in enumerate(L.MATERIAL_COLON.finditer(plain)):
            if n == _MAX_COLONS:
                break
            span = _colon_material(plain, m)
            if span is not None:
                hide.append(span)
                found = found or span
    if "\n" in plain:
        block = _list_material(plain)
        if block is not None:
            hide.append(block)
            found = found or block
    if found is None and "\n\n" in plain:
        block = _long_paragraph(plain)
        if block is not None:
            hide.append(block)
            found = block
    if found is None:
        code = _code_material(plain)
        if code is not None:
            hide.append(code)
            found = code
    if found is None and any(c in p.folded for c in "[{<"):
        slot = L.SLOT.search(p.folded)  # « Avis : « [avis] » »: a slot inside quotes is still a slot
        if slot:
            found = slot.span()
    return hide, found


def _pointed(p: Prepared, start: int, end: int) -> bool:
    """A quote announced by a colon after "cet avis", "this review", that holds clauses of its own (a comma or a
    semicolon inside): the text supplied, however short (spec (e)). A bare title ('Quality Windows For Your Home')
    is an item to act on, and so is a one-sentence subject line ('Nos nouveautés sont arrivées !')."""
    before = p.plain[max(0, start - 60):start].rstrip()
    if not before.endswith(":") or L.MATERIAL_POINTER.search(before) is None:
        return False
    return any(mark in p.folded[start + 1:end - 1] for mark in ",;")


def _long_paragraph(plain: str) -> Span | None:
    """A long paragraph beside others, with no request in its first sentence: a pasted text ("…\n\nSummarise this")."""
    start = 0
    for part in plain.split("\n\n"):
        end = start + len(part)
        if len(words(part[: _BODY_WORDS_SCAN * 3])) >= L.PASTED_PARAGRAPH_WORDS and not _starts_with_request(part.strip()):
            if not L.QUESTION_HEAD.match(part.strip()) and not L.ROLE_START.match(part.strip()):
                return start, end
        start = end + 2
    return None


def _after_protocol(plain: str, pos: int) -> bool:
    """A quote that follows "My first request is…": an example of the exchange, not material (spec)."""
    line = plain.rfind("\n", 0, pos) + 1
    return L.PROTOCOL.search(plain, max(line, pos - 80), pos) is not None


def _code_material(plain: str) -> Span | None:
    """Code, an error message or data pasted without a code fence: two code-like lines, or one error line."""
    error = L.ERROR_LINE.search(plain) if any(w in plain for w in L.ERROR_MARKS) else None
    if error is not None:
        return plain.rfind("\n", 0, error.start()) + 1, error.end()
    if "\n" not in plain:
        return None
    first = last = -1
    count = 0
    pos = 0
    for line in plain.split("\n"):
        end = pos + len(line)
        if L.CODE_LINE.search(line):
            first = pos if first < 0 else first
            last = end
            count += 1
        pos = end + 1
    return (first, last) if count >= 2 else None


def _colon_material(plain: str, m: re.Match[str]) -> Span | None:
    """The paragraph after a colon, when it is text to work on rather than an instruction."""
    colon = plain.index(":", m.start())
    if plain.startswith("//", colon + 1):
        return None
    sentence_start = max(plain.rfind(c, 0, colon) for c in ".!?\n") + 1
    prefix = plain[sentence_start:colon]
    body_start = m.end()
    while body_start < len(plain) and plain[body_start] in " \t\n":
        body_start += 1
    if plain.startswith(MASK, body_start):
        return None  # a quote or a code block: the material is that alone, and what follows it is read
    para_end = plain.find("\n\n", body_start)
    body_end = _instruction_after(plain, body_start, len(plain) if para_end < 0 else para_end)
    body = plain[body_start:body_end]
    n = len(words(body[:_BODY_WORDS_SCAN]))
    if n == 0:
        return None
    pointer = L.MATERIAL_POINTER.search(prefix) is not None
    if L.VISUAL_REQUEST.search(prefix):
        return None  # "une image pour ma page : le camion sous la pluie…": the picture to make, not material
    if not pointer and len(words(prefix)) <= 3:  # "Tâche : …", "Ton : …": a label, not material
        return None
    if _starts_with_request(body) or _short_list(body):
        return None
    if (pointer and n >= L.MATERIAL_MIN_WORDS) or n >= L.LONG_MATERIAL_WORDS:
        return body_start, body_end
    return None


def _short_list(body: str) -> bool:
    """"parking, heure d'arrivée, animaux, taxe de séjour": a short list of items to act on, not material (spec)."""
    sentence = _SENTENCE_STOP.split(body, 1)[0]
    items = [item for item in _LIST_SEPARATOR.split(sentence) if item.strip()]
    return len(items) >= 3 and sum(len(words(item)) for item in items) <= 3 * len(items)


_LIST_SEPARATOR = re.compile(r"[,;/]|\s(?:et|and|ou|or)\s")


def _instruction_after(plain: str, start: int, end: int) -> int:
    """Where pasted text gives way to a new instruction ("… churn 4%. Write a summary…"), else `end`."""
    for m in _SENTENCE_STOP.finditer(plain, start, end):
        nxt = m.end()
        while nxt < end and plain[nxt] in " \t\n":
            nxt += 1
        if nxt < end and (
            _starts_with_request(plain[nxt:end], deliverables=False) or L.QUESTION_HEAD.match(plain, nxt)
            or L.FORMAT_HEAD.match(plain, nxt)
        ):
            return m.start()  # the full stop stays visible: it leads the next clause
    return end


def _list_material(plain: str) -> Span | None:
    """A bullet or numbered list of text introduced as input ("You are given a list of reviews…")."""
    if not L.LIST_POINTER.search(plain):
        return None
    first = last = -1
    count = total = 0
    for m in L.LIST_LINE.finditer(plain):
        head = _TOKENS.match(m.group(1))
        if head and head.group(0) in L.TASK_VERB_WORDS:
            continue  # "1. Rédige…": a list of instructions
        first = m.start() if first < 0 else first
        last = m.end()
        count += 1
        total += len(words(m.group(1)))
    if count >= 2 and total >= L.MATERIAL_MIN_WORDS:
        return first, last
    return None


def _starts_with_request(body: str, deliverables: bool = True) -> bool:
    head = body[:60]
    first = _TOKENS.match(head)
    if first and first.group(0) in L.TASK_VERB_WORDS:
        return True
    if L.REQUEST.match(head):
        return True
    if not deliverables:
        return False
    early = _TOKENS.findall(head[:30])[:3]
    return any(t in L.DELIVERABLE_KEY for t in early)


def _mask(plain: str, spans: list[Span]) -> str:
    """`plain` with MASK over the spans (newlines kept): overlapping spans are merged first, so a wall of
    colons costs one pass, not one per colon."""
    if not spans:
        return plain
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(plain[pos:start])
        parts.append(masked(plain[start:end]))
        pos = end
    parts.append(plain[pos:])
    return "".join(parts)


# ---------------------------------------------------------------- role
def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def _roles(p: Prepared, plain: str, labels: dict[str, Span], present: set[str]) -> tuple[list[Span], Span | None]:
    spans: list[Span] = []
    for pattern in L.woken(L.ROLE_RULES, L.ROLE_RULES_BY_WORD, present):
        for m in pattern.finditer(plain):
            if L.NOT_ROLE_AFTER_YOU_ARE.match(plain, m.start()):
                continue
            spans.append((m.start(), _clause_end(plain, m.end())))
    if " es " in plain or "etes" in plain or "you" in plain or "incarne" in plain or "devien" in plain or "deven" in plain \
            or "become" in plain or "play the role" in plain or "pretend to be" in plain:
        for m in L.ROLE_NAME.finditer(p.original):
            if plain[m.start()] != MASK:
                spans.append((m.start(), _clause_end(plain, m.end())))
    if "role" in labels:
        start, end = labels["role"]
        line_end = plain.find("\n", end)
        spans.append((start, len(plain) if line_end < 0 else line_end))
    role_self: Span | None = None
    if "en tant qu" in plain or "as a" in plain:
        for m in L.ROLE_AS.finditer(plain):
            lead = m.group(0)
            start = m.start() + len(lead) - len(lead.lstrip(",.!?\n \t"))
            stop = _SENTENCE_STOP.search(plain, m.end())
            sentence_end = stop.start() if stop else len(plain)
            comma = plain.find(",", m.end(), sentence_end)
            # "As a small business owner, what do I need…": the member's identity, unless the clause
            # speaks to the AI first ("As a copywriter, how would you…")
            clause = comma + 1 if comma >= 0 else m.end()
            me = _SELF_AFTER_AS.search(plain, clause, sentence_end)
            you = _YOU.search(plain, clause, sentence_end)
            is_self = (comma >= 0 and L.ROLE_AS_SELF.match(plain, comma + 1) is not None) or (
                me is not None and (you is None or me.start() < you.start())
            )
            if is_self:
                role_self = role_self or (start, comma if comma >= 0 else sentence_end)
            elif comma >= 0:
                spans.append((start, comma))
    spans.sort()
    return spans, role_self


def _inside(pos: int, spans: list[Span]) -> bool:
    return any(a <= pos < b for a, b in spans)


# ---------------------------------------------------------------- task
def _task(plain: str, roles: list[Span], present: set[str], labels: dict[str, Span]) -> Span | None:
    best = labels["task"][0] if "task" in labels else None
    if best is None and ("[" in plain or "{" in plain or "<" in plain):
        slot = L.TASK_SLOT.search(plain)  # a template's "[Tâche]" stands for the task
        best = slot.start() if slot else None
    verb = _first_imperative(plain, roles, present)
    if verb is not None:
        best = _earlier(best, verb)
    limit = len(plain) if best is None else best
    rules = L.woken(L.REQUEST_RULES, L.REQUEST_RULES_BY_WORD, present)
    if not L.QUESTION_TRIGGERS.isdisjoint(present):
        rules.append(L.QUESTION_START)
    if "-" in plain:
        rules.append(L.QUESTION_INVERSION)
    found = _earliest(rules, plain, limit, roles)
    if found is not None:
        best = found[0]
        limit = best
    q = plain.find("?", 0, limit)
    while q >= 0:
        if not _inside(q, roles):
            best = _earlier(best, q)
            break
        q = plain.find("?", q + 1, limit)
    if best is None or L.GREETING_QUESTION.match(plain):
        return None
    stop = _SENTENCE_STOP.search(plain, best)
    return best, stop.end() if stop else len(plain)


def _first_imperative(plain: str, roles: list[Span], present: set[str]) -> int | None:
    """The earliest task verb that starts a clause ("Rédige…", "…, then write…")."""
    best: int | None = None
    for verb in present & L.TASK_VERB_WORDS:
        pos = _word_at(plain, verb, 0)
        while pos >= 0 and (best is None or pos < best):
            if _is_imperative(plain, verb, pos, roles):
                best = pos
                break
            pos = _word_at(plain, verb, pos + 1)
    return best


def _word_at(text: str, word: str, start: int) -> int:
    """Position of `word` as a whole word at or after `start`, or -1."""
    n = len(word)
    pos = text.find(word, start)
    while pos >= 0:
        before = text[pos - 1] if pos else " "
        after = text[pos + n] if pos + n < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            return pos
        pos = text.find(word, pos + 1)
    return -1


def _is_imperative(plain: str, verb: str, pos: int, roles: list[Span]) -> bool:
    if _inside(pos, roles):
        return False
    if L.TASK_VERB_LEAD.search(plain, max(0, pos - 24), pos) is None:
        return False
    end = pos + len(verb)
    if plain.startswith("-vous", end):  # "rendez-vous"
        return False
    if L.LABEL_AFTER.match(plain, end):
        return False
    return not (verb in L.NOUNISH_VERBS and L.NOT_IMPERATIVE_AFTER.match(plain, end))


def _earliest(
    patterns: list[re.Pattern[str]], plain: str, limit: int, roles: list[Span], cue: bool = False
) -> Span | None:
    """The earliest match of any pattern before `limit`, outside role clauses.

    With `cue`, a match about the input ("ce tableau") is skipped. Each match
    found shortens the search for the next patterns. Most patterns find nothing:
    one `search` (0.9 µs) then costs less than a `finditer` iterator (1.5 µs),
    which is only made when the first match is skipped.
    """
    best: Span | None = None
    for pattern in patterns:
        m = pattern.search(plain, 0, limit)
        if m is not None and _skipped(m, plain, roles, cue):
            m = next((n for n in pattern.finditer(plain, 0, limit) if not _skipped(n, plain, roles, cue)), None)
        if m is not None:
            best, limit = m.span(), m.start()
    return best


def _skipped(m: re.Match[str], plain: str, roles: list[Span], cue: bool) -> bool:
    """A match inside a role clause, or (with `cue`) a shape that describes the input."""
    if _inside(m.start(), roles):
        return True
    # the short look back (OUTPUT_LEAD, 20 characters) before the long one (FORMAT_INPUT_CUE, 80 characters and a
    # costly pattern): "… en 5 lignes" then never needs the long one
    return bool(
        cue and L.INPUT_SHAPE.match(plain, m.start()) and not L.OUTPUT_LEAD.search(plain, max(0, m.start() - 20), m.start())
        and L.FORMAT_INPUT_CUE.search(plain, max(0, m.start() - 80), m.start())
    )


def _earlier(best: int | None, pos: int) -> int:
    return pos if best is None or pos < best else best


def _keywords(plain: str, tokens: tuple[str, ...]) -> bool:
    """A keyword prompt: words that name something ("logo boulangerie", "compte rendu de réunion client"),
    with no request, no sentence about anyone and not a mere greeting or thanks.

    One rule for all of them, so that every keyword prompt earns the same vague-task points.
    """
    if len(tokens) > L.KEYWORD_PROMPT_MAX_WORDS or L.PERSON_WORD.search(plain):
        return False
    return any(t not in L.FUNCTION_WORDS and t not in L.COURTESY_WORDS for t in tokens)


def _vague(plain: str, roles: list[Span], tokens: tuple[str, ...], present: set[str]) -> bool:
    """A request with nothing real to produce: "fais un truc bien", "aide-moi", "help me with my resume"."""
    outside = plain
    if roles:
        outside = _mask(plain, roles)
        tokens = tuple(_TOKENS.findall(outside))
        present = set(tokens)
    if not L.VAGUE_TRIGGERS.isdisjoint(present) and L.VAGUE_PLACEHOLDER.search(outside):
        return True  # "un truc", "something": whatever it is for, the AI does not know what to make
    if len(tokens) <= 12 and L.VAGUE_HELP_DOMAIN.match(outside.replace(MASK, " ").strip()):
        return True
    verb_seen = False
    for i, tok in enumerate(tokens):
        if tok in L.FUNCTION_WORDS:
            continue
        if tok in L.TASK_VERB_WORDS and not verb_seen:  # the request's verb; a second one is its object ("a reply")
            verb_seen = True
            continue
        if tok in L.GENERIC_OBJECTS and (not i or tokens[i - 1] not in _POSSESSIVE):
            continue
        return False
    return True


# ---------------------------------------------------------------- context
def _context(
    p: Prepared, plain: str, material: Span | None, role_self: Span | None, present: set[str],
    labels: dict[str, Span], roles: list[Span], task: Span | None,
) -> Span | None:
    if material is not None:
        return material
    if "context" in labels:
        return labels["context"]
    if role_self is not None:
        return role_self
    # What the spec says is not context: the persona of the AI ("Tu es un chef avec 20 ans de métier"),
    # the protocol of a role-play ("I will give you a word and you will…").
    protocol = _sentences(plain, L.PROTOCOL) if not L.PROTOCOL_TRIGGERS.isdisjoint(present) else []
    if not L.MESSAGE_CONTENT_TRIGGERS.isdisjoint(present):
        # what a message says is its content, except a problem it reports ("prévenir le client que le technicien aura
        # 30 minutes de retard"): that is the situation behind it (spec (b))
        problem = L.PROBLEM.search(_mask(plain, protocol)) if not L.PROBLEM_TRIGGERS.isdisjoint(present) else None
        if problem:
            return problem.span()
        if not L.MESSAGE_CONTENT_LEADS.isdisjoint(present) or "telling " in plain:
            protocol += [m.span("content") for m in L.MESSAGE_CONTENT.finditer(plain)]
    text = _mask(plain, protocol)
    # for whom the output is counts even in the persona: "an assistant for pilots"
    for pattern in L.woken(L.FOR_WHOM_RULES, L.FOR_WHOM_RULES_BY_WORD, present):
        is_org = L.is_org_pattern(pattern)
        for m in pattern.finditer(text):
            # "un logo pour ma boulangerie", "names for a bike-repair business": the organisation is what the
            # logo or the name stands for, the object of the deliverable (spec: topic), not its client
            if is_org and L.IDENTITY_ARTEFACT.search(text, max(0, m.start() - 40), m.start()) \
                    and not L.ORG_DESCRIBED.match(text, m.end()) and not m.group(0).endswith(("qui", "that", "which", "who")):
                continue
            if _inside(m.start(), roles) and L.POSSESSIVE.match(text, m.start()):
                continue  # "Agis comme mon avocat": the persona, not the member's organisation
            if not is_org and _in_topic(text, m.start()) \
                    and not L.FIRST_PERSON.search(text, max(0, m.start() - 12), m.end()):
                continue  # "a post about budgeting for students" is a topic; "… for my Year 9 class" is the audience
            return m.span()
    text = _mask(text, [span for span in roles if not L.ROLE_SELF_DETAIL.search(plain, *span)])
    for pattern in L.woken(L.CONTEXT_RULES, L.CONTEXT_RULES_BY_WORD, present):
        m = pattern.search(text)
        if m:
            return m.span()
    if task is None and len(text) <= _KEYWORD_LINE_CHARS and not L.IDENTITY_ARTEFACT_WORD.search(text) \
            and not L.VISUAL_REQUEST.search(text):
        # a keyword line naming the organisation the document is for: « fiche de poste cabinet dentaire »; in a scene
        # to picture ("fox reading in a cozy library, 4k") a place is scenery, unless named by its trade
        # (« carte de voeux cabinet d'avocats, sobre »)
        org = L.ORG_WORD.search(text) if len(words(text)) <= _KEYWORD_LINE_WORDS else None
        if org and (L.ORG_OF.match(text, org.end()) or not L.IMAGE_STYLE.search(text)):
            return org.span()
        near = L.PLACE_AROUND.search(p.original)
        if near and text[near.start()] != MASK:
            return near.span()
    return _fact_or_place(p, text, present, task)


def _fact_or_place(p: Prepared, text: str, present: set[str], task: Span | None) -> Span | None:
    """The first fact of the member's situation (FACT_RULES, in rule order) found in their own sentences, else,
    when there is a request, the first place named.

    Lazily: the fact rules are searched one at a time until one is found, the self-contained sentences are worked
    out at the first fact or place, and places are not looked for without a request (they would not count).
    """
    job_ad: bool | None = None  # worked out at the first fact or place
    closed_text: str | None = None  # `text` with self-contained questions and exercises masked
    runs: list[Span] = []
    for pattern in L.woken(L.FACT_RULES, L.FACT_RULES_BY_WORD, present):
        m = pattern.search(text)
        if m is None:
            continue
        if job_ad is None:
            job_ad = _job_ad(text, present)
        if job_ad and not L.ORG_WORD.search(m.group(0)):
            continue
        if closed_text is None:
            closed_text, runs = _open_text(text)
        # each fact is looked for again in what stays open only: a page of exercises then costs one look per
        # stretch of the member's own sentences, not one scan of the whole page per fact rule
        for start, end in runs:
            if end <= m.start():
                continue
            found = pattern.search(closed_text, max(start, m.start()), end)
            if found:
                return found.span()
    if task is None:
        return None  # without a request, a place is the scene described
    for m in L.PLACE.finditer(p.original):
        if text[m.start(1)] == MASK or fold_aligned(m.group(1)) in L.NOT_PLACES:
            continue
        if job_ad is None:
            job_ad = _job_ad(text, present)
        if job_ad:
            return None
        if closed_text is None:
            closed_text, runs = _open_text(text)
        # after "about", a place is part of the topic
        if closed_text[m.start(1)] != MASK and not _in_topic(closed_text, m.start()):
            return m.span()
    return None


def _job_ad(text: str, present: set[str]) -> bool:
    """A job ad or a product sheet: its pay, hours and place, its specifications are its content, not context; the
    size of the organisation that recruits ("startup de 15 personnes") is still who it is."""
    return "context" not in present and "contexte" not in present and L.FACT_DELIVERABLE.search(text) is not None


def _open_text(text: str) -> tuple[str, list[Span]]:
    """`text` with the data of self-contained questions and exercises masked (not the member's situation), and the
    stretches left open."""
    closed = _self_contained(text)
    return _mask(text, closed), _open_runs(closed, len(text))


def _in_topic(text: str, pos: int) -> bool:
    """Whether `pos` sits in a topic phrase: "about …" earlier in the same clause (spec: the topic is not context)."""
    return L.TOPIC_LEAD.search(text, max(0, pos - 80), pos) is not None


def _open_runs(closed: list[Span], size: int) -> list[Span]:
    """The stretches of text between the closed spans (which are sorted and disjoint)."""
    runs: list[Span] = []
    pos = 0
    for start, end in closed:
        if start > pos:
            runs.append((pos, start))
        pos = max(pos, end)
    if pos < size:
        runs.append((pos, size))
    return runs


def _sentences(plain: str, pattern: re.Pattern[str]) -> list[Span]:
    """The sentences (or lines) holding a match of `pattern`."""
    spans: list[Span] = []
    for m in pattern.finditer(plain):
        start = max(plain.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        stop = _SENTENCE_STOP.search(plain, m.end())
        spans.append((start, stop.end() if stop else len(plain)))
    return spans


def _self_contained(plain: str) -> list[Span]:
    """Sentences that are a question or a calculation and say nothing of the member (no "je", "my"…)."""
    spans: list[Span] = []
    start = 0
    for stop in _SENTENCE_STOP.finditer(plain):
        end = stop.end()
        sentence = plain[start:end]
        if (stop.group(0) == "?" or L.EXERCISE.match(sentence)) and not L.FIRST_PERSON.search(sentence):
            spans.append((start, end))
        start = end
    sentence = plain[start:]
    if sentence.strip() and L.EXERCISE.match(sentence) and not L.FIRST_PERSON.search(sentence):
        spans.append((start, len(plain)))
    return spans


# ---------------------------------------------------------------- format
def _format(plain: str, roles: list[Span], labels: dict[str, Span], present: set[str]) -> Span | None:
    if "format" in labels:
        return labels["format"]
    if "[" in plain or "{" in plain or "<" in plain:
        slot = L.FORMAT_SLOT.search(plain)  # a template's "[Format]", "{ton}": the part it stands for (spec)
        if slot:
            return slot.span()
    voice = _earliest(L.woken(L.FORMAT_VOICE_RULES, L.FORMAT_VOICE_RULES_BY_WORD, present), plain, len(plain), roles)
    # "ce tableau", "a CSV with columns": the shape of the input, not of the answer
    shape_rules = L.woken(L.FORMAT_SHAPE_RULES, L.FORMAT_SHAPE_RULES_BY_WORD, present)
    shape = _earliest(shape_rules, plain, voice[0] if voice else len(plain), roles, cue=True)
    return shape or voice


# ---------------------------------------------------------------- language
def _lang(tokens: tuple[str, ...]) -> str:
    """"fr" or "en" by the prompt's own words; "" when they do not tell (« a logo », "logo boulangerie")."""
    fr = en = 0
    for tok in tokens:
        if tok in _FR_WORDS:
            fr += 1
        elif tok in _EN_WORDS:
            en += 1
    return "en" if en > fr else "fr" if fr > en else ""
