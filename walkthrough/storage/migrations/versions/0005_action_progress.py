"""an action's lead, on-track, success measure and MAT standards; progress updates

Revision ID: 0005_action_progress
Revises: 0003_change_history
Create Date: 2026-12-07

``action`` gains ``lead`` (the accountable lead), ``on_track`` (on-track,
at-risk, off-track or NULL: not said), ``success_measure`` ("how we'll
know") and ``mat_standards`` (the MAT standards 1-10 it serves, as text
"1,4,10").  Every stored action keeps its fields and takes the empty value
of the new ones, which is what an action's ``create`` recorded before this
revision stands for (``history_since`` in ``walkthrough.domain.fields``, read
through ``walkthrough.domain.change_values.CREATED_WITHOUT``): the history is not
rewritten, and still replays to the same rows.

``progress_update`` is new: a dated note on an action, who wrote it, and the
action's status and on-track then.

SQLite cannot add a column with a CHECK in place (``on_track``'s), so the
table is copied (batch mode), described in full (``copy_from``) as revision
0001 made it, as 0002 does for observations.  Foreign keys are off while it
runs (``walkthrough.storage.database._run_migrations``).
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_action_progress'
down_revision = '0004_service'
branch_labels = None
depends_on = None

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _status() -> sa.Enum:
    return sa.Enum('not-started', 'in-progress', 'done', name='actionstatus', native_enum=False,
                   create_constraint=True, length=32)


def _on_track() -> sa.Enum:
    return sa.Enum('on-track', 'at-risk', 'off-track', name='ontrack', native_enum=False,
                   create_constraint=True, length=32)


def _action_0001() -> sa.Table:
    """The action table as revision 0001 made it (0002 and 0003 left it alone)."""
    metadata = sa.MetaData(naming_convention=_NAMING)
    sa.Table('walkthrough', metadata, sa.Column('id', sa.String(length=36), primary_key=True))
    return sa.Table(
        'action', metadata,
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('owner', sa.Text(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False,
                                      create_constraint=True, length=32), nullable=False),
        sa.Column('status', _status(), nullable=False),
        sa.Column('component_id', sa.String(length=64), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['walkthrough_id'], ['walkthrough.id'],
                                name='fk_action_walkthrough_id_walkthrough', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_action'),
        sa.Index('ix_action_walkthrough_id', 'walkthrough_id'),
    )


def _action_0005() -> sa.Table:
    """The action table as this revision makes it."""
    table = _action_0001()
    for column in (sa.Column('lead', sa.Text(), nullable=False, server_default=''),
                   sa.Column('on_track', _on_track(), nullable=True),
                   sa.Column('success_measure', sa.Text(), nullable=False, server_default=''),
                   sa.Column('mat_standards', sa.Text(), nullable=False, server_default='')):
        table.append_column(column)
    return table


def upgrade() -> None:
    with op.batch_alter_table('action', copy_from=_action_0001()) as batch_op:
        batch_op.add_column(sa.Column('lead', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('on_track', _on_track(), nullable=True))
        batch_op.add_column(sa.Column('success_measure', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('mat_standards', sa.Text(), nullable=False, server_default=''))
    op.create_table(
        'progress_update',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('action_id', sa.String(length=36), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('written_by', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('status', _status(), nullable=False),
        sa.Column('on_track', _on_track(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_progress_update_action_id_action'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update')),
    )
    op.create_index('ix_progress_update_action_id', 'progress_update', ['action_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_progress_update_action_id', table_name='progress_update')
    op.drop_table('progress_update')
    # From the shape this revision made, not a reflection of it: SQLite's reflection
    # keeps the CHECK on ``on_track`` after the column is gone, and the copy fails.
    with op.batch_alter_table('action', copy_from=_action_0005()) as batch_op:
        batch_op.drop_column('mat_standards')
        batch_op.drop_column('success_measure')
        batch_op.drop_column('on_track')
        batch_op.drop_column('lead')
