"""The CSR report: figures for a fixture month worked out by hand, the CSV against the HTML, privacy and escaping.

The fixture month is November 2026 in Paris. Under the `article` preset an
image or a long text is exactly 12 Wh and a short text 2.4 Wh, so every
footprint below can be checked with a pencil; code completions keep their
sourced range (0.005 / 0.05 / 1 Wh). CO2e uses the US grid (384 g/kWh) plus
75 g/kWh for hardware: 0.459 g per Wh.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import struct
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.core import periods
from bot.reports.chart import SIZE_PX
from bot.core.identity import Sender
from bot.impact.model import ImpactModel, Range
from bot.impact.view import footprint_facts, shown
from bot.core.numbers import NBSP, NNBSP, format_number, round_sig
from bot.core.render import Renderer
from bot.core.config import parse_config
from bot.core.settings import resolve
from bot.scheduler import ScheduleSettings
from bot.reports.report import (
    ReportPeriod,
    build_report,
    csv_columns,
    csv_header,
    month_period,
    parse_period,
    previous_period,
    quarter_period,
    report_figures,
    year_period,
)
from bot.store import AVOIDED
from bot.reports.summaries import PeriodError, SummaryWords, monthly_figures, monthly_reply, period_error
from paris_events import PARIS, at, ev

WS = "T1"
ARTICLE = ImpactModel("article")
NOVEMBER = month_period(2026, 11, PARIS)
TODAY = date(2026, 12, 10)
G_PER_WH = (384 + 75) / 1000
TITLE = "Dupont & Fils <i>"
HOSTILE_NAME = "<script>alert('x')</script>"


MEMBERS = [  # user, name, team, on leaderboards
    ("U1", "Camille", "Compta", True),
    ("U2", "Hugo", "Compta", True),
    ("user-ines", "Inès", "Atelier", False),  # the month's top avoider, who asked not to be named
    ("U4", "Léa", None, True),
    ("U5", HOSTILE_NAME, "R&D <b>", True),
]

EVENTS = [
    # October (the previous period): 15 generations in 2 logs, one scored 50
    ev("U1", at(2026, 10, 15), "image", 10),
    ev("U2", at(2026, 10, 20), "text", 5, rct=50),
    # November
    ev("U2", at(2026, 11, 1, 0, 30), "code", 2),  # 31 October in UTC, but Sunday 1 November in Paris: week 44
    ev("U1", at(2026, 11, 2), "image", 3, rct=40),  # week 45
    ev("U1", at(2026, 11, 3), "text", 10, rct=80),
    ev("U2", at(2026, 11, 10), "image", 4, rct=60),  # week 46
    ev("user-ines", at(2026, 11, 11), "image", 5, AVOIDED),
    ev("U1", at(2026, 11, 17), "image", 2, AVOIDED),  # week 47
    ev("U4", at(2026, 11, 24), "doc", 1),  # week 48
    ev("U5", at(2026, 11, 30), "text", 2, AVOIDED),  # Monday 30th, week 49
    # December: outside the report
    ev("U1", at(2026, 12, 1), "image", 7),
]

# November by hand
GENERATIONS, AVOIDED_N, TASKS = 2 + 3 + 10 + 4 + 1, 5 + 2 + 2, 5
USED_WH = Range(7 * 12 + 10 * 2.4 + 12 + 2 * 0.005, 7 * 12 + 10 * 2.4 + 12 + 2 * 0.05, 7 * 12 + 10 * 2.4 + 12 + 2 * 1)
SAVED_WH = 7 * 12 + 2 * 2.4  # 88.8 Wh: the article's factors are single values


def ws_settings(stored: dict | None = None, impact: ImpactModel = ARTICLE):
    """The workspace's effective settings, as the coach and the command line resolve them (Paris time)."""
    return resolve(WS, stored or {}, parse_config({"bot": {"timezone": PARIS.key}}), ScheduleSettings(), impact.default_zone, impact.zones())


@pytest.fixture
def month_store(store):
    store.add_events(WS, EVENTS)
    for user, name, team, board in MEMBERS:
        store.update_member(WS, user, name=name, team=team, leaderboard=board)
    return store


