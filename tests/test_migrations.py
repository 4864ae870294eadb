"""Migrations keep data: SQLite batch rebuilds must not cascade into referencing tables."""

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import text

from workspace.db import make_engine


def test_a_table_rebuilt_while_migrating_keeps_the_rows_that_point_at_it(database_file):
    url = f"sqlite:///{database_file}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO person (name, email, is_coordinator, created_at) "
                                "VALUES ('Ada', 'ada@example.org', 0, '2026-01-01')"))
        connection.execute(text("INSERT INTO account (person_id, language, is_active, created_at, kind) "
                                "VALUES (1, 'de', 1, '2026-01-01', 'member')"))
    engine.dispose()
    migrating = make_engine(url, foreign_keys=False)  # what migrations/env.py uses
    with migrating.connect() as connection:
        context = MigrationContext.configure(connection)
        with context.begin_transaction():
            with Operations(context).batch_alter_table("person", recreate="always"):
                pass
        assert connection.exec_driver_sql("SELECT count(*) FROM account").scalar() == 1
    migrating.dispose()
