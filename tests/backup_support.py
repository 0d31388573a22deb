"""Fresh databases and full teams for the export and import tests.

``Databases.new`` gives an app on a database of its own, migrated to head: a SQLite file
(copied from one migrated template), or on PostgreSQL (``TEST_DATABASE_URL``) a schema of
its own in that database. ``build_full_team`` puts at least one row in every team table,
with the values that are easy to lose (microseconds, decimals, JSON, control characters).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy import types as sqltypes

from interviewer import create_app
from interviewer.auth.models import Role
from interviewer.backup.tables import team_tables
from interviewer.branding.models import TeamLogo
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import PlanTemplate, PlanTemplateFocusSkill, PlanTemplateStage
from interviewer.scheduling.models import CandidateWindow
from interviewer.scorecards.models import ScorecardReminder, ScorecardRevision
from tests import factories

#: Text that a careless encoder mangles: quotes, backslashes, tabs, line breaks, an RTL
#: mark, a zero-width joiner, emoji and letters outside ASCII.
AWKWARD = 'He said "ship it" \\o/\ttab\r\nnew line \u200fשלום\u200d 👩‍💻 Łódź ✓'
#: A moment with microseconds, which a round trip through seconds would lose.
MOMENT = datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=UTC)
#: A logo's bytes: every byte value, so no text encoding survives the trip by luck.
LOGO = bytes(range(256))


class Databases:
    """Migrated, empty databases, one per name; ``close`` drops what it made."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        url = os.environ.get("TEST_DATABASE_URL", "")
        self.postgres_url = url if url.startswith("postgresql") else None
        self.template: Path | None = None
        self.schemas: list[str] = []
        self.apps: list[Flask] = []

    @property
    def kind(self) -> str:
        return "postgresql" if self.postgres_url else "sqlite"

    def new(self, name: str, kind: str | None = None) -> Flask:
        """An app on a fresh database named ``name`` (of ``kind``, default the suite's)."""
        kind = kind or self.kind
        app = self._postgres(name) if kind == "postgresql" else self._sqlite(name)
        self.apps.append(app)
        return app

    def _sqlite(self, name: str) -> Flask:
        if self.template is None:
            self.template = self.folder / "template.db"
            template = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{self.template}")
            with template.app_context():
                flask_migrate.upgrade()
                db.engine.dispose()
        path = self.folder / f"{name}.db"
        # The backup API copies a consistent database whatever the journal mode.
        with sqlite3.connect(self.template) as original, sqlite3.connect(path) as copy:
            original.backup(copy)
        return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")

    def _postgres(self, name: str) -> Flask:
        schema = f"backup_test_{name}"
        self._run(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=self.postgres_url,
            SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={schema}"}},
        )
        with app.app_context():
            flask_migrate.upgrade()
        return app

    def _run(self, *statements: str) -> None:
        engine = create_engine(self.postgres_url)
        try:
            with engine.begin() as connection:
                for statement in statements:
                    connection.execute(text(statement))
        finally:
            engine.dispose()

    def close(self) -> None:
        for app in self.apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        if self.schemas:
            self._run(*(f"DROP SCHEMA IF EXISTS {schema} CASCADE" for schema in self.schemas))


