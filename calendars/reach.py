"""Whom the calendar reaches: for a period, how many dates each target group and area get, and who gets none.

This answers the network's own question "wer wird mit dem Angebot erreicht?". A date counts once for
each target group it names; cancelled dates and events not (yet) approved do not count, internal ones do.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.events import all_day_span
from calendars.listing import CalendarFilter, calendar_dates
from governance.errors import N_, DomainError
from governance.models import Area, TargetGroup

MAX_YEARS = 5


@dataclass(frozen=True)
class Reach:
    """Counts of dates in [start, end] (Berlin days), most dates first, and what nothing reaches."""

    start: date
    end: date
    dates: int
    target_groups: list[tuple[TargetGroup, int]]
    areas: list[tuple[Area, int]]
    unreached_target_groups: list[TargetGroup]
    unreached_areas: list[Area]
    without_target_group: int
    without_area: int


def reach(db: Session, start: date, end: date) -> Reach:
    """Count the dates of the period; raises DomainError on the field `to` for a period that makes no sense."""
    if end < start:
        raise DomainError("to", N_("Das Ende des Zeitraums liegt vor seinem Anfang."))
    if end - start > timedelta(days=366 * MAX_YEARS):
        raise DomainError("to", N_("Der Zeitraum umfasst höchstens %(years)s Jahre."), years=MAX_YEARS)
    dates = [o for o in calendar_dates(db, CalendarFilter(), *all_day_span(start, end), members=True)
             if not o.cancelled]
    per_group = Counter(group.id for o in dates for group in o.event.target_groups)
    per_area = Counter(o.event.area_id for o in dates if o.event.area_id is not None)
    groups = list(db.scalars(select(TargetGroup).order_by(TargetGroup.name)))
    areas = list(db.scalars(select(Area).order_by(Area.name)))
    return Reach(
        start, end, len(dates),
        _most_first(groups, per_group), _most_first(areas, per_area),
        [group for group in groups if not per_group[group.id]], [area for area in areas if not per_area[area.id]],
        sum(1 for o in dates if not o.event.target_groups), sum(1 for o in dates if o.event.area_id is None),
    )


def _most_first(rows: list, counts: Counter) -> list[tuple]:
    """Rows with their counts, most first, then by name (`rows` come sorted by name)."""
    return sorted(((row, counts[row.id]) for row in rows if counts[row.id]), key=lambda pair: -pair[1])
