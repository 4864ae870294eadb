"""Shifts and volunteers for the shift tests, made through the domain operations."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from calendar_world import at
from calendars.models import Event, Shift
from calendars.shifts import ShiftDraft, add_shift
from governance.models import Person
from governance.people import create_person
from governance.permissions import Actor

NOW = at("2026-11-20 09:00")  # the tests' "now": before every shift they make unless told otherwise


def draft(task: str = "Aufbau", starts: str = "2026-12-02 10:00", ends: str = "2026-12-02 12:00", places: int = 2,
          kind: str = "setup", **fields) -> ShiftDraft:
    return ShiftDraft(task, kind, at(starts), at(ends), places, **fields)


def make_shift(db: Session, by: Person, event: Event, task: str = "Aufbau", starts: str = "2026-12-02 10:00",
               ends: str = "2026-12-02 12:00", places: int = 2, kind: str = "setup", day: date | None = None,
               **fields) -> Shift:
    """A shift on the event's date `day` (default: the day it starts), added by `by`."""
    day = day or datetime.fromisoformat(starts).date()
    return add_shift(db, Actor(by), event, day, draft(task, starts, ends, places, kind, **fields))


def volunteers(db: Session, *names: str) -> list[Person]:
    """People with an e-mail address each (a volunteer's light account is the web layer's business)."""
    return [create_person(db, name, f"{name.lower().replace(' ', '.')}@example.org") for name in names]
