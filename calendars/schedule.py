"""What the calendar pages list: event dates and, for members, the meetings they may see, day by day.

The public list, the month and the year ("Jahreskreis") all read from here, so they agree on which
dates a visitor sees; the pages only lay them out.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from calendars.events import all_day_span
from calendars.listing import CalendarFilter, UnknownFilter, calendar_dates, conditions
from calendars.occurrences import Occurrence
from governance.models import Meeting
from governance.permissions import Actor
from governance.times import in_berlin

YEAR_KINDS = ("festival", "tradition")


@dataclass(frozen=True)
class Entry:
    """One line of a calendar: a date of an event, or a group's meeting (members only)."""

    starts_at: datetime
    ends_at: datetime
    occurrence: Occurrence | None = None
    meeting: Meeting | None = None

    @property
    def all_day(self) -> bool:
        return self.occurrence is not None and self.occurrence.event.all_day

    @property
    def cancelled(self) -> bool:
        if self.occurrence is not None:
            return self.occurrence.cancelled
        return self.meeting is not None and self.meeting.status == "cancelled"

    @property
    def first_day(self) -> date:
        return in_berlin(self.starts_at).date()

    @property
    def last_day(self) -> date:
        return self.occurrence.last_day if self.occurrence is not None else in_berlin(self.ends_at).date()


def meetings_between(db: Session, actor: Actor, start: datetime, end: datetime) -> list[Meeting]:
    """The meetings starting in [start, end) of the groups the actor reads (all for the coordinator).

    The same rule as governance.meetings.list_meetings.
    """
    query = (select(Meeting).options(joinedload(Meeting.group))
             .where(Meeting.starts_at >= start, Meeting.starts_at < end).order_by(Meeting.starts_at, Meeting.id))
    if not actor.is_coordinator:
        query = query.where(Meeting.group_id.in_(list(actor.roles)))
    return list(db.scalars(query))


def calendar_entries(db: Session, chosen: CalendarFilter, first: date, last: date,
                     actor: Actor | None = None) -> list[Entry]:
    """What a visitor sees from `first` to `last` (Berlin days): event dates, and for a member
    internal events and their groups' meetings (left out when a filter is chosen: they have no
    area, target group or kind). Raises UnknownFilter for a slug that names nothing."""
    start, end = all_day_span(first, last)
    dates = calendar_dates(db, chosen, start, end, members=actor is not None)
    found = [Entry(o.starts_at, o.ends_at, occurrence=o) for o in dates]
    if actor is not None and not chosen:
        found += [Entry(m.starts_at, m.planned_end_at or m.starts_at, meeting=m)
                  for m in meetings_between(db, actor, start, end)]
    return sorted(found, key=_order)


def _order(entry: Entry) -> tuple:
    title = entry.occurrence.event.title if entry.occurrence else entry.meeting.title
    return (entry.first_day, not entry.all_day, entry.starts_at, title)


def by_day(entries: Iterable[Entry], first: date, last: date, every_day: bool) -> dict[date, list[Entry]]:
    """Entries by Berlin day within [first, last], in order of days.

    With `every_day` a date that lasts several days is listed on each of them (the month);
    otherwise once, on its first day in the period (the list of upcoming dates).
    """
    days: dict[date, list[Entry]] = {}
    for entry in entries:
        day = max(entry.first_day, first)
        final = min(entry.last_day, last) if every_day else day
        while day <= final:
            days.setdefault(day, []).append(entry)
            day += timedelta(days=1)
    return {day: sorted(days[day], key=_order) for day in sorted(days)}


def weeks_of(month: date) -> list[list[date]]:
    """The weeks (Monday to Sunday) that hold the days of `month`, for a month table."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)


def festivals_of_year(db: Session, chosen: CalendarFilter, year: int, members: bool = False) -> list[list[Occurrence]]:
    """The festivals and traditions of a year, by month (12 lists): the network's "Jahreskreis".

    A kind filter narrows within those two kinds; other kinds chosen leave the year empty.
    Raises UnknownFilter for a slug that names nothing.
    """
    conditions(db, chosen)
    kinds = tuple(kind for kind in chosen.kind if kind in YEAR_KINDS) if chosen.kind else YEAR_KINDS
    months: list[list[Occurrence]] = [[] for _ in range(12)]
    if not kinds:
        return months
    start, end = all_day_span(date(year, 1, 1), date(year, 12, 31))
    for occurrence in calendar_dates(db, replace(chosen, kind=kinds), start, end, members=members):
        months[max(occurrence.first_day, date(year, 1, 1)).month - 1].append(occurrence)
    return months


def known_only(db: Session, chosen: CalendarFilter) -> CalendarFilter:
    """The filter without the values that name nothing (links on a page that refused a filter)."""
    kept: dict[str, list[str]] = {}
    for name, value in chosen.items():
        try:
            conditions(db, CalendarFilter(**{name: (value,)}))
        except UnknownFilter:
            continue
        kept.setdefault(name, []).append(value)
    return CalendarFilter.from_query(kept)
