"""What the calendar shows: filters by slug (kept in URLs and feed URLs), events and their dates in a window."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from calendars.models import EVENT_KINDS, Event, EventException, event_target_group
from calendars.occurrences import Occurrence, occurrences
from governance.models import Area, Organisation, TargetGroup

FILTER_PARAMETERS = ("area", "target_group", "kind", "organiser")
MAX_VALUES = 100  # per parameter: more than any list of choices, few enough to check each one cheaply


class UnknownFilter(Exception):
    """A filter value that names nothing (a feed answers 400 rather than an empty calendar)."""

    def __init__(self, parameter: str, value: str) -> None:
        super().__init__(f"{parameter}={value}")
        self.parameter, self.value = parameter, value


@dataclass(frozen=True)
class CalendarFilter:
    """Chosen slugs per parameter; values of one parameter widen, parameters narrow."""

    area: tuple[str, ...] = ()
    target_group: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    organiser: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, values: Mapping[str, Iterable[str]]) -> "CalendarFilter":
        """The one rule for pages and feeds alike: an empty value chooses nothing, each value counts
        once, at most MAX_VALUES per parameter; other parameters are not filters."""
        return cls(**{name: tuple(dict.fromkeys(value for value in values.get(name, ()) if value))[:MAX_VALUES]
                      for name in FILTER_PARAMETERS})

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> "CalendarFilter":
        """from_query for a query string's (name, value) pairs, a name repeated once per value."""
        values: dict[str, list[str]] = {}
        for name, value in pairs:
            values.setdefault(name, []).append(value)
        return cls.from_query(values)

    def items(self) -> list[tuple[str, str]]:
        """(parameter, slug) pairs in a fixed order, for links and feed URLs."""
        return [(name, value) for name in FILTER_PARAMETERS for value in getattr(self, name)]

    def __bool__(self) -> bool:
        return bool(self.items())


def conditions(db: Session, chosen: CalendarFilter) -> list[ColumnElement[bool]]:
    """SQL conditions for the chosen filter; raises UnknownFilter for a slug that names nothing."""
    found = []
    if chosen.area:
        found.append(Event.area_id.in_(_ids(db, Area, "area", chosen.area)))
    if chosen.organiser:
        found.append(Event.organiser_id.in_(_ids(db, Organisation, "organiser", chosen.organiser)))
    if chosen.target_group:
        ids = _ids(db, TargetGroup, "target_group", chosen.target_group)
        found.append(Event.id.in_(select(event_target_group.c.event_id)
                                  .where(event_target_group.c.target_group_id.in_(ids))))
    if chosen.kind:
        unknown = [kind for kind in chosen.kind if kind not in EVENT_KINDS]
        if unknown:
            raise UnknownFilter("kind", unknown[0])
        found.append(Event.kind.in_(chosen.kind))
    return found


def _ids(db: Session, model, parameter: str, slugs: tuple[str, ...]) -> list[int]:
    rows = dict(db.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all())
    for slug in slugs:
        if slug not in rows:
            raise UnknownFilter(parameter, slug)
    return list(rows.values())


def visible(members: bool) -> list[ColumnElement[bool]]:
    """Approved events; internal ones only for members of the network."""
    shown = [Event.review == "approved"]
    if not members:
        shown.append(Event.visibility == "public")
    return shown


def overlapping(start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """Events with a date that may overlap [start, end): by the series' span, or by a date moved there."""
    span = and_(Event.starts_at < end, or_(Event.last_ends_at.is_(None), Event.last_ends_at > start))
    moved = Event.id.in_(select(EventException.event_id)
                         .where(EventException.starts_at < end, EventException.ends_at > start))
    return [or_(span, moved)]


def calendar_dates(db: Session, chosen: CalendarFilter, start: datetime, end: datetime,
                   members: bool = False) -> list[Occurrence]:
    """Every date of the visible, filtered events in [start, end), soonest first."""
    query = (select(Event).where(*visible(members), *overlapping(start, end), *conditions(db, chosen))
             .options(selectinload(Event.exceptions), selectinload(Event.area), selectinload(Event.organiser),
                      selectinload(Event.target_groups)))
    dates = [o for event in db.scalars(query) for o in occurrences(event, start, end)]
    return sorted(dates, key=lambda o: (o.starts_at, o.event.title))


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers, each with the slug the URLs use."""

    areas: list[Area]
    target_groups: list[TargetGroup]
    kinds: tuple[str, ...]
    organisers: list[Organisation]


def filter_choices(db: Session, members: bool = False) -> FilterChoices:
    """Areas and target groups all; organisers only those with an event this viewer sees."""
    organisers = select(Event.organiser_id).where(*visible(members))
    return FilterChoices(
        list(db.scalars(select(Area).order_by(Area.name))),
        list(db.scalars(select(TargetGroup).order_by(TargetGroup.name))),
        EVENT_KINDS,
        list(db.scalars(select(Organisation).where(Organisation.id.in_(organisers)).order_by(Organisation.name))),
    )
