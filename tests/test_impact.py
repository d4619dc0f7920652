"""The footprint model: figures per kind under both presets, formulas, ranges,
equivalents and their wording, zones, configuration errors, and traceability
(every factor has a source, the methodology document lists them all)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.impact import factors as F
from bot.core.kinds import KINDS
from bot.core.errors import ConfigError
from bot.impact.model import Footprint, ImpactModel, Range
from bot.impact.sources import SOURCES
from bot.impact.view import footprint_facts, impact_footer, methodology_lines, shown
from bot.core.numbers import NBSP, NNBSP
from bot.core.render import Renderer

ROOT = Path(__file__).resolve().parent.parent
METHODOLOGY = ROOT / "docs" / "methodology.md"

SOURCED = ImpactModel()
ARTICLE = ImpactModel.from_config({"preset": "article"})


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def approx_range(r: Range, low: float, central: float, high: float) -> None:
    assert (r.low, r.central, r.high) == (pytest.approx(low), pytest.approx(central), pytest.approx(high))


# ---------------------------------------------------------------- figures per kind

SOURCED_WH = {
    "text": (0.05, 0.3, 3.0),
    "doc": (1.0, 3.0, 30.0),
    "image": (0.5, 3.0, 12.0),
    "video": (10.0, 100.0, 1000.0),
    "audio": (0.2, 2.0, 20.0),
    "code": (0.005, 0.05, 1.0),
}
ARTICLE_WH = {
    **SOURCED_WH,
    "text": (2.4, 2.4, 2.4),  # 10 W x 24 h / 100 prompts
    "doc": (12.0, 12.0, 12.0),  # one phone charge per long text
    "image": (12.0, 12.0, 12.0),  # one phone charge per image
}


def test_the_model_covers_exactly_the_engine_kinds():
    assert set(SOURCED.kinds) == set(KINDS) == set(ARTICLE.kinds)


@pytest.mark.parametrize("kind", KINDS)
def test_energy_per_kind_under_the_sourced_preset(kind):
    approx_range(SOURCED.footprint(kind).energy_wh, *SOURCED_WH[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_energy_per_kind_under_the_article_preset(kind):
    approx_range(ARTICLE.footprint(kind).energy_wh, *ARTICLE_WH[kind])


@pytest.mark.parametrize(
    "kind, co2e_usa, water",
    [
        ("text", 0.1377, 1.35),
        ("doc", 1.377, 13.5),
        ("image", 1.377, 13.5),
        ("video", 45.9, 450.0),
        ("audio", 0.918, 9.0),
        ("code", 0.02295, 0.225),
    ],
)
def test_central_co2e_and_water_per_kind_on_the_us_grid(kind, co2e_usa, water):
    fp = SOURCED.footprint(kind)
    assert fp.co2e_g.central == pytest.approx(co2e_usa)
    assert fp.water_ml.central == pytest.approx(water)


def test_co2e_is_energy_times_grid_plus_embodied():
    fp = SOURCED.footprint("image", 2, "FRA")
    # energy 1 / 6 / 24 Wh; France 22 / 44 / 80 g/kWh; embodied 75 g/kWh
    approx_range(fp.energy_wh, 1.0, 6.0, 24.0)
    approx_range(fp.co2e_g, 1.0 * 97 / 1000, 6.0 * 119 / 1000, 24.0 * 155 / 1000)


def test_water_is_energy_times_litres_per_kwh_whatever_the_zone():
    usa, fra = SOURCED.footprint("video", 1, "USA"), SOURCED.footprint("video", 1, "FRA")
    approx_range(usa.water_ml, 10 * 1.1, 100 * 4.5, 1000 * 9.0)
    assert usa.water_ml == fra.water_ml


def test_the_us_grid_emits_about_nine_times_the_french_one_per_wh():
    usa = SOURCED.footprint("text", 1, "USA").co2e_g.central
    fra = SOURCED.footprint("text", 1, "FRA").co2e_g.central
    assert usa / fra == pytest.approx(459 / 119)  # embodied share included on both sides
    assert SOURCED.grid("USA").central / SOURCED.grid("FRA").central == pytest.approx(384 / 44)


def test_count_scales_linearly_and_zero_is_nothing():
    assert SOURCED.footprint("image", 4) == SOURCED.footprint("image").scale(4)
    assert SOURCED.footprint("image", 0) == Footprint.zero()


@pytest.mark.parametrize("call", [lambda: SOURCED.footprint("poem"), lambda: SOURCED.footprint("text", -1),
                                  lambda: SOURCED.grid("MARS")])
def test_unknown_kind_or_negative_count_is_refused(call):
    with pytest.raises(ValueError):
        call()


def test_a_log_stored_under_a_zone_no_longer_configured_counts_in_the_default_zone():
    assert SOURCED.footprint("image", 2, "EU") == SOURCED.footprint("image", 2, "USA")
    assert SOURCED.footprint("image", 2, "fra") == SOURCED.footprint("image", 2, "FRA")


# ---------------------------------------------------------------- ranges

def test_range_refuses_disorder_and_negative_values():
    with pytest.raises(ValueError):
        Range(2.0, 1.0, 3.0)
    with pytest.raises(ValueError):
        Range(-1.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        Range(0.0, 1.0, math.inf)


def test_totals_add_lows_with_lows_and_highs_with_highs():
    week = SOURCED.footprint("image", 10) + SOURCED.footprint("text", 50)
    approx_range(week.energy_wh, 10 * 0.5 + 50 * 0.05, 10 * 3 + 50 * 0.3, 10 * 12 + 50 * 3)
    assert Footprint.zero() + week == week


@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 50), st.sampled_from(["USA", "FRA", "SWE"])), max_size=30))
def test_any_total_stays_an_ordered_range_equal_to_the_sum_of_its_parts(logs):
    total = Footprint.zero()
    for kind, count, zone in logs:
        total = total + SOURCED.footprint(kind, count, zone)
    for r in (total.energy_wh, total.co2e_g, total.water_ml):
        assert r.low <= r.central <= r.high
    expected_low = sum(SOURCED_WH[k][0] * n for k, n, _ in logs)
    expected_high = sum(SOURCED_WH[k][2] * n for k, n, _ in logs)
    assert total.energy_wh.low == pytest.approx(expected_low)
    assert total.energy_wh.high == pytest.approx(expected_high)


# ---------------------------------------------------------------- equivalents

def test_article_preset_gives_exactly_one_phone_charge_per_image():
    eq = ARTICLE.equivalents(ARTICLE.footprint("image"))
    assert eq.phone_charges == Range(1.0, 1.0, 1.0)
    assert ARTICLE.equivalents(ARTICLE.footprint("image", 20)).phone_charges.central == pytest.approx(20)


def test_article_preset_gives_24_hours_of_a_10_w_led_for_100_prompts():
    eq = ARTICLE.equivalents(ARTICLE.footprint("text", 100))
    approx_range(eq.led_hours, 24.0, 24.0, 24.0)


def test_article_rules_follow_a_changed_basis():
    model = ImpactModel.from_config({"preset": "article", "equivalents": {"phone_charge_wh": 15, "led_w": 9}})
    assert model.equivalents(model.footprint("image")).phone_charges.central == pytest.approx(1.0)
    assert model.equivalents(model.footprint("text", 100)).led_hours.central == pytest.approx(24.0)


def test_sourced_image_keeps_the_article_rule_as_its_upper_bound():
    eq = SOURCED.equivalents(SOURCED.footprint("image"))
    approx_range(eq.phone_charges, 0.5 / 12, 0.25, 1.0)


def test_each_equivalent_is_on_the_basis_of_its_own_quantity():
    fp = Footprint(Range(12, 24, 48), Range(100, 200, 400), Range(250, 500, 1000))
    eq = SOURCED.equivalents(fp)
    approx_range(eq.phone_charges, 1, 2, 4)  # energy / 12 Wh
    approx_range(eq.led_hours, 1.2, 2.4, 4.8)  # energy / 10 W
    approx_range(eq.car_km, 0.5, 1, 2)  # CO2e / 200 g per km
    approx_range(eq.water_glasses, 1, 2, 4)  # water / 250 mL


@pytest.mark.parametrize(
    "r, quantity, expected",
    [
        (Range(0.5, 3, 12), "energy", (3, 0.5, 12, "wh")),
        (Range(530, 5200, 51000), "energy", (5.2, 0.53, 51, "kwh")),
        (Range(0.005, 0.03, 0.3), "duration", (1.8, 0.3, 18, "min")),
        (Range(0.5, 3, 30), "duration", (3, 0.5, 30, "h")),
        (Range(24, 24, 24), "duration", (24, 24, 24, "h")),
        (Range(50, 500, 5000), "duration", (21, 2.1, 210, "d")),
        (Range(0.0011, 0.0069, 0.028), "distance", (6.9, 1.1, 28, "m")),
        (Range(0.0417, 0.25, 1.0), "count", (0.25, 0.042, 1, "")),
        (Range(0.083, 0.5, 2.0), "count", (0.5, 0.08, 2, "")),  # a decimal more than « 0,5 » at most: not 0,083
        (Range(0.083, 2, 5), "count", (2, 0.1, 5, "")),
        (Range(0.00004, 0.09, 0.5), "count", (0.09, 0.00004, 0.5, "")),  # never a bound shown as 0 when it is not
        (Range.zero(), "duration", (0, 0, 0, "h")),
    ],
)
def test_shown_values_pick_a_unit_and_two_significant_figures(r, quantity, expected):
    """Two significant figures, and a range's ends at most a decimal finer than its central value."""
    s = shown(r, quantity)
    assert (s.central, s.low, s.high, s.unit) == (pytest.approx(expected[0]), pytest.approx(expected[1]),
                                                   pytest.approx(expected[2]), expected[3])


