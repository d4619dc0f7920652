"""Issue 20, local tools counted honestly: the article's local applications (JAN, Anything LLM, LM Studio,
GPT4All) and Ollama are recognised however they are spelt, counted with the small-model factor on the
workspace's own grid (France for a French workspace), and the monthly summary says the share of local use.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.core import periods
from bot.core.coach import Coach
from bot.core.config import ConfigError, parse_config
from bot.core.identity import Sender
from bot.core.render import Renderer
from bot.impact import factors as F
from bot.impact.model import ImpactModel, local_zone, split_zone
from bot.impact.view import impact_footer
from bot.reports.summaries import SummaryWords, footprint_of, monthly_figures, monthly_reply
from bot.store import GENERATED, Event, open_store

from conftest import PARIS, Clock

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
NOVEMBER = periods.month_of(date(2026, 11, 1), PARIS)
MEMBER = Sender("T1", "U1", "Camille", "console")


def coach_for(tmp_path: Path, **sections) -> Coach:
    config = parse_config({"store": {"data_dir": str(tmp_path / "data")}, **sections})
    return Coach(config, open_store(config.data_dir), clock=Clock(WEDNESDAY))


def log(coach: Coach, text: str):
    reply = coach.handle("ia-log", text, MEMBER)
    assert reply.ok, reply
    return reply, coach.store.get_event("T1", reply.data["event_id"])


def test_the_done_when_lmstudio_is_counted_local_with_the_local_factor(tmp_path: Path) -> None:
    coach = coach_for(tmp_path)
    reply, event = log(coach, "texte 3 lmstudio Rédige un mail de relance pour un client")
    assert event.tool == "lmstudio" and event.zone == "local:FRA" and split_zone(event.zone) == ("FRA", True)
    fp = reply.data["footprint"]
    assert (fp.energy_wh.low, fp.energy_wh.central, fp.energy_wh.high) == pytest.approx((0.06, 0.3, 1.5))  # 3 × small model
    grid, embodied = 44.0, 75.0  # France's grid, the manufacturing share kept
    assert fp.co2e_g.central == pytest.approx(0.3 * (grid + embodied) / 1000)
    assert reply.title.startswith("3 textes notés (lmstudio)")
    hosted, hosted_event = log(coach, "texte 3 chatgpt Rédige un mail de relance pour un client")
    assert hosted_event.zone == "USA" and hosted.data["footprint"].energy_wh.central == pytest.approx(0.9)
    assert hosted.data["footprint"].co2e_g.central > 10 * fp.co2e_g.central


@pytest.mark.parametrize("typed, tool", [
    ("lmstudio", "lmstudio"), ("lm studio", "lmstudio"), ("LMStudio", "lmstudio"), ("LM-Studio", "lmstudio"),
    ("anything llm", "anythingllm"), ("AnythingLLM", "anythingllm"), ("Anything-LLM", "anythingllm"),
    ("Jan", "jan"), ("jan.ai", "jan"), ("GPT4All", "gpt4all"), ("ollama", "ollama"),
])
def test_every_spelling_of_a_local_tool_is_recognised_and_the_prompt_kept(tmp_path: Path, typed: str, tool: str) -> None:
    coach = coach_for(tmp_path)
    reply, event = log(coach, f"texte 2 {typed} Résume ce compte rendu")
    assert event.tool == tool and event.zone == "local:FRA"
    assert event.rct is not None  # « Résume ce compte rendu » was read as the prompt, not as a tool's word
    assert reply.data["footprint"].energy_wh.central == pytest.approx(2 * F.LOCAL_ENERGY_WH["text"].central)


def test_llama_is_still_a_hosted_model_and_ollama_a_local_tool(tmp_path: Path) -> None:
    coach = coach_for(tmp_path)
    assert log(coach, "texte llama")[1].zone == "USA"
    assert log(coach, "texte ollama")[1].zone == "local:FRA"


def test_the_grid_of_a_local_tool_is_the_workspaces_own(tmp_path: Path) -> None:
    english = coach_for(tmp_path / "en", bot={"lang": "en"})
    assert log(english, "text jan")[1].zone == "local:USA"  # no country in the language: the default zone
    swedish = coach_for(tmp_path / "se", bot={"lang": "en"}, impact={"local_zone": "swe"})
    assert log(swedish, "text jan")[1].zone == "local:SWE"
    with pytest.raises(ConfigError) as err:
        parse_config({"impact": {"local_zone": "XYZ"}})
    assert err.value.key == "impact.local_zone"


def test_a_companys_own_local_tool_from_the_configuration(tmp_path: Path) -> None:
    coach = coach_for(tmp_path, impact={"local_tools": ["MonLLM"]})
    reply, event = log(coach, "doc monllm Synthétise le rapport annuel")
    assert event.tool == "monllm" and event.zone == "local:FRA"
    assert reply.data["footprint"].energy_wh.central == pytest.approx(F.LOCAL_ENERGY_WH["doc"].central)
    assert coach.impact.is_local("monllm") and coach.impact.is_local("jan") and not coach.impact.is_local("chatgpt")


def test_a_kind_without_a_small_model_factor_keeps_its_own_on_the_local_grid() -> None:
    model = ImpactModel()
    image = model.footprint("image", 1, "local:FRA")
    assert image.energy_wh == model.footprint("image", 1, "FRA").energy_wh
    assert image.co2e_g == model.footprint("image", 1, "FRA").co2e_g
    assert model.footprint("code", 10, local_zone("FRA")).energy_wh.central == pytest.approx(0.2)
    assert model.grid("local:FRA") == model.grid("FRA")
    assert model.footprint("text", 1, "local:") == model.footprint("text", 1, local_zone(model.default_zone))


def test_the_factor_and_its_sources_are_in_the_methodology() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert "## Local tools: a small model on the member's own computer" in doc
    for kind, factor in F.LOCAL_ENERGY_WH.items():
        row = f"| `{kind}` | {factor.low:g} | {factor.central:g} | {factor.high:g} |"
        assert row in doc, row
        for source in factor.sources:
            assert f"| {source} |" in doc
    ids = {s.id for s in ImpactModel().sources_used()}
    assert "alvarez-2025" in ids and F.ARTICLE_SOURCE in ids


def test_the_details_of_a_local_log_name_its_grid(tmp_path: Path) -> None:
    coach = coach_for(tmp_path)
    reply, event = log(coach, "texte lmstudio Rédige un mail")
    details = coach.action("details", event.id, MEMBER)
    assert details.ok and "France" in details.footer and "44" in details.footer
    assert "France" in impact_footer(Renderer(), "fr", ImpactModel(), "local:FRA")


def test_the_method_in_chat_and_the_csr_report_say_how_local_use_is_counted() -> None:
    from bot.impact.view import methodology_lines
    from bot.reports.report import _zones
    from bot.store import Counts

    fr = [l for l in methodology_lines(Renderer(), "fr", ImpactModel()) if l.startswith("Outils locaux")]
    en = [l for l in methodology_lines(Renderer(), "en", ImpactModel()) if l.startswith("Local tools")]
    assert len(fr) == len(en) == 1
    assert "lmstudio" in en[0] and "per generation: short text ≈ 0.1 Wh (0.02 to 0.5), low-confidence estimate" in en[0]
    assert "Alvarez et al. 2025" in en[0] and "Imagisto 2026" in en[0]
    assert "par génération\u00a0: texte court ≈ 0,1\u00a0Wh (0,02 à 0,5)" in fr[0]
    total = Counts(gen={"text|local:FRA": 3, "text|USA": 4}, avoid={"image|USA": 1})
    lines = {z.code: (z.generations, z.avoided) for z in _zones(total, ImpactModel(), "USA")}
    assert lines == {"USA": (4, 1), "FRA": (3, 0)}  # local use on its grid, never an unknown zone "local:FRA"


# ---------------------------------------------------------------------------- the monthly summary's share

def ev(n: int, when: datetime, kind: str, count: int, zone: str) -> Event:
    return Event(f"e{n}", when.timestamp(), "U1", GENERATED, kind, count, zone)


def test_the_monthly_summary_shows_the_share_of_local_use(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        store.add_events("T1", [
            ev(1, datetime(2026, 11, 3, 10, tzinfo=PARIS), "text", 3, "local:FRA"),
            ev(2, datetime(2026, 11, 4, 10, tzinfo=PARIS), "text", 6, "USA"),
            ev(3, datetime(2026, 11, 5, 10, tzinfo=PARIS), "image", 3, "USA"),
            ev(4, datetime(2026, 10, 30, 10, tzinfo=PARIS), "text", 50, "local:FRA"),  # October: not counted
        ])
        model = ImpactModel()
        fig = monthly_figures(store, model, "T1", PARIS, NOVEMBER)
        assert (fig.local, fig.generations) == (3, 12)
        assert fig.used.energy_wh.central == pytest.approx(3 * 0.1 + 6 * 0.3 + 3 * 3.0)  # local priced locally
        assert footprint_of(model, {"text|local:FRA": 3}) == model.footprint("text", 3, "local:FRA")
        r = Renderer()
        fr = "\n".join(monthly_reply(SummaryWords(r, model, "fr"), fig, with_chart=False).text_parts())
        en = "\n".join(monthly_reply(SummaryWords(r, model, "en"), fig, with_chart=False).text_parts())
        assert ("IA de proximité\u00a0: 25\u00a0% des générations du mois (3) ont tourné sur un petit modèle, "
                "sur l’ordinateur d’un membre.") in fr
        assert "Local AI: 25% of the month's generations (3) ran on a small model on a member's own computer." in en
        assert fig.local_members == 1
        store.add_events("T1", [ev(5, datetime(2026, 11, 6, 10, tzinfo=PARIS), "text", 1, "USA")])
        none_local = monthly_figures(store, model, "T2", PARIS, NOVEMBER)  # another workspace: nothing local
        assert none_local.local == 0
        assert "IA de proximité" not in "\n".join(
            monthly_reply(SummaryWords(r, model, "fr"), none_local, with_chart=False).text_parts())
    finally:
        store.close()


# ---------------------------------------------------------------------------- both stores

@pytest.fixture(scope="module")
def pg_server():
    from tests.pg_server import PgServer

    with PgServer() as server:
        yield server


_databases = itertools.count()


@pytest.fixture(params=["tinydb", "postgres"])
def any_store(request, tmp_path: Path):
    if request.param == "postgres":
        from bot.store.postgres_store import PostgresStore

        s = PostgresStore(request.getfixturevalue("pg_server").create_database(f"local_tools_{next(_databases)}"))
    else:
        s = open_store(tmp_path / "data")
    yield s
    s.close()


def test_both_stores_keep_local_use_apart_and_read_a_members_week(any_store) -> None:
    week_start = periods.week_of(date(2026, 11, 25), PARIS).start_ts  # Monday 23 November, 00:00 in Paris
    any_store.add_events("T1", [
        ev(1, datetime(2026, 11, 22, 23, 30, tzinfo=PARIS), "text", 2, "local:FRA"),  # Sunday: the week before
        ev(2, datetime(2026, 11, 23, 0, 30, tzinfo=PARIS), "text", 3, "local:FRA"),  # Sunday 23:30 in UTC
        ev(3, datetime(2026, 11, 25, 10, tzinfo=PARIS), "text", 4, "USA"),
    ])
    week = periods.week_key(date(2026, 11, 25))
    mine = any_store.counts("T1", PARIS, [week])[week]["U1"]
    assert mine.gen == {"text|local:FRA": 3, "text|USA": 4}
    assert [e.id for e in any_store.member_events("T1", "U1", since_ts=week_start)] == ["e2", "e3"]
    assert [e.id for e in any_store.member_events("T1", "U1")] == ["e1", "e2", "e3"]
    assert any_store.member_events("T1", "U2", since_ts=week_start) == []


def test_local_logs_and_the_tips_work_the_same_on_both_stores(any_store, tmp_path: Path) -> None:
    config = parse_config({"store": {"data_dir": str(tmp_path / "cfg")}})
    clock = Clock(WEDNESDAY)
    coach = Coach(config, any_store, clock=clock)

    def say(text: str):
        reply = coach.handle("ia-log", text, MEMBER)
        clock.advance(60)
        assert reply.ok, reply
        return reply

    local = say("texte 3 lmstudio Rédige un mail")
    assert any_store.get_event("T1", local.data["event_id"]).zone == "local:FRA"
    assert local.data["footprint"].energy_wh.central == pytest.approx(0.3)
    say("image 5")
    assert say("image").data["tip"] == "recycle"
    assert [say("texte Écris un mail").data["tip"] for _ in range(2)] == [None, "rct"]  # 3 scored, average 40
    assert any_store.member("T1", "U1")["tips_shown"] == {"recycle": "w:2026-W48", "rct": "w:2026-W48"}
