"""Domain tests work on one write session over a fresh migrated SQLite file, never committed."""

from domain_session import db, groups  # noqa: F401  (fixtures)
