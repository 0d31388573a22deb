"""The receiver's guide, ``receiving.md``: the guide page shows its verification snippet, the
README points to it, and a test runs that snippet against a real delivery."""

from __future__ import annotations

from pathlib import Path

SECTION = Path(__file__).with_name("receiving.md")


def snippet() -> str:
    """The Python code block of the guide."""
    text = SECTION.read_text(encoding="utf-8")
    return text.split("```python\n", 1)[1].split("```", 1)[0]


SNIPPET = snippet()
