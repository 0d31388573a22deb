"""The competency matrix page: rows = skills, columns = levels, saved in one form post."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.catalog import matrix as catalog_matrix
from interviewer.catalog.models import Expectation, SkillKind
from tests import factories


def _cells(db, team_id):
    """(level id, skill id) -> (proficiency, description) of the team's stored cells."""
    rows = db.session.scalars(select(Expectation).where(Expectation.team_id == team_id))
    return {(row.level_id, row.skill_id): (row.proficiency, row.description) for row in rows}


def _name(level, skill, part):
    return f"cell-{level.id}-{skill.id}-{part}"


def _selected(html, name):
    """The value of the selected option of the select called ``name``."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    selected = re.search(
        r'<option selected value="(\d)"|<option value="(\d)" selected', select_html
    )
    return next(group for group in selected.groups() if group) if selected else None


def _matrix(team, skills=3, levels=3):
    level_rows = [
        factories.LevelFactory(team=team, name=name, position=position)
        for position, name in enumerate(
            ["Junior", "Middle", "Senior", "Staff", "Principal"][:levels], 1
        )
    ]
    skill_rows = factories.SkillFactory.create_batch(skills, team=team)
    return level_rows, skill_rows


def test_interviewer_cannot_see_or_save_the_matrix(client, auth, db):
    user = auth.login(Role.INTERVIEWER)
    (level,), (skill,) = _matrix(user.team, skills=1, levels=1)
    assert client.get("/catalog/matrix").status_code == 403
    response = client.post("/catalog/matrix", data={_name(level, skill, "proficiency"): "3"})
    assert response.status_code == 403
    assert _cells(db, user.team_id) == {}


def test_the_matrix_shows_skills_by_kind_as_rows_and_levels_in_order_as_columns(client, auth):
    user = auth.login()
    junior, senior = _matrix(user.team, skills=0, levels=2)[0]
    junior.name, senior.name = "Junior", "Senior"
    soft = factories.SkillFactory(team=user.team, name="Communication", kind=SkillKind.SOFT)
    hard = factories.SkillFactory(team=user.team, name="API design", kind=SkillKind.HARD)
    factories.ExpectationFactory(
        team=user.team, level=senior, skill=hard, proficiency=3, description="Designs paging."
    )
    factories.SkillFactory(name="Not ours")

    html = client.get("/catalog/matrix").get_data(as_text=True)
    assert html.index("Hard skills") < html.index("API design") < html.index("Soft skills")
    assert html.index("Soft skills") < html.index("Communication")
    assert html.index(">\n            Junior") < html.index(">\n            Senior")
    assert "Not ours" not in html
    assert _selected(html, _name(senior, hard, "proficiency")) == "3"
    assert _selected(html, _name(junior, soft, "proficiency")) == "0"
    assert "Designs paging.</textarea>" in html
    assert "3 · Strong" in html and "0 · Not expected" in html
    assert 'aria-label="Proficiency: API design at Senior"' in html
    assert html.count("<textarea") == 4
    assert html.count('type="submit"') == 2  # sign out, and the one Save


def test_the_matrix_without_skills_or_levels_says_what_to_add(client, auth):
    user = auth.login()
    html = client.get("/catalog/matrix").get_data(as_text=True)
    assert "There are none yet." in html
    factories.LevelFactory(team=user.team)
    html = client.get("/catalog/matrix").get_data(as_text=True)
    assert "No skills yet: the matrix has a row per skill." in html
    assert 'href="/catalog/skills/new"' in html


def test_the_matrix_without_levels_says_to_add_the_ladder(client, auth):
    user = auth.login()
    factories.SkillFactory(team=user.team)
    html = client.get("/catalog/matrix").get_data(as_text=True)
    assert "No levels yet: the matrix has a column per level." in html
    assert 'href="/catalog/levels/new"' in html


def test_saving_the_matrix_creates_updates_and_removes_cells_in_one_post(client, auth, db):
    user = auth.login()
    (junior, senior), (api, tests, talk) = _matrix(user.team, skills=3, levels=2)
    factories.ExpectationFactory(team=user.team, level=junior, skill=api, proficiency=1)
    factories.ExpectationFactory(team=user.team, level=senior, skill=api, proficiency=2)
    factories.ExpectationFactory(
        team=user.team, level=junior, skill=tests, proficiency=0, description="Not needed yet."
    )
    data = {
        _name(junior, api, "proficiency"): "0",  # removed: 0 and no description
        _name(junior, api, "description"): "",
        _name(senior, api, "proficiency"): "4",  # updated
        _name(senior, api, "description"): "Designs APIs other teams copy.",
        _name(junior, tests, "proficiency"): "0",  # kept: 0 with a description
        _name(junior, tests, "description"): "Not needed yet.",
        _name(senior, tests, "proficiency"): "3",  # created
        _name(senior, tests, "description"): "  Writes tests first.  ",
        _name(junior, talk, "proficiency"): "0",  # nothing stored, nothing created
        _name(junior, talk, "description"): "",
        _name(senior, talk, "proficiency"): "2",
        _name(senior, talk, "description"): "",
    }
    response = client.post("/catalog/matrix", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/catalog/matrix"
    assert _cells(db, user.team_id) == {
        (senior.id, api.id): (4, "Designs APIs other teams copy."),
        (junior.id, tests.id): (0, "Not needed yet."),
        (senior.id, tests.id): (3, "Writes tests first."),
        (senior.id, talk.id): (2, ""),
    }
    page = client.get("/catalog/matrix").get_data(as_text=True)
    assert "Saved the competency matrix: 4 cells changed." in page

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "expectations.saved").order_by(AuditEvent.id)
    ).all()
    assert [(event.subject_type, event.subject_id) for event in events] == [
        ("level", junior.id),
        ("level", senior.id),
    ]
    assert events[1].data["proficiency"] == {
        api.name: [2, 4],
        tests.name: [0, 3],
        talk.name: [0, 2],
    }
    assert events[0].actor_id == user.id


def test_saving_an_unchanged_matrix_changes_nothing(client, auth, db):
    user = auth.login()
    (level,), (skill,) = _matrix(user.team, skills=1, levels=1)
    factories.ExpectationFactory(
        team=user.team, level=level, skill=skill, proficiency=2, description="Same"
    )
    response = client.post(
        "/catalog/matrix",
        data={_name(level, skill, "proficiency"): "2", _name(level, skill, "description"): "Same"},
        follow_redirects=True,
    )
    assert "No changes to save." in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.team_id == user.team_id, AuditEvent.subject_type != "user_account"
            )
        )
        is None
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("7", "“7” is not on the scale; choose a proficiency from 0 to 4."),
        ("abc", "“abc” is not on the scale; choose a proficiency from 0 to 4."),
        ("-1", "“-1” is not on the scale; choose a proficiency from 0 to 4."),
        ("", "Choose a proficiency from 0 to 4."),
    ],
)
def test_bad_cells_get_a_message_on_the_cell_and_every_other_value_is_kept(
    client, auth, db, bad, message
):
    user = auth.login()
    (junior, senior), skills = _matrix(user.team, skills=4, levels=2)
    data = {}
    for index, skill in enumerate(skills):
        data[_name(junior, skill, "proficiency")] = str(index % 5)
        data[_name(junior, skill, "description")] = f"Junior note {index}"
        data[_name(senior, skill, "proficiency")] = str((index + 2) % 5)
        data[_name(senior, skill, "description")] = f"Senior note {index}"
    data[_name(senior, skills[1], "proficiency")] = bad
    data[_name(junior, skills[3], "description")] = "x" * 1001

    response = client.post("/catalog/matrix", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 cells need a fix; nothing was saved." in html
    assert html.count("proficiency from 0 to 4.") == 1
    assert html.count("Keep it under 1000 characters.") == 1
    bad_cell = html[html.index(f'name="{_name(senior, skills[1], "proficiency")}"') :]
    assert bad_cell.index(message) < bad_cell.index("</td>")
    long_cell = html[html.index(f'name="{_name(junior, skills[3], "description")}"') :]
    assert long_cell.index("Keep it under 1000 characters.") < long_cell.index("</td>")
    assert "x" * 1001 + "</textarea>" in html
    for index, skill in enumerate(skills):
        if skill is not skills[3]:
            assert f"Junior note {index}</textarea>" in html
        assert f"Senior note {index}</textarea>" in html
        assert _selected(html, _name(junior, skill, "proficiency")) == str(index % 5)
        if skill is not skills[1]:
            assert _selected(html, _name(senior, skill, "proficiency")) == str((index + 2) % 5)
    assert _cells(db, user.team_id) == {}


def test_a_cell_missing_from_the_post_keeps_its_stored_value(client, auth, db):
    user = auth.login()
    (level,), (kept, changed) = _matrix(user.team, skills=2, levels=1)
    factories.ExpectationFactory(
        team=user.team, level=level, skill=kept, proficiency=3, description="Stored"
    )
    response = client.post("/catalog/matrix", data={_name(level, changed, "proficiency"): "1"})
    assert response.status_code == 302
    assert _cells(db, user.team_id) == {
        (level.id, kept.id): (3, "Stored"),
        (level.id, changed.id): (1, ""),
    }


def test_cells_of_another_teams_levels_and_skills_are_ignored(client, auth, db):
    user = auth.login()
    (level,), (skill,) = _matrix(user.team, skills=1, levels=1)
    other = factories.ExpectationFactory(proficiency=1, description="Theirs")
    response = client.post(
        "/catalog/matrix",
        data={
            _name(level, skill, "proficiency"): "2",
            _name(other.level, other.skill, "proficiency"): "4",
            _name(level, other.skill, "proficiency"): "4",
        },
    )
    assert response.status_code == 302
    assert _cells(db, user.team_id) == {(level.id, skill.id): (2, "")}
    db.session.refresh(other)
    assert (other.proficiency, other.description) == (1, "Theirs")


def test_one_levels_column_can_be_edited_alone(client, auth, db):
    user = auth.login()
    (junior, middle, senior), (api, tests) = _matrix(user.team, skills=2, levels=3)
    factories.ExpectationFactory(
        team=user.team,
        level=middle,
        skill=api,
        proficiency=2,
        description="Builds endpoints from a spec.",
    )
    factories.ExpectationFactory(team=user.team, level=junior, skill=api, proficiency=1)

    html = client.get(f"/catalog/matrix?level={senior.id}").get_data(as_text=True)
    assert "Competency matrix: Senior" in html
    assert _name(senior, api, "proficiency") in html
    assert _name(middle, api, "proficiency") not in html
    assert _name(junior, api, "proficiency") not in html
    assert 'Middle <span class="text-body-secondary">(level below)' in html
    assert "Builds endpoints from a spec." in html  # the level below, for reference
    assert "Save Senior" in html

    response = client.post(
        f"/catalog/matrix?level={senior.id}",
        data={
            _name(senior, api, "proficiency"): "4",
            _name(senior, tests, "proficiency"): "3",
            _name(junior, api, "proficiency"): "4",  # not part of this form: ignored
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/catalog/matrix?level={senior.id}"
    assert _cells(db, user.team_id) == {
        (junior.id, api.id): (1, "Works through typical problems without help."),
        (middle.id, api.id): (2, "Builds endpoints from a spec."),
        (senior.id, api.id): (4, ""),
        (senior.id, tests.id): (3, ""),
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved the Senior column: 2 cells changed." in page


@pytest.mark.parametrize("level", ["other-team", "9999999", "abc"])
def test_an_unknown_or_foreign_level_column_is_not_found(client, auth, level):
    user = auth.login()
    _matrix(user.team, skills=1, levels=1)
    if level == "other-team":
        level = str(factories.LevelFactory().id)
    assert client.get(f"/catalog/matrix?level={level}").status_code == 404
    assert client.post(f"/catalog/matrix?level={level}", data={}).status_code == 404


def test_the_matrix_page_runs_the_same_queries_for_3_and_30_skills(client, auth, count_queries):
    user = auth.login()
    levels, skills = _matrix(user.team, skills=3, levels=3)
    for skill in skills:
        factories.ExpectationFactory(team=user.team, level=levels[0], skill=skill)
    with count_queries() as few:
        assert client.get("/catalog/matrix").status_code == 200
    for skill in factories.SkillFactory.create_batch(27, team=user.team):
        for level in levels:
            factories.ExpectationFactory(team=user.team, level=level, skill=skill)
    with count_queries() as many:
        html = client.get("/catalog/matrix").get_data(as_text=True)
    assert html.count("<select") == 90
    assert few.count == many.count
    with count_queries() as focused:
        assert client.get(f"/catalog/matrix?level={levels[1].id}").status_code == 200
    assert focused.count == many.count


def _full_post(levels, skills, proficiency):
    data = {}
    for skill in skills:
        for level in levels:
            data[_name(level, skill, "proficiency")] = str(proficiency)
            data[_name(level, skill, "description")] = f"Level {proficiency} behaviour"
    return data


def test_saving_a_30_by_3_matrix_runs_a_bounded_number_of_queries(client, auth, db, count_queries):
    user = auth.login()
    levels, skills = _matrix(user.team, skills=3, levels=3)
    data = _full_post(levels, skills, 2)
    with count_queries() as small:
        assert client.post("/catalog/matrix", data=data).status_code == 302
    skills += factories.SkillFactory.create_batch(27, team=user.team)

    data = _full_post(levels, skills, 2)  # the first 3 rows unchanged, 81 new cells
    with count_queries() as created:
        assert client.post("/catalog/matrix", data=data).status_code == 302
    assert len(_cells(db, user.team_id)) == 90
    data = _full_post(levels, skills, 4)
    with count_queries() as updated:
        assert client.post("/catalog/matrix", data=data).status_code == 302
    assert set(_cells(db, user.team_id).values()) == {(4, "Level 4 behaviour")}
    removal = {
        name: ("0" if name.endswith("proficiency") else "")
        for name in _full_post(levels, skills, 0)
    }
    with count_queries() as removed:
        assert client.post("/catalog/matrix", data=removal).status_code == 302
    assert _cells(db, user.team_id) == {}

    # Sign-in look-up, skills, levels, cells, one batched write per kind, an audit row per level.
    assert created.count == small.count
    assert max(created.count, updated.count, removed.count) <= 4 + 3 + len(levels)


def test_a_cell_saved_by_someone_else_meanwhile_is_reported_not_a_server_error(
    client, auth, db, monkeypatch
):
    user = auth.login()
    (level,), (skill,) = _matrix(user.team, skills=1, levels=1)
    factories.ExpectationFactory(team=user.team, level=level, skill=skill, proficiency=1)
    db.session.commit()  # so that the view's rollback keeps the rows made above
    # The page was read before the other save landed: it knew no stored cell.
    monkeypatch.setattr(catalog_matrix, "load_matrix", lambda *args, **kwargs: {})
    response = client.post(
        "/catalog/matrix", data={_name(level, skill, "proficiency"): "3"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Someone saved the matrix at the same moment" in response.get_data(as_text=True)
    assert _cells(db, user.team_id) == {
        (level.id, skill.id): (1, factories.ExpectationFactory.description)
    }
