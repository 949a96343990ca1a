"""The only package that knows SQLite: locations, engine, pragmas, migrations, backups."""
