"""The renderer compiles each view once, however many threads ask for it first, and can compile them all ahead."""

from __future__ import annotations

import threading

from bot.core.render import TEMPLATES_DIR, Renderer

THREADS = 8  # the Slack adapter's server threads that a burst on a new process reaches at once


def _at_once(ask: object) -> list[object]:
    """What `ask()` returns in THREADS threads released together."""
    start = threading.Barrier(THREADS)
    got: list[object] = [None] * THREADS

    def run(i: int) -> None:
        start.wait()
        try:
            got[i] = ask()  # type: ignore[operator]
        except Exception as exc:  # the test's thread raises it
            got[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for value in got:
        if isinstance(value, Exception):
            raise value
    return got


def test_threads_asking_for_a_new_view_at_once_share_one_compilation() -> None:
    renderer = Renderer()
    templates = _at_once(lambda: renderer.template("fr", "impact.j2"))
    assert all(t is templates[0] for t in templates), "each thread compiled its own copy of the view"
    envs = _at_once(lambda: renderer.env("en"))
    assert all(e is envs[0] for e in envs)


def test_threads_asking_for_a_new_macro_at_once_all_get_it_worded() -> None:
    renderer = Renderer()
    macros = _at_once(lambda: renderer.macro("fr", "rct", "verdict"))
    assert {m("vague") for m in macros} == {"trop vague"}  # type: ignore[operator]
    module = renderer.template("fr", "rct.j2").module
    assert renderer.template("fr", "rct.j2").module is module
    assert renderer.macro("fr", "rct", "verdict") is renderer.macro("fr", "rct", "verdict")


def test_warm_compiles_every_chat_view_in_every_language() -> None:
    renderer = Renderer()
    renderer.warm()
    chat_views = {p.name for p in TEMPLATES_DIR.glob("*.j2") if not p.name.endswith(".html.j2")}
    assert len(chat_views) > 10
    for lang in renderer.langs:
        compiled = {t.name for t in renderer.env(lang).cache.values()}  # type: ignore[union-attr]
        assert compiled == chat_views, lang
