"""Shifts follow their date when an event changes: moved by as much as the date moved, re-keyed to its new
original start, or left behind (and so no longer taking place) when the date left the series.

The event operations take `dates_of_shifts` before they change anything and call `follow` after; what
it returns tells the web layer whom to mail. Deltas are taken in Berlin wall time, so a shift at 10:00
on a date at 10:00 stays at 10:00 when the date moves across a change of the clocks.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from calendars.models import Event, Shift, Signup
from calendars.occurrences import Occurrence, occurrence_on
from calendars.recurrence import wall_time
from governance.history import record_change
from governance.models import Person
from governance.times import from_berlin, in_berlin


@dataclass(frozen=True)
class ShiftDate:
    """Where a shift's date stood before its event changed."""

    shift: Shift
    day: date  # the Berlin day of the date's original start: what finds the date again afterwards
    starts_at: datetime  # the date's start then
    live: bool  # it took place then (neither cancelled nor gone)
    single: bool  # the event's only date: it stays the shift's date wherever the event moves


@dataclass(frozen=True)
class ShiftMove:
    """A shift that moved with its date, and when it was before (the mail names both)."""

    shift: Shift
    was_starts_at: datetime
    was_ends_at: datetime


@dataclass(frozen=True)
class ShiftMoves:
    """What a change of an event did to shifts that were taking place: moved, or gone with their date."""

    moved: tuple[ShiftMove, ...] = ()
    gone: tuple[Shift, ...] = ()  # the date was cancelled or left the series


def dates_of_shifts(db: Session, event: Event, occurrence_start: datetime | None = None) -> list[ShiftDate]:
    """The event's shifts (only one date's, given its original start) with their dates as they stand now."""
    query = select(Shift).where(Shift.event_id == event.id).options(selectinload(Shift.signups))
    if occurrence_start is not None:
        query = query.where(Shift.occurrence_start == occurrence_start)
    return [_shift_date(shift, event) for shift in db.scalars(query.order_by(Shift.id))]


def follow(db: Session, person: Person, event: Event, before: list[ShiftDate],
           successor: Event | None = None) -> ShiftMoves:
    """Bring each shift to where its date is now, in `event` or else in the `successor` of a split."""
    moved, gone = [], []
    for was in before:
        now = _date_now(was, event, successor)
        move = _move(db, person, was, now) if now is not None else None
        if was.shift.cancelled:
            continue  # its people were told when it was called off
        if now is None or now.cancelled:
            if was.live:
                gone.append(was.shift)
        elif move is not None:
            moved.append(move)
    return ShiftMoves(tuple(moved), tuple(gone))


def signed_up(shift: Shift) -> list[Signup]:
    """Who holds a place or waits for one: the people a change of the shift's date concerns."""
    return [signup for signup in shift.signups if signup.state != "cancelled"]


def _shift_date(shift: Shift, event: Event) -> ShiftDate:
    day = in_berlin(shift.occurrence_start).date()
    occurrence = occurrence_on(event, day)
    starts_at = occurrence.starts_at if occurrence else shift.occurrence_start
    live = occurrence is not None and not occurrence.cancelled
    return ShiftDate(shift, day, starts_at, live, single=occurrence is not None and not event.is_recurring)


def _date_now(was: ShiftDate, event: Event, successor: Event | None) -> Occurrence | None:
    if was.single and not event.is_recurring:
        return occurrence_on(event, in_berlin(event.starts_at).date())
    return occurrence_on(event, was.day) or (occurrence_on(successor, was.day) if successor else None)


def _move(db: Session, person: Person, was: ShiftDate, now: Occurrence) -> ShiftMove | None:
    """Re-key the shift to the date `now` and move it by as much as the date moved (None: it did not)."""
    shift = was.shift
    shift.event, shift.occurrence_start = now.event, now.recurrence_id
    delta = wall_time(now.starts_at) - wall_time(was.starts_at)
    if not delta:
        return None
    move = ShiftMove(shift, shift.starts_at, shift.ends_at)
    shift.starts_at = from_berlin(wall_time(shift.starts_at) + delta)
    shift.ends_at = shift.starts_at + (move.was_ends_at - move.was_starts_at)
    record_change(db, person, "shift", shift.id, "moved",
                  {"starts_at": [move.was_starts_at.isoformat(), shift.starts_at.isoformat()]})
    return move
