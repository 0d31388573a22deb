"""The debrief page: the skills x stages grid, its statistics, missing scorecards, the
recommendation tally, who may open it, and a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application
from interviewer.catalog.models import Skill
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scorecards.models import Scorecard, ScorecardState
from tests import factories

#: skill -> (Middle, Senior) proficiency.
MATRIX = {
    "API design": (2, 3),
    "System design": (1, 3),
    "Testing": (2, 3),
    "Communication": (2, 2),
}
#: Stage name -> focus skills; "Pairing" also assesses a skill no level expects.
PLAN = {
    "Live coding": ("API design", "Testing", "Pairing"),
    "System design": ("System design", "API design"),
}


@dataclass
class Loop:
    """A Senior job with a two-stage plan and one application, ready for scorecards."""

    team: Team
    job: Job
    stages: dict[str, PlanStage]
    skills: dict[str, Skill]
    application: Application
    interviews: dict[str, Interview] = field(default_factory=dict)

    def interview(self, stage: str, *panel: User, days_ago: int = 2) -> Interview:
        """A past interview of ``stage`` with ``panel``."""
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
        interview = factories.InterviewFactory(
            team=self.team,
            application=self.application,
            plan_stage=self.stages[stage],
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        for user in panel:
            factories.PanelMemberFactory(team=self.team, interview=interview, user=user)
        self.interviews[stage] = interview
        return interview

    def scorecard(
        self,
        stage: str,
        interviewer: User,
        ratings: dict[str, int | None],
        *,
        state: ScorecardState = ScorecardState.SUBMITTED,
        recommendation: int | None = 3,
        evidence: str = "",
        **fields,
    ) -> Scorecard:
        """``interviewer``'s scorecard of the ``stage`` interview, rating skill -> score."""
        scorecard = factories.ScorecardFactory(
            team=self.team,
            interview=self.interviews[stage],
            interviewer=interviewer,
            state=state,
            recommendation=recommendation,
            submitted_at=datetime.now(UTC) if state is ScorecardState.SUBMITTED else None,
            **fields,
        )
        for skill, score in ratings.items():
            factories.RatingFactory(
                team=self.team,
                scorecard=scorecard,
                skill=self.skills[skill],
                score=score,
                evidence=evidence or f"{interviewer.name} on {skill}: rated {score}.",
            )
        return scorecard


def make_loop(team: Team, candidate: str = "Kenji Watanabe") -> Loop:
    middle = factories.LevelFactory(team=team, name="Middle", position=2)
    senior = factories.LevelFactory(team=team, name="Senior", position=3)
    skills = {name: factories.SkillFactory(team=team, name=name) for name in [*MATRIX, "Pairing"]}
    for name, (at_middle, at_senior) in MATRIX.items():
        factories.ExpectationFactory(
            team=team, level=middle, skill=skills[name], proficiency=at_middle
        )
        factories.ExpectationFactory(
            team=team,
            level=senior,
            skill=skills[name],
            proficiency=at_senior,
            description=f"Senior anchor for {name}.",
        )
    job = factories.JobFactory(team=team, level=senior, title="Senior Backend Developer")
    stages = {}
    for position, (name, focus) in enumerate(PLAN.items(), start=1):
        stages[name] = factories.PlanStageFactory(
            team=team,
            job=job,
            position=position,
            name=name,
            stage_type=factories.StageTypeFactory(team=team, key=name.lower().replace(" ", "_")),
            panel_size=2,
        )
        stages[name].focus_skills = [skills[skill] for skill in focus]
    application = factories.ApplicationFactory(
        team=team,
        job=job,
        current_stage=stages["System design"],
        candidate__name=candidate,
        candidate__team=team,
    )
    return Loop(team, job, stages, skills, application)


def person(team: Team, name: str, role: Role = Role.INTERVIEWER) -> User:
    return factories.UserFactory(team=team, name=name, role=role)


def debrief_url(application: Application) -> str:
    return f"/applications/{application.id}/debrief"


