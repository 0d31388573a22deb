"""Schemathesis against the app's own OpenAPI document, in process (WSGI): every operation,
with a live token for each role, on a small team's real rows. No answer may be a server
error or differ from what the document says (status, content type, headers, body).

The operations are read from the document, so endpoints added later are tested without
editing this file; path ids are drawn half from the team's rows (by the argument's name:
``job_id`` from the ``job`` table) and half at random, so both found and not-found answers
are checked. The examples per operation shrink as operations are added, so the file keeps
to its time budget (``API_SCHEMA_BUDGET`` requests per role in all).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from sqlalchemy import select

from interviewer.api import tokens
from interviewer.auth.models import Role
from interviewer.db import Base
from interviewer.extensions import db as _db
from tests import factories
from tests.api_support import bearer

#: Requests per role across all operations; each operation gets at least ``MIN_EXAMPLES``.
BUDGET = int(os.environ.get("API_SCHEMA_BUDGET", "250"))
MIN_EXAMPLES = 3
MAX_EXAMPLES = 30
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@dataclass
class Figures:
    """What a run did, for the report at the end of the test."""

    operations: int = 0
    examples: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@pytest.fixture
def team(db):
    """A small team with a row of each kind the API serves: people of each role, the
    catalog, a job with a plan, a candidate's application, an interview with a panel and
    scorecards (one submitted, one draft) and a decision."""
    team = factories.TeamFactory()
    users = {role: factories.UserFactory(team=team, role=role) for role in Role}
    colleague = factories.UserFactory(team=team, role=Role.INTERVIEWER)
    skill = factories.SkillFactory(team=team)
    job = factories.JobFactory(team=team, hiring_manager=users[Role.HIRING_MANAGER])
    factories.ExpectationFactory(team=team, level=job.level, skill=skill)
    stage = factories.PlanStageFactory(team=team, job=job)
    kit = factories.KitVersionFactory(team=team, plan_stage=stage)
    factories.KitItemFactory(team=team, kit_version=kit, skill=skill)
    application = factories.ApplicationFactory(team=team, job=job, current_stage=stage)
    interview = factories.InterviewFactory(
        team=team, application=application, plan_stage=stage, kit_version=kit
    )
    for person in (users[Role.INTERVIEWER], colleague):
        factories.PanelMemberFactory(team=team, interview=interview, user=person)
    card = factories.ScorecardFactory(team=team, interview=interview, interviewer=colleague)
    factories.RatingFactory(team=team, scorecard=card, skill=skill)
    factories.ScorecardFactory(team=team, interview=interview, interviewer=users[Role.INTERVIEWER])
    factories.DecisionFactory(
        team=team, application=application, decided_by=users[Role.HIRING_MANAGER]
    )
    db.session.commit()
    return team, users


def _ids(team_id: int) -> dict[str, list[int]]:
    """The team's row ids by URL argument name: ``job_id`` lists the ``job`` table's."""
    found = {}
    for table in Base.metadata.sorted_tables:
        if "team_id" in table.c and "id" in table.c:
            statement = select(table.c.id).where(table.c.team_id == team_id).limit(20)
            ids = list(_db.session.scalars(statement))
            if ids:
                found[f"{table.name}_id"] = ids
    found["stage_id"] = found.get("plan_stage_id", [])
    found["user_id"] = found.get("user_account_id", [])
    return found


def _run(operation, examples: int, headers: dict, ids: dict, figures: Figures) -> None:
    """``examples`` cases of ``operation``, each sent and checked."""
    strategy = operation.as_strategy()

    @given(case=strategy, data=st.data())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, data):
        for name in list(case.path_parameters or {}):
            if ids.get(name) and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(ids[name]))
        response = case.call(headers=headers)
        figures.examples += 1
        figures.statuses[response.status_code] = figures.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as error:  # noqa: BLE001 - every failure is reported, not the first
            figures.failures.append(f"{operation.label}: {str(error)[:600]}")

    run()


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_operation_answers_as_documented_for_each_role(app, db, team, role, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000/minute")
    team_row, users = team
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    examples = max(MIN_EXAMPLES, min(MAX_EXAMPLES, BUDGET // max(1, len(operations))))
    headers = bearer(users[role], *tokens.SCOPES)
    ids = _ids(team_row.id)

    figures = Figures(operations=len(operations))
    for operation in operations:
        _run(operation, examples, headers, ids, figures)

    print(
        f"\nschemathesis {role.value}: {figures.operations} operations, "
        f"{figures.examples} examples, statuses {dict(sorted(figures.statuses.items()))}, "
        f"{len(figures.failures)} failures"
    )
    assert not figures.failures, "\n".join(dict.fromkeys(figures.failures))
    assert figures.operations >= 5
    assert figures.examples >= figures.operations * MIN_EXAMPLES
    if role != Role.INTERVIEWER:  # (the catalog is for managers; an interviewer gets 403)
        # Real rows were reached, not only 404s.
        assert figures.statuses.get(200, 0) > 0
