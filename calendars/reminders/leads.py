"""Lead times: the network's defaults per kind and round, the coordinator's changes, and the arithmetic.

Whole days keep the wall-clock time across a daylight-saving change (48 h before Tuesday 10:00 is
Sunday 10:00 even when the clocks changed in between); the hours beyond whole days are exact.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.models.reminders import MAX_LEAD_HOURS, ReminderLead
from governance.errors import N_, DomainError
from governance.times import from_berlin, in_berlin

# (kind, round) → hours before; the kinds that follow their subject (overdue, minutes) are fixed below.
DEFAULT_LEADS: dict[tuple[str, int], int] = {
    ("shift_upcoming", 0): 48,
    ("help_round", 1): 14 * 24,
    ("help_round", 2): 5 * 24,
    ("meeting_invitation", 0): 7 * 24,
    ("task_due", 0): 2 * 24,
    ("milestone_due", 0): 14 * 24,
}
MORNING = time(8)  # reminders about a day (a task's due date) go out at 08:00 Berlin
OVERDUE_AFTER = timedelta(days=1)
MINUTES_AFTER = timedelta(days=3)


def before(instant: datetime, hours: int) -> datetime:
    """`hours` before `instant`: whole days on the Berlin wall clock, the rest exactly."""
    days, rest = divmod(hours, 24)
    wall = in_berlin(instant).replace(tzinfo=None) - timedelta(days=days)
    return from_berlin(wall) - timedelta(hours=rest)


def ical_duration(hours: int) -> str:
    """The same lead as an iCalendar duration before the start: whole days nominal (-P2D keeps the
    wall-clock time, RFC 5545 3.3.6), the rest exact (-P1DT6H, -PT5H)."""
    days, rest = divmod(hours, 24)
    return "-P" + (f"{days}D" if days else "") + (f"T{rest}H" if rest else "")


def after_days(instant: datetime, days: timedelta) -> datetime:
    """Whole days after `instant` at the same Berlin wall-clock time."""
    return from_berlin(in_berlin(instant).replace(tzinfo=None) + days)


def morning_of(day: date) -> datetime:
    return from_berlin(datetime.combine(day, MORNING))


def leads(db: Session) -> dict[tuple[str, int], int]:
    """Every configurable lead time: the defaults with the coordinator's changes."""
    chosen = {(row.kind, row.round): row.hours for row in db.scalars(select(ReminderLead))}
    return {key: chosen.get(key, hours) for key, hours in DEFAULT_LEADS.items()}


def set_lead(db: Session, kind: str, round: int, hours: int) -> None:
    """The coordinator's lead time for a kind (the web layer checks who may)."""
    if (kind, round) not in DEFAULT_LEADS:
        raise DomainError("kind", N_("Bitte wählen Sie einen der angebotenen Werte."))
    check_lead(hours)
    row = db.get(ReminderLead, (kind, round))
    if row is None:
        db.add(ReminderLead(kind=kind, round=round, hours=hours))
    else:
        row.hours = hours
    db.flush()


def check_lead(hours: int, field: str = "hours") -> None:
    if not 1 <= hours <= MAX_LEAD_HOURS:
        raise DomainError(field, N_("Bitte geben Sie eine Vorlaufzeit zwischen 1 Stunde und einem Jahr an."))
