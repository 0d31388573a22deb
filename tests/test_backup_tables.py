"""The export finds the team's tables and secrets from the metadata, so nothing added later
slips past it: a new table reaches the team or the test names it, and a column that looks
secret is declared one way or the other.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String, Table

from interviewer import import_models
from interviewer.backup.tables import (
    NOT_SECRET,
    NOT_TEAM_DATA,
    SECRET_LOOKING,
    SECRETS,
    discover,
    is_secret,
    team_tables,
)
from interviewer.extensions import db

import_models()


def test_every_table_holds_a_teams_rows_or_is_declared_not_to():
    tables, unreached = discover(db.metadata)
    assert [table.name for table in unreached if table.name not in NOT_TEAM_DATA] == [], (
        "give these tables a team_id (or a key to a team table), or list them in "
        "NOT_TEAM_DATA in interviewer/backup/tables.py"
    )
    assert {table.name for table in tables} | NOT_TEAM_DATA == set(db.metadata.tables)


def test_the_team_tables_come_parents_first():
    seen: set[str] = set()
    for table in team_tables(db.metadata):
        parents = {key.column.table.name for key in table.table.foreign_keys}
        assert parents - {table.name} <= seen, f"{table.name} comes before a parent"
        seen.add(table.name)


def test_a_table_without_team_id_is_reached_through_its_parent():
    tables = {table.name: table for table in team_tables(db.metadata)}
    focus = tables["plan_stage_focus_skill"]
    assert focus.column.name == "plan_stage_id"
    assert focus.parent.name == "plan_stage"
    assert tables["candidate"].column.name == "team_id"


def test_a_new_table_is_found_without_a_change_to_the_exporter():
    metadata = MetaData()
    team = Table("team", metadata, Column("id", Integer, primary_key=True))
    Table(
        "widget",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("team_id", ForeignKey("team.id"), nullable=False),
    )
    Table(
        "widget_part",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("widget_id", ForeignKey("widget.id"), nullable=False),
        Column("data", JSON),
    )
    Table("lonely", metadata, Column("id", Integer, primary_key=True), Column("name", String))

    tables, unreached = discover(metadata, root=team)

    assert [table.name for table in tables] == ["team", "widget", "widget_part"]
    assert [table.name for table in unreached] == ["lonely"]
    part = tables[2]
    assert str(part.rows_of(7).compile(compile_kwargs={"literal_binds": True})) == (
        "widget_part.widget_id IN (SELECT widget.id \nFROM widget \nWHERE widget.team_id = 7)"
    )


def test_every_column_that_looks_secret_is_declared():
    undeclared = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if SECRET_LOOKING.search(column.name)
        and (table.name, column.name) not in SECRETS
        and (table.name, column.name) not in NOT_SECRET
        and "secret" not in column.info
    ]
    assert undeclared == [], (
        "declare each in SECRETS (with what an import stores instead) or NOT_SECRET in "
        "interviewer/backup/tables.py, or give the column info={'secret': ...}"
    )


def test_passwords_and_feed_tokens_are_secret_and_other_columns_are_not():
    secret = {
        f"{table.name}.{column.name}"
        for table in team_tables(db.metadata)
        for column in table.left_out
    }
    assert secret == {
        "api_token.token_hash",
        "invitation.token_hash",
        "user_account.password_hash",
        "user_account.calendar_token",
        "user_session.token_hash",
        "user_account.totp_secret",
        "recovery_code.code_hash",
        "webhook_endpoint.secret",
    }
    assert all(
        not is_secret(column) for column in db.metadata.tables["interview"].columns
    )  # its calendar uid is public: it is in every invitation
