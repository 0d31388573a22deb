"""The migrations build exactly the schema the models describe, and undo it cleanly.

These tests change the schema itself, so they run on ``app`` alone, outside the per-test
transaction, and leave the database at head and empty for the tests after them.
"""

from __future__ import annotations

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from interviewer.db import migration_filter
from interviewer.extensions import db as _db
from tests import factories
from tests.conftest import delete_committed_team

#: Tables that belong to Alembic, not to the models.
BOOKKEEPING = {"alembic_version"}
#: The revision that took ON DELETE CASCADE / SET NULL off the keys of evidence, and its parent.
EVIDENCE_KEPT, BEFORE_EVIDENCE_KEPT = "ac73695c4954", "852c6e678b19"


def _tables() -> set[str]:
    return set(inspect(_db.engine).get_table_names()) - BOOKKEEPING


def _heads() -> set[str]:
    with _db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


@pytest.fixture
def migrated(app):
    """An app context on the schema; whatever a test did, it ends at head again."""
    with app.app_context():
        try:
            yield app
        finally:
            _db.session.remove()
            flask_migrate.upgrade()


def test_downgrade_to_base_and_upgrade_to_head(migrated):
    model_tables = set(_db.metadata.tables)
    assert _tables() == model_tables
    head = _heads()
    assert head

    flask_migrate.downgrade(revision="base")

    assert _tables() == set()
    assert _heads() == set()

    flask_migrate.upgrade()

    assert _tables() == model_tables
    assert _heads() == head
    with _db.engine.connect() as connection:
        for table in _db.metadata.sorted_tables:
            count = connection.scalar(select(func.count()).select_from(table))
            assert count == 0, f"{table.name} has rows after the migrations"


def test_models_and_migrations_do_not_drift(migrated):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_object": migration_filter(connection.dialect.name),
            },
        )
        differences = compare_metadata(context, _db.metadata)

    assert differences == [], "run `flask db migrate` and read the result"


def _rows() -> dict[str, int]:
    """Rows per table, for the tables that have any."""
    with _db.engine.connect() as connection:
        counts = {
            name: connection.scalar(select(func.count()).select_from(_db.metadata.tables[name]))
            for name in _tables()
        }
    return {name: count for name, count in counts.items() if count}


def _ondelete(table: str, column: str) -> str | None:
    (key,) = [
        key
        for key in inspect(_db.engine).get_foreign_keys(table)
        if key["constrained_columns"] == [column]
    ]
    return key["options"].get("ondelete")


def test_the_evidence_keys_go_down_and_up_again_keeping_every_row(migrated):
    rating = factories.RatingFactory()
    scorecard = rating.scorecard
    factories.PanelMemberFactory(
        team=rating.team, interview=scorecard.interview, user=scorecard.interviewer
    )
    factories.DecisionFactory(team=rating.team, application=scorecard.application)
    factories.KitItemFactory(team=rating.team, skill=rating.skill)
    _db.session.commit()
    team_id = rating.team_id
    _db.session.remove()
    rows = _rows()
    try:
        flask_migrate.downgrade(revision=BEFORE_EVIDENCE_KEPT)
        # Tables made by later revisions (a team's candidate sources) are gone with them.
        kept = {name: count for name, count in rows.items() if name in _tables()}

        assert _rows() == kept
        assert _ondelete("rating", "skill_id") == "CASCADE"
        assert _ondelete("decision", "decided_by_id") == "SET NULL"

        flask_migrate.upgrade(revision=EVIDENCE_KEPT)

        assert _rows() == kept
        assert _ondelete("rating", "skill_id") is None
        assert _ondelete("decision", "decided_by_id") is None
    finally:
        flask_migrate.upgrade()
        delete_committed_team(_db.engine, team_id)
