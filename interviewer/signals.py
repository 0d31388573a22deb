"""Collecting the answers to a signal, the way a lower feature asks the features above it.

A feature that must know something only a higher feature knows ("is this skill rated
anywhere?") defines a blinker signal in its own ``signals`` module and sends it; the higher
features connect receivers that answer. The asking feature imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def values_from_signal(responses: list[tuple[Callable[..., Any], Any]]) -> list[Any]:
    """The values the receivers returned to ``Signal.send``, leaving out ``None``.

    The order in which blinker calls receivers is undefined, so a caller that shows the
    values puts them in an order of its own.
    """
    return [value for _receiver, value in responses if value is not None]
