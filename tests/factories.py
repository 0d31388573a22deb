"""factory-boy factories, one per model, bound to the test session.

Children build their parents in the same team, so a test names only what it needs:
``ApplicationFactory()`` makes a team, a level, a job and a candidate.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    CandidateSource,
)
from interviewer.candidates.sources import ensure_team_sources
from interviewer.catalog.models import Expectation, Level, Skill, SkillKind
from interviewer.extensions import db
from interviewer.plans.models import (
    EmploymentType,
    Job,
    JobStatus,
    KitItem,
    KitVersion,
    PlanStage,
    StageType,
)
from interviewer.scheduling.models import (
    Availability,
    AvailabilityException,
    Interview,
    PanelMember,
)
from interviewer.scorecards.models import Decision, DecisionOutcome, Rating, Scorecard

PASSWORD = "correct horse battery"
# A cheap hash keeps the suite fast; sign-in verifies any werkzeug hash method.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class TeamFactory(Base):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")

    @factory.post_generation
    def sources(team, create, extracted, **kwargs):
        """Every team starts with the built-in candidate sources, as a new team does."""
        if create:
            ensure_team_sources(db.session, team.id)


class UserFactory(Base):
    class Meta:
        model = User

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"User {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    role = Role.INTERVIEWER
    password_hash = _PASSWORD_HASH
    timezone = "UTC"


class SkillFactory(Base):
    class Meta:
        model = Skill

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    kind = SkillKind.HARD
    category = "Back-end"


class LevelFactory(Base):
    class Meta:
        model = Level

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Level {n}")
    position = factory.Sequence(lambda n: n + 1)
    salary_min = Decimal("80000")
    salary_max = Decimal("120000")
    salary_currency = "USD"


class ExpectationFactory(Base):
    class Meta:
        model = Expectation

    team = factory.SubFactory(TeamFactory)
    level = factory.SubFactory(LevelFactory, team=factory.SelfAttribute("..team"))
    skill = factory.SubFactory(SkillFactory, team=factory.SelfAttribute("..team"))
    proficiency = 2
    description = "Works through typical problems without help."


class StageTypeFactory(Base):
    class Meta:
        model = StageType
        sqlalchemy_get_or_create = ("team", "key")

    team = factory.SubFactory(TeamFactory)
    key = "live_coding"
    name = factory.LazyAttribute(lambda o: o.key.replace("_", " ").capitalize())
    builtin = True


class JobFactory(Base):
    class Meta:
        model = Job

    team = factory.SubFactory(TeamFactory)
    level = factory.SubFactory(LevelFactory, team=factory.SelfAttribute("..team"))
    title = factory.Sequence(lambda n: f"Backend Developer {n}")
    slug = factory.Sequence(lambda n: f"backend-developer-{n}")
    description = "Build and run the services behind our product."
    location = "Berlin"
    employment_type = EmploymentType.EMPLOYEE
    salary_min = Decimal("90000")
    salary_max = Decimal("110000")
    salary_currency = "USD"
    posted_on = factory.LazyFunction(date.today)
    closes_on = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    status = JobStatus.OPEN


class PlanStageFactory(Base):
    class Meta:
        model = PlanStage

    team = factory.SubFactory(TeamFactory)
    job = factory.SubFactory(JobFactory, team=factory.SelfAttribute("..team"))
    stage_type = factory.SubFactory(StageTypeFactory, team=factory.SelfAttribute("..team"))
    position = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: o.stage_type.name)
    duration_minutes = 60
    panel_size = 1


class KitVersionFactory(Base):
    class Meta:
        model = KitVersion

    team = factory.SubFactory(TeamFactory)
    plan_stage = factory.SubFactory(PlanStageFactory, team=factory.SelfAttribute("..team"))
    number = 1
    what_to_expect = "A friendly pairing session in a shared editor."


class KitItemFactory(Base):
    class Meta:
        model = KitItem

    team = factory.SubFactory(TeamFactory)
    kit_version = factory.SubFactory(KitVersionFactory, team=factory.SelfAttribute("..team"))
    skill = factory.SubFactory(SkillFactory, team=factory.SelfAttribute("..team"))
    questions = "Design an endpoint that lists orders."
    probe = "Pagination, error handling."
    rubric = "3: handles paging and errors without prompting."


class CandidateSourceFactory(Base):
    class Meta:
        model = CandidateSource

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    position = factory.Sequence(lambda n: n + 10)


class CandidateFactory(Base):
    class Meta:
        model = Candidate

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    source = "Referral"


class ApplicationFactory(Base):
    class Meta:
        model = Application

    team = factory.SubFactory(TeamFactory)
    candidate = factory.SubFactory(CandidateFactory, team=factory.SelfAttribute("..team"))
    job = factory.SubFactory(JobFactory, team=factory.SelfAttribute("..team"))
    status = ApplicationStatus.ACTIVE


class InterviewFactory(Base):
    class Meta:
        model = Interview

    team = factory.SubFactory(TeamFactory)
    application = factory.SubFactory(ApplicationFactory, team=factory.SelfAttribute("..team"))
    plan_stage = factory.SubFactory(
        PlanStageFactory,
        team=factory.SelfAttribute("..team"),
        job=factory.SelfAttribute("..application.job"),
    )
    starts_at = factory.LazyFunction(
        lambda: datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    timezone = "UTC"
    video_url = "https://meet.example.com/abc"


class PanelMemberFactory(Base):
    class Meta:
        model = PanelMember

    team = factory.SubFactory(TeamFactory)
    interview = factory.SubFactory(InterviewFactory, team=factory.SelfAttribute("..team"))
    user = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))


class AvailabilityFactory(Base):
    class Meta:
        model = Availability

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    weekday = 0
    start_time = time(9, 0)
    end_time = time(17, 0)


class AvailabilityExceptionFactory(Base):
    class Meta:
        model = AvailabilityException

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    on_date = factory.LazyFunction(lambda: date.today() + timedelta(days=7))
    available = False


class ScorecardFactory(Base):
    class Meta:
        model = Scorecard

    team = factory.SubFactory(TeamFactory)
    interview = factory.SubFactory(InterviewFactory, team=factory.SelfAttribute("..team"))
    interviewer = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    application = factory.SelfAttribute("interview.application")
    key_takeaways = "Clear thinker; explained trade-offs."


class RatingFactory(Base):
    class Meta:
        model = Rating

    team = factory.SubFactory(TeamFactory)
    scorecard = factory.SubFactory(ScorecardFactory, team=factory.SelfAttribute("..team"))
    skill = factory.SubFactory(SkillFactory, team=factory.SelfAttribute("..team"))
    score = 3
    evidence = "Designed a paginated endpoint and explained the index it needs."


class DecisionFactory(Base):
    class Meta:
        model = Decision

    team = factory.SubFactory(TeamFactory)
    application = factory.SubFactory(ApplicationFactory, team=factory.SelfAttribute("..team"))
    decided_by = factory.SubFactory(
        UserFactory, team=factory.SelfAttribute("..team"), role=Role.HIRING_MANAGER
    )
    outcome = DecisionOutcome.ADVANCE
    rationale = "Meets the bar on every expected skill."


class AuditEventFactory(Base):
    class Meta:
        model = AuditEvent

    team = factory.SubFactory(TeamFactory)
    actor = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    action = "application.moved"
    subject_type = "application"
    subject_id = 1
    data = factory.LazyFunction(dict)
