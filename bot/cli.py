"""The `sobria` command: run the bot, fill a demo, and the admin tools.

Every subcommand accepts --config FILE and --data-dir DIR (which overrides the
config's [store] data_dir), so that later commands can run on the demo data.

Everything it prints, its help and argparse's own words included, comes from
`templates/cli.j2` in the configured language (`[bot] lang`), so a French
install never answers in English. A failure a user can fix (a bad path, a
permission, a full disk, a damaged archive) is one sentence on stderr saying
what to do; a traceback only ever goes to the log, at DEBUG level.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import shutil
import signal
import sys
import tarfile
import tempfile
import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from bot import logs
from bot.core.config import Config, load_config
from bot.core.errors import ConfigError, StoreCorrupt, StoreError

if TYPE_CHECKING:
    from bot.core.adapter import Adapter
    from bot.core.coach import Coach
    from bot.scheduler import SummaryScheduler

log = logging.getLogger("sobria")

EXIT_CONFIG, EXIT_STORE = 2, 3


class Words:
    """The command line's words in one language: `templates/cli.j2` through the catalogues."""

    def __init__(self, lang: str) -> None:
        from bot.core.render import Renderer

        renderer = Renderer()
        self.lang = lang
        self._help = renderer.macro(lang, "cli", "help")
        self._say = renderer.macro(lang, "cli", "say")
        self._argparse = renderer.macro(lang, "cli", "argparse")

    def help(self, key: str) -> str:
        """A help text or a metavar."""
        return self._help(key)

    def say(self, key: str, **values: Any) -> str:
        """A message, its values given by name."""
        return self._say(key, values)

    def argparse_text(self, msgid: str) -> str:
        """argparse's own words (usage, titles, errors); the macro strips, argparse needs the edges kept."""
        text = self._argparse(msgid)
        tail = msgid[len(msgid.rstrip()):]
        return text + tail


def _lang_of(argv: Sequence[str]) -> str:
    """The language of the configuration named by --config (or ./sobria.toml), read before the parser is built
    so that its help is in that language; a configuration that cannot be read leaves the default."""
    from bot.core.i18n import DEFAULT_LANG

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    try:
        known, _ = pre.parse_known_args(list(argv))
        return load_config(known.config).lang
    except (Exception, SystemExit):
        return DEFAULT_LANG


