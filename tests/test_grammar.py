"""The command grammar: French and English words, counts, tools, and every bad input."""

from __future__ import annotations

import pytest

from bot.core.config import Config, Limits, parse_config
from bot.commands import parse
from bot.commands.avoid import AvoidRequest
from bot.commands.help import HelpRequest
from bot.commands.log import LogRequest
from bot.commands.me import MeRequest
from bot.commands.score import ScoreRequest
from bot.commands.settings import SettingsRequest
from bot.commands.stats import StatsRequest
from bot.commands.top import TopRequest
from bot.commands.undo import UndoRequest
from bot.core.grammar import UsageError

CFG = Config()


@pytest.mark.parametrize(
    "text, kind",
    [("image", "image"), ("IMAGE", "image"), ("images", "image"), ("texte", "text"), ("text", "text"),
     ("vidéo", "video"), ("VIDEO", "video"), ("Vidéos", "video"), ("musique", "audio"), ("son", "audio"),
     ("doc", "doc"), ("article", "doc"), ("code", "code"), ("Complétion", "code")],
)
def test_kinds_in_french_and_english(text: str, kind: str) -> None:
    assert parse("ia-log", text, CFG) == LogRequest(kind, 1, None, "")


@pytest.mark.parametrize(
    "text, request_",
    [("texte long 3 chatgpt", LogRequest("doc", 3, "chatgpt", "")),
     ("3 Textes longs", LogRequest("doc", 3, None, "")),
     ("long text 2", LogRequest("doc", 2, None, "")),
     ("texte court 12 chatgpt", LogRequest("text", 12, "chatgpt", "")),
     ("short text", LogRequest("text", 1, None, "")),
     ("texte 3 long rapport", LogRequest("text", 3, None, "long rapport"))],  # after the count: the prompt
)
def test_kinds_in_two_words_as_people_say_them(text: str, request_: LogRequest) -> None:
    assert parse("ia-log", text, CFG) == request_


def test_count_tool_and_prompt() -> None:
    req = parse("ia-log", "image 4 midjourney logo de la boulangerie", CFG)
    assert req == LogRequest("image", 4, "midjourney", "logo de la boulangerie")


def test_tool_right_after_kind_and_two_word_tools() -> None:
    assert parse("ia-log", "texte Le Chat résume la réunion", CFG) == LogRequest("text", 1, "mistral", "résume la réunion")
    assert parse("ia-log", "image 2 stable diffusion chat roux", CFG).tool == "stable-diffusion"
    assert parse("ia-log", "text chatgpt", CFG) == LogRequest("text", 1, "chatgpt", "")


def test_prompt_keeps_its_own_spacing_and_case() -> None:
    req = parse("ia-log", "text 3 Tu es juriste.\n  Rédige une clause.", CFG)
    assert req == LogRequest("text", 3, None, "Tu es juriste.\n  Rédige une clause.")


def test_configured_tools_are_recognised() -> None:
    cfg = parse_config({"tools": {"albert": ["albert", "albert-ia"]}})
    assert parse("ia-log", "text albert-ia bonjour", cfg).tool == "albert"


@pytest.mark.parametrize(
    "text, key",
    [("", "missing_kind"), ("   ", "missing_kind"), ("foo", "unknown_kind"), ("42", "missing_kind"),
     ("3 foo", "unknown_kind"), ("deux idées", "unknown_kind"), ("image zéro", "bad_count"), ("image soixante", "count_too_high"),
     ("image 0", "bad_count"), ("image -3", "bad_count"), ("image 1e9", "bad_count"), ("image 2.5", "bad_count"),
     ("image 1000000000", "count_too_high"), ("image 51", "count_too_high"),
     ("text " + "x" * 50_000, "too_long"), ("text bonjour\x00", "control_chars"), ("text \x1b[31mrouge", "control_chars")],
)
def test_bad_log_input_is_a_usage_error(text: str, key: str) -> None:
    with pytest.raises(UsageError) as err:
        parse("ia-log", text, CFG)
    assert err.value.key == key


@pytest.mark.parametrize(
    "text, count",
    [("image deux", 2), ("image Deux", 2), ("image DIX", 10), ("image vingt", 20), ("image onze", 11),
     ("image dix-sept", 17), ("image dix sept", 17), ("image Dix-Huit", 18), ("image quatorze", 14),
     ("image two", 2), ("image Twelve", 12), ("image twenty", 20), ("image seventeen", 17), ("image une", 1),
     ("image 7", 7)],
)
def test_counts_as_digits_or_words_in_french_and_english(text: str, count: int) -> None:
    assert parse("ia-log", text, CFG) == LogRequest("image", count, None, "")


