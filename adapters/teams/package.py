"""The Teams app package that `sobria teams-package` writes: manifest.json, en.json and the two icons, zipped.

Teams installs a bot from this zip (Teams admin center, or "Upload a custom
app" in Teams). The icons are drawn here with Pillow, in the manifest's accent
colour and the DejaVu Sans Bold that ships in `bot/fonts`, at the sizes Teams
asks for: a 192×192 colour icon and a 32×32 outline, white on transparent
(https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/apps-package).
They are drawn rather than stored so that the package has one source, this
module, and no binary file to keep in step with the accent colour.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from adapters.teams.manifest import ACCENT, COLOR_ICON, OUTLINE_ICON, LANGUAGE_TAGS, build_manifest, localization
from bot.core.render import DEFAULT_LANG, Renderer

FONT = Path(__file__).resolve().parents[2] / "bot" / "fonts" / "DejaVuSans-Bold.ttf"
COLOR_SIZE, OUTLINE_SIZE = 192, 32
LETTER = "S"


def _icon(size: int, background: str | None, letter_ratio: float) -> bytes:
    """A square PNG: the letter S in white, on the accent colour (colour icon) or on transparency (outline)."""
    image = Image.new("RGBA", (size, size), background or (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), int(size * letter_ratio))
    draw.text((size / 2, size / 2), LETTER, fill=(255, 255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def color_icon() -> bytes:
    return _icon(COLOR_SIZE, ACCENT, 0.62)


def outline_icon() -> bytes:
    return _icon(OUTLINE_SIZE, None, 0.8)


def package_files(bot_id: str, **manifest_options: Any) -> dict[str, bytes]:
    """The files of the package by name (manifest.json first)."""
    renderer = manifest_options.pop("renderer", None) or Renderer()
    manifest = build_manifest(bot_id, renderer=renderer, **manifest_options)
    files = {"manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")}
    for lang in LANGUAGE_TAGS:
        if lang != DEFAULT_LANG:
            files[f"{lang}.json"] = json.dumps(localization(lang, renderer), ensure_ascii=False,
                                               indent=2).encode("utf-8")
    files[COLOR_ICON] = color_icon()
    files[OUTLINE_ICON] = outline_icon()
    return files


def write_package(path: Path, bot_id: str, **manifest_options: Any) -> Path:
    """Write the zip at `path` (through a temporary file, so a failed write leaves no half package)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_files(bot_id, **manifest_options).items():
            archive.writestr(name, data)  # at the root of the zip, as Teams requires
    tmp.replace(path)
    return path
