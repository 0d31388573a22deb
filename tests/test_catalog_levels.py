"""The career ladder: adding, editing, ordering and deleting levels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.catalog.models import Expectation, Level
from tests import factories


def _level_data(**fields):
    data = {
        "name": "Senior",
        "salary_min": "90000",
        "salary_max": "180000",
        "salary_currency": "USD",
    }
    data.update(fields)
    return data


def _ladder(db, team_id):
    query = select(Level.name).where(Level.team_id == team_id).order_by(Level.position)
    return list(db.session.scalars(query))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/catalog/levels/new"),
        ("post", "/catalog/levels/new"),
        ("get", "/catalog/levels/{id}/edit"),
        ("post", "/catalog/levels/{id}/edit"),
        ("post", "/catalog/levels/{id}/move"),
        ("post", "/catalog/levels/{id}/delete"),
    ],
)
def test_interviewer_cannot_change_levels(client, auth, db, method, path):
    user = auth.login(Role.INTERVIEWER)
    level = factories.LevelFactory(team=user.team, name="Junior")
    response = getattr(client, method)(
        path.format(id=level.id), data={**_level_data(name="Principal"), "direction": "down"}
    )
    assert response.status_code == 403
    assert _ladder(db, user.team_id) == ["Junior"]


def test_manager_adds_levels_each_at_the_top_of_the_ladder(client, auth, db):
    user = auth.login()
    for name in ("Junior", "Middle", "Senior"):
        response = client.post("/catalog/levels/new", data=_level_data(name=name))
        assert response.status_code == 302
    assert _ladder(db, user.team_id) == ["Junior", "Middle", "Senior"]
    senior = db.session.scalar(select(Level).where(Level.name == "Senior"))
    assert (senior.salary_min, senior.salary_max, senior.salary_currency, senior.position) == (
        Decimal("90000"),
        Decimal("180000"),
        "USD",
        3,
    )
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.team_id == user.team_id, AuditEvent.subject_type == "level"
        )
    ).all()
    assert actions == ["level.created"] * 3


def test_salaries_may_be_typed_with_separators_or_k_and_the_band_is_optional(client, auth, db):
    auth.login()
    client.post(
        "/catalog/levels/new",
        data=_level_data(
            name="Middle", salary_min="80,000", salary_max="120k", salary_currency=" eur"
        ),
    )
    client.post(
        "/catalog/levels/new",
        data=_level_data(name="Intern", salary_min="", salary_max="", salary_currency="USD"),
    )
    middle = db.session.scalar(select(Level).where(Level.name == "Middle"))
    assert (middle.salary_min, middle.salary_max, middle.salary_currency) == (
        Decimal("80000"),
        Decimal("120000"),
        "EUR",
    )
    intern = db.session.scalar(select(Level).where(Level.name == "Intern"))
    assert (intern.salary_min, intern.salary_max) == (None, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"salary_min": "150000", "salary_max": "90000"},
            "The maximum must be at least the minimum",
        ),
        ({"salary_min": "lots"}, "Enter an amount such as 90000 or 90k."),
        ({"salary_max": "-5"}, "Enter an amount from 0 to 9,999,999,999."),
        ({"salary_max": "NaN"}, "Enter an amount such as 90000 or 90k."),
        ({"salary_currency": "US"}, "Use a 3-letter currency code such as USD or EUR."),
        ({"salary_currency": "U$D"}, "Use a 3-letter currency code such as USD or EUR."),
        ({"name": ""}, "Give the level a name."),
    ],
)
def test_a_bad_level_is_refused_with_a_message_and_the_input_kept(
    client, auth, db, fields, message
):
    user = auth.login()
    response = client.post("/catalog/levels/new", data=_level_data(**fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "invalid-feedback" in html
    for value in fields.values():
        if value:
            assert f'value="{value}"' in html
    assert _ladder(db, user.team_id) == []


def test_the_band_error_is_shown_on_the_maximum_field(client, auth):
    auth.login()
    html = client.post(
        "/catalog/levels/new", data=_level_data(salary_min="150k", salary_max="90k")
    ).get_data(as_text=True)
    field = html.index('id="salary_max"')
    assert html.index("The maximum must be at least the minimum (150,000).") > field
    assert html.index("The maximum must be at least the minimum") < html.index(
        'id="salary_currency"'
    )


def test_a_duplicate_level_name_gets_a_message_on_the_name_field(client, auth, db):
    user = auth.login()
    factories.LevelFactory(team=user.team, name="Senior")
    html = client.post("/catalog/levels/new", data=_level_data(name="senior")).get_data(
        as_text=True
    )
    assert "There is already a level called Senior." in html
    assert _ladder(db, user.team_id) == ["Senior"]


def test_manager_edits_a_level(client, auth, db):
    user = auth.login()
    level = factories.LevelFactory(team=user.team, name="Snr", salary_min=Decimal("90000"))
    form = client.get(f"/catalog/levels/{level.id}/edit").get_data(as_text=True)
    assert 'value="90000"' in form
    response = client.post(
        f"/catalog/levels/{level.id}/edit",
        data=_level_data(name="Senior", salary_min="95000", salary_max="185000"),
    )
    assert response.status_code == 302
    db.session.refresh(level)
    assert (level.name, level.salary_min, level.salary_max) == (
        "Senior",
        Decimal("95000"),
        Decimal("185000"),
    )
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.subject_type == "level", AuditEvent.subject_id == level.id
        )
    )
    assert (event.action, event.subject_type) == ("level.updated", "level")


def test_levels_move_up_and_down_with_plain_form_posts(client, auth, db):
    user = auth.login()
    junior, middle, senior = (
        factories.LevelFactory(team=user.team, name=name, position=position)
        for position, name in enumerate(("Junior", "Middle", "Senior"), start=1)
    )
    page = client.get("/catalog/").get_data(as_text=True)
    assert f'action="/catalog/levels/{senior.id}/move"' in page
    assert 'name="direction" value="up"' in page

    response = client.post(f"/catalog/levels/{senior.id}/move", data={"direction": "up"})
    assert response.status_code == 302
    assert _ladder(db, user.team_id) == ["Junior", "Senior", "Middle"]
    client.post(f"/catalog/levels/{junior.id}/move", data={"direction": "down"})
    assert _ladder(db, user.team_id) == ["Senior", "Junior", "Middle"]

    response = client.post(
        f"/catalog/levels/{middle.id}/move", data={"direction": "down"}, follow_redirects=True
    )
    assert "Middle is already the most senior level." in response.get_data(as_text=True)
    assert _ladder(db, user.team_id) == ["Senior", "Junior", "Middle"]
    moves = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "level.moved")).all()
    assert [(event.subject_id, event.data["direction"]) for event in moves] == [
        (senior.id, "up"),
        (junior.id, "down"),
    ]


def test_a_move_without_a_direction_is_a_bad_request(client, auth):
    user = auth.login()
    level = factories.LevelFactory(team=user.team)
    assert client.post(f"/catalog/levels/{level.id}/move", data={}).status_code == 400
    assert (
        client.post(f"/catalog/levels/{level.id}/move", data={"direction": "sideways"}).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/catalog/levels/{id}/edit"),
        ("post", "/catalog/levels/{id}/edit"),
        ("post", "/catalog/levels/{id}/move"),
        ("get", "/catalog/levels/{id}/delete"),
        ("post", "/catalog/levels/{id}/delete"),
    ],
)
def test_another_teams_level_is_not_found(client, auth, db, method, path):
    auth.login(Role.ADMIN)
    level = factories.LevelFactory(name="Theirs")
    response = getattr(client, method)(
        path.format(id=level.id), data={**_level_data(name="Mine"), "direction": "up"}
    )
    assert response.status_code == 404
    db.session.refresh(level)
    assert level.name == "Theirs"


def test_deleting_an_unused_level_closes_the_gap_in_the_ladder(client, auth, db):
    user = auth.login()
    levels = [
        factories.LevelFactory(team=user.team, name=name, position=position)
        for position, name in enumerate(("Junior", "Middle", "Senior"), start=1)
    ]
    factories.ExpectationFactory(team=user.team, level=levels[1])
    page = client.get(f"/catalog/levels/{levels[1].id}/delete").get_data(as_text=True)
    assert "Delete the level Middle?" in page
    assert client.post(f"/catalog/levels/{levels[1].id}/delete").status_code == 302
    assert _ladder(db, user.team_id) == ["Junior", "Senior"]
    positions = db.session.scalars(
        select(Level.position).where(Level.team_id == user.team_id).order_by(Level.position)
    ).all()
    assert positions == [1, 2]
    assert db.session.scalar(select(Expectation).where(Expectation.team_id == user.team_id)) is None


def test_a_level_used_by_jobs_is_not_deleted_and_the_jobs_are_named(client, auth, db):
    user = auth.login()
    level = factories.LevelFactory(team=user.team, name="Senior")
    factories.JobFactory(team=user.team, level=level, title="Senior Backend Developer")
    factories.JobFactory(team=user.team, level=level, title="Senior SRE")

    page = client.get(f"/catalog/levels/{level.id}/delete").get_data(as_text=True)
    assert "level of the job Senior Backend Developer" in page
    assert "Move those jobs to another level first." in page

    html = client.post(f"/catalog/levels/{level.id}/delete").get_data(as_text=True)
    assert "Senior is the level of 2 jobs: Senior Backend Developer, Senior SRE." in html
    assert _ladder(db, user.team_id) == ["Senior"]


def test_the_ladder_is_listed_in_order_with_salary_bands(client, auth):
    user = auth.login()
    factories.LevelFactory(team=user.team, name="Senior", position=3)
    factories.LevelFactory(
        team=user.team, name="Junior", position=1, salary_min=Decimal("55000"), salary_max=None
    )
    factories.LevelFactory(team=user.team, name="Middle", position=2, salary_currency="EUR")
    html = client.get("/catalog/").get_data(as_text=True)
    assert html.index("Junior") < html.index("Middle") < html.index("Senior")
    assert "From 55k USD" in html
    assert "80k–120k EUR" in html
