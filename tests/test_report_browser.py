"""The HTML report in a real browser: no console error, nothing fetched, at most 4 A4 pages for a month.

Runs Debian's `chromium` headless (`.ci/run` installs it). Without Chromium
the tests are skipped locally with the reason, but fail under CI (CI=true),
where the browser must be there. `SOBRIA_CHROMIUM` may name another binary.

Console errors are read through the DevTools protocol (over a loopback-only
debugging port), because Chromium's own log prints console.log and
console.error alike; the PDF and the screenshot use Chromium's command-line
`--print-to-pdf` and `--screenshot`. The first page's screenshot is kept in
test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.demo import fill
from bot.impact.model import ImpactModel
from bot.core.render import Renderer
from bot.core.config import parse_config
from bot.core.settings import resolve
from bot.reports.report import build_report, month_period
from bot.scheduler import ScheduleSettings

pytestmark = pytest.mark.slow

PARIS = ZoneInfo("Europe/Paris")
WS = "console"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MAX_MONTH_PAGES = 4
A4_POINTS = (595, 842)


def find_chromium() -> str | None:
    named = os.environ.get("SOBRIA_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        reason = ("no Chromium found (tried " + ", ".join(CANDIDATES) + ", or SOBRIA_CHROMIUM): "
                  "apt-get install chromium to run the browser tests of the report")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must run the browser tests: " + reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A busy demo month (12 members, several teams) in French and English, as files."""
    from bot.store import open_store

    folder = tmp_path_factory.mktemp("report")
    store = open_store(folder / "data")
    fill(store, WS, PARIS, datetime(2026, 12, 3, 18, tzinfo=PARIS).timestamp())
    for user, team in (("demo-camille", "Compta"), ("demo-hugo", "Atelier & Co"), ("demo-lea", "Commercial"),
                       ("demo-lucas", "Direction"), ("demo-theo", "Compta")):
        store.update_member(WS, user, team=team)
    out = {}
    for lang in ("fr", "en"):
        impact = ImpactModel()
        settings = resolve(WS, {}, parse_config({"bot": {"timezone": PARIS.key}}), ScheduleSettings(), impact.default_zone, impact.zones())
        attachment = build_report(store, impact, Renderer(), WS, month_period(2026, 11, PARIS), settings, lang=lang,
                                  fmt="html", title="Boulangerie Dupont", today=date(2026, 12, 3))
        out[lang] = folder / attachment.filename
        out[lang].write_bytes(attachment.content)
    store.close()
    return out


