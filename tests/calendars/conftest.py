"""Calendar domain tests work on one write session over a fresh migrated SQLite file, never committed."""

import pytest

from domain_session import db, groups  # noqa: F401  (fixtures)
from governance.people import create_person


@pytest.fixture
def coordinator(db):
    """The network's coordinator: what they enter is approved at once."""
    return create_person(db, "Kim Koordination", "koordination@example.org", is_coordinator=True)


@pytest.fixture
def member(db):
    """A network member without a role that moderates: what they enter waits for review."""
    return create_person(db, "Mira Mitglied", "mitglied@example.org")
