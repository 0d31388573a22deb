"""Accent colours: parsing ``#rrggbb`` and the WCAG 2 contrast check against white.

The accent is the background of buttons with white text and the colour of links on white
pages, so it must reach the WCAG AA ratio for normal text (4.5:1) against white.
"""

from __future__ import annotations

import math
import re

#: WCAG 2 AA for normal-size text.
AA_RATIO = 4.5
WHITE = "#ffffff"
_HEX = re.compile(r"#?([0-9a-f]{3}|[0-9a-f]{6})", re.IGNORECASE)


class AccentError(ValueError):
    """An accent colour that cannot be used, in words for the admin."""


def normalise(text: str) -> str:
    """``text`` as ``#rrggbb`` in lower case (``#abc`` and ``abc`` are accepted).

    Raises :class:`AccentError` for anything that is not a hex colour.
    """
    found = _HEX.fullmatch(text.strip())
    if found is None:
        raise AccentError(
            f"“{text.strip()}” is not a hex colour: write six hex digits such as #1f5fbf."
        )
    digits = found.group(1).lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue of a ``#rrggbb`` colour, 0-255 each."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(max(0, min(255, part))):02x}" for part in (red, green, blue))


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of ``colour``: 0 for black, 1 for white."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str = WHITE) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shown_ratio(ratio: float) -> str:
    """``4.47:1``: rounded down, so that a ratio just short of the bar never reads as it."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"


def darker(colour: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0-1) of the way towards black."""
    return _hex(*(channel * (1 - amount) for channel in rgb(colour)))


def readable_shade(colour: str) -> str:
    """The lightest shade of ``colour`` (towards black, in 1% steps) that passes AA."""
    for step in range(101):
        shade = darker(colour, step / 100)
        if contrast_ratio(shade) >= AA_RATIO:
            return shade
    return "#000000"


def check_accent(text: str) -> str:
    """``text`` as a ``#rrggbb`` accent that passes AA against white.

    Raises :class:`AccentError` saying the measured ratio and a darker shade that passes.
    """
    colour = normalise(text)
    ratio = contrast_ratio(colour)
    if ratio < AA_RATIO:
        raise AccentError(
            f"{colour} against white has a contrast of {shown_ratio(ratio)}; white text on "
            f"buttons and links on white pages need at least {AA_RATIO}:1 (WCAG AA). "
            f"A darker shade such as {readable_shade(colour)} passes."
        )
    return colour


def hover_shade(colour: str) -> str:
    """The shade of a button or link under the pointer: a little darker than the accent."""
    return darker(colour, 0.15)