def run_chromium(chromium: str, *args: str, timeout: float = 60.0) -> None:
    with tempfile.TemporaryDirectory(prefix="sobria-chromium-", ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", *args], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert proc.wait(timeout=timeout) == 0, f"Chromium exited with {proc.returncode}"
        finally:
            stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """End the Chromium this test started, with the helpers it spawned (its own process group), then reap it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Page sizes of a PDF written by Chromium (its page objects are not compressed)."""
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))
    boxes = [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    assert len(boxes) >= pages >= 1
    return boxes[:pages]


# ---------------------------------------------------------------------------- DevTools protocol
async def _page_events(chromium: str, url: str, settle: float) -> dict[str, Any]:
    import aiohttp

    with tempfile.TemporaryDirectory(prefix="sobria-chromium-", ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "about:blank"],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("Chromium did not open its debugging port")
                await asyncio.sleep(0.05)
            port = int(port_file.read_text().split()[0])
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                    targets = await resp.json()
                page = next(t for t in targets if t.get("type") == "page")
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    return await _drive(ws, url, settle)
        finally:
            stop(proc)


async def _drive(ws: Any, url: str, settle: float) -> dict[str, Any]:
    """Open `url`, wait for its load event and a short settle, and sort what the page reported."""
    ids = iter(range(1, 1_000_000))
    pending: dict[int, str] = {}

    async def send(method: str, **params: Any) -> int:
        n = next(ids)
        pending[n] = method
        await ws.send_json({"id": n, "method": method, "params": params})
        return n

    # each domain is on before the navigation starts: Chromium may answer commands out of order, and a load
    # event sent before Page.enable took effect is never delivered
    for domain in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
        n = await send(domain)
        while (await ws.receive_json(timeout=30)).get("id") != n:
            pass
    await send("Page.navigate", url=url)
    found: dict[str, Any] = {"errors": [], "requests": [], "images": None}
    seen: list[str] = []  # what arrived, for the message when the page never loads
    loaded, check_id, deadline = False, None, time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            msg = await ws.receive_json(timeout=settle if loaded else 30)
        except asyncio.TimeoutError:
            if not loaded:
                raise AssertionError(f"the page never finished loading; received: {seen[-20:]}")
            if check_id is None:  # quiet after the load: ask whether every image was decoded
                check_id = await send("Runtime.evaluate", returnByValue=True, expression=(
                    "[...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight])"))
                continue
            break
        method, params = msg.get("method"), msg.get("params", {})
        seen.append(method or f"reply {msg.get('id')}: {str(msg.get('error') or 'ok')[:80]}")
        if method == "Page.loadEventFired":
            loaded = True
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found["errors"].append("console." + params["type"] + ": " + " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            found["errors"].append("exception: " + str(params.get("exceptionDetails", {}).get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found["errors"].append("log: " + params["entry"].get("text", "") + " " + params["entry"].get("url", ""))
        elif method == "Network.requestWillBeSent":
            found["requests"].append(params.get("request", {}).get("url", ""))
        elif msg.get("id") is not None and msg["id"] == check_id:
            found["images"] = msg.get("result", {}).get("result", {}).get("value")
            break
    return found


def page_report(chromium: str, path: Path, settle: float = 0.5) -> dict[str, Any]:
    return asyncio.run(_page_events(chromium, path.resolve().as_uri(), settle))


# ---------------------------------------------------------------------------- tests
def test_the_browser_check_catches_console_errors_and_fetches(chromium: str, tmp_path: Path):
    """The harness itself: a page with a console error and a missing image must be caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><p>x</p><img src="missing.png">'
                   '<script>console.error("report broke")</script></body></html>', "utf-8")
    found = page_report(chromium, bad)
    assert any("report broke" in e for e in found["errors"])
    assert any("missing.png" in e for e in found["errors"])
    assert found["images"] and not all(width > 0 for _, width, _ in found["images"])  # the image check sees it too


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_renders_without_console_errors_and_fetches_nothing(chromium: str, reports, lang: str):
    path = reports[lang]
    found = page_report(chromium, path)
    assert found["errors"] == []
    assert [u for u in found["requests"] if not u.startswith("data:")] == [path.resolve().as_uri()]
    assert found["images"], "the chart is missing"
    assert all(complete and width > 0 and height > 0 for complete, width, height in found["images"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_month_prints_on_at_most_four_a4_pages(chromium: str, reports, tmp_path: Path, lang: str):
    pdf = tmp_path / f"report-{lang}.pdf"
    run_chromium(chromium, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", reports[lang].resolve().as_uri())
    pages = pdf_pages(pdf.read_bytes())
    assert 1 <= len(pages) <= MAX_MONTH_PAGES
    assert all(round(w) == A4_POINTS[0] and round(h) == A4_POINTS[1] for w, h in pages)


def test_a_screenshot_of_the_first_page_is_kept(chromium: str, reports):
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-first-page.png"
    shot.unlink(missing_ok=True)
    # 794 × 1123 CSS pixels: one A4 page at 96 dpi
    run_chromium(chromium, "--hide-scrollbars", "--window-size=794,1123", f"--screenshot={shot}",
                 reports["fr"].resolve().as_uri())
    with Image.open(shot) as image:
        assert image.size == (794, 1123)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # text and a chart, not a blank page
