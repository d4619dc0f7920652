"""Reply → Block Kit: escaping of every text, the mapping of each Reply field, Slack's size limits."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack import blocks as sb
from bot.core.reply import Attachment, Button, Fact, RctPart, RctView, Reply

HOSTILE = "<!channel> <@U123> <!here|here> & <https://evil.example|clic> >"


def _rct(**kw) -> RctView:
    base = dict(
        score=35,
        band="vague",
        verdict="Prompt vague",
        parts=(
            RctPart("role", "Rôle", True),
            RctPart("context", "Contexte", False, "Dites pour qui et pourquoi."),
            RctPart("task", "Tâche", True, "Précisez le livrable."),
            RctPart("format", "Format", False, "Bonus : la longueur attendue.", optional=True),
        ),
        rewrite="Tu es … Pour … Rédige …",
        notes=("Noté sur les 4 000 premiers caractères.",),
        summary="Score RCT : 35/100 (Prompt vague)",
    )
    base.update(kw)
    return RctView(**base)


def _logged(**kw) -> Reply:
    base = dict(
        kind="logged",
        title="4 images notées (midjourney)",
        lines=("≈ 12 Wh, comme 1 h de LED.",),
        facts=(Fact("Énergie", "≈ 12 Wh"), Fact("CO₂e", "≈ 0,6 g")),
        zone="orange",
        zone_text="Zone orange : 34 générations cette semaine.",
        rct=_rct(),
        buttons=(Button("undo", "Annuler", "ev1", "danger"), Button("improve", "Améliorer mon prompt", "ev1", "primary")),
        footer="Facteurs 2025, mix France.",
    )
    base.update(kw)
    return Reply(**base)


def test_escape_and_unescape_are_inverse_and_cover_the_three_characters():
    assert sb.escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert sb.escape("&lt;") == "&amp;lt;"  # already-looking entities are escaped too: shown as typed
    assert sb.unescape("&lt;!channel&gt; &amp;lt;") == "<!channel> &lt;"
    assert sb.unescape("caf&eacute;") == "caf&eacute;"  # only Slack's three entities are decoded


@given(st.text())
def test_escape_round_trip_and_no_raw_markup(text):
    escaped = sb.escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert sb.unescape(escaped) == text


@given(st.text(min_size=0, max_size=400), st.integers(min_value=5, max_value=200))
def test_fit_never_exceeds_limit_nor_splits_an_entity(text, limit):
    out = sb.fit(text, limit)
    assert len(out) <= limit
    assert "<" not in out and ">" not in out
    body = out[:-1] if out.endswith(sb.ELLIPSIS) and len(sb.escape(text)) > limit else out
    # every '&' starts a whole entity: nothing was cut in the middle of one
    assert body.count("&") == body.count("&amp;") + body.count("&lt;") + body.count("&gt;")


def test_a_logged_reply_maps_every_field():
    payload = sb.message(_logged())
    blocks = payload["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "4 images notées (midjourney)",
                                                    "emoji": True}}
    texts = sb.all_texts(blocks)
    assert "≈ 12 Wh, comme 1 h de LED." in texts
    fields = [f["text"] for b in blocks if b["type"] == "section" and "fields" in b for f in b["fields"]]
    assert fields == ["*Énergie*\n≈ 12 Wh", "*CO₂e*\n≈ 0,6 g"]
    assert "🟠 Zone orange : 34 générations cette semaine." in texts
    assert "*Score RCT : 35/100 (Prompt vague)*" in texts  # the engine's one score line, as is
    parts = next(t for t in texts if t.startswith("✅ Rôle"))
    assert parts.splitlines() == [
        "✅ Rôle",
        "❌ Contexte — Dites pour qui et pourquoi.",
        "✅ Tâche — Précisez le livrable.",
        "❌ Format — Bonus : la longueur attendue.",
    ]
    assert "Tu es … Pour … Rédige …" in texts
    actions = next(b for b in blocks if b["type"] == "actions")
    assert [(e["action_id"], e["value"], e.get("style")) for e in actions["elements"]] == [
        ("sobria:undo", "ev1", "danger"), ("sobria:improve", "ev1", "primary")]
    assert [e["text"]["text"] for e in actions["elements"]] == ["Annuler", "Améliorer mon prompt"]
    assert blocks[-1] == {"type": "context", "elements": [{"type": "plain_text", "text": "Facteurs 2025, mix France.",
                                                            "emoji": True}]}
    assert payload["text"] == "4 images notées (midjourney) — ≈ 12 Wh, comme 1 h de LED."


def test_zone_colours():
    for zone, emoji in (("green", "🟢"), ("orange", "🟠"), ("red", "🔴")):
        assert Reply(kind="x", title="t", zone=zone, zone_text="z").zone_line() == f"{emoji} z"
    assert Reply(kind="x", title="t").zone_line() == ""
    assert Reply(kind="x", title="t", zone="red").zone_line() == ""  # a colour only with the words about the zone


def test_a_score_line_is_shown_once():
    """/ia-score's title is its score line: the advice below it carries none (issue 16)."""
    texts = sb.all_texts(sb.message(Reply(kind="score", title="Score RCT : 35/100 (Prompt vague)", rct=_rct(summary=""))))
    assert sum("35/100" in t for t in texts) == 2  # the header and the notification text, nothing else


