"""``flask export-team`` then ``flask import-team`` loses nothing and leaks nothing.

A source database holds two teams: one with a row in every team table, one small. Each is
exported through the command and imported into a fresh database of its own; every row of
the source must then be in exactly one of the two targets, column for column (the secrets
aside), and exporting an imported team again gives the same bytes. On PostgreSQL the
source and the first target are schemas of the test database and the second target is a
SQLite file, so the file is also seen to move between the two kinds of database.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select, text

from interviewer.auth.models import Team, User
from interviewer.backup import reader
from interviewer.backup.tables import (
    FORMAT,
    NOT_TEAM_DATA,
    SECRETS,
    UNUSABLE_PASSWORD,
    VERSION,
    code_revision,
    team_tables,
)
from interviewer.extensions import db
from tests import factories
from tests.backup_support import (
    Databases,
    build_full_team,
    build_small_team,
    fill_empty_tables,
)

EXPORTED_AT = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


@dataclass
class World:
    databases: Databases
    folder: Path
    source: Flask
    #: Team slug → its export, as bytes.
    exports: dict[str, bytes]
    #: Team slug → the database it was imported into.
    targets: dict[str, Flask]
    full_team_id: int


def invoke(app: Flask, *args: str, input: bytes | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def export(app: Flask, slug: str) -> bytes:
    with time_machine.travel(EXPORTED_AT, tick=False):
        result = invoke(app, "export-team", slug)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    folder = tmp_path_factory.mktemp("backup")
    databases = Databases(folder)
    try:
        source = databases.new("source")
        with source.app_context():
            full = build_full_team("acme")
            build_small_team("globex")
            fill_empty_tables(full.id)
            full_team_id = full.id
            db.session.commit()
        exports = {slug: export(source, slug) for slug in ("acme", "globex")}

        acme = databases.new("acme")
        (folder / "acme.json").write_bytes(exports["acme"])
        imported = invoke(acme, "import-team", str(folder / "acme.json"))
        assert imported.exit_code == 0, imported.output
        assert "flask set-password" in imported.output

        # The other kind of database when there is one, and the file from standard input.
        globex = databases.new("globex", kind="sqlite")
        imported = invoke(globex, "import-team", "-", input=exports["globex"])
        assert imported.exit_code == 0, imported.output

        yield World(
            databases, folder, source, exports, {"acme": acme, "globex": globex}, full_team_id
        )
    finally:
        databases.close()


def declared_secret(column) -> bool:
    """Declared secret by hand, not merely by the look of its name (so the comparison is
    not blind to what the exporter's own rule leaves out)."""
    return (column.table.name, column.name) in SECRETS or column.info.get("secret", False)


def rows(app: Flask, table) -> dict[tuple, dict]:
    """Every row of ``table``, by primary key, without the declared secret columns."""
    columns = [column for column in table.columns if not declared_secret(column)]
    keys = list(table.primary_key.columns)
    with app.app_context(), db.engine.connect() as connection:
        result = connection.execute(select(*columns).order_by(*keys)).mappings()
        return {tuple(row[key.name] for key in keys): dict(row) for row in result}


def test_the_full_team_has_a_row_in_every_team_table(world):
    with world.source.app_context(), db.engine.connect() as connection:
        empty = [
            table.name
            for table in team_tables(db.metadata)
            if not connection.scalar(select(func.count()).where(table.rows_of(world.full_team_id)))
        ]
    assert empty == []


def test_every_row_of_the_source_is_in_exactly_one_target(world):
    checked = 0
    for table in db.metadata.sorted_tables:
        if table.name in NOT_TEAM_DATA:
            continue
        source = rows(world.source, table)
        acme = rows(world.targets["acme"], table)
        globex = rows(world.targets["globex"], table)
        assert not set(acme) & set(globex), f"{table.name}: a row went to both teams"
        assert {**acme, **globex} == source, f"{table.name} differs after the round trip"
        checked += len(source)
    assert checked >= len(team_tables(db.metadata))


def test_exporting_the_imported_team_gives_the_same_bytes(world):
    for slug, target in world.targets.items():
        assert export(target, slug) == world.exports[slug], slug


def test_the_export_says_what_it_is_and_leaves_the_secrets_behind(world):
    document = json.loads(world.exports["acme"])
    with world.source.app_context():
        head = code_revision()
        hashes = db.session.scalars(select(User.password_hash)).all()
    assert document["format"] == FORMAT
    assert document["version"] == VERSION
    assert document["revision"] == head
    assert document["exported_at"] == "2025-01-02T03:04:05+00:00"
    assert document["team"] == "acme"
    assert document["left_out"] == [
        "api_token.token_hash",
        "invitation.token_hash",
        "recovery_code.code_hash",
        "user_account.calendar_token",
        "user_account.password_hash",
        "user_account.totp_secret",
        "user_session.token_hash",
        "webhook_endpoint.secret",
    ]
    assert [table["name"] for table in document["tables"]][0] == "team"
    text = world.exports["acme"].decode()
    assert "feed-token-of-acme" not in text
    assert all(password_hash not in text for password_hash in hashes)
    assert "pbkdf2:" not in text and "scrypt:" not in text
    users = next(table for table in document["tables"] if table["name"] == "user_account")
    assert "password_hash" not in users["columns"]


def test_the_export_carries_one_team_only(world):
    document = json.loads(world.exports["globex"])
    teams = next(table for table in document["tables"] if table["name"] == "team")
    assert [row[teams["columns"].index("slug")] for row in teams["rows"]] == ["globex"]
    for table in document["tables"]:
        if "team_id" in table["columns"]:
            position = table["columns"].index("team_id")
            assert {row[position] for row in table["rows"]} <= {teams["rows"][0][0]}


def test_imported_users_sign_in_only_once_given_a_password(world):
    acme = world.targets["acme"]
    with acme.app_context():
        users = db.session.execute(select(User.email, User.password_hash, User.calendar_token))
        users = users.all()
    assert {password_hash for _email, password_hash, _token in users} == {UNUSABLE_PASSWORD}
    assert {token for _email, _hash, token in users} == {None}

    client = acme.test_client()
    login = {"email": "admin@acme.example", "password": factories.PASSWORD}
    assert client.post("/login", data=login).status_code != 302
    assert client.post("/login", data={**login, "password": UNUSABLE_PASSWORD}).status_code != 302

    result = invoke(acme, "set-password", "admin@acme.example", "--password", "a new long password")
    assert result.exit_code == 0, result.output
    signed_in = client.post("/login", data={**login, "password": "a new long password"})
    assert signed_in.status_code == 302


def test_rows_added_after_an_import_get_fresh_ids(world):
    acme = world.targets["acme"]
    with acme.app_context():
        largest = db.session.scalar(select(func.max(User.id)))
        team = db.session.scalar(select(Team).where(Team.slug == "acme"))
        new_id = factories.UserFactory(team=team, email="new@acme.example").id
        db.session.rollback()
    assert new_id > largest


def test_an_import_into_a_database_with_the_team_is_refused_and_changes_nothing(world):
    acme = world.targets["acme"]
    before = rows(acme, User.__table__)
    result = invoke(acme, "import-team", "-", input=world.exports["acme"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: a team with slug 'acme' is already in this database: import into an empty one"
    ]
    assert rows(acme, User.__table__) == before


def _edited(export: bytes, **header) -> bytes:
    """The export with header fields changed (the header is its first line)."""
    first, rest = export.split(b"\n", 1)
    for name, value in header.items():
        start = first.index(f'"{name}": '.encode())
        end = first.index(b", ", start)
        first = first[:start] + f'"{name}": {json.dumps(value)}'.encode() + first[end:]
    return first + b"\n" + rest


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revision": "0123abcd"}, "the file was taken at revision 0123abcd, this database is at"),
        ({"format": "something-else"}, "not a team export: its format is 'something-else'"),
        ({"version": 99}, "the file is version 99 of the format; this release reads version 1"),
    ],
)
def test_a_file_of_another_revision_or_format_is_refused_in_one_line(world, change, message):
    acme = world.targets["acme"]
    data = _edited(world.exports["globex"], **change)
    result = invoke(acme, "import-team", "-", input=data)
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {message}")


