"""The daily upkeep: a backup, old backups pruned, old raw events rolled up into monthly totals."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.store.backup import list_backups
from bot.core.config import parse_config
from bot.core.errors import ConfigError
from bot.store import Event, TinyStore
from bot.store.upkeep import run_upkeep, start_upkeep

PARIS = ZoneInfo("Europe/Paris")
NOW = 1_795_000_000.0  # 18 November 2026
DAY = 86400.0


def test_upkeep_backs_up_prunes_and_applies_retention(tmp_path: Path) -> None:
    cfg = parse_config({"store": {"data_dir": str(tmp_path), "backup_keep": 2, "retention_months": 3}})
    store = TinyStore(tmp_path)
    store.add_events("T1", [Event(id=f"e{i}", ts=NOW - i * 30 * DAY, user="U1", type="gen", kind="text", count=1,
                                  zone="USA") for i in range(8)])
    all_before = store.counts("T1", PARIS, ["all"])["all"]["U1"].generations
    for day in range(3):
        done = run_upkeep(store, cfg, now=NOW + day * DAY)
    assert len(list_backups(tmp_path / "backups")) == 2 and len(done["pruned"]) == 1
    rolled, deleted = run_upkeep(store, cfg, now=NOW)["retention"]["T1"]
    assert (rolled, deleted) == (0, 0)  # already done on the first day
    assert len(store.member_events("T1", "U1")) < 8
    assert TinyStore(tmp_path).counts("T1", PARIS, ["all"])["all"]["U1"].generations == all_before


def test_the_upkeep_is_always_scheduled_since_old_exports_must_go(tmp_path: Path) -> None:
    for raw in ({"data_dir": str(tmp_path), "backup_keep": 0}, {"data_dir": str(tmp_path)}):
        scheduler = start_upkeep(TinyStore(tmp_path), parse_config({"store": raw}))
        try:
            job = scheduler.get_job("upkeep")
            assert job is not None and job.next_run_time.astimezone(PARIS).strftime("%H:%M") == "03:30"
        finally:
            scheduler.shutdown(wait=False)


def test_upkeep_deletes_exports_once_a_day_old(tmp_path: Path) -> None:
    """An export is there to be picked up: the daily upkeep removes it after 24 h, even with no backups."""
    cfg = parse_config({"store": {"data_dir": str(tmp_path), "backup_keep": 0}})
    exports = tmp_path / "exports"
    exports.mkdir()
    old, fresh = exports / "sobria-export-U1.json", exports / "sobria-export-U2.json"
    for path, age in ((old, DAY + 60), (fresh, DAY - 60)):
        path.write_text("{}")
        os.utime(path, (NOW - age, NOW - age))
    done = run_upkeep(TinyStore(tmp_path), cfg, now=NOW)
    assert done["exports"] == [old] and not old.exists() and fresh.exists()
    assert run_upkeep(TinyStore(tmp_path), cfg, now=NOW + DAY)["exports"] == [fresh]


@pytest.mark.parametrize("raw, key", [({"backup_keep": -1}, "store.backup_keep"), ({"retention_months": "6"}, "store.retention_months"),
                                      ({"backup_time": "3h"}, "store.backup_time")])
def test_bad_upkeep_settings_name_the_key(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"store": raw})
    assert err.value.key == key