def report(store, fmt: str = "html", period: ReportPeriod = NOVEMBER, lang: str = "fr", impact: ImpactModel = ARTICLE,
           settings: dict | None = None) -> bytes:
    attachment = build_report(store, impact, Renderer(), WS, period, ws_settings(settings, impact), lang=lang, fmt=fmt,
                              title=TITLE, today=TODAY)
    return attachment.content


# The French header, written out: the CSV's column names are in the report's language
FRENCH_HEADER = [
    "période", "mois", "semaine", "premier_jour", "dernier_jour", "jours", "équipe", "zone", "membres_actifs",
    "générations", "générations_texte", "générations_texte_long", "générations_image", "générations_vidéo",
    "générations_audio", "générations_code", "évitées", "évitées_texte", "évitées_texte_long", "évitées_image",
    "évitées_vidéo", "évitées_audio", "évitées_code", "tâches_notées", "générations_par_tâche", "prompts_évalués",
    "score_rct_moyen", "énergie_wh_basse", "énergie_wh_centrale", "énergie_wh_haute", "co2e_g_bas", "co2e_g_central",
    "co2e_g_haut", "eau_ml_basse", "eau_ml_centrale", "eau_ml_haute", "économie_énergie_wh_basse",
    "économie_énergie_wh_centrale", "économie_énergie_wh_haute", "économie_co2e_g_bas", "économie_co2e_g_central",
    "économie_co2e_g_haut", "économie_eau_ml_basse", "économie_eau_ml_centrale", "économie_eau_ml_haute",
]


def csv_of(content: bytes, lang: str = "fr") -> list[dict[str, str]]:
    """The CSV's rows keyed by the documented column names (docs/report.md), after checking its header is in `lang`."""
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert header == (FRENCH_HEADER if lang == "fr" else csv_columns(ARTICLE.kinds))
    return [dict(zip(csv_columns(ARTICLE.kinds), row, strict=True)) for row in rows]


def visible_text(page: str) -> str:
    """The page as a reader sees it: tags and the chart's data URI dropped, entities decoded."""
    page = re.sub(r'src="data:[^"]*"', "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# ---------------------------------------------------------------------------- periods
def test_periods_are_read_as_months_quarters_and_years():
    today = date(2026, 12, 10)
    nov = parse_period("2026-11", PARIS, today)
    assert (nov.key, nov.kind, nov.first_day, nov.last_day, nov.in_progress) == (
        "2026-11", "month", date(2026, 11, 1), date(2026, 11, 30), False)
    q = parse_period(" 2026-q3 ", PARIS, today)
    assert (q.key, q.first_day, q.last_day, len(q.months)) == ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), 3)
    assert parse_period("2026-T3", PARIS, today) == q  # the French "trimestre"
    year = parse_period("2025", PARIS, today)
    assert (year.key, year.first_day, year.last_day, len(year.months)) == ("2025", date(2025, 1, 1), date(2025, 12, 31), 12)
    # nothing typed: the last complete month, as the monthly summary sent today
    assert parse_period("", PARIS, today) == nov
    assert parse_period("", PARIS, date(2027, 1, 1)).key == "2026-12"


def test_a_running_period_is_marked_and_a_future_one_refused():
    assert parse_period("2026-12", PARIS, date(2026, 12, 10)).in_progress
    assert parse_period("2026-Q4", PARIS, date(2026, 12, 31)).in_progress
    assert not parse_period("2026-Q4", PARIS, date(2027, 1, 1)).in_progress
    with pytest.raises(ValueError, match="not started"):
        parse_period("2027-01", PARIS, date(2026, 12, 31))


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "Q4", "novembre", "26-11", "1999", "2026/11"])
def test_a_period_that_cannot_be_read_is_refused_with_the_expected_forms(text):
    with pytest.raises(ValueError) as info:
        parse_period(text, PARIS, date(2026, 12, 10))
    assert str(info.value)  # a short reason the caller can show
    for lang in ("fr", "en"):  # and the same reason in the member's words
        assert period_error(Renderer(), lang, info.value)


