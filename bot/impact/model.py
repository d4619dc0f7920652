"""The footprint model: energy, CO2e and water per generation, always as a range.

Everything here is pure: no platform, no store, no wording. The engine asks
for a `Footprint` (one log or a week's total), the view turns it into words.

- energy (Wh) comes from the factor set of the preset in force: `sourced`
  (published figures, the default) or `article` (the seed article's rules of
  thumb exactly: one image = one phone charge, 100 prompts = 24 h of a 10 W
  LED bulb);
- CO2e (g) = energy × (grid intensity of the zone where the model runs +
  hardware manufacturing share) / 1000;
- water (mL) = energy × litres per kWh (on-site cooling + electricity
  generation);
- a local tool (a small model on the member's own computer, `is_local`)
  counts with the small-model energy (`factors.LOCAL_ENERGY_WH`) on the
  workspace's own grid: its logs carry the zone `local:<grid>` (`local_zone`),
  so the stores' counts by kind and zone keep local use apart without a
  column of their own, and every total prices it with the local factor.

Ranges are carried end to end and added low with low, high with high, so a
weekly total is never presented as more precise than its parts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from bot.impact import factors as F
from bot.core.errors import ConfigError
from bot.impact.factors import Factor
from bot.impact.sources import SOURCES, Source

if TYPE_CHECKING:
    from bot.core.config import Bounds, ImpactSection

PRESETS: tuple[str, ...] = ("sourced", "article")

LOCAL_PREFIX = "local:"  # lower case: no zone code of the configuration can start with it


def local_zone(grid: str) -> str:
    """The zone stored for a local tool's log: the grid it draws from, marked local ("local:FRA")."""
    return LOCAL_PREFIX + grid


def split_zone(zone: str | None) -> tuple[str | None, bool]:
    """(the grid zone, whether the generations ran locally) of a stored zone."""
    if zone and zone.startswith(LOCAL_PREFIX):
        return zone[len(LOCAL_PREFIX):] or None, True
    return zone, False


@dataclass(frozen=True)
class Range:
    """A quantity as low / central / high, all non-negative and ordered."""

    low: float
    central: float
    high: float

    def __post_init__(self) -> None:
        # One chained comparison holds every rule (NaN fails any comparison, infinity the last one); a weekly
        # total builds about 170 ranges, so the check is kept to this (a range built in 1.7 µs against 2.8 µs with all() first, measured)
        if 0.0 <= self.low <= self.central <= self.high < math.inf:
            return
        values = (self.low, self.central, self.high)
        if not all(math.isfinite(v) and v >= 0 for v in values):
            raise ValueError(f"a range needs finite non-negative values, got {values}")
        raise ValueError(f"a range needs low <= central <= high, got {values}")

    @classmethod
    def zero(cls) -> "Range":
        return cls(0.0, 0.0, 0.0)

    @classmethod
    def of(cls, factor: Factor) -> "Range":
        return cls(factor.low, factor.central, factor.high)

    def __add__(self, other: "Range") -> "Range":
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def scale(self, k: float) -> "Range":
        return Range(self.low * k, self.central * k, self.high * k)

    def times(self, other: "Range") -> "Range":
        """Product bound by bound: both ranges are non-negative, so the lows and highs pair up."""
        return Range(self.low * other.low, self.central * other.central, self.high * other.high)

    def per(self, unit: float) -> "Range":
        """How many `unit`s the range holds (divides, so that 12 Wh per 12 Wh is exactly 1)."""
        return Range(self.low / unit, self.central / unit, self.high / unit)


@dataclass(frozen=True)
class Footprint:
    """What some generations cost: energy in Wh, CO2e in g, water in mL."""

    energy_wh: Range
    co2e_g: Range
    water_ml: Range

    @classmethod
    def zero(cls) -> "Footprint":
        return cls(Range.zero(), Range.zero(), Range.zero())

    def __add__(self, other: "Footprint") -> "Footprint":
        return Footprint(self.energy_wh + other.energy_wh, self.co2e_g + other.co2e_g, self.water_ml + other.water_ml)

    def scale(self, k: float) -> "Footprint":
        return Footprint(self.energy_wh.scale(k), self.co2e_g.scale(k), self.water_ml.scale(k))


@dataclass(frozen=True)
class Equivalents:
    """A footprint in things one can picture, each on the basis of its own quantity:
    energy → phone charges and LED-bulb hours, CO2e → km by car, water → glasses."""

    phone_charges: Range
    led_hours: Range
    car_km: Range
    water_glasses: Range