def test_the_tool_before_or_after_the_count() -> None:
    assert parse("ia-log", "texte chatgpt 3", CFG) == LogRequest("text", 3, "chatgpt", "")
    assert parse("ia-log", "texte chatgpt trois", CFG) == LogRequest("text", 3, "chatgpt", "")
    assert parse("ia-log", "texte 3 chatgpt", CFG) == LogRequest("text", 3, "chatgpt", "")
    assert parse("ia-log", "image 4 midjourney logo de la boulangerie", CFG) == \
        LogRequest("image", 4, "midjourney", "logo de la boulangerie")
    assert parse("ia-log", "image midjourney 4 logo de la boulangerie", CFG) == \
        LogRequest("image", 4, "midjourney", "logo de la boulangerie")
    assert parse("ia-log", "image quatre midjourney logo", CFG) == LogRequest("image", 4, "midjourney", "logo")
    assert parse("ia-log", "text le chat 2 résume", CFG) == LogRequest("text", 2, "mistral", "résume")


def test_the_count_before_the_kind() -> None:
    assert parse("ia-log", "2 images", CFG) == LogRequest("image", 2, None, "")
    assert parse("ia-log", "deux images midjourney", CFG) == LogRequest("image", 2, "midjourney", "")
    assert parse("ia-log", "three texts chatgpt summarise", CFG) == LogRequest("text", 3, "chatgpt", "summarise")
    assert parse("ia-avoid", "deux images", CFG) == AvoidRequest("image", 2, "")


def test_a_count_in_words_before_text_is_asked_about_never_guessed() -> None:
    with pytest.raises(UsageError) as err:
        parse("ia-log", "texte deux idées de slogan", CFG)
    assert err.value.key == "count_or_text"
    assert err.value.params == {"word": "deux", "count": 2, "as_count": "/ia-log texte 2 idées de slogan",
                                "as_text": "/ia-log texte -- deux idées de slogan"}
    with pytest.raises(UsageError) as err:
        parse("ia-avoid", "image three reused the photo", CFG)
    assert err.value.key == "count_or_text" and err.value.params["as_text"] == "/ia-avoid image -- three reused the photo"
    # both answers the question suggests read as it says
    assert parse("ia-log", "texte 2 idées de slogan", CFG) == LogRequest("text", 2, None, "idées de slogan")
    assert parse("ia-log", "texte -- deux idées de slogan", CFG) == LogRequest("text", 1, None, "deux idées de slogan")


def test_before_the_kind_a_count_in_words_is_a_count() -> None:
    with pytest.raises(UsageError) as err:
        parse("ia-log", "deux idées de slogan", CFG)
    assert err.value.key == "unknown_kind" and err.value.params["word"] == "idées"
    assert parse("ia-log", "une image", CFG) == LogRequest("image", 1, None, "")


def test_an_article_starts_the_text_and_leaves_the_count_at_one() -> None:
    assert parse("ia-log", "image une affiche pour le salon", CFG) == LogRequest("image", 1, None, "une affiche pour le salon")
    assert parse("ia-log", "text one paragraph on bees", CFG) == LogRequest("text", 1, None, "one paragraph on bees")
    assert parse("ia-log", "image un midjourney", CFG) == LogRequest("image", 1, "midjourney", "")


def test_a_long_text_in_the_question_is_cut() -> None:
    with pytest.raises(UsageError) as err:
        parse("ia-log", "texte cinq slogans pour la boulangerie du quartier qui fête ses dix ans", CFG)
    assert err.value.params["as_count"] == "/ia-log texte 5 slogans pour la boulangerie du…"


def test_only_the_first_count_is_a_count() -> None:
    assert parse("ia-log", "texte 2 deux idées", CFG) == LogRequest("text", 2, None, "deux idées")
    assert parse("ia-log", "image 2 3", CFG) == LogRequest("image", 2, None, "3")


def test_a_refused_count_says_the_count_and_the_maximum() -> None:
    with pytest.raises(UsageError) as err:
        parse("ia-log", "image 60", CFG)
    assert err.value.key == "count_too_high" and err.value.params["count"] == 60 and err.value.params["max"] == 50
    with pytest.raises(UsageError) as err:
        parse("ia-log", "image soixante", CFG)
    assert err.value.params["count"] == 60


def test_max_count_is_configurable() -> None:
    cfg = Config(limits=Limits(max_count=5))
    assert parse("ia-log", "image 5", cfg).count == 5
    with pytest.raises(UsageError) as err:
        parse("ia-log", "image 6", cfg)
    assert err.value.key == "count_too_high" and err.value.params["max"] == 5


def test_avoid_keeps_the_how_text() -> None:
    assert parse("ia-avoid", "image 2 réutilisé la photo", CFG) == AvoidRequest("image", 2, "réutilisé la photo")


