"""Configuration: defaults, overrides, and errors that name the key and the expected form."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.core.config import Config, load_config, parse_config, schema_paths
from bot.core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"


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


# ---------------------------------------------------------------------------- unknown keys


def test_a_misspelt_limit_is_refused_with_the_key_it_meant(tmp_path: Path) -> None:
    path = tmp_path / "sobria.toml"
    path.write_text("[limits]\nmax_cout = 100\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key == "limits.max_cout" and err.value.suggestion == "max_count"
    assert "did you mean max_count?" in str(err.value) and str(path) in str(err.value)


# one case per fixed table of the schema: a typo of one of its keys
UNKNOWN_KEYS = [
    ({"sotre": {}}, "sotre", "[store]"),
    ({"bot": {"langue": "fr"}}, "bot.langue", "lang"),
    ({"store": {"data_dri": "./data"}}, "store.data_dri", "data_dir"),
    ({"limits": {"undo_minute": 5}}, "limits.undo_minute", "undo_minutes"),
    ({"zones": {"green_mx": 5}}, "zones.green_mx", "green_max"),
    ({"privacy": {"store_prompt": True}}, "privacy.store_prompt", "store_prompts"),
    ({"tips": {"recycle_image": 3}}, "tips.recycle_image", "recycle_images"),
    ({"schedule": {"weekly_tme": "09:00"}}, "schedule.weekly_tme", "weekly_time"),
    ({"impact": {"factor": {}}}, "impact.factor", "factors"),
    ({"impact": {"equivalents": {"led_wat": 9}}}, "impact.equivalents.led_wat", "led_w"),
    ({"impact": {"factors": {"imag": {"energy_wh": 2}}}}, "impact.factors.imag", "image"),
    ({"impact": {"factors": {"image": {"energy": 2}}}}, "impact.factors.image.energy", "energy_wh"),
    ({"impact": {"zones": {"FRA": {"centrl": 40}}}}, "impact.zones.FRA.centrl", "central"),
    ({"slack": {"bot_tokn": "xoxb-1"}}, "slack.bot_tokn", "bot_token"),
    ({"discord": {"guild_id": [1]}}, "discord.guild_id", "guild_ids"),
    ({"teams": {"app_password_": "x"}}, "teams.app_password_", "app_password"),
    ({"log": {"fromat": "json"}}, "log.fromat", "format"),
    ({"metrics": {"enable": True}}, "metrics.enable", "enabled"),
]


@pytest.mark.parametrize("raw, key, suggestion", UNKNOWN_KEYS)
def test_unknown_keys_are_refused_in_every_section_with_the_nearest_one(raw: dict, key: str, suggestion: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(raw, source="sobria.toml")
    assert (err.value.key, err.value.suggestion) == (key, suggestion)
    message = str(err.value)
    assert f"'{key}' in sobria.toml" in message and f"did you mean {suggestion}?" in message and "expected" in message


def test_every_section_has_an_unknown_key_case() -> None:
    """[tools] and [tool_outputs] name what the user chooses (tool names); every other section is closed."""
    sections = {p for p in schema_paths() if "." not in p} - {"tools", "tool_outputs"}
    assert {key.split(".")[0] for _, key, _ in UNKNOWN_KEYS if "." in key} == sections


def test_no_suggestion_when_nothing_is_close() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"limits": {"zzz": 1}})
    assert err.value.suggestion is None and "did you mean" not in str(err.value)
    assert "one of the keys of [limits]: max_count, avoid_per_day" in str(err.value)


def test_tools_stays_a_free_mapping_whose_words_are_checked() -> None:
    cfg = parse_config({"tools": {"Albert": ["albert", "Albert-IA"]}})
    assert cfg.tools["albert"] == ["albert", "albert-ia"] and "chatgpt" in cfg.tools
    with pytest.raises(ConfigError) as err:
        parse_config({"tools": {"albert": [""]}})
    assert err.value.key == "tools.albert"


def test_platform_sections_are_checked_when_the_file_is_read(tmp_path: Path) -> None:
    """No adapter is needed to find a typo in [slack] or [discord], and secrets are never echoed."""
    path = tmp_path / "sobria.toml"
    path.write_text('[slack]\nmode = "webhook"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key == "slack.mode" and str(path) in str(err.value)
    with pytest.raises(ConfigError) as err:
        parse_config({"discord": {"token": 1234567}})
    assert err.value.key == "discord.token" and "1234567" not in str(err.value)


def test_typed_sections_are_read_once() -> None:
    cfg = parse_config({"slack": {"mode": "http", "api_url": "http://127.0.0.1:9/api"},
                        "discord": {"guild_ids": ["123"], "api_url": "http://127.0.0.1:9/api/v10/"},
                        "schedule": {"weekly_time": "8:30"}, "store": {"backup_time": "3:30"},
                        "impact": {"preset": "article", "tool_zones": {"Llama": "fra"}}})
    assert (cfg.slack.mode, cfg.slack.api_url, cfg.slack.port) == ("http", "http://127.0.0.1:9/api/", 3000)
    assert (cfg.discord.guild_ids, cfg.discord.api_url) == ((123,), "http://127.0.0.1:9/api/v10")
    assert (cfg.schedule.weekly_time, cfg.upkeep.backup_time) == ("08:30", "03:30")
    assert (cfg.impact.preset, cfg.impact.tool_zones) == ("article", {"llama": "FRA"})


def test_an_impact_error_names_the_file_too(tmp_path: Path) -> None:
    path = tmp_path / "sobria.toml"
    path.write_text("[impact.factors.image]\nenergy_wh = { central = 20 }\n")  # above the preset's high bound (12)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key == "impact.factors.image.energy_wh" and str(path) in str(err.value)


# ---------------------------------------------------------------------------- config.example.toml


def _switched_on(text: str) -> str:
    """The example with its commented-out keys and tables (`# url = ...`, `# [impact.zones]`) switched on."""
    commented = re.compile(r"^#\s?(?=\[[\w.-]+\]|[A-Za-z_][\w-]*\s*=)")
    return "\n".join(commented.sub("", line) for line in text.splitlines())


def _documented(table: dict[str, Any], declared: set[str], prefix: str = "") -> set[str]:
    """The key paths a document uses, with the names of the user's choosing written "*" as in the schema."""
    found: set[str] = set()
    for name, value in table.items():
        path = f"{prefix}{name}"
        if path not in declared and f"{prefix}*" in declared:
            path = f"{prefix}*"
        found.add(path)
        if isinstance(value, dict) and any(p.startswith(path + ".") for p in declared):
            found |= _documented(value, declared, path + ".")
    return found


def test_every_key_of_the_schema_is_documented_in_the_example_and_no_other() -> None:
    declared = set(schema_paths())
    documented = _documented(tomllib.loads(_switched_on(EXAMPLE.read_text())), declared)
    assert sorted(declared - documented) == [], "keys of the schema missing from config.example.toml"
    assert sorted(documented - declared) == [], "keys of config.example.toml the schema does not know"


def test_the_example_shows_the_defaults_and_its_commented_examples_are_valid() -> None:
    assert replace(load_config(EXAMPLE), raw={}, source=None) == Config()
    parse_config(tomllib.loads(_switched_on(EXAMPLE.read_text())), source="config.example.toml (uncommented)")
