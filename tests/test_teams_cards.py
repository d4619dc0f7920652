"""The Adaptive Card of a Reply: the engine's texts shown as written, buttons that name the coach action."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from adapters.teams.cards import MAX_INLINE_IMAGE_BYTES, card_json, escape, fit_png, pressed
from bot.core.reply import Attachment, Button, Fact, Reply


def test_markdown_and_mention_markup_are_escaped() -> None:
    assert escape("**a** _b_ [c](d) `e` <at>f</at>") == r"\*\*a\*\* \_b\_ \[c\]\(d\) \`e\` \<at\>f\</at\>"
    assert escape("- item\n1. first\n# title") == "\\- item\n\\1. first\n\\# title"
    assert escape("3,5 Wh ≈ 1 recharge") == "3,5 Wh ≈ 1 recharge"


def test_a_reply_becomes_a_card_with_facts_zone_footer_and_buttons() -> None:
    reply = Reply("logged", "Noté", ("ligne 1",), (Fact("Énergie", "≈ 6 Wh"),), zone="green",
                  zone_text="zone verte", buttons=(Button("undo", "Annuler", "ev1", "danger"),), footer="source")
    card = card_json(reply)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    kinds = [e["type"] for e in card["body"]]
    assert kinds == ["TextBlock", "TextBlock", "FactSet", "TextBlock", "TextBlock"]
    assert card["body"][3]["text"].startswith("🟢") or "zone verte" in card["body"][3]["text"]
    [action] = card["actions"]
    assert action == {"type": "Action.Submit", "title": "Annuler", "style": "destructive",
                      "data": {"sobria": "undo", "value": "ev1"}}
    assert pressed(action["data"]) == ("undo", "ev1")


def test_only_our_buttons_are_read_as_presses() -> None:
    assert pressed(None) is None
    assert pressed({"other": "x"}) is None
    assert pressed({"sobria": 3, "value": "x"}) is None
    assert pressed({"sobria": "details", "value": ["x"]}) is None
    assert pressed({"sobria": "details"}) == ("details", "")


def _noisy_png(size: tuple[int, int]) -> bytes:
    picture = Image.effect_noise(size, 80).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_a_large_chart_is_saved_with_fewer_colours_to_fit_a_teams_message() -> None:
    from bot.reports.chart import FONTS  # the chart's own font: anti-aliased text is what makes a chart heavy

    chart = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(chart)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 15)
    for row in range(30):
        draw.text((10, 5 + row * 20), "Générations comptées par semaine, novembre 2026 — 9–15 nov. " * 2,
                  fill=(40 + row * 5, 90, 160), font=font)
        draw.line((0, row * 20, 900, row * 20 + 7), fill=(200, 60 + row * 4, 60), width=2)
    out = io.BytesIO()
    chart.save(out, format="PNG")
    big = out.getvalue()
    assert len(big) > MAX_INLINE_IMAGE_BYTES
    fitted = fit_png(big)
    assert fitted is not None and len(fitted) <= MAX_INLINE_IMAGE_BYTES
    assert Image.open(io.BytesIO(fitted)).size == (900, 600)


def test_a_picture_that_cannot_fit_is_named_instead() -> None:
    noise = _noisy_png((900, 900))
    assert fit_png(noise) is None
    reply = Reply("summary", "Bilan", attachments=(Attachment("bilan.png", noise, "image/png"),
                                                    Attachment("export.json", b"{}", "application/json")))
    texts = [e.get("text") for e in card_json(reply)["body"]]
    assert "📎 bilan.png" in texts and "📎 export.json" in texts