def test_a_period_typed_wrong_is_explained_in_the_members_language():
    from bot.reports.summaries import parse_period as summary_period

    cases = [(lambda: parse_period("2027-02", PARIS, date(2026, 12, 10)), "La période 2027-02 n’a pas encore commencé",
              "2027-02 has not started yet"),
             (lambda: parse_period("2026-Q5", PARIS, date(2026, 12, 10)),
              f"«{NNBSP}2026-Q5{NNBSP}» n’est pas une période{NBSP}: indiquez 2026-11 (un mois), 2026-T4 (un trimestre) "
              "ou 2026 (une année)", '"2026-Q5" is not a period: expected 2026-11 (a month)'),
             (lambda: summary_period("weekly", "2026-W60", PARIS),
              f"«{NNBSP}2026-W60{NNBSP}» n’est pas une semaine ISO{NBSP}: indiquez AAAA-Wss, par exemple 2026-W48",
              '"2026-W60" is not an ISO week')]
    for parse, fr, en in cases:
        with pytest.raises(PeriodError) as info:
            parse()
        assert period_error(Renderer(), "fr", info.value) == fr
        assert period_error(Renderer(), "en", info.value).startswith(en)


def test_the_previous_period_has_the_same_length_across_years():
    assert previous_period(month_period(2026, 1, PARIS), PARIS).key == "2025-12"
    assert previous_period(quarter_period(2026, 1, PARIS), PARIS).key == "2025-Q4"
    assert previous_period(quarter_period(2026, 3, PARIS), PARIS).key == "2026-Q2"
    assert previous_period(year_period(2026, PARIS), PARIS).key == "2025"


# ---------------------------------------------------------------------------- the fixture month, by hand
def test_report_figures_match_the_hand_computed_month(month_store):
    fig = report_figures(month_store, ARTICLE, WS, NOVEMBER, ws_settings(impact=ARTICLE))
    assert (fig.generations, fig.avoided, fig.total.gen_logs) == (GENERATIONS, AVOIDED_N, TASKS) == (20, 9, 5)
    assert fig.by_kind(ARTICLE.kinds) == [("text", 10, 2), ("doc", 1, 0), ("image", 7, 7), ("code", 2, 0)]
    assert fig.iteration_rate == pytest.approx(20 / 5)
    assert fig.total.rct_avg == pytest.approx((40 + 80 + 60) / 3)
    assert (fig.previous_total.generations, fig.previous_total.rct_avg) == (15, 50)
    assert fig.change == pytest.approx((20 - 15) / 15)

    assert fig.used.energy_wh.low == pytest.approx(USED_WH.low)  # 120.01 Wh
    assert fig.used.energy_wh.central == pytest.approx(USED_WH.central)  # 120.1 Wh
    assert fig.used.energy_wh.high == pytest.approx(USED_WH.high)  # 122 Wh
    assert fig.used.co2e_g.central == pytest.approx(120.1 * G_PER_WH)  # 55.1 g
    assert fig.saved.energy_wh.central == pytest.approx(88.8)
    assert fig.saved.co2e_g.central == pytest.approx(88.8 * G_PER_WH)
    # water: 1.1 / 4.5 / 9 mL per Wh
    assert (fig.saved.water_ml.low, fig.saved.water_ml.central, fig.saved.water_ml.high) == pytest.approx(
        (88.8 * 1.1, 88.8 * 4.5, 88.8 * 9))

    # the weeks of the month, clipped to it: Sunday 1st and Monday 30th stand alone
    got = [(s.bar.key, s.bar.days, s.total.generations, s.total.avoided) for s in fig.segments]
    assert got == [("w:2026-W44", 1, 2, 0), ("w:2026-W45", 7, 13, 0), ("w:2026-W46", 7, 4, 5),
                   ("w:2026-W47", 7, 0, 2), ("w:2026-W48", 7, 1, 0), ("w:2026-W49", 1, 0, 2)]