def test_a_broken_file_is_refused_and_leaves_nothing_behind(world):
    acme = world.targets["acme"]
    export = world.exports["globex"]
    cases = {
        "truncated": export[: len(export) * 2 // 3],
        "not json": b"this is not an export",
        "ids taken": _edited(world.exports["acme"], team="acme-copy"),
    }
    for case, data in cases.items():
        result = invoke(acme, "import-team", "-", input=data)
        assert result.exit_code == 1, case
        assert len(result.output.strip().splitlines()) == 1, (case, result.output)
    assert "already holds such rows" in result.output
    with acme.app_context():
        teams = db.session.scalars(select(Team.slug)).all()
    assert teams == ["acme"]


def test_exporting_a_team_that_is_not_there_says_so(world):
    result = invoke(world.source, "export-team", "initech")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: there is no team with slug 'initech'"
    assert result.stdout == ""


def test_a_database_behind_the_release_is_neither_exported_nor_imported_into(world):
    globex = world.targets["globex"]
    with globex.app_context():
        head = code_revision()
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '852c6e678b19'"))
    try:
        exported = invoke(globex, "export-team", "globex")
        imported = invoke(globex, "import-team", "-", input=world.exports["acme"])
    finally:
        with globex.app_context(), db.engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head}
            )
    expected = (
        f"Error: the database is at revision 852c6e678b19, not at this release's {head}: "
        "run `flask db upgrade` first"
    )
    for result in (exported, imported):
        assert result.exit_code == 1
        assert result.output.strip() == expected
    assert exported.stdout == ""


def test_an_export_to_a_file_is_put_in_place_only_when_complete(world):
    written, refused = world.folder / "written.json", world.folder / "refused.json"
    with time_machine.travel(EXPORTED_AT, tick=False):
        result = invoke(world.source, "export-team", "acme", "--output", str(written))
        invoke(world.source, "export-team", "initech", "--output", str(refused))
    assert result.exit_code == 0
    assert result.output.strip().startswith("Exported team acme: ")
    assert written.read_bytes() == world.exports["acme"]
    assert not refused.exists()
    assert sorted(path.name for path in world.folder.glob("*.json")) == [
        "acme.json",
        "written.json",
    ]


@pytest.mark.parametrize("indent", [None, 2])
def test_the_reader_takes_the_file_in_small_pieces_and_any_layout(world, monkeypatch, indent):
    monkeypatch.setattr(reader, "CHUNK", 7)
    document = json.loads(world.exports["acme"])
    stream = reader.JsonStream(io.StringIO(json.dumps(document, indent=indent)))
    header = reader.read_header(stream)
    tables = [
        {"name": table.name, "columns": table.columns, "rows": list(table.rows)}
        for table in reader.read_tables(stream)
    ]
    assert {**header, "tables": tables} == document
