"""How the volunteers' load is spread: confirmed hours per person, the share of the busiest fifth, the Gini
coefficient and a Lorenz curve, shifts still short of people, and volunteers nobody reached for long.

Answers the network's finding "auf zu wenig Schultern verteilt" with figures. Only confirmed hours
count (Signup.attended, Signup.minutes) of shifts starting in the period (Berlin days). Hours are
summed per person in SQL from the sign-ups alone: a confirmed one carries its shift's start
(Signup.worked_at), and the index ix_signup_hours covers the sum, so 100,000 of them need no join.
Python sees one number per person, never the sign-ups themselves.
A forgotten person keeps their sign-ups, so their hours still count, under the name "Gelöschte Person".
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from calendars.events import all_day_span
from calendars.models import Signup, Volunteer
from calendars.reminders.calls import CallFigures, call_figures
from calendars.shift_board import OpenShift, ShiftFilter, open_shifts
from governance.errors import N_, DomainError
from governance.models import Person

PAGE_SIZE = 50  # rows of the hours table per page; the CSV has them all
LORENZ_STEPS = 100  # the curve is drawn through at most this many points (plus the origin)
SHORT_DAYS = 30
SHORT_LISTED = 50
IDLE_MONTHS = 6
IDLE_LISTED = 50
TOP_SHARE_OF_PEOPLE = 0.2


@dataclass(frozen=True)
class VolunteerHours:
    """One line of the hours table: rank (1 = most hours), who, confirmed minutes and shifts."""

    rank: int
    person_id: int
    name: str
    minutes: int
    shifts: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class Headline:
    """The figures of a period: "x % der Stunden tragen 20 % der Helfenden" and the Gini coefficient.

    `top_fifth_share` and `gini` are fractions (0–1); `top_fifth_share` is None without any hours.
    """

    volunteers: int
    minutes: int
    top_fifth_share: float | None
    gini: float

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class IdleVolunteer:
    person_id: int
    name: str
    last_asked_at: datetime | None
    last_active_at: datetime | None


@dataclass(frozen=True)
class Fairness:
    """Everything the fairness page shows for [start, end]; `rows` is one page of the hours table."""

    start: date
    end: date
    headline: Headline
    rows: list[VolunteerHours]
    page: int
    pages: int
    lorenz: list[tuple[float, float]]
    short_shifts: list[OpenShift]
    more_short_shifts: bool
    idle: list[IdleVolunteer]
    idle_count: int
    idle_since: date
    calls: CallFigures


def last_twelve_months(today: date) -> tuple[date, date]:
    """The default period: the twelve months up to and including today."""
    return today - relativedelta(years=1) + timedelta(days=1), today


def fairness(db: Session, start: date, end: date, today: date, *, page: int = 1,
             now: datetime | None = None) -> Fairness:
    """The figures of the period, one page of the hours table, and what needs doing from `today` on.

    `now` (default: the start of today) separates shifts that still lie ahead. DomainError on `to`
    for a period that ends before it starts.
    """
    check_period(start, end)
    totals = _totals(db, start, end)
    pages = max(1, -(-len(totals) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = totals[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    ascending = [minutes for _, minutes, _ in reversed(totals)]
    short, more_short = short_shifts(db, now or all_day_span(today, today)[0], today)
    idle_since = today - relativedelta(months=IDLE_MONTHS)
    idle, idle_count = idle_volunteers(db, idle_since, today)
    calls = call_figures(db, *all_day_span(start, end))
    return Fairness(start, end, _headline(ascending), _named(db, shown, (page - 1) * PAGE_SIZE), page, pages,
                    lorenz_points(ascending), short, more_short, idle, idle_count, idle_since, calls)


def check_period(start: date, end: date) -> None:
    if end < start:
        raise DomainError("to", N_("Das Ende des Zeitraums liegt vor seinem Anfang."))


def headline(db: Session, start: date, end: date) -> Headline:
    """Only the figures (one query): for the coordinator's dashboard."""
    check_period(start, end)
    return _headline([minutes for _, minutes, _ in reversed(_totals(db, start, end))])


def hours_per_volunteer(db: Session, start: date, end: date) -> list[VolunteerHours]:
    """Every volunteer with confirmed hours in the period, most hours first (the CSV export)."""
    check_period(start, end)
    rows = db.execute(_per_person(start, end).add_columns(Person.name).join(Person, Person.id == Signup.person_id))
    return [VolunteerHours(rank, person_id, name, minutes, shifts)
            for rank, (person_id, minutes, shifts, name) in enumerate(rows, start=1)]


# The measures ----------------------------------------------------------------------------------