# ---------------------------------------------------------------- wording

def test_image_headline_in_french_shows_central_range_and_the_one_charge_bound(renderer):
    headline, facts = footprint_facts(renderer, "fr", SOURCED, SOURCED.footprint("image"))
    assert headline == "≈ 0,25 recharge de téléphone (0,042 à 1 selon le modèle)"
    values = {f.label: f.value for f in facts}
    assert values["Énergie"] == "≈ 3\u00a0Wh (0,5 à 12\u00a0Wh)"  # a number and its unit never part
    assert values["Carbone"] == "≈ 1,4\u00a0g CO2e (0,23 à 5,5\u00a0g CO2e)"
    assert values["Eau"] == "≈ 14\u00a0mL (0,6 à 110\u00a0mL)"  # one style for volumes: mL and L
    assert values["Ampoule LED de 10\u00a0W"] == "≈ 18\u00a0min (3 à 72\u00a0min)"
    assert not any(label.startswith("Recharges") for label in values)  # already the headline
    # too small to picture (« ≈ 6,9 m » by car, « ≈ 0,054 » glass of water): left out (issue 16)
    assert not any(label.startswith(("Voiture", "Verres")) for label in values)


@pytest.mark.parametrize("kind, count, shown", [
    ("code", 1, set()),  # 18 s of the bulb is the headline; nothing else pictures so little
    ("text", 1, set()),
    ("image", 1, {"led"}),
    ("video", 1, {"led", "glasses"}),  # 100 Wh: 8.3 charges lead; 10 h of the bulb, 1.8 glasses; 460 m by car
    ("video", 50, {"led", "car", "glasses"}),
])
def test_equivalents_too_small_to_picture_are_left_out(renderer, kind, count, shown):
    """No « Verres d'eau : ≈ 0,0045 », no « Voiture … ≈ 0,57 m » (issue 16): an equivalent is shown from a
    tenth of a charge, a minute of the bulb, a kilometre by car, a glass of water."""
    headline, facts = footprint_facts(renderer, "en", SOURCED, SOURCED.footprint(kind, count))
    names = {"Smartphone charges": "phone", "10\u00a0W LED bulb": "led", "Petrol car": "car", "Glasses of water": "glasses"}
    found = {name for f in facts for label, name in names.items() if f.label.startswith(label)}
    assert found == shown, (headline, [f.label for f in facts])


