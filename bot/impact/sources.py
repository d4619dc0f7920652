"""The published sources behind every footprint figure the coach shows.

Members put these numbers in CSR files, so each factor in `bot.impact.factors`
names the sources it rests on by id, and `docs/methodology.md` lists them all.
`checked` says how far each one was verified when the factor set was compiled:

- "source": read in the source itself;
- "secondary": read in a report that quotes it;
- "estimate": derived or not read; the factor resting on it is low confidence;
- "convention": a unit convention, nothing to measure.

`url_checked` is False for the addresses that were written from the title and
not opened when the set was compiled: search the title if one fails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One publication, page or dataset a factor relies on."""

    id: str
    short: str  # how replies cite it: "Luccioni et al. 2023"
    title: str
    authors: str
    year: int
    url: str
    checked: str  # "source" | "secondary" | "estimate" | "convention"
    url_checked: bool = True


_ALL: tuple[Source, ...] = (
    # -- the article the product comes from
    Source(
        "article-ia-sobre", "Imagisto 2026",
        "L’article à l’origine de Sobria : encadré « Mon calculateur de bénéfice positif »",
        "Imagisto", 2026, "", "source",
    ),
    # -- energy per use
    Source(
        "google-2025", "Google 2025",
        "Measuring the environmental impact of delivering AI at Google Scale",
        "Elsworth, Huang, Patterson, Dean, Vahdat, Manyika et al. (Google)", 2025,
        "https://arxiv.org/abs/2508.15734", "source",
    ),
    Source(
        "altman-2025", "OpenAI 2025", "The Gentle Singularity", "Sam Altman (OpenAI)", 2025,
        "https://blog.samaltman.com/the-gentle-singularity", "secondary", url_checked=False,
    ),
    Source(
        "epoch-2025", "Epoch AI 2025", "How much energy does ChatGPT use?", "Josh You (Epoch AI)", 2025,
        "https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use", "source",
    ),
    Source(
        "jegham-2025", "Jegham et al. 2025",
        "How Hungry is AI? Benchmarking Energy, Water, and Carbon Footprint of LLM Inference",
        "Jegham, Abdelatti, Elmoubarki, Hendawi", 2025, "https://arxiv.org/abs/2505.09598", "source",
    ),
    Source(
        "mit-tr-2025", "MIT Technology Review 2025", "We did the math on AI's energy footprint",
        "James O'Donnell, Casey Crownhart (MIT Technology Review), with ML.ENERGY", 2025,
        "https://www.technologyreview.com/2025/05/20/1116327/ai-energy-usage-climate-footprint-big-tech/",
        "secondary", url_checked=False,
    ),
    Source(
        "devries-2023", "de Vries 2023", "The growing energy footprint of artificial intelligence",
        "Alex de Vries, Joule 7(10)", 2023, "https://doi.org/10.1016/j.joule.2023.09.004", "secondary",
        url_checked=False,
    ),
    Source(
        "luccioni-2023", "Luccioni et al. 2023",
        "Power Hungry Processing: Watts Driving the Cost of AI Deployment?",
        "Alexandra Sasha Luccioni, Yacine Jernite, Emma Strubell (FAccT 2024)", 2023,
        "https://arxiv.org/abs/2311.16863", "secondary",
    ),
    Source(
        "iyengar-2025", "Iyengar et al. 2025",
        "Energy Scaling Laws for Diffusion Models: Quantifying Compute in Image Generation",
        "Iyengar, Han, Ruf, Grari, Detyniecki, Ermon (Stanford, AXA)", 2025,
        "https://arxiv.org/abs/2511.17031", "secondary",
    ),
    Source(
        "delavande-2025-blog", "Delavande 2025", "How Much Power does a SOTA Open Video Model Use?",
        "Julien Delavande (Hugging Face)", 2025,
        "https://huggingface.co/blog/jdelavande/text-to-video-energy-cost", "source",
    ),
    Source(
        "delavande-2025-paper", "Delavande et al. 2025",
        "Video Killed the Energy Budget: Characterizing the Latency and Power Regimes of Open Text-to-Video Models",
        "Julien Delavande, Regis Pierrard, Sasha Luccioni (Hugging Face)", 2025,
        "https://arxiv.org/abs/2509.19222", "secondary",
    ),
    Source(
        "chung-2026", "Chung et al. 2026", "Where Do the Joules Go? Diagnosing Inference Energy Consumption",
        "Jae-Won Chung, Ruofan Wu, Jeff J. Ma, Mosharaf Chowdhury", 2026,
        "https://arxiv.org/abs/2601.22076", "secondary",
    ),
    Source(
        "passoni-2025", "Passoni et al. 2025",
        "Diffused Responsibility: Analyzing the Energy Consumption of Generative Text-to-Audio Diffusion Models",
        "Passoni, Ronchini, Comanducci, Serizel, Antonacci (WASPAA 2025)", 2025,
        "https://arxiv.org/abs/2505.07615", "estimate",
    ),
    Source(
        "alvarez-2025", "Alvarez et al. 2025", "Scaling Laws for Energy Efficiency of Local LLMs",
        "Ander Alvarez, Alessandro Genuardi, Nilotpal Sinha, … Román Orús (Multiverse Computing)", 2025,
        "https://arxiv.org/abs/2512.16531", "secondary",
    ),
    Source(
        "coignion-2024", "Coignion et al. 2024",
        "Green My LLM: Studying the key factors affecting the energy consumption of code assistants",
        "Tristan Coignion, Clément Quinton, Romain Rouvoy (Inria, Université de Lille)", 2024,
        "https://arxiv.org/abs/2411.11892", "source",
    ),
    Source(
        "ecologits", "EcoLogits 0.9",
        "EcoLogits: Evaluating the Environmental Impacts of Generative AI (methodology and provider defaults)",
        "Samuel Rincé, Adrien Banse (GenAI Impact, now mlco2); JOSS 10(111):7471", 2025,
        "https://github.com/mlco2/ecologits", "source",
    ),
    # -- electricity
    Source(
        "ecologits-mixes", "EcoLogits mixes 2025",
        "EcoLogits electricity_mixes.csv (carbon from Our World in Data, off-site water from WRI)",
        "GenAI Impact / mlco2", 2025,
        "https://github.com/mlco2/ecologits/blob/main/ecologits/data/electricity_mixes.csv", "source",
    ),
    Source(
        "rte-2024", "RTE 2024", "Bilan électrique 2024 : émissions", "RTE", 2025,
        "https://analysesetdonnees.rte-france.com/index.php/bilan-electrique-2024/emissions", "source",
    ),
    Source(
        "ademe-mix", "ADEME Base Empreinte",
        "Base Empreinte : électricité, mix moyen consommation, France continentale", "ADEME", 2024,
        "https://base-empreinte.ademe.fr/", "secondary",
    ),
    Source(
        "iea-2025", "IEA 2025", "Electricity 2025: Emissions", "International Energy Agency", 2025,
        "https://www.iea.org/reports/electricity-2025/emissions", "source",
    ),
    Source(
        "midjourney-gcp", "Google Cloud 2023", "Midjourney selects Google Cloud to power AI creative platform",
        "Google Cloud press release", 2023, "https://cloud.google.com/", "secondary", url_checked=False,
    ),
    # -- water
    Source(
        "li-2023", "Li et al. 2023",
        "Making AI Less 'Thirsty': Uncovering and Addressing the Secret Water Footprint of AI Models",
        "Pengfei Li, Jianyi Yang, Mohammad A. Islam, Shaolei Ren (Communications of the ACM 2025)", 2023,
        "https://arxiv.org/abs/2304.03271", "source",
    ),
    Source(
        "arcep-2025", "Arcep 2025", "Pour un numérique soutenable, 4e édition (données 2023)", "Arcep", 2025,
        "https://www.arcep.fr/", "secondary", url_checked=False,
    ),
    # -- equivalents
    Source(
        "atmo-led", "Atmo BFC 2022", "Économies d’énergie : bien choisir ses ampoules (puissance selon les lumens)",
        "Atmo Bourgogne-Franche-Comté, d'après l'ADEME", 2022,
        "https://www.atmo-bfc.org/fr/mb_billets_582.php", "secondary",
    ),
    Source(
        "ademe-car", "ADEME (voiture)", "Émissions moyennes d’une voiture essence par km (chiffres ADEME relayés)",
        "ADEME, via ouestlecarbone.com", 2024, "https://ouestlecarbone.com/le-transport", "secondary",
    ),
    Source(
        "metric-cup", "Tasse métrique", "Cup (unit): the metric cup of 250 mL", "Wikipedia", 2025,
        "https://en.wikipedia.org/wiki/Cup_(unit)", "convention",
    ),
    # -- training, context only
    Source(
        "patterson-2021", "Patterson et al. 2021", "Carbon Emissions and Large Neural Network Training",
        "David Patterson et al. (Google, UC Berkeley)", 2021, "https://arxiv.org/abs/2104.10350", "secondary",
    ),
    Source(
        "meta-llama31-card", "Meta 2024", "Meta Llama 3.1 model card", "Meta", 2024,
        "https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/MODEL_CARD.md", "source",
    ),
    Source(
        "dgac-flight", "DGAC", "Éco-calculateur DGAC : ≈ 1 t de CO2 par aller-retour Paris–New York",
        "DGAC (TARMAAC, CITEPA), IFEN, FNAM", 2010,
        "https://eco-calculateur.dta.aviation-civile.gouv.fr/", "secondary",
    ),
    Source(
        "ademe-flight", "ADEME (avion)",
        "Base Carbone : aérien long-courrier, 152 g CO2e par passager-km avec les effets hors CO2",
        "ADEME (données DGAC TARMAAC)", 2018, "https://base-empreinte.ademe.fr/", "secondary",
    ),
)

SOURCES: dict[str, Source] = {s.id: s for s in _ALL}