def build_full_team(slug: str):
    """A team with at least one row in every team table known today; returns the team."""
    team = factories.TeamFactory(
        slug=slug,
        name=f"Acme {AWKWARD}",
        created_at=MOMENT,
        display_name="Acme",
        accent_color="#0f6b5c",
    )
    admin = factories.UserFactory(
        team=team,
        role=Role.ADMIN,
        email=f"admin@{slug}.example",
        calendar_token=f"feed-token-of-{slug}-never-exported",
        last_sign_in_at=MOMENT,
        weekly_interview_limit=4,
    )
    interviewer = factories.UserFactory(team=team, email=f"panel@{slug}.example")
    skill = factories.SkillFactory(team=team, description=AWKWARD)
    level = factories.LevelFactory(
        team=team, salary_min=Decimal("0.10"), salary_max=Decimal("123456.78")
    )
    factories.LevelFactory(team=team, salary_min=None, salary_max=None)
    factories.ExpectationFactory(team=team, level=level, skill=skill)
    job = factories.JobFactory(team=team, level=level, hiring_manager=admin)
    stage = factories.PlanStageFactory(team=team, job=job)
    stage.focus_skills.append(skill)
    kit = factories.KitVersionFactory(team=team, plan_stage=stage, used_at=MOMENT)
    factories.KitItemFactory(team=team, kit_version=kit, skill=skill, rubric=AWKWARD)
    candidate = factories.CandidateFactory(team=team, notes=AWKWARD, timezone="Asia/Kolkata")
    application = factories.ApplicationFactory(
        team=team, candidate=candidate, job=job, current_stage=stage, stage_entered_at=MOMENT
    )
    interview = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=stage,
        kit_version=kit,
        starts_at=MOMENT,
        ends_at=MOMENT + timedelta(minutes=45),
    )
    factories.PanelMemberFactory(team=team, interview=interview, user=interviewer)
    scorecard = factories.ScorecardFactory(
        team=team, interview=interview, interviewer=interviewer, submitted_at=MOMENT
    )
    factories.RatingFactory(team=team, scorecard=scorecard, skill=skill, score=None)
    factories.DecisionFactory(team=team, application=application, decided_by=admin)
    factories.AvailabilityFactory(team=team, user=interviewer, start_time=time(9, 30, 15))
    factories.AvailabilityExceptionFactory(
        team=team, user=interviewer, start_time=time(13, 0), end_time=time(14, 0), note=AWKWARD
    )
    factories.AuditEventFactory(
        team=team,
        actor=admin,
        data={
            "from": "Screen",
            "to": AWKWARD,
            "score": 0.1,
            "big": 2**53 + 1,
            "flags": [True, False, None],
            "nested": {"empty": {}, "list": []},
        },
    )
    session = db.session
    template = PlanTemplate(team=team, name="Backend loop", created_by=admin)
    template_stage = PlanTemplateStage(
        team=team, template=template, stage_type=stage.stage_type, position=1, name="Pairing"
    )
    session.add_all(
        [
            template,
            template_stage,
            PlanTemplateFocusSkill(
                team=team, template_stage=template_stage, skill=skill, questions=AWKWARD
            ),
            CandidateWindow(
                team=team,
                application=application,
                starts_at=MOMENT,
                ends_at=MOMENT + timedelta(hours=2),
            ),
            OutboxEmail(
                team=team,
                interview_id=interview.id,
                to_email="candidate@example.org",
                from_name="Acme",
                subject="Your interview",
                body=AWKWARD,
                sent_at=MOMENT,
                attempts=1,
            ),
            ScorecardReminder(
                team=team, interview=interview, user=interviewer, local_date=date(2024, 3, 1)
            ),
            ScorecardRevision(
                team=team,
                scorecard=scorecard,
                number=1,
                content={"recommendation": 3, "ratings": [{"skill": AWKWARD, "score": None}]},
                author=interviewer,
            ),
            # Bytes that are not text: the export must carry them exactly.
            TeamLogo(
                team=team,
                content_type="image/png",
                data=LOGO,
                size=len(LOGO),
                sha256=hashlib.sha256(LOGO).hexdigest(),
                updated_at=MOMENT,
            ),
        ]
    )
    session.flush()
    return team


def build_small_team(slug: str):
    """A second team, so that an export can be seen to carry one team and no other."""
    team = factories.TeamFactory(slug=slug)
    factories.UserFactory(team=team, email=f"someone@{slug}.example", calendar_token=slug)
    factories.ApplicationFactory(team=team)
    factories.AuditEventFactory(team=team)
    db.session.flush()
    return team


def fill_empty_tables(team_id: int) -> None:
    """Give each team table that has no row of the team yet one made from its columns.

    A table added after ``build_full_team`` was written is exported and compared too; when
    its constraints refuse a made-up row, the test says where to add a real one.
    """
    connection = db.session.connection()
    for table in team_tables(db.metadata):
        if connection.scalar(select(func.count()).where(table.rows_of(team_id))):
            continue
        values = {}
        for column in table.table.columns:
            if column is table.table.autoincrement_column or column.default is not None:
                continue
            if column is table.column and table.parent.parent is None:
                values[column.name] = team_id
            elif column.foreign_keys:
                (key,) = column.foreign_keys
                parent = next(
                    item for item in team_tables(db.metadata) if item.table is key.column.table
                )
                values[column.name] = connection.scalar(
                    select(func.min(key.column)).where(parent.rows_of(team_id))
                )
            elif not column.nullable or column.primary_key:
                values[column.name] = _made_up(column)
        try:
            with connection.begin_nested():
                connection.execute(insert(table.table).values(values))
        except Exception as error:  # noqa: BLE001 - reported with what to do
            pytest.fail(
                f"table {table.name} has no row in the round-trip team and a made-up one was "
                f"refused ({str(error).splitlines()[0]}); add one to build_full_team in "
                "tests/backup_support.py"
            )


def _made_up(column):
    kind = (
        column.type.impl_instance
        if isinstance(column.type, sqltypes.TypeDecorator)
        else column.type
    )
    if isinstance(kind, sqltypes.Enum):
        return kind.enums[0]
    if isinstance(kind, sqltypes.DateTime):
        return MOMENT
    if isinstance(kind, sqltypes.Date):
        return MOMENT.date()
    if isinstance(kind, sqltypes.Time):
        return time(8, 15)
    if isinstance(kind, sqltypes.Boolean):
        return True
    if isinstance(kind, sqltypes.Numeric):
        return Decimal("1.25")
    if isinstance(kind, sqltypes.Integer):
        return 1
    if isinstance(kind, sqltypes.JSON):
        return {"made": "up"}
    return "made up"
