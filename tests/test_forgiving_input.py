"""What members type, read as they mean it, through the coach: counts in words, the tool before or after
the count, a question when a word could be a count or a prompt, and refusals that say what and why."""

from __future__ import annotations

from conftest import PARIS, text_of


def figures(store, key="all"):
    return store.counts("T1", PARIS, [key])[key]


def test_a_count_in_words_is_logged_as_that_count(say, store) -> None:
    reply = say("/ia-log image deux")
    assert reply.ok and reply.title.startswith("2 images")
    assert store.member_events("T1", "U1")[0].rct is None  # « deux » was not scored as a prompt
    assert say("/ia-log text twelve").ok
    assert figures(store)["U1"].generations == 14


def test_the_tool_after_the_count_and_before_it(say, store) -> None:
    reply = say("/ia-log texte chatgpt 3")
    assert reply.ok
    [event] = store.member_events("T1", "U1")
    assert (event.kind, event.count, event.tool, event.rct) == ("text", 3, "chatgpt", None)  # « 3 » is no prompt
    assert say("/ia-log image 4 midjourney Tu es graphiste. Crée un logo pour notre boulangerie.").ok
    event = next(e for e in store.member_events("T1", "U1") if e.tool == "midjourney")
    assert event.count == 4 and event.rct is not None
    assert figures(store)["U1"].generations == 7


def test_a_count_in_words_before_text_gets_a_one_line_question_and_nothing_is_logged(say, store) -> None:
    reply = say("/ia-log texte deux idées de slogan")
    assert not reply.ok and reply.data["error"] == "count_or_text"
    assert reply.title == "Un nombre ou le début de votre texte\u202f?"
    question = reply.lines[0]
    assert "\n" not in question
    assert "Pour 2, tapez /ia-log texte 2 idées de slogan" in question
    assert "tapez /ia-log texte -- deux idées de slogan." in question
    assert store.member_events("T1", "U1") == []


def test_a_refused_count_says_the_count_and_the_maximum(say, store) -> None:
    reply = say("/ia-log image 60")
    assert not reply.ok and reply.lines[0] == (
        "60 dépasse le maximum de 50 générations par commande\u00a0: notez-les en plusieurs fois si c’est bien le cas.")
    assert "60" in text_of(say("/ia-log image soixante"))
    assert store.member_events("T1", "U1") == []


def test_the_avoid_limit_says_what_was_refused_and_why(say, store) -> None:
    too_many = say("/ia-avoid image 11")
    assert not too_many.ok and too_many.kind == "avoid_limit"
    assert too_many.lines[0].startswith("11 dépasse le maximum de 10 générations évitées par jour")
    assert "déjà noté 0" not in text_of(too_many)
    assert say("/ia-avoid image 7").ok
    over = say("/ia-avoid image 4")
    assert over.lines[0].startswith("Vous avez déjà noté 7 générations évitées aujourd’hui. 4 de plus dépasseraient "
                                    "le maximum de 10 par jour")
    assert "vous pouvez encore en noter 3" in over.lines[0]
    assert say("/ia-avoid image 3").ok
    full = say("/ia-avoid image")
    assert full.title == "Limite du jour atteinte"
    assert full.lines[0].startswith("Vous avez déjà noté 10 générations évitées aujourd’hui, le maximum par jour")
    assert figures(store)["U1"].avoided == 10


def test_the_refusals_in_english(say, member, store) -> None:
    say("/ia-me lang en")
    assert say("/ia-avoid image 11").lines[0].startswith(
        "11 is more than the maximum of 10 avoided generations a day")
    assert say("/ia-log image 60").lines[0].startswith("60 is more than the maximum of 50 generations per command")
    question = say("/ia-log text three ideas for a slogan")
    assert question.title == "A number or the start of your text?"
    assert question.lines[0] == ('Is "three" the number of generations or the start of your text? For 3, type '
                                 "/ia-log text 3 ideas for a slogan; for text, type /ia-log text -- three ideas for a slogan.")


def test_the_new_replies_read_right(say) -> None:
    from test_wording import problems_of

    for lang in ("fr", "en"):
        say(f"/ia-me lang {lang}")
        for line in ("/ia-avoid image 11", "/ia-avoid image 9", "/ia-avoid image 2", "/ia-avoid image",
                     "/ia-log image 60", "/ia-log texte cinq slogans pour la boulangerie", "/ia-log image zéro"):
            text = text_of(say(line))
            assert not problems_of(lang, text), (lang, line, text)
