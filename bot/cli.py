"""The `sobria` command: run the bot, fill a demo, and the admin tools.

Every subcommand accepts --config FILE and --data-dir DIR (which overrides the
config's [store] data_dir), so that later commands can run on the demo data.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from bot.core.config import Config, load_config
from bot.core.errors import ConfigError, StoreCorrupt, StoreError

if TYPE_CHECKING:
    from bot.core.adapter import Adapter
    from bot.core.coach import Coach
    from bot.scheduler import SummaryScheduler

log = logging.getLogger("sobria")

EXIT_CONFIG, EXIT_STORE = 2, 3


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="TOML configuration file (default: ./sobria.toml if present)")
    p.add_argument("--data-dir", metavar="DIR", help="data directory, overriding [store] data_dir")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sobria",
        description="Sobria: a chat-bot coach for frugal use of generative AI (Slack, Discord, console).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="start the bot: the configured Slack/Discord adapters, else the console",
                         description="Start every configured front-end (Slack, Discord) in one process; with no chat "
                         "token configured, start the console: type /ia-help. When standard input is not a terminal, "
                         "one command per line is read until end of input.")
    _common(run)
    run.add_argument("--console", action="store_true", help="start the console even if chat tokens are configured")
    demo = sub.add_parser("demo", help="fill a data directory with 8 weeks of a 12-person team and show the figures",
                          description="Fill a data directory (a temporary one unless --data-dir is given) with eight "
                          "weeks of plausible activity for a 12-person team ending today, then print /ia-stats month "
                          "and /ia-top month. Run `sobria run --data-dir DIR` afterwards to explore it.")
    _common(demo)
    summary = sub.add_parser("summary", help="preview (or post) the weekly or monthly summary of a workspace",
                             description="Render a scheduled summary to the terminal, and the monthly chart to a "
                             "PNG file, without posting anything unless --post is given. By default the latest "
                             "complete week or month in the workspace's time zone.")
    _common(summary)
    summary.add_argument("kind", choices=("weekly", "monthly"))
    summary.add_argument("--workspace", metavar="ID", help="workspace id (default: the only one in the data)")
    summary.add_argument("--period", metavar="PERIOD", help="2026-11 (monthly) or 2026-W48 (weekly)")
    summary.add_argument("--chart", metavar="FILE", help="where to write the monthly chart (default: its file name "
                         "in the current folder)")
    summary.add_argument("--post", action="store_true", help="post it to the workspace's summary channel, unless "
                         "it was already posted")
    summary.add_argument("--again", action="store_true", help="with --post: post even if it was already posted")
    backup = sub.add_parser("backup", help="write a consistent backup of the data directory (safe while the bot runs)",
                            description="Copy every workspace, each under its writers' lock, into one tar.gz "
                            "(default folder: <data_dir>/backups).")
    _common(backup)
    backup.add_argument("--out", metavar="DIR", help="folder for the archive (default: <data_dir>/backups)")
    backup.add_argument("--keep", type=int, metavar="N", help="then delete all but the N newest backups there")
    restore = sub.add_parser("restore", help="replace the data by a backup (the current state is backed up first)")
    _common(restore)
    restore.add_argument("archive", help="a sobria-backup-*.tar.gz file")
    doctor = sub.add_parser("doctor", help="check every store file; optionally restore the last good backup",
                            description="Parse every file of the data directory and name each damaged file with "
                            "the line of the damage. With --restore-last, restore the newest backup that is intact.")
    _common(doctor)
    doctor.add_argument("--restore-last", action="store_true", help="restore the newest intact backup")
    migrate = sub.add_parser("migrate", help="create or update the PostgreSQL schema ([store] url); optionally copy "
                             "an embedded store into it",
                             description="Apply the schema migrations the database named by [store] url lacks. "
                             "With --from-tinydb DIR, then copy every workspace of that embedded data directory "
                             "(events, members, settings, summaries sent) and check that everything arrived. "
                             "Safe to run again: what is already there is kept.")
    _common(migrate)
    migrate.add_argument("--from-tinydb", metavar="DIR", help="embedded data directory to copy into PostgreSQL")
    report = sub.add_parser("report", help="write the CSR (RSE) report of a month, a quarter or a year, as HTML or CSV",
                            description="Write the report a manager attaches to a CSR file: the period's figures "
                            "(the same as the monthly summaries), the weekly zone chart, the trend, the teams and "
                            "the methodology with every factor and source. The HTML file is self-contained and "
                            "prints to A4 from a browser; the CSV has one row per week (and per team). "
                            "docs/report.md describes both.")
    _common(report)
    report.add_argument("--period", metavar="PERIOD", default="", help="2026-11 (a month), 2026-Q4 (a quarter) or "
                        "2026 (a year); default: the last complete month")
    report.add_argument("--workspace", metavar="ID", help="workspace id (default: the only one in the data)")
    report.add_argument("--format", choices=("html", "csv"), default="html", help="html (default) or csv")
    report.add_argument("--out", metavar="FILE", help="where to write it (default: its file name in the current folder)")
    report.add_argument("--lang", choices=("fr", "en"), help="language of the report (default: the workspace's)")
    report.add_argument("--title", metavar="NAME", help="company name on the cover (default: the workspace's name "
                        "setting, else its id)")
    return parser


def _config(args: argparse.Namespace) -> Config:
    cfg = load_config(args.config)
    if getattr(args, "data_dir", None):
        cfg = cfg.with_data_dir(args.data_dir)
    return cfg


def _coach(cfg: Config) -> "Coach":
    from bot.core.coach import Coach
    from bot.store import open_configured_store

    return Coach(cfg, open_configured_store(cfg))


def cmd_run(args: argparse.Namespace) -> int:
    cfg = _config(args)
    _refuse_damaged_store(cfg)
    coach = _coach(cfg)
    adapters = [] if args.console else _platform_adapters(coach, cfg)
    scheduler = _summary_scheduler(cfg, coach, adapters) if adapters else None
    if not adapters:
        from adapters.console import ConsoleAdapter

        console = ConsoleAdapter(coach, cfg)
        if sys.stdin.isatty():
            welcome = coach.notice("console_welcome", coach.lang_for(console.sender))
            print("\n".join((welcome.title, *welcome.lines)), flush=True)
        console.run_forever()
        return 0
    threads = []
    for adapter in adapters:
        t = threading.Thread(target=adapter.run_forever, name=type(adapter).__name__, daemon=True)
        t.start()
        threads.append(t)
    if scheduler is not None:
        scheduler.start()
    from bot.store.upkeep import start_upkeep

    upkeep = start_upkeep(coach.store, cfg)
    try:
        stopping = threading.Event()
        # a deploy or a container stop sends SIGTERM: shut down as gracefully as on Ctrl-C
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        while any(t.is_alive() for t in threads) and not stopping.wait(0.5):
            pass
        log.info("stopping")
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        if upkeep is not None:
            upkeep.shutdown(wait=False)
        if scheduler is not None:
            scheduler.stop()
        for adapter in adapters:
            adapter.stop()
        for t in threads:
            t.join(timeout=10)
    return 0


def _summary_scheduler(cfg: Config, coach: "Coach", adapters: list["Adapter"]) -> "SummaryScheduler":
    """Weekly and monthly summaries, posted through the running adapters. Built before any adapter
    starts, so that a wrong [schedule] section stops the bot before it connects anywhere."""
    from bot.scheduler import SummaryScheduler

    return SummaryScheduler(cfg, coach.store, adapters, impact=coach.impact, renderer=coach.r)


def _slack(coach: "Coach", cfg: Config) -> "Adapter | None":
    from adapters.slack import app

    return app.SlackAdapter(coach, cfg) if app.configured(cfg) else None


def _discord(coach: "Coach", cfg: Config) -> "Adapter | None":
    from adapters.discord import app

    return app.DiscordAdapter(coach, cfg) if app.configured(cfg) else None


# The chat front-ends, imported only when asked for (each platform library takes a while to load).
PLATFORMS = (_slack, _discord)


def _platform_adapters(coach: "Coach", cfg: Config) -> list["Adapter"]:
    """Every chat front-end whose tokens are configured (each adapter module says so itself)."""
    return [adapter for make in PLATFORMS if (adapter := make(coach, cfg)) is not None]


def cmd_demo(args: argparse.Namespace) -> int:
    from adapters.console import CONSOLE_WORKSPACE, render_text

    from bot.core import periods
    from bot.core.coach import Coach
    from bot.demo import TEAM, fill
    from bot.core.identity import Sender
    from bot.store import open_configured_store

    cfg = _config(args)
    if not args.data_dir:
        cfg = cfg.with_data_dir(tempfile.mkdtemp(prefix="sobria-demo-"))
    store = open_configured_store(cfg)
    coach = Coach(cfg, store)
    n = fill(store, CONSOLE_WORKSPACE, periods.zone(cfg.timezone), time.time())
    user, name, _ = TEAM[0]
    sender = Sender(CONSOLE_WORKSPACE, user, name, "console")
    print(f"{n} events written to {cfg.data_dir} (workspace '{CONSOLE_WORKSPACE}').\n")
    for command, text in (("ia-stats", "month"), ("ia-top", "month")):
        print(f"/{command} {text}")
        print(render_text(coach.handle(command, text, sender)))
        print()
    print(f"Explore it: sobria run --data-dir {cfg.data_dir}")
    return 0


def _pick_workspace(cfg: Config, store: Any, requested: str | None) -> str | None:
    """The workspace asked for, or the only one there is; None (and a hint on stderr) otherwise."""
    known = store.workspaces()
    workspace = requested or (known[0] if len(known) == 1 else None)
    if workspace not in known:
        listed = ", ".join(known) or "none yet"
        print(f"Choose a workspace with --workspace ID (workspaces in {cfg.data_dir}: {listed}).", file=sys.stderr)
        return None
    return workspace


def cmd_summary(args: argparse.Namespace) -> int:
    from adapters.console import render_text

    from bot.core import periods
    from bot.scheduler import MONTHLY, POSTED, SummaryScheduler, build_summary
    from bot.reports.summaries import last_complete, parse_period

    cfg = _config(args)
    coach = _coach(cfg)
    workspace = _pick_workspace(cfg, coach.store, args.workspace)
    if workspace is None:
        return EXIT_CONFIG
    scheduler = SummaryScheduler(cfg, coach.store, [], impact=coach.impact, renderer=coach.r)
    plan = scheduler.plan(workspace)
    try:
        period = (parse_period(args.kind, args.period, plan.tz) if args.period
                  else last_complete(args.kind, periods.local(time.time(), plan.tz).date(), plan.tz))
    except ValueError as exc:
        print(f"--period: {exc}.", file=sys.stderr)
        return EXIT_CONFIG
    reply = build_summary(args.kind, plan, period, coach.store, coach.impact, coach.r)
    print(render_text(reply))
    for attachment in reply.attachments:
        path = Path(args.chart or attachment.filename)
        path.write_bytes(attachment.content)
        print(f"\nChart written to {path}")
    if args.chart and args.kind != MONTHLY:
        print("Weekly summaries have no chart; --chart was ignored.", file=sys.stderr)
    if not args.post:
        return 0
    if plan.channel is None:
        print(f"Workspace {workspace} has no summary channel: /ia-settings summary_channel #channel sets one.",
              file=sys.stderr)
        return EXIT_CONFIG
    adapters = _platform_adapters(coach, cfg)
    with _running(adapters):
        scheduler.posters = adapters
        outcome = scheduler.publish(plan, args.kind, period, again=args.again, reply=reply)
    messages = {POSTED: f"Posted to {plan.channel}.", "already": "Already posted: nothing sent (--again to repost).",
                "not_ready": "No chat platform is connected: nothing sent.",
                "failed": "The platform refused the post; see the log above."}
    print(messages.get(outcome, outcome), file=sys.stdout if outcome == POSTED else sys.stderr)
    return 0 if outcome == POSTED else 1


class _running:
    """Run adapters in the background just long enough to post (waits for each to be connected)."""

    def __init__(self, adapters: list[Any], timeout: float = 30.0) -> None:
        self.adapters, self.timeout = adapters, timeout

    def __enter__(self) -> None:
        for adapter in self.adapters:
            threading.Thread(target=adapter.run_forever, name=type(adapter).__name__, daemon=True).start()
        for adapter in self.adapters:
            if not adapter.ready.wait(self.timeout):
                log.warning("%s did not connect within %.0f s", type(adapter).__name__, self.timeout)

    def __exit__(self, *exc: Any) -> None:
        for adapter in self.adapters:
            adapter.stop()


def cmd_report(args: argparse.Namespace) -> int:
    from bot.core import periods
    from bot.reports.report import build_report, parse_period

    cfg = _config(args)
    coach = _coach(cfg)
    workspace = _pick_workspace(cfg, coach.store, args.workspace)
    if workspace is None:
        return EXIT_CONFIG
    settings = coach.workspace_settings(workspace)
    try:
        period = parse_period(args.period, settings.tz, periods.local(time.time(), settings.tz).date())
    except ValueError as exc:
        print(f"--period: {exc}.", file=sys.stderr)
        return EXIT_CONFIG
    report = build_report(coach.store, coach.impact, coach.r, workspace, period, settings,
                          lang=args.lang or settings.lang, fmt=args.format, title=args.title or settings.name)
    path = Path(args.out or report.filename)
    path.write_bytes(report.content)
    print(f"Report of {period.key} for workspace {workspace} written to {path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.store.backup import backups_dir, prune, take_backup
    from bot.store import TinyStore

    cfg = _config(args)
    if _on_postgres(cfg):
        return EXIT_CONFIG
    store = TinyStore(cfg.data_dir)
    dest = Path(args.out) if args.out else backups_dir(cfg.data_dir)
    path = take_backup(store, dest)
    print(f"Backup written: {path}")
    if args.keep:
        for old in prune(dest, args.keep):
            print(f"Deleted old backup: {old}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.store.backup import restore
    from bot.store import TinyStore

    cfg = _config(args)
    if _on_postgres(cfg):
        return EXIT_CONFIG
    before = restore(TinyStore(cfg.data_dir), Path(args.archive))
    print(f"Restored {args.archive} into {cfg.data_dir}.")
    print(f"The state before the restore was saved in {before}.")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.store.backup import backups_dir, check, list_backups, restore
    from bot.core.errors import StoreError as _StoreError
    from bot.store import TinyStore

    cfg = _config(args)
    if _on_postgres(cfg):
        return EXIT_CONFIG
    problems = check(cfg.data_dir)
    for p in problems:
        print(f"DAMAGED {p.path}: {p.message}")
    if not problems:
        print(f"All store files in {cfg.data_dir} are readable.")
        return 0
    if not args.restore_last:
        print("Nothing was changed. Run `sobria doctor --restore-last` to restore the newest intact backup, "
              "or fix the file by hand.")
        return EXIT_STORE
    for archive in reversed(list_backups(backups_dir(cfg.data_dir))):
        try:
            before = restore(TinyStore(cfg.data_dir), archive)
        except _StoreError as exc:
            print(f"Skipping {archive}: {exc}")
            continue
        print(f"Restored {archive}; the damaged state was saved in {before}.")
        return 0 if not check(cfg.data_dir) else EXIT_STORE
    print(f"No intact backup found in {backups_dir(cfg.data_dir)}.")
    return EXIT_STORE


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.store import store_url
    from bot.store.copy_tinydb import copy_from_tinydb
    from bot.store.pg_schema import LATEST
    from bot.store.postgres_store import PostgresStore

    cfg = _config(args)
    url = store_url(cfg)
    if url is None:
        raise ConfigError("store.url", 'a PostgreSQL URL such as "postgresql://sobria@db.example/sobria" '
                          "(migrate works on PostgreSQL only)", None, cfg.source)
    store = PostgresStore(url, migrate=False)
    try:
        applied = store.migrate()
        done = f"applied migration(s) {', '.join(map(str, applied))}" if applied else "already up to date"
        print(f"Schema version {LATEST} on {store.where}: {done}.")
        if not args.from_tinydb:
            return 0

        def progress(r: Any) -> None:
            status = "ok" if r.ok else "MISSING DATA"
            print(f"  {r.workspace}: {r.events} events ({r.inserted} new), {r.members} members, "
                  f"{r.settings} settings, {r.summaries} summaries sent: {status}", flush=True)

        print(f"Copying {args.from_tinydb} into {store.where}:")
        reports = copy_from_tinydb(args.from_tinydb, store, progress=progress)
        store.analyze()
        bad = [r for r in reports if not r.ok]
        for r in bad:
            print(f"  {r.workspace}: {len(r.missing)} event(s) missing (e.g. {', '.join(r.missing[:5]) or '-'}); "
                  f"differences: {', '.join(r.mismatches[:5]) or '-'}", file=sys.stderr)
        total = sum(r.events for r in reports)
        if bad:
            print(f"Copy incomplete in {len(bad)} workspace(s); the embedded store was not changed.", file=sys.stderr)
            return EXIT_STORE
        print(f"Copied and checked {len(reports)} workspace(s), {total} events. "
              'Set [store] url in the configuration to run on PostgreSQL.')
        return 0
    finally:
        store.close()


def _on_postgres(cfg: Config) -> bool:
    """Backups, restores and checks are for the embedded store; say what to use instead."""
    from bot.store import store_url

    if store_url(cfg):
        print("This configuration uses PostgreSQL ([store] url): back it up and restore it with pg_dump and "
              "pg_restore (see docs/postgresql.md).", file=sys.stderr)
        return True
    return False


def _refuse_damaged_store(cfg: Config) -> None:
    """Start-up check: a damaged file stops the bot with its name, never a silent reset."""
    from bot.store.backup import check
    from bot.store import store_url

    if store_url(cfg):
        return  # PostgreSQL checks its own data
    problems = check(cfg.data_dir)
    if problems:
        first = problems[0]
        raise StoreCorrupt(f"{first.message} ({len(problems)} damaged file(s); `sobria doctor` lists them "
                           "and can restore the last good backup)", str(first.path))


def main(argv: Sequence[str] | None = None) -> int:
    # The bot's own messages (connected, summary posted, reply not delivered) at INFO; libraries at WARNING.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    level = os.environ.get("SOBRIA_LOG_LEVEL", "INFO").upper()
    for name in ("bot", "adapters", "sobria"):
        logging.getLogger(name).setLevel(level)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    handlers = {"run": cmd_run, "demo": cmd_demo, "backup": cmd_backup, "restore": cmd_restore, "doctor": cmd_doctor,
                "summary": cmd_summary, "report": cmd_report,
                "migrate": cmd_migrate}
    try:
        return handlers[args.command](args)
    except ConfigError as exc:
        print(f"Configuration error: {exc}.", file=sys.stderr)
        print("See config.example.toml for every key with its default.", file=sys.stderr)
        return EXIT_CONFIG
    except StoreCorrupt as exc:
        print(f"Data error: {exc}.", file=sys.stderr)
        print("Nothing was changed. `sobria doctor` checks every file and can restore the last good backup "
              "(`sobria doctor --restore-last`); or fix the file by hand.", file=sys.stderr)
        return EXIT_STORE
    except StoreError as exc:
        print(f"Storage error: {exc}.", file=sys.stderr)
        return EXIT_STORE


if __name__ == "__main__":
    sys.exit(main())