def test_score_needs_a_prompt() -> None:
    assert parse("ia-score", " un logo ", CFG) == ScoreRequest("un logo")
    for empty in ("", "   ", "\n\t"):
        with pytest.raises(UsageError) as err:
            parse("ia-score", empty, CFG)
        assert err.value.key == "empty_prompt"


def test_periods_and_public() -> None:
    assert parse("ia-stats", "", CFG) == StatsRequest("week", False)
    assert parse("ia-stats", "Mois public", CFG) == StatsRequest("month", True)
    assert parse("ia-top", "", CFG) == TopRequest("month", False)
    assert parse("ia-top", "tout", CFG) == TopRequest("all", False)
    assert parse("ia-top", "semaine partager", CFG) == TopRequest("week", True)
    with pytest.raises(UsageError):
        parse("ia-stats", "all", CFG)  # all-time stats are the leaderboard's
    with pytest.raises(UsageError):
        parse("ia-top", "année", CFG)


def test_me_actions() -> None:
    assert parse("ia-me", "", CFG) == MeRequest("show")
    assert parse("ia-me", "export", CFG) == MeRequest("export")
    assert parse("ia-me", "oublier", CFG) == MeRequest("forget")
    assert parse("ia-me", "forget confirm", CFG) == MeRequest("forget_confirm")
    assert parse("ia-me", "rappels oui", CFG) == MeRequest("nudges", True)
    assert parse("ia-me", "nudges off", CFG) == MeRequest("nudges", False)
    assert parse("ia-me", "langue EN", CFG) == MeRequest("lang", "en")
    assert parse("ia-me", "classement non", CFG) == MeRequest("leaderboard", False)
    for bad in ("forget now", "nudges peut-être", "lang de", "dance"):
        with pytest.raises(UsageError):
            parse("ia-me", bad, CFG)


def test_settings() -> None:
    assert parse("ia-settings", "", CFG) == SettingsRequest(None)
    assert parse("ia-settings", "fuseau America/New_York", CFG) == SettingsRequest("timezone", "America/New_York")
    assert parse("ia-settings", "green_max 15", CFG) == SettingsRequest("green_max", 15)
    assert parse("ia-settings", "canal <#C0123|general>", CFG) == SettingsRequest("summary_channel", "C0123")
    assert parse("ia-settings", "store_prompts on", CFG) == SettingsRequest("store_prompts", True)
    for bad, key in (("timezone Mars/Olympus", "bad_value"), ("green_max -4", "bad_value"), ("colour blue", "bad_setting"),
                     ("lang", "missing_value")):
        with pytest.raises(UsageError) as err:
            parse("ia-settings", bad, CFG)
        assert err.value.key == key


def test_undo_and_help() -> None:
    assert parse("ia-undo", "", CFG) == UndoRequest()
    with pytest.raises(UsageError):
        parse("ia-undo", "everything", CFG)
    assert parse("ia-help", "", CFG) == HelpRequest(None)
    assert parse("ia-help", "méthode", CFG) == HelpRequest("method")
    assert parse("ia-help", "/ia-log", CFG) == HelpRequest("ia-log")
    assert parse("ia-help", "avoid", CFG) == HelpRequest("ia-avoid")


def test_end_of_options_keeps_a_prompt_that_looks_like_options() -> None:
    assert parse("ia-log", "text -- 3 idées de slogan", CFG) == LogRequest("text", 1, None, "3 idées de slogan")
    assert parse("ia-log", "text 2 -- chatgpt contre mistral", CFG) == LogRequest("text", 2, None, "chatgpt contre mistral")
    assert parse("ia-log", "image 2 midjourney -- 4 logos", CFG) == LogRequest("image", 2, "midjourney", "4 logos")
    assert parse("ia-avoid", "image -- 2 photos reprises", CFG) == AvoidRequest("image", 1, "2 photos reprises")
    assert parse("ia-log", "image deux -- trois logos", CFG) == LogRequest("image", 2, None, "trois logos")
    assert parse("ia-log", "text 2 chatgpt -- 3 idées", CFG) == LogRequest("text", 2, "chatgpt", "3 idées")


def test_what_discord_sends_reads_as_typed() -> None:
    """Discord rebuilds `kind count [tool] -- prompt` from its typed fields (adapters/discord/app.py)."""
    assert parse("ia-log", "image 2 midjourney -- deux chats", CFG) == LogRequest("image", 2, "midjourney", "deux chats")
    assert parse("ia-log", "text 3 -- chatgpt ou mistral ?", CFG) == LogRequest("text", 3, None, "chatgpt ou mistral ?")
    assert parse("ia-avoid", "image 2 -- une photo reprise", CFG) == AvoidRequest("image", 2, "une photo reprise")
