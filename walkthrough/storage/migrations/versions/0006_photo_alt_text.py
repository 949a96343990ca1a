"""a photo's alt text

Revision ID: 0006_photo_alt_text
Revises: 0003_change_history
Create Date: 2026-12-07

``photo.alt_text``: what someone who cannot see the photo needs to know,
distinct from its caption.  Every stored photo gets an empty one, meaning
"not written yet": the report uses the caption until someone writes it.

The change history is not touched: the ``create`` changes already recorded
(here, and on the laptops they were sent to) hold no alt text, and are read
as holding an empty one (``walkthrough.domain.change_values.CREATED_WITHOUT``),
so the history still replays to exactly the rows stored.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006_photo_alt_text'
down_revision = '0005_action_progress'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A column added with a constant default needs no table copy on SQLite.
    op.add_column('photo', sa.Column('alt_text', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('photo') as batch:
        batch.drop_column('alt_text')
