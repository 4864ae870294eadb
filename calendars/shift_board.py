"""The public board "Wo wird Hilfe gebraucht?": every shift still short of people, soonest first.

Places left are counted in SQL per shift, from the (shift, slot) index of taken places, so the board
costs the same few queries for ten shifts or ten thousand and never counts every sign-up there is.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, contains_eager

from calendars.listing import UnknownFilter
from calendars.models import TASK_KINDS, Event, EventException, Shift, Signup
from governance.models import Area
from governance.times import from_berlin


@dataclass(frozen=True)
class ShiftFilter:
    """Chosen area slugs and task kinds (values of one widen, the two narrow) and Berlin days."""

    areas: tuple[str, ...] = ()
    task_kinds: tuple[str, ...] = ()
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class OpenShift:
    shift: Shift
    event: Event
    places_left: int


def open_shifts(db: Session, chosen: ShiftFilter, now: datetime, limit: int = 200) -> list[OpenShift]:
    """Shifts not yet started, not cancelled, on a date that takes place of an approved public event,
    with fewer people than places. Raises UnknownFilter for an area slug or task kind that names nothing."""
    taken = select(func.count(Signup.slot)).where(Signup.shift_id == Shift.id).scalar_subquery()
    left = Shift.places - taken
    query = (select(Shift, left).join(Shift.event)
             .where(*_open(now), left > 0, *_chosen(db, chosen))
             .options(contains_eager(Shift.event).selectinload(Event.area),
                      contains_eager(Shift.event).selectinload(Event.exceptions))
             .order_by(Shift.starts_at, Shift.id).limit(limit))
    return [OpenShift(shift, shift.event, places_left) for shift, places_left in db.execute(query)]


def _open(now: datetime) -> list[ColumnElement[bool]]:
    date_cancelled = select(EventException.id).where(
        EventException.event_id == Shift.event_id, EventException.recurrence_id == Shift.occurrence_start,
        EventException.cancelled.is_(True)).exists()
    return [Shift.cancelled.is_(False), Shift.starts_at > now, Event.review == "approved",
            Event.visibility == "public", Event.status != "cancelled", ~date_cancelled]


def _chosen(db: Session, chosen: ShiftFilter) -> list[ColumnElement[bool]]:
    found = []
    if chosen.areas:
        found.append(Event.area_id.in_(_area_ids(db, chosen.areas)))
    if chosen.task_kinds:
        unknown = [kind for kind in chosen.task_kinds if kind not in TASK_KINDS]
        if unknown:
            raise UnknownFilter("task_kind", unknown[0])
        found.append(Shift.task_kind.in_(chosen.task_kinds))
    if chosen.first is not None:
        found.append(Shift.starts_at >= from_berlin(datetime.combine(chosen.first, time())))
    if chosen.last is not None:
        found.append(Shift.starts_at < from_berlin(datetime.combine(chosen.last + timedelta(days=1), time())))
    return found


def _area_ids(db: Session, slugs: tuple[str, ...]) -> list[int]:
    rows = dict(db.execute(select(Area.slug, Area.id).where(Area.slug.in_(slugs))).all())
    for slug in slugs:
        if slug not in rows:
            raise UnknownFilter("area", slug)
    return list(rows.values())
