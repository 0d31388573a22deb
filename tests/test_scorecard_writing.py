"""Writing a scorecard: drafts, submission, the lock, amendments, two tabs, who may write.

The builders at the top are shared with the other scorecard test modules.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.db import utcnow
from interviewer.scheduling.models import InterviewStatus
from interviewer.scorecards import errors, services
from interviewer.scorecards.models import Scorecard, ScorecardState
from tests import factories


def make_interview(panel=1, skills=("API design", "Testing"), started=True, team=None):
    """An interview (started two hours ago, or starting tomorrow) whose kit version covers
    ``skills``, with ``panel`` interviewers; returns (interview, panel users).
    """
    team = team or factories.TeamFactory()
    starts_at = utcnow().replace(microsecond=0) + (
        timedelta(hours=-2) if started else timedelta(days=1)
    )
    job = factories.JobFactory(team=team)
    stage = factories.PlanStageFactory(team=team, job=job, name="Live coding")
    kit = factories.KitVersionFactory(team=team, plan_stage=stage)
    for name in skills:
        factories.KitItemFactory(
            team=team,
            kit_version=kit,
            skill=factories.SkillFactory(team=team, name=name),
            questions=f"Ask about {name}.",
            probe=f"Probe the depth of {name}.",
            rubric=f"3 Yes: {name} at the bar.",
        )
    interview = factories.InterviewFactory(
        team=team,
        application=factories.ApplicationFactory(team=team, job=job),
        plan_stage=stage,
        kit_version=kit,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )
    users = [factories.UserFactory(team=team, role=Role.INTERVIEWER) for _ in range(panel)]
    for user in users:
        factories.PanelMemberFactory(team=team, interview=interview, user=user)
    return interview, users


def skills_of(interview):
    """The interview's focus skills in kit order (by name)."""
    return sorted((item.skill for item in interview.kit_version.items), key=lambda s: s.name)


def form_data(interview, scores=None, evidence=None, lock=0, action="save_draft", **fields):
    """A POST of the scorecard form; ``scores`` and ``evidence`` by skill name."""
    scores, evidence = scores or {}, evidence or {}
    data = {"lock_version": str(lock), action: "1", "key_takeaways": fields.pop("takeaways", "")}
    for skill in skills_of(interview):
        data[f"score_{skill.id}"] = str(scores.get(skill.name, "na"))
        data[f"evidence_{skill.id}"] = evidence.get(skill.name, "")
    recommendation = fields.pop("recommendation", None)
    if recommendation is not None:
        data["recommendation"] = str(recommendation)
    data.update(fields)
    return data


def complete(interview, lock=0, action="submit_scorecard", **fields):
    """A form that can be submitted: API design rated 3 with evidence, recommendation 3."""
    values = {
        "scores": {"API design": 3},
        "evidence": {"API design": "Paginated the endpoint and named the index."},
        "takeaways": "Solid on APIs.",
        "recommendation": 3,
        **fields,
    }
    return form_data(interview, lock=lock, action=action, **values)


def url(interview, suffix=""):
    return f"/interviews/{interview.id}/scorecard{suffix}"


def lock_of(page: str) -> int:
    """The lock version a rendered form carries."""
    match = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page)
    assert match, "the form has no lock_version"
    return int(match.group(1))


