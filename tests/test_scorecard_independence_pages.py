"""Independence on the scorecard pages: no colleague's rating, evidence or recommendation
reaches an interviewer before their own scorecards of the application are in.
"""

from __future__ import annotations

from datetime import timedelta

from interviewer.auth.models import Role
from interviewer.scorecards.models import ScorecardState
from tests import factories
from tests.test_scorecard_writing import complete, lock_of, make_interview, skills_of, url

SECRET = "Colleague saw the race condition first."


def submitted_card(interview, user, evidence=SECRET, score=1, recommendation=1):
    """A submitted scorecard of ``user`` rating the first focus skill."""
    card = factories.ScorecardFactory(
        team=interview.team,
        interview=interview,
        interviewer=user,
        state=ScorecardState.SUBMITTED,
        submitted_at=interview.ends_at,
        recommendation=recommendation,
        key_takeaways="Colleague's takeaways.",
    )
    factories.RatingFactory(
        team=interview.team,
        scorecard=card,
        skill=skills_of(interview)[0],
        score=score,
        evidence=evidence,
    )
    return card


def colleagues(application_id):
    return f"/applications/{application_id}/scorecards"


def test_an_interviewer_sees_no_colleague_scorecard_before_submitting(client, auth):
    interview, (dana, sam) = make_interview(panel=2)
    card = submitted_card(interview, sam)
    auth.login(user=dana)

    pages = {
        "colleagues": client.get(colleagues(interview.application_id)),
        "scorecard": client.get(f"/scorecards/{card.id}"),
        "own": client.get(url(interview)),
    }

    assert pages["colleagues"].status_code == 403
    assert pages["scorecard"].status_code == 403
    assert pages["own"].status_code == 200
    wait = pages["colleagues"].get_data(as_text=True)
    assert "Submit your scorecard first: you will see your colleagues’ scorecards" in wait
    assert url(interview) in wait
    for response in pages.values():
        page = response.get_data(as_text=True)
        assert SECRET not in page
        assert "Colleague&#39;s takeaways." not in page
        assert "1 Strong no</span>" not in page


def test_after_submitting_an_interviewer_is_sent_to_the_colleagues_scorecards(client, auth):
    interview, (dana, sam) = make_interview(panel=2)
    card = submitted_card(interview, sam)
    auth.login(user=dana)

    response = client.post(url(interview), data=complete(interview))

    assert response.headers["Location"].endswith(
        f"{colleagues(interview.application_id)}#interview-{interview.id}"
    )
    page = client.get(colleagues(interview.application_id)).get_data(as_text=True)
    assert SECRET in page
    assert "Colleague&#39;s takeaways." in page
    assert "1 Strong no" in page
    assert "Paginated the endpoint and named the index." in page
    assert SECRET in client.get(f"/scorecards/{card.id}").get_data(as_text=True)


def test_a_draft_does_not_open_the_colleagues_scorecards(client, auth):
    interview, (dana, sam) = make_interview(panel=2)
    submitted_card(interview, sam)
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview, action="save_draft"))

    response = client.get(colleagues(interview.application_id))

    assert response.status_code == 403
    assert SECRET not in response.get_data(as_text=True)


def test_every_interview_of_the_application_must_be_scored_first(client, db, auth):
    interview, (dana, sam) = make_interview(panel=2)
    submitted_card(interview, sam)
    later = factories.InterviewFactory(
        team=interview.team,
        application=interview.application,
        plan_stage=interview.plan_stage,
        kit_version=interview.kit_version,
        starts_at=interview.starts_at + timedelta(minutes=90),
        ends_at=interview.ends_at + timedelta(minutes=90),
    )
    factories.PanelMemberFactory(team=interview.team, interview=later, user=dana)
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview))

    response = client.get(colleagues(interview.application_id))

    assert response.status_code == 403
    assert url(later) in response.get_data(as_text=True)
    assert SECRET not in response.get_data(as_text=True)
    submitted_page = client.get(url(interview)).get_data(as_text=True)
    assert "Colleagues’ scorecards</a>" not in submitted_page
    assert "once your scorecards for all of their interviews are in" in submitted_page


def test_a_colleagues_draft_stays_hidden_even_after_submitting(client, auth):
    interview, (dana, sam) = make_interview(panel=2)
    draft = factories.ScorecardFactory(
        team=interview.team, interview=interview, interviewer=sam, key_takeaways="Half-baked."
    )
    factories.RatingFactory(
        team=interview.team, scorecard=draft, skill=skills_of(interview)[0], evidence=SECRET
    )
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview))

    page = client.get(colleagues(interview.application_id)).get_data(as_text=True)

    assert "Draft saved, not submitted yet." in page
    assert SECRET not in page and "Half-baked." not in page
    assert client.get(f"/scorecards/{draft.id}").status_code == 403


def test_an_interviewer_off_every_panel_of_the_application_sees_nothing(client, auth):
    interview, (dana,) = make_interview()
    submitted_card(interview, dana)
    auth.login(Role.INTERVIEWER, team=interview.team)

    response = client.get(colleagues(interview.application_id))

    assert response.status_code == 403
    assert SECRET not in response.get_data(as_text=True)
    assert "Submit your scorecard first" not in response.get_data(as_text=True)


def test_a_manager_sees_every_submitted_scorecard(client, auth):
    interview, (dana, sam) = make_interview(panel=2)
    card = submitted_card(interview, sam)
    auth.login(Role.HIRING_MANAGER, team=interview.team)

    page = client.get(colleagues(interview.application_id)).get_data(as_text=True)

    assert SECRET in page
    assert f"{dana.name}" in page and "Not started yet." in page
    assert SECRET in client.get(f"/scorecards/{card.id}").get_data(as_text=True)


def test_another_teams_scorecards_are_not_found(client, auth):
    interview, (dana,) = make_interview()
    card = submitted_card(interview, dana)
    auth.login(Role.HIRING_MANAGER)

    assert client.get(colleagues(interview.application_id)).status_code == 404
    assert client.get(f"/scorecards/{card.id}").status_code == 404


def test_an_amended_scorecard_shows_its_reason_and_history_to_colleagues(client, auth):
    interview, (dana, sam) = make_interview(panel=2)
    auth.login(user=sam)
    client.post(url(interview), data=complete(interview))
    lock = lock_of(client.get(url(interview, "/amend")).get_data(as_text=True))
    client.post(
        url(interview, "/amend"),
        data=complete(
            interview,
            lock=lock,
            action="save_amendment",
            recommendation=4,
            reason="Second look at the code.",
        ),
    )
    auth.logout()
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview))

    page = client.get(colleagues(interview.application_id)).get_data(as_text=True)

    assert "Amended: “Second look at the code.”" in page
    assert "version 2" in page


def test_the_colleagues_page_runs_a_fixed_number_of_queries(client, auth, count_queries):
    def measure(size: int) -> int:
        interview, panel = make_interview(panel=size)
        for user in panel:
            submitted_card(interview, user)
        auth.logout()
        auth.login(Role.HIRING_MANAGER, team=interview.team)
        with count_queries() as counter:
            response = client.get(colleagues(interview.application_id))
        assert response.get_data(as_text=True).count(SECRET) == size
        return counter.count

    assert measure(2) == measure(8)
