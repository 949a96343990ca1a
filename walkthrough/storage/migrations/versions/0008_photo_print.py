"""each photo's print rendition

Revision ID: 0008_photo_print
Revises: 0007_change_lookup
Create Date: 2026-12-08

``photo.print_jpeg``: the picture at the size a report prints it
(:func:`walkthrough.domain.stored_photo.print_rendition`), so a report only
embeds it instead of shrinking each stored photo (up to 2048 px) while it is
written.  ``jpeg`` stays the source of truth; the change history holds no
pixels and is not touched.

Every stored photo gets its rendition here, not on its first report: a report
reads the database and may be written from a copy opened read-only, or
while the window holds it, and should never be the first to write pixels.
Made here once, every later reader finds it.  The photos are read and
written in batches of :data:`BATCH` by id, so memory stays bounded whatever
the number of photos.  A stored JPEG that does not decode (a damaged
database) keeps no rendition (NULL): the report tries its JPEG and says it is
unreadable, as it did before.
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from walkthrough.domain.stored_photo import print_rendition_or_none

revision = '0008_photo_print'
down_revision = '0007_change_lookup'
branch_labels = None
depends_on = None

#: Photos read (and their renditions written) at a time: about 2 MB of stored JPEG each.
BATCH = 16

_photo = sa.table('photo', sa.column('id', sa.String), sa.column('jpeg', sa.LargeBinary),
                  sa.column('print_jpeg', sa.LargeBinary))


def upgrade() -> None:
    # A nullable column with no default needs no table copy on SQLite.
    op.add_column('photo', sa.Column('print_jpeg', sa.LargeBinary(), nullable=True))
    conn = op.get_bind()
    last = ''
    while True:
        batch = conn.execute(
            sa.select(_photo.c.id, _photo.c.jpeg).where(_photo.c.id > last).order_by(_photo.c.id).limit(BATCH)
        ).all()
        if not batch:
            break
        for photo_id, jpeg in batch:
            rendition = print_rendition_or_none(bytes(jpeg)) if jpeg is not None else None
            if rendition is not None:
                conn.execute(sa.update(_photo).where(_photo.c.id == photo_id).values(print_jpeg=rendition))
        last = batch[-1][0]
        del batch


def downgrade() -> None:
    with op.batch_alter_table('photo') as batch:
        batch.drop_column('print_jpeg')
