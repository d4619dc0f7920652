"""Issue 20, the recycling tip through Discord: the real discord.py client against the local Discord of
tests/fake_discord.py shows the tip line and its « J'ai réutilisé un visuel » button, and a press logs one avoided
image, confirmed in one line (the same through Slack: tests/test_tip_buttons_slack.py).
"""

from __future__ import annotations

from bot.store import AVOIDED
from test_discord_live import (  # noqa: F401  (fixtures)
    GUILD, MEMBER, Recording, _no_token_from_the_environment, ask, body, bot, embed, fake, is_ephemeral, recording,
)

NBSP, NNBSP = "\u00a0", "\u202f"
TIP = (f"Déjà 5 images cette semaine{NBSP}: un visuel existant pourrait-il resservir{NNBSP}? "
       f"Source{NBSP}: Imagisto 2026, «{NNBSP}Le recyclage de contenu{NNBSP}».")


def test_discord_shows_the_tip_and_its_button_logs_an_avoided_image(bot, fake, recording: Recording,
                                                                   store) -> None:
    ask(fake, "ia-log", {"kind": "image", "count": 5})
    sent, answer = ask(fake, "ia-log", {"kind": "image"})
    assert TIP in embed(answer)["description"].replace("\\", "")
    ids = [c["custom_id"] for row in body(answer)["components"] for c in row["components"]]
    labels = [c["label"] for row in body(answer)["components"] for c in row["components"]]
    assert ids[2:] == ["sobria:quick:avoid"] and labels[2:] == ["J’ai réutilisé un visuel"]

    pressed = fake.click("sobria:quick:avoid", fake.message_for(sent), user=MEMBER)
    clicked = fake.wait_answer(pressed)
    assert is_ephemeral(clicked)
    assert recording.last()[:3] == ("action", "quick", "avoid")
    assert embed(clicked)["title"] == f"Fait{NBSP}: 1 image évitée. Pour annuler{NBSP}: le bouton ou /ia-undo."
    events = store.member_events(GUILD, str(MEMBER.id))
    assert [(e.type, e.kind) for e in events][-1] == (AVOIDED, "image")
