"""The monthly chart: weekly generations as zone-coloured bars, avoided as a line, thresholds dashed.

A bar is what the zone counts (`WeekBar.counted`: the kinds of `Thresholds.kinds`,
by default images, videos, audio and long texts), so its height, its colour and
the dashed lines it is compared with all speak of the same count.

Drawn with Pillow straight into an RGB image, in the DejaVu Sans fonts that
ship in `bot/fonts` (so no system font is needed). A general plotting library
spent 100 to 250 ms a chart, most of it laying out and rasterising text, and a
host posts 1,000 monthly summaries on the same morning; this one fixed layout
of a few rectangles, one line and about twenty-five words is placed by hand in
about a tenth of that. It works in any thread and never opens a window.

The picture is 900 × 600 pixels with large type: it is mostly looked at in a
chat app on a phone, which shows it 300 to 400 points wide, so more pixels
would only cost time and bytes. Every word on it arrives in `words`, rendered
from the templates by `bot.reports.summaries.chart_words`; this module holds none.
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from PIL import Image, ImageDraw, ImageFont

from bot.core.numbers import format_number
from bot.core.zones import GREEN, RED, ZONE_COLOURS, Thresholds

SIZE_PX = (900, 600)
PT = 150 / 72  # pixels per typographic point: 6 × 4 inches at 150 dpi, so sizes below read as in a document
AVOIDED_COLOUR = "#1c7ed6"
THRESHOLD_COLOURS = {"green_max": ZONE_COLOURS[GREEN], "orange_max": ZONE_COLOURS[RED]}
CLOSED_COLOUR = "#adb5bd"  # a closing week (`WeekBar.closed`): its bar is shown, its zone is not judged


def _closed(week: object) -> bool:
    return bool(getattr(week, "closed", False))
INK, GRID = "#000000", "#dee2e6"
HEADROOM = 1.25  # space above the tallest mark for its value label
BAR_WIDTH = 0.62  # of the room each bar has
THRESHOLD_WIDTH = 0.9  # a threshold spans most of its bar's room, so each bar is judged against its own level
SMOOTH = 3  # the avoided line is drawn this many times larger, then reduced: Pillow does not anti-alias lines

# Type sizes in pixels, and the smallest each may shrink to when long words would overlap.
TITLE, YLABEL, TICKS, VALUES, WEEKS, LEGEND = (round(pt * PT) for pt in (12, 10, 9, 9, 8.5, 8.5))
SMALLEST = 0.7

# Layout in pixels. The plot's left edge moves right when the y tick labels are long.
PLOT_TOP, PLOT_BOTTOM, PLOT_RIGHT = 72, 446, SIZE_PX[0] - 18
TITLE_BASELINE = 44
YLABEL_LEFT = 6
TICK, PAD, LINE = 7, 5, 2  # tick length, gap between a tick and its label, axis and grid width
LEGEND_ROWS = (534, 568)  # vertical centres of the two legend rows: the zones, then the lines
HANDLE = round(16 * PT)  # length of a legend's sample mark

# Pillow's fonts are shared by every chart; one chart at a time.
_DRAWING = threading.Lock()


FONTS = Path(__file__).resolve().parents[1] / "fonts"  # DejaVu Sans, shipped with the package (see fonts/LICENSE)


@lru_cache(maxsize=None)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at `size` pixels, loaded once per size.

    The font files ship with the package, so a chart looks the same on every
    host without any system font. The basic layout engine is used whether or
    not libraqm is installed, for the same reason; the words are French or English.
    """
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def _bar_thresholds(days: int, t: Thresholds) -> dict[str, float]:
    """The weekly thresholds scaled to a bar's days, so a week cut by the month's edge is judged fairly."""
    return {"green_max": t.green_max * days / 7, "orange_max": t.orange_max * days / 7}