def test_image_headline_in_english(renderer):
    headline, facts = footprint_facts(renderer, "en", SOURCED, SOURCED.footprint("image"))
    assert headline == "≈ 0.25 smartphone charges (0.042 to 1 depending on the model)"
    assert ("Energy", "≈ 3\u00a0Wh (0.5 to 12\u00a0Wh)") in [(f.label, f.value) for f in facts]


def test_image_footer_names_the_article_rule_as_the_upper_bound(renderer):
    fr = impact_footer(renderer, "fr", SOURCED, "USA", kind="image")
    en = impact_footer(renderer, "en", SOURCED, "USA", kind="image")
    assert "«\u202f1 image ≈ 1 recharge de smartphone\u202f» est la borne haute" in fr
    assert "2026-11" in fr and "États-Unis, 384\u00a0g CO2e/kWh" in fr
    assert '"1 image ≈ 1 smartphone charge" is the upper bound' in en


def test_footer_without_a_kind_still_places_both_article_rules(renderer):
    fr = impact_footer(renderer, "fr", SOURCED, "USA")
    en = impact_footer(renderer, "en", SOURCED, "USA")
    assert "«\u202f1 image ≈ 1 recharge\u202f» est la borne haute" in fr and "≈ 8 fois un prompt court" in fr
    assert '"1 image ≈ 1 charge" is the upper bound' in en and "counts each prompt as ≈ 8 short prompts" in en


