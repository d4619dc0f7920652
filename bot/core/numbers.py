"""Locale-aware number formatting ("1 234,5" in French, "1,234.5" in English).

Kept tiny and dependency-free on purpose: the bot needs grouping, a decimal
mark and rounding to significant figures, nothing more.
"""

from __future__ import annotations

import math

_SEPARATORS = {"fr": (" ", ","), "en": (",", ".")}


def round_sig(value: float, sig: int = 2) -> float:
    """Round to `sig` significant figures (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = sig - int(math.floor(math.log10(abs(value)))) - 1
    return round(value, digits)


def format_number(value: float, lang: str = "fr", sig: int | None = None, decimals: int | None = None) -> str:
    """Format `value` for `lang`.

    `sig` rounds to significant figures (never adding spurious trailing zeros);
    `decimals` fixes the number of decimals; with neither, integers print as
    integers and other values keep up to two decimals.
    """
    group, mark = _SEPARATORS.get(lang, _SEPARATORS["en"])
    if sig is not None:
        value = round_sig(float(value), sig)
        if value == 0:
            text = "0"
        else:
            digits = max(0, sig - int(math.floor(math.log10(abs(value)))) - 1)
            text = f"{abs(value):.{digits}f}"
    elif decimals is not None:
        text = f"{abs(value):.{decimals}f}"
    elif float(value).is_integer():
        text = f"{abs(int(value))}"
    else:
        text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    if sig is not None and frac:
        frac = frac.rstrip("0")
    grouped = ""
    while len(whole) > 3:
        grouped = group + whole[-3:] + grouped
        whole = whole[:-3]
    grouped = whole + grouped
    sign = "-" if value < 0 and text.strip("0.") else ""
    return sign + grouped + (mark + frac if frac else "")
