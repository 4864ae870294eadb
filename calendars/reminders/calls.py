"""Calls for help: a shift still short of people asks, in small batches, those who carried least.

Each round (14 and 5 days before, see leads.DEFAULT_LEADS) is a `help_round` row. When it is due, the
next batch of at most five volunteers whose preferences match is chosen — fewest confirmed hours in the
last 90 days first, then longest since last asked — and one `call_for_help` row is made per person. The
round row then waits a day for answers and asks the next five, until the shift is full or nobody is left.
Never asked: someone asked in the last 7 days, paused, over their monthly hours, already on that date of
the event, without a confirmed address, or who stopped these mails.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, case, distinct, func, literal, or_, select
from sqlalchemy.orm import Session

from calendars.models import Event, Reminder, ReminderStop, Shift, Signup, Volunteer, volunteer_area
from calendars.reminders.plans import Wanted
from calendars.reminders.sync import new_reminder
from calendars.shift_board import places_taken
from calendars.shifts import not_called_off, takes_place
from governance.models import Person
from governance.times import from_berlin, in_berlin

BATCH = 5
BATCH_PAUSE = timedelta(days=1)  # time to answer before the next five are asked
QUIET = timedelta(days=7)  # nobody is asked twice within a week
RECENT = timedelta(days=90)  # "carried least" counts the hours of this period


def open_places(db: Session, shift: Shift) -> int:
    taken = db.scalar(select(func.count()).where(Signup.shift_id == shift.id, Signup.state == "taken"))
    return max(shift.places - taken, 0)


def still_short(db: Session, shift: Shift | None, now: datetime) -> bool:
    """Whether asking for help on this shift still makes sense."""
    return shift is not None and shift.starts_at > now and takes_place(shift) and open_places(db, shift) > 0


def run_round(db: Session, round_row: Reminder, now: datetime) -> list[Reminder]:
    """Ask the next batch for the round's shift; returns the calls made (none: the round is over)."""
    shift = db.get(Shift, round_row.subject_id)
    if not still_short(db, shift, now):
        return []
    chosen = candidates(db, shift, round_row.round, now, BATCH)
    calls = []
    for volunteer in chosen:
        volunteer.last_asked_at = now
        calls.append(new_reminder(Wanted("call_for_help", volunteer.person_id, now, round_row.round),
                                  "shift", shift.id, shift.version_id))
    db.add_all(calls)
    db.flush()
    return calls


def next_batch_at(shift_start: datetime, now: datetime) -> datetime | None:
    """When the round asks its next batch; None when that would be too late for the shift."""
    later = now + BATCH_PAUSE
    return later if later < shift_start else None


def candidates(db: Session, shift: Shift, round: int, now: datetime, limit: int) -> list[Volunteer]:
    """The volunteers to ask next, in order; the monthly limit is checked on the rows found."""
    query = _matching(shift, round, now).order_by(
        _recent_minutes(now).asc(), Volunteer.last_asked_at.asc().nulls_first(), Volunteer.person_id)
    chosen: list[Volunteer] = []
    offset = 0
    while len(chosen) < limit:
        page = list(db.scalars(query.limit(limit * 4).offset(offset)))
        chosen += [v for v in page if _within_limit(db, v, shift)][:limit - len(chosen)]
        if len(page) < limit * 4:
            break
        offset += len(page)
    return chosen


