"""The reply language follows one rule everywhere: the member's choice, the workspace's, the platform's locale, the config's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.core.reply import Reply
from bot.core.settings import reply_lang
from bot.store import open_store

# Words that only a French reply would contain (checked on whole words).
FRENCH = re.compile(r"\b(vous|votre|Tu es|Crée|Rédige|Notre|semaine|génération|générations|évitée?s?|Rôle|Tâche|"
                    r"Contexte|rien|aucun)\b")


def _all_text(reply: Reply) -> str:
    return "\n".join(reply.text_parts())


@pytest.fixture
def coach(tmp_path: Path) -> Coach:
    cfg = parse_config({"bot": {"lang": "fr"}, "store": {"data_dir": str(tmp_path / "data")}})
    return Coach(cfg, open_store(cfg.data_dir))


def test_a_member_who_chose_english_gets_english_everywhere_score_examples_included(coach: Coach) -> None:
    ana = Sender("W", "U1", "Ana", "slack", locale="fr-FR")
    assert coach.handle("ia-me", "lang en", ana).lang == "en"
    replies = [
        coach.handle("ia-score", "a logo", ana),  # no word tells the prompt's language: the member's is used
        coach.handle("ia-score", "logo", ana),
        coach.handle("ia-log", "image 2 midjourney a logo", ana),
        coach.handle("ia-avoid", "image 1", ana),
        coach.handle("ia-stats", "", ana),
        coach.handle("ia-top", "", ana),
        coach.handle("ia-help", "", ana),
        coach.handle("ia-help", "log", ana),
        coach.handle("ia-log", "painting", ana),  # a usage error
        coach.handle("ia-settings", "", ana),
        coach.home(ana),
    ]
    for reply in replies:
        assert reply.lang == "en", reply.kind
        assert not FRENCH.search(_all_text(reply)), (reply.kind, FRENCH.search(_all_text(reply)))
    score = replies[0]
    assert score.rct is not None and "Design a logo" in score.rct.rewrite


def test_a_french_prompt_keeps_french_examples_for_an_english_member(coach: Coach) -> None:
    ana = Sender("W", "U1", "Ana", "slack")
    coach.handle("ia-me", "lang en", ana)
    reply = coach.handle("ia-score", "Rédige un post Instagram pour ma boulangerie.", ana)
    assert reply.lang == "en" and "Rédige un post Instagram" in reply.rct.rewrite  # pasted back into the prompt
    assert any("French" in note for note in reply.rct.notes)


def test_member_then_workspace_then_platform_locale_then_config(coach: Coach) -> None:
    bob = Sender("W", "U2", "Bob", "discord", locale="en-US")
    assert coach.handle("ia-stats", "", bob).lang == "en"  # nothing chosen: the platform's locale
    coach.handle("ia-settings", "lang fr", Sender("W", "U9", "Admin", "slack", is_admin=True))
    assert coach.handle("ia-stats", "", bob).lang == "fr"  # the workspace's choice beats the locale
    coach.handle("ia-me", "lang en", bob)
    assert coach.handle("ia-stats", "", bob).lang == "en"  # the member's own choice beats the workspace's
    assert coach.handle("ia-stats", "", Sender("W2", "U3", "Cyd", "console")).lang == "fr"  # the config's


@pytest.mark.parametrize(
    "member, workspace, locale, config, expected",
    [("en", "fr", "fr-FR", "fr", "en"), (None, "en", "fr-FR", "fr", "en"), (None, None, "en-GB", "fr", "en"),
     (None, None, "de-DE", "en", "en"), (None, None, None, "fr", "fr"), ("xx", None, None, "en", "en")],
)
def test_reply_lang(member, workspace, locale, config, expected) -> None:
    assert reply_lang(member, workspace, locale, config) == expected


@pytest.mark.parametrize("typed, expected", [("fr", "fr"), ("EN", "en"), ("anglais", "en"), ("Français", "fr"),
                                             ("francais", "fr"), ("English", "en"), ("klingon", None)])
def test_a_language_by_code_or_by_name(typed, expected) -> None:
    from bot.core.i18n import language_of

    assert language_of(typed) == expected


def test_a_new_catalogue_is_a_language_members_can_choose(tmp_path: Path) -> None:
    """Adding locales/<lang>/LC_MESSAGES/sobria.po makes the language selectable, by code or by name."""
    import shutil

    from bot.core import i18n

    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    (locales / "de" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(locales / "fr" / "LC_MESSAGES" / "sobria.po", locales / "de" / "LC_MESSAGES" / "sobria.po")
    assert i18n.languages(locales) == ("fr", "en", "de")
    assert i18n.language_of("de", locales) == "de" and i18n.language_of("allemand", locales) == "de"
    assert i18n.language_of("Deutsch", locales) == "de"
