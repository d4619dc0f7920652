"""Every view, in every language found, reads right: agreement, plurals, typography, numbers.

The replies are driven through the Coach as a member would type them
(`/ia-log`, `/ia-avoid`, `/ia-undo`, `/ia-stats`, `/ia-help`, errors…), for
every kind × count in {0, 1, 2, 5, 1 000} where a count makes sense, and the
words are checked as a French reader would check them: no « (s) », participles
that agree with their noun (the table of genders is here, not in the code),
no ordinary space before `: ; ! ?` or inside « », no straight apostrophe, and
numbers formatted by Babel. English gets the checks that apply to it.

A second group checks the catalogues themselves: every msgid the templates
use has a translation in every catalogue (no silent English in French), and
rendering every view asks the catalogue for nothing it lacks.

To add a view: add a function to VIEWS that returns the texts of its replies
for one language (drive the Coach, or call `Renderer.macro` for a view that no
command shows directly); the checks below run on it in every language.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from bot.core import i18n
from bot.core.coach import Coach
from bot.core.config import parse_config
from bot.core.identity import Sender
from bot.core.numbers import format_number
from bot.core.render import Renderer
from bot.core.reply import Reply
from bot.store import open_store

from conftest import PARIS, Clock

ROOT = Path(__file__).resolve().parent.parent
LANGS = i18n.languages()
KINDS = ("text", "doc", "image", "video", "audio", "code")
COUNTS = (0, 1, 2, 5, 1000)

# kind → (singular, plural, gender) of its French noun: the participle after it must agree
FRENCH_NOUNS = {
    "text": ("texte", "textes", "m"),
    "doc": ("texte long", "textes longs", "m"),
    "image": ("image", "images", "f"),
    "video": ("vidéo", "vidéos", "f"),
    "audio": ("audio", "audios", "m"),
    "code": ("complétion de code", "complétions de code", "f"),
    "generation": ("génération", "générations", "f"),
}
ENGLISH_NOUNS = {
    "text": ("text", "texts"), "doc": ("long text", "long texts"), "image": ("image", "images"),
    "video": ("video", "videos"), "audio": ("audio clip", "audio clips"), "code": ("code completion", "code completions"),
}
PARTICIPLES = ("noté", "généré", "évité")


# ---------------------------------------------------------------------------- driving the coach

class Conversation:
    """A workspace in one language, with a clock the test moves so the rate limit never answers instead."""

    def __init__(self, tmp: Path, lang: str) -> None:
        self.cfg = parse_config({"store": {"data_dir": str(tmp / f"data-{lang}")}, "bot": {"lang": lang},
                                 "limits": {"max_count": 1000, "avoid_per_day": 100_000, "logs_per_minute": 100_000}})
        self.store = open_store(self.cfg.data_dir)
        self.clock = Clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))
        self.coach = Coach(self.cfg, self.store, clock=self.clock)
        self.member = Sender("T1", "U1", "Camille", "console")
        self.admin = Sender("T1", "UADMIN", "Alex", "console", is_admin=True)

    def say(self, line: str, sender: Sender | None = None) -> Reply:
        command, _, rest = line.partition(" ")
        self.clock.advance(1)
        return self.coach.handle(command, rest, sender or self.member)


def texts(reply: Reply) -> list[str]:
    """Every string of a reply a member reads, each on its own (a fact's label and value apart)."""
    out = [reply.title, *reply.lines, reply.zone_text, reply.footer]
    out += [s for f in reply.facts for s in (f.label, f.value)]
    out += [b.label for b in reply.buttons]
    return [t for t in out if t]


def counted_replies(chat: Conversation, kind: str, count: int) -> list[tuple[str, Reply]]:
    """/ia-log, /ia-undo, /ia-avoid, /ia-undo for one kind and count (0 is refused: that error is a view too)."""
    out = []
    for command in ("/ia-log", "/ia-avoid"):
        reply = chat.say(f"{command} {kind} {count}")
        out.append((command, reply))
        if reply.ok:  # the « Details » button's answer is part of the view
            out.append(("details", chat.coach.action("details", reply.data["event_id"], chat.member)))
            out.append(("/ia-undo", chat.say("/ia-undo")))
    return out


def view_log(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    for kind in KINDS:
        for count in COUNTS:
            for _, reply in counted_replies(chat, kind, count):
                yield from texts(reply)
            m = renderer.macro  # the count 0 never reaches these titles through the coach
            yield m(lang, "log", "title")(kind, count, None)
            yield m(lang, "log", "title")(kind, count, "midjourney")
            yield m(lang, "log", "avoid_title")(kind, count)
            for kind_of_log in ("gen", "avoided"):
                yield m(lang, "log", "undone")(kind_of_log, kind, count)
            yield m(lang, "errors", "avoid_limit")(10, count, 1)
            yield m(lang, "log", "undo_none")(count or 15)
    yield from texts(chat.say("/ia-log text 3 Rédige une annonce"))  # iterations line
    for prompt in ("text 2 Tu es juriste. Rédige une clause.", "image 8 midjourney un logo", "text un truc",
                   "text 2 Pour notre boulangerie de Lyon, rédige un post."):  # each fix and nudge
        reply = chat.say(f"/ia-log {prompt}")
        yield from texts(reply)
        yield from texts(chat.coach.action("details", reply.data["event_id"], chat.member))
    m = renderer.macro
    for extra in COUNTS:
        for key, vague in (("role", False), ("context", False), ("task", False), ("task", True), ("format", False), ("", False)):
            yield m(lang, "log", "nudge")(extra, key, vague)
    for zone in ("green", "orange", "red"):
        for n in COUNTS:
            yield m(lang, "log", "head")("x", zone, n)
    yield from texts(chat.say("/ia-undo"))
    yield from texts(chat.say("/ia-undo"))  # nothing left to undo


def view_stats(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    for count in (1, 2, 5, 1000):
        chat.say(f"/ia-log image {count}")
        chat.say(f"/ia-avoid text {count}")
        for line in ("/ia-stats", "/ia-stats month", "/ia-top", "/ia-top week", "/ia-top all"):
            yield from texts(chat.say(line))
    for n in COUNTS:
        yield renderer.macro(lang, "stats", "counts")(n, n, 63.4)
        yield renderer.macro(lang, "stats", "counts")(n, n, None)
        yield renderer.macro(lang, "stats", "top_row")(1, "Camille", n)
        for rank in (None, 1, 2, 3):
            yield renderer.macro(lang, "stats", "top_you")(rank, n)
        yield renderer.macro(lang, "stats", "team_row")(n, n or 1, 1.5)


def view_help(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    from bot.impact.model import ImpactModel
    from bot.impact.view import method_summary_lines

    yield from texts(chat.say("/ia-help methode"))  # the short method; the whole one is the "methodology" view
    yield from method_summary_lines(renderer, lang, ImpactModel("article"))
    yield from texts(chat.say("/ia-help"))
    yield from texts(chat.say("/ia-help", chat.admin))
    for command in chat.coach.catalogue:
        yield from texts(chat.say(f"/ia-help {command.name}"))


def view_errors(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    for line in ("/ia-nope", "/ia-log", "/ia-log pizza", "/ia-log image zero", "/ia-log image 100000",
                 "/ia-score", "/ia-stats annee", "/ia-undo maintenant", "/ia-me fly", "/ia-me nudges peut-être",
                 "/ia-me lang de", "/ia-help nope", "/ia-team fly", "/ia-team join", "/ia-team join " + "x" * 200,
                 "/ia-log text 2 \x07bip"):
        yield from texts(chat.say(line))
    for line in ("/ia-settings nope 1", "/ia-settings timezone", "/ia-settings timezone Mars/Base",
                 "/ia-settings green_max beaucoup", "/ia-settings lang de", "/ia-settings store_prompts maybe",
                 "/ia-settings weekly_day jamais", "/ia-settings monthly_day 31", "/ia-settings weekly_time midi",
                 "/ia-settings zone MARS", "/ia-settings orange_max 3", "/ia-team map", "/ia-report 1999-99"):
        yield from texts(chat.say(line, chat.admin))
    yield from texts(chat.say("/ia-settings green_max 15", chat.member))  # admins only
    notices = renderer.macro(lang, "notices", "title"), renderer.macro(lang, "notices", "body")
    for key in ("dm_refused", "internal_error", "admin_only", "not_saved", "console_welcome", "rate_limited", "other"):
        yield from (notices[0](key), notices[1](key))
    errors = renderer.macro(lang, "errors", "explain")
    yield errors("missing_argument", {"name": "kind"})
    yield errors("bad_value", {"word": "x", "key": "weekly_time"})
    yield errors("missing_group", {})


def view_me_settings_team(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    chat.say("/ia-log image 2")
    for line in ("/ia-me", "/ia-me export", "/ia-me nudges on", "/ia-me nudges off", "/ia-me leaderboard off",
                 "/ia-me leaderboard on", "/ia-me forget", "/ia-team", "/ia-team join Compta",
                 "/ia-team list", "/ia-team leave", "/ia-team leave", f"/ia-me lang {lang}", "/ia-me forget confirm"):
        yield from texts(chat.say(line))
    for line in ("/ia-settings", "/ia-settings weekly_time 09:30", "/ia-settings monthly_day 1",
                 "/ia-settings summary_channel #general", "/ia-settings store_prompts on", "/ia-settings name Dupont",
                 "/ia-settings", "/ia-team map S0123 Ventes", "/ia-team unmap S0123"):
        yield from texts(chat.say(line, chat.admin))
    for n in COUNTS:
        yield renderer.macro(lang, "team", "list_title")(n)
        yield renderer.macro(lang, "team", "list_row")("Ventes", n)
        yield renderer.macro(lang, "me", "export_title")(n)
        yield renderer.macro(lang, "me", "forgotten")(n)


def view_command_words(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    """What Slack's manifest and Discord's menus show: every string of templates/commands.toml, translated."""
    yield from (text for _, text in i18n.walk_strings(renderer.data(lang, "commands")))


VIEWS: dict[str, Callable[[Conversation, Renderer, str], Iterator[str]]] = {
    "log": view_log,
    "stats": view_stats,
    "help": view_help,
    "errors": view_errors,
    "me, settings, team": view_me_settings_team,
    "command words": view_command_words,
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], list[str]]:
    """Every view's texts in every language, rendered once for the module; ("missing", lang) holds the
    msgids the catalogue lacked while they rendered."""
    out: dict[tuple[str, str], list] = {}
    renderer = Renderer()
    for lang in LANGS:
        before = set(renderer.translations(lang).missing)
        for name, view in VIEWS.items():
            chat = Conversation(tmp_path_factory.mktemp(f"{lang}-{name.replace(', ', '-')}"), lang)
            try:
                out[(lang, name)] = [t for t in view(chat, renderer, lang) if t]
            finally:
                chat.store.close()
        out[("missing", lang)] = sorted(renderer.translations(lang).missing - before, key=str)
    return out


# ---------------------------------------------------------------------------- the summaries, the report, the method
# Views no command answers with at once (the scheduler posts them, `sobria report` writes them): their figures are
# built from events in a workspace of their own, for every kind × count, and worded as the scheduler words them.

SUMMARY_WEEK = (2026, 11, 9)  # the week of 9 to 15 November 2026, and the week before it
RATES = (0.5, 1.4, 2, 6.6, 1234.5)  # iteration rates: French singular below 2, English plural but for a bare 1


def _summary_workspace(chat: Conversation, kind: str, count: int) -> str:
    """A workspace whose week (and month) holds `count` generations of `kind` logged twice, and `count` avoided."""
    from bot.store import AVOIDED
    from paris_events import at, ev

    workspace = f"W-{kind}-{count}"
    events = [ev("U1", at(2026, 11, 3), kind, 3, rct=40), ev("U2", at(2026, 11, 4), kind, 2, rct=60)]
    if count:
        events += [ev("U1", at(2026, 11, 10), kind, count, rct=70), ev("U1", at(2026, 11, 11), kind, count, AVOIDED),
                   ev("U2", at(2026, 11, 12), kind, count, rct=90), ev("U2", at(2026, 11, 13), kind, count, AVOIDED)]
    chat.store.add_events(workspace, events)
    for user, name, team in (("U1", "Camille", "Compta"), ("U2", "Hugo", "Atelier"), ("U3", "Inès", "Atelier")):
        chat.store.update_member(workspace, user, name=name, team=team)
    chat.store.update_member(workspace, "U4", name="Zoé", team="Compta")
    if count:  # Inès (and Zoé from 2 on) avoided as many and asked not to be named: counted, never named
        chat.store.add_events(workspace, [ev("U3", at(2026, 11, 11), kind, count, AVOIDED)])
        chat.store.update_member(workspace, "U3", leaderboard=False)
    if count > 1:
        chat.store.add_events(workspace, [ev("U4", at(2026, 11, 11), kind, count, AVOIDED)])
        chat.store.update_member(workspace, "U4", leaderboard=False)
    return workspace


def view_summaries(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    """The weekly nudge, the personal nudge, the monthly summary and every word of its chart."""
    from datetime import date

    from bot.core import periods
    from bot.core.zones import Thresholds
    from bot.reports.summaries import (SummaryWords, chart_words, monthly_figures, monthly_reply, personal_reply,
                                       personal_week, weekly_figures, weekly_reply)

    impact, words = chat.coach.impact, SummaryWords(renderer, chat.coach.impact, lang)
    week, month = periods.week_of(date(*SUMMARY_WEEK), PARIS), periods.month_of(date(*SUMMARY_WEEK), PARIS)
    for kind in KINDS:
        for count in COUNTS:
            workspace = _summary_workspace(chat, kind, count)
            yield from texts(weekly_reply(words, weekly_figures(chat.store, impact, workspace, PARIS, week)))
            for user in ("U1", "U2"):
                yield from texts(personal_reply(words, personal_week(chat.store, impact, workspace, PARIS, week, user)))
            fig = monthly_figures(chat.store, impact, workspace, PARIS, month, Thresholds(), {})
            yield from texts(monthly_reply(words, fig, with_chart=False))
            chart = chart_words(words, fig)
            yield from [str(v) for k, v in chart.items() if k not in ("weeks", "lang")] + list(chart["weeks"])
    m = words.m
    for n in COUNTS:  # every branch of the templates, for counts no fixture month reaches
        yield m("weekly_volume")(n, n, None, n)
        yield m("weekly_avoided")(n, n, "≈ 2 recharges")
        yield m("monthly_volume")(n, 0, None, n)
        yield m("monthly_victory")(n, "≈ 2 recharges")
        yield m("personal_volume")(n, n, 0.5)
        yield m("personal_avoided")(n, "≈ 2 recharges")
        if n:
            yield m("saved_intro")(n)
    for rate in RATES:
        yield m("monthly_quality")(rate, rate, 55.5, 60)
    for outcome in ("quiet", "first", "better", "steady", "mixed", "worse"):
        for change in (-0.25, 0.0, 0.3, None):
            yield m("encouragement")(outcome, change, 5, 1)


def _visible(page: str) -> str:
    """The HTML as a reader sees it, without the sources' own titles, authors and addresses (quoted as published)."""
    import html

    from bot.impact.sources import SOURCES

    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", re.sub(r'src="data:[^"]*"', "", page)))
    quoted = {data for s in SOURCES.values() for data in (s.title, s.authors, s.url) if data}
    for data in sorted(quoted, key=len, reverse=True):  # a title before a shorter text it may contain
        text = text.replace(data, "")
    return text


def view_report(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    """The CSR report: its HTML (a month for every kind × count, a quarter, a year), its CSV header, its chat reply."""
    from datetime import date

    from bot.reports.report import build_report, month_period, quarter_period, year_period

    periods_ = [(month_period(2026, 11, PARIS), kind, count) for kind in KINDS for count in COUNTS]
    periods_ += [(quarter_period(2026, 4, PARIS), "image", 5), (year_period(2026, PARIS), "text", 1000)]
    for period, kind, count in periods_:
        workspace = _summary_workspace(chat, kind, count)
        settings = chat.coach.workspace_settings(workspace)
        page = build_report(chat.store, chat.coach.impact, renderer, workspace, period, settings, lang=lang,
                            fmt="html", title="Dupont", today=date(2026, 12, 10)).content.decode("utf-8")
        assert f'<html lang="{lang}">' in page
        yield from (line.strip() for line in _visible(page).splitlines() if line.strip())
    table = build_report(chat.store, chat.coach.impact, renderer, workspace, month_period(2026, 11, PARIS), settings,
                         lang=lang, fmt="csv").content.decode("utf-8")
    yield from table.splitlines()[0].split(",")
    for fmt in ("html", "csv"):
        for period in (month_period(2026, 11, PARIS), quarter_period(2026, 4, PARIS), year_period(2026, PARIS)):
            yield renderer.macro(lang, "report_chat", "title")(period, fmt)
        yield renderer.macro(lang, "report_chat", "note")(fmt)


def view_methodology(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    """/ia-help methode under both presets, and with a factor set by the configuration."""
    from bot.impact.model import ImpactModel
    from bot.impact.sources import SOURCES
    from bot.impact.view import methodology_lines

    quoted = {data for s in SOURCES.values() for data in (s.title, s.authors) if data}
    for model in (ImpactModel("sourced"), ImpactModel("article"),
                  ImpactModel.from_config({"factors": {"image": {"energy_wh": 2}}})):
        for line in methodology_lines(renderer, lang, model):
            for data in sorted(quoted, key=len, reverse=True):
                line = line.replace(data, "")
            yield line


VIEWS.update({"summaries": view_summaries, "report": view_report, "methodology": view_methodology})


# ---------------------------------------------------------------------------- the RCT advice
# /ia-score and /ia-log … <prompt>: the questions, labels and notes are in the member's language, the examples and
# the suggested prompt in the prompt's. Every view's checks read the whole advice, the prompt's language included,
# so the members' own words below are typed as a careful writer types them (’, no space before a colon): they are
# quoted back as typed, never retypeset (test_the_rct_advice_quotes_the_member_as_typed).

RCT_PROMPTS = {
    "fr": (
        "Rédige un post Instagram sur le pain au levain.",
        "Tu es juriste. Relis ce contrat.",
        "Je dirige une crèche de 20 berceaux. Rédige un message aux parents, 5 lignes.",
        "Tu es community manager. Notre boulangerie de Lyon fête ses 10 ans samedi. Rédige un post de 80 mots.",
        "un logo pour ma boulangerie",
        "logo boulangerie",
        "idées pour la fête de l’école",
        "recette de crêpes",
        "une affiche pour notre salon de thé",
        "fais un truc bien pour notre site",
        "Explique ce code.\n```python\nprint(1)\n```",
        "Traduis ce texte en anglais pour nos clients canadiens.",
        "Corrige ma formule Excel qui renvoie une erreur",
        "Rédige une offre d’emploi pour un serveur",
        "Rédige un post. " + "x " * 30_000,  # truncated
        "Le conseil municipal a voté la fermeture de la bibliothèque le dimanche. " * 70
        + "\n\nRésume ce texte en 5 points pour les habitants du quartier.",  # truncated, its last paragraph read
        "  ",
    ),
    "en": (
        "Write an Instagram post about sourdough bread.",
        "You are a copywriter. Write a tagline about oat milk.",
        "I run a bike shop in Leeds. Write a short welcome email.",
        "a logo for my bakery",
        "ideas for a waitlist",
        "newsletter ideas for a plant shop",
        "do something cool for our website",
        "Summarise this: The council voted to close the library on Sundays from March to save money.",
        "Write an invitation for retired volunteers who rarely use email.",
        "Fix this Python function that returns None",
        "Write a post. " + "x " * 30_000,  # truncated
    ),
}


def rct_texts(view) -> list[str]:
    """Every string of an RCT view a member reads."""
    return [view.verdict, view.rewrite, *view.notes, *(s for p in view.parts for s in (p.label, p.hint))]


def rct_results() -> Iterator:
    """The prompts above; every combination of present and missing parts, the task clear or vague, with each
    prompt language's words (a keyword prompt, a task sentence); and scores stored without their text."""
    from dataclasses import replace
    from itertools import product

    from bot.rct.score import band_for, compute_score, from_stored, score_prompt

    for prompts in RCT_PROMPTS.values():
        yield from (score_prompt(text) for text in prompts)
    bases = [score_prompt(text) for text in ("un logo pour ma boulangerie", "Rédige un post Instagram sur le pain au levain.",
                                             "a logo for my bakery", "Write an Instagram post about sourdough bread.")]
    for role, context, task, fmt, vague in product((False, True), repeat=5):
        score = compute_score(role, context, task, fmt, vague)
        for base in bases:
            yield replace(base, role=role, context=context, task=task, format=fmt, task_vague=vague, score=score,
                          band=band_for(score, task, vague))
        for prompt_lang in LANGS:
            yield from_stored({"role": role, "context": context, "task": task, "format": fmt}, score, prompt_lang, vague)


def view_rct(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    from bot.rct import lexicon as L
    from bot.rct.view import rct_view

    for prompts in RCT_PROMPTS.values():  # through the coach, as the member reads them
        for text in prompts[:4]:
            for line in (f"/ia-score {text}", f"/ia-log text 2 {text}"):
                reply = chat.say(line)
                yield from texts(reply)
                if reply.rct is not None:
                    yield from rct_texts(reply.rct)
    for result in rct_results():
        yield from rct_texts(rct_view(renderer, lang, result))
    # every example the templates hold, in every prompt language, inside the member's questions
    blank = dict(domain="", deliverable="", org="", topic="", request="", request_article=False, role="", context="",
                 task="", format="", material=False, vague=False)
    advice = [blank | {"domain": key} for key, _ in L.DOMAINS] + [blank]
    advice += [blank | {"domain": key, "org": org} for key, _ in L.DOMAINS for org in ("ma boulangerie", "my bakery")]
    advice += [blank | {"topic": "le thé vert"}, blank | {"topic": "green tea"}, blank | {"material": True}]
    advice += [blank | {"deliverable": key, "request": request, "request_article": article}
               for key, _ in (*L.DELIVERABLES, ("", "")) for request, article in
               ((f"{key or 'flyer'} pour ma boulangerie", False), (f"le {key or 'flyer'} pour ma boulangerie", True),
                (f"{key or 'flyer'} for my bakery", False), (f"the {key or 'flyer'} for my bakery", True), ("", False))]
    say = {name: renderer.macro(lang, "rct", name) for name in ("hint_role", "hint_context", "hint_task_missing",
                                                                "hint_task_vague", "hint_format", "rewrite_intro")}
    for prompt_lang in LANGS:
        example = {name: renderer.macro(prompt_lang, "rct", name)
                   for name in ("example_role", "example_context", "example_task", "example_format", "skeleton")}
        for a in advice:
            yield say["hint_role"](example["example_role"](a))
            yield say["hint_context"](a, example["example_context"](a))
            yield say["hint_task_missing"](a, example["example_task"](a))
            yield say["hint_task_vague"](example["example_task"](a))
            yield say["hint_format"](example["example_format"](a))
            for vague in (False, True):
                yield say["rewrite_intro"]() + "\n" + example["skeleton"](a | {"vague": vague}, ["role", "context", "task", "format"])
        yield renderer.macro(lang, "rct", "note_examples_lang")(prompt_lang)
    for n in (1, 2, 4000):
        for tail in (False, True):
            yield renderer.macro(lang, "rct", "note_truncated")(n, 60_016, tail)


VIEWS.update({"rct advice": view_rct})


def view_habits(chat: Conversation, renderer: Renderer, lang: str) -> Iterator[str]:
    """One-click logging, the weekly goal and its streak, the pause, closing weeks (bot/habits/)."""
    from datetime import date

    from bot.habits.goals import Progress
    from bot.core.zones import Thresholds

    for line in ("/ia-me objectif", "/ia-me objectif 1", "/ia-me objectif 3", "/ia-me", "/ia-me pause 2 semaines",
                 "/ia-me", "/ia-me reprise", "/ia-me reprise", "/ia-me pause jusqu'au 2026-01-01",
                 "/ia-me pause demain", "/ia-me objectif beaucoup", "/ia-me pause 60 semaines", "/ia-stats"):
        yield from texts(chat.say(line))
    for value in ("image", "doc", "avoid"):
        yield from texts(chat.coach.action("quick", value, chat.member))
    yield from texts(chat.coach.home(chat.member))
    yield from texts(chat.say("/ia-me objectif off"))
    for value in ("image", "avoid"):
        yield from texts(chat.coach.action("quick", value, chat.member))
    for line in ("/ia-settings fermeture 2026-08-05 2026-08-20", "/ia-settings fermeture 2026-12-24 2027-01-03",
                 "/ia-settings", "/ia-settings fermeture 2026-08-20", "/ia-settings fermeture off",
                 "/ia-settings fermeture 2026-11-23 2026-11-29"):
        yield from texts(chat.say(line, chat.admin))
    yield from texts(chat.say("/ia-stats"))  # a closing week: the zone is not judged
    m = lambda name: renderer.macro(lang, "habits", name)  # noqa: E731
    for n in COUNTS:
        for goal in (0, 1, 5):
            for complete in (False, True):
                p = Progress(goal, n, n, complete)
                yield m("progress")(p, Thresholds())
                yield m("nudge_goal")(p)
        yield m("team_streak")(n)
        yield m("streak_line")(n)
        yield m("status")(n, date(2026, 8, 1))
        yield m("public_streaks")([("Camille", n), ("Hugo", 2)])
    yield m("progress")(Progress(5, 9, 0, False, closed=True), Thresholds())
    yield m("nudge_goal")(Progress(5, 9, 0, True, closed=True))


VIEWS.update({"habits": view_habits})


@pytest.mark.parametrize("member", LANGS)
@pytest.mark.parametrize("prompt_lang", LANGS)
def test_the_rct_advice_asks_in_the_members_language_and_suggests_in_the_prompts(member: str, prompt_lang: str) -> None:
    """Labels, questions and notes follow the member; the examples inside the questions and the suggested prompt
    follow the prompt, each with its own typography; a note says so when the two differ."""
    from bot.rct.score import score_prompt
    from bot.rct.view import rct_view

    text = RCT_PROMPTS[prompt_lang][0]  # an Instagram post about sourdough bread: role, context and format missing
    view = rct_view(Renderer(), member, score_prompt(text))
    hints = {p.key: p.hint for p in view.parts}
    intro, *lines = view.rewrite.splitlines()
    if member == "fr":
        assert [p.label for p in view.parts] == ["Rôle", "Contexte", "Tâche", "Format"]
        assert intro == "Proposition de prompt (remplacez ce qui est entre crochets)\u00a0:"
        assert hints["role"].startswith("Qui doit répondre\u202f? Donnez un rôle à l’IA, ex. «\u202f")
        assert hints["role"].endswith("\u202f»") and hints["format"].startswith("Bonus\u00a0: ")
    else:
        assert [p.label for p in view.parts] == ["Role", "Context", "Task", "Format"]
        assert intro == "Suggested prompt (replace what is in square brackets):"
        assert hints["role"].startswith("Who should answer? Give the AI a role, e.g. “") and hints["role"].endswith("”")
    if prompt_lang == "fr":
        assert "Tu es un community manager expérimenté." in hints["role"]
        assert "Notre boulangerie, à Lyon, fête ses 10 ans samedi\u202f; nos abonnés" in hints["context"]
        assert lines == ["Rôle\u00a0: [Tu es un community manager expérimenté.]",
                         "Contexte\u00a0: [Notre boulangerie, à Lyon, fête ses 10 ans samedi\u202f; nos abonnés sont "
                         "surtout des familles du quartier]",
                         "Tâche\u00a0: Rédige un post Instagram sur le pain au levain.",
                         "Format\u00a0: [80 mots, ton chaleureux, 3 hashtags]"]
    else:
        assert "You are an experienced community manager." in hints["role"]
        assert "Our bakery in Leeds turns 10 on Saturday; our followers" in hints["context"]
        assert lines == ["Role: [You are an experienced community manager.]",
                         "Context: [Our bakery in Leeds turns 10 on Saturday; our followers are mostly local families]",
                         "Task: Write an Instagram post about sourdough bread.",
                         "Format: [80 words, warm tone, 3 hashtags]"]
    notes = {("fr", "en"): ("Exemples rédigés en anglais, la langue de votre prompt.",),
             ("en", "fr"): ("Examples are written in French, the language of your prompt.",)}
    assert view.notes == notes.get((member, prompt_lang), ())


def test_the_rct_advice_quotes_the_member_as_typed() -> None:
    """The member's words keep their straight apostrophes and spaces; the figures of the examples are Babel's."""
    from bot.rct.score import score_prompt
    from bot.rct.view import rct_view

    renderer = Renderer()
    view = rct_view(renderer, "fr", score_prompt("Rédige un post Instagram sur l'histoire du pain au levain."))
    assert "Tâche\u00a0: Rédige un post Instagram sur l'histoire du pain au levain." in view.rewrite.splitlines()
    keyword = rct_view(renderer, "en", score_prompt("logo pour ma boulangerie : ton fun"))
    assert "Crée un logo pour ma boulangerie : ton fun" in keyword.rewrite
    email = {"domain": "email"}
    blank = dict(domain="", deliverable="", org="", topic="", request="", request_article=False)
    assert "sa facture de 1\u202f200\u00a0€ est impayée" in renderer.macro("fr", "rct", "example_context")(blank | email)
    assert "their £1,200 invoice" in renderer.macro("en", "rct", "example_context")(blank | email)


@pytest.mark.parametrize("rate, fr, en", [
    (0.5, "0,5 génération par tâche", "0.5 generations per logged task"),
    (1.4, "1,4 génération par tâche", "1.4 generations per logged task"),
    (1.0, "1 génération par tâche", "1 generation per logged task"),
    (1.04, "1 génération par tâche", "1 generation per logged task"),
    (2, "2 générations par tâche", "2 generations per logged task"),
    (6.6, "6,6 générations par tâche", "6.6 generations per logged task"),
])
def test_a_decimal_count_agrees_as_its_language_reads_it(rate: float, fr: str, en: str) -> None:
    """« 1,4 génération » (French: below 2 is singular), "1.4 generations" (English: only a bare 1 is), in the
    monthly summary and in the report alike; an exact average (1.0, or 1.04 shown to one decimal) reads as the
    whole number it is, "1 generation", not "1.0 generation(s)"."""
    from bot.impact.model import ImpactModel
    from bot.reports.summaries import SummaryWords

    renderer = Renderer()
    for lang, expected in (("fr", fr), ("en", en)):
        words = SummaryWords(renderer, ImpactModel(), lang)
        assert expected in words.m("monthly_quality")(rate, 3.0, None, None)
        assert expected in words.m("monthly_quality")(rate, None, None, None)


@pytest.mark.parametrize("charges, en", [(1.004, "≈ 1 smartphone charge"), (0.996, "≈ 1 smartphone charge"),
                                         (1.5, "≈ 1.5 smartphone charges"), (2.0, "≈ 2 smartphone charges")])
def test_a_rounded_equivalent_agrees_with_the_figure_shown(charges: float, en: str) -> None:
    """The form follows the figure as rounded for the reader: 1.004 charges are shown as "1", so "1 smartphone
    charge", not "1 smartphone charges"."""
    from types import SimpleNamespace

    q = SimpleNamespace(central=charges, low=charges, high=charges, unit="", ranged=False)
    assert Renderer().macro("en", "impact", "headline")("phone", q, {"led_w": 10}, False) == en


def test_the_summary_and_report_slips_the_issue_quoted_now_read_right(tmp_path: Path) -> None:
    from datetime import date

    from bot.reports.report import build_report, quarter_period

    chat = Conversation(tmp_path, "fr")
    renderer = Renderer()
    workspace = _summary_workspace(chat, "image", 5)
    summaries = "\n".join(view_summaries(chat, renderer, "fr"))
    assert "Votre semaine IA, du 9 au 15 novembre 2026" in summaries  # not « du 9 novembre 2026 au 15 novembre 2026 »
    assert "Votre semaine, du 9 au 15 novembre 2026" in summaries
    report = "\n".join(view_report(chat, renderer, "fr"))
    assert "(du 1er au 30 novembre 2026)" in report and "(du 1er octobre au 31 décembre 2026)" in report
    assert "Parmi les membres ayant évité des générations, 2 ont choisi de ne pas être nommés" in report
    assert not re.search(r"\d[\s\u00a0\u202f]?(ml|cl|l)\b", report), "one style for volumes: mL and L"
    quarter = build_report(chat.store, chat.coach.impact, renderer, workspace, quarter_period(2026, 1, PARIS),
                           chat.coach.workspace_settings(workspace), lang="fr", fmt="html", today=date(2026, 12, 10))
    assert "1er trimestre 2026" in _visible(quarter.content.decode("utf-8"))


# ---------------------------------------------------------------------------- the checks

_SPACE_BEFORE_HIGH = re.compile(r" [:;!?](?=\s|$|[»)\].,])")
_PARTICIPLE = re.compile(r"\b(" + "|".join(PARTICIPLES) + r")(e?)(s?)\b")


def french_problems(text: str) -> list[str]:
    """What a careful French reader would circle in `text`."""
    problems = []
    if "(s)" in text or "(e)" in text:
        problems.append("« (s) » plural")
    if _SPACE_BEFORE_HIGH.search(text):
        problems.append("ordinary space before : ; ! ?")
    if re.search(r"«[ ]|[ ]»", text) or re.search(r"«\S|\S»", text):
        problems.append("no narrow no-break space inside « »")
    if "'" in text:
        problems.append("straight apostrophe")
    if "..." in text:
        problems.append("three dots instead of an ellipsis")
    if re.search(r"\d \d{3}\b", text):
        problems.append("ordinary space as a thousands separator")
    for noun, (one, many, gender) in FRENCH_NOUNS.items():
        for form, plural in ((many, True), (one, False)):
            for match in re.finditer(rf"\b{re.escape(form)} ({'|'.join(PARTICIPLES)})(e?)(s?)\b", text):
                want_e, want_s = ("e" if gender == "f" else ""), ("s" if plural else "")
                if (match.group(2), match.group(3)) != (want_e, want_s):
                    problems.append(f"« {match.group(0)} » does not agree")
    for match in re.finditer(r"(\d[\d\u202f]*) ([a-zéèêàç ]+?) (" + "|".join(PARTICIPLES) + r")(e?)(s?)\b", text):
        number = int(match.group(1).replace("\u202f", ""))
        if (number > 1) != bool(match.group(5)):
            problems.append(f"« {match.group(0)} »: the number and the participle disagree")
    for match in re.finditer(r"(\d[\d\u202f]*) (" + "|".join(PARTICIPLES) + r")(e?)(s?)\b", text):
        # a count with a participle and no noun counts generations (« 2 évitées »): feminine
        plural = int(match.group(1).replace("\u202f", "")) > 1
        if (match.group(3), match.group(4)) != ("e", "s" if plural else ""):
            problems.append(f"« {match.group(0)} » does not agree with « générations »")
    return problems


def english_problems(text: str) -> list[str]:
    problems = []
    if "(s)" in text:
        problems.append('"(s)" plural')
    if re.search(r"\b1 (texts|images|videos|audio clips|code completions|generations|members|teams)\b", text):
        problems.append("plural after 1")
    if re.search(r"\b(?:0|[2-9]|\d{2,}|\d{1,3}(?:,\d{3})+) (text|image|video|audio clip|code completion|generation|member|team)\b(?! of)",
                 text):
        problems.append("singular after a count other than 1")
    for number in re.findall(r"(?<![\w.,/-])\d{4,}(?![\d-])", text):
        if not re.fullmatch(r"(19|20)\d\d", number):  # a year is not grouped
            problems.append(f"ungrouped thousands: {number}")
    return problems


def problems_of(lang: str, text: str) -> list[str]:
    if lang == "fr":
        return french_problems(text)
    if lang == "en":
        return english_problems(text)
    return ["(s)"] if "(s)" in text else []


def test_the_checks_catch_the_slips_the_issue_quoted() -> None:
    """The checks are not vacuous: each slip from the issue is caught."""
    for slip in ("5 complétions de code notés", "1 complétion de code noté", "3 complétions de code évités",
                 "1 texte évitée(s)", "2 images générée(s)", "Vous\u00a0: 7 générations, 2 évités", "l'équipe",
                 "Bravo : 3 images évitées", "1 100\u00a0mL", "«x»", "« x »", "Vous\u00a0: 5 générations, 1 évitées"):
        assert french_problems(slip), slip
    for slip in ("2 image logged", "1 images logged", "1000 texts logged", "1 text(s) avoided"):
        assert english_problems(slip), slip
    assert not french_problems("Bravo\u00a0: 3 complétions de code évitées, 1\u202f000 images notées, 0 évitée")


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_view_reads_right(rendered, lang: str, view: str) -> None:
    found = {text: problems_of(lang, text) for text in rendered[(lang, view)]}
    assert rendered[(lang, view)], "the view rendered nothing"
    assert not {t: p for t, p in found.items() if p}


@pytest.mark.parametrize("lang", LANGS)
def test_counts_are_formatted_by_babel_and_agree(rendered, lang: str) -> None:
    """1 000 is grouped the language's way; French titles agree with each kind's noun."""
    log = "\n".join(rendered[(lang, "log")])
    assert format_number(1000, lang) in log and "1000" not in log
    if lang == "fr":
        for kind, (one, many, gender) in FRENCH_NOUNS.items():
            if kind == "generation":
                continue
            e = "e" if gender == "f" else ""
            assert f"1 {one} noté{e}" in log and f"5 {many} noté{e}s" in log, kind
            assert f"2 {many} généré{e}s" in log and f"5 {many} évité{e}s" in log, kind
        assert "1\u202f000 images notées" in log and "0 image notée" in log
    if lang == "en":
        assert "1 image logged" in log and "2 images logged" in log and "1,000 code completions logged" in log


def test_the_replies_the_issue_quoted_now_read_right(tmp_path: Path) -> None:
    chat = Conversation(tmp_path, "fr")
    # a log reply's first line says what was logged, then the week's zone (issue 16)
    assert chat.say("/ia-log code 5").title.startswith("5 complétions de code notées · ")
    assert chat.say("/ia-log code 1").title.startswith("1 complétion de code notée · ")
    assert chat.say("/ia-avoid code 3").title.startswith("🎉 Bravo\u00a0: 3 complétions de code évitées · ")
    chat.say("/ia-undo")
    chat.say("/ia-avoid text 1")
    assert "«\u202f1 texte évité\u202f»" in chat.say("/ia-undo").title
    chat.say("/ia-log image 2")
    assert "«\u202f2 images générées\u202f»" in chat.say("/ia-undo").title
    help_log = "\n".join(texts(chat.say("/ia-help log")))
    for english in ("kind", "count", "tool"):
        assert not re.search(rf"^{english}\b", help_log, re.M)
    assert re.search(r"^type\u00a0: ", help_log, re.M) and re.search(r"^nombre\u00a0: ", help_log, re.M)
    stats = chat.say("/ia-stats")
    assert "(du 23 au 29 novembre 2026)" in stats.title


def test_dates_and_times_follow_the_language(tmp_path: Path) -> None:
    chat = Conversation(tmp_path, "fr")
    chat.say("/ia-settings monthly_day 1", chat.admin)
    listing = chat.say("/ia-settings", chat.admin).lines[0]
    assert "le lundi à 9\u202fh\u202f;" in listing and "le 1er à 9\u202fh." in listing
    chat.say("/ia-settings weekly_time 09:30", chat.admin)
    assert "à 9\u202fh\u202f30" in chat.say("/ia-settings", chat.admin).lines[0]
    english = Conversation(tmp_path / "en", "en")
    assert "Monday at 09:00" in english.say("/ia-settings", english.admin).lines[0]
    assert "This week (23\u2009–\u200929 November 2026)" in english.say("/ia-stats").title  # not "23 to 29 November"


@pytest.mark.parametrize("first, last, en, fr", [
    ((2026, 11, 9), (2026, 11, 15), "9\u2009–\u200915 November 2026", "du 9 au 15 novembre 2026"),
    ((2026, 11, 1), (2026, 11, 30), "1\u2009–\u200930 November 2026", "du 1er au 30 novembre 2026"),
    ((2026, 10, 26), (2026, 11, 1), "26 October\u2009–\u20091 November 2026", "du 26 octobre au 1er novembre 2026"),
    ((2026, 12, 28), (2027, 1, 3), "28 December 2026\u2009–\u20093 January 2027",
     "du 28 décembre 2026 au 3 janvier 2027"),
    ((2026, 8, 15), (2026, 8, 15), "15 August 2026", "le 15 août 2026"),  # one day: not « du 15 au 15 août »
])
def test_a_date_range_reads_as_its_language_writes_it(first: tuple, last: tuple, en: str, fr: str) -> None:
    """English: CLDR's range through Babel's format_interval, with full month names and the shared part once
    ("9–15 November 2026", not "9 to 15 November 2026"); French keeps its catalogue's words, « 1er » included."""
    from datetime import date

    span = {lang: Renderer().macro(lang, "common", "span") for lang in ("en", "fr")}
    assert span["en"](date(*first), date(*last)) == en
    assert span["fr"](date(*first), date(*last)) == fr



@pytest.mark.parametrize("lang, listed", [
    ("fr", "text (texte), doc (texte long), image, video (vidéo), audio, code (complétion de code)."),
    ("en", "text, doc (long text), image, video, audio (audio clip), code (code completion)."),
])
def test_the_kinds_list_names_a_kind_once_when_its_code_is_its_name(tmp_path: Path, lang: str, listed: str) -> None:
    """A kind's name follows its code only when it says something else: "image", not "image (image)"."""
    said = Conversation(tmp_path, lang).say("/ia-log truc").lines[0]
    assert said.endswith(listed)
    assert not re.search(r"\b(\w+) \(\1\)", said)

def test_a_members_own_words_are_never_retypeset(tmp_path: Path) -> None:
    """Typography is applied to the catalogue's words, not to what a member typed."""
    chat = Conversation(tmp_path, "fr")
    name = "L'atelier : test..."
    assert f"«\u202f{name}\u202f»" in chat.say(f"/ia-team join {name}").title


# ---------------------------------------------------------------------------- the catalogues

def extracted_msgids() -> set[tuple[str | None, str]]:
    """Every (context, msgid) the templates use, as `make i18n-extract` finds them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords={"_": None, "gettext": None, "ngettext": (1, 2),
                                                         "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def test_the_templates_use_gettext() -> None:
    """Every view is one template: no language folder is left with a view that has been converted."""
    shared = {p.name for p in (ROOT / "templates").glob("*.j2")} | {"commands.toml"}
    for lang_dir in (ROOT / "templates").iterdir():
        if lang_dir.is_dir():
            assert not shared & {p.name for p in lang_dir.iterdir()}, lang_dir
    assert len(extracted_msgids()) > 100


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != i18n.SOURCE_LANG])
def test_every_msgid_has_a_translation(lang: str) -> None:
    """A msgid missing from a catalogue (or only fuzzy) fails the suite: no silent English in French."""
    catalogue = i18n.read_catalogue(lang)
    translated = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
                  for m in catalogue if m.id and not m.fuzzy
                  and (m.string if isinstance(m.string, str) else all(m.string))}
    missing = sorted(extracted_msgids() - translated, key=str)
    assert not missing, f"{len(missing)} msgids without a {lang} translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != i18n.SOURCE_LANG])
def test_rendering_asks_the_catalogue_for_nothing_it_lacks(rendered, lang: str) -> None:
    """Messages built at run time (a context from a variable…) are caught too."""
    assert not rendered[("missing", lang)]


def test_a_missing_translation_is_detected(tmp_path: Path) -> None:
    """Remove one French entry: the check above would fail, and rendering records the miss."""
    import shutil

    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locales", tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "sobria.po"
    text = po.read_text(encoding="utf-8")
    entry = 'msgid "Nothing to undo"\nmsgstr "Rien à annuler"\n'
    assert entry in text
    po.write_text(text.replace(entry, 'msgid "Nothing to undo"\nmsgstr ""\n'), encoding="utf-8")
    renderer = Renderer(tmp_path / "templates")
    assert renderer.macro("fr", "log", "undo_none_title")() == "Nothing to undo"
    assert (None, "Nothing to undo") in renderer.translations("fr").missing
    translated = {(m.context, m.id) for m in i18n.read_catalogue("fr", tmp_path / "locales") if m.string}
    assert (None, "Nothing to undo") not in translated


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_found_has_every_command_word(lang: str) -> None:
    words = Renderer().data(lang, "commands")
    from bot.commands import CATALOGUE

    for command in CATALOGUE:
        assert words[command.name]["summary"] and words[command.name]["example"], command.name
    if lang == "fr":
        assert words["ia-log"]["usage"] == "<type> [nombre] [outil] [prompt…]"
        assert "’" in words["ia-log"]["summary"] and "'" not in words["ia-log"]["summary"]


def test_a_language_is_added_by_adding_its_catalogue(tmp_path: Path) -> None:
    """docs/translating.md's recipe: a new catalogue makes a new language, every view renders in it."""
    import shutil

    from babel.messages.pofile import read_po, write_po

    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locales", tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    with open(tmp_path / "locales" / "sobria.pot", "rb") as fh:
        catalogue = read_po(fh, locale="de")
    for message in catalogue:  # a stand-in translation: the English words, marked
        if message.id:
            message.string = tuple(f"[de] {m}" for m in message.id) if isinstance(message.id, tuple) \
                else f"[de] {message.id}"
    (tmp_path / "locales" / "de" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "locales" / "de" / "LC_MESSAGES" / "sobria.po", "wb") as fh:
        write_po(fh, catalogue)
    renderer = Renderer(tmp_path / "templates")
    assert "de" in i18n.languages(tmp_path / "locales") and "de" in renderer.langs
    assert renderer.macro("de", "log", "undo_none_title")() == "[de] Nothing to undo"
    assert renderer.macro("de", "log", "title")("image", 2, None) == "[de] %s images logged" % format_number(2, "de")
    assert renderer.data("de", "commands")["ia-log"]["summary"].startswith("[de] ")
    assert not renderer.translations("de").missing


@pytest.mark.parametrize("lang, expected", [
    ("fr", ("Équivalent\u00a0: recharges de téléphone", "Équivalent\u00a0: ampoule LED", "par génération\u00a0: texte court")),
    ("en", ("Equivalent: smartphone charges", "Equivalent: 10\u00a0W LED bulb", "per generation: short text")),
])
def test_a_header_reused_after_a_colon_is_lower_case(tmp_path: Path, lang: str, expected: tuple[str, ...]) -> None:
    """A column or row header quoted inside a sentence loses its capital (« Équivalent : recharges de téléphone »),
    an acronym keeps its own (LED)."""
    chat, renderer = Conversation(tmp_path, lang), Renderer()
    text = "\n".join([*view_report(chat, renderer, lang), *view_methodology(chat, renderer, lang)])
    for words in expected:
        assert words in text


def test_the_french_sources_titles_have_typographic_apostrophes() -> None:
    """The French titles in /ia-help methode's sources read « L’article à l’origine de Sobria », with ’ as French
    typography writes it; the addresses are untouched."""
    from bot.impact.model import ImpactModel
    from bot.impact.sources import _ALL
    from bot.impact.view import methodology_lines

    text = "\n".join(methodology_lines(Renderer(), "fr", ImpactModel()))
    for title in ("L’article à l’origine de Sobria", "Économies d’énergie", "Émissions moyennes d’une voiture"):
        assert title in text
    french = [s.title for s in _ALL if re.search(r"[àâçéèêîôûÉ]", s.title)]
    assert french and not [t for t in french if "'" in t]