@contextmanager
def _argparse_speaks(w: Words) -> Iterator[None]:
    """argparse asks gettext for its words through module-level names: lend it ours while parsing."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = w.argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: w.argparse_text(one if n == 1 else many)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


_HEADING = re.compile(r"^(\S[^\n]*):$", re.MULTILINE)


def _formatter(w: Words) -> type[argparse.HelpFormatter]:
    """argparse adds the colon after a section title itself: let the language space it (« options : »)."""

    class Formatter(argparse.HelpFormatter):
        def format_help(self) -> str:
            return _HEADING.sub(lambda m: w.argparse_text("%(heading)s:") % {"heading": m.group(1)},
                                super().format_help())

    return Formatter


def _common(p: argparse.ArgumentParser, w: Words) -> None:
    p.add_argument("--config", metavar=w.help("FILE"), help=w.help("config"))
    p.add_argument("--data-dir", metavar=w.help("DIR"), help=w.help("data_dir"))


def build_parser(w: Words | None = None) -> argparse.ArgumentParser:
    """The parser, worded in `w`'s language (built inside `_argparse_speaks` for argparse's own titles)."""
    from bot.core import i18n

    w = w or Words(_lang_of([]))
    h = w.help
    fmt = _formatter(w)
    parser = argparse.ArgumentParser(prog="sobria", description=h("description"), formatter_class=fmt)
    sub = parser.add_subparsers(dest="command", metavar=h("COMMAND"))
    run = sub.add_parser("run", help=h("run"), description=h("run_desc"), formatter_class=fmt)
    _common(run, w)
    run.add_argument("--console", action="store_true", help=h("run_console"))
    demo = sub.add_parser("demo", help=h("demo"), description=h("demo_desc"), formatter_class=fmt)
    _common(demo, w)
    demo.add_argument("--replace", action="store_true", help=h("demo_replace"))
    summary = sub.add_parser("summary", help=h("summary"), description=h("summary_desc"), formatter_class=fmt)
    _common(summary, w)
    summary.add_argument("kind", choices=("weekly", "monthly"), help=h("summary_kind"))
    summary.add_argument("--workspace", metavar=h("ID"), help=h("workspace"))
    summary.add_argument("--period", metavar=h("PERIOD"), help=h("summary_period"))
    summary.add_argument("--chart", metavar=h("FILE"), help=h("summary_chart"))
    summary.add_argument("--post", action="store_true", help=h("summary_post"))
    summary.add_argument("--again", action="store_true", help=h("summary_again"))
    backup = sub.add_parser("backup", help=h("backup"), description=h("backup_desc"), formatter_class=fmt)
    _common(backup, w)
    backup.add_argument("--out", metavar=h("DIR"), help=h("backup_out"))
    backup.add_argument("--keep", type=int, metavar=h("N"), help=h("backup_keep"))
    restore = sub.add_parser("restore", help=h("restore"), description=h("restore_desc"), formatter_class=fmt)
    _common(restore, w)
    restore.add_argument("archive", help=h("restore_archive"))
    doctor = sub.add_parser("doctor", help=h("doctor"), description=h("doctor_desc"), formatter_class=fmt)
    _common(doctor, w)
    doctor.add_argument("--restore-last", action="store_true", help=h("doctor_restore_last"))
    migrate = sub.add_parser("migrate", help=h("migrate"), description=h("migrate_desc"), formatter_class=fmt)
    _common(migrate, w)
    migrate.add_argument("--from-tinydb", metavar=h("DIR"), help=h("migrate_from"))
    report = sub.add_parser("report", help=h("report"), description=h("report_desc"), formatter_class=fmt)
    _common(report, w)
    report.add_argument("--period", metavar=h("PERIOD"), default="", help=h("report_period"))
    report.add_argument("--workspace", metavar=h("ID"), help=h("workspace"))
    report.add_argument("--format", choices=("html", "csv"), default="html", help=h("report_format"))
    report.add_argument("--out", metavar=h("FILE"), help=h("report_out"))
    report.add_argument("--lang", choices=i18n.languages(), help=h("report_lang"))
    report.add_argument("--title", metavar=h("NAME"), help=h("report_title"))
    teams = sub.add_parser("teams-package", help=h("teams_package"), description=h("teams_package_desc"),
                           formatter_class=fmt)
    _common(teams, w)
    teams.add_argument("--out", metavar=h("FILE"), default="sobria-teams.zip", help=h("teams_out"))
    teams.add_argument("--website", metavar=h("URL"), required=True, help=h("teams_website"))
    teams.add_argument("--privacy", metavar=h("URL"), help=h("teams_privacy"))
    teams.add_argument("--terms", metavar=h("URL"), help=h("teams_terms"))
    return parser


def _say(w: Words, key: str, err: bool = False, **values: Any) -> None:
    """Print one message of templates/cli.j2 (to stderr for what went wrong)."""
    print(w.say(key, **values), file=sys.stderr if err else sys.stdout, flush=True)


def _config(args: argparse.Namespace) -> Config:
    cfg = load_config(args.config)
    if getattr(args, "data_dir", None):
        cfg = cfg.with_data_dir(args.data_dir)
    return cfg


def _coach(cfg: Config) -> "Coach":
    from bot.core.coach import Coach
    from bot.store import open_configured_store

    return Coach(cfg, open_configured_store(cfg))


# The collector's third generation runs a full collection after this many second-generation ones (CPython's
# default: 10). The store keeps period totals in memory, tens of thousands of small objects a full
# collection walks each time: at 100,000 events, /ia-log's p99 went from 15.3 to 12.0 ms with 1,000
# (benchmarks/engine_latency.py's serving loop, 400 rounds, 2 December 2026); the p50 did not move.
FULL_COLLECTION_EVERY = 1000


def tune_collector() -> None:
    """Make full garbage collections rare in a serving process (see FULL_COLLECTION_EVERY)."""
    import gc

    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, FULL_COLLECTION_EVERY)


def cmd_run(args: argparse.Namespace) -> int:
    cfg = _config(args)
    tune_collector()
    logs.use_format(cfg.log.format)  # [log] format: text, or one JSON object per line
    _refuse_damaged_store(cfg)
    coach = _coach(cfg)
    adapters = [] if args.console else _platform_adapters(coach, cfg)
    scheduler = _summary_scheduler(cfg, coach, adapters) if adapters else None
    from bot.store.exports import remove_old_exports
    from bot.store.upkeep import start_upkeep

    if not adapters:
        from adapters.console import ConsoleAdapter

        restore_log = _log_to_file(cfg)  # the terminal is the member's: warnings go to the log, replies to it
        remove_old_exports(cfg.data_dir)
        upkeep = start_upkeep(coach.store, cfg)
        try:
            console = ConsoleAdapter(coach, cfg)
            if sys.stdin.isatty():
                welcome = coach.notice("console_welcome", coach.lang_for(console.sender))
                print("\n".join((welcome.title, *welcome.lines)), flush=True)
            console.run_forever()
        finally:
            if upkeep is not None:
                upkeep.shutdown(wait=False)
            restore_log()
        return 0
    # the views compile while the front-ends connect, so the first members are not kept waiting (Renderer.warm)
    threading.Thread(target=coach.r.warm, name="sobria-templates", daemon=True).start()
    threads = []
    for adapter in adapters:
        t = threading.Thread(target=adapter.run_forever, name=type(adapter).__name__, daemon=True)
        t.start()
        threads.append(t)
    if scheduler is not None:
        scheduler.start()
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
        _stop_all(adapters, threads)
    return 0


DRAIN_S = 20.0  # the longest a stop waits for the front-ends to finish what they accepted


def _stop_all(adapters: list[Any], threads: list[threading.Thread]) -> None:
    """Stop every front-end at once: each stops taking requests, then finishes those it has stored (their
    replies, the App Homes due) within its own bound; the process exits after DRAIN_S at most in all."""
    stoppers = [threading.Thread(target=adapter.stop, name=f"stop-{type(adapter).__name__}", daemon=True)
                for adapter in adapters]
    for stopper in stoppers:
        stopper.start()
    deadline = time.monotonic() + DRAIN_S
    for t in stoppers + threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))


def _log_to_file(cfg: Config) -> Callable[[], None]:
    """Send the log to <data_dir>/logs/sobria.log (else a file in the temporary folder, else nowhere): in
    the console the screen shows replies only. Returns what puts the previous log handlers back."""
    root = logging.getLogger()
    handler: logging.Handler = logging.NullHandler()
    for folder, name in ((Path(cfg.data_dir) / "logs", "sobria.log"),
                         (Path(tempfile.gettempdir()), f"sobria-{os.getuid()}.log")):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(folder / name, encoding="utf-8")
            break
        except OSError:
            continue
    handler.setFormatter(logs.formatter(cfg.log.format))
    before = list(root.handlers)
    for old in before:
        root.removeHandler(old)
    root.addHandler(handler)

    def restore() -> None:
        root.removeHandler(handler)
        handler.close()
        for old in before:
            root.addHandler(old)

    return restore


def _summary_scheduler(cfg: Config, coach: "Coach", adapters: list["Adapter"]) -> "SummaryScheduler":
    """Weekly and monthly summaries, posted through the running adapters. Built before any adapter
    starts, so that a wrong [schedule] section stops the bot before it connects anywhere."""
    from bot.scheduler import SummaryScheduler

    return SummaryScheduler(cfg, coach.store, adapters, impact=coach.impact, renderer=coach.r)


def _slack(coach: "Coach", cfg: Config) -> "Adapter | None":
    from adapters.slack import app

    if not app.configured(cfg):
        return None
    if app.read_settings(cfg).distributed:  # many workspaces install it ("Add to Slack"): docs/hosting.md
        from adapters.slack.distribution import DistributedSlackAdapter

        return DistributedSlackAdapter(coach, cfg)
    return app.SlackAdapter(coach, cfg)


def _discord(coach: "Coach", cfg: Config) -> "Adapter | None":
    from adapters.discord import app

    return app.DiscordAdapter(coach, cfg) if app.configured(cfg) else None


def _teams(coach: "Coach", cfg: Config) -> "Adapter | None":
    from adapters.teams import app

    return app.TeamsAdapter(coach, cfg) if app.configured(cfg) else None


# The chat front-ends, imported only when asked for (each platform library takes a while to load).
PLATFORMS = (_slack, _discord, _teams)


def _platform_adapters(coach: "Coach", cfg: Config) -> list["Adapter"]:
    """Every chat front-end whose tokens are configured (each adapter module says so itself)."""
    return [adapter for make in PLATFORMS if (adapter := make(coach, cfg)) is not None]


# What a Sobria data directory may hold at its top (demo --replace touches no other folder).
DATA_ENTRIES = frozenset({"workspaces", "backups", "exports", "logs"})


def cmd_demo(args: argparse.Namespace) -> int:
    from adapters.console import CONSOLE_WORKSPACE, render_text

    from bot.core import periods
    from bot.core.coach import Coach
    from bot.demo import TEAM, fill
    from bot.core.identity import Sender
    from bot.store import open_configured_store

    w: Words = args.w
    cfg = _config(args)
    if not args.data_dir:
        cfg = cfg.with_data_dir(tempfile.mkdtemp(prefix="sobria-demo-"))
    elif not _ready_for_demo(w, Path(cfg.data_dir), CONSOLE_WORKSPACE, args.replace):
        return EXIT_CONFIG
    store = open_configured_store(cfg)
    coach = Coach(cfg, store)
    n = fill(store, CONSOLE_WORKSPACE, periods.zone(cfg.timezone), time.time())
    user, name, _ = TEAM[0]
    sender = Sender(CONSOLE_WORKSPACE, user, name, "console")
    _say(w, "demo_written", n=n, dir=cfg.data_dir, workspace=CONSOLE_WORKSPACE)
    print()
    for command, text in (("ia-stats", "month"), ("ia-top", "month")):
        print(f"/{command} {text}")
        print(render_text(coach.handle(command, text, sender)))
        print()
    _say(w, "demo_explore", command=f"{_myself()} run --data-dir {cfg.data_dir}")
    return 0


def _ready_for_demo(w: Words, folder: Path, workspace: str, replace: bool) -> bool:
    """An empty (or absent) folder takes the demo; one holding a previous demo only with --replace, which
    removes that demo first, so that a second demo never doubles the data. Anything else is left alone."""
    from bot.store.tinydb_store import workspace_dirname

    if not folder.exists() or not any(folder.iterdir()):
        return True
    if not replace:
        _say(w, "demo_not_empty", err=True, dir=folder)
        return False
    workspaces = folder / "workspaces"
    ours = all(p.name in DATA_ENTRIES for p in folder.iterdir()) and (
        not workspaces.is_dir() or {p.name for p in workspaces.iterdir()} <= {workspace_dirname(workspace)})
    if not ours:
        _say(w, "demo_not_ours", err=True, dir=folder)
        return False
    for name in ("workspaces", "exports"):
        shutil.rmtree(folder / name, ignore_errors=True)
    return True


def _myself() -> str:
    """How the user called `sobria` (e.g. .venv/bin/sobria), so that a command we suggest runs as printed."""
    called = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("sobria")
    if called.name != "sobria":
        return "sobria"
    try:
        return str(called.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(called)


def _pick_workspace(w: Words, cfg: Config, store: Any, requested: str | None) -> str | None:
    """The workspace asked for, or the only one there is; None (and a hint on stderr) otherwise."""
    known = store.workspaces()
    workspace = requested or (known[0] if len(known) == 1 else None)
    if workspace not in known:
        if known:
            _say(w, "pick_workspace", err=True, dir=cfg.data_dir, listed=", ".join(known))
        else:
            _say(w, "no_workspace", err=True, dir=cfg.data_dir)
        return None
    return workspace


def cmd_summary(args: argparse.Namespace) -> int:
    from adapters.console import render_text

    from bot.core import periods
    from bot.scheduler import MONTHLY, POSTED, SummaryScheduler, build_summary
    from bot.reports.summaries import last_complete, parse_period

    w: Words = args.w
    cfg = _config(args)
    coach = _coach(cfg)
    workspace = _pick_workspace(w, cfg, coach.store, args.workspace)
    if workspace is None:
        return EXIT_CONFIG
    scheduler = SummaryScheduler(cfg, coach.store, [], impact=coach.impact, renderer=coach.r)
    plan = scheduler.plan(workspace)
    try:
        period = (parse_period(args.kind, args.period, plan.tz) if args.period
                  else last_complete(args.kind, periods.local(time.time(), plan.tz).date(), plan.tz))
    except ValueError as exc:
        _say(w, "bad_period", err=True, error=exc)
        return EXIT_CONFIG
    reply = build_summary(args.kind, plan, period, coach.store, coach.impact, coach.r)
    print(render_text(reply))
    for attachment in reply.attachments:
        path = Path(args.chart or attachment.filename)
        path.write_bytes(attachment.content)
        print()
        _say(w, "chart_written", path=path)
    if args.chart and args.kind != MONTHLY:
        _say(w, "chart_ignored", err=True)
    if not args.post:
        return 0
    if plan.channel is None:
        _say(w, "no_channel", err=True, workspace=workspace)
        return EXIT_CONFIG
    adapters = _platform_adapters(coach, cfg)
    with _running(adapters):
        scheduler.posters = adapters
        outcome = scheduler.publish(plan, args.kind, period, again=args.again, reply=reply)
    if outcome in (POSTED, "already", "not_ready", "failed"):
        _say(w, outcome, err=outcome != POSTED, channel=plan.channel)
    else:
        print(outcome, file=sys.stderr)
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

    w: Words = args.w
    cfg = _config(args)
    coach = _coach(cfg)
    workspace = _pick_workspace(w, cfg, coach.store, args.workspace)
    if workspace is None:
        return EXIT_CONFIG
    settings = coach.workspace_settings(workspace)
    try:
        period = parse_period(args.period, settings.tz, periods.local(time.time(), settings.tz).date())
    except ValueError as exc:
        _say(w, "bad_period", err=True, error=exc)
        return EXIT_CONFIG
    report = build_report(coach.store, coach.impact, coach.r, workspace, period, settings,
                          lang=args.lang or settings.lang, fmt=args.format, title=args.title or settings.name)
    path = Path(args.out or report.filename)
    path.write_bytes(report.content)
    _say(w, "report_written", period=period.key, workspace=workspace, path=path)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.store.backup import backups_dir, prune, take_backup
    from bot.store import TinyStore

    w: Words = args.w
    cfg = _config(args)
    if _on_postgres(w, cfg):
        return EXIT_CONFIG
    store = TinyStore(cfg.data_dir)
    dest = Path(args.out) if args.out else backups_dir(cfg.data_dir)
    path = take_backup(store, dest)
    _say(w, "backup_written", path=path)
    if args.keep:
        for old in prune(dest, args.keep):
            _say(w, "backup_deleted", path=old)
    return 0


# What a file that is not a whole gzip-compressed tar raises while it is read.
DAMAGED_ARCHIVE = (tarfile.TarError, EOFError, zlib.error)


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.store.backup import backups_dir, restore
    from bot.store import TinyStore

    w: Words = args.w
    cfg = _config(args)
    if _on_postgres(w, cfg):
        return EXIT_CONFIG
    archive = Path(args.archive)
    if not archive.is_file():
        _say(w, "restore_missing", err=True, path=archive, backups=backups_dir(cfg.data_dir))
        return EXIT_STORE
    try:
        if not tarfile.is_tarfile(archive):
            _say(w, "restore_not_tar", err=True, path=archive)
            return EXIT_STORE
        before = restore(TinyStore(cfg.data_dir), archive)
    except StoreCorrupt as exc:
        _say(w, "restore_damaged", err=True, path=archive, error=exc.message)
        return EXIT_STORE
    except DAMAGED_ARCHIVE as exc:
        _say(w, "restore_damaged", err=True, path=archive, error=exc)
        return EXIT_STORE
    _say(w, "restored", archive=archive, dir=cfg.data_dir, before=before)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.store.backup import backups_dir, check, list_backups, restore
    from bot.store import TinyStore

    w: Words = args.w
    cfg = _config(args)
    if _on_postgres(w, cfg):
        return EXIT_CONFIG
    if not Path(cfg.data_dir).is_dir():  # nothing to check is not "every file is readable"
        code = errno.ENOTDIR if Path(cfg.data_dir).exists() or _file_above(Path(cfg.data_dir)) else errno.ENOENT
        raise OSError(code, os.strerror(code), str(cfg.data_dir))
    problems = check(cfg.data_dir)
    for p in problems:
        _say(w, "doctor_damaged", path=p.path, error=p.message)
    if not problems:
        _say(w, "doctor_ok", dir=cfg.data_dir)
        return 0
    if not args.restore_last:
        _say(w, "doctor_unchanged")
        return EXIT_STORE
    for archive in reversed(list_backups(backups_dir(cfg.data_dir))):
        try:
            before = restore(TinyStore(cfg.data_dir), archive)
        except StoreError as exc:
            _say(w, "doctor_skip", archive=archive, error=exc)
            continue
        except DAMAGED_ARCHIVE as exc:
            _say(w, "doctor_skip", archive=archive, error=exc)
            continue
        _say(w, "doctor_restored", archive=archive, before=before)
        return 0 if not check(cfg.data_dir) else EXIT_STORE
    _say(w, "doctor_no_backup", dir=backups_dir(cfg.data_dir))
    return EXIT_STORE


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.store import store_url
    from bot.store.copy_tinydb import copy_from_tinydb
    from bot.store.pg_schema import LATEST
    from bot.store.postgres_store import PostgresStore

    w: Words = args.w
    cfg = _config(args)
    url = store_url(cfg)
    if url is None:
        raise ConfigError("store.url", 'a PostgreSQL URL such as "postgresql://sobria@db.example/sobria" '
                          "(migrate works on PostgreSQL only)", None, cfg.source)
    store = PostgresStore(url, migrate=False)
    try:
        applied = store.migrate()
        if applied:
            _say(w, "migrate_applied", n=len(applied), version=LATEST, where=store.where,
                 list=", ".join(map(str, applied)))
        else:
            _say(w, "migrate_up_to_date", version=LATEST, where=store.where)
        if not args.from_tinydb:
            return 0

        def progress(r: Any) -> None:
            print("  " + w.say("migrate_progress", workspace=r.workspace, n=r.events, new=r.inserted,
                               members=r.members, settings=r.settings, summaries=r.summaries, ok=r.ok), flush=True)

        _say(w, "migrate_copying", source=args.from_tinydb, where=store.where)
        reports = copy_from_tinydb(args.from_tinydb, store, progress=progress)
        store.analyze()
        bad = [r for r in reports if not r.ok]
        for r in bad:
            print("  " + w.say("migrate_missing", workspace=r.workspace, n=len(r.missing),
                               examples=", ".join(r.missing[:5]) or "-", differences=", ".join(r.mismatches[:5]) or "-"),
                  file=sys.stderr)
        if bad:
            _say(w, "migrate_incomplete", err=True, n=len(bad))
            return EXIT_STORE
        _say(w, "migrate_done", n=len(reports), events=sum(r.events for r in reports))
        return 0
    finally:
        store.close()


def _on_postgres(w: Words, cfg: Config) -> bool:
    """Backups, restores and checks are for the embedded store; say what to use instead."""
    from bot.store import store_url

    if store_url(cfg):
        _say(w, "on_postgres", err=True)
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
        raise StoreCorrupt(problems[0].message, str(problems[0].path))


def _file_above(path: Path) -> Path | None:
    """The nearest folder of `path` that is in fact a file (then `path` can never be created), if any."""
    return next((p for p in path.parents if p.is_file()), None)


def _os_sentence(w: Words, exc: OSError, fallback: str | Path | None) -> str:
    """One sentence saying what to do about a file system error, by its errno."""
    path = Path(str(exc.filename or fallback or "."))
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        return w.say("disk_full", path=path)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return w.say("no_permission", path=path)
    if code in (errno.ENOTDIR, errno.EEXIST):
        if path.is_file():
            return w.say("is_a_file", path=path)
        parent = _file_above(path)
        if parent is not None:
            return w.say("parent_is_file", path=path, parent=parent)
    if code == errno.ENOENT:
        return w.say("not_found", path=path)
    return w.say("os_error", path=path, error=exc.strerror or exc)


def cmd_teams_package(args: argparse.Namespace) -> int:
    """Write the Teams app package (adapters/teams/package.py) for the configured bot."""
    from importlib.metadata import version

    from adapters.teams.package import write_package

    w: Words = args.w
    app_id = _config(args).teams.with_env(os.environ).app_id
    if not app_id:
        _say(w, "teams_no_app_id", err=True)
        return EXIT_CONFIG
    urls = {"website": args.website, "privacy": args.privacy or args.website, "terms": args.terms or args.website}
    for option, url in urls.items():
        if not re.match(r"^https://[^/\s]+", url or ""):
            _say(w, "teams_bad_url", err=True, option=f"--{option}")
            return 2
    path = write_package(Path(args.out), app_id, version=version("sobria"), developer="Sobria", **urls)
    _say(w, "teams_package_written", path=path)
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run, "demo": cmd_demo, "backup": cmd_backup, "restore": cmd_restore, "doctor": cmd_doctor,
    "summary": cmd_summary, "report": cmd_report, "migrate": cmd_migrate, "teams-package": cmd_teams_package,
}


def main(argv: Sequence[str] | None = None) -> int:
    # The bot's own messages (connected, summary posted, reply not delivered) at INFO; libraries at WARNING.
    logging.basicConfig(level=logging.WARNING, format=logs.TEXT_FORMAT)
    level = os.environ.get("SOBRIA_LOG_LEVEL", "INFO").upper()
    for name in ("bot", "adapters", "sobria"):
        logging.getLogger(name).setLevel(level)
    argv = list(sys.argv[1:] if argv is None else argv)
    w = Words(_lang_of(argv))
    with _argparse_speaks(w):
        parser = build_parser(w)
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return 0
    args.w = w
    data_dir = getattr(args, "data_dir", None)
    try:
        return HANDLERS[args.command](args)
    except ConfigError as exc:
        print(w.say("config_error", error=exc), file=sys.stderr)
        return EXIT_CONFIG
    except StoreCorrupt as exc:
        print(w.say("store_corrupt", path=exc.path or data_dir or ".", error=exc.message), file=sys.stderr)
        return EXIT_STORE
    except StoreError as exc:
        cause = exc.__cause__
        if exc.path and "://" in exc.path:  # PostgreSQL: the path is the database's address
            print(w.say("db_error", where=exc.path, error=exc.message), file=sys.stderr)
        elif isinstance(cause, OSError):
            print(_os_sentence(w, cause, exc.path or data_dir), file=sys.stderr)
        else:
            print(w.say("store_error", error=exc), file=sys.stderr)
        return EXIT_STORE
    except BrokenPipeError:  # `sobria demo | head`: the reader has gone, nothing to say to anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        log.debug("%s failed", args.command, exc_info=True)
        print(_os_sentence(w, exc, data_dir), file=sys.stderr)
        return EXIT_STORE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: a sentence for the user, the traceback for the log
        log.debug("%s failed", args.command, exc_info=True)
        print(w.say("unexpected", error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
