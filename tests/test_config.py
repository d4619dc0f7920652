"""Configuration: defaults, overrides, and errors that name the key and the expected form."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.config import Config, load_config, parse_config
from bot.core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_no_file_means_every_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = load_config(None)
    assert cfg == Config()
    assert cfg.limits.max_count == 50 and cfg.limits.avoid_per_day == 10 and cfg.limits.undo_minutes == 15
    assert cfg.thresholds.green_max == 20 and cfg.thresholds.orange_max == 100
    assert cfg.timezone == "Europe/Paris" and cfg.lang == "fr" and cfg.store_prompts is False


def test_the_example_config_is_valid_and_matches_the_defaults() -> None:
    cfg = load_config(ROOT / "config.example.toml")
    assert cfg.limits == Config().limits and cfg.thresholds == Config().thresholds
    assert cfg.timezone == Config().timezone and cfg.store_prompts is False


@pytest.mark.parametrize(
    "raw, key",
    [
        ({"bot": {"lang": "de"}}, "bot.lang"),
        ({"bot": {"timezone": "Paris"}}, "bot.timezone"),
        ({"bot": {"admins": "U1"}}, "bot.admins"),
        ({"limits": {"max_count": 0}}, "limits.max_count"),
        ({"limits": {"avoid_per_day": "ten"}}, "limits.avoid_per_day"),
        ({"limits": {"undo_minutes": True}}, "limits.undo_minutes"),
        ({"zones": {"green_max": 50, "orange_max": 30}}, "zones.orange_max"),
        ({"privacy": {"store_prompts": "yes"}}, "privacy.store_prompts"),
        ({"tools": {"albert": "albert"}}, "tools.albert"),
        ({"store": {"data_dir": 3}}, "store.data_dir"),
        ({"sotre": {}}, "sotre"),
        ({"bot": "fr"}, "bot"),
    ],
)
def test_bad_values_name_the_key(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(raw, source="sobria.toml")
    assert err.value.key == key
    assert key in str(err.value) and "expected" in str(err.value) and "sobria.toml" in str(err.value)


def test_admins_and_sections_are_available(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[bot]\nadmins = ["U1", 42]\n[slack]\nmode = "http"\n[zones]\ngreen_max = 10\norange_max = 40\n')
    cfg = load_config(path)
    assert cfg.admins == {"U1", "42"}
    assert cfg.section("slack") == {"mode": "http"} and cfg.section("discord") == {}
    assert (cfg.thresholds.green_max, cfg.thresholds.orange_max) == (10, 40)


def test_cli_reports_a_bad_config_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[limits]\nmax_count = -1\n")
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--config", str(path)], cwd=ROOT,
                         capture_output=True, text=True, input="", timeout=60)
    assert out.returncode == 2
    assert "limits.max_count" in out.stderr and "Traceback" not in out.stderr


def test_cli_reports_broken_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[bot\nlang = 'fr'\n")
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--config", str(path)], cwd=ROOT,
                         capture_output=True, text=True, input="", timeout=60)
    assert out.returncode == 2 and "broken.toml" in out.stderr and "Traceback" not in out.stderr
