"""Alembic environment: every model's metadata; the URL from the config or from the settings."""

from alembic import context

from workspace.db import make_engine
from workspace.metadata import metadata
from workspace.settings import Settings

config = context.config


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=metadata, render_as_batch=True,
                      literal_binds=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # A batch migration on SQLite rebuilds a table and drops the old one; with foreign keys on, that
    # drop would cascade into every referencing table. So they are off while migrating, checked after.
    engine = make_engine(database_url(), foreign_keys=False)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left broken references: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
