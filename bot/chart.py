"""The monthly chart: weekly generations as zone-coloured bars, avoided as a line, thresholds dashed.

Drawn with matplotlib's Agg canvas directly (no pyplot, no display, no global
figure state), so it works in a server thread and never opens a window. The
picture is 1200 × 800 pixels with large type: it is mostly looked at in a chat
app on a phone. Every word on it arrives in `words`, rendered from the
templates by `bot.summaries.chart_words`; this module holds none.
"""

from __future__ import annotations

import io
import threading
from typing import Any, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .numbers import format_number
from .zones import Thresholds

WIDTH_IN, HEIGHT_IN, DPI = 6.0, 4.0, 200  # 1200 × 800 px
SIZE_PX = (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
ZONE_COLOURS = {"green": "#2f9e44", "orange": "#f08c00", "red": "#e03131"}
AVOIDED_COLOUR = "#1c7ed6"
THRESHOLD_COLOURS = {"green_max": "#2f9e44", "orange_max": "#e03131"}
HEADROOM = 1.25  # space above the tallest mark for its value label

# matplotlib's text layout and font cache are shared by every figure; one chart at a time.
_DRAWING = threading.Lock()


def _bar_thresholds(days: int, t: Thresholds) -> dict[str, float]:
    """The weekly thresholds scaled to a bar's days, so a week cut by the month's edge is judged fairly."""
    return {"green_max": t.green_max * days / 7, "orange_max": t.orange_max * days / 7}


def monthly_chart(weeks: Sequence[Any], thresholds: Thresholds, words: dict[str, Any]) -> bytes:
    """The PNG bytes of the chart for `weeks` (objects with days, generations, avoided and zone).

    Threshold lines are drawn per bar at the bar's scaled level, and only when
    they fall within the plotted range: a team far below the red line does not
    need its bars squashed to show it.
    """
    lang = str(words.get("lang", "fr"))
    x = list(range(len(weeks)))
    generations = [int(w.generations) for w in weeks]
    avoided = [int(w.avoided) for w in weeks]
    levels = [_bar_thresholds(int(w.days), thresholds) for w in weeks]
    lowest_line = min((lv["green_max"] for lv in levels), default=float(thresholds.green_max))
    top = max([*generations, *avoided, lowest_line, 1]) * HEADROOM

    with _DRAWING:
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        bars = ax.bar(x, generations, width=0.62, color=[ZONE_COLOURS[w.zone] for w in weeks], zorder=2)
        ax.bar_label(bars, labels=[format_number(g, lang) for g in generations], padding=2, fontsize=9)
        ax.plot(x, avoided, color=AVOIDED_COLOUR, marker="o", linewidth=2.5, markersize=6, zorder=2.5)

        drawn: list[str] = []
        for name in ("green_max", "orange_max"):
            for i, lv in enumerate(levels):
                if lv[name] < top:
                    ax.hlines(lv[name], i - 0.45, i + 0.45, colors=THRESHOLD_COLOURS[name], linestyles="dashed",
                              linewidth=1.6, zorder=4)
                    if name not in drawn:
                        drawn.append(name)

        ax.set_ylim(0, top)
        ax.set_xlim(-0.6, max(len(weeks) - 0.4, 0.4))
        ax.set_xticks(x, labels=list(words.get("weeks", [])), fontsize=8.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang)))
        ax.tick_params(axis="y", labelsize=9)
        ax.set_ylabel(str(words.get("ylabel", "")), fontsize=10)
        ax.set_title(str(words.get("title", "")), fontsize=12, fontweight="bold", loc="left")
        ax.grid(axis="y", color="#dee2e6", linewidth=0.8, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)

        zones = [z for z in ("green", "orange", "red") if any(w.zone == z for w in weeks)]
        handles: list[Any] = [Patch(color=ZONE_COLOURS[z], label=str(words.get(z, z))) for z in zones]
        handles.append(Line2D([], [], color=AVOIDED_COLOUR, marker="o", linewidth=2.5, label=str(words.get("avoided", ""))))
        handles += [Line2D([], [], color=THRESHOLD_COLOURS[n], linestyle="dashed", linewidth=1.6,
                           label=str(words.get(n, n))) for n in drawn]
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=min(len(handles), 3), frameon=False)
        fig.subplots_adjust(left=0.11, right=0.98, top=0.9, bottom=0.25)

        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