def test_article_preset_answers_exactly_one_charge_without_a_range(renderer):
    headline, facts = footprint_facts(renderer, "fr", ARTICLE, ARTICLE.footprint("image"))
    assert headline == "≈ 1 recharge de téléphone"
    assert ("Énergie", "≈ 12\u00a0Wh") in [(f.label, f.value) for f in facts]
    assert "Préréglage «\u202farticle\u202f»" in impact_footer(renderer, "fr", ARTICLE, "USA", kind="image")


def test_article_preset_shows_24_hours_of_led_for_100_prompts(renderer):
    for lang, label in (("fr", "Ampoule LED de 10\u00a0W"), ("en", "10\u00a0W LED bulb")):
        _, facts = footprint_facts(renderer, lang, ARTICLE, ARTICLE.footprint("text", 100))
        assert (label, "≈ 24\u00a0h") in [(f.label, f.value) for f in facts]


def test_a_short_prompt_leads_with_minutes_of_led(renderer):
    fr, _ = footprint_facts(renderer, "fr", SOURCED, SOURCED.footprint("text"))
    en, _ = footprint_facts(renderer, "en", SOURCED, SOURCED.footprint("text"))
    assert fr == "≈ 1,8\u00a0min d’ampoule LED de 10\u00a0W (0,3 à 18\u00a0min selon le modèle)"
    assert en == "≈ 1.8\u00a0min of a 10\u00a0W LED bulb (0.3 to 18\u00a0min depending on the model)"


def test_a_weekly_total_is_shown_as_a_summed_range_with_grouped_thousands(renderer):
    week = SOURCED.footprint("video", 50) + SOURCED.footprint("image", 50)
    fr, facts = footprint_facts(renderer, "fr", SOURCED, week)
    en, _ = footprint_facts(renderer, "en", SOURCED, week)
    assert fr == "≈ 430 recharges de téléphone (44 à 4\u202f200 selon le modèle)"
    assert en == "≈ 430 smartphone charges (44 to 4,200 depending on the model)"
    assert ("Énergie", "≈ 5,2\u00a0kWh (0,53 à 51\u00a0kWh)") in [(f.label, f.value) for f in facts]


