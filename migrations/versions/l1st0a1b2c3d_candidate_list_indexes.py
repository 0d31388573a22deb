"""candidate list indexes: last activity, keyset sorts, trigram search

Revision ID: l1st0a1b2c3d
Revises: b0ard1c0de01
Create Date: 2026-12-02 19:50:00.000000

On PostgreSQL the search indexes need the pg_trgm extension (shipped with PostgreSQL, in the
"contrib" package of some distributions). Creating it needs the CREATE privilege on the
database (PostgreSQL 13+, pg_trgm is a trusted extension) or a superuser. When it cannot be
created the migration goes on without the search indexes, warns, and says what to run; the
search still works, scanning the team's candidates. Running ``flask db downgrade
5e1f0a7c2b9d`` then ``flask db upgrade`` after a superuser has run
``CREATE EXTENSION pg_trgm;`` adds them.
"""

import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "l1st0a1b2c3d"
down_revision = "b0ard1c0de01"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_activity_at", sa.DateTime(timezone=True)))
    latest = (
        "(SELECT max(application.updated_at) FROM application"
        " WHERE application.candidate_id = candidate.id)"
    )
    larger = "greatest" if op.get_bind().dialect.name == "postgresql" else "max"
    op.execute(
        f"UPDATE candidate SET last_activity_at = "
        f"{larger}(candidate.updated_at, coalesce({latest}, candidate.updated_at))"
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.alter_column("last_activity_at", nullable=False)
        batch_op.drop_index("ix_candidate_team_id_name")
        batch_op.drop_index("ix_candidate_team_id_created_at")
        batch_op.create_index("ix_candidate_team_id_name_id", ["team_id", "name", "id"])
        batch_op.create_index("ix_candidate_team_id_created_at_id", ["team_id", "created_at", "id"])
        batch_op.create_index(
            "ix_candidate_team_id_last_activity_at_id", ["team_id", "last_activity_at", "id"]
        )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_team_id_status_candidate_id", ["team_id", "status", "candidate_id"]
        )
    if op.get_bind().dialect.name == "postgresql":
        _create_search_indexes()


def _create_search_indexes():
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        log.warning(
            "Candidate search indexes skipped: the pg_trgm extension could not be created "
            "(%s). Search still works but scans every candidate of a team. To add them, "
            "have a superuser run CREATE EXTENSION pg_trgm; in this database, then run "
            "flask db downgrade b0ard1c0de01 and flask db upgrade.",
            str(error.orig).strip().splitlines()[0],
        )
        return
    # The operator class lives in the extension's schema, which need not be on the path.
    schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    )
    for column in ("name", "email"):
        op.create_index(
            f"ix_candidate_{column}_trgm",
            "candidate",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: f'"{schema}".gin_trgm_ops'},
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_candidate_email_trgm")
        op.execute("DROP INDEX IF EXISTS ix_candidate_name_trgm")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_team_id_status_candidate_id")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_team_id_last_activity_at_id")
        batch_op.drop_index("ix_candidate_team_id_created_at_id")
        batch_op.drop_index("ix_candidate_team_id_name_id")
        batch_op.create_index("ix_candidate_team_id_created_at", ["team_id", "created_at"])
        batch_op.create_index("ix_candidate_team_id_name", ["team_id", "name"])
        batch_op.drop_column("last_activity_at")