class ImpactModel:
    """The factor set in force for one deployment, with its presets and zones."""

    def __init__(
        self,
        preset: str = "sourced",
        *,
        energy: Mapping[str, Factor] | None = None,
        grids: Mapping[str, Factor] | None = None,
        embodied: Factor = F.EMBODIED_G_PER_KWH,
        water: Factor = F.WATER_ML_PER_WH,
        bases: Mapping[str, Factor] | None = None,
        default_zone: str = F.DEFAULT_ZONE,
        tool_zones: Mapping[str, str] | None = None,
        overridden: Iterable[str] = (),
        local_energy: Mapping[str, Factor] | None = None,
        local_tools: Iterable[str] = F.LOCAL_TOOLS,
        local_grid: str = "",
    ) -> None:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}")
        self.preset = preset
        self.factors_version = F.FACTORS_VERSION
        self.bases: dict[str, Factor] = dict(bases or F.EQUIVALENT_BASES)
        self.energy: dict[str, Factor] = dict(energy) if energy is not None else preset_energy(preset, self.bases)
        self.grids: dict[str, Factor] = dict(grids or F.GRID_G_PER_KWH)  # zone code -> g CO2e per kWh
        self.embodied = embodied
        self.water = water
        self.default_zone = default_zone
        self.tool_zones: dict[str, str] = dict(F.TOOL_ZONES if tool_zones is None else tool_zones)
        self.overridden: tuple[str, ...] = tuple(overridden)
        self.local_energy: dict[str, Factor] = dict(F.LOCAL_ENERGY_WH if local_energy is None else local_energy)
        self.local_tools: frozenset[str] = frozenset(t.lower() for t in local_tools)
        self.local_grid = local_grid.upper()
        if default_zone not in self.grids:
            raise ValueError(f"unknown default zone {default_zone!r}")
        if self.local_grid and self.local_grid not in self.grids:
            raise ValueError(f"unknown local zone {local_grid!r}")

    # -- configuration

    @classmethod
    def from_config(cls, section: ImpactSection | Mapping[str, Any] | None, source: str | None = None) -> "ImpactModel":
        """Build the model from the validated `[impact]` section (`config.impact`).

        A raw table (`config.section("impact")`, a test's dict) is first read by
        the configuration schema, the one place that knows the keys and their
        forms. Overrides apply on top of the chosen preset: an explicit value
        always wins. What only the model can check is checked here: a partial
        range must stay ordered around the bounds it keeps from the preset.
        """
        if section is None or isinstance(section, Mapping):
            from bot.core.config import read_section  # the schema imports this module (for PRESETS)

            section = read_section("impact", {} if section is None else section, source)
        return _build(section, source)

    # -- queries

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.energy)

    def zones(self) -> tuple[str, ...]:
        """The zone codes a workspace or a tool may be set to."""
        return tuple(self.grids)

    def has_zone(self, zone: str | None) -> bool:
        return bool(zone) and str(zone).upper() in self.grids

    def is_local(self, tool: str | None) -> bool:
        """Whether `tool` runs a small model on the member's own computer (`factors.LOCAL_TOOLS` and the
        configuration's `[impact] local_tools`)."""
        return bool(tool) and str(tool).lower() in self.local_tools

    def workspace_grid(self, lang: str | None) -> str:
        """The grid of the workspace's own country, where a local model draws its electricity:
        `[impact] local_zone`, else the country of the workspace's language (France for French), else the
        default zone."""
        if self.local_grid:
            return self.local_grid
        code = F.LANG_ZONES.get((lang or "").lower(), "")
        return code if code in self.grids else self.default_zone

    def zone_for(self, tool: str | None, workspace_zone: str | None, lang: str | None = None) -> str:
        """Where the electricity was drawn: for a local tool, the workspace's own grid marked local
        (`workspace_grid` of the workspace's language `lang`); else the tool's zone when configured,
        else the workspace's (when it is a known zone), else the default."""
        if self.is_local(tool):
            return local_zone(self.workspace_grid(lang))
        if tool and tool.lower() in self.tool_zones:
            return self.tool_zones[tool.lower()]
        if self.has_zone(workspace_zone):
            return str(workspace_zone).upper()
        return self.default_zone

    def grid(self, zone: str | None = None) -> Range:
        """Grid intensity of `zone` in g CO2e per kWh (a local zone's: its grid's)."""
        zone = split_zone(zone)[0]
        code = (zone or self.default_zone).upper()
        if code not in self.grids:
            raise ValueError(f"unknown zone {zone!r}; known: {', '.join(self.grids)}")
        return Range.of(self.grids[code])

    def footprint(self, kind: str, count: int = 1, zone: str | None = None) -> Footprint:
        """The footprint of `count` generations of `kind` run in `zone`.

        A zone the model does not know (say, a custom zone removed from the
        configuration after some logs were stored under it) counts as the
        default zone, so old logs never break a weekly total. A local zone
        ("local:FRA", `local_zone`) prices the small-model energy of the kinds
        that have one (`local_energy`) on its grid."""
        if kind not in self.energy:
            raise ValueError(f"unknown kind {kind!r}; known: {', '.join(self.energy)}")
        if count < 0:
            raise ValueError(f"count must be 0 or more, got {count}")
        grid, local = split_zone(zone)
        factor = self.local_energy.get(kind, self.energy[kind]) if local else self.energy[kind]
        energy = Range.of(factor).scale(count)
        # the server manufacturing share is kept for a local answer too: the member's device, out of scope
        # everywhere, is not priced, and a share it would not have is not taken off (docs/methodology.md)
        intensity = self.grid(grid if self.has_zone(grid) else None) + Range.of(self.embodied)  # g per kWh
        return Footprint(
            energy_wh=energy,
            co2e_g=energy.times(intensity).per(1000.0),
            water_ml=energy.times(Range.of(self.water)),
        )

    def equivalents(self, fp: Footprint) -> Equivalents:
        return Equivalents(
            phone_charges=fp.energy_wh.per(self.bases["phone_charge_wh"].central),
            led_hours=fp.energy_wh.per(self.bases["led_w"].central),
            car_km=fp.co2e_g.per(self.bases["car_g_per_km"].central),
            water_glasses=fp.water_ml.per(self.bases["glass_ml"].central),
        )

    def sources_used(self) -> list[Source]:
        """Every source behind a figure the model computes with or quotes, in first-use order."""
        factors: list[Factor] = [
            *self.energy.values(),
            *self.local_energy.values(),
            *self.grids.values(),
            self.embodied,
            self.water,
            *self.bases.values(),
        ]
        ids: list[str] = []
        for group in (
            *(f.sources for f in factors),
            F.DEFAULT_ZONE_SOURCES,
            F.TOOL_ZONE_SOURCES,
            F.LOCAL_TOOLS_SOURCES,
            (F.ARTICLE_SOURCE,),
            *(fig.sources for fig in F.CONTEXT.values()),
        ):
            ids += [i for i in group if i not in ids]
        return [SOURCES[i] for i in ids]