def _tick_step(top: float, most: int = 5) -> int:
    """The smallest round whole step (1, 2, 2.5 or 5 times a power of ten) giving at most `most` intervals up to `top`."""
    magnitude = 1
    while True:
        for m in (1, 2, 2.5, 5):
            step = m * magnitude
            if step == int(step) and top / step <= most:
                return int(step)
        magnitude *= 10


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """`text` cut into lines no wider than `width` where it can be: after a range's dash or before a bracket.

    Only there, so "1 déc." or "(5 j)" never come apart; a label with no such
    place stays whole and `_fit` makes its type smaller instead.
    """
    lines: list[str] = []
    for piece in re.split(r"(?<=–)|(?=\s\()", text):
        if lines and font.getlength((lines[-1] + piece).strip()) <= width:
            lines[-1] += piece
        elif piece:
            lines.append(piece)
    return [line.strip() for line in lines] or [""]


def _fit(texts: Sequence[str], size: int, width: float, max_lines: int = 1,
         bold: bool = False) -> tuple[ImageFont.FreeTypeFont, list[list[str]]]:
    """The largest font, from `size` down to SMALLEST of it, at which every text fits `width` in `max_lines`.

    Labels sharing a row share one size, so a long week label does not make
    its neighbours look different. Past the smallest size they are left to
    overlap rather than become unreadable.
    """
    for step in range(7):
        font = _font(round(size * (1 - (1 - SMALLEST) * step / 6)), bold)
        lines = [_wrap(t, font, width) if max_lines > 1 else [t] for t in texts]
        if all(len(ls) <= max_lines and all(font.getlength(line) <= width for line in ls) for ls in lines):
            return font, lines
    return font, [ls[:max_lines - 1] + [" ".join(ls[max_lines - 1:])] for ls in lines]


def _smooth_line(img: Image.Image, line: Sequence[tuple[float, float]], markers: Sequence[tuple[float, float]],
                 colour: str, width: float, marker: float) -> None:
    """A line with round markers, anti-aliased: drawn SMOOTH times larger as a mask, reduced, then painted."""
    points = [*line, *markers]
    if not points:
        return
    reach = max(width, marker)
    x0, y0 = int(min(x for x, _ in points) - reach), int(min(y for _, y in points) - reach)
    x1, y1 = int(max(x for x, _ in points) + reach) + 1, int(max(y for _, y in points) + reach) + 1
    k = SMOOTH
    mask = Image.new("L", ((x1 - x0) * k, (y1 - y0) * k), 0)
    draw = ImageDraw.Draw(mask)
    if len(line) > 1:
        draw.line([((x - x0) * k, (y - y0) * k) for x, y in line], fill=255, width=round(width * k), joint="curve")
    r = marker * k / 2
    for x, y in markers:
        cx, cy = (x - x0) * k, (y - y0) * k
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    img.paste(colour, (x0, y0, x1, y1), mask.reduce(k))


def _dashed(draw: ImageDraw.ImageDraw, x0: float, x1: float, y: float, colour: str) -> None:
    """A horizontal dashed line 3 px thick with 5 px gaps, its dashes (about 12 px) stretched to end on a full dash.

    Thresholds of neighbouring bars meet end to end; a dash cut short at
    each seam would read as a different, dash-dot line.
    """
    gap = 5
    count = max(1, round((x1 - x0 + gap) / 17))
    period = (x1 - x0 + gap) / count
    for k in range(count):
        start = x0 + k * period
        draw.rectangle((round(start), round(y) - 1, round(start + period - gap) - 1, round(y) + 1), fill=colour)


def _vertical_text(img: Image.Image, text: str, font: ImageFont.FreeTypeFont, left: int, centre_y: float) -> None:
    """`text` turned a quarter left, reading upwards, its left side at `left`, centred on `centre_y`."""
    if not text:
        return
    _, _, right, bottom = font.getbbox(text)
    mask = Image.new("L", (int(right), int(bottom)), 0)
    ImageDraw.Draw(mask).text((0, 0), text, font=font, fill=255)
    mask = mask.transpose(Image.Transpose.ROTATE_90)
    top = round(centre_y - mask.height / 2)
    img.paste(INK, (left, top, left + mask.width, top + mask.height), mask)


