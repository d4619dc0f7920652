"""The one-click logging buttons: « +1 image », « +1 texte long », « J'ai évité une génération ».

They are engine data (`Button("quick", label, value)`), so every front-end that shows buttons shows them
where people already are: the weekly summary in the channel, the personal nudge, the Slack App Home. A
click comes back through `Coach.action("quick", value, sender)` and is answered by `bot.habits.quick`.
"""

from __future__ import annotations

from bot.core.render import Renderer
from bot.core.reply import Button

ACTION = "quick"
# value → (what is logged, its kind): one generation made, or one avoided. The avoided one is an image
# because the article's first remedy is recycling an existing visual instead of generating a new one.
QUICK: dict[str, tuple[str, str]] = {"image": ("gen", "image"), "doc": ("gen", "doc"), "avoid": ("avoid", "image")}


def quick_buttons(renderer: Renderer, lang: str) -> tuple[Button, ...]:
    """The three one-click buttons, labelled in `lang` (templates/habits.j2)."""
    label = renderer.macro(lang, "habits", "quick_button")
    return tuple(Button(ACTION, label(value), value, "primary" if value == "avoid" else "default") for value in QUICK)
