"""The built-in factor set: every figure the footprint model starts from.

Each `Factor` carries low / central / high values and the ids of the sources
(`bot.impact.sources.SOURCES`) it rests on, so that whatever the coach says
about footprint can be traced. Scope of every figure: inference only, on the
data-centre side (accelerators, host, cooling overhead); training, the
member's own devices and the network are left out.

Why the main values are what they are (details in docs/methodology.md):

- short text: Google's measured 0.24 Wh, OpenAI's 0.34 Wh and Epoch AI's
  0.3 Wh agree within 20 %; the 2023 estimate of about 3 Wh is the high end;
- long text (long document, long context, reasoning model): about 3 Wh, up
  to 30 Wh and more for reasoning models;
- image: the 2023 open-model average is 1.35 to 2.9 Wh; the least efficient
  model measured, 11.5 Wh, is where "one image = one smartphone charge" comes
  from, hence a high bound of exactly one 12 Wh charge;
- video (a 5 s clip): open models span three orders of magnitude;
- audio: no measured per-clip figure was found, an engineering estimate;
- code completion: EcoLogits' model-only figure for 50 to 200 tokens,
  doubled for the full stack as Google's 0.24 / 0.10 Wh ratio suggests.

A local override from the configuration replaces a factor with `local=True`
and no sources: the methodology then says the value comes from the company.
"""

from __future__ import annotations

from dataclasses import dataclass

FACTORS_VERSION = "2026-11"

GOOD, ORDER, LOW = "good", "order", "low"  # confidence: agreeing sources, order of magnitude, estimate


@dataclass(frozen=True)
class Factor:
    """One figure with its uncertainty and where it comes from."""

    low: float
    central: float
    high: float
    sources: tuple[str, ...]
    confidence: str = GOOD
    local: bool = False  # set by a configuration override

    @classmethod
    def point(cls, value: float, sources: tuple[str, ...], confidence: str = GOOD) -> "Factor":
        """A figure known as one value (a grid intensity, a unit convention)."""
        return cls(value, value, value, sources, confidence)


# Energy per generation, Wh, `sourced` preset. Keys are the engine's kinds.
SOURCED_ENERGY_WH: dict[str, Factor] = {
    "text": Factor(0.05, 0.3, 3.0, ("google-2025", "altman-2025", "epoch-2025", "jegham-2025", "mit-tr-2025", "devries-2023")),
    "doc": Factor(1.0, 3.0, 30.0, ("epoch-2025", "ecologits", "jegham-2025", "mit-tr-2025")),
    "image": Factor(0.5, 3.0, 12.0, ("luccioni-2023", "mit-tr-2025", "iyengar-2025")),
    "video": Factor(10.0, 100.0, 1000.0, ("delavande-2025-blog", "delavande-2025-paper", "mit-tr-2025", "chung-2026"), ORDER),
    "audio": Factor(0.2, 2.0, 20.0, ("passoni-2025",), LOW),
    "code": Factor(0.005, 0.05, 1.0, ("ecologits", "coignion-2024", "google-2025")),
}

# The kinds the seed article gives a rule for; the others keep their sourced
# figures under the `article` preset, since the article says nothing of them.
# "doc" follows the article's monthly victory: "20 generations (images or long
# texts) avoided = 20 phone charges", i.e. one charge per long text.
ARTICLE_KINDS: tuple[str, ...] = ("text", "doc", "image")
ARTICLE_SOURCE = "article-ia-sobre"
ARTICLE_PROMPTS_PER_LED_DAY = 100  # "100 prompts ≈ an LED bulb left on for 24 h"
ARTICLE_LED_HOURS = 24.0

# Grid carbon intensity, g CO2e per kWh, lifecycle, location-based.
GRID_G_PER_KWH: dict[str, Factor] = {
    "USA": Factor.point(384.0, ("ecologits-mixes",)),
    "FRA": Factor(22.0, 44.0, 80.0, ("ecologits-mixes", "rte-2024", "ademe-mix")),
    "SWE": Factor.point(36.0, ("ecologits-mixes",)),
    "IRL": Factor.point(280.0, ("ecologits-mixes",)),
    "NLD": Factor.point(253.0, ("ecologits-mixes",)),
    "DEU": Factor.point(344.0, ("ecologits-mixes",)),
    "GBR": Factor.point(211.0, ("ecologits-mixes",)),
    "WOR": Factor.point(473.0, ("ecologits-mixes", "iea-2025")),
}

# Where the common services run (ChatGPT, Gemini, Claude, Copilot, Midjourney).
DEFAULT_ZONE = "USA"
DEFAULT_ZONE_SOURCES: tuple[str, ...] = ("ecologits", "midjourney-gcp")

# Tools whose provider is known to run elsewhere than the default zone
# (EcoLogits' provider table). A `[impact.tool_zones]` table replaces this one.
TOOL_ZONES: dict[str, str] = {"mistral": "SWE"}
TOOL_ZONE_SOURCES: tuple[str, ...] = ("ecologits",)

