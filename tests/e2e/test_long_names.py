"""A 160-character name with no space in it wraps: the candidate page, the board and the
debrief are no wider than a phone (390 px) or a desktop (1280 px) window."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.plans.models import Job
from tests.e2e import DESKTOP, PHONE

LONG_NAME = "Kenji" + "Watanabe" * 19 + "Xyz"  # 160 characters, not one space


@pytest.fixture
def long_named(live_server):
    """Kenji Watanabe's application to Senior Backend Developer, his name made 160 characters
    long for the test: (application id, candidate id, job id)."""
    with live_server.app.app_context():
        application = db.session.scalar(
            select(Application)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .join(Job, Job.id == Application.job_id)
            .where(Candidate.name == "Kenji Watanabe", Job.title == "Senior Backend Developer")
        )
        assert application is not None
        ids = application.id, application.candidate_id, application.job_id
        application.candidate.name = LONG_NAME
        db.session.commit()
        db.session.remove()
    yield ids
    with live_server.app.app_context():
        db.session.get(Candidate, ids[1]).name = "Kenji Watanabe"
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_long_unbroken_name_does_not_widen_the_page(page: Page, sign_in_as, long_named, size):
    assert len(LONG_NAME) == 160
    application_id, candidate_id, job_id = long_named
    page.set_viewport_size(size)
    sign_in_as(Role.HIRING_MANAGER)
    wider = {}
    for path in (
        f"/candidates/{candidate_id}",
        f"/jobs/{job_id}/board",
        f"/applications/{application_id}/debrief",
    ):
        page.goto(path)
        assert LONG_NAME in page.content(), path
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wider[path] = scroll
    assert not wider, f"pages wider than {size['width']} px: {wider}"
