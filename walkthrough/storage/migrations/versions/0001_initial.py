"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-29

The first schema: walkthroughs with their lens snapshot and team,
observations with principles and photos (stored inside the database),
and the improvement plan (actions linked to observations and principles).
DateTime columns hold naive UTC (see walkthrough.domain.models.UTCDateTime).
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('walkthrough',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service', sa.Text(), nullable=False),
    sa.Column('site', sa.Text(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('lens_id', sa.String(length=64), nullable=False),
    sa.Column('lens_version', sa.String(length=64), nullable=False),
    sa.Column('lens_title', sa.Text(), nullable=False),
    sa.Column('lens_snapshot', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walkthrough'))
    )
    op.create_table('action',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('not-started', 'in-progress', 'done', name='actionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('component_id', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['walkthrough_id'], ['walkthrough.id'], name=op.f('fk_action_walkthrough_id_walkthrough'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_walkthrough_id'), ['walkthrough_id'], unique=False)

    op.create_table('facilitator',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['walkthrough_id'], ['walkthrough.id'], name=op.f('fk_facilitator_walkthrough_id_walkthrough'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitator'))
    )
    with op.batch_alter_table('facilitator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitator_walkthrough_id'), ['walkthrough_id'], unique=False)

    op.create_table('observation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
    sa.Column('area_id', sa.String(length=64), nullable=False),
    sa.Column('prompt_id', sa.String(length=64), nullable=True),
    sa.Column('rating_id', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('voice', sa.Enum('facilitator', 'staff', 'lived-experience', 'manager', 'other', name='voice', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['walkthrough_id'], ['walkthrough.id'], name=op.f('fk_observation_walkthrough_id_walkthrough'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation'))
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_walkthrough_id'), ['walkthrough_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.Enum('staff', 'lived-experience', 'manager', 'other', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['walkthrough_id'], ['walkthrough.id'], name=op.f('fk_participant_walkthrough_id_walkthrough'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_walkthrough_id'), ['walkthrough_id'], unique=False)

    op.create_table('action_observation',
    sa.Column('action_id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_observation_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_action_observation_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'observation_id', name=op.f('pk_action_observation'))
    )
    with op.batch_alter_table('action_observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_observation_observation_id'), ['observation_id'], unique=False)

    op.create_table('action_principle',
    sa.Column('action_id', sa.String(length=36), nullable=False),
    sa.Column('principle_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_principle_action_id_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'principle_id', name=op.f('pk_action_principle'))
    )
    op.create_table('observation_principle',
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('principle_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_observation_principle_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('observation_id', 'principle_id', name=op.f('pk_observation_principle'))
    )
    op.create_table('photo',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('original_name', sa.Text(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('jpeg', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_photo_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo'))
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_observation_id'), ['observation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_observation_id'))

    op.drop_table('photo')
    op.drop_table('observation_principle')
    op.drop_table('action_principle')
    with op.batch_alter_table('action_observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_observation_observation_id'))

    op.drop_table('action_observation')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_walkthrough_id'))

    op.drop_table('participant')
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_walkthrough_id'))

    op.drop_table('observation')
    with op.batch_alter_table('facilitator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilitator_walkthrough_id'))

    op.drop_table('facilitator')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_walkthrough_id'))

    op.drop_table('action')
    op.drop_table('walkthrough')