def monthly_chart(weeks: Sequence[Any], thresholds: Thresholds, words: dict[str, Any]) -> bytes:
    """The PNG bytes of the chart for `weeks` (`WeekBar`s: days, counted, avoided, zone and the lines in force).

    Threshold lines are drawn per bar at the bar's scaled level, and only when
    they fall within the plotted range: a team far below the red line does not
    need its bars squashed to show it.
    """
    lang = str(words.get("lang", "fr"))
    n = len(weeks)
    generations = [int(w.counted) for w in weeks]  # the zone's count, not every kind
    avoided = [int(w.avoided) for w in weeks]
    levels = [_bar_thresholds(int(w.days), getattr(w, "lines", None) or thresholds) for w in weeks]
    lowest_line = min((lv["green_max"] for lv in levels), default=float(thresholds.green_max))
    top = max([*generations, *avoided, lowest_line, 1]) * HEADROOM
    step = _tick_step(top)
    ticks = list(range(0, int(top) + 1, step))
    drawn = [name for name in ("green_max", "orange_max") if any(lv[name] < top for lv in levels)]
    zones = [z for z in ("green", "orange", "red") if any(w.zone == z and not _closed(w) for w in weeks)]

    with _DRAWING:
        img = Image.new("RGB", SIZE_PX, "white")
        draw = ImageDraw.Draw(img)

        # the y axis: its label, then its tick labels, then the plot starts where they end
        ylabel_font = _font(YLABEL)
        _vertical_text(img, str(words.get("ylabel", "")), ylabel_font, YLABEL_LEFT, (PLOT_TOP + PLOT_BOTTOM) / 2)
        tick_font = _font(TICKS)
        tick_labels = [format_number(v, lang) for v in ticks]
        widest = max(tick_font.getlength(t) for t in tick_labels)
        left = round(YLABEL_LEFT + YLABEL * 1.3 + widest + PAD + TICK)
        right, bottom = PLOT_RIGHT, PLOT_BOTTOM
        x_min, x_max = -0.6, max(n - 0.4, 0.4)
        room = (right - left) / (x_max - x_min)  # pixels per bar

        def px(x: float) -> float:
            return left + (x - x_min) * room

        def py(v: float) -> float:
            return bottom - v / top * (bottom - PLOT_TOP)

        for v, label in zip(ticks, tick_labels):
            y = round(py(v))
            draw.line((left, y, right, y), fill=GRID, width=LINE)
            draw.line((left - TICK, y, left, y), fill=INK, width=LINE)
            draw.text((left - TICK - PAD, y), label, font=tick_font, fill=INK, anchor="rm")

        for i, (g, w) in enumerate(zip(generations, weeks)):
            half = BAR_WIDTH * room / 2
            if g > 0:
                draw.rectangle((round(px(i) - half), round(py(g)), round(px(i) + half) - 1, bottom),
                               fill=CLOSED_COLOUR if _closed(w) else ZONE_COLOURS[w.zone])
        points = [(px(i), py(a)) for i, a in enumerate(avoided)]
        _smooth_line(img, points, points, AVOIDED_COLOUR, 2.5 * PT, 6 * PT)

        draw.line((left, PLOT_TOP, left, bottom), fill=INK, width=LINE)
        draw.line((left - 1, bottom, right, bottom), fill=INK, width=LINE)

        value_font, values = _fit([format_number(g, lang) for g in generations], VALUES, room * 0.98)
        for i, (g, (value,)) in enumerate(zip(generations, values)):
            draw.text((px(i), py(g) - 2 * PT), value, font=value_font, fill=INK, anchor="md")

        for name in drawn:
            for i, lv in enumerate(levels):
                if lv[name] < top:
                    half = THRESHOLD_WIDTH * room / 2
                    _dashed(draw, px(i) - half, px(i) + half, py(lv[name]), THRESHOLD_COLOURS[name])

        for i in range(n):
            draw.line((round(px(i)), bottom, round(px(i)), bottom + TICK), fill=INK, width=LINE)
        week_font, week_lines = _fit([str(s) for s in words.get("weeks", [])][:n], WEEKS, room * 0.92, max_lines=2)
        for i, lines in enumerate(week_lines):
            x = round(px(i))
            for j, line in enumerate(lines):
                draw.text((x, bottom + TICK + PAD + j * week_font.size * 1.15), line, font=week_font, fill=INK,
                          anchor="ma")

        title_font, ((title,),) = _fit([str(words.get("title", ""))], TITLE, SIZE_PX[0] - left - 10, bold=True)
        draw.text((left, TITLE_BASELINE), title, font=title_font, fill=INK, anchor="ls")

        _legend(img, draw, [[str(words.get(z, z)) for z in zones],
                            [str(words.get("avoided", "")), *(str(words.get(t, t)) for t in drawn)]],
                [[("patch", ZONE_COLOURS[z]) for z in zones],
                 [("line", AVOIDED_COLOUR), *(("dashed", THRESHOLD_COLOURS[t]) for t in drawn)]])

        return _png(img)


