"""Each role's home page and the list pages run a fixed number of queries, however many rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import ApplicationStatus
from interviewer.dashboard import services
from interviewer.plans.models import JobStatus, Workplace
from interviewer.scheduling.models import InterviewStatus
from interviewer.scheduling.pool_models import InterviewTrainee, TrainingPhase
from interviewer.scorecards.models import ScorecardState
from tests import factories

FEW, MANY = 3, 30


@pytest.fixture(autouse=True)
def one_page(app, monkeypatch):
    """All rows on one page, so that 30 rows are really rendered."""
    monkeypatch.setitem(app.config, "PER_PAGE", 100)


def queries_for(client, db, count_queries, path: str) -> tuple[int, str]:
    """The number of SQL statements of ``GET path`` on a cold session, and the page."""
    # Nothing may come from the identity map: the page must load what it shows.
    db.session.expunge_all()
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def add_jobs(db, team_id: int, number: int) -> None:
    """Jobs with a three-stage plan and candidates spread over it."""
    team = db.session.get(Team, team_id)
    for _ in range(number):
        job = factories.JobFactory(team=team)
        stages = [
            factories.PlanStageFactory(
                team=team,
                job=job,
                position=position,
                stage_type=factories.StageTypeFactory(team=team, key=key),
            )
            for position, key in enumerate(("screen", "live_coding", "final"), start=1)
        ]
        for stage in stages:
            factories.ApplicationFactory(team=team, job=job, current_stage=stage)
        factories.ApplicationFactory(team=team, job=job, status=ApplicationStatus.OFFER)
        factories.ApplicationFactory(team=team, job=job, status=ApplicationStatus.HIRED)
    db.session.flush()


def test_dashboard_queries_do_not_grow_with_jobs(client, auth, db, count_queries):
    manager = auth.login(Role.HIRING_MANAGER)
    team_id = manager.team_id

    add_jobs(db, team_id, FEW)
    few, html = queries_for(client, db, count_queries, "/dashboard")
    assert html.count('class="card mb-3 card-job"') == FEW

    add_jobs(db, team_id, MANY - FEW)
    many, html = queries_for(client, db, count_queries, "/dashboard")
    assert html.count('class="card mb-3 card-job"') == MANY

    assert many == few


def test_dashboard_counts_candidates_per_stage_in_a_list_that_wraps(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    add_jobs(db, manager.team_id, 1)

    html = client.get("/dashboard").get_data(as_text=True)

    counts = re.findall(
        r'<span class="stage-count-name">([^<]+)<span class="visually-hidden">:</span></span> '
        r'<span class="stage-count-number">(\d+)</span>',
        html,
    )
    names = [name for name, _ in counts]
    assert names[-2:] == ["Offer", "Hired"]
    assert [number for _, number in counts] == ["1", "1", "1", "1", "1"]
    assert "<table" not in html


def test_dashboard_shows_open_and_draft_jobs_not_closed_ones(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    factories.JobFactory(team=manager.team, title="Open Job", status=JobStatus.OPEN)
    factories.JobFactory(team=manager.team, title="Draft Job", status=JobStatus.DRAFT)
    factories.JobFactory(team=manager.team, title="Closed Job", status=JobStatus.CLOSED)

    html = client.get("/dashboard").get_data(as_text=True)

    assert "Open Job" in html
    assert "Draft Job" in html
    assert "Closed Job" not in html


def test_dashboard_without_jobs_says_what_to_do_next(client, auth):
    auth.login(Role.HIRING_MANAGER)

    html = client.get("/dashboard").get_data(as_text=True)

    assert "No open or draft jobs yet." in html
    assert 'href="/catalog/"' in html


def add_interviews(db, user_id: int, number: int) -> None:
    """Interviews on ``user``'s panels: upcoming ones and past ones, half with a scorecard."""
    user = db.session.get(User, user_id)
    now = datetime.now(UTC).replace(microsecond=0)
    for index in range(number):
        starts_at = now + timedelta(days=index + 1) if index % 2 else now - timedelta(days=index)
        panel = factories.PanelMemberFactory(
            team=user.team, user=user, interview__starts_at=starts_at
        )
        if index % 4 == 0:
            factories.ScorecardFactory(
                team=user.team,
                interview=panel.interview,
                interviewer=user,
                state=ScorecardState.SUBMITTED,
            )
    db.session.flush()