def test_teams_are_ranked_per_member_and_the_people_in_no_team_close_the_table(month_store):
    fig = report_figures(month_store, ARTICLE, WS, NOVEMBER, ws_settings(impact=ARTICLE))
    got = [(t.rank, t.team, t.members, t.active, t.total.generations, t.total.avoided) for t in fig.teams]
    assert got == [
        (1, "Atelier", 1, 1, 0, 5),  # 5 avoided by its one member
        (2, "R&D <b>", 1, 1, 0, 2),
        (3, "Compta", 2, 2, 19, 2),  # 1 per member
        (None, None, 1, 1, 1, 0),  # Léa, in no team
    ]
    assert sum(t.total.generations for t in fig.teams) == GENERATIONS
    # the named champions skip the member who opted out, and say how many were left unnamed
    assert [(rank, name, n) for rank, _, name, n in fig.champions] == [(1, HOSTILE_NAME, 2), (1, "Camille", 2)]
    assert fig.unnamed == 1


def test_the_report_has_the_figures_of_the_monthly_summary_and_of_ia_stats(month_store, coach):
    """One computation path: the same month gives the same numbers everywhere."""
    fig = report_figures(month_store, coach.impact, WS, NOVEMBER, ws_settings(impact=coach.impact))
    summary = monthly_figures(month_store, coach.impact, WS, PARIS, NOVEMBER.months[0])
    assert fig.used == summary.used and fig.saved == summary.saved
    assert (fig.generations, fig.avoided, fig.total.rct_avg) == (summary.generations, summary.avoided, summary.rct_avg)
    assert [s.bar for s in fig.segments] == list(summary.weeks)

    stats = coach.handle("ia-stats", "month", Sender(WS, "U1", "Camille", "console"))  # the clock is 25 November
    team = stats.data["team"]
    assert (team.generations, team.avoided, team.rct_avg) == (fig.generations, fig.avoided, fig.total.rct_avg)

    # the HTML words the saving as the summary's victory line does
    words = SummaryWords(Renderer(), coach.impact, "fr")
    reply = monthly_reply(words, summary, with_chart=False)
    saved_head = footprint_facts(words.renderer, "fr", coach.impact, summary.saved)[0]
    assert saved_head.startswith("≈ 1,8 recharge de téléphone")
    assert saved_head in "\n".join(reply.text_parts())
    assert saved_head in visible_text(report(month_store, impact=coach.impact).decode("utf-8"))


# ---------------------------------------------------------------------------- CSV against HTML
def test_the_csv_parses_and_its_rows_add_up_to_the_html_headline(month_store):
    rows = csv_of(report(month_store, "csv"))  # the French header, checked column by column
    assert list(rows[0]) == csv_columns(ARTICLE.kinds)
    assert csv_header(Renderer(), "en", ARTICLE.kinds) == csv_columns(ARTICLE.kinds)  # English: the documented names
    # six weeks × (three teams + the no-team row)
    assert len(rows) == 6 * 4
    assert {r["team"] for r in rows} == {"Atelier", "R&D <b>", "Compta", ""}
    assert {r["week"] for r in rows} == {f"2026-W{w}" for w in range(44, 50)}
    assert all(r["period"] == "2026-11" and r["month"] == "2026-11" for r in rows)

    def total(col: str) -> float:
        return sum(float(r[col]) for r in rows)

    assert total("generations") == GENERATIONS
    assert total("avoided") == AVOIDED_N
    assert total("tasks_logged") == TASKS
    assert total("generations_image") == 7 and total("avoided_image") == 7 and total("generations_code") == 2
    assert total("rct_scored") == 3
    assert total("energy_wh_low") == pytest.approx(USED_WH.low, abs=1e-5)
    assert total("energy_wh_central") == pytest.approx(USED_WH.central, abs=1e-5)
    assert total("energy_wh_high") == pytest.approx(USED_WH.high, abs=1e-5)
    assert total("co2e_g_central") == pytest.approx(120.1 * G_PER_WH, abs=1e-5)
    assert total("saved_energy_wh_central") == pytest.approx(SAVED_WH, abs=1e-5)
    assert total("saved_water_ml_high") == pytest.approx(SAVED_WH * 9, abs=1e-5)

    # one week, one team, by hand: week 45 of Compta is Camille's 3 images and 10 texts, two scored prompts
    w45 = next(r for r in rows if r["week"] == "2026-W45" and r["team"] == "Compta")
    assert (w45["generations"], w45["tasks_logged"], w45["iteration_rate"], w45["rct_average"]) == ("13", "2", "6.5", "60")
    assert (w45["first_day"], w45["last_day"], w45["days"], w45["active_members"]) == ("2026-11-02", "2026-11-08", "7", "1")

    # the HTML headline shows the same sums, rounded to two significant figures
    page = visible_text(report(month_store).decode("utf-8"))
    co2e = shown(Range(total("co2e_g_low"), total("co2e_g_central"), total("co2e_g_high")), "co2e")
    assert (co2e.central, co2e.unit) == (55, "g")
    assert f"{format_number(co2e.central, 'fr', sig=2)}{NBSP}g CO2e" in page
    saved = round_sig(total("saved_co2e_g_central"), 2)
    assert f"{format_number(saved, 'fr', sig=2)}{NBSP}g CO2e" in page  # 41 g
    cards = re.findall(r'<div class="v">([^<]*)</div>', report(month_store).decode("utf-8"))
    assert cards[:2] == [str(int(total("generations"))), str(int(total("avoided")))]


