"""candidate sources are a team-managed list; teams may review screens blind

Revision ID: 7b1e4c2d9f30
Revises: 3c2b7e9d41a0
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b1e4c2d9f30'
down_revision = '3c2b7e9d41a0'
branch_labels = None
depends_on = None

#: The sources every team starts with (``interviewer.candidates.sources``), as of this revision.
BUILTIN_SOURCES = ('Careers page', 'Referral', 'Agency', 'Sourced')


def upgrade():
    op.create_table('candidate_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('builtin', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('position > 0', name=op.f('ck_candidate_source_position_positive')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_candidate_source_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_source')),
    sa.UniqueConstraint('team_id', 'name', name=op.f('uq_candidate_source_team_id_name'))
    )
    with op.batch_alter_table('candidate_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_source_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_team_id_source'), ['team_id', 'source'], unique=False)

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blind_first_review', sa.Boolean(), server_default=sa.false(), nullable=False))

    _backfill_sources()


def _backfill_sources():
    """Every team gets the built-in sources, then the sources its candidates already carry;
    a value that differs from a source only in case or spaces takes the source's spelling."""
    connection = op.get_bind()
    team = sa.table('team', sa.column('id'))
    candidate = sa.table(
        'candidate', sa.column('id'), sa.column('team_id'), sa.column('source')
    )
    source = sa.table(
        'candidate_source',
        sa.column('team_id'),
        sa.column('name'),
        sa.column('position'),
        sa.column('builtin'),
    )
    team_ids = connection.execute(sa.select(team.c.id).order_by(team.c.id)).scalars().all()
    for team_id in team_ids:
        names = {}
        rows = []
        for name in BUILTIN_SOURCES:
            names[name.lower()] = name
            rows.append({'team_id': team_id, 'name': name, 'position': len(rows) + 1, 'builtin': True})
        values = connection.execute(
            sa.select(candidate.c.source)
            .where(candidate.c.team_id == team_id, candidate.c.source != '')
            .distinct()
            .order_by(candidate.c.source)
        ).scalars().all()
        for value in values:
            cleaned = ' '.join(value.split())
            if not cleaned:
                continue
            if cleaned.lower() not in names:
                names[cleaned.lower()] = cleaned
                rows.append({'team_id': team_id, 'name': cleaned, 'position': len(rows) + 1, 'builtin': False})
            if names[cleaned.lower()] != value:
                connection.execute(
                    candidate.update()
                    .where(candidate.c.team_id == team_id, candidate.c.source == value)
                    .values(source=names[cleaned.lower()])
                )
        op.bulk_insert(source, rows)


def downgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('blind_first_review')

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_team_id_source'))

    with op.batch_alter_table('candidate_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_source_team_id'))

    op.drop_table('candidate_source')
