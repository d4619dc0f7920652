"""Weekly and monthly figures against a month computed by hand, their wording, and the chart.

The fixture month is November 2026 in Paris, for a five-person workspace
(Inès opted out of leaderboards). Every expected number below is worked out
from the event list by hand, not by calling the code under test.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pytest

from bot.core import periods
from bot.reports.chart import SIZE_PX, monthly_chart
from bot.impact.model import ImpactModel
from bot.core.render import Renderer
from bot.store import AVOIDED, Counts
from bot.reports.summaries import (
    SummaryWords,
    WeekBar,
    best_rct_progress,
    iteration_rate,
    last_complete,
    month_outcome,
    monthly_figures,
    monthly_reply,
    parse_period,
    pct_change,
    personal_reply,
    personal_week,
    tip_index,
    weekly_figures,
    weekly_reply,
)
from bot.core.numbers import NBSP, NNBSP
from bot.core.zones import Thresholds
from paris_events import PARIS, at, ev

WS = "T1"
NOVEMBER = periods.month_of(date(2026, 11, 1), PARIS)
WEEK_46 = periods.week_of(date(2026, 11, 9), PARIS)  # 9 to 15 November
ARTICLE = ImpactModel("article")  # 1 image = 1 phone charge of 12 Wh, exactly: savings are easy to work out by hand


MEMBERS = [  # user, name, team, on leaderboards
    ("U1", "Camille", "Compta", True),
    ("U2", "Hugo", "Compta", True),
    ("U3", "Inès", "Atelier", False),
    ("U4", "Léa", "Atelier", True),
    ("U5", "Zoé", "Atelier", True),
]

EVENTS = [
    # October: 60 generations in 2 logs (one scored 30), 2 avoided
    ev("U1", at(2026, 10, 15), "image", 30, rct=30),
    ev("U2", at(2026, 10, 16), "text", 30),
    ev("U3", at(2026, 10, 20), "image", 2, AVOIDED),
    ev("U1", at(2026, 10, 31, 23, 30), "text", 7),  # 22:30 UTC on the 31st: October
    # November
    ev("U2", at(2026, 11, 1, 0, 30), "code", 2),  # still 31 October in UTC, but November in Paris
    ev("U1", at(2026, 11, 1), "image", 3, rct=40),
    ev("U1", at(2026, 11, 3), "text", 2, rct=50),
    ev("U2", at(2026, 11, 3, 11), "image", 4, rct=70),
    ev("U3", at(2026, 11, 3, 12), "image", 5, AVOIDED),
    ev("U2", at(2026, 11, 10), "text", 10, rct=80),
    ev("U1", at(2026, 11, 10, 11), "image", 4, AVOIDED),
    ev("U4", at(2026, 11, 10, 12), "image", 2, AVOIDED),
    ev("U4", at(2026, 11, 17), "image", 25),
    ev("U3", at(2026, 11, 24), "text", 1),
    ev("U2", at(2026, 11, 24, 11), "image", 3, AVOIDED),
    ev("U1", at(2026, 11, 30, 23, 30), "text", 6),  # last evening of November in Paris
    ev("U1", at(2026, 12, 1, 0, 30), "text", 100),  # December in Paris (30 November in UTC): not counted
]


@pytest.fixture
def month_store(store):
    store.add_events(WS, EVENTS)
    for user, name, team, board in MEMBERS:
        store.update_member(WS, user, name=name, team=team, leaderboard=board)
    return store


@pytest.fixture
def words():
    r = Renderer()
    return {lang: SummaryWords(r, ARTICLE, lang) for lang in ("fr", "en")}


def texts(reply) -> str:
    return "\n".join(reply.text_parts())


# ---------------------------------------------------------------------------- the fixture month, by hand
def test_monthly_figures_match_the_hand_computed_month(month_store):
    fig = monthly_figures(month_store, ARTICLE, WS, PARIS, NOVEMBER)

    # generations: Camille 3+2+6, Hugo 2+4+10, Inès 1, Léa 25 = 53 in 8 logs; October 30+30+7 = 67 in 3 logs
    assert (fig.generations, fig.total.gen_logs) == (53, 8)
    assert (fig.previous_generations, fig.previous_total.gen_logs) == (67, 3)
    assert fig.change == pytest.approx((53 - 67) / 67)
    # avoided: 5 + 4 + 2 + 3 images = 14; October 2
    assert (fig.avoided, fig.previous_avoided) == (14, 2)
    assert fig.iteration_rate == pytest.approx(53 / 8)
    assert fig.previous_iteration_rate == pytest.approx(67 / 3)
    assert fig.rct_avg == pytest.approx((40 + 50 + 70 + 80) / 4)
    assert fig.previous_rct_avg == pytest.approx(30)
    assert (fig.active_members, fig.previous_active_members) == (4, 3)

    # 14 avoided images under the article preset: 14 × 12 Wh = 168 Wh = 14 phone charges = 16.8 h of a 10 W bulb
    assert fig.saved.energy_wh.central == pytest.approx(168)
    assert fig.saved_equivalents.phone_charges.central == pytest.approx(14)
    assert fig.saved_equivalents.led_hours.central == pytest.approx(16.8)
    assert fig.outcome == "better"  # 53 against 67: −21 %


def test_the_month_is_cut_into_its_weeks_and_the_bars_add_up(month_store):
    fig = monthly_figures(month_store, ARTICLE, WS, PARIS, NOVEMBER)
    # the zone counts images (and videos, audio, long texts), not the texts and code also logged
    got = [(b.first_day.day, b.last_day.day, b.days, b.generations, b.counted, b.avoided, b.zone) for b in fig.weeks]
    assert got == [
        (1, 1, 1, 5, 3, 0, "orange"),  # Sunday 1st alone: 3 images in one day is a pace of 21 a week
        (2, 8, 7, 6, 4, 5, "green"),
        (9, 15, 7, 10, 0, 6, "green"),
        (16, 22, 7, 25, 25, 0, "orange"),
        (23, 29, 7, 1, 0, 3, "green"),
        (30, 30, 1, 6, 0, 0, "green"),  # Monday 30th alone: 6 texts, nothing the zone counts
    ]
    assert sum(b.generations for b in fig.weeks) == fig.generations
    assert sum(b.counted for b in fig.weeks) == fig.counted == 32
    assert sum(b.avoided for b in fig.weeks) == fig.avoided
    assert [b.partial for b in fig.weeks] == [True, False, False, False, False, True]


def test_opted_out_member_is_absent_from_leaderboards_but_counted_in_totals(month_store, words):
    fig = monthly_figures(month_store, ARTICLE, WS, PARIS, NOVEMBER)
    # Inès avoided the most (5) but opted out: never named, never ranked
    assert [(rank, name, n) for rank, _, name, n in fig.top_avoiders] == [(1, "Camille", 4), (2, "Hugo", 3), (3, "Léa", 2)]
    assert all(user != "U3" for _, user, _, _ in fig.top_avoiders)
    # teams per member: Compta 7 / 2 = 3.5 beats Atelier 7 / 3 (her avoided still count for her team, unnamed)
    assert [(t.rank, t.team, t.avoided, t.members) for t in fig.top_teams] == [(1, "Compta", 7, 2), (2, "Atelier", 7, 3)]
    for lang in ("fr", "en"):
        text = texts(monthly_reply(words[lang], fig, with_chart=False))
        assert "Inès" not in text
        assert "Camille" in text and "Compta" in text


def test_monthly_reply_says_the_numbers_in_both_languages(month_store, words):
    fig = monthly_figures(month_store, ARTICLE, WS, PARIS, NOVEMBER)
    fr = monthly_reply(words["fr"], fig, with_chart=False)
    assert fr.kind == "monthly_summary" and fr.public and fr.lang == "fr"
    assert fr.title == f"Novembre 2026{NBSP}: le bilan de sobriété IA de l’équipe"
    assert fr.lines[0] == ("En remplaçant 14 générations par de la réflexion humaine, vous avez économisé "
                           "l’équivalent de ≈ 14 recharges de téléphone.")
    assert f"53 générations ce mois-ci (contre 67 le mois précédent, −21{NBSP}%), par 4 membres actifs." in fr.lines
    assert f"🟠 1er nov.{NBSP}: 3 en 1 jour, 0 évitée" in texts(fr)
    assert (f"Générations comptées par semaine (images, vidéos, audio, textes longs{NNBSP}; zone verte sous 20, "
            f"rouge au-delà de 100){NBSP}:") in texts(fr)
    assert f"Essais{NBSP}: 6,6 générations par tâche notée (contre 22,3)." in texts(fr)
    assert f"Score RCT moyen{NBSP}: 60/100 (contre 30 le mois précédent)." in texts(fr)
    assert any(line.startswith(f"Bravo{NBSP}: −21{NBSP}%") for line in fr.lines)
    assert fr.facts and any(f.value == f"≈ 17{NBSP}h" for f in fr.facts)  # 16.8 LED-hours, 2 significant figures

    en = monthly_reply(words["en"], fig, with_chart=False)
    assert en.title == "November 2026 summary: the team's AI sobriety"
    assert en.lines[0] == ("By replacing 14 generations with human thinking, you saved the equivalent of "
                           "≈ 14 smartphone charges.")
    assert "Iterations: 6.6 generations per logged task (against 22.3)." in texts(en)
    assert en.attachments == ()


def test_monthly_reply_carries_the_chart(month_store, words):
    fig = monthly_figures(month_store, ARTICLE, WS, PARIS, NOVEMBER)
    reply = monthly_reply(words["fr"], fig)
    (chart,) = reply.attachments
    assert (chart.filename, chart.mime) == ("sobria-bilan-2026-11.png", "image/png")
    assert png_size(chart.content) == SIZE_PX == (900, 600)


def test_an_empty_month_is_quiet_and_claims_no_victory(store, words):
    fig = monthly_figures(store, ARTICLE, "T-empty", PARIS, NOVEMBER)
    assert (fig.generations, fig.avoided, fig.outcome) == (0, 0, "quiet")
    assert [b.generations for b in fig.weeks] == [0] * 6
    reply = monthly_reply(words["fr"], fig)
    assert "Bravo" not in texts(reply) and "économisé" not in texts(reply)
    assert png_size(reply.attachments[0].content) == (900, 600)


# ---------------------------------------------------------------------------- the encouraging line
@pytest.mark.parametrize(("now", "before", "avoided", "before_avoided", "outcome"), [
    (0, 0, 0, 0, "quiet"),
    (10, 0, 0, 0, "first"),
    (0, 0, 3, 0, "first"),
    (80, 100, 0, 5, "better"),  # −20 %: fewer generations is the goal, even with fewer logged avoided
    (100, 100, 6, 5, "better"),  # as many, more avoided
    (103, 100, 5, 5, "steady"),  # +3 % is within the steady band
    (97, 100, 2, 5, "steady"),
    (120, 100, 9, 5, "mixed"),
    (120, 100, 5, 5, "worse"),
    (120, 100, 1, 5, "worse"),
    (10, 0, 0, 4, "worse"),  # generations from none, nothing avoided
])
def test_month_outcome(now, before, avoided, before_avoided, outcome):
    assert month_outcome(now, before, avoided, before_avoided) == outcome


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_worse_month_gets_an_honest_kind_message_and_no_victory(lang, words):
    m = words[lang].m("encouragement")
    worse = m("worse", 0.2, 1, 5)
    assert "+20" in worse
    assert not any(w in worse for w in ("Bravo", "Well done", "victoire !", "victory!"))
    assert ("pas une victoire" in worse) if lang == "fr" else ("Not a victory" in worse)
    for outcome in ("better", "steady", "mixed", "first", "quiet"):
        assert m(outcome, -0.1, 5, 1)  # every outcome has words


# ---------------------------------------------------------------------------- weekly
def test_weekly_figures_and_reply(month_store, words):
    fig = weekly_figures(month_store, ARTICLE, WS, PARIS, WEEK_46)
    # week of 9 November: Hugo's 10 texts; the week before (2-8): 2 + 4 = 6
    assert (fig.generations, fig.previous_generations, fig.avoided, fig.previous_avoided) == (10, 6, 6, 5)
    assert (fig.zone, fig.previous_zone) == ("green", "green")
    assert fig.change == pytest.approx(4 / 6)
    assert fig.best_rct is None  # nobody has two scored prompts in both weeks

    reply = weekly_reply(words["fr"], fig)
    assert reply.kind == "weekly_summary" and reply.public and reply.zone == "green"
    assert reply.title == "Votre semaine IA, du 9 au 15 novembre 2026"
    assert f"10 générations la semaine dernière (contre 6 la semaine précédente, +67{NBSP}%), par 3 membres actifs." in reply.lines
    # Hugo's 10 short texts are in the volume, not in the zone's count
    assert reply.zone_text.startswith(f"Zone verte la semaine dernière{NBSP}: 0 génération comptée "
                                      "(images, vidéos, audio, textes longs), moins de 20.")
    assert any(line.startswith(f"Conseil de la semaine{NBSP}: ") for line in reply.lines)
    assert "6 générations évitées (contre 5 la semaine précédente), soit une économie de ≈ 6 recharges" in texts(reply)
    en = weekly_reply(words["en"], fig)
    assert any(line.startswith("Tip of the week: ") for line in en.lines)


def test_a_red_week_says_so(store, words):
    store.add_events("T2", [ev("U1", at(2026, 11, 10), "image", 50), ev("U2", at(2026, 11, 11), "video", 30),
                            ev("U2", at(2026, 11, 12), "audio", 10), ev("U3", at(2026, 11, 12), "doc", 11),
                            ev("U3", at(2026, 11, 13), "text", 50), ev("U3", at(2026, 11, 13), "code", 50)])
    fig = weekly_figures(store, ARTICLE, "T2", PARIS, WEEK_46, Thresholds(20, 100))
    assert (fig.generations, fig.counted, fig.zone) == (201, 101, "red")
    assert weekly_reply(words["en"], fig).zone_text.startswith(
        "Red zone last week: 101 generations counted (images, videos, audio, long texts), over 100.")


def test_best_rct_progress_skips_opted_out_members_and_thin_evidence():
    def scored(*scores: int) -> Counts:
        c = Counts()
        for s in scores:
            c.add_event(ev("x", 0, "text", 1, rct=s))
        return c

    before = {"U1": scored(40, 50), "U2": scored(20, 20), "U3": scored(50, 50), "U4": scored(10)}
    now = {"U1": scored(70, 80), "U2": scored(90, 90), "U3": scored(40, 40), "U4": scored(95, 95)}
    members = {"U1": {"name": "Camille"}, "U2": {"name": "Inès", "leaderboard": False}, "U3": {"name": "Hugo"},
               "U4": {"name": "Léa"}}
    best = best_rct_progress(now, before, members)
    # Inès gained most (+70) but opted out; Léa had a single scored prompt the week before; Hugo went down
    assert best is not None and (best.name, best.before, best.after) == ("Camille", 45, 75)
    assert best_rct_progress({"U3": now["U3"]}, before, members) is None


def test_tips_rotate_weekly_and_both_languages_have_the_same_list(words):
    n = int(words["fr"].m("tip_count")())
    assert n == int(words["en"].m("tip_count")()) >= 3
    weeks = [periods.week_of(date(2026, 1, 5) + (date(2026, 1, 12) - date(2026, 1, 5)) * i, PARIS) for i in range(n)]
    indexes = [tip_index(w, n) for w in weeks]
    assert sorted(indexes) == list(range(n))  # n consecutive weeks: every tip once
    assert [(indexes[i] + 1) % n for i in range(n - 1)] == indexes[1:]
    for lang in ("fr", "en"):
        assert len({words[lang].m("tip")(i) for i in range(n)}) == n


def test_personal_nudge_is_about_the_member_only(month_store, words):
    week = personal_week(month_store, ARTICLE, WS, PARIS, WEEK_46, "U1")
    # Camille: no generation in week 46 (4 avoided images); 2 texts the week before
    assert (week.mine.generations, week.mine.avoided, week.before.generations) == (0, 4, 2)
    reply = personal_reply(words["fr"], week)
    assert reply.kind == "personal_nudge" and not reply.public
    text = texts(reply)
    for other in ("Hugo", "Inès", "Léa", "Zoé", "équipe"):
        assert other not in text
    assert "Vous n’avez noté aucune génération la semaine dernière (contre 2 la semaine précédente)." in reply.lines
    assert f"Vous en avez évité 4, soit une économie de ≈ 4 recharges de téléphone. Merci{NNBSP}!" in reply.lines
    assert [(b.action, b.value) for b in reply.buttons] == [("quick", "image"), ("quick", "doc"), ("quick", "avoid"),
                                                            ("pref", "nudges off")]  # one-click logging, then stop
    assert not personal_week(month_store, ARTICLE, WS, PARIS, WEEK_46, "U5").active  # Zoé: nothing to say


# ---------------------------------------------------------------------------- small helpers
def test_periods_are_parsed_and_the_default_is_the_last_complete_one():
    assert parse_period("monthly", "2026-11", PARIS) == NOVEMBER
    assert parse_period("monthly", "m:2026-11", PARIS) == NOVEMBER
    assert parse_period("weekly", "2026-W46", PARIS) == WEEK_46
    assert parse_period("weekly", "w:2026-w46", PARIS) == WEEK_46
    for kind, bad in (("monthly", "2026-13"), ("monthly", "november"), ("weekly", "2026-W54"), ("weekly", "2026-11")):
        with pytest.raises(ValueError):
            parse_period(kind, bad, PARIS)
    assert last_complete("monthly", date(2026, 12, 1), PARIS) == NOVEMBER
    assert last_complete("weekly", date(2026, 11, 16), PARIS) == WEEK_46
    assert last_complete("weekly", date(2026, 11, 22), PARIS) == WEEK_46  # Sunday: the current week is not over


def test_changes_and_rates_without_a_base_are_none():
    assert pct_change(0, 5) is None and pct_change(None, 5) is None
    assert pct_change(4, 5) == pytest.approx(0.25)
    assert iteration_rate(Counts()) is None


# ---------------------------------------------------------------------------- the chart
def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, after checking the signature and the header's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:16 + length]
    (crc,) = struct.unpack(">I", data[16 + length:20 + length])
    assert zlib.crc32(kind + body) == crc, "corrupt PNG header"
    assert data.endswith(b"IEND\xaeB`\x82"), "truncated PNG"
    width, height = struct.unpack(">II", body[:8])
    return width, height


def test_the_chart_is_a_valid_png_of_the_expected_size_and_depends_on_the_data():
    words = {"title": "t", "ylabel": "y", "weeks": ["a", "b"], "lang": "fr", "green": "g", "orange": "o", "red": "r",
             "avoided": "a", "green_max": "gm", "orange_max": "om"}
    bars = [WeekBar("w:2026-W45", date(2026, 11, 2), date(2026, 11, 8), 7, 12, 3, "green", 12),
            WeekBar("w:2026-W46", date(2026, 11, 9), date(2026, 11, 15), 7, 130, 0, "red", 130)]
    one = monthly_chart(bars, Thresholds(20, 100), words)
    assert png_size(one) == (900, 600)
    other = monthly_chart(bars[:1], Thresholds(20, 100), {**words, "weeks": ["a"]})
    assert png_size(other) == (900, 600) and other != one
    assert monthly_chart(bars, Thresholds(20, 100), words) == one  # nothing of one chart stays for the next


def test_the_chart_decodes_and_shows_the_zones_it_has_and_no_other():
    """Decoded by Pillow (the PNG is written by hand), its colours are those of the data: a green and a red week."""
    from PIL import Image

    from bot.reports.chart import AVOIDED_COLOUR, ZONE_COLOURS

    words = {"title": "Generations per week", "ylabel": "generations", "weeks": ["Nov 2–8", "Nov 9–15 (7 d)"],
             "lang": "en", "green": "green week", "orange": "orange week", "red": "red week",
             "avoided": "avoided", "green_max": "green line", "orange_max": "red line"}
    bars = [WeekBar("w:2026-W45", date(2026, 11, 2), date(2026, 11, 8), 7, 12, 3, "green", 12),
            WeekBar("w:2026-W46", date(2026, 11, 9), date(2026, 11, 15), 7, 130, 40, "red", 130)]
    image = Image.open(io.BytesIO(monthly_chart(bars, Thresholds(20, 100), words)))
    image.load()
    assert (image.size, image.mode) == ((900, 600), "RGB")
    colours = {"#%02x%02x%02x" % rgb for _, rgb in image.getcolors(maxcolors=900 * 600)}
    assert {ZONE_COLOURS["green"], ZONE_COLOURS["red"], AVOIDED_COLOUR, "#ffffff", "#000000"} <= colours
    assert ZONE_COLOURS["orange"] not in colours


# ---------------------------------------------------------------------------- sobria summary
@pytest.fixture
def cli_data(tmp_path, monkeypatch):
    """A data directory holding the fixture month, and no chat token in the environment."""
    from bot.store import open_store

    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    store = open_store(data)
    store.add_events("T0001", EVENTS)
    for user, name, team, board in MEMBERS:
        store.update_member("T0001", user, name=name, team=team, leaderboard=board)
    store.set_setting("T0001", "summary_channel", "C0042")
    store.close()
    return data


def test_cli_previews_the_monthly_summary_and_writes_the_chart(cli_data, tmp_path, capsys):
    from bot.cli import main
    from bot.store import open_store

    chart = tmp_path / "novembre.png"
    assert main(["summary", "monthly", "--data-dir", str(cli_data), "--period", "2026-11", "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Novembre 2026{NBSP}: le bilan de sobriété IA de l’équipe")
    assert f"53 générations ce mois-ci (contre 67 le mois précédent, −21{NBSP}%)" in out  # the same figures as above
    assert "Inès" not in out
    assert f"Graphique enregistré dans {chart}" in out  # the command line speaks [bot] lang (French)
    assert png_size(chart.read_bytes()) == (900, 600)
    # a preview posts nothing and claims nothing
    assert open_store(cli_data).claim_summary("T0001", "monthly", "m:2026-11") is True


def test_cli_default_chart_name_weekly_preview_and_errors(cli_data, tmp_path, capsys):
    from bot.cli import main
    from bot.store import open_store

    assert main(["summary", "monthly", "--data-dir", str(cli_data), "--period", "2026-11"]) == 0
    assert png_size((tmp_path / "sobria-bilan-2026-11.png").read_bytes()) == (900, 600)
    assert main(["summary", "weekly", "--data-dir", str(cli_data), "--period", "2026-W46"]) == 0
    assert "Votre semaine IA, du 9 au 15 novembre 2026" in capsys.readouterr().out

    assert main(["summary", "monthly", "--data-dir", str(cli_data), "--period", "2026-13"]) == 2
    assert "--period" in capsys.readouterr().err
    open_store(cli_data).set_setting("T0002", "lang", "en")
    assert main(["summary", "monthly", "--data-dir", str(cli_data)]) == 2  # two workspaces: which one?
    assert "T0001, T0002" in capsys.readouterr().err
    assert main(["summary", "monthly", "--data-dir", str(cli_data), "--workspace", "T0002", "--period", "2026-11"]) == 0
    assert capsys.readouterr().out.startswith("November 2026 summary")


def test_cli_posts_once_through_slack_and_reposts_only_on_request(cli_data, tmp_path, capsys):
    fake_slack = pytest.importorskip("fake_slack", reason="the fake Slack server is not in the tree")
    from bot.cli import main

    with fake_slack.FakeSlack(team_id="T0001") as fake:
        config = tmp_path / "sobria.toml"
        config.write_text(
            f'[store]\ndata_dir = "{cli_data}"\n'
            f'[slack]\nmode = "http"\nport = 0\napi_url = "{fake.api_url}"\nbot_token = "xoxb-test"\n'
            'signing_secret = "secret"\n', encoding="utf-8")
        args = ["summary", "monthly", "--config", str(config), "--period", "2026-11", "--post"]
        assert main(args) == 0
        assert "Publié dans C0042." in capsys.readouterr().out
        assert main(args) == 1  # claimed: the scheduler and a second --post leave it alone
        assert "Déjà publié" in capsys.readouterr().err
        assert main([*args, "--again"]) == 0
        posts = fake.calls_to("chat.postMessage")
        assert [p.params["channel"] for p in posts] == ["C0042", "C0042"]
        assert len(fake.uploads) == 2 and all(data.startswith(b"\x89PNG") for _, data in fake.uploads)