def test_without_teams_the_csv_has_one_row_per_week(store):
    store.add_events(WS, EVENTS)
    rows = csv_of(report(store, "csv"))
    assert [r["week"] for r in rows] == [f"2026-W{w}" for w in range(44, 50)]
    assert all(r["team"] == "" for r in rows)
    assert sum(int(r["generations"]) for r in rows) == GENERATIONS


def test_the_zone_column_follows_the_workspace_thresholds(month_store):
    default = [r["zone"] for r in csv_of(report(month_store, "csv")) if r["team"] == "Compta"]
    strict = [r["zone"] for r in csv_of(report(month_store, "csv", settings={"green_max": 10, "orange_max": 12}))
              if r["team"] == "Compta"]
    assert default == ["green"] * 6
    # the article's count: at most 4 images a week, green even under strict lines
    assert strict == ["green"] * 6
    every = [r["zone"] for r in csv_of(report(month_store, "csv", settings={
        "green_max": 10, "orange_max": 12, "counted_kinds": ["text", "doc", "image", "video", "audio", "code"]}))
        if r["team"] == "Compta"]
    # counting every kind: week 44's 2 code completions in 1 day are a pace of 14 a week, red above 12;
    # week 45's 3 images and 10 texts, 13, red
    assert every == ["red", "red", "green", "green", "green", "green"]


def test_a_spreadsheet_formula_in_a_team_name_stays_text(store):
    store.add_events(WS, EVENTS)
    store.update_member(WS, "U1", name="Camille", team="=HYPERLINK(\"http://x\")")
    rows = csv_of(report(store, "csv"))
    assert "'=HYPERLINK(\"http://x\")" in {r["team"] for r in rows}


def test_a_month_kept_only_as_totals_after_retention_is_one_row_that_still_adds_up(month_store):
    month_store.apply_retention(WS, PARIS, 1, at(2027, 1, 5))  # November's raw events go, its totals stay
    rows = csv_of(report(month_store, "csv"))
    assert [(r["week"], r["first_day"], r["last_day"], r["days"]) for r in rows if r["team"] == "Compta"] == [
        ("", "2026-11-01", "2026-11-30", "30")]
    assert sum(int(r["generations"]) for r in rows) == GENERATIONS
    assert sum(int(r["avoided"]) for r in rows) == AVOIDED_N