def test_every_text_of_a_hostile_reply_is_escaped():
    reply = _logged(
        title=f"Titre {HOSTILE}",
        lines=(f"Prompt : {HOSTILE}",),
        facts=(Fact(HOSTILE, HOSTILE),),
        zone_text=HOSTILE,
        rct=_rct(verdict=HOSTILE, rewrite=HOSTILE, notes=(HOSTILE,),
                 parts=(RctPart("role", HOSTILE, False, HOSTILE),)),
        buttons=(Button("undo", HOSTILE, "ev1"),),
        footer=HOSTILE,
    )
    for payload in (sb.message(reply), sb.home_view(reply, notice=reply)):
        texts = sb.all_texts(payload)
        assert texts, payload
        for text in texts:
            assert "<" not in text and ">" not in text, text
        dumped = json.dumps(payload, ensure_ascii=False)
        assert "<!channel>" not in dumped and "<@U123>" not in dumped and "<!here" not in dumped
        assert "&lt;!channel&gt;" in dumped


def test_mrkdwn_objects_are_verbatim_so_slack_links_nothing_by_itself():
    payload = sb.message(_logged())
    mrkdwn = [o for o in _objects(payload) if o.get("type") == "mrkdwn"]
    assert mrkdwn and all(o["verbatim"] is True for o in mrkdwn)


def test_repeated_actions_get_unique_ids_that_still_parse():
    buttons = tuple(Button("pref", f"b{i}", f"v{i}") for i in range(3))
    block = next(b for b in sb.message(Reply(kind="home", title="t", buttons=buttons))["blocks"] if b["type"] == "actions")
    ids = [e["action_id"] for e in block["elements"]]
    assert ids == ["sobria:pref", "sobria:pref.2", "sobria:pref.3"]
    assert {sb.parse_action_id(i) for i in ids} == {"pref"}
    assert sb.parse_action_id("other:pref") is None
    assert sb.parse_action_id("sobria:") is None


def test_default_style_and_empty_value_are_omitted():
    block = sb.message(Reply(kind="x", title="t", buttons=(Button("undo", "Annuler"),)))["blocks"][-1]
    assert block["elements"][0] == {"type": "button", "action_id": "sobria:undo",
                                    "text": {"type": "plain_text", "text": "Annuler", "emoji": True}}


def test_block_kit_limits_hold_for_huge_replies():
    long = "x<" * 5000
    reply = Reply(
        kind="help",
        title=long,
        lines=tuple(f"ligne {i} {long[:300]}" for i in range(200)),
        facts=tuple(Fact(f"l{i}", long) for i in range(25)),
        buttons=tuple(Button("pref", long, long) for i in range(30)),
        footer=long,
    )
    payload = sb.message(reply)
    blocks = payload["blocks"]
    assert len(blocks) <= sb.MESSAGE_BLOCKS_MAX
    assert blocks[-1]["type"] == "context" and any(b["type"] == "actions" for b in blocks)  # never cut
    assert len(blocks[0]["text"]["text"]) <= sb.HEADER_MAX
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= sb.TEXT_MAX
            assert len(block.get("fields", [])) <= sb.FIELDS_PER_SECTION
            assert all(len(f["text"]) <= sb.FIELD_MAX for f in block.get("fields", []))
        if block["type"] == "actions":
            assert len(block["elements"]) <= sb.BUTTONS_PER_BLOCK
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= sb.BUTTON_TEXT_MAX
                assert len(element["value"]) <= sb.BUTTON_VALUE_MAX
    assert len(payload["text"]) <= sb.FALLBACK_MAX
    assert len(sb.home_view(reply, notice=reply)["blocks"]) <= sb.HOME_BLOCKS_MAX


def test_lines_split_into_several_sections_rather_than_cut():
    lines = tuple("é" * 1000 for _ in range(7))
    sections = [b for b in sb.message(Reply(kind="x", title="t", lines=lines))["blocks"] if b["type"] == "section"]
    assert len(sections) >= 3
    assert "".join(s["text"]["text"].replace("\n", "") for s in sections) == "é" * 7000


def test_home_view_puts_the_notice_first():
    home = Reply(kind="home", title="Bonjour Camille", facts=(Fact("Semaine", "3 générations"),),
                 buttons=(Button("pref", "Activer les rappels", "nudges on"),))
    notice = Reply(kind="pref", title="Rappels activés")
    view = sb.home_view(home, notice)
    assert view["type"] == "home"
    kinds = [b["type"] for b in view["blocks"]]
    assert kinds[:2] == ["header", "divider"] and kinds[2] == "header"
    assert view["blocks"][0]["text"]["text"] == "Rappels activés"
    assert sb.home_view(home)["blocks"][0]["text"]["text"] == "Bonjour Camille"


def test_attachments_are_not_blocks():
    reply = Reply(kind="export", title="Export", attachments=(Attachment("a.json", b"{}", "application/json"),))
    assert [b["type"] for b in sb.message(reply)["blocks"]] == ["header"]


def _objects(payload):
    if isinstance(payload, dict):
        yield payload
        for value in payload.values():
            yield from _objects(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from _objects(item)
