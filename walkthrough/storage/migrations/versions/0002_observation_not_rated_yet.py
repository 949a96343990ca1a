"""an observation may be not rated yet

Revision ID: 0002_observation_not_rated_yet
Revises: 0001_initial
Create Date: 2026-12-07

observation.rating_id becomes nullable: NULL is "not rated yet", a note
written first and rated later.  Every stored observation keeps its rating.

SQLite cannot drop NOT NULL in place, so the table is copied (batch mode).
The copy is described in full here (``copy_from``) rather than reflected,
so it is exactly revision 0001's table (with the CHECK on ``voice``) whatever
a later SQLAlchemy's reflection keeps.  Foreign keys are off
while it runs (see ``walkthrough.storage.database._run_migrations``):
dropping the old table with them on would cascade and delete every photo.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_observation_not_rated_yet'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _observation(rating_nullable: bool) -> sa.Table:
    """The observation table as revision 0001 made it, with ``rating_id`` NULL or not."""
    metadata = sa.MetaData(naming_convention=_NAMING)
    sa.Table('walkthrough', metadata, sa.Column('id', sa.String(length=36), primary_key=True))
    return sa.Table(
        'observation', metadata,
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
        sa.Column('area_id', sa.String(length=64), nullable=False),
        sa.Column('prompt_id', sa.String(length=64), nullable=True),
        sa.Column('rating_id', sa.String(length=64), nullable=rating_nullable),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('voice', sa.Enum('facilitator', 'staff', 'lived-experience', 'manager', 'other', name='voice',
                                   native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['walkthrough_id'], ['walkthrough.id'],
                                name='fk_observation_walkthrough_id_walkthrough', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_observation'),
        sa.Index('ix_observation_walkthrough_id', 'walkthrough_id'),
    )


def upgrade() -> None:
    with op.batch_alter_table('observation', copy_from=_observation(rating_nullable=False)) as batch_op:
        batch_op.alter_column('rating_id', existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    # Refused by the NOT NULL while an observation is not rated yet: rate them first.
    with op.batch_alter_table('observation', copy_from=_observation(rating_nullable=True)) as batch_op:
        batch_op.alter_column('rating_id', existing_type=sa.String(length=64), nullable=False)
