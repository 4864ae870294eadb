"""The dates an event takes place on within a window, with moved and cancelled dates applied."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from calendars.models import Event, EventException
from calendars.recurrence import Recurrence, starts_between, wall_time
from governance.times import from_berlin, in_berlin


@dataclass(frozen=True)
class Occurrence:
    """One date of an event; `recurrence_id` is its original start, the key of shifts and exceptions."""

    event: Event
    recurrence_id: datetime
    starts_at: datetime
    ends_at: datetime
    exception: EventException | None = None

    @property
    def cancelled(self) -> bool:
        return self.event.status == "cancelled" or (self.exception is not None and self.exception.cancelled)

    @property
    def moved(self) -> bool:
        return self.exception is not None and not self.exception.cancelled and (
            self.starts_at != self.recurrence_id or self.ends_at - self.starts_at != self.event_duration)

    @property
    def event_duration(self) -> timedelta:
        return self.event.ends_at - self.event.starts_at

    @property
    def place(self) -> str:
        if self.exception is not None and self.exception.place:
            return self.exception.place
        return self.event.place

    @property
    def note(self) -> str:
        return self.exception.note if self.exception is not None else ""

    @property
    def first_day(self) -> date:
        return in_berlin(self.starts_at).date()

    @property
    def last_day(self) -> date:
        """The last day it touches (an all-day event ends at midnight after its last day)."""
        end = in_berlin(self.ends_at)
        if self.event.all_day or end.time() == datetime.min.time():
            return (end - timedelta(microseconds=1)).date()
        return end.date()

    @property
    def key(self) -> str:
        """The date in URLs (`?date=2026-11-11`): the Berlin date of the original start."""
        return in_berlin(self.recurrence_id).date().isoformat()


def occurrences(event: Event, start: datetime, end: datetime) -> list[Occurrence]:
    """The event's dates that overlap [start, end), soonest first."""
    if not event.is_recurring:
        found = [Occurrence(event, event.starts_at, event.starts_at, event.ends_at)]
    else:
        duration = wall_time(event.ends_at) - wall_time(event.starts_at)
        found = _series(event, wall_time(start) - duration, wall_time(end))
        # Dates moved into the window from outside it.
        seen = {o.recurrence_id for o in found}
        found += [Occurrence(event, e.recurrence_id, e.starts_at, e.ends_at, e)
                  for e in event.exceptions if e.recurrence_id not in seen]
    return sorted((o for o in found if o.starts_at < end and o.ends_at > start), key=lambda o: o.starts_at)


def occurrence_on(event: Event, day: date) -> Occurrence | None:
    """The date whose original start falls on `day` (Berlin), wherever it was moved to."""
    if not event.is_recurring:
        single = Occurrence(event, event.starts_at, event.starts_at, event.ends_at)
        return single if single.key == day.isoformat() else None
    found = _series(event, datetime.combine(day, time()), datetime.combine(day, time(23, 59, 59)))
    return found[0] if found else None


def _series(event: Event, after: datetime, before: datetime) -> list[Occurrence]:
    """Dates of a series whose original start (naive Berlin) lies in [after, before]."""
    first = wall_time(event.starts_at)
    duration = wall_time(event.ends_at) - first
    changed = {exception.recurrence_id: exception for exception in event.exceptions}
    found = []
    for local in starts_between(Recurrence.of(event), first, after, before):
        original = from_berlin(local)
        exception = changed.get(original)
        if exception is not None:
            found.append(Occurrence(event, original, exception.starts_at, exception.ends_at, exception))
        else:
            found.append(Occurrence(event, original, original, from_berlin(local + duration)))
    return found


_RULE_STEP_DAYS = {"weekly": 7, "monthly": 31, "yearly": 366}


def upcoming(event: Event, after: datetime, limit: int) -> list[Occurrence]:
    """The next `limit` dates that end after `after` (an event page lists them), soonest first.

    The window spans `limit` steps of the rule, so a series without end needs no open-ended search.
    """
    if not event.is_recurring:
        return occurrences(event, after, max(after, event.ends_at))[:limit]
    start = max(after, event.starts_at)
    days = _RULE_STEP_DAYS[event.frequency] * event.repeat_interval * limit
    return occurrences(event, start, start + timedelta(days=days + 1))[:limit]
