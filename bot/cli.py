"""The `sobria` command: run the bot, fill a demo, and the admin tools.

Every subcommand accepts --config FILE and --data-dir DIR (which overrides the
config's [store] data_dir), so that later commands can run on the demo data.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from .config import Config, load_config
from .errors import ConfigError, StoreCorrupt, StoreError

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
    return parser


def _config(args: argparse.Namespace) -> Config:
    cfg = load_config(args.config)
    if getattr(args, "data_dir", None):
        cfg = cfg.with_data_dir(args.data_dir)
    return cfg


def _coach(cfg: Config) -> Any:
    from .coach import Coach
    from .store import open_store

    return Coach(cfg, open_store(cfg.data_dir))


def cmd_run(args: argparse.Namespace) -> int:
    cfg = _config(args)
    coach = _coach(cfg)
    adapters = [] if args.console else _platform_adapters(coach, cfg)
    if not adapters:
        from adapters.console import ConsoleAdapter

        if sys.stdin.isatty():
            print("Sobria — console. /ia-help pour l'aide, Ctrl-D pour quitter.", flush=True)
        ConsoleAdapter(coach, cfg).run_forever()
        return 0
    threads = []
    for adapter in adapters:
        t = threading.Thread(target=adapter.run_forever, name=type(adapter).__name__, daemon=True)
        t.start()
        threads.append(t)
    try:
        while any(t.is_alive() for t in threads):
            time.sleep(0.5)
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        for adapter in adapters:
            adapter.stop()
        for t in threads:
            t.join(timeout=10)
    return 0


def _platform_adapters(coach: Any, cfg: Config) -> list[Any]:
    """Every chat front-end whose tokens are configured (each module says so itself)."""
    found = []
    for module_name, class_name in (("adapters.slack_app", "SlackAdapter"), ("adapters.discord_app", "DiscordAdapter")):
        try:
            module = __import__(module_name, fromlist=[class_name])
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        if module.configured(cfg):
            found.append(getattr(module, class_name)(coach, cfg))
    return found


def cmd_demo(args: argparse.Namespace) -> int:
    from adapters.console import CONSOLE_WORKSPACE, render_text

    from . import periods
    from .coach import Coach
    from .demo import TEAM, fill
    from .identity import Sender
    from .store import open_store

    cfg = _config(args)
    if not args.data_dir:
        cfg = cfg.with_data_dir(tempfile.mkdtemp(prefix="sobria-demo-"))
    store = open_store(cfg.data_dir)
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


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("SOBRIA_LOG_LEVEL", "WARNING"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    handlers = {"run": cmd_run, "demo": cmd_demo}
    try:
        return handlers[args.command](args)
    except ConfigError as exc:
        print(f"Configuration error: {exc}.", file=sys.stderr)
        print("See config.example.toml for every key with its default.", file=sys.stderr)
        return EXIT_CONFIG
    except StoreCorrupt as exc:
        print(f"Data error: {exc}.", file=sys.stderr)
        print("Nothing was changed. Restore the file from a backup or fix it by hand.", file=sys.stderr)
        return EXIT_STORE
    except StoreError as exc:
        print(f"Storage error: {exc}.", file=sys.stderr)
        return EXIT_STORE


if __name__ == "__main__":
    sys.exit(main())
