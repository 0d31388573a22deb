"""The accessibility tour: every page of the screenshot tour, as each role sees it at desktop
and phone width, has no serious or critical fault that axe-core finds (contrast, names,
structure, keyboard access). ``python -m tests.e2e.screenshots --axe`` runs the same checks
and keeps the screenshots."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.e2e import screenshots


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the tour serves its own fresh SQLite demo site, so it runs in the SQLite pass",
)
def test_every_page_of_the_tour_has_no_serious_accessibility_fault(browser):
    def run(base_url, logins, known=None):
        with tempfile.TemporaryDirectory() as out:
            return screenshots.take(
                browser,
                base_url,
                Path(out),
                screenshots.SHOTS,
                logins,
                known,
                axe=True,
                capture=False,
            )

    trouble = screenshots._serve_demo(run)

    faults = [line for line in trouble if ": axe " in line]
    assert not faults, "\n".join(faults)
