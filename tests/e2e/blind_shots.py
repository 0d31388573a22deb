"""The screenshots of blind first review: the admin turns it on around the interviewer's
shot of a screen-stage scorecard, and off again after it, so the other shots are as usual."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page

from interviewer.auth.models import Role
from tests.e2e import sign_in


def _set_blind_review(page: Page, logins, on: bool) -> None:
    """Tick or clear "Review screens blind" as the admin, in a browser of their own."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    context = page.context.browser.new_context(base_url=origin)
    try:
        admin = context.new_page()
        sign_in(admin, logins.emails[Role.ADMIN], logins.password)
        admin.goto("/team/review")
        admin.get_by_label("Review screens blind").set_checked(on)
        admin.get_by_role("button", name="Save the setting").click()
        admin.get_by_text("reviewed blind").wait_for()
    finally:
        context.close()


def blind_on(page: Page, logins) -> None:
    _set_blind_review(page, logins, True)
    page.reload()
    page.get_by_text("Blind review:").wait_for()


def blind_off(page: Page, logins) -> None:
    _set_blind_review(page, logins, False)


def blind_paths(session, interviewer_email: str) -> dict[str, str]:
    """The scorecard page of the latest past screen of an application still at its screen
    (``blind_scorecard``). The demo's screens are taken by others, so the interviewer who
    signs in joins that panel here (in the screenshots' own database)."""
    from sqlalchemy import select

    from interviewer.auth.models import User
    from interviewer.candidates.models import Application
    from interviewer.db import utcnow
    from interviewer.plans.models import PlanStage, StageType
    from interviewer.scheduling.models import Interview, PanelMember

    interview = session.scalar(
        select(Interview)
        .join(Application, Application.id == Interview.application_id)
        .join(PlanStage, PlanStage.id == Application.current_stage_id)
        .join(StageType, StageType.id == PlanStage.stage_type_id)
        .where(
            StageType.key == "screen",
            Interview.plan_stage_id == Application.current_stage_id,
            Interview.ends_at < utcnow(),
        )
        .order_by(Interview.starts_at.desc())
    )
    user = session.scalar(select(User).where(User.email == interviewer_email))
    if interview is None or user is None:
        return {}
    if user not in interview.interviewers:
        session.add(PanelMember(team_id=interview.team_id, interview=interview, user=user))
        session.commit()
    return {"blind_scorecard": f"/interviews/{interview.id}/scorecard"}
