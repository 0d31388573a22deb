"""evidence is never deleted by a cascade

Ratings, scorecards, their revisions, interviews, panel members, decisions, kit items and
audit events no longer go (or lose their reference) when the skill, plan stage, kit version,
application or user they point at is deleted: the database refuses that delete instead.
NO ACTION, not RESTRICT, because it is checked at the end of the statement, so deleting a
whole team, which cascades through ``team_id`` to every row in one statement, still works;
the three RESTRICT keys become NO ACTION for the same reason.

Revision ID: ac73695c4954
Revises: 852c6e678b19
Create Date: 2026-12-02 00:57:48.774805

"""

from itertools import groupby

from alembic import op

# revision identifiers, used by Alembic.
revision = "ac73695c4954"
down_revision = "852c6e678b19"
branch_labels = None
depends_on = None

#: (table, column, referred table, ON DELETE before this revision); after it: NO ACTION.
CHANGED = [
    ("audit_event", "actor_id", "user_account", "SET NULL"),
    ("decision", "application_id", "application", "CASCADE"),
    ("decision", "decided_by_id", "user_account", "SET NULL"),
    ("interview", "application_id", "application", "CASCADE"),
    ("interview", "plan_stage_id", "plan_stage", "CASCADE"),
    ("interview", "kit_version_id", "kit_version", "SET NULL"),
    ("job", "level_id", "level", "RESTRICT"),
    ("kit_item", "skill_id", "skill", "CASCADE"),
    ("panel_member", "user_id", "user_account", "CASCADE"),
    ("plan_stage", "stage_type_id", "stage_type", "RESTRICT"),
    ("plan_template_stage", "stage_type_id", "stage_type", "RESTRICT"),
    ("rating", "skill_id", "skill", "CASCADE"),
    ("scorecard", "interview_id", "interview", "CASCADE"),
    ("scorecard", "interviewer_id", "user_account", "CASCADE"),
    ("scorecard", "application_id", "application", "CASCADE"),
    ("scorecard", "kit_version_id", "kit_version", "SET NULL"),
    ("scorecard_revision", "author_id", "user_account", "SET NULL"),
]


def _recreate_keys(*, before: bool) -> None:
    """Drop each changed key and create it again, with its old ON DELETE or with none."""
    for table, keys in groupby(CHANGED, key=lambda key: key[0]):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, column, referred, ondelete in keys:
                name = op.f(f"fk_{table}_{column}_{referred}")
                batch_op.drop_constraint(name, type_="foreignkey")
                batch_op.create_foreign_key(
                    name, referred, [column], ["id"], ondelete=ondelete if before else None
                )


def upgrade():
    _recreate_keys(before=False)


def downgrade():
    _recreate_keys(before=True)
