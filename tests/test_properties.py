"""Property-based tests over the command grammar and the coach: any text gets an answer.

For any command name and any argument text, the coach answers with a Reply,
never raises, and stores nothing when the reply is an error.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.coach import Coach
from bot.commands import CATALOGUE
from bot.core.config import Config, parse_config
from bot.commands import parse
from bot.core.grammar import UsageError
from bot.core.identity import Sender
from bot.core.reply import Reply
from bot.store import open_store

PARIS = ZoneInfo("Europe/Paris")
NAMES = [c.name for c in CATALOGUE]
WORDS = ["image", "texte", "vidéo", "3", "0", "-1", "1e9", "51", "chatgpt", "le", "chat", "--", "public", "mois", "tout",
         "deux", "Dix", "sept", "une", "twelve", "zéro", "soixante", "midjourney", "zone", "France", "vendredi",
         "forget", "confirm", "nudges", "on", "lang", "en", "timezone", "Europe/Paris", "join", "map", "<@&1>", "<!channel>",
         "{{ 7*7 }}", "{% raw %}", "\x00", "\x1b[2J", "é", "🙂", " ", "\n"]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.builds(lambda a, b: a + " " + b, st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join), st.text(max_size=80)),
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(NAMES), text=texts)
def test_the_grammar_either_parses_or_raises_a_usage_error(name: str, text: str) -> None:
    try:
        parse(name, text, Config())
    except UsageError as err:
        assert err.key and err.command == name


NUMBER_WORDS = [("un", 1), ("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5), ("six", 6), ("sept", 7), ("huit", 8),
                ("neuf", 9), ("dix", 10), ("onze", 11), ("douze", 12), ("treize", 13), ("quatorze", 14), ("quinze", 15),
                ("seize", 16), ("dix-sept", 17), ("dix-huit", 18), ("dix-neuf", 19), ("vingt", 20), ("one", 1),
                ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9),
                ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15),
                ("sixteen", 16), ("seventeen", 17), ("eighteen", 18), ("nineteen", 19), ("twenty", 20)]


@settings(max_examples=200, deadline=None)
@given(number=st.sampled_from(NUMBER_WORDS), upper=st.booleans(), tool_first=st.booleans(),
       tool=st.sampled_from([None, "chatgpt", "midjourney", "le chat"]))
def test_a_count_in_words_is_that_count_wherever_the_tool_sits(number: tuple[str, int], upper: bool, tool_first: bool,
                                                               tool: str | None) -> None:
    word, value = number[0].upper() if upper else number[0], number[1]
    options = [word] if tool is None else [tool, word] if tool_first else [word, tool]
    request = parse("ia-log", " ".join(["image", *options]), Config())
    assert request.count == value and request.prompt == ""
    assert (request.tool is None) == (tool is None)


_DIR = tempfile.mkdtemp(prefix="sobria-prop-")
_COACH = Coach(parse_config({"store": {"data_dir": _DIR}, "limits": {"logs_per_minute": 100_000}}), open_store(_DIR))
_MEMBER = Sender("TP", "U1", "Prop", "console")
_ADMIN = Sender("TP", "UA", "Admin", "console", is_admin=True)


def _events() -> int:
    return sum(c.gen_logs + c.avoid_logs for c in _COACH.store.counts("TP", PARIS, ["all"])["all"].values())


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.one_of(st.sampled_from(NAMES), st.text(max_size=20)), text=texts, admin=st.booleans())
def test_the_coach_always_answers_and_errors_store_nothing(name: str, text: str, admin: bool) -> None:
    before = _events()
    reply = _COACH.handle(name, text, _ADMIN if admin else _MEMBER)
    assert isinstance(reply, Reply) and reply.title
    assert not reply.kind.startswith("notice:internal"), (name, text)
    if not reply.ok:
        assert _events() == before, (name, text, reply.kind)
    assert "{{" not in reply.title or "{{" in text  # user text is never evaluated as a template


def test_user_text_is_data_never_template_source(tmp_path: Path) -> None:
    coach = Coach(parse_config({"store": {"data_dir": str(tmp_path)}}), open_store(tmp_path))
    who = Sender("T1", "U1", "{{ 7*7 }}", "console")
    reply = coach.handle("ia-avoid", "image 1 {{ 7*7 }} {% for x in range(3) %}x{% endfor %}", who)
    text = "\n".join(reply.text_parts())
    assert "{{ 7*7 }}" in text and "49" not in text and "{% for" in text
    top = coach.handle("ia-top", "", who)
    assert "{{ 7*7 }}" in "\n".join(top.text_parts())
    score = coach.handle("ia-score", "Tu es {{ config }}. Rédige {{ 7*7 }} lignes.", who)
    assert "49" not in "\n".join(score.text_parts())