def test_my_interviews_queries_do_not_grow_with_interviews(client, auth, db, count_queries):
    interviewer = auth.login(Role.INTERVIEWER)
    user_id = interviewer.id

    add_interviews(db, user_id, FEW)
    few, html = queries_for(client, db, count_queries, "/my-interviews")
    assert html.count("interview-item") == FEW

    add_interviews(db, user_id, MANY - FEW)
    many, html = queries_for(client, db, count_queries, "/my-interviews")
    assert html.count("interview-item") == MANY

    assert many == few


def test_my_interviews_marks_past_interviews_without_a_submitted_scorecard_overdue(
    client, auth, db
):
    interviewer = auth.login(Role.INTERVIEWER)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    done = factories.PanelMemberFactory(
        team=interviewer.team,
        user=interviewer,
        interview__starts_at=yesterday,
        interview__application__candidate__name="Scored Candidate",
    )
    factories.ScorecardFactory(
        team=interviewer.team,
        interview=done.interview,
        interviewer=interviewer,
        state=ScorecardState.SUBMITTED,
    )
    factories.PanelMemberFactory(
        team=interviewer.team,
        user=interviewer,
        interview__starts_at=yesterday - timedelta(hours=3),
        interview__application__candidate__name="Unscored Candidate",
    )

    html = client.get("/my-interviews").get_data(as_text=True)

    assert html.count("Overdue") == 1
    # Overdue scorecards come first.
    assert html.index("Unscored Candidate") < html.index("Overdue") < html.index("Scored Candidate")


