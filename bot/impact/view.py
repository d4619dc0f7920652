"""Footprints as words: the headline, the facts, the footer and the methodology.

The numbers come from `bot.impact.model`; every word comes from
`templates/impact.j2` and `templates/methodology.j2` through the catalogues.
This module only picks the unit that reads best (Wh or kWh, minutes or
hours...) and rounds to two significant figures, so the templates stay free
of arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from bot.impact.model import Equivalents, Footprint, ImpactModel, Range, preset_energy, split_zone
from bot.impact.factors import ARTICLE_KINDS, ARTICLE_SOURCE as ARTICLE_SOURCE_ID, CONTEXT, DEFAULT_ZONE_SOURCES, SOURCED_ENERGY_WH
from bot.impact.factors import LOCAL_TOOLS_SOURCES
from bot.impact.sources import SOURCES
from bot.core.numbers import round_sig
from bot.core.render import Renderer
from bot.core.reply import Fact

SIG = 2  # significant figures shown: enough to compare, never a false precision

# Units per quantity: (name, size in the quantity's base unit, smallest central value that uses it).
_UNITS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "energy": (("wh", 1.0, 0.0), ("kwh", 1e3, 1e3), ("mwh", 1e6, 1e6)),
    "co2e": (("g", 1.0, 0.0), ("kg", 1e3, 1e3), ("t", 1e6, 1e6)),
    "water": (("ml", 1.0, 0.0), ("l", 1e3, 1e3), ("m3", 1e6, 1e6)),
    "duration": (("s", 1 / 3600, 0.0), ("min", 1 / 60, 1 / 60), ("h", 1.0, 1.0), ("d", 24.0, 72.0)),
    "distance": (("m", 1e-3, 0.0), ("km", 1.0, 1.0)),
    "count": (("", 1.0, 0.0),),
}

# Which equivalent leads the reply (the one line a log reply shows): phone
# charges when there is at least a tenth of one, otherwise the LED bulb, which
# reads well at any amount (seconds, minutes, hours, days).
_PHONE_HEADLINE_MIN = 0.1

# Below these central values an equivalent pictures nothing a reader can see
# (« ≈ 0,0045 verre d'eau », « voiture ≈ 0,57 m »): it is left out of the facts,
# while energy, carbon and water always stay. Units are the model's own: charges,
# hours of the bulb, km, glasses.
EQUIVALENT_MIN: dict[str, float] = {"phone": _PHONE_HEADLINE_MIN, "led": 1 / 60, "car": 1.0, "glasses": 1.0}


@dataclass(frozen=True)
class Shown:
    """A range ready to print: scaled to one unit, rounded, and whether the bounds differ."""

    central: float
    low: float
    high: float
    unit: str

    @property
    def ranged(self) -> bool:
        return self.low != self.high


def shown(r: Range, quantity: str) -> Shown:
    """Scale `r` to the unit its central value reads best in, rounded to `SIG` figures."""
    units = _UNITS[quantity]
    if r.central == 0:  # nothing to scale: say it in the quantity's own unit ("0 Wh", "0 h")
        name, size, _ = next(u for u in units if u[1] == 1.0)
    else:
        name, size, _ = next(u for u in reversed(units) if r.central >= u[2])
    central = round_sig(r.central / size, SIG)
    places = _places(central) + 1
    return Shown(central=central, low=_bound(r.low / size, places), high=_bound(r.high / size, places), unit=name)


def _places(value: float) -> int:
    """The decimal places `value` shows (0.5 → 1, 0.25 → 2, 540.0 → 0)."""
    return max(-int(Decimal(repr(value)).normalize().as_tuple().exponent), 0)


def _bound(value: float, places: int) -> float:
    """A range's end at `SIG` figures, and at most `places` decimals: one more than its central value shows
    (« 0,5 (0,08 à 2) », not « 0,083 à 2 »; « 1,4 (0,23 à 5,5) » stays), unless that would show 0 for a bound
    that is not."""
    rounded = round_sig(value, SIG)
    coarse = round(rounded, places)
    return coarse if coarse or not rounded else rounded


def _macros(renderer: Renderer, lang: str, name: str) -> Callable[[str], Callable[..., str]]:
    return lambda macro: renderer.macro(lang, name, macro)


def _bases(model: ImpactModel) -> dict[str, float]:
    return {name: f.central for name, f in model.bases.items()}


def footprint_facts(
    renderer: Renderer, lang: str, model: ImpactModel, fp: Footprint, *, avoided: bool = False
) -> tuple[str, tuple[Fact, ...]]:
    """The headline equivalent (central value, then its range when it matters)
    and one fact per quantity and per equivalent large enough to picture
    (`EQUIVALENT_MIN`). Works the same for one log and for a week's total,
    whose ranges were summed bound by bound."""
    m = _macros(renderer, lang, "impact")
    eq = model.equivalents(fp)
    rows = {
        "energy": shown(fp.energy_wh, "energy"),
        "co2e": shown(fp.co2e_g, "co2e"),
        "water": shown(fp.water_ml, "water"),
        "phone": shown(eq.phone_charges, "count"),
        "led": shown(eq.led_hours, "duration"),
        "car": shown(eq.car_km, "distance"),
        "glasses": shown(eq.water_glasses, "count"),
    }
    lead = _lead(eq)
    bases = _bases(model)
    headline = m("headline")(lead, rows[lead], bases, avoided)
    label, value = m("label"), m("value")
    central = {"phone": eq.phone_charges.central, "led": eq.led_hours.central, "car": eq.car_km.central,
               "glasses": eq.water_glasses.central}
    facts = tuple(Fact(label(name, bases), value(name, q)) for name, q in rows.items()
                  if name != lead and central.get(name, 1.0) >= EQUIVALENT_MIN.get(name, 0.0))
    return headline, facts


def footprint_headline(renderer: Renderer, lang: str, model: ImpactModel, fp: Footprint, *,
                       avoided: bool = False) -> str:
    """The headline of `footprint_facts` alone, for a reply that shows no other fact (a log's): the other
    facts' wording is not built only to be dropped, on the path every log takes."""
    eq = model.equivalents(fp)
    lead = _lead(eq)
    row = shown(eq.phone_charges, "count") if lead == "phone" else shown(eq.led_hours, "duration")
    return _macros(renderer, lang, "impact")("headline")(lead, row, _bases(model), avoided)


def _lead(eq: Equivalents) -> str:
    """The equivalent a headline pictures: phone charges, or LED hours for amounts too small to charge a phone."""
    return "phone" if eq.phone_charges.central >= _PHONE_HEADLINE_MIN else "led"


def impact_footer(renderer: Renderer, lang: str, model: ImpactModel, zone: str, *, kind: str | None = None) -> str:
    """One short line: the preset, the factor set's version, the zone, and where
    the article's rules of thumb stand: under the sourced preset the image rule
    is the upper bound. With `kind`, only the rule (or caveat) for that kind."""
    article = preset_energy("article", model.bases)
    image_ratio, text_ratio = (round_sig(article[k].central / SOURCED_ENERGY_WH[k].central, SIG) for k in ("image", "text"))
    return _macros(renderer, lang, "impact")("footer")(
        preset=model.preset,
        version=model.factors_version,
        zone=(split_zone(zone)[0] or model.default_zone).upper(),  # a local tool's log names its grid
        grid=model.grid(zone).central,
        kind=kind or "",
        confidence=model.energy[kind].confidence if kind in model.energy else "",
        local=bool(model.overridden),
        bases=_bases(model),
        article_kind=kind in ARTICLE_KINDS,
        image_ratio=image_ratio,
        text_ratio=text_ratio,
    )


def method_summary_lines(renderer: Renderer, lang: str, model: ImpactModel) -> tuple[str, ...]:
    """`/ia-help methode` in chat: what is counted, the energy per kind, the grid, the equivalents and where
    the article's rules stand, in a screen; its last line says where the whole method is (`methodology_lines`,
    docs/methodology.md, the CSR report)."""
    m = _macros(renderer, lang, "help")
    typical_charges = round_sig(SOURCED_ENERGY_WH["image"].central / model.bases["phone_charge_wh"].central, SIG)
    article = SOURCES[ARTICLE_SOURCE_ID].short
    return (
        m("method_scope")(),
        m("method_energy")([(kind, f.central) for kind, f in model.energy.items()], model.preset),
        m("method_grid")(model.default_zone, model.grid(model.default_zone).central),
        m("method_equivalents")(_bases(model)),
        m("method_article")(article, typical_charges),
        m("method_more")(),
    )


def methodology_lines(renderer: Renderer, lang: str, model: ImpactModel) -> tuple[str, ...]:
    """`/ia-help methode`: scope, factor table with sources and version, zones
    and why the French grid is not the default, the article's three rules
    checked one line each, training as context only, then the sources."""
    m = _macros(renderer, lang, "methodology")
    # the article's rules are checked against the published figures, whatever the preset and overrides
    sourced = SOURCED_ENERGY_WH
    article = preset_energy("article", model.bases)
    bases = _bases(model)
    fig = {k: f.value for k, f in CONTEXT.items()}
    text_wh = sourced["text"].central

    def ratio(a: float, b: float) -> float:
        return round_sig(a / b, SIG)

    def cites(*keys: str) -> str:
        return _cites_ids(tuple(i for k in keys for i in CONTEXT[k].sources))

    lines = [
        m("title")(model.factors_version, model.preset, bool(model.overridden)),
        m("counted")(model.embodied.central),
        m("not_counted")(),
        m("table_intro")(model.preset),
        *(
            m("factor_row")(kind, f, _cites_ids(f.sources))
            for kind, f in model.energy.items()
        ),
        m("ratios")(
            video=ratio(sourced["video"].central, text_wh),
            image=ratio(sourced["image"].central, text_wh),
            doc=ratio(sourced["doc"].central, text_wh),
            code_per_text=ratio(text_wh, sourced["code"].central),
        ),
        m("formulas")(
            embodied=model.embodied.central,
            water=model.water,
            embodied_cites=_cites_ids(model.embodied.sources),
            water_cites=_cites_ids(model.water.sources),
        ),
        m("zones")(
            default=model.default_zone,
            rows=list(model.grids.items()),
            tool_zones=dict(model.tool_zones),
            cites=_cites_ids(
                tuple(i for f in model.grids.values() for i in f.sources) + DEFAULT_ZONE_SOURCES
            ),
        ),
        m("local_tools")(
            sorted(model.local_tools),
            list(model.local_energy.items()),
            _cites_ids(tuple(i for f in model.local_energy.values() for i in f.sources) + LOCAL_TOOLS_SOURCES),
        ),
        m("why_not_france")(
            usa=model.grid("USA").central,
            fra=model.grid("FRA").central,
            ratio=round_sig(model.grid("USA").central / model.grid("FRA").central, 1),
        ),
        m("rule_image")(
            charge_wh=bases["phone_charge_wh"],
            typical_wh=sourced["image"].central,
            typical_charges=ratio(sourced["image"].central, bases["phone_charge_wh"]),
            worst_wh=fig["image_worst_2023_wh"],
            recent_low=fig["image_2025_low_wh"],
            recent_high=fig["image_2025_high_wh"],
            cites=cites("image_worst_2023_wh", "image_2025_low_wh"),
        ),
        m("rule_led")(
            led_w=bases["led_w"],
            prompt_wh=article["text"].central,
            old_wh=fig["text_2023_wh"],
            recent_low=fig["text_2025_low_wh"],
            recent_high=fig["text_2025_high_wh"],
            hours_per_100=ratio(100 * text_wh, bases["led_w"]),
            times=ratio(article["text"].central, text_wh),
            doc_wh=sourced["doc"].central,
            cites=cites("text_2025_low_wh", "text_2025_high_wh", "text_2023_wh"),
        ),
        m("rule_training")(
            article_t=fig["article_training_t"],
            gpt3_t=fig["gpt3_training_t"],
            flight_co2_t=fig["flight_co2_t"],
            flight_co2e_t=fig["flight_co2e_t"],
            trips_co2=ratio(fig["gpt3_training_t"], fig["flight_co2_t"]),
            trips_co2e=ratio(fig["gpt3_training_t"], fig["flight_co2e_t"]),
            cites=cites("gpt3_training_t", "flight_co2_t", "flight_co2e_t"),
        ),
        m("training")(
            gpt3_t=fig["gpt3_training_t"],
            llama_t=fig["llama31_training_t"],
            cites=cites("gpt3_training_t", "llama31_training_t"),
        ),
        m("equivalents")(bases, _cites_ids(tuple(i for f in model.bases.values() for i in f.sources))),
        m("sources_title")(),
        *(m("source_line")(src) for src in model.sources_used()),
    ]
    return tuple(line for line in lines if line)


def _cites_ids(ids: tuple[str, ...]) -> str:
    seen: list[str] = []
    for i in ids:
        if SOURCES[i].short not in seen:
            seen.append(SOURCES[i].short)
    return ", ".join(seen)
