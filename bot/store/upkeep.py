"""The daily upkeep of the data while the bot runs: backup, pruning, retention, old exports.

Once a day (`[store] backup_time`, in the bot's time zone) the embedded store
is backed up (bot/store/backup.py), only the `backup_keep` newest backups are kept,
and, when `retention_months` is set, each workspace's raw events older than
that are deleted while their monthly totals stay. Export files the console
wrote (bot/store/exports.py) are deleted once a day old: a copy of a member's
data outside the store is not kept. The data of a workspace that uninstalled
the bot more than `[store] uninstall_grace_days` ago is deleted
(bot/store/installations.py). Each step logs what it did; a failing step
is logged and the others still run.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.core import periods
from bot.store.backup import backups_dir, prune, take_backup
from bot.store.exports import remove_old_exports
from bot.store.installations import purge_uninstalled
from bot.core.config import Config
from bot.store import Store

log = logging.getLogger(__name__)


def run_upkeep(store: Store, config: Config, now: float | None = None) -> dict[str, Any]:
    """Do the day's upkeep now; returns what was done (for logs and tests)."""
    now = time.time() if now is None else now
    done: dict[str, Any] = {"backup": None, "pruned": [], "retention": {}, "uninstalled": [], "exports": []}
    keep = config.upkeep.backup_keep
    if keep > 0 and hasattr(store, "workspace_lock"):
        try:
            done["backup"] = take_backup(store, backups_dir(config.data_dir), now=now)  # type: ignore[arg-type]
            done["pruned"] = prune(backups_dir(config.data_dir), keep)
            log.info("daily backup written: %s", done["backup"])
        except Exception:
            log.exception("daily backup failed")
    months = config.upkeep.retention_months
    apply = getattr(store, "apply_retention", None)
    if months > 0 and apply is not None:
        for workspace in store.workspaces():
            try:
                tz = periods.zone(store.settings(workspace).get("timezone") or config.timezone)
                done["retention"][workspace] = apply(workspace, tz, months, now)
            except Exception:
                log.exception("retention failed for workspace %s", workspace)
    try:  # workspaces that uninstalled the bot (distributed Slack) lose their data once the grace period is over
        done["uninstalled"] = purge_uninstalled(store, config.store.uninstall_grace_days, now)
    except Exception:
        log.exception("deleting the data of uninstalled workspaces failed")
    done["exports"] = remove_old_exports(config.data_dir, now)
    if done["exports"]:
        log.info("old exports deleted: %s", ", ".join(p.name for p in done["exports"]))
    return done


def start_upkeep(store: Store, config: Config, clock: Callable[[], float] = time.time) -> BackgroundScheduler | None:
    """Schedule the daily upkeep (always: even without backups or retention, old exports are deleted)."""
    hour, minute = (int(x) for x in config.upkeep.backup_time.split(":"))
    scheduler = BackgroundScheduler(timezone=periods.zone(config.timezone))
    scheduler.add_job(lambda: run_upkeep(store, config, clock()), CronTrigger(hour=hour, minute=minute,
                      timezone=periods.zone(config.timezone)), id="upkeep", coalesce=True, misfire_grace_time=3600)
    scheduler.start()
    return scheduler