def test_each_of_my_interviews_links_to_its_page_its_kit_and_its_calendar_file(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    upcoming = factories.PanelMemberFactory(team=interviewer.team, user=interviewer).interview
    kit = factories.KitVersionFactory(
        team=interviewer.team, plan_stage=upcoming.plan_stage, number=2
    )
    upcoming.kit_version = kit
    past = factories.PanelMemberFactory(
        team=interviewer.team,
        user=interviewer,
        interview__starts_at=datetime.now(UTC) - timedelta(days=3),
    ).interview

    html = client.get("/my-interviews").get_data(as_text=True)

    job_id, stage_id = upcoming.application.job_id, upcoming.plan_stage_id
    assert f'href="/interviews/{upcoming.id}"' in html
    assert f'href="/jobs/{job_id}/plan/stages/{stage_id}/kit?version=2"' in html
    assert f'href="/interviews/{upcoming.id}/invite.ics"' in html
    assert f'href="/interviews/{past.id}"' in html
    past_job_id, past_stage_id = past.application.job_id, past.plan_stage_id
    assert f'href="/jobs/{past_job_id}/plan/stages/{past_stage_id}/kit"' in html
    # A calendar file is for what is still to come, a scorecard for what is over.
    assert f'href="/interviews/{past.id}/invite.ics"' not in html
    assert f'href="/interviews/{past.id}/scorecard"' in html
    assert f'href="/interviews/{upcoming.id}/scorecard"' not in html
    for path in (f"/interviews/{upcoming.id}", f"/jobs/{job_id}/plan/stages/{stage_id}/kit"):
        assert client.get(path).status_code == 200


def test_my_interviews_show_each_past_scorecard_state(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    now = datetime.now(UTC)
    for days, name, state in (
        (1, "Submitted Candidate", ScorecardState.SUBMITTED),
        (2, "Draft Candidate", ScorecardState.DRAFT),
        (3, "Untouched Candidate", None),
    ):
        panel = factories.PanelMemberFactory(
            team=interviewer.team,
            user=interviewer,
            interview__starts_at=now - timedelta(days=days),
            interview__application__candidate__name=name,
        )
        if state:
            factories.ScorecardFactory(
                team=interviewer.team,
                interview=panel.interview,
                interviewer=interviewer,
                state=state,
            )

    html = client.get("/my-interviews").get_data(as_text=True)

    rows = html.split("interview-item")[1:]
    assert [re.search(r"(\w+) Candidate", row).group(1) for row in rows] == [
        "Draft",
        "Untouched",
        "Submitted",
    ]
    assert "Scorecard draft" in rows[0] and "Overdue" in rows[0]
    assert "Continue scorecard" in rows[0]
    assert "Scorecard to do" in rows[1] and "Overdue" in rows[1]
    assert "Write scorecard" in rows[1]
    assert "Scorecard submitted" in rows[2] and "Overdue" not in rows[2]
    assert "View scorecard" in rows[2]
    assert "2 scorecards overdue" in html


def _my_past_interview(interviewer, days_ago, name, state=None):
    panel = factories.PanelMemberFactory(
        team=interviewer.team,
        user=interviewer,
        interview__starts_at=datetime.now(UTC) - timedelta(days=days_ago),
        interview__application__candidate__name=name,
    )
    if state is not None:
        factories.ScorecardFactory(
            team=interviewer.team, interview=panel.interview, interviewer=interviewer, state=state
        )
    return panel.interview


def _link(html: str, key: str) -> str:
    """The address of the page link that continues the list with ``key``."""
    return re.search(rf'href="(/my-interviews\?{key}=[^"#]+)#', html).group(1)


def test_overdue_scorecards_and_past_interviews_come_a_page_at_a_time(
    client, auth, app, monkeypatch
):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    interviewer = auth.login(Role.INTERVIEWER)
    for days in (1, 2, 3):
        _my_past_interview(interviewer, days, f"Scored {days} days ago", ScorecardState.SUBMITTED)
    for days in (9, 10, 11):
        _my_past_interview(interviewer, days, f"Unscored {days} days ago")
    factories.PanelMemberFactory(
        team=interviewer.team,
        user=interviewer,
        interview__application__candidate__name="Coming up",
    )

    first = client.get("/my-interviews").get_data(as_text=True)
    order = ["Coming up", "Unscored 9", "Unscored 10", "Scored 1", "Scored 2"]
    assert [first.index(name) for name in order] == sorted(first.index(name) for name in order)
    assert "Unscored 11" not in first and "Scored 3" not in first
    assert "3 scorecards overdue" in first

    older = client.get(_link(first, "before")).get_data(as_text=True)
    assert "Scored 3 days ago" in older and "Older interviews" in older
    for name in ("Coming up", "Unscored", "Scored 1", "Scored 2"):
        assert name not in older
    assert 'href="/my-interviews">Most recent' in older
    assert "before=" not in older

    overdue = client.get(_link(first, "overdue_before")).get_data(as_text=True)
    assert "Unscored 11 days ago" in overdue and "3 scorecards overdue" in overdue
    for name in ("Coming up", "Unscored 9", "Unscored 10", "Scored"):
        assert name not in overdue


def test_a_list_continued_past_its_end_says_so_and_links_back(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    scored = _my_past_interview(interviewer, 3, "Scored Candidate", ScorecardState.SUBMITTED)
    cursor = services.Cursor(scored.starts_at, scored.id)

    html = client.get(f"/my-interviews?before={cursor}").get_data(as_text=True)

    assert "No older interviews." in html and "Scored Candidate" not in html
    assert 'href="/my-interviews"' in html
    # A cursor that cannot be read shows the most recent interviews.
    assert "Scored Candidate" in client.get("/my-interviews?before=x-1").get_data(as_text=True)


def test_my_interviews_queries_do_not_grow_past_a_page(
    client, auth, app, db, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "PER_PAGE", 5)
    interviewer = auth.login(Role.INTERVIEWER)
    user_id = interviewer.id

    add_interviews(db, user_id, FEW)
    few, _html = queries_for(client, db, count_queries, "/my-interviews")

    add_interviews(db, user_id, MANY)
    many, html = queries_for(client, db, count_queries, "/my-interviews")
    assert html.count("interview-item") > 10
    assert "before=" in html and "overdue_before=" in html
    older, _html = queries_for(client, db, count_queries, _link(html, "before"))

    assert many == few
    assert older <= many


def test_my_interviews_without_interviews_says_what_happens_next(client, auth):
    auth.login(Role.INTERVIEWER)

    html = client.get("/my-interviews").get_data(as_text=True)

    assert "No upcoming interviews." in html
    assert "No past interviews yet." in html


def test_jobs_list_queries_do_not_grow_with_jobs(client, auth, db, count_queries):
    manager = auth.login(Role.HIRING_MANAGER)
    team_id = manager.team_id

    add_jobs(db, team_id, FEW)
    few, html = queries_for(client, db, count_queries, "/jobs")
    assert len(re.findall(r'href="/jobs/\d+"', html)) == FEW

    add_jobs(db, team_id, MANY - FEW)
    many, html = queries_for(client, db, count_queries, "/jobs")
    assert len(re.findall(r'href="/jobs/\d+"', html)) == MANY

    assert many == few


def test_candidates_list_queries_do_not_grow_with_candidates(client, auth, db, count_queries):
    manager = auth.login(Role.HIRING_MANAGER)
    team_id = manager.team_id

    add_jobs(db, team_id, 1)
    few, html = queries_for(client, db, count_queries, "/candidates/")
    assert len(re.findall(r'href="/candidates/\d+"', html)) == 5

    add_jobs(db, team_id, 5)
    many, html = queries_for(client, db, count_queries, "/candidates/")
    assert len(re.findall(r'href="/candidates/\d+"', html)) == 30

    assert many == few


def test_jobs_list_does_not_say_the_workplace_twice(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    factories.JobFactory(
        team=manager.team, workplace=Workplace.REMOTE, location="Remote (UTC-5 to UTC+2)"
    )
    factories.JobFactory(team=manager.team, workplace=Workplace.HYBRID, location="Berlin, Germany")

    html = client.get("/jobs").get_data(as_text=True)

    assert "Remote (UTC-5 to UTC+2)" in html
    assert "Remote · Remote" not in html
    assert "Hybrid · Berlin, Germany" in html


def _past_interview_with_panel(team, interviewer, hours_ago, state=None):
    ended = datetime.now(UTC) - timedelta(hours=hours_ago)
    interview = factories.InterviewFactory(
        team=team, starts_at=ended - timedelta(hours=1), ends_at=ended
    )
    factories.PanelMemberFactory(team=team, interview=interview, user=interviewer)
    if state is not None:
        factories.ScorecardFactory(
            team=team, interview=interview, interviewer=interviewer, state=state
        )
    return interview


def test_managers_see_overdue_scorecards_on_their_dashboard(client, auth, db):
    manager = auth.login("hiring_manager")
    team = manager.team
    late = factories.UserFactory(team=team, name="Lena Late")
    done = factories.UserFactory(team=team, name="Dora Done")
    fresh = factories.UserFactory(team=team, name="Fay Fresh")
    drafted = _past_interview_with_panel(team, late, hours_ago=30, state=ScorecardState.DRAFT)
    _past_interview_with_panel(team, done, hours_ago=30, state=ScorecardState.SUBMITTED)
    # Ended 30 minutes ago: not overdue yet.
    _past_interview_with_panel(team, fresh, hours_ago=0.5)
    other_team_user = factories.UserFactory(name="Otto Other")
    _past_interview_with_panel(other_team_user.team, other_team_user, hours_ago=30)

    html = client.get("/dashboard").get_data(as_text=True)

    assert "Overdue scorecards" in html
    assert "Lena Late" in html and drafted.application.candidate.name in html
    assert "draft saved" in html
    for name in ("Dora Done", "Fay Fresh", "Otto Other"):
        assert name not in html


def test_the_overdue_list_runs_the_same_queries_for_few_and_many(client, auth, db, count_queries):
    manager = auth.login("hiring_manager")

    def dashboard_queries(number):
        for _ in range(number):
            _past_interview_with_panel(
                manager.team, factories.UserFactory(team=manager.team), hours_ago=5
            )
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get("/dashboard").status_code == 200
        return counter.count

    assert dashboard_queries(2) == dashboard_queries(15)


def test_the_overdue_list_runs_the_same_queries_whatever_the_seats_left_out(
    client, auth, db, count_queries
):
    manager = auth.login("hiring_manager")
    team = manager.team
    _past_interview_with_panel(team, factories.UserFactory(team=team), hours_ago=5)

    def dashboard_queries(number):
        for index in range(number):
            user = factories.UserFactory(team=team, active=index % 3 != 0)
            kind = (None, ScorecardState.DRAFT, ScorecardState.SUBMITTED)[index % 3]
            interview = _past_interview_with_panel(team, user, hours_ago=5 + index, state=kind)
            if index % 2:
                interview.application.status = ApplicationStatus.REJECTED
        db.session.flush()
        db.session.expire_all()
        with count_queries() as counter:
            html = client.get("/dashboard").get_data(as_text=True)
        assert "Overdue scorecards" in html
        return counter.count

    assert dashboard_queries(2) == dashboard_queries(18)


def test_the_dashboard_leaves_out_overdue_scorecards_of_decided_applications(client, auth, db):
    manager = auth.login("hiring_manager")
    team = manager.team
    waiting = factories.UserFactory(team=team, name="Wendy Waiting")
    decided = factories.UserFactory(team=team, name="Dirk Decided")
    _past_interview_with_panel(team, waiting, hours_ago=30)
    rejected = _past_interview_with_panel(team, decided, hours_ago=30)
    rejected.application.status = ApplicationStatus.REJECTED
    db.session.flush()

    html = client.get("/dashboard").get_data(as_text=True)

    assert "Wendy Waiting" in html
    assert "Dirk Decided" not in html
    assert re.search(r'Overdue scorecards <span class="badge text-bg-danger">1</span>', html)


def sit_in(db, user, phase, starts_at, status=InterviewStatus.SCHEDULED):
    """An interview ``user`` sits in on as a trainee (no panel seat of theirs)."""
    interview = factories.InterviewFactory(team=user.team, starts_at=starts_at, status=status)
    db.session.add(
        InterviewTrainee(
            team_id=user.team_id, interview_id=interview.id, user_id=user.id, phase=phase
        )
    )
    db.session.flush()
    return interview


def test_my_interviews_lists_the_interviews_a_trainee_sits_in_on_among_the_upcoming(
    client, auth, db
):
    trainee = auth.login(Role.INTERVIEWER)
    now = datetime.now(UTC).replace(microsecond=0)
    seated = factories.PanelMemberFactory(
        team=trainee.team, user=trainee, interview__starts_at=now + timedelta(days=2)
    ).interview
    watching = sit_in(db, trainee, TrainingPhase.SHADOW, now + timedelta(days=1))
    leading = sit_in(db, trainee, TrainingPhase.REVERSE_SHADOW, now + timedelta(days=3))
    sit_in(db, trainee, TrainingPhase.SHADOW, now + timedelta(days=4), InterviewStatus.CANCELLED)
    held = sit_in(db, trainee, TrainingPhase.SHADOW, now - timedelta(days=1))
    db.session.commit()

    html = client.get("/my-interviews").get_data(as_text=True)

    links = re.findall(r'href="/interviews/(\d+)"', html)
    assert links == [str(watching.id), str(seated.id), str(leading.id)]
    assert ">Shadowing</span>" in html and "You watch." in html
    assert ">Reverse shadowing</span>" in html
    assert "You lead, a qualified interviewer watches." in html
    assert html.count("no scorecard to write") == 2
    # A trainee owes no scorecard: nothing overdue for the one already held.
    assert "overdue" not in html.lower() and str(held.id) not in links


def test_my_interviews_shows_no_other_persons_or_teams_trainee_seats(client, auth, db):
    trainee = auth.login(Role.INTERVIEWER)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    colleague = factories.UserFactory(team=trainee.team)
    sit_in(db, colleague, TrainingPhase.SHADOW, tomorrow)
    stranger = factories.UserFactory(team=factories.TeamFactory())
    sit_in(db, stranger, TrainingPhase.SHADOW, tomorrow)
    db.session.commit()

    html = client.get("/my-interviews").get_data(as_text=True)

    assert "interview-item" not in html and "No upcoming interviews" in html


def test_my_interviews_queries_do_not_grow_with_trainee_seats(client, auth, db, count_queries):
    trainee = auth.login(Role.INTERVIEWER)
    user_id = trainee.id
    now = datetime.now(UTC)
    add_interviews(db, user_id, FEW)
    sit_in(db, db.session.get(User, user_id), TrainingPhase.SHADOW, now + timedelta(days=1))
    few, html = queries_for(client, db, count_queries, "/my-interviews")
    for day in range(2, 12):
        phase = TrainingPhase.SHADOW if day % 2 else TrainingPhase.REVERSE_SHADOW
        sit_in(db, db.session.get(User, user_id), phase, now + timedelta(days=day))
    many, html = queries_for(client, db, count_queries, "/my-interviews")

    assert html.count("no scorecard to write") == 11
    assert many == few