def _matching(shift: Shift, round: int, now: datetime):
    event = shift.event
    today = in_berlin(now).date()
    kinds = literal(",") + Volunteer.task_kinds + literal(",")
    conditions = [
        Person.email.is_not(None), Volunteer.email_confirmed_at.is_not(None),
        or_(Volunteer.paused_until.is_(None), Volunteer.paused_until < today),
        or_(Volunteer.last_asked_at.is_(None), Volunteer.last_asked_at < now - QUIET),
        or_(Volunteer.task_kinds == "", kinds.like(f"%,{shift.task_kind},%")),
        ~select(ReminderStop.person_id).where(ReminderStop.person_id == Volunteer.person_id,
                                              ReminderStop.kind == "call_for_help").exists(),
        ~select(Reminder.id).where(Reminder.kind == "call_for_help", Reminder.subject_type == "shift",
                                   Reminder.subject_id == shift.id, Reminder.recipient_id == Volunteer.person_id,
                                   Reminder.round == round).exists(),
        ~select(Signup.id).join(Shift, Shift.id == Signup.shift_id).where(
            Signup.person_id == Volunteer.person_id, Signup.state != "cancelled",
            Shift.event_id == shift.event_id, Shift.occurrence_start == shift.occurrence_start).exists(),
    ]
    if event.area_id is not None:  # no area chosen means any area
        chose_areas = select(volunteer_area.c.area_id).where(volunteer_area.c.person_id == Volunteer.person_id)
        conditions.append(or_(~chose_areas.exists(),
                              chose_areas.where(volunteer_area.c.area_id == event.area_id).exists()))
    return select(Volunteer).join(Person, Person.id == Volunteer.person_id).where(and_(*conditions))


def _recent_minutes(now: datetime):
    return (select(func.coalesce(func.sum(Signup.minutes), 0))
            .where(Signup.person_id == Volunteer.person_id, Signup.worked_at >= now - RECENT,
                   Signup.worked_at < now)
            .scalar_subquery())


def _within_limit(db: Session, volunteer: Volunteer, shift: Shift) -> bool:
    """The shift fits into what the volunteer wants to give in its month (places they hold on shifts that
    are not called off count)."""
    if volunteer.max_hours_per_month is None:
        return True
    first = in_berlin(shift.starts_at).date().replace(day=1)
    start, end = _month(first)
    held = db.execute(select(Shift.starts_at, Shift.ends_at).join(Signup, Signup.shift_id == Shift.id)
                      .join(Event, Event.id == Shift.event_id).where(
        Signup.person_id == volunteer.person_id, Signup.state == "taken", *not_called_off(),
        Shift.starts_at >= start, Shift.starts_at < end)).all()
    minutes = sum((e - s).total_seconds() for s, e in held) / 60
    return minutes + (shift.ends_at - shift.starts_at).total_seconds() / 60 <= volunteer.max_hours_per_month * 60


def _month(first: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, datetime.min.time())
    return from_berlin(start), from_berlin(start + relativedelta(months=1))


def answer(db: Session, call: Reminder, accepted: bool, now: datetime) -> None:
    """Record the volunteer's answer to a call (the web layer signs them up for an accepted one)."""
    call.answer, call.answered_at = ("accepted" if accepted else "declined"), now
    db.flush()


@dataclass(frozen=True)
class CallFigures:
    """Calls for help sent in a period, how they were answered, and how many people were asked."""

    sent: int
    accepted: int
    declined: int
    asked: int


def call_figures(db: Session, start: datetime, end: datetime) -> CallFigures:
    """Counted over calls sent in [start, end), answered whenever."""
    sent_in = and_(Reminder.kind == "call_for_help", Reminder.state == "sent", Reminder.sent_at >= start,
                   Reminder.sent_at < end)
    row = db.execute(select(
        func.count(), func.count(case((Reminder.answer == "accepted", 1))),
        func.count(case((Reminder.answer == "declined", 1))), func.count(distinct(Reminder.recipient_id)),
    ).where(sent_in)).one()
    return CallFigures(*row)


def short_after_rounds(db: Session, now: datetime, limit: int = 20) -> list[tuple[Shift, int]]:
    """Shifts still short of people although every round of calls for help has run: the coordinator's
    to-do (ask in person, or cut the shift), soonest first."""
    rounds = select(Reminder.id).where(Reminder.kind == "help_round", Reminder.subject_type == "shift",
                                       Reminder.subject_id == Shift.id)
    taken = places_taken()
    query = (select(Shift, Shift.places - taken).where(
        Shift.starts_at > now, Shift.places > taken, rounds.where(Reminder.state == "sent").exists(),
        ~rounds.where(Reminder.state.in_(("pending", "claimed"))).exists())
        .order_by(Shift.starts_at, Shift.id).limit(limit))
    return [(shift, left) for shift, left in db.execute(query) if takes_place(shift)]