def test_quarter_and_year_add_up_their_months(month_store):
    q4 = report_figures(month_store, ARTICLE, WS, quarter_period(2026, 4, PARIS), ws_settings(impact=ARTICLE))
    assert q4.generations == 15 + 20 + 7
    assert sum(b.generations for b in q4.bars) == q4.generations  # weekly bars across the quarter
    assert [b.key for b in q4.bars][:2] == ["w:2026-W40", "w:2026-W41"]
    assert q4.previous.key == "2026-Q3" and q4.previous_total.generations == 0
    months = [monthly_figures(month_store, ARTICLE, WS, PARIS, m) for m in q4.period.months]
    assert q4.used.co2e_g.central == pytest.approx(sum(m.used.co2e_g.central for m in months))

    year = report_figures(month_store, ARTICLE, WS, year_period(2026, PARIS), ws_settings(impact=ARTICLE))
    assert [b.key for b in year.bars] == [f"m:2026-{m:02d}" for m in range(1, 13)]
    assert [b.generations for b in year.bars][9:] == [15, 20, 7]
    rows = csv_of(report(month_store, "csv", period=year_period(2026, PARIS)))
    assert sum(int(r["generations"]) for r in rows) == year.generations == 42


# ---------------------------------------------------------------------------- privacy and escaping
def test_members_who_opted_out_are_named_nowhere(month_store):
    for lang in ("fr", "en"):
        page = report(month_store, lang=lang).decode("utf-8")
        assert "Inès" not in visible_text(page) and "user-ines" not in page
        assert "Camille" in visible_text(page)  # opted-in members are named: the check above is not vacuous
    table = report(month_store, "csv").decode("utf-8")
    assert "Inès" not in table and "user-ines" not in table and "Camille" not in table  # the CSV names teams only
    assert "Parmi les membres ayant évité des générations, 1 a choisi de ne pas être nommé" in visible_text(
        report(month_store).decode("utf-8"))


def test_user_text_never_becomes_markup(month_store):
    page = report(month_store).decode("utf-8")
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "R&amp;D &lt;b&gt;" in page
    assert "Dupont &amp; Fils &lt;i&gt;" in page
    assert HOSTILE_NAME in visible_text(page) and "R&D <b>" in visible_text(page)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [(tag, v or "") for k, v in attrs if k in ("src", "href", "srcset", "data")]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", png[16:24])


def test_the_html_is_one_self_contained_file(month_store):
    page = report(month_store).decode("utf-8")
    parser = _Links()
    parser.feed(page)
    assert not {"script", "link", "iframe", "object", "embed"} & set(parser.tags)
    assert "@import" not in page and "url(" not in page
    assert [tag for tag, _ in parser.urls] == ["img"]  # the chart, and nothing to fetch
    src = parser.urls[0][1]
    assert src.startswith("data:image/png;base64,")
    assert png_size(base64.b64decode(src.partition(",")[2])) == SIZE_PX
    assert '<html lang="fr">' in page and "@page { size: A4" in page


def test_the_methodology_lists_every_factor_with_its_range_and_sources(month_store):
    model = ImpactModel()  # the sourced preset: every energy factor is a range
    text = visible_text(report(month_store, impact=model).decode("utf-8"))
    for f in model.energy.values():
        row = " ".join(format_number(v, "fr", sig=3) for v in (f.low, f.central, f.high))
        assert re.sub(r"\s+", " ", row) in re.sub(r"\s+", " ", text)  # French thousands are narrow no-break spaces
    for src in model.sources_used():
        assert src.short in text and src.title in text
    assert "États-Unis (zone de l’espace de travail)" in text
    assert "Limites" in text and "Données déclarées" in text and "Inférence seulement" in text
    assert "Zone retenue et pourquoi" in text


def test_an_admin_chosen_zone_is_the_one_the_report_explains(month_store):
    text = visible_text(report(month_store, settings={"zone": "FRA"}).decode("utf-8"))
    assert f"Zone de l’espace de travail{NBSP}: France, choisie par un administrateur" in text
    # the logs keep the zone they were made in: the table shows both
    assert "France (zone de l’espace de travail)" in text and "États-Unis" in text


def test_the_english_report_speaks_english(month_store):
    page = report(month_store, lang="en", period=quarter_period(2026, 4, PARIS)).decode("utf-8")
    text = visible_text(page)
    assert '<html lang="en">' in page
    assert "Q4 2026" in text and "At a glance" in text and "Method: how these figures are obtained" in text
    assert "Générations" not in text
    attachment = build_report(month_store, ARTICLE, Renderer(), WS, NOVEMBER, ws_settings(), lang="en", fmt="csv")
    assert (attachment.filename, attachment.mime) == ("sobria-csr-report-2026-11.csv", "text/csv")
    assert sum(int(r["generations"]) for r in csv_of(attachment.content, "en")) == GENERATIONS


