"""Events for the calendar tests, made through the domain (so their kept feed text is real)."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from calendars.events import EventDraft, all_day_span, create_event
from calendars.models import Event
from calendars.recurrence import Recurrence
from governance.models import Person
from governance.permissions import Actor
from governance.times import from_berlin


def at(wall_time: str) -> datetime:
    """'2026-12-02 12:00' (Berlin) as a UTC instant."""
    return from_berlin(datetime.fromisoformat(wall_time))


def make_event(db: Session, by: Person, title: str, starts: str, ends: str, *, kind: str = "event",
               recurrence: Recurrence | None = None, **fields) -> Event:
    """A timed event from Berlin wall times, created by `by` (a coordinator's is approved at once)."""
    draft = EventDraft(title, kind, at(starts), at(ends), recurrence=recurrence, **fields)
    return create_event(db, Actor(by), draft)


def make_all_day(db: Session, by: Person, title: str, first: date, last: date | None = None, *,
                 kind: str = "festival", recurrence: Recurrence | None = None, **fields) -> Event:
    starts_at, ends_at = all_day_span(first, last or first)
    draft = EventDraft(title, kind, starts_at, ends_at, all_day=True, recurrence=recurrence, **fields)
    return create_event(db, Actor(by), draft)