# Local tools: chat applications that run a small language model on the member's own computer. The
# article's « IA de proximité » names JAN, Anything LLM, LM Studio and GPT4All; Ollama is the common
# command-line one. `[impact] local_tools` adds a company's own; the words people type for them are in
# `bot.core.config.DEFAULT_TOOLS`.
LOCAL_TOOLS: tuple[str, ...] = ("jan", "lmstudio", "gpt4all", "anythingllm", "ollama")
LOCAL_TOOLS_SOURCES: tuple[str, ...] = (ARTICLE_SOURCE,)

# Energy per generation of a small model (3 to 8 billion parameters, quantised) answering on a recent laptop
# or desktop, Wh, for the kinds such tools produce; other kinds logged with a local tool keep the sourced
# figure (an image is an image), on the local grid. An engineering estimate (low confidence), bracketed by:
# - the same size of model in a data centre: Llama 3.1 8B ≈ 114 J ≈ 0.03 Wh per answer (ML.ENERGY via MIT
#   Technology Review), small open text models ≈ 0.04-0.05 Wh (Luccioni et al.); EcoLogits' formula gives
#   ≈ 5e-5 Wh per output token per GPU for an 8B model, ≈ 0.015 Wh for 300 tokens: the low end, since a data
#   centre batches requests while a laptop answers one at a time;
# - the device: a few hundred tokens at 10 to 40 tokens/s, 5 to 30 s at 15 to 60 W above idle
#   (≈ 0.02 to 0.5 Wh; central ≈ 15 s at 25 W ≈ 0.1 Wh); a desktop GPU drawing 250 W for 7 s is the high end.
#   Local CPU inference cost grows about linearly with the tokens (Alvarez et al.), hence a long text at ten
#   times a short one, and a code completion (50 to 200 tokens) at a fifth.
LOCAL_ENERGY_WH: dict[str, Factor] = {
    "text": Factor(0.02, 0.1, 0.5, ("mit-tr-2025", "luccioni-2023", "ecologits", "alvarez-2025"), LOW),
    "doc": Factor(0.2, 1.0, 5.0, ("mit-tr-2025", "luccioni-2023", "ecologits", "alvarez-2025"), LOW),
    "code": Factor(0.005, 0.02, 0.2, ("ecologits", "alvarez-2025"), LOW),
}

# The grid a local model draws from is the workspace's own country's. The language says it only for French
# (the product's market: France by default for a French workspace); `[impact] local_zone` says it for others,
# else the default zone.
LANG_ZONES: dict[str, str] = {"fr": "FRA"}

# Hardware manufacturing, g CO2e per kWh of request energy (H100 server,
# three-year life), derived from EcoLogits' embodied model.
EMBODIED_G_PER_KWH = Factor.point(75.0, ("ecologits",), LOW)

# Water consumed per Wh (= L per kWh): on-site cooling plus the water behind
# the electricity. Low bound: on-site only, Google's boundary.
WATER_ML_PER_WH = Factor(1.1, 4.5, 9.0, ("google-2025", "ecologits-mixes", "li-2023", "arcep-2025"))

# Bases of the equivalents. One value each: an equivalent is a unit of
# illustration, its uncertainty is the quantity's own.
EQUIVALENT_BASES: dict[str, Factor] = {
    "phone_charge_wh": Factor.point(12.0, ("luccioni-2023",)),  # the figure the "one charge" rule was built on
    "led_w": Factor.point(10.0, ("atmo-led",)),  # 800 to 1,000 lm, between the guide's 9 W and 12 W lamps
    "car_g_per_km": Factor.point(200.0, ("ademe-car",)),  # average petrol car
    "glass_ml": Factor.point(250.0, ("metric-cup",)),
}


@dataclass(frozen=True)
class Figure:
    """A published number quoted in the methodology, not used in any computation."""

    value: float
    sources: tuple[str, ...]


# Figures the article's three rules are checked against, and training, shown
# as context only: never added per use, never credited to an avoided use.
CONTEXT: dict[str, Figure] = {
    "image_worst_2023_wh": Figure(11.5, ("luccioni-2023",)),
    "image_avg_2023_low_wh": Figure(1.35, ("luccioni-2023",)),
    "image_avg_2023_high_wh": Figure(2.9, ("luccioni-2023",)),
    "image_2025_low_wh": Figure(0.63, ("mit-tr-2025",)),
    "image_2025_high_wh": Figure(1.22, ("mit-tr-2025",)),
    "text_2025_low_wh": Figure(0.24, ("google-2025",)),
    "text_2025_high_wh": Figure(0.34, ("altman-2025",)),
    "text_2023_wh": Figure(2.9, ("devries-2023",)),
    "article_training_t": Figure(500.0, (ARTICLE_SOURCE,)),
    "gpt3_training_t": Figure(552.0, ("patterson-2021",)),
    "llama31_training_t": Figure(11390.0, ("meta-llama31-card",)),
    "flight_co2_t": Figure(1.0, ("dgac-flight",)),
    "flight_co2e_t": Figure(1.77, ("ademe-flight",)),
}