def test_a_running_period_says_so(month_store):
    period = parse_period("2026-12", PARIS, date(2026, 12, 10))
    text = visible_text(report(month_store, period=period).decode("utf-8"))
    assert "Période en cours" in text


def test_a_quiet_month_still_makes_a_report(store):
    store.update_member(WS, "U1", name="Camille")
    page = report(store).decode("utf-8")
    assert "Aucune génération n’a été notée sur cette période" in visible_text(page)
    rows = csv_of(report(store, "csv"))
    assert len(rows) == 6 and {r["generations"] for r in rows} == {"0"}


def test_build_report_names_its_file_and_refuses_an_unknown_format(month_store):
    attachment = build_report(month_store, ARTICLE, Renderer(), WS, NOVEMBER, ws_settings(), lang="fr", fmt="html")
    assert (attachment.filename, attachment.mime) == ("sobria-rapport-rse-2026-11.html", "text/html")
    assert f"<h1>{WS}</h1>" in attachment.content.decode("utf-8")  # no title: the workspace id
    with pytest.raises(ValueError, match="format"):
        build_report(month_store, ARTICLE, Renderer(), WS, NOVEMBER, ws_settings(), lang="fr", fmt="pdf")


def test_stray_settings_fall_back_to_the_defaults():
    rs = ws_settings({"green_max": "many", "orange_max": 5, "team_groups": "x", "zone": "MARS"})
    assert (rs.thresholds.green_max, rs.thresholds.orange_max) == (20, 20)
    assert rs.team_groups == {} and rs.zone == "USA"


# ---------------------------------------------------------------------------- the command line
def test_sobria_report_writes_the_html_and_the_csv(tmp_path: Path, capsys):
    import time_machine

    from bot.cli import main
    from bot.store import open_store

    data = tmp_path / "data"
    s = open_store(data)
    s.add_events(WS, EVENTS)
    for user, name, team, board in MEMBERS:
        s.update_member(WS, user, name=name, team=team, leaderboard=board)
    s.close()
    out_html, out_csv = tmp_path / "r.html", tmp_path / "r.csv"
    with time_machine.travel(datetime(2026, 12, 5, 12, tzinfo=PARIS), tick=False):
        assert main(["report", "--data-dir", str(data), "--out", str(out_html), "--title", "Boulangerie"]) == 0
        assert main(["report", "--data-dir", str(data), "--period", "2026-11", "--format", "csv",
                     "--out", str(out_csv)]) == 0
        assert main(["report", "--data-dir", str(data), "--period", "2027-02"]) == 2
    page = out_html.read_text("utf-8")
    assert "<h1>Boulangerie</h1>" in page and "Novembre 2026" in visible_text(page)  # the last complete month
    assert sum(int(r["generations"]) for r in csv_of(out_csv.read_bytes())) == GENERATIONS
    err = capsys.readouterr().err
    assert "--period\u00a0: 2027-02 has not started yet" in err  # the command line speaks [bot] lang (French)


def test_sobria_report_asks_for_a_workspace_when_there_are_several(tmp_path: Path, capsys):
    from bot.cli import main
    from bot.store import open_store

    s = open_store(tmp_path)
    s.add_events("A", [ev("U1", at(2026, 11, 2), "text", 1)])
    s.add_events("B", [ev("U1", at(2026, 11, 2), "text", 1)])
    s.close()
    assert main(["report", "--data-dir", str(tmp_path), "--period", "2026-11"]) == 2
    assert "--workspace" in capsys.readouterr().err


def test_report_periods_follow_the_workspace_calendar():
    """A report month starts at local midnight: the same instants as the summaries' month."""
    assert NOVEMBER.months[0] == periods.month_of(date(2026, 11, 1), PARIS)
    assert NOVEMBER.span.start == NOVEMBER.months[0].start and NOVEMBER.span.end == NOVEMBER.months[0].end
