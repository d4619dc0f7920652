"""Issue 16, the replies a team keeps: three short lines per log, nudges that agree with the score, one score
line in /ia-score, colours that mean the zone, a method that fits a screen.

Slack and Discord show the same three lines and a « Détails » button:
tests/test_discord_slack_same_facts.py drives both through their local fakes.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter, render_text
from bot.core.coach import Coach
from bot.core.config import ConfigError, parse_config
from bot.core.identity import Sender
from bot.store import open_store

from conftest import text_of

BAKERY = ("Tu es graphiste. Crée un visuel pour notre boulangerie de Lyon qui fête ses 10 ans samedi, "
          "format carré.")
PRECISE = ("Tu es community manager. Notre boulangerie de Lyon ouvre samedi. "
           "Rédige un post Instagram de 3 lignes.")  # 100/100
ZONE_EMOJI = "🟢🟠🔴"


def console_answer(coach: Coach, config, line: str, tmp_path: Path) -> str:
    adapter = ConsoleAdapter(coach, config, stdin=io.StringIO(""), stdout=io.StringIO(),
                             sender=Sender("console", "U1", "Camille", "console", is_admin=True),
                             export_dir=tmp_path / "exports")
    answer = adapter.handle_line(line)
    assert answer is not None
    return answer


# ---------------------------------------------------------------------------- A. three short lines

def test_the_done_when_log_answers_in_three_lines_and_320_characters(coach, config, tmp_path: Path) -> None:
    answer = console_answer(coach, config, f"/ia-log image 4 midjourney {BAKERY}", tmp_path)
    lines = answer.splitlines()
    assert len(lines) <= 3 and len(answer) <= 320, answer
    assert lines[0] == "4 images notées (midjourney) · 🟢 zone verte\u00a0: 4 générations comptées cette semaine"
    assert lines[1] == "≈ 1 recharge de téléphone (0,2 à 4 selon le modèle)"
    assert lines[2] == "Score RCT\u00a0: 100/100 (précis)"


@pytest.mark.parametrize("line", [
    "/ia-log image", "/ia-log code 50", "/ia-log video 3 runway", "/ia-log text 3 chatgpt Rédige une annonce",
    "/ia-log doc 2 claude " + "Résume ce rapport. " * 30, "/ia-avoid image 2 réutilisé la photo du catalogue",
    "/ia-avoid text",
])
def test_every_log_and_avoid_reply_is_three_lines_at_most(coach, config, tmp_path: Path, line: str) -> None:
    answer = console_answer(coach, config, line, tmp_path)
    assert 2 <= len(answer.splitlines()) <= 3, answer
    assert "Verres d’eau" not in answer and "Voiture" not in answer and "Sources" not in answer


def test_the_first_line_says_what_was_logged_and_the_weeks_zone_with_its_count(say) -> None:
    say("/ia-log image 3")
    reply = say("/ia-log image 2")
    assert reply.title == "2 images notées · 🟢 zone verte\u00a0: 5 générations comptées cette semaine"
    assert reply.data["week_count"] == 5 and reply.zone == "green"


def test_the_fix_that_helps_most_is_the_only_advice_in_the_reply(say) -> None:
    missing_context = say("/ia-log text Tu es juriste. Rédige une clause.").lines[-1]
    assert missing_context.startswith("Score RCT\u00a0: 60/100 (à compléter) — Contexte\u00a0: ")
    no_request = say("/ia-log image midjourney un logo").lines[-1]
    assert "— Tâche\u00a0: " in no_request and "Contexte" not in no_request  # one fix, not three
    assert not any("'" in line for line in (missing_context, no_request))  # French typography, hints included
    for line in (missing_context, no_request):  # a sentence after a label's colon starts in lower case
        fix = line.split("\u00a0: ", 2)[2]
        assert fix[0] == fix[0].lower(), line


def test_details_hold_the_rest_and_only_for_the_member_who_logged(say, coach, member) -> None:
    reply = say(f"/ia-log image 4 midjourney {BAKERY}")
    details = coach.action("details", reply.data["event_id"], member)
    assert details.kind == "details" and details.title == "Détails\u00a0: 4 images notées (midjourney)"
    labels = [f.label for f in details.facts]
    assert labels[:3] == ["Énergie", "Carbone", "Eau"] and any(label.startswith("Ampoule") for label in labels)
    assert details.rct is not None and details.rct.summary == "Score RCT\u00a0: 100/100 (précis)"
    assert "Zone verte" in details.zone_text and "/ia-help methode" in details.footer
    assert "/ia-stats" in text_of(details) and "/ia-score" in text_of(details)
    someone_else = Sender("T1", "U2", "Bob", "console")
    assert coach.action("details", reply.data["event_id"], someone_else).kind == "details_missing"
    say("/ia-undo")
    assert coach.action("details", reply.data["event_id"], member).kind == "details_missing"


def test_details_of_an_avoided_generation(say, coach, member) -> None:
    reply = say("/ia-avoid video 2 une photo du stock à la place")
    details = coach.action("details", reply.data["event_id"], member)
    assert details.title == "Détails\u00a0: 2 vidéos évitées" and details.lines[0].startswith("Économie estimée")
    assert details.facts and details.rct is None


# ---------------------------------------------------------------------------- B. requests, not outputs

def test_a_precise_prompt_gets_no_iteration_nudge(say) -> None:
    reply = say(f"/ia-log texte 3 chatgpt {PRECISE}")
    assert reply.lines[-1] == "Score RCT\u00a0: 100/100 (précis)"
    assert "essai" not in text_of(reply)


def test_four_midjourney_images_are_one_request(say) -> None:
    reply = say("/ia-log image 4 midjourney un logo pour la boulangerie")
    assert "essai" not in text_of(reply)
    assert say("/ia-log image 4 mj un logo").lines[-1].count("essai") == 0  # by any of its words


def test_more_requests_than_one_and_an_imprecise_prompt_say_what_to_add(say) -> None:
    eight = say("/ia-log image 8 midjourney un logo pour la boulangerie").lines[-1]
    assert "1 essai de plus pour une même demande" in eight
    three = say("/ia-log text 3 Tu es juriste. Rédige une clause.").lines[-1]
    assert "2 essais de plus pour une même demande\u00a0: ajoutez le contexte dès le départ." in three
    role = say("/ia-log text 2 Pour notre boulangerie de Lyon, rédige un post Instagram.").lines[-1]
    assert "ajoutez un rôle dès le départ" in role


def test_no_prompt_no_nudge(say) -> None:
    assert "essai" not in text_of(say("/ia-log text 5"))


def test_outputs_per_request_are_configurable_per_tool(tmp_path: Path, clock) -> None:
    config = parse_config({"store": {"data_dir": str(tmp_path / "d")},
                           "tool_outputs": {"Midjourney": 1, "dall-e": 2}})
    assert config.tool_outputs == {"midjourney": 1, "dall-e": 2}
    assert (config.outputs_per_request("midjourney"), config.outputs_per_request("dall-e"),
            config.outputs_per_request("chatgpt"), config.outputs_per_request(None)) == (1, 2, 1, 1)
    coach = Coach(config, open_store(config.data_dir), clock=clock)
    member = Sender("T1", "U1", "Camille", "console")
    assert "3 essais de plus" in text_of(coach.handle("ia-log", "image 4 midjourney un logo", member))
    assert "essai" not in text_of(coach.handle("ia-log", "image 2 dall-e un logo", member))
    assert "1 essai de plus" in text_of(coach.handle("ia-log", "image 3 dall-e un logo", member))


def test_the_default_is_four_for_midjourney_and_a_bad_value_names_its_key() -> None:
    assert parse_config({}).outputs_per_request("midjourney") == 4
    with pytest.raises(ConfigError) as err:
        parse_config({"tool_outputs": {"midjourney": 0}}, source="sobria.toml")
    assert err.value.key == "tool_outputs.midjourney" and "1 or more" in str(err.value)


# ---------------------------------------------------------------------------- C. one score line

def test_ia_score_states_its_score_once(coach, config, tmp_path: Path) -> None:
    answer = console_answer(coach, config, "/ia-score Tu es juriste. Rédige une clause.", tmp_path)
    assert answer.splitlines()[0] == "Score RCT\u00a0: 60/100 (à compléter)"
    assert answer.count("60/100") == 1 and "RCT 60/100" not in answer


# ---------------------------------------------------------------------------- D. icons that mean one thing

def test_a_congratulation_has_its_own_sign_and_colours_only_mark_the_zone(say, coach, config, tmp_path) -> None:
    for _ in range(3):
        say("/ia-log image 50")  # a red week
    avoided = say("/ia-avoid text")
    assert avoided.title.startswith("🎉 Bravo\u00a0: 1 texte évité · 🔴 zone rouge\u00a0: ")
    for reply in (avoided, say("/ia-log image"), say("/ia-stats")):
        text = render_text(reply)
        for line in text.splitlines():
            for emoji in ZONE_EMOJI:
                if emoji in line:  # a colour is followed by the words about the zone
                    assert line.split(emoji, 1)[1].lstrip().lower().startswith("zone"), line


# ---------------------------------------------------------------------------- /ia-help methode

def test_the_method_fits_a_screen_and_says_where_the_whole_method_is(say) -> None:
    short = say("/ia-help methode")
    assert len(short.lines) <= 8 and sum(len(line) for line in short.lines) <= 1500
    assert "docs/methodology.md" in short.lines[-1] and "/ia-help sources" in short.lines[-1]
    assert "image 3\u00a0Wh" in text_of(short) and "États-Unis" in text_of(short)
    full = say("/ia-help sources")
    assert len(full.lines) > 20 and "Sources\u00a0:" in full.lines
    english = say("/ia-help method", who=Sender("T1", "U3", "Ana", "console", locale="en-GB"))
    assert "docs/methodology.md" in english.lines[-1] and english.lang == "en"
