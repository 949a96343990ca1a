"""the change history's look-up index takes the field

Revision ID: 0007_change_lookup
Revises: 0003_change_history
Create Date: 2026-12-07

Saving a field looks up the latest changes of that field of that thing (what
the new value replaces).  With ``(walkthrough_id, entity_id)`` alone, that
read every change of the thing, of every field, on every save.
``(walkthrough_id, entity_id, field)`` finds that field's changes and the
thing's making and deletions (no field) directly, and still serves every
look-up of a thing's changes, so it replaces the old index rather than adding
one more that every recorded change would have to update.
"""

from __future__ import annotations

from alembic import op

revision = '0007_change_lookup'
down_revision = '0006_photo_alt_text'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_change_walkthrough_entity', table_name='change')
    op.create_index('ix_change_lookup', 'change', ['walkthrough_id', 'entity_id', 'field'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_change_lookup', table_name='change')
    op.create_index('ix_change_walkthrough_entity', 'change', ['walkthrough_id', 'entity_id'], unique=False)
