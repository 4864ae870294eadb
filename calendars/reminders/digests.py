"""The weekly digest to organisers: their events' shifts still short of people in the next four weeks.

The organiser of an event is its contact person, or else whoever submitted it. Once a week (Monday
08:00 Berlin) the scheduler makes one organiser_digest row per organiser with something short; the
week is the row's occurrence, so two schedulers cannot make it twice and each week's digest is kept.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from calendars.models import Event, Reminder, Shift
from calendars.reminders.leads import morning_of
from calendars.reminders.sync import message_id
from calendars.shift_board import places_taken
from calendars.shifts import not_called_off, takes_place
from governance.times import in_berlin

AHEAD = timedelta(days=28)


def organiser_of():
    return func.coalesce(Event.contact_id, Event.submitted_by_id)


def short_shifts(db: Session, now: datetime, organiser_id: int | None = None) -> list[tuple[Shift, int]]:
    """Shifts in the next four weeks with places left, soonest first, with how many are left."""
    taken = places_taken()
    query = (select(Shift, Shift.places - taken).join(Shift.event)
             .where(*not_called_off(), Shift.starts_at > now, Shift.starts_at <= now + AHEAD,
                    Shift.places > taken, Event.review == "approved")
             .order_by(Shift.starts_at, Shift.id))
    if organiser_id is not None:
        query = query.where(organiser_of() == organiser_id)
    return [(shift, left) for shift, left in db.execute(query) if takes_place(shift)]


def plan_week(db: Session, now: datetime) -> int:
    """Make this week's digests that are missing (a row per organiser); returns how many were new."""
    monday = in_berlin(now).date() - timedelta(days=in_berlin(now).weekday())
    due = morning_of(monday)
    if now < due:
        return 0
    year, week, _ = monday.isocalendar()
    occurrence = f"{year}-W{week:02d}"
    organisers = {shift.event.contact_id or shift.event.submitted_by_id for shift, _ in short_shifts(db, now)}
    rows = [{"kind": "organiser_digest", "subject_type": "person", "subject_id": person_id,
             "recipient_id": person_id, "occurrence": occurrence, "round": 0, "due_at": due, "try_at": now,
             "state": "pending", "attempts": 0, "subject_version": 1, "recovered": False, "created_at": now,
             "message_id": message_id("organiser_digest", "person", person_id, person_id, occurrence, 0)}
            for person_id in sorted(p for p in organisers if p is not None)]
    if not rows:
        return 0
    insert = (postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert)(Reminder)
    made = db.execute(insert.values(rows).on_conflict_do_nothing())
    return max(made.rowcount, 0)
