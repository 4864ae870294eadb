"""Calendar domain tests work on one write session over a fresh migrated SQLite file, never committed."""

import pytest

from governance.people import create_person
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
    """Steering, planning and working group of a small network (tests/networks.py)."""
    return build_groups(db)


@pytest.fixture
def coordinator(db):
    """The network's coordinator: what they enter is approved at once."""
    return create_person(db, "Kim Koordination", "koordination@example.org", is_coordinator=True)


@pytest.fixture
def member(db):
    """A network member without a role that moderates: what they enter waits for review."""
    return create_person(db, "Mira Mitglied", "mitglied@example.org")