def _png(img: Image.Image) -> bytes:
    """`img` as an RGB PNG, every row unfiltered, compressed at zlib's fastest level.

    Pillow's encoder picks each row's filter by trying all five, which took
    two thirds of a chart's time; on flat colours on white the filters gain
    nothing here (the file came out the same size), and higher zlib levels
    save a fifth of the bytes for three times the work. So this writes the
    format's three chunks directly.
    """
    width, height = img.size
    raw = img.tobytes()
    row = width * 3
    scanlines = b"".join(b"\0" + raw[y * row:(y + 1) * row] for y in range(height))  # 0: no filter

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits a sample, RGB, deflate, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(scanlines, 1))
            + chunk(b"IEND", b""))


def _legend(img: Image.Image, draw: ImageDraw.ImageDraw, labels: list[list[str]],
            marks: list[list[tuple[str, str]]]) -> None:
    """Two rows under the plot, the zones then the lines, in columns centred on the picture.

    Each entry is a sample mark (a patch, the avoided line with its marker, or
    a dashed threshold) and its label; a column is as wide as its widest label.
    """
    gap, spacing = round(0.8 * LEGEND), round(2 * LEGEND)
    columns = max(len(row) for row in labels)
    for step in range(7):
        font = _font(round(LEGEND * (1 - (1 - SMALLEST) * step / 6)))
        widths = [max((font.getlength(row[c]) for row in labels if c < len(row)), default=0) for c in range(columns)]
        total = sum(HANDLE + gap + w for w in widths) + spacing * (columns - 1)
        if total <= SIZE_PX[0] - 16:
            break
    x_start = max(8.0, (SIZE_PX[0] - total) / 2)
    for row_labels, row_marks, y in zip(labels, marks, LEGEND_ROWS):
        x = x_start
        for c, (label, (kind, colour)) in enumerate(zip(row_labels, row_marks)):
            if kind == "patch":
                h = 0.7 * LEGEND / 2
                draw.rectangle((round(x), round(y - h), round(x + HANDLE), round(y + h)), fill=colour)
            elif kind == "line":
                _smooth_line(img, [(x, y), (x + HANDLE, y)], [(x + HANDLE / 2, y)], colour, 2.5 * PT, 6 * PT)
            else:
                _dashed(draw, x, x + HANDLE, y, colour)
            draw.text((x + HANDLE + gap, y), label, font=font, fill=INK, anchor="lm")
            x += HANDLE + gap + widths[c] + spacing