def grid_row(html: str, skill: str) -> str:
    """The HTML of the grid row of ``skill``."""
    rows = re.findall(r'<tr class="grid-row[^"]*"[^>]*>.*?</tr>', html, flags=re.S)
    [row] = [
        row
        for row in rows
        if re.search(rf"<span class=\"d-block skill-name\">{re.escape(skill)}", row)
    ]
    return row


def split_loop(team: Team) -> tuple[Loop, User, User]:
    """Two interviewers in each stage: System design split 4/2, API design 3/2 (no split)."""
    loop = make_loop(team)
    priya, marcus = person(team, "Priya Raman"), person(team, "Marcus Johnson")
    loop.interview("Live coding", priya, marcus, days_ago=5)
    loop.interview("System design", priya, marcus, days_ago=2)
    loop.scorecard("Live coding", priya, {"API design": 3, "Testing": 3, "Pairing": 4})
    loop.scorecard("Live coding", marcus, {"API design": 3, "Testing": 4, "Pairing": None})
    loop.scorecard("System design", priya, {"System design": 4, "API design": 3}, recommendation=4)
    loop.scorecard("System design", marcus, {"System design": 2, "API design": 2}, recommendation=2)
    return loop, priya, marcus


def test_the_grid_shows_each_rating_with_its_evidence_under_its_stage(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, priya, _ = split_loop(manager.team)

    response = client.get(debrief_url(loop.application))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Kenji Watanabe" in html and "Senior Backend Developer" in html
    row = grid_row(html, "System design")
    # The bar is named, not numbered: the only numbers on screen are the 1-4 ratings.
    assert "Senior expects <strong>Strong</strong>" in row
    assert "Senior anchor for System design." in row
    assert "Priya Raman on System design: rated 4." in row
    assert "Strong yes (4)" in row and "No (2)" in row
    # Each rating is a chip naming its rater and stage, in plan order, and the evidence
    # is folded under the chips.
    api_design = grid_row(html, "API design")
    chips = re.findall(r'<span class="rating-chip-stage">· ([^<]+)</span>', api_design)
    assert chips == ["Live coding", "Live coding", "System design", "System design"]
    assert '<details class="skill-evidence">' in api_design and "Evidence (4)" in api_design


def test_expected_skills_come_first_then_other_focus_skills(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    order = re.findall(r'<span class="d-block skill-name">([^<]+?)(?:<|$)', html)
    # Highest Senior bar first, then by name; Communication (2) last; Pairing (not expected).
    assert order == ["API design", "System design", "Testing", "Communication", "Pairing"]
    assert "Not expected at Senior" in grid_row(html, "Pairing")
    assert "Not assessed yet" in grid_row(html, "Communication")


def test_mean_spread_and_the_split_mark_at_two_points_but_not_at_one(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    system_design = grid_row(html, "System design")
    assert "Mean <strong>3.0</strong>" in system_design
    assert "Spread <strong>2</strong>" in system_design
    assert "Split: ratings 2 points apart" in system_design
    assert "grid-row-split" in system_design

    api_design = grid_row(html, "API design")  # 3, 3, 3, 2: one point apart
    assert "Mean <strong>2.8</strong>" in api_design
    assert "Spread <strong>1</strong>" in api_design
    assert "Split" not in api_design
    assert "grid-row-split" not in api_design

    testing = grid_row(html, "Testing")  # 3 and 4
    assert "Mean <strong>3.5</strong>" in testing and "Split" not in testing


def test_not_assessed_ratings_are_shown_but_not_counted(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    pairing = grid_row(html, "Pairing")
    assert "Not assessed" in pairing
    assert "Mean <strong>4.0</strong>" in pairing
    assert "1 rating<" in pairing


def test_the_level_fit_sentence_and_its_rule_are_on_the_page(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    # API design 3 + (2.75 - 3) = 2.75 is under Senior's 3; System design averages 3.
    assert "Meets Middle; below Senior in API design." in html
    assert "How level fit is worked out" in html
    assert "Not assessed yet (not counted):</span> Communication" in html


def test_a_split_that_decides_the_level_is_called_out_on_the_page(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    priya, marcus = person(loop.team, "Priya Raman"), person(loop.team, "Marcus Johnson")
    loop.interview("System design", priya, marcus)
    loop.scorecard("System design", priya, {"System design": 4, "API design": 3})
    loop.scorecard("System design", marcus, {"System design": 2, "API design": 3})

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "Meets Senior, the top of the ladder." in html
    assert "The panel is split on System design: on the lower rating alone" in html


def test_drafts_and_unstarted_scorecards_are_missing_and_not_evidence(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    priya, marcus, sofia = (person(loop.team, n) for n in ("Priya", "Marcus", "Sofia"))
    loop.interview("Live coding", priya, marcus, sofia)
    loop.scorecard("Live coding", priya, {"API design": 3})
    loop.scorecard(
        "Live coding",
        marcus,
        {"API design": 1},
        state=ScorecardState.DRAFT,
        recommendation=1,
        evidence="Half-written draft evidence.",
    )
    # An upcoming interview is still to come, not missing.
    upcoming = loop.interview("System design", priya, days_ago=-2)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "Half-written draft evidence." not in html
    api_design = grid_row(html, "API design")
    assert "Mean <strong>3.0</strong>" in api_design and "1 rating<" in api_design
    missing = html[
        html.index('id="missing-heading"') : html.index(
            "</section>", html.index('id="missing-heading"')
        )
    ]
    assert "Missing scorecards (2)" in missing
    assert re.search(r"Marcus · Live coding · <span[^>]*>draft</span>", missing)
    assert re.search(r"Sofia · Live coding · <span[^>]*>not started</span>", missing)
    assert "Priya" not in missing
    assert "Still to come:" in html and upcoming.plan_stage.name in html
    # The tally counts submitted scorecards only.
    assert "Strong no (1)</span></dt>" in html
    tally = html[
        html.index('id="tally-heading"') : html.index(
            "</section>", html.index('id="tally-heading"')
        )
    ]
    assert "Marcus" not in tally
    assert "Priya (Live coding)" in tally


def test_the_recommendation_tally_counts_and_names_each_side(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    tally = html[
        html.index('id="tally-heading"') : html.index(
            "</section>", html.index('id="tally-heading"')
        )
    ]
    counts = re.findall(r"\((\d)\)</span></dt>\s*<dd[^>]*>\s*<strong>(\d+)</strong>", tally)
    assert counts == [("1", "0"), ("2", "1"), ("3", "2"), ("4", "1")]
    assert "Marcus Johnson (System design)" in tally
    assert "Priya Raman (System design)" in tally


def test_an_amended_scorecard_shows_its_version(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    priya = person(loop.team, "Priya Raman")
    loop.interview("Live coding", priya)
    loop.scorecard(
        "Live coding",
        priya,
        {"API design": 3},
        version=2,
        amendment_reason="Mixed up two candidates' notes.",
    )

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "amended (v2)" in grid_row(html, "API design")
    assert "Amended because: Mixed up two candidates&#39; notes." in html
    history = re.search(r'href="(/scorecards/\d+)#history">amended \(v2\): see history', html)
    assert history and client.get(history.group(1)).status_code == 200


def test_long_evidence_is_collapsible(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    priya = person(loop.team, "Priya Raman")
    loop.interview("Live coding", priya)
    long_text = "Walked through the endpoint design step by step. " * 6
    loop.scorecard("Live coding", priya, {"API design": 3}, evidence=long_text.strip())

    row = grid_row(client.get(debrief_url(loop.application)).get_data(as_text=True), "API design")

    assert '<details class="skill-evidence">' in row
    assert "Evidence (1)" in row
    assert long_text.strip() in row


def test_an_empty_debrief_says_what_comes_next(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "Not enough evidence yet: nobody has rated a skill." in html
    assert "No submitted scorecard yet." in html
    assert "No scorecard submitted yet." in html
    assert "No decision yet." in html


def test_an_interviewer_cannot_open_the_debrief_before_submitting(client, auth):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    colleague = person(loop.team, "Marcus Johnson")
    interviewer = auth.login(Role.INTERVIEWER, team=loop.team, name="Priya Raman")
    loop.interview("System design", interviewer, colleague)
    loop.scorecard(
        "System design", colleague, {"System design": 2}, evidence="Colleague evidence text."
    )
    mine = loop.scorecard(
        "System design",
        interviewer,
        {"System design": 4},
        state=ScorecardState.DRAFT,
        evidence="My own draft words.",
    )

    response = client.get(debrief_url(loop.application))

    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "The debrief opens after your scorecard" in html
    assert "Colleague evidence text." not in html
    assert "Marcus Johnson" not in html
    assert "Strong no" not in html and "No (2)" not in html

    mine.state = ScorecardState.SUBMITTED
    mine.submitted_at = datetime.now(UTC)
    response = client.get(debrief_url(loop.application))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Colleague evidence text." in html
    # Interviewers read the debrief; only managers decide.
    assert "Record decision" not in html


def test_an_interviewer_not_on_the_panel_cannot_open_the_debrief(client, auth):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)
    auth.login(Role.INTERVIEWER, team=loop.team)

    response = client.get(debrief_url(loop.application))

    assert response.status_code == 403
    assert "Priya Raman on System design" not in response.get_data(as_text=True)


def test_managers_and_admins_see_every_scorecard_without_submitting(client, auth):
    loop, _, _ = split_loop(factories.TeamFactory())
    for role in (Role.HIRING_MANAGER, Role.ADMIN):
        auth.login(role, team=loop.team)

        response = client.get(debrief_url(loop.application))

        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Priya Raman on System design: rated 4." in html
        assert "Marcus Johnson on System design: rated 2." in html
        assert "Record decision" in html
        auth.logout()


def test_another_teams_debrief_is_not_found(client, auth):
    auth.login(Role.HIRING_MANAGER)
    other, _, _ = split_loop(factories.TeamFactory())

    assert client.get(debrief_url(other.application)).status_code == 404
    assert client.get("/applications/999999/debrief").status_code == 404


def test_signing_in_is_needed(client, db):
    loop, _, _ = split_loop(factories.TeamFactory())

    response = client.get(debrief_url(loop.application))

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


#: What a manager's debrief asks, whatever the panel and its scorecards.
MANAGER_DEBRIEF_STATEMENTS = 9


def test_the_debrief_runs_the_same_queries_for_2_and_8_scorecards(client, auth, count_queries):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    people = [person(loop.team, f"Interviewer {n}") for n in range(8)]
    loop.interview("Live coding", *people[:4], days_ago=5)
    loop.interview("System design", *people[4:], days_ago=2)

    def submit(panel, stage):
        for index, user in enumerate(panel):
            loop.scorecard(
                stage,
                user,
                {"API design": 1 + index % 4, "Testing": 3, "Pairing": 2}
                if stage == "Live coding"
                else {"System design": 3, "API design": 2},
            )

    submit(people[:1], "Live coding")
    submit(people[4:5], "System design")
    with count_queries() as few:
        small = client.get(debrief_url(loop.application)).get_data(as_text=True)
    submit(people[1:4], "Live coding")
    submit(people[5:], "System design")
    with count_queries() as many:
        large = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "Scorecards (2)" in small and "Missing scorecards (6)" in small
    assert "Scorecards (8)" in large and "Missing scorecards" not in large
    assert few.count == many.count
    # The plan, the ladder and the scorecards each come joined in one statement.
    assert many.count <= MANAGER_DEBRIEF_STATEMENTS, many.statements


def test_a_job_without_a_plan_or_expectations_has_an_empty_grid(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application = factories.ApplicationFactory(team=manager.team, job__team=manager.team)

    response = client.get(debrief_url(application))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "expects no skill and the plan assesses none yet." in html
    assert "Not enough evidence yet: nobody has rated a skill." in html


def test_a_cancelled_interview_keeps_its_submitted_evidence_but_misses_nothing(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    priya, marcus = person(loop.team, "Priya Raman"), person(loop.team, "Marcus Johnson")
    interview = loop.interview("Live coding", priya, marcus)
    loop.scorecard("Live coding", priya, {"API design": 3}, evidence="Kept after cancelling.")
    interview.status = InterviewStatus.CANCELLED

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "Kept after cancelling." in grid_row(html, "API design")
    assert "Missing scorecards" not in html
