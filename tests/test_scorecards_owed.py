"""Scorecards still owed, one answer everywhere: a deactivated panel member owes nothing (not
reminded, not overdue on the dashboard, not waited for by the debrief or the decision), while
an active interviewer's own owed scorecard still keeps their colleagues' closed to them.

The clock stands at Monday 4 May 2026, 16:30 UTC; the interview ended at 15:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, User
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import Interview
from tests import factories
from tests.test_debrief import Loop, debrief_url, make_loop, person
from tests.test_scorecard_writing import complete, url

NOW = datetime(2026, 5, 4, 16, 30, tzinfo=UTC)
ENDS = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
LEFT_EVIDENCE = "Leo noted a clean pagination and a named index."


@dataclass
class PastInterview:
    """A Live coding interview of Kenji Watanabe that is over, with Priya Raman (active) and
    Leo Left (deactivated since) on the panel."""

    loop: Loop
    interview: Interview
    priya: User
    leo: User

    @property
    def application(self):
        return self.loop.application


@pytest.fixture
def past(db):
    with time_machine.travel(NOW, tick=False):
        team = factories.TeamFactory(name="Acme Engineering")
        loop = make_loop(team)
        stage = loop.stages["Live coding"]
        loop.application.current_stage = stage
        kit = factories.KitVersionFactory(team=team, plan_stage=stage)
        factories.KitItemFactory(team=team, kit_version=kit, skill=loop.skills["API design"])
        interview = factories.InterviewFactory(
            team=team,
            application=loop.application,
            plan_stage=stage,
            kit_version=kit,
            starts_at=ENDS - timedelta(hours=1),
            ends_at=ENDS,
        )
        loop.interviews["Live coding"] = interview
        priya, leo = person(team, "Priya Raman"), person(team, "Leo Left")
        for user in (priya, leo):
            factories.PanelMemberFactory(team=team, interview=interview, user=user)
        leo.active = False
        db.session.flush()
        yield PastInterview(loop, interview, priya, leo)


def reminded(db, interview) -> list[str]:
    return db.session.scalars(
        select(OutboxEmail.to_email)
        .where(OutboxEmail.interview_id == interview.id)
        .order_by(OutboxEmail.id)
    ).all()


def submit_as(client, auth, user, interview) -> None:
    """``user`` signs in and submits their scorecard of ``interview`` on its page."""
    auth.logout()
    auth.login(user=user)
    assert client.post(url(interview), data=complete(interview)).status_code == 302
    auth.logout()


def test_a_deactivated_panel_member_is_not_reminded(runner, db, past):
    result = runner.invoke(args=["send-reminders"])

    assert result.output == "Queued 1 reminder.\n"
    assert reminded(db, past.interview) == [past.priya.email]


def test_a_reactivated_panel_member_owes_their_scorecard_again(runner, db, past):
    runner.invoke(args=["send-reminders"])
    past.leo.active = True
    db.session.flush()

    result = runner.invoke(args=["send-reminders"])

    assert result.output == "Queued 1 reminder.\n"
    assert reminded(db, past.interview) == [past.priya.email, past.leo.email]


def test_the_dashboard_lists_no_deactivated_panel_member_as_overdue(client, auth, past):
    auth.login(Role.HIRING_MANAGER, team=past.loop.team)

    html = client.get("/dashboard").get_data(as_text=True)

    overdue = html[html.index('id="overdue-heading"') : html.index("</section>")]
    assert 'Overdue scorecards <span class="badge text-bg-danger">1</span>' in overdue
    assert "Priya Raman" in overdue
    assert "Leo Left" not in html


def test_the_debrief_lists_no_deactivated_panel_member_as_missing(client, auth, past):
    auth.login(Role.HIRING_MANAGER, team=past.loop.team)

    html = client.get(debrief_url(past.application)).get_data(as_text=True)

    assert "Missing scorecards (1)" in html
    assert "Priya Raman · Live coding" in html
    assert "Leo Left" not in html


def test_the_decision_does_not_wait_for_a_deactivated_panel_member(client, auth, db, past):
    submit_as(client, auth, past.priya, past.interview)
    auth.login(Role.HIRING_MANAGER, team=past.loop.team)

    debrief = client.get(debrief_url(past.application)).get_data(as_text=True)
    response = client.post(
        f"/applications/{past.application.id}/decisions",
        data={"outcome": "advance", "rationale": "Strong on API design."},
    )

    assert "Missing scorecards" not in debrief
    assert "still missing" not in debrief
    assert response.status_code == 302
    [recorded] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "decision.recorded")
    ).all()
    assert recorded.data["missing_scorecards"] == []


def test_an_active_interviewers_own_owed_scorecard_still_keeps_colleagues_closed(
    client, auth, past
):
    # Leo submitted before leaving: his scorecard stays evidence.
    past.loop.scorecard("Live coding", past.leo, {"API design": 3}, evidence=LEFT_EVIDENCE)
    auth.login(user=past.priya)
    colleagues = f"/applications/{past.application.id}/scorecards"

    waiting = client.get(colleagues)
    locked = client.get(debrief_url(past.application))
    client.post(url(past.interview), data=complete(past.interview))
    opened = client.get(colleagues)

    assert waiting.status_code == 403
    assert url(past.interview) in waiting.get_data(as_text=True)
    assert LEFT_EVIDENCE not in waiting.get_data(as_text=True)
    assert locked.status_code == 403
    assert opened.status_code == 200
    assert LEFT_EVIDENCE in opened.get_data(as_text=True)


def test_a_deactivated_members_submitted_scorecard_is_still_evidence_in_the_debrief(
    client, auth, past
):
    past.loop.scorecard("Live coding", past.leo, {"API design": 3}, evidence=LEFT_EVIDENCE)
    auth.login(Role.HIRING_MANAGER, team=past.loop.team)

    html = client.get(debrief_url(past.application)).get_data(as_text=True)

    assert LEFT_EVIDENCE in html
    assert "Missing scorecards (1)" in html


def test_the_overdue_list_shows_the_oldest_twenty_and_counts_the_rest(client, auth, past):
    team = past.loop.team
    for hours in range(2, 27):
        interview = factories.InterviewFactory(
            team=team,
            starts_at=NOW - timedelta(hours=hours + 1),
            ends_at=NOW - timedelta(hours=hours),
        )
        factories.PanelMemberFactory(
            team=team, interview=interview, user=person(team, f"Late {hours:02d}")
        )
    auth.login(Role.HIRING_MANAGER, team=team)

    html = client.get("/dashboard").get_data(as_text=True)

    # 25 late interviewers and Priya: the oldest 20 are shown, the rest counted.
    assert 'Overdue scorecards <span class="badge text-bg-danger">26</span>' in html
    assert "and 6 more." in html
    assert "Late 26" in html and "Late 07" in html
    assert "Late 06" not in html and "Priya Raman" not in html
