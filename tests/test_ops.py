"""What a host's probes and monitoring see: /healthz, /readyz, /metrics, and JSON log lines.

The real Slack adapter runs in HTTP mode on 127.0.0.1 against tests/fake_slack.py,
on a TinyDB store in a temporary folder; /metrics is read with prometheus-client's
own parser.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any, Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.ops import Readiness
from adapters.slack.app import SlackAdapter
from bot import metrics
from bot.core.coach import Coach
from bot.core.errors import StoreError
from bot.logs import JsonFormatter, formatter, use_format
from bot.store import open_store
from tests.fake_slack import FakeSlack, http_config, running, send_slash_command, slash_payload

BOT, SECRET = "xoxb-ops-test", "ops-signing-secret"


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers.get("Content-Type", "")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_user("U1", "Camille")
        yield server


def serve(tmp_path: Any, fake: FakeSlack, **sections: Any) -> Any:
    config = http_config(tmp_path / "data", fake, BOT, SECRET, **sections)
    store = open_store(config.data_dir)
    return running(SlackAdapter(Coach(config, store), config, env={})), store


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_health_readiness_and_metrics_answer_and_a_command_moves_its_counter(tmp_path, fake) -> None:
    context, store = serve(tmp_path, fake)
    with context as adapter:
        base = f"http://127.0.0.1:{adapter.bound_port}"
        assert get(base + "/healthz")[:2] == (200, "ok")
        assert get(base + "/readyz")[:2] == (200, "ready")
        status, text, kind = get(base + "/metrics")
        assert status == 200 and kind.startswith("text/plain")
        key = ("sobria_commands_total", (("command", "ia-log"), ("outcome", "ok")))
        before = samples(text).get(key, 0.0)
        acks_before = samples(text).get(("sobria_ack_seconds_count", (("platform", "slack"),)), 0.0)
        sent = send_slash_command(base + "/slack/events", SECRET,
                                  slash_payload("/ia-log", "image 2", user_id="U1", response_url=fake.new_response_url()))
        assert sent.status == 200
        after = samples(get(base + "/metrics")[1])
        assert after[key] == before + 1
        assert after[("sobria_ack_seconds_count", (("platform", "slack"),))] == acks_before + 1
        # a refused command is counted under its outcome, an unknown one under "unknown" (never the typed name)
        for text_typed in ("image 999999", ):
            send_slash_command(base + "/slack/events", SECRET,
                               slash_payload("/ia-log", text_typed, user_id="U1", response_url=fake.new_response_url()))
        after = samples(get(base + "/metrics")[1])
        assert after[("sobria_commands_total", (("command", "ia-log"), ("outcome", "usage_error")))] >= 1
    store.close()


def test_metrics_can_be_turned_off(tmp_path, fake) -> None:
    context, store = serve(tmp_path, fake, metrics={"enabled": False})
    with context as adapter:
        base = f"http://127.0.0.1:{adapter.bound_port}"
        assert get(base + "/metrics")[0] == 404
        assert get(base + "/healthz")[0] == 200
    store.close()


def test_readiness_names_what_is_not_reachable(tmp_path) -> None:
    class BrokenStore:
        def workspaces(self) -> list[str]:
            raise StoreError("the database did not answer")

    answers: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answers.append((status, headers))

    errors = metrics.value("sobria_store_errors_total", where="readyz")
    store = open_store(tmp_path / "data")
    body = b"".join(Readiness(BrokenStore(), lambda: True)({}, start_response))
    assert answers[-1][0].startswith("503") and body == b"not ready: store"
    assert metrics.value("sobria_store_errors_total", where="readyz") == errors + 1
    calls = []

    def slack_down() -> bool:
        calls.append(time.monotonic())
        raise OSError("unreachable")

    ready = Readiness(store, slack_down)
    assert b"".join(ready({}, start_response)) == b"not ready: platform"
    assert b"".join(ready({}, start_response)) == b"not ready: platform"
    assert len(calls) == 1  # the platform is asked at most every PLATFORM_CHECK_SECONDS, not at each probe
    assert b"".join(Readiness(store, lambda: True)({}, start_response)) == b"ready"
    store.close()


def test_scheduled_posts_are_counted_sent_or_skipped(tmp_path) -> None:
    from bot.scheduler import ALREADY, FAILED, POSTED, _count

    sent, skipped = (metrics.value("sobria_scheduled_posts_total", kind="weekly", result=r) for r in ("sent", "skipped"))
    _count("weekly", POSTED)
    _count("weekly", ALREADY)
    _count("weekly", "off")  # not due: no post, not counted
    _count("weekly", FAILED)
    assert metrics.value("sobria_scheduled_posts_total", kind="weekly", result="sent") == sent + 1
    assert metrics.value("sobria_scheduled_posts_total", kind="weekly", result="skipped") == skipped + 1
    assert metrics.value("sobria_scheduled_posts_total", kind="weekly", result="failed") >= 1


def test_json_logs_are_one_object_per_line_with_the_traceback() -> None:
    logger = logging.getLogger("sobria.test_ops")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logger.addHandler(handler)
    try:
        logger.warning("reply %r for %s could not be delivered", "logged", "U1")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("work failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(JsonFormatter().format(r)) for r in records)
    assert first["level"] == "WARNING" and first["logger"] == "sobria.test_ops"
    assert first["message"] == "reply 'logged' for U1 could not be delivered" and first["time"].endswith("+00:00")
    assert "exception" not in first and "ValueError: boom" in second["exception"]
    assert "\n" not in JsonFormatter().format(records[1])  # the traceback stays inside the one line
    assert isinstance(formatter("text"), logging.Formatter) and not isinstance(formatter("text"), JsonFormatter)


def test_log_format_json_switches_the_handlers() -> None:
    logger = logging.getLogger("sobria.test_ops.switch")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    try:
        use_format("json", logger)
        assert isinstance(handler.formatter, JsonFormatter)
        use_format("text", logger)
        assert not isinstance(handler.formatter, JsonFormatter)
    finally:
        logger.removeHandler(handler)
