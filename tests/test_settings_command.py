"""/ia-settings as admins type it: a zone by country name or ISO code, weekdays by name, one example per error.

Country and day names come from CLDR (Babel) in French and English; the zones
a workspace may choose are the impact model's. Every refusal names what was
refused and ends with an example for the setting at hand, in the reply's
language.
"""

from __future__ import annotations

import pytest

from bot.commands import parse
from bot.commands.settings import KEYS, SettingsRequest
from bot.core.config import Config
from bot.core.grammar import UsageError

from conftest import text_of

CFG = Config()


def last_line(reply) -> str:
    """The reply's last line: an error's example."""
    return text_of(reply).splitlines()[-1]


@pytest.mark.parametrize(
    "typed, code",
    [("FR", "FRA"), ("fr", "FRA"), ("France", "FRA"), ("france", "FRA"), ("fra", "FRA"), ("FRA", "FRA"),
     ("Allemagne", "DEU"), ("allemagne", "DEU"), ("Germany", "DEU"), ("DEU", "DEU"), ("de", "DEU"),
     ("États-Unis", "USA"), ("etats unis", "USA"), ("United States", "USA"), ("US", "USA"), ("usa", "USA"),
     ("Royaume-Uni", "GBR"), ("United Kingdom", "GBR"), ("UK", "GBR"), ("GB", "GBR"),
     ("Pays-Bas", "NLD"), ("les Pays-Bas", "NLD"), ("the Netherlands", "NLD"), ("Suède", "SWE"), ("Sweden", "SWE"),
     ("Irlande", "IRL"), ("IE", "IRL"), ("monde", "WOR"), ("world", "WOR"), ("WOR", "WOR")],
)
def test_a_zone_by_country_name_or_iso_code(typed: str, code: str) -> None:
    assert parse("ia-settings", f"zone {typed}", CFG) == SettingsRequest("zone", code)


@pytest.mark.parametrize(
    "typed, day",
    [("lundi", 0), ("Monday", 0), ("mardi", 1), ("tue", 1), ("mercredi", 2), ("jeudi", 3), ("Thursday", 3),
     ("vendredi", 4), ("Vendredi", 4), ("VENDREDI", 4), ("ven.", 4), ("friday", 4), ("Fri", 4),
     ("samedi", 5), ("saturday", 5), ("dimanche", 6), ("Sunday", 6), ("4", 4), ("0", 0)],
)
def test_a_weekday_by_name_in_french_or_english(typed: str, day: int) -> None:
    assert parse("ia-settings", f"weekly_day {typed}", CFG) == SettingsRequest("weekly_day", day)


@pytest.mark.parametrize("typed", ["FR", "France", "fra", "Allemagne", "Germany", "DEU"])
def test_each_zone_alias_is_saved_as_its_code(say, admin, store, typed: str) -> None:
    reply = say(f"/ia-settings zone {typed}", who=admin)
    assert reply.ok, text_of(reply)
    assert store.settings("T1")["zone"] in ("FRA", "DEU")


def test_zones_are_confirmed_and_listed_by_country_name_in_the_readers_language(say, admin, store) -> None:
    assert say("/ia-settings zone france", who=admin).title == "Réglage enregistré\u00a0: zone = France (FRA)."
    assert "Mix électrique par défaut\u00a0: France (FRA)." in text_of(say("/ia-settings", who=admin))
    assert say("/ia-settings zone Germany", who=admin).title == "Réglage enregistré\u00a0: zone = Allemagne (DEU)."
    assert "Mix électrique par défaut\u00a0: Allemagne (DEU)." in text_of(say("/ia-settings", who=admin))
    say("/ia-settings lang en", who=admin)
    assert say("/ia-settings zone Allemagne", who=admin).title == "Setting saved: zone = Germany (DEU)."
    assert "Default electricity mix: Germany (DEU)." in text_of(say("/ia-settings", who=admin))
    assert store.settings("T1")["zone"] == "DEU"


def test_weekdays_are_confirmed_by_name(say, admin, store) -> None:
    assert say("/ia-settings weekly_day vendredi", who=admin).title == "Réglage enregistré\u00a0: weekly_day = vendredi."
    assert store.settings("T1")["weekly_day"] == 4
    assert say("/ia-settings weekly_day Monday", who=admin).title == "Réglage enregistré\u00a0: weekly_day = lundi."
    say("/ia-settings lang en", who=admin)
    assert say("/ia-settings weekly_day vendredi", who=admin).title == "Setting saved: weekly_day = Friday."
    assert "Weekly summary: Friday at 09:00" in text_of(say("/ia-settings", who=admin))


def test_other_values_are_confirmed_as_the_list_shows_them(say, admin) -> None:
    assert say("/ia-settings weekly_time 8h30", who=admin).title == "Réglage enregistré\u00a0: weekly_time = 8\u202fh\u202f30."
    assert say("/ia-settings lang en", who=admin).title == "Setting saved: lang = English (en)."
    assert say("/ia-settings monthly_time 18:05", who=admin).title == "Setting saved: monthly_time = 18:05."