def gini(hours: list[float]) -> float:
    """The Gini coefficient: 0 when everyone gives the same, (n−1)/n when one person gives everything.

    Mean absolute difference over twice the mean, by the sorted formula
    G = 2·Σ i·x₍ᵢ₎ / (n·Σx) − (n+1)/n with x ascending and i from 1.
    """
    values = sorted(hours)
    n, total = len(values), sum(values)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum(index * value for index, value in enumerate(values, start=1))
    return max(0.0, 2 * weighted / (n * total) - (n + 1) / n)


def lorenz_points(ascending: list[int]) -> list[tuple[float, float]]:
    """(share of volunteers, share of hours) from (0, 0) to (1, 1), least busy first, at most 101 points."""
    n, total = len(ascending), sum(ascending)
    if n == 0 or total == 0:
        return []
    cumulative = _cumulative(ascending)
    steps = min(n, LORENZ_STEPS)
    indices = sorted({round(step * n / steps) for step in range(steps + 1)})
    return [(index / n, cumulative[index] / total) for index in indices]


def top_share(ascending: list[int], people: float = TOP_SHARE_OF_PEOPLE) -> float | None:
    """The share of all hours given by the busiest `people` share of volunteers.

    Read off the Lorenz curve between its points, so a fifth of 7 volunteers is 1.4 of them (the
    second busiest with 40 % of their hours): the figure means what the headline says at any size.
    """
    n, total = len(ascending), sum(ascending)
    if n == 0 or total == 0:
        return None
    position = (1 - people) * n
    index = int(position)
    below = _cumulative(ascending)[index]
    if index < n:
        below += (position - index) * ascending[index]
    return 1 - below / total


def _headline(ascending: list[int]) -> Headline:
    return Headline(len(ascending), sum(ascending), top_share(ascending), gini(ascending))


def _cumulative(values: list[int]) -> list[int]:
    sums = [0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


# The queries -----------------------------------------------------------------------------------

def _per_person(start: date, end: date) -> Select:
    """person_id, confirmed minutes, shifts per person for shifts starting in [start, end], most first."""
    first, after = all_day_span(start, end)
    minutes = func.sum(Signup.minutes)
    return (select(Signup.person_id, minutes, func.count())
            .where(Signup.worked_at >= first, Signup.worked_at < after, Signup.minutes > 0)
            .group_by(Signup.person_id)
            .order_by(minutes.desc(), Signup.person_id))


def _totals(db: Session, start: date, end: date) -> list[tuple[int, int, int]]:
    return [tuple(row) for row in db.execute(_per_person(start, end))]


def _named(db: Session, shown: list[tuple[int, int, int]], offset: int) -> list[VolunteerHours]:
    """The page's rows with names: one query for at most PAGE_SIZE people."""
    ids = [person_id for person_id, _, _ in shown]
    names = {person_id: name for person_id, name in
             db.execute(select(Person.id, Person.name).where(Person.id.in_(ids)))}
    return [VolunteerHours(offset + rank, person_id, names[person_id], minutes, shifts)
            for rank, (person_id, minutes, shifts) in enumerate(shown, start=1)]


def short_shifts(db: Session, now: datetime, today: date) -> tuple[list[OpenShift], bool]:
    """The first SHORT_LISTED shifts of the board "Wo wird Hilfe gebraucht?" from `now` to the end of the
    30th day ahead, and whether there are more (the board lists them all)."""
    found = open_shifts(db, ShiftFilter(first=today, last=today + timedelta(days=SHORT_DAYS)), now,
                        limit=SHORT_LISTED + 1)
    return found[:SHORT_LISTED], len(found) > SHORT_LISTED


def idle_volunteers(db: Session, since: date, today: date) -> tuple[list[IdleVolunteer], int]:
    """Volunteers neither asked nor active since `since` (or never), not pausing: whom to approach.

    Those never active come first, then the longest quiet; the first IDLE_LISTED and how many in all.
    """
    cutoff = all_day_span(since, since)[0]
    quiet = and_(or_(Volunteer.last_asked_at.is_(None), Volunteer.last_asked_at < cutoff),
                 or_(Volunteer.last_active_at.is_(None), Volunteer.last_active_at < cutoff),
                 or_(Volunteer.paused_until.is_(None), Volunteer.paused_until < today))
    query = (select(Volunteer.person_id, Person.name, Volunteer.last_asked_at, Volunteer.last_active_at,
                    func.count().over())
             .join(Person, Person.id == Volunteer.person_id).where(quiet)
             .order_by(Volunteer.last_active_at.asc().nulls_first(), Volunteer.last_asked_at.asc().nulls_first(),
                       Person.name, Person.id)
             .limit(IDLE_LISTED))
    rows = db.execute(query).all()
    return [IdleVolunteer(*row[:4]) for row in rows], (rows[0][4] if rows else 0)
