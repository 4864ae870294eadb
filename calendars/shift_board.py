"""The public board "Wo wird Hilfe gebraucht?": every shift still short of people, soonest first.

Places left are counted in SQL per shift, from the (shift, slot) index of taken places, so the board
costs the same few queries for ten shifts or ten thousand and never counts every sign-up there is.
It is read a page at a time: shifts walked in start order along the index on their start, from the
start of the shift a page ended with (a cursor, so a page does not shift when places fill meanwhile).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, String, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.sql.functions import FunctionElement

from calendars.listing import UnknownFilter
from calendars.models import TASK_KINDS, Event, Shift, Signup
from calendars.shifts import not_called_off, takes_place
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


def open_shifts(db: Session, chosen: ShiftFilter, now: datetime, limit: int = 200,
                after: int | None = None) -> list[OpenShift]:
    """Shifts not yet started that take place (calendars.shifts.takes_place) on a public event,
    with fewer people than places; the first `limit` of them, or those that come after the shift `after`.
    Raises UnknownFilter for an area slug or task kind that names nothing, or a shift `after` that is none."""

    left = Shift.places - places_taken()
    query = (select(Shift, left).join(Shift.event)
             .where(*_open(now), left > 0, *_chosen(db, chosen))
             .options(contains_eager(Shift.event).selectinload(Event.area),
                      contains_eager(Shift.event).selectinload(Event.exceptions))
             .order_by(Shift.starts_at, Shift.id))
    found, cursor = [], _after(db, after)
    while len(found) < limit:  # SQL cannot tell a date that left its series: such rows are skipped here
        wanted = limit - len(found)
        rows = db.execute(query.where(*cursor).limit(wanted)).all()
        found += [OpenShift(shift, shift.event, places_left) for shift, places_left in rows if takes_place(shift)]
        if len(rows) < wanted:
            break
        cursor = _later(rows[-1][0].starts_at, rows[-1][0].id)
    return found


def count_open_shifts(db: Session, chosen: ShiftFilter, now: datetime) -> int:
    """How many shifts the board has for this filter in all (a page shows only some); counted in SQL,
    so a shift whose date has left its series (rare, and hidden from the board) is still counted."""
    return db.scalar(select(func.count()).select_from(Shift).join(Shift.event)
                     .where(*_open(now), Shift.places > places_taken(), *_chosen(db, chosen)))


def places_taken():
    """Places taken on the shift of the row (a correlated subquery on Shift)."""
    return select(func.count(Signup.slot)).where(Signup.shift_id == Shift.id).scalar_subquery()


def _open(now: datetime) -> list[ColumnElement[bool]]:
    """What SQL can check of calendars.shifts.takes_place, for a shift not yet started on a public event."""

    # Every event is approved, as a rule: walking the index on review would visit all shifts and sort
    # them, where walking the shifts by start stops after a page (0.3 ms instead of 15 for 10,000 shifts).
    return [*not_called_off(), Shift.starts_at > now, unindexed(Event.review) == "approved",
            Event.visibility == "public"]


def _after(db: Session, after: int | None) -> list[ColumnElement[bool]]:
    """Later in the board's order (start, then id) than the shift `after`, open or not by now."""
    if after is None:
        return []
    starts_at = db.scalar(select(Shift.starts_at).where(Shift.id == after))
    if starts_at is None:
        raise UnknownFilter("after", str(after))
    return _later(starts_at, after)


def _later(starts_at: datetime, shift_id: int) -> list[ColumnElement[bool]]:
    return [Shift.starts_at >= starts_at, or_(Shift.starts_at > starts_at, Shift.id > shift_id)]


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


class unindexed(FunctionElement):  # lower case, like the SQL functions it stands beside
    """A text column SQLite's planner must not choose an index for (its unary plus); as it is elsewhere."""

    type = String()
    inherit_cache = True


@compiles(unindexed)
def _as_it_is(element: unindexed, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unary_plus(element: unindexed, compiler, **kw) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"