def checked(page: str, name: str) -> str | None:
    """The value of the checked radio button ``name`` in ``page``."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and "checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def card_of(db, interview, user) -> Scorecard | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Scorecard).where(
            Scorecard.interview_id == interview.id, Scorecard.interviewer_id == user.id
        )
    )


def actions(db, card) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_type == "scorecard", AuditEvent.subject_id == card.id)
            .order_by(AuditEvent.id)
        )
    )


def test_a_panel_member_sees_the_kit_beside_an_empty_form(client, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)

    page = client.get(url(interview)).get_data(as_text=True)

    assert "Ask about API design." in page
    assert "Probe the depth of Testing." in page
    assert "3 Yes: API design at the bar." in page
    for label in ("1 Strong no", "2 No", "3 Yes", "4 Strong yes", "Not assessed"):
        assert label in page
    assert "Save draft" in page and "Submit scorecard" in page
    assert "Submitting locks the scorecard" in page
    api = skills_of(interview)[0]
    assert checked(page, f"score_{api.id}") == "na"
    assert checked(page, "recommendation") is None


def test_saving_a_draft_keeps_every_value(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    api, testing = skills_of(interview)

    response = client.post(
        url(interview),
        data=form_data(
            interview,
            scores={"API design": 4},
            evidence={"API design": "Designed cursor paging.", "Testing": "Ran out of time."},
            takeaways="Strong on APIs.",
            recommendation=3,
        ),
    )

    assert response.status_code == 302
    card = card_of(db, interview, dana)
    assert card.state == ScorecardState.DRAFT
    assert card.kit_version_id == interview.kit_version_id
    assert card.application_id == interview.application_id
    ratings = {rating.skill_id: (rating.score, rating.evidence) for rating in card.ratings}
    assert ratings == {
        api.id: (4, "Designed cursor paging."),
        testing.id: (None, "Ran out of time."),
    }
    assert (card.key_takeaways, card.recommendation) == ("Strong on APIs.", 3)
    assert actions(db, card) == ["scorecard.draft_saved"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Draft saved at" in page
    assert checked(page, f"score_{api.id}") == "4"
    assert checked(page, f"score_{testing.id}") == "na"
    assert checked(page, "recommendation") == "3"
    assert "Designed cursor paging." in page and "Strong on APIs." in page


def test_an_empty_draft_can_be_saved(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)

    response = client.post(url(interview), data=form_data(interview))

    assert response.status_code == 302
    card = card_of(db, interview, dana)
    assert card.recommendation is None
    assert len(card.ratings) == 2
    assert all(rating.score is None for rating in card.ratings)


def test_a_failed_submission_shows_each_message_and_keeps_every_value(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    api, testing = skills_of(interview)

    response = client.post(
        url(interview),
        data=form_data(
            interview,
            action="submit_scorecard",
            scores={"API design": 2, "Testing": 3},
            takeaways="Needs a second look.",
        ),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose your overall recommendation." in page
    for skill in (api, testing):
        assert (
            f'href="#evidence_{skill.id}">Evidence for {skill.name}</a>: '
            "Write the evidence behind this rating." in page
        )
    # Once in the summary and once under each of the two evidence fields.
    assert page.count("Write the evidence behind this rating.") == 4
    assert "Not saved yet; everything you typed is still here. Still needed:" in page
    assert (
        '<a class="alert-link" href="#recommendation">Overall recommendation</a>: '
        "Choose your overall recommendation." in page
    )
    assert checked(page, f"score_{api.id}") == "2"
    assert checked(page, f"score_{testing.id}") == "3"
    assert "Needs a second look." in page
    assert card_of(db, interview, dana) is None


def test_each_rated_skill_needs_its_own_evidence_and_not_assessed_needs_none(client, db, auth):
    interview, (dana,) = make_interview(skills=("API design", "Testing", "Security"))
    auth.login(user=dana)
    api, security, testing = skills_of(interview)

    response = client.post(
        url(interview),
        data=form_data(
            interview,
            action="submit_scorecard",
            scores={"API design": 3, "Testing": 2},
            evidence={"API design": "Paginated the endpoint and named the index."},
            takeaways="Strong on APIs.",
            recommendation=3,
        ),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Testing is rated without evidence; Security is not assessed and needs none.
    assert (
        f'href="#evidence_{testing.id}">Evidence for Testing</a>: '
        "Write the evidence behind this rating." in page
    )
    assert page.count("Write the evidence behind this rating.") == 2
    assert f'href="#evidence_{api.id}"' not in page
    assert f'href="#evidence_{security.id}"' not in page
    assert "Paginated the endpoint and named the index." in page
    assert "Strong on APIs." in page
    assert checked(page, f"score_{testing.id}") == "2"
    assert checked(page, "recommendation") == "3"
    assert card_of(db, interview, dana) is None

    data = form_data(
        interview,
        action="submit_scorecard",
        scores={"API design": 3, "Testing": 2},
        evidence={
            "API design": "Paginated the endpoint and named the index.",
            "Testing": "Wrote one happy-path test only.",
        },
        recommendation=3,
    )
    assert client.post(url(interview), data=data).status_code == 302
    assert card_of(db, interview, dana).state.value == "submitted"


def test_a_submission_needs_at_least_one_rated_skill(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)

    response = client.post(
        url(interview),
        data=form_data(
            interview,
            action="submit_scorecard",
            evidence={"Testing": "We did not get to tests."},
            recommendation=2,
        ),
    )

    page = response.get_data(as_text=True)
    assert "Rate at least one focus skill and write the evidence for it" in page
    assert "We did not get to tests." in page
    assert checked(page, "recommendation") == "2"
    assert card_of(db, interview, dana) is None


def test_a_rating_off_the_scale_is_refused_next_to_its_field(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    data = complete(interview)
    data[f"score_{skills_of(interview)[0].id}"] = "7"

    response = client.post(url(interview), data=data)

    assert response.status_code == 200
    assert "Invalid Choice" in response.get_data(as_text=True)
    assert card_of(db, interview, dana) is None


def test_submitting_locks_the_scorecard(client, db, auth):
    interview, (dana, _) = make_interview(panel=2)
    auth.login(user=dana)

    response = client.post(url(interview), data=complete(interview))

    assert response.status_code == 302
    card = card_of(db, interview, dana)
    assert card.state == ScorecardState.SUBMITTED
    assert card.submitted_at is not None
    assert card.version == 1
    assert [(r.number, r.reason) for r in card.revisions] == [(1, "")]
    assert card.revisions[0].content["recommendation"] == 3
    assert actions(db, card) == ["scorecard.submitted"]
    page = client.get(url(interview)).get_data(as_text=True)
    assert "Submitted" in page and "locked" in page
    assert 'name="save_draft"' not in page
    assert "Amend…" in page

    lock = card.lock_version
    edit = complete(interview, lock=lock, action="save_draft", takeaways="Changed my mind.")
    refused = client.post(url(interview), data=edit)

    assert refused.status_code == 200
    assert "is locked now" in refused.get_data(as_text=True)
    card = card_of(db, interview, dana)
    assert (card.key_takeaways, card.lock_version) == ("Solid on APIs.", lock)


def test_an_amendment_is_a_new_version_with_its_reason_and_the_history_shows_both(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview))
    form = client.get(url(interview, "/amend")).get_data(as_text=True)
    assert "Solid on APIs." in form
    lock = lock_of(form)

    no_reason = client.post(
        url(interview, "/amend"),
        data=complete(interview, lock=lock, action="save_amendment", recommendation=2),
    )
    assert "Say why you are amending the scorecard." in no_reason.get_data(as_text=True)
    assert card_of(db, interview, dana).version == 1

    response = client.post(
        url(interview, "/amend"),
        data=complete(
            interview,
            lock=lock,
            action="save_amendment",
            recommendation=2,
            reason="Re-read my notes: the index was a guess.",
        ),
    )

    assert response.status_code == 302
    card = card_of(db, interview, dana)
    assert (card.version, card.recommendation) == (2, 2)
    assert card.amendment_reason == "Re-read my notes: the index was a guess."
    assert [(r.number, r.content["recommendation"]) for r in card.revisions] == [(1, 3), (2, 2)]
    assert card.revisions[1].reason == "Re-read my notes: the index was a guess."
    assert actions(db, card) == ["scorecard.submitted", "scorecard.amended"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Amendment saved as version 2." in page
    assert "Version 2" in page and "Version 1" in page
    assert "Re-read my notes: the index was a guess." in page


def test_an_amendment_that_changes_nothing_is_refused(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview))
    lock = lock_of(client.get(url(interview, "/amend")).get_data(as_text=True))

    response = client.post(
        url(interview, "/amend"),
        data=complete(interview, lock=lock, action="save_amendment", reason="Typo."),
    )

    assert "Nothing was changed" in response.get_data(as_text=True)
    assert card_of(db, interview, dana).version == 1


def test_an_amendment_of_a_scorecard_without_revisions_keeps_the_version_it_replaces(
    client, db, auth
):
    interview, (dana,) = make_interview()
    api = skills_of(interview)[0]
    card = factories.ScorecardFactory(
        team=interview.team,
        interview=interview,
        interviewer=dana,
        state=ScorecardState.SUBMITTED,
        submitted_at=utcnow(),
        recommendation=4,
    )
    factories.RatingFactory(team=interview.team, scorecard=card, skill=api, score=4)
    db.session.commit()
    auth.login(user=dana)

    response = client.post(
        url(interview, "/amend"),
        data=complete(
            interview, lock=card.lock_version, action="save_amendment", reason="Too generous."
        ),
    )

    assert response.status_code == 302
    card = card_of(db, interview, dana)
    assert [(r.number, r.content["recommendation"]) for r in card.revisions] == [(1, 4), (2, 3)]


def test_a_draft_is_not_amended_but_edited(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    client.post(url(interview), data=form_data(interview))

    response = client.get(url(interview, "/amend"))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(interview))


def test_two_tabs_saving_one_draft_do_not_overwrite_each_other(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    client.post(url(interview), data=form_data(interview, takeaways="First thoughts."))
    first_tab = lock_of(client.get(url(interview)).get_data(as_text=True))
    second_tab = lock_of(client.get(url(interview)).get_data(as_text=True))

    saved = client.post(
        url(interview), data=form_data(interview, lock=first_tab, takeaways="Tab one.")
    )
    refused = client.post(
        url(interview),
        data=form_data(
            interview,
            lock=second_tab,
            evidence={"Testing": "Tab two's notes."},
            takeaways="Tab two.",
        ),
    )

    assert saved.status_code == 302
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert re.search(
        r"This scorecard was changed in another tab or by another save at \d\d:\d\d UTC; "
        r"your text is kept below: review and save again.",
        page,
    )
    assert "Tab two&#39;s notes." in page and "Tab two." in page
    assert card_of(db, interview, dana).key_takeaways == "Tab one."

    again = client.post(
        url(interview), data=form_data(interview, lock=lock_of(page), takeaways="Tab two.")
    )

    assert again.status_code == 302
    assert card_of(db, interview, dana).key_takeaways == "Tab two."


def test_two_tabs_starting_the_same_new_scorecard_do_not_overwrite_each_other(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    assert lock_of(client.get(url(interview)).get_data(as_text=True)) == 0

    client.post(url(interview), data=form_data(interview, lock=0, takeaways="Tab one."))
    refused = client.post(url(interview), data=form_data(interview, lock=0, takeaways="Tab two."))

    assert "changed in another tab" in refused.get_data(as_text=True)
    assert card_of(db, interview, dana).key_takeaways == "Tab one."


def test_a_save_that_loses_the_race_after_its_check_is_refused_too(db):
    """Another save may land between the lock check and the UPDATE; the UPDATE's own
    version check catches it."""
    interview, (dana,) = make_interview()
    now = utcnow()
    entries = services.kit_entries(db.session, interview)
    card = services.scorecard_for(db.session, interview, dana, now)
    services.save_draft(
        db.session,
        card,
        services.ScorecardInput(),
        entries=entries,
        expected_lock=0,
        actor=dana,
        now=now,
    )
    seen = card.lock_version
    db.session.execute(
        update(Scorecard)
        .where(Scorecard.id == card.id)
        .values(lock_version=seen + 1, key_takeaways="Other save."),
        execution_options={"synchronize_session": False},
    )

    with pytest.raises(errors.StaleScorecard):
        services.save_draft(
            db.session,
            card,
            services.ScorecardInput(key_takeaways="Mine."),
            entries=entries,
            expected_lock=seen,
            actor=dana,
            now=now,
        )


def test_a_stale_tab_cannot_save_over_a_submitted_scorecard(client, db, auth):
    interview, (dana, _) = make_interview(panel=2)
    auth.login(user=dana)
    stale = lock_of(client.get(url(interview)).get_data(as_text=True))
    client.post(url(interview), data=complete(interview, lock=stale))

    refused = client.post(
        url(interview), data=form_data(interview, lock=stale, takeaways="Late thought.")
    )

    page = refused.get_data(as_text=True)
    assert "was submitted at" in page and "is locked now" in page
    assert "Late thought." in page
    assert "Amend the submitted scorecard" in page
    assert card_of(db, interview, dana).key_takeaways == "Solid on APIs."


def test_only_the_panel_writes_the_scorecard(client, db, auth):
    interview, _ = make_interview()
    outsider = factories.UserFactory(team=interview.team, role=Role.INTERVIEWER)
    auth.login(user=outsider)

    assert client.get(url(interview)).status_code == 403
    assert client.post(url(interview), data=complete(interview)).status_code == 403
    assert client.get(url(interview, "/amend")).status_code == 403
    assert db.session.scalars(select(Scorecard)).all() == []


def test_another_teams_interview_is_not_found(client, auth):
    interview, _ = make_interview()
    auth.login(Role.INTERVIEWER)

    assert client.get(url(interview)).status_code == 404
    assert client.post(url(interview), data=complete(interview)).status_code == 404


def test_a_manager_off_the_panel_is_sent_to_the_applications_scorecards(client, auth):
    interview, _ = make_interview()
    auth.login(Role.HIRING_MANAGER, team=interview.team)

    response = client.get(url(interview))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/applications/{interview.application_id}/scorecards#interview-{interview.id}"
    )


def test_the_scorecard_opens_when_the_interview_starts_and_the_kit_before(client, db, auth):
    interview, (dana,) = make_interview(started=False)
    auth.login(user=dana)

    page = client.get(url(interview)).get_data(as_text=True)
    response = client.post(url(interview), data=complete(interview))

    assert "You can write your scorecard once the interview has started." in page
    assert "Ask about API design." in page
    assert 'name="save_draft"' not in page
    assert response.status_code == 302
    assert card_of(db, interview, dana) is None


def test_a_cancelled_interview_has_no_scorecard(client, db, auth):
    interview, (dana,) = make_interview()
    interview.status = InterviewStatus.CANCELLED
    auth.login(user=dana)

    page = client.get(url(interview)).get_data(as_text=True)
    client.post(url(interview), data=complete(interview))

    assert "This interview was cancelled, so there is nothing to score." in page
    assert card_of(db, interview, dana) is None


def test_a_submitted_scorecard_stays_readable_after_the_interview_is_cancelled(client, db, auth):
    interview, (dana,) = make_interview()
    auth.login(user=dana)
    client.post(url(interview), data=complete(interview))
    interview.status = InterviewStatus.CANCELLED
    db.session.commit()

    page = client.get(url(interview)).get_data(as_text=True)

    assert "Paginated the endpoint and named the index." in page
    assert "nothing to score" not in page


def test_the_scorecard_page_runs_a_fixed_number_of_queries(client, db, auth, count_queries):
    def measure(size: int) -> int:
        interview, panel = make_interview(
            panel=size, skills=[f"Skill {size}-{n}" for n in range(size)]
        )
        for user in panel[1:]:
            card = factories.ScorecardFactory(
                team=interview.team, interview=interview, interviewer=user
            )
            for skill in skills_of(interview):
                factories.RatingFactory(team=interview.team, scorecard=card, skill=skill)
        auth.logout()
        auth.login(user=panel[0])
        client.post(url(interview), data=form_data(interview, takeaways="Draft."))
        with count_queries() as counter:
            response = client.get(url(interview))
        assert response.status_code == 200
        return counter.count

    assert measure(2) == measure(8)


def test_the_submitted_scorecard_page_runs_a_fixed_number_of_queries(
    client, db, auth, count_queries
):
    def measure(size: int) -> int:
        interview, panel = make_interview(
            panel=size, skills=[f"Topic {size}-{n}" for n in range(size)]
        )
        first = skills_of(interview)[0].name
        auth.logout()
        auth.login(user=panel[0])
        client.post(
            url(interview),
            data=form_data(
                interview,
                action="submit_scorecard",
                scores={first: 3},
                evidence={first: "Seen."},
                recommendation=3,
            ),
        )
        with count_queries() as counter:
            response = client.get(url(interview))
        assert "locked" in response.get_data(as_text=True)
        return counter.count

    assert measure(2) == measure(8)
