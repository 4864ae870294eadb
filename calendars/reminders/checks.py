"""The last look before a reminder goes out: is it still wanted, for this recipient, at this time?

Plans already keep pending rows in step; this catches what changed between the claim and the send, and
the rows no plan owns (calls for help, invitations sent by hand). A reason is a msgid kept with the row.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.models import Reminder, ReminderStop, Signup
from calendars.reminders.calls import still_short
from calendars.reminders.digests import short_shifts
from calendars.reminders.plans import PLANNED_KINDS, SUBJECTS, plan
from governance.errors import N_

NO_ADDRESS = N_("Keine E-Mail-Adresse")
STOPPED = N_("Abbestellt")
NOT_NEEDED = N_("Nicht mehr nötig")
OUTDATED = N_("Der Anlass hat sich geändert")


def reason_to_skip(db: Session, reminder: Reminder, now: datetime, seen: dict | None = None) -> str | None:
    """Why `reminder` should not be sent now (a msgid), or None to send it.

    `seen` keeps the subjects and plans this session has looked at for the next rows of a batch (the holders
    of one shift share one load of it and one plan); without it, every call looks afresh.
    """
    seen = {} if seen is None else seen
    person = reminder.recipient
    if person is None or not person.email:
        return NO_ADDRESS
    if db.get(ReminderStop, (person.id, reminder.kind)) is not None:
        return STOPPED
    if reminder.kind == "organiser_digest":
        return None if short_shifts(db, now, person.id) else NOT_NEEDED
    subject = _subject(db, reminder, seen)
    if reminder.kind == "call_for_help":
        on_it = db.scalar(select(Signup.id).where(Signup.shift_id == reminder.subject_id,
                                                 Signup.person_id == person.id, Signup.state != "cancelled"))
        return NOT_NEEDED if on_it is not None or not still_short(db, subject, now) else None
    if reminder.kind == "meeting_invitation" and reminder.round > 0:  # sent by hand
        return None if subject is not None and subject.status != "cancelled" and subject.starts_at > now else NOT_NEEDED
    if reminder.kind in PLANNED_KINDS.get(reminder.subject_type, ()):
        wanted = _plan(db, reminder, subject, now, seen)
        current = wanted.get((reminder.kind, reminder.recipient_id, reminder.round))
        return None if current is not None and current.due_at == reminder.due_at else OUTDATED
    return None


def _subject(db: Session, reminder: Reminder, seen: dict):
    key = ("subject", reminder.subject_type, reminder.subject_id)
    if key not in seen:  # held here too: a session keeps loaded rows only while something refers to them
        seen[key] = db.get(SUBJECTS[reminder.subject_type], reminder.subject_id)
    return seen[key]


def _plan(db: Session, reminder: Reminder, subject, now: datetime, seen: dict) -> dict:
    key = ("plan", reminder.subject_type, reminder.subject_id)
    if key not in seen:
        seen[key] = {w.key: w for w in plan(db, reminder.subject_type, subject, now)}
    return seen[key]
