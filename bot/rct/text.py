"""Text preparation for the RCT scorer: folding, masking and sentence spans.

People type "Tâche", "tache" and "TACHE"; the detectors match one folded
form (lower case, no accents, straight apostrophes). Folding maps each
character to exactly one character, so a position found in the folded text is
the same position in the member's text: the advice can quote their own words.

Code blocks and quoted passages are *material*: they count as context, but
their words must never be read as instructions ("You are a..." inside a pasted
system prompt, "propose" inside a pasted paragraph). They are masked with a
character no pattern matches (MASK), which again keeps every position in place.

Every prompt is folded, so the fold table maps ASCII to itself: `str.translate`
leaves its fast path at a text's first accent, and then pays a caught
KeyError for each character missing from its table (11 → 5 µs for a
95-character prompt with accents, measured 3 December 2026). A span without
a newline is masked without a regex.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

MAX_CHARS = 4000  # prompts are scored on this many characters; longer ones say so
TAIL_CHARS = 1000  # of a longer prompt, a last paragraph this short is read too (its beginning, then its end)
_PARAGRAPH_BREAK = "\n\n"


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch)[:1].lower()
        if base.isascii() and base.isalpha() and len(ch.lower()) == 1:
            table[code] = base
    for ch in "\u2019\u2018\u02bc\u00b4":  # not the backtick: it opens code blocks
        table[ord(ch)] = "'"
    for ch in "\u201c\u201d\u201e":
        table[ord(ch)] = '"'
    for ch in "\u00a0\u202f\u2007\u2009\t":
        table[ord(ch)] = " "
    for ch in "\u2010\u2011":
        table[ord(ch)] = "-"
    # ASCII maps to itself explicitly: `str.translate` leaves its fast path at a text's first accent, and then a
    # character missing from the table costs a caught KeyError (11 µs → 5 µs for a 95-character prompt with accents)
    for code in range(0x80):
        table.setdefault(code, chr(code))
    return table


_FOLD = _fold_table()


MASK = "\x00"  # stands for hidden or surplus characters: no pattern matches it
_LONG_SPACE = re.compile(r"\s{9,}")


def fold_aligned(text: str) -> str:
    """Lower case without accents, one output character per input character.

    Unlike the grammar's `bot.core.grammar.fold` (a word, whatever its length), every character keeps its
    position, so a match in the folded text is a slice of the member's own text: the advice quotes it.

    Whitespace runs longer than eight characters keep their first eight and
    the rest become MASK, so that no pattern can wander through thousands of
    pasted blanks.
    """
    if text.isascii():  # most prompts: nothing to fold but case and tabs
        out = text.lower().replace("\t", " ")
    else:
        out = text.translate(_FOLD).lower()
    if len(out) != len(text):  # a rare character whose lower case is longer (e.g. "İ")
        out = "".join((c.lower() or c)[0] for c in text.translate(_FOLD))
    if _LONG_SPACE.search(out):
        out = _LONG_SPACE.sub(lambda m: m.group(0)[:8] + MASK * (len(m.group(0)) - 8), out)
    return out


_FENCE = re.compile(r"```.*?(?:```|\Z)", re.S)
# (opening mark, pattern): folding has already turned curly double quotes into straight ones.
_QUOTES = (
    ('"""', re.compile(r'"""(.+?)"""', re.S)),
    ("\u00ab", re.compile(r"\u00ab([^\u00bb]{1,3000})\u00bb")),
    ('"', re.compile(r'"([^"\n]{1,3000})"')),
    # single quotes, but not apostrophes: "l'école" and "j'ai" stay text
    ("'", re.compile(r"(?<![\w'])'((?:[^'\n]|(?<=[^\W\d_])'(?=[^\W\d_])){1,3000}?)'(?![^\W\d_])")),
)
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")


class Prepared(NamedTuple):
    """A prompt ready for the detectors.

    `original` is the bounded prompt, `folded` its folded form, and `plain`
    the folded form with code and quoted passages masked. `quotes` and
    `code` are the (start, end) spans of what was blanked, with the number of
    words each holds.
    """

    original: str
    folded: str
    plain: str
    code: tuple[tuple[int, int, int], ...]
    quotes: tuple[tuple[int, int, int], ...]
    truncated: bool
    tail: int = 0  # characters of the prompt's last paragraph appended after its beginning (0: a prefix only)


def prepare(text: str) -> Prepared:
    """Bound, fold and mask a prompt.

    A prompt longer than MAX_CHARS is read from its beginning and, when its last
    paragraph is short, that paragraph too: people paste a long text and write
    the request under it ("[…]\n\nRésume ce texte en 5 points").
    """
    truncated = len(text) > MAX_CHARS
    tail = _last_paragraph(text) if truncated else ""
    if tail:
        original = text[: MAX_CHARS - len(tail) - len(_PARAGRAPH_BREAK)] + _PARAGRAPH_BREAK + tail
    else:
        original = text[:MAX_CHARS] if truncated else text
    folded = plain = fold_aligned(original)
    code: list[tuple[int, int, int]] = []
    if "```" in folded:
        for m in _FENCE.finditer(folded):
            body = m.group(0).strip("`")
            lines = body.split("\n", 1)
            content = lines[1] if len(lines) > 1 else lines[0]  # the first line may name the language
            code.append((m.start(), m.end(), len(content.split())))
            plain = _blank(plain, m.start(), m.end())
    quotes: list[tuple[int, int, int]] = []
    for mark, pattern in _QUOTES:
        if mark not in plain:
            continue
        for m in list(pattern.finditer(plain)):
            if m.group(1).strip():
                quotes.append((m.start(), m.end(), len(_WORD.findall(m.group(1)))))
                plain = _blank(plain, m.start(), m.end())
    return Prepared(original, folded, plain, tuple(code), tuple(sorted(quotes)), truncated, len(tail))


def _last_paragraph(text: str) -> str:
    """The text after the last blank line, when that is within the last TAIL_CHARS characters and not empty."""
    start = text.rfind(_PARAGRAPH_BREAK, len(text) - TAIL_CHARS)
    return text[start + len(_PARAGRAPH_BREAK) :].strip() if start >= 0 else ""


_NOT_NEWLINE = re.compile(r"[^\n]")


def masked(segment: str) -> str:
    """`segment` as MASK characters, its newlines kept (most segments have none: then no regex runs)."""
    return MASK * len(segment) if "\n" not in segment else _NOT_NEWLINE.sub(MASK, segment)


def _blank(text: str, start: int, end: int) -> str:
    """`text` with MASK over [start, end), newlines kept: same length, same positions."""
    return text[:start] + masked(text[start:end]) + text[end:]


def words(text: str) -> list[str]:
    """Word tokens (letters and digits, keeping inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence or line holding position `pos`."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(text, pos)
    end = m.end() if m else len(text)
    return start, end


def snippet(original: str, start: int, end: int, limit: int = 160) -> str:
    """The member's own words between two positions, tidied and bounded."""
    text = " ".join(original[start:end].split()).strip(" ,;:-\u2013\u2014#*\u2022")
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "\u2026"
    return text