def test_avoided_generations_are_an_estimated_inference_saving(renderer):
    fr, _ = footprint_facts(renderer, "fr", SOURCED, SOURCED.footprint("image", 3), avoided=True)
    en, _ = footprint_facts(renderer, "en", SOURCED, SOURCED.footprint("image", 3), avoided=True)
    assert fr == "Économie estimée\u00a0: ≈ 0,75 recharge de téléphone (0,12 à 3 selon le modèle), inférence seule"
    assert en.startswith("Estimated saving: ≈ 0.75 smartphone charges") and en.endswith("inference only")


def test_footer_per_kind_says_how_far_to_trust_the_figure(renderer):
    assert "≈ 8 fois la valeur centrale" in impact_footer(renderer, "fr", SOURCED, "USA", kind="text")
    assert "Ordre de grandeur" in impact_footer(renderer, "fr", SOURCED, "USA", kind="video")
    assert "faible confiance" in impact_footer(renderer, "fr", SOURCED, "USA", kind="audio")
    assert "Sweden, 36\u00a0g CO2e/kWh" in impact_footer(renderer, "en", SOURCED, "SWE")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("model", [SOURCED, ARTICLE], ids=["sourced", "article"])
def test_every_kind_renders_in_both_languages_and_presets(renderer, lang, model):
    for kind in KINDS:
        headline, facts = footprint_facts(renderer, lang, model, model.footprint(kind, 3))
        assert headline and 3 <= len(facts) <= 6 and all(f.value for f in facts)
        assert [f.label for f in facts][:3] == {"fr": ["Énergie", "Carbone", "Eau"], "en": ["Energy", "Carbon", "Water"]}[lang]
        assert impact_footer(renderer, lang, model, "USA", kind=kind)
    assert impact_footer(renderer, lang, model, "FRA")


# ---------------------------------------------------------------- methodology

def test_methodology_in_french_covers_scope_table_zones_rules_and_training(renderer):
    lines = methodology_lines(renderer, "fr", SOURCED)
    text = "\n".join(lines)
    assert "facteurs 2026-11" in lines[0] and f"«{NNBSP}sourcé{NNBSP}»" in lines[0]
    assert lines[1].startswith(f"Compté{NBSP}:") and lines[2].startswith(f"Non compté{NBSP}:")
    assert f"• Image{NBSP}: ≈ 3{NBSP}Wh (0,5 à 12){NNBSP}; Luccioni et al. 2023" in text
    assert "États-Unis 384" in text and "France 44 (22 à 80)" in text and "mistral → Suède" in text
    assert "Pourquoi pas le mix français" in text and "≈ 9 fois moins" in text
    rules = [line for line in lines if line.startswith(("Règle 1", "Règle 2", "Règle 3"))]
    assert len(rules) == 3
    assert "≈ 0,25 recharge" in rules[0] and "borne haute" in rules[0]
    assert f"≈ 3{NBSP}h d’ampoule pour 100 prompts, ≈ 8 fois moins" in rules[1]
    assert f"≈ 552{NBSP}t" in rules[2] and "≈ 310" in rules[2]
    assert any(line.startswith("Entraînement, pour le contexte seulement") for line in lines)


def test_methodology_in_english_says_which_preset_is_in_force(renderer):
    sourced = methodology_lines(renderer, "en", SOURCED)
    article = methodology_lines(renderer, "en", ARTICLE)
    assert '"sourced" preset' in sourced[0] and '"article" preset' in article[0]
    assert "• Image: ≈ 12 Wh; Imagisto 2026, Luccioni et al. 2023" in article


def test_methodology_lists_every_source_it_cites(renderer):
    text = "\n".join(methodology_lines(renderer, "en", SOURCED))
    for src in SOURCED.sources_used():
        assert src.short in text
        if src.url:
            assert src.url in text


def test_methodology_marks_local_values(renderer):
    model = ImpactModel.from_config({"factors": {"image": {"energy_wh": 2}}})
    lines = methodology_lines(renderer, "fr", model)
    assert "valeurs fixées par votre configuration" in lines[0]
    assert f"• Image{NBSP}: ≈ 2{NBSP}Wh{NNBSP}; valeur fixée par votre configuration" in lines


