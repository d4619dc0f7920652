"""The Teams app package: its manifest and localization file validate against Microsoft's schemas, offline.

The schemas are copies kept in tests/data/teams/ (SOURCE.md says where they come from).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from adapters.teams.manifest import COMMANDS_MAX, build_manifest, localization
from adapters.teams.package import package_files
from bot.cli import main
from bot.commands import CATALOGUE
from bot.core.command import Argument, Catalogue, Command

DATA = Path(__file__).resolve().parent / "data" / "teams"
BOT = "11111111-2222-3333-4444-555555555555"
URLS = {"website": "https://www.example.fr/sobria", "privacy": "https://www.example.fr/privacy",
        "terms": "https://www.example.fr/terms"}


def validator(name: str) -> jsonschema.Draft4Validator:
    schema = json.loads((DATA / name).read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def manifest(**kw):
    return build_manifest(BOT, version="0.1.0", developer="Sobria", **URLS, **kw)


def test_the_manifest_validates_and_lists_every_command_of_the_catalogue() -> None:
    m = manifest()
    errors = [f"{list(e.path)}: {e.message}" for e in validator("MicrosoftTeams.schema.json").iter_errors(m)]
    assert errors == []
    names = [c.name for c in CATALOGUE][:COMMANDS_MAX]
    for command_list in m["bots"][0]["commandLists"]:
        assert [c["title"] for c in command_list["commands"]] == names
    assert m["bots"][0]["botId"] == BOT
    # French by default: the summary of /ia-log as the catalogue's French words have it
    assert "générations" in m["bots"][0]["commandLists"][0]["commands"][0]["description"]


def test_the_english_localization_validates_and_speaks_english() -> None:
    en = localization("en")
    assert [f"{list(e.path)}: {e.message}" for e in
            validator("MicrosoftTeams.Localization.schema.json").iter_errors(en)] == []
    assert en["bots[0].commandLists[0].commands[0].title"] == "ia-log"
    assert en["bots[0].commandLists[0].commands[0].description"].startswith("Log AI generations")


def test_the_schema_copy_does_catch_a_broken_manifest() -> None:
    m = manifest()
    del m["developer"]["privacyUrl"]
    m["id"] = "not-a-guid"
    assert len(list(validator("MicrosoftTeams.schema.json").iter_errors(m))) >= 2


def test_a_new_command_appears_in_the_manifest() -> None:
    toy = Command("ia-toy", lambda *a: None, (Argument("text", "text"),))
    catalogue = Catalogue((*list(CATALOGUE)[:3], toy))
    m = build_manifest(BOT, version="0.1.0", developer="Sobria", catalogue=catalogue, **URLS)
    assert [c["title"] for c in m["bots"][0]["commandLists"][0]["commands"]][-1] == "ia-toy"


def test_the_package_holds_the_manifest_its_translation_and_two_icons_of_the_right_size() -> None:
    files = package_files(BOT, version="0.1.0", developer="Sobria", **URLS)
    assert set(files) == {"manifest.json", "en.json", "color.png", "outline.png"}
    color, outline = Image.open(io.BytesIO(files["color.png"])), Image.open(io.BytesIO(files["outline.png"]))
    assert color.size == (192, 192) and outline.size == (32, 32)
    # the outline is white on transparency, as Teams asks
    assert outline.getpixel((0, 0))[3] == 0
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert {p[:3] for p in pixels if p[3] > 0} <= {(255, 255, 255)}


def test_sobria_teams_package_writes_a_zip_whose_manifest_validates(tmp_path: Path, monkeypatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", BOT)
    out = tmp_path / "sobria-teams.zip"
    assert main(["teams-package", "--data-dir", str(tmp_path), "--website", URLS["website"], "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as z:
        m = json.loads(z.read("manifest.json"))
        assert sorted(z.namelist()) == ["color.png", "en.json", "manifest.json", "outline.png"]
    assert list(validator("MicrosoftTeams.schema.json").iter_errors(m)) == []
    assert m["developer"]["privacyUrl"] == URLS["website"]


def test_sobria_teams_package_refuses_without_an_app_id_or_with_an_http_address(
        tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TEAMS_APP_ID", raising=False)
    out = tmp_path / "p.zip"
    assert main(["teams-package", "--data-dir", str(tmp_path), "--website", URLS["website"], "--out", str(out)]) == 2
    assert "TEAMS_APP_ID" in capsys.readouterr().err
    monkeypatch.setenv("TEAMS_APP_ID", BOT)
    assert main(["teams-package", "--data-dir", str(tmp_path), "--website", "http://x.example", "--out", str(out)]) == 2
    assert "--website" in capsys.readouterr().err
    assert not out.exists()
