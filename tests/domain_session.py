"""Fixtures of the domain tests (governance, calendars): one write session over a fresh migrated
SQLite file, never committed, and the three-level network of tests/networks.py."""

import pytest

from networks import build_groups
from workspace.db import Database


@pytest.fixture
def db(database_file):
    database = Database(f"sqlite:///{database_file}")
    with database.session(write=True) as session:
        yield session
    database.dispose()


@pytest.fixture
def groups(db):
    """Steering, planning and working group of a small network."""
    return build_groups(db)
