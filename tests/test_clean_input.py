"""Text is clean before it reaches the database: every form refuses control characters with
a message that says where, keeps tabs and line breaks only where a field has lines, takes
right-to-left marks and emoji as they are, and refuses numbers and dates no column holds.
Query strings are cleaned the same way. On SQLite and PostgreSQL alike (PostgreSQL refuses
NUL in text, which used to be a 500)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.fields import DateField

from interviewer.auth.models import Role
from interviewer.catalog.models import Skill
from interviewer.forms import BaseForm, bounded_int, refused_character, search_text
from interviewer.plans.models import Job
from tests import factories


@pytest.fixture
def manager(auth):
    return auth.login(Role.HIRING_MANAGER)


def skill_named(db, team, name):
    return db.session.scalar(select(Skill).where(Skill.team_id == team.id, Skill.name == name))


def skills_of(db, team) -> list[Skill]:
    return list(db.session.scalars(select(Skill).where(Skill.team_id == team.id)))


REFUSED = {
    "NUL": ("\x00", "control character U+0000"),
    "a bell": ("\x07", "control character U+0007"),
    "an escape": ("\x1b", "control character U+001B"),
    "DEL": ("\x7f", "control character U+007F"),
    "a C1 control (NEL)": ("\x85", "control character U+0085"),
    "a vertical tab": ("\x0b", "control character U+000B"),
    "a non-character U+FFFE": ("\ufffe", "character U+FFFE"),
    "a non-character U+FDD0": ("\ufdd0", "character U+FDD0"),
    "a non-character of plane 16": ("\U0010ffff", "character U+10FFFF"),
}


@pytest.mark.parametrize(("char", "named"), REFUSED.values(), ids=REFUSED.keys())
def test_a_control_character_is_refused_with_its_position(client, db, manager, char, named):
    response = client.post(
        "/catalog/skills/new", data={"name": f"API{char} design", "kind": "hard"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Remove the {named} at position 4" in page
    assert skills_of(db, manager.team) == []


def test_the_message_stands_next_to_the_field_and_the_others_are_kept(client, db, manager):
    response = client.post(
        "/catalog/skills/new",
        data={"name": "Caching", "kind": "hard", "category": "Back\x00end", "description": "ok"},
    )

    page = response.get_data(as_text=True)
    feedback = page.split('name="category"', 1)[1].split("</div>", 2)
    assert "Remove the control character U+0000 at position 5" in "".join(feedback)
    assert 'value="Caching"' in page
    assert skills_of(db, manager.team) == []


def test_a_text_area_keeps_tabs_and_line_breaks(client, db, manager):
    description = "Reads a profile:\n\tcache hits\r\n\tcache misses"
    response = client.post(
        "/catalog/skills/new",
        data={"name": "Caching", "kind": "hard", "description": description},
    )

    assert response.status_code == 302
    assert skill_named(db, manager.team, "Caching").description == description


def test_a_one_line_field_turns_tabs_and_line_breaks_into_spaces(client, db, manager):
    response = client.post(
        "/catalog/skills/new",
        data={"name": "API\tdesign\r\nand\nREST ", "kind": "hard", "category": "Back\tend"},
    )

    assert response.status_code == 302
    skill = skill_named(db, manager.team, "API design and REST")
    assert skill is not None and skill.category == "Back end"


def test_right_to_left_marks_and_emoji_are_kept_as_typed(client, db, manager):
    name = "\u202bתכנון API\u202c \u200f👩‍💻"
    response = client.post("/catalog/skills/new", data={"name": name, "kind": "hard"})

    assert response.status_code == 302
    assert skill_named(db, manager.team, name) is not None
    assert name in client.get("/catalog/").get_data(as_text=True)


def test_text_longer_than_its_column_gets_a_length_message(client, db, manager):
    response = client.post("/catalog/skills/new", data={"name": "x" * 100_000, "kind": "hard"})

    assert response.status_code == 200
    assert "Field cannot be longer than 120 characters." in response.get_data(as_text=True)
    assert skills_of(db, manager.team) == []


def test_a_hidden_field_drops_control_characters_quietly(client, db):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    db.session.flush()

    response = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD, "next": "/jobs\x00\x1b"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/jobs"


def test_a_next_address_made_offsite_by_dropping_a_control_character_is_still_refused(client, db):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    db.session.flush()

    response = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD, "next": "/\x00/evil.example"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# Numbers and dates ------------------------------------------------------------------------


@pytest.fixture
def level(manager):
    return factories.LevelFactory(team=manager.team, salary_min=None, salary_max=None)


def job_data(level, **fields) -> dict:
    data = {
        "level_id": level.id,
        "title": "Backend Developer",
        "slug": "",
        "description": "Build the services.",
        "workplace": "onsite",
        "employment_type": "employee",
        "salary_currency": "USD",
        "hiring_manager_id": "0",
        "confirm_outside_band": "y",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"posted_on": "9999-12-31"}, "Enter a date between 1900 and 2199."),
        ({"closes_on": "0001-01-01"}, "Enter a date between 1900 and 2199."),
        ({"salary_min": "1e999"}, "Enter an amount from 0 to 9,999,999,999."),
        ({"salary_max": "99999999999999999999"}, "Enter an amount from 0 to 9,999,999,999."),
        (
            {"employment_type": "contract", "contract_months": "9" * 30},
            "Enter a smaller number.",
        ),
    ],
    ids=["a date in year 9999", "a date in year 1", "1e999", "20 digits", "30 digits"],
)
def test_numbers_and_dates_no_column_holds_are_refused(client, db, manager, level, fields, message):
    response = client.post("/jobs/new", data=job_data(level, **fields))

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert list(db.session.scalars(select(Job).where(Job.team_id == manager.team_id))) == []


def test_the_highest_amount_and_the_ends_of_the_date_range_are_accepted(client, db, manager, level):
    data = job_data(level, salary_min="9999999999", posted_on="1900-01-01", closes_on="2199-12-31")

    response = client.post("/jobs/new", data=data)

    assert response.status_code == 302
    job = db.session.scalar(select(Job).where(Job.team_id == manager.team_id))
    assert job.salary_min == Decimal("9999999999")
    assert (job.posted_on, job.closes_on) == (date(1900, 1, 1), date(2199, 12, 31))


class _Everything(BaseForm):
    class Meta:
        csrf = False

    line = StringField()
    text = TextAreaField()
    hidden = HiddenField()
    number = IntegerField()
    day = DateField()


def test_the_base_form_checks_each_kind_of_field(app):
    with app.test_request_context():
        form = _Everything(
            MultiDict(
                {
                    "line": "a\tb\nc",
                    "text": "a\tb\nc\x85",
                    "hidden": "7\x00",
                    "number": str(2**31),
                    "day": (date(2199, 12, 31) + timedelta(days=1)).isoformat(),
                }
            )
        )
        assert not form.validate()
    assert form.line.data == "a b c" and not form.line.errors
    assert form.text.errors == [
        "Remove the control character U+0085 at position 6: it is not text that can be kept."
    ]
    assert form.hidden.data == "7" and not form.hidden.errors
    assert form.number.errors == ["Enter a smaller number."]
    assert form.day.errors == ["Enter a date between 1900 and 2199."]


def test_refused_character_names_the_first_one():
    assert refused_character("clean text, שלום, 👩‍💻, tab\tand\nlines") is None
    assert refused_character("ab\x00c\x01") == (
        "Remove the control character U+0000 at position 3: it is not text that can be kept."
    )
    # No request can carry one (the body is decoded as UTF-8), but a value made in code can.
    assert refused_character("x\ud800") == (
        "Remove the character U+D800 at position 2: it is not text that can be kept."
    )


# Query strings ----------------------------------------------------------------------------


def test_query_string_helpers():
    assert search_text(" Ada\x00 Lovelace\n") == "Ada Lovelace"
    assert len(search_text("x" * 100_000)) == 200
    assert bounded_int("12") == 12
    for bad in ("9" * 30, str(2**31), "1.5", "\x00"):
        with pytest.raises(ValueError):
            bounded_int(bad)


def test_the_candidate_search_takes_text_with_control_characters(client, db, manager):
    factories.CandidateFactory(team=manager.team, name="Ada Lovelace")
    db.session.flush()

    found = client.get("/candidates/", query_string={"q": "Ada\x00 Love"})
    long = client.get("/candidates/", query_string={"q": "x" * 100_000})

    assert found.status_code == 200 and "Ada Lovelace" in found.get_data(as_text=True)
    assert long.status_code == 200 and "Ada Lovelace" not in long.get_data(as_text=True)


@pytest.mark.parametrize("page", ["9" * 30, "-3", str(2**31), "\x00", "two"])
@pytest.mark.parametrize("path", ["/jobs", "/dashboard", "/candidates/", "/my-interviews"])
def test_a_page_number_no_list_has_shows_the_first_page(client, db, manager, path, page):
    assert client.get(path, query_string={"page": page}).status_code == 200