# ---------------------------------------------------------------- traceability

def _all_factors() -> dict[str, F.Factor]:
    named = {f"energy.{k}": f for k, f in F.SOURCED_ENERGY_WH.items()}
    named |= {f"article.{k}": f for k, f in ARTICLE.energy.items()}
    named |= {f"grid.{k}": f for k, f in F.GRID_G_PER_KWH.items()}
    named |= {f"equivalent.{k}": f for k, f in F.EQUIVALENT_BASES.items()}
    named |= {"embodied": F.EMBODIED_G_PER_KWH, "water": F.WATER_ML_PER_WH}
    named |= {f"context.{k}": F.Factor.point(fig.value, fig.sources) for k, fig in F.CONTEXT.items()}
    return named


@pytest.mark.parametrize("name, factor", list(_all_factors().items()))
def test_every_factor_carries_at_least_one_known_source(name, factor):
    assert factor.sources, name
    assert all(s in SOURCES for s in factor.sources), name
    assert factor.low <= factor.central <= factor.high


def test_zone_defaults_carry_sources_too():
    assert F.DEFAULT_ZONE_SOURCES and F.TOOL_ZONE_SOURCES
    assert all(s in SOURCES for s in F.DEFAULT_ZONE_SOURCES + F.TOOL_ZONE_SOURCES)


def test_methodology_document_lists_every_source_the_module_uses():
    doc = METHODOLOGY.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| ([a-z0-9-]+) \|", doc, flags=re.M))
    for model in (SOURCED, ARTICLE):
        for src in model.sources_used():
            assert src.id in listed, src.id
            if src.url:
                assert src.url in doc, src.url
    assert set(SOURCES) <= listed  # nothing in the source list is left undocumented


def test_methodology_document_tables_match_the_module():
    doc = METHODOLOGY.read_text(encoding="utf-8")
    assert F.FACTORS_VERSION in doc
    for kind, f in F.SOURCED_ENERGY_WH.items():
        row = re.search(rf"^\| `{kind}` \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|(.*)$", doc, flags=re.M)
        assert row, kind
        assert tuple(float(x) for x in row.groups()[:3]) == (f.low, f.central, f.high)
        assert all(s in row.group(4) for s in f.sources), kind
    for zone, f in F.GRID_G_PER_KWH.items():
        row = re.search(rf"^\| `{zone}` \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", doc, flags=re.M)
        assert row and tuple(float(x) for x in row.groups()) == (f.low, f.central, f.high), zone


# ---------------------------------------------------------------- zones

def test_default_zone_is_where_the_common_services_run():
    assert SOURCED.default_zone == "USA"
    assert SOURCED.zone_for(None, None) == "USA"
    assert SOURCED.zone_for("chatgpt", None) == "USA"


def test_a_tool_zone_wins_over_the_workspace_zone():
    assert SOURCED.zone_for("mistral", "FRA") == "SWE"
    assert SOURCED.zone_for("Mistral", None) == "SWE"
    assert SOURCED.zone_for("chatgpt", "fra") == "FRA"
    assert SOURCED.zone_for(None, "nowhere") == "USA"  # an unknown workspace zone falls back


def test_configured_tool_zones_replace_the_built_in_list():
    model = ImpactModel.from_config({"tool_zones": {"llama": "fra"}, "default_zone": "WOR"})
    assert model.zone_for("llama", "USA") == "FRA"
    assert model.zone_for("mistral", None) == "WOR"
    log = model.footprint("text", 1, model.zone_for("llama", None))
    assert log.co2e_g.central == pytest.approx(0.3 * (44 + 75) / 1000)


def test_zones_are_listed_for_settings_and_a_new_zone_can_be_added():
    model = ImpactModel.from_config({"zones": {"eu": {"low": 200, "central": 225, "high": 250}}})
    assert "EU" in model.zones() and "USA" in model.zones()
    approx_range(model.grid("EU"), 200, 225, 250)
    assert model.has_zone("eu") and not SOURCED.has_zone("EU")