def preset_energy(preset: str, bases: Mapping[str, Factor]) -> dict[str, Factor]:
    """Energy per kind for a preset. Under `article`, the article's rules are
    derived from the equivalents' bases, so they stay exact: an image is one
    phone charge, a prompt one hundredth of a day of the LED bulb."""
    energy = dict(F.SOURCED_ENERGY_WH)
    if preset == "article":
        charge = bases["phone_charge_wh"]
        led = bases["led_w"]
        one_charge = Factor.point(charge.central, (F.ARTICLE_SOURCE, *charge.sources))
        prompt_wh = led.central * F.ARTICLE_LED_HOURS / F.ARTICLE_PROMPTS_PER_LED_DAY
        energy["text"] = Factor.point(prompt_wh, (F.ARTICLE_SOURCE, *led.sources))
        energy["doc"] = one_charge
        energy["image"] = one_charge
    return energy


# ---------------------------------------------------------------- configuration

RANGE_KEYS: tuple[str, ...] = ("low", "central", "high")  # the bounds an override may give, in order


def _build(s: ImpactSection, source: str | None) -> ImpactModel:
    """The model of a validated `[impact]` section; `overridden` names every figure the operator replaced."""
    overridden: list[str] = []
    bases = dict(F.EQUIVALENT_BASES)
    for name, value in s.equivalents.items():
        bases[name] = _local(Factor.point(value, ()))
        overridden.append(f"impact.equivalents.{name}")

    energy = preset_energy(s.preset, bases)
    for kind, override in s.factors.items():
        if override.energy_wh is not None:
            key = f"impact.factors.{kind}.energy_wh"
            energy[kind] = _merged(override.energy_wh, energy[kind], key, source)
            overridden.append(key)

    zones = dict(F.GRID_G_PER_KWH)
    for code, given in s.zones.items():
        key = f"impact.zones.{code}"
        zones[code] = _merged(given, zones.get(code, Factor.point(1.0, ())), key, source)  # a new zone gives all three
        overridden.append(key)

    embodied, water = F.EMBODIED_G_PER_KWH, F.WATER_ML_PER_WH
    if s.embodied_g_per_kwh is not None:
        embodied = _merged(s.embodied_g_per_kwh, embodied, "impact.embodied_g_per_kwh", source)
        overridden.append("impact.embodied_g_per_kwh")
    if s.water_ml_per_wh is not None:
        water = _merged(s.water_ml_per_wh, water, "impact.water_ml_per_wh", source)
        overridden.append("impact.water_ml_per_wh")

    return ImpactModel(
        s.preset,
        energy=energy,
        grids=zones,
        embodied=embodied,
        water=water,
        bases=bases,
        default_zone=s.default_zone,
        tool_zones=s.tool_zones,
        overridden=overridden,
        local_tools=(*F.LOCAL_TOOLS, *s.local_tools),
        local_grid=s.local_zone,
    )


def _merged(given: Bounds, base: Factor, key: str, source: str | None) -> Factor:
    """An override on top of `base`: the bounds given replace the base's, the others are kept, all still in order."""
    bounds = {k: getattr(base, k) for k in RANGE_KEYS}
    bounds.update({k: v for k in RANGE_KEYS if (v := getattr(given, k)) is not None})
    if not bounds["low"] <= bounds["central"] <= bounds["high"]:
        raise ConfigError(key, "low <= central <= high", bounds, source)
    return _local(Factor(bounds["low"], bounds["central"], bounds["high"], ()))


def _local(factor: Factor) -> Factor:
    return Factor(factor.low, factor.central, factor.high, (), factor.confidence, local=True)
