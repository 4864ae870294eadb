"""Engine with the SQLite pragmas, and sessions for reading or writing."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from calendars.reminders.sync import watch

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
)


def make_engine(url: str, foreign_keys: bool = True) -> Engine:
    """An engine; on SQLite with WAL, a busy timeout and (unless migrating) foreign keys enforced."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    pragmas = (*_SQLITE_PRAGMAS, f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    event.listen(engine, "connect", lambda connection, record: _configure_sqlite(connection, pragmas))
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection, pragmas: tuple[str, ...]) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, see _begin_sqlite
    cursor = dbapi_connection.cursor()
    for pragma in pragmas:
        cursor.execute(pragma)
    cursor.close()


def _begin_sqlite(connection) -> None:
    """Writers take the lock up front: a deferred read-then-write fails at once under a concurrent writer."""
    write = connection.get_execution_options().get("sqlite_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """Hands out sessions; write sessions start their transaction holding SQLite's write lock."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(sqlite_write=True), expire_on_commit=False
        )
        watch(self._writer)  # reminders follow every change in the same transaction

    def session(self, write: bool) -> Session:
        return (self._writer if write else self._reader)()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A short write transaction of its own: commits on success, rolls back on any error."""
        with self.session(write=True) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
