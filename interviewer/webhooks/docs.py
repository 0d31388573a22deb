"""The receiver's verification snippet, read from ``README_SECTION.md`` so that the guide
page, the README and the test that runs it against a real delivery show the same code."""

from __future__ import annotations

from pathlib import Path

SECTION = Path(__file__).with_name("README_SECTION.md")


def snippet() -> str:
    """The Python code block of the README section."""
    text = SECTION.read_text(encoding="utf-8")
    return text.split("```python\n", 1)[1].split("```", 1)[0]


SNIPPET = snippet()