def test_a_country_without_a_mix_and_a_word_that_is_no_country_are_told_apart(say, admin, store) -> None:
    spain = say("/ia-settings zone Espagne", who=admin)
    assert not spain.ok and spain.data["error"] == "zone_not_modelled"
    assert "Espagne (ESP) n’a pas encore de mix électrique" in text_of(spain)
    assert "France (FRA), Suède (SWE)" in text_of(spain)
    mars = say("/ia-settings zone Mars", who=admin)
    assert not mars.ok and mars.data["error"] == "bad_zone"
    assert "«\u202fMars\u202f» n’est ni un pays ni un code de pays" in text_of(mars)
    assert "zone" not in store.settings("T1")


# What each setting's refusal ends with: its own example, worded in the reply's language.
EXAMPLES = {
    "lang": ("/ia-settings lang de", "/ia-settings lang en", "/ia-settings lang fr"),
    "timezone": ("/ia-settings timezone Mars/Base", "/ia-settings timezone Europe/Paris", None),
    "green_max": ("/ia-settings green_max beaucoup", "/ia-settings green_max 15", None),
    "orange_max": ("/ia-settings orange_max 3", "/ia-settings orange_max 80", None),
    "summary_channel": ("/ia-settings summary_channel #général", "/ia-settings summary_channel #general", None),
    "store_prompts": ("/ia-settings store_prompts peut-être", "/ia-settings store_prompts off", None),
    "zone": ("/ia-settings zone Mars", "/ia-settings zone Allemagne", "/ia-settings zone Germany"),
    "weekly_day": ("/ia-settings weekly_day jamais", "/ia-settings weekly_day vendredi", "/ia-settings weekly_day Friday"),
    "weekly_time": ("/ia-settings weekly_time midi", "/ia-settings weekly_time 8h30", "/ia-settings weekly_time 08:30"),
    "monthly_day": ("/ia-settings monthly_day 31", "/ia-settings monthly_day 2", None),
    "monthly_time": ("/ia-settings monthly_time 25h", "/ia-settings monthly_time 8h30", "/ia-settings monthly_time 08:30"),
    "name": ("/ia-settings name " + "x" * 81, "/ia-settings name Boulangerie Dupont", "/ia-settings name Dupont Bakery"),
    "counted_kinds": ("/ia-settings counted_kinds photos gifs", "/ia-settings counted_kinds image video audio doc", None),
    "scale_with_members": ("/ia-settings scale_with_members bof", "/ia-settings scale_with_members on", None),
    "closing": ("/ia-settings closing 2026-08-23 2026-08-03", "/ia-settings closing 2026-08-03 2026-08-23", None),
}


def test_every_setting_has_an_example() -> None:
    assert set(EXAMPLES) == set(KEYS)


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_each_error_ends_with_an_example_for_its_setting(say, admin, key: str) -> None:
    line, french, english = EXAMPLES[key]
    refused = say(line, who=admin)
    assert not refused.ok and last_line(refused).endswith("Exemple\u00a0: " + french), text_of(refused)
    say("/ia-settings lang en", who=admin)
    refused = say(line.replace("lang de", "lang xx"), who=admin)
    assert last_line(refused) == "Example: " + (english or french), text_of(refused)


def test_the_examples_differ_by_setting_and_the_generic_one_is_for_no_setting(say, admin) -> None:
    lines = {last_line(say(line, who=admin)) for line, _, _ in EXAMPLES.values()}
    assert len(lines) == len(EXAMPLES)
    missing = say("/ia-settings weekly_day", who=admin)
    assert missing.data["error"] == "missing_value" and last_line(missing).endswith("/ia-settings weekly_day vendredi")
    unknown = say("/ia-settings colour blue", who=admin)
    assert unknown.data["error"] == "bad_setting" and last_line(unknown).endswith("/ia-settings timezone Europe/Paris")


def test_a_misspelt_setting_is_refused_with_the_nearest_one(say, admin) -> None:
    refused = say("/ia-settings zonne France", who=admin)
    assert "«\u202fzonne\u202f» n’est pas un réglage\u00a0: vouliez-vous dire zone\u202f?" in text_of(refused)
    assert last_line(refused).endswith("/ia-settings zone Allemagne")
    with pytest.raises(UsageError) as err:
        parse("ia-settings", "fuseaux Europe/Paris", CFG)
    assert err.value.params["key"] == "timezone"


def test_the_settings_replies_read_right_in_both_languages(say, admin) -> None:
    from test_wording import problems_of

    for lang in ("fr", "en"):
        say(f"/ia-settings lang {lang}", who=admin)
        for line in [x for x, _, _ in EXAMPLES.values()] + ["/ia-settings zone Espagne", "/ia-settings zonne FR",
                                                             "/ia-settings zone DEU", "/ia-settings weekly_day ven"]:
            text = text_of(say(line, who=admin)).replace("x" * 40, "")
            assert not problems_of(lang, text), (lang, line, text)
