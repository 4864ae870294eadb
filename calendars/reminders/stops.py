"""Stopping and resuming mails of one kind: the one-click link in every reminder and the profile's choices."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from calendars.models import Reminder, ReminderStop
from calendars.reminders.plans import SUBJECTS
from calendars.reminders.sync import sync
from governance.models import Person

# The kinds a person can stop, in the order the profile lists them (help_round is no mail).
STOPPABLE = ("shift_upcoming", "call_for_help", "organiser_digest", "meeting_invitation", "task_due",
             "task_overdue", "milestone_due", "minutes_pending")


def stop(db: Session, person: Person, kind: str, now: datetime) -> bool:
    """No more mails of `kind` for `person`; their pending ones are cancelled. False if already stopped."""
    if db.get(ReminderStop, (person.id, kind)) is not None:
        return False
    db.add(ReminderStop(person_id=person.id, kind=kind, stopped_at=now))
    db.execute(update(Reminder).where(Reminder.recipient_id == person.id, Reminder.kind == kind,
                                      Reminder.state == "pending").values(state="cancelled")
               .execution_options(synchronize_session=False))
    db.flush()
    return True


def stopped_kinds(db: Session, person: Person) -> set[str]:
    return set(db.scalars(select(ReminderStop.kind).where(ReminderStop.person_id == person.id)))


def choose(db: Session, person: Person, wanted: set[str], now: datetime) -> None:
    """Keep exactly the kinds in `wanted` coming (the profile's checkboxes)."""
    for kind in STOPPABLE:
        if kind in wanted:
            row = db.get(ReminderStop, (person.id, kind))
            if row is not None:
                db.delete(row)
                _resume(db, person, kind, now)
        else:
            stop(db, person, kind, now)
    db.flush()


def _resume(db: Session, person: Person, kind: str, now: datetime) -> None:
    """Plan again what the stop had cancelled (calls for help are not asked again)."""
    db.flush()
    subjects = db.execute(select(Reminder.subject_type, Reminder.subject_id).distinct().where(
        Reminder.recipient_id == person.id, Reminder.kind == kind, Reminder.state == "cancelled",
        Reminder.due_at > now, Reminder.subject_type.in_(SUBJECTS))).all()
    for subject_type, subject_id in subjects:
        sync(db, subject_type, subject_id, now)