# ---------------------------------------------------------------- configuration

def test_no_section_means_the_sourced_defaults():
    for model in (ImpactModel.from_config(None), ImpactModel.from_config({})):
        assert model.preset == "sourced" and model.factors_version == "2026-11" and not model.overridden
        assert model.footprint("image") == SOURCED.footprint("image")


def test_partial_override_keeps_the_other_bounds():
    model = ImpactModel.from_config({"factors": {"image": {"energy_wh": {"central": 2}}}})
    approx_range(model.footprint("image").energy_wh, 0.5, 2, 12)
    assert model.overridden == ("impact.factors.image.energy_wh",)
    assert model.energy["image"].local and not model.energy["image"].sources


def test_every_kind_of_factor_can_be_overridden():
    model = ImpactModel.from_config({
        "embodied_g_per_kwh": 0,
        "water_ml_per_wh": {"low": 1, "central": 2, "high": 3},
        "zones": {"USA": 400},
        "equivalents": {"car_g_per_km": 100, "glass_ml": 200},
    })
    fp = model.footprint("image")
    approx_range(fp.co2e_g, 0.5 * 0.4, 3 * 0.4, 12 * 0.4)
    approx_range(fp.water_ml, 0.5, 6, 36)
    eq = model.equivalents(fp)
    assert eq.car_km.central == pytest.approx(1.2 / 100)
    assert eq.water_glasses.central == pytest.approx(6 / 200)


@pytest.mark.parametrize(
    "section, key",
    [
        ({"preset": "greenwashing"}, "impact.preset"),
        ({"factors": {"image": {"energy_wh": {"low": -1}}}}, "impact.factors.image.energy_wh.low"),
        ({"factors": {"image": {"energy_wh": {"low": 0}}}}, "impact.factors.image.energy_wh.low"),
        ({"factors": {"image": {"energy_wh": {"high": "lots"}}}}, "impact.factors.image.energy_wh.high"),
        ({"factors": {"image": {"energy_wh": {"central": True}}}}, "impact.factors.image.energy_wh.central"),
        ({"factors": {"image": {"energy_wh": {"central": float("nan")}}}}, "impact.factors.image.energy_wh.central"),
        ({"factors": {"image": {"energy_wh": {"low": 5, "central": 4}}}}, "impact.factors.image.energy_wh"),
        ({"factors": {"image": {"energy_wh": {"central": 20}}}}, "impact.factors.image.energy_wh"),
        ({"factors": {"image": {"energy_wh": {"middle": 2}}}}, "impact.factors.image.energy_wh.middle"),
        ({"factors": {"image": {"co2e_g": 2}}}, "impact.factors.image.co2e_g"),
        ({"factors": {"text_long": {"energy_wh": 2}}}, "impact.factors.text_long"),
        ({"factors": {"image": 3}}, "impact.factors.image"),
        ({"zones": {"FRA": {"low": 50, "central": 44, "high": 80}}}, "impact.zones.FRA"),
        ({"zones": {"EU": {"central": 225}}}, "impact.zones.EU.low"),
        ({"zones": {"1984": 100}}, "impact.zones.1984"),
        ({"default_zone": "MARS"}, "impact.default_zone"),
        ({"tool_zones": {"mistral": "ATLANTIS"}}, "impact.tool_zones.mistral"),
        ({"tool_zones": ["mistral"]}, "impact.tool_zones"),
        ({"water_ml_per_wh": 0}, "impact.water_ml_per_wh"),
        ({"embodied_g_per_kwh": -5}, "impact.embodied_g_per_kwh"),
        ({"equivalents": {"phone_charge_wh": 0}}, "impact.equivalents.phone_charge_wh"),
        ({"equivalents": {"bathtub_l": 150}}, "impact.equivalents.bathtub_l"),
        ({"factor": {}}, "impact.factor"),
    ],
)
def test_bad_override_values_name_the_key(section, key):
    with pytest.raises(ConfigError) as err:
        ImpactModel.from_config(section)
    assert err.value.key == key
    assert key in str(err.value)
