"""The console front-end and the `sobria` command, run as a user would run them."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter, render_text
from bot.core.reply import Button, Fact, Reply

ROOT = Path(__file__).resolve().parent.parent


def sobria(*args: str, stdin: str = "", cwd: Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for secret in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        env.pop(secret, None)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


def test_piped_commands_print_one_reply_each_and_exit_0(tmp_path: Path) -> None:
    lines = "/ia-log image 2\n/ia-log text 3 Tu es juriste. Rédige une clause.\n/ia-stats week\n/ia-foo\n"
    out = sobria("run", "--data-dir", str(tmp_path / "d"), stdin=lines)
    assert out.returncode == 0, out.stderr
    replies = [r for r in out.stdout.strip().split("\n\n") if r.strip()]
    assert len(replies) == 4, out.stdout
    assert replies[0].startswith("2 images notées · 🟢 zone verte")
    assert "RCT" in replies[1] and "essai" in replies[1]
    assert "5 générations" in replies[2]
    assert "Commande inconnue" in replies[3] and "/ia-help" in replies[3]
    assert "Traceback" not in out.stderr


def test_data_persists_between_runs(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    sobria("run", "--data-dir", data, stdin="/ia-log image 4\n")
    out = sobria("run", "--data-dir", data, stdin="/ia-stats\n")
    assert "4 générations" in out.stdout


def test_help_documents_every_subcommand() -> None:
    out = sobria("--help")
    assert out.returncode == 0
    assert "run" in out.stdout and "demo" in out.stdout
    assert "--data-dir" in sobria("run", "--help").stdout


def test_demo_fills_eight_weeks_and_prints_stats_and_top(tmp_path: Path) -> None:
    out = sobria("demo", "--data-dir", str(tmp_path / "demo"))
    assert out.returncode == 0, out.stderr
    assert "/ia-stats month" in out.stdout and "/ia-top month" in out.stdout
    assert "Ce mois-ci" in out.stdout and "1. " in out.stdout
    again = sobria("run", "--data-dir", str(tmp_path / "demo"), stdin="/ia-top tout\n")
    assert "1. " in again.stdout and "Inès" not in again.stdout  # she opted out of leaderboards


def test_console_adapter_saves_exports_and_skips_comments(coach, config, tmp_path: Path) -> None:
    stdin = io.StringIO("# a comment\n\n/ia-log image\n/ia-me export\n")
    stdout = io.StringIO()
    ConsoleAdapter(coach, config, stdin=stdin, stdout=stdout, export_dir=tmp_path / "exports").run_forever()
    printed = stdout.getvalue().strip().split("\n\n")
    assert len(printed) == 2 and "📎" in printed[1]
    assert len(list((tmp_path / "exports").glob("*.json"))) == 1


def test_plain_text_rendering_strips_terminal_escapes() -> None:
    reply = Reply(kind="x", title="Titre \x1b[2J", lines=("ligne",), facts=(Fact("É", "1"),), zone="red",
                  zone_text="Zone rouge", buttons=(Button("undo", "Annuler"),))
    text = render_text(reply)
    assert "\x1b" not in text and text.startswith("Titre") and "• É : 1" in text
    assert "🔴 Zone rouge" in text and text.count("🔴") == 1  # the colour sits with the words about the zone
    assert "[Annuler]" not in text  # a terminal cannot press a button: /ia-undo does it


def test_sigterm_stops_a_running_bot_gracefully(tmp_path):
    """A deploy stops the bot with SIGTERM: the adapters stop and `sobria run` exits 0, as on Ctrl-C."""
    import signal
    import time

    from fake_slack import FakeSlack

    with FakeSlack(team_id="T0001") as fake:
        config = tmp_path / "sobria.toml"
        config.write_text(
            f'[store]\ndata_dir = "{tmp_path / "data"}"\n'
            f'[slack]\nmode = "http"\nhost = "127.0.0.1"\nport = 0\napi_url = "{fake.api_url}"\n'
            'bot_token = "xoxb-test"\nsigning_secret = "secret"\n', encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--config", str(config)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "SOBRIA_LOG_LEVEL": "INFO"})
        try:
            deadline = time.monotonic() + 20
            while not fake.calls_to("auth.test") and time.monotonic() < deadline:
                time.sleep(0.05)
            assert fake.calls_to("auth.test"), "the bot never reached Slack"
            time.sleep(0.5)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=15)
        finally:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopping" in err and "Traceback" not in err


# ---------------------------------------------------------------------------- exports: private, short-lived, readable

def test_an_export_file_is_private_and_forget_removes_it(coach, config, tmp_path: Path) -> None:
    """The file holds a member's data outside the store: 0600 whatever the umask, gone with the rest."""
    old = os.umask(0)
    try:
        stdout = io.StringIO()
        console = ConsoleAdapter(coach, config, stdin=io.StringIO("/ia-log image\n/ia-me export\n"), stdout=stdout)
        console.run_forever()
    finally:
        os.umask(old)
    exports = list((Path(config.data_dir) / "exports").glob("*.json"))
    assert len(exports) == 1 and str(exports[0]) in stdout.getvalue()
    assert stat.S_IMODE(exports[0].stat().st_mode) == 0o600
    exports[0].chmod(0o644)  # an older export, written before files were private, is made private again
    console.handle_line("/ia-me export")
    assert stat.S_IMODE(exports[0].stat().st_mode) == 0o600
    answer = console.handle_line("/ia-me forget confirm")
    assert answer and not exports[0].exists()


def test_an_export_gives_iso_times_in_the_workspace_time_zone(coach, say, clock) -> None:
    from datetime import datetime

    say("/ia-log image 2")
    clock.advance(3600)
    payload = json.loads(say("/ia-me export").attachments[0].content)
    exported = datetime.fromisoformat(payload["exported_at"])
    assert payload["exported_at"] == "2026-11-25T11:00:00+01:00" and exported.timestamp() == clock.now
    assert payload["time_zone"] == "Europe/Paris"
    (event,) = payload["events"]
    assert event["time"] == "2026-11-25T10:00:00+01:00" and "ts" not in event
    assert (event["kind"], event["count"]) == ("image", 2)


@pytest.mark.parametrize(("call", "code"), [("replace", errno.ENOSPC), ("fsync", errno.EROFS)],
                         ids=["disk-full", "read-only"])
def test_a_refused_write_prints_not_saved_and_leaves_the_store_as_it_was(coach, config, monkeypatch, call: str,
                                                                         code: int) -> None:
    from test_faults_slack import WriteFault, store_files

    data_dir = Path(config.data_dir)
    console = ConsoleAdapter(coach, config, stdin=io.StringIO("/ia-log image\n"), stdout=io.StringIO())
    console.run_forever()
    before = store_files(data_dir)
    fault = WriteFault(data_dir, call, code)
    fault.install(monkeypatch)
    stdout = io.StringIO()
    with fault.during():
        ConsoleAdapter(coach, config, stdin=io.StringIO("/ia-log video 2\n/ia-avoid image\n"),
                       stdout=stdout).run_forever()
    assert fault.hits >= 2
    not_saved = render_text(coach.notice("not_saved", "fr"))
    assert stdout.getvalue().strip().split("\n\n") == [not_saved, not_saved]
    assert store_files(data_dir) == before
    member = console.sender
    assert [e.kind for e in coach.store.member_events(member.workspace_id, member.user_id)] == ["image"]
