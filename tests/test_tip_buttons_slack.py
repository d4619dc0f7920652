"""Issue 20, the recycling tip through Slack: the real adapter (slack-bolt over HTTP) against the local Slack of
tests/fake_slack.py shows the tip line and its « J'ai réutilisé un visuel » button, and a press logs one avoided
image, confirmed in one line (the same through Discord: tests/test_tip_buttons_discord.py).
"""

from __future__ import annotations

from bot.store import AVOIDED, GENERATED
from fake_slack import block_action_payload, send_interaction

from test_slack_http import (  # noqa: F401  (fixtures)
    SECRET, TEAM, adapter, command, config, fake, header, reply_at, texts, url,
)

NBSP, NNBSP = "\u00a0", "\u202f"
TIP = (f"Déjà 5 images cette semaine{NBSP}: un visuel existant pourrait-il resservir{NNBSP}? "
       f"Source{NBSP}: Imagisto 2026, «{NNBSP}Le recyclage de contenu{NNBSP}».")


def actions_of(message: dict) -> list[dict]:
    return [e for block in message["blocks"] if block["type"] == "actions" for e in block["elements"]]


def test_slack_shows_the_tip_and_its_button_logs_an_avoided_image(url, fake, store) -> None:
    reply_at(fake, command(url, fake, "/ia-log", "image 5 midjourney")[1])
    message = reply_at(fake, command(url, fake, "/ia-log", "image")[1])
    assert any(TIP in t.splitlines() for t in texts(message))  # its own line
    buttons = actions_of(message)
    assert [(b["text"]["text"], b.get("value")) for b in buttons][2:] == [("J’ai réutilisé un visuel", "avoid")]
    assert len({b["action_id"] for b in buttons}) == len(buttons)

    response_url = fake.new_response_url()
    reused = next(b for b in buttons if b.get("value") == "avoid")
    sent = send_interaction(url, SECRET, block_action_payload(reused["action_id"], reused["value"], user_id="U1",
                                                              response_url=response_url))
    assert sent.status == 200
    answer = reply_at(fake, response_url)
    assert header(answer) == f"Fait{NBSP}: 1 image évitée. Pour annuler{NBSP}: le bouton ou /ia-undo."
    assert answer["response_type"] == "ephemeral"
    events = store.member_events(TEAM, "U1")
    assert [(e.type, e.kind, e.count) for e in events] == [(GENERATED, "image", 5), (GENERATED, "image", 1),
                                                           (AVOIDED, "image", 1)]
    again = reply_at(fake, command(url, fake, "/ia-log", "image")[1])
    assert not any(TIP in t for t in texts(again)) and all(b.get("value") != "avoid" for b in actions_of(again))  # once a week
