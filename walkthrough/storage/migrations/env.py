"""Alembic environment: always run in-process on a connection we pass in.

:func:`walkthrough.storage.database.open_database` calls ``upgrade`` with
``config.attributes["connection"]`` set; there is no alembic.ini and no URL.
Batch mode is on for SQLite, which can only alter tables by copying them;
PostgreSQL alters them in place.
"""

from alembic import context

from walkthrough.domain.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through walkthrough.storage.database.open_database()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
