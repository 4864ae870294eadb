"""Keeping reminder rows in step with their subjects, in the same transaction as the change.

Every write session watches what it flushes (`watch`): a changed shift, sign-up, event, meeting,
membership, task or milestone marks its subjects, and before the commit each marked subject's plan is
applied: missing rows are made, pending rows move to the new time, unwanted pending rows are cancelled
(changed lead times: `replan`; stopped kinds: calendars.reminders.stops).
So a reminder for an old time is never sent, whichever code path made the change. Rows already sent
stay as they are; one being sent right now is left to its sender, which checks the subject again.
"""

import hashlib
from datetime import datetime

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session, sessionmaker

from calendars.models import Event, EventException, Reminder, Shift, Signup, Volunteer
from calendars.reminders.plans import PLANNED_KINDS, SUBJECTS, Wanted, plan
from governance.base import utcnow
from governance.models import Meeting, Membership, Milestone, Task

MARKED = "reminder_subjects"
Subject = tuple[str, int]


def watch(factory: sessionmaker) -> None:
    """Make sessions from `factory` keep reminders in step with what they change."""
    event.listen(factory, "after_flush", _mark)
    event.listen(factory, "before_commit", _settle_unless_savepoint)
    event.listen(factory, "after_transaction_end", _forget_at_the_end)


def _settle_unless_savepoint(db: Session) -> None:
    """before_commit fires for a savepoint's commit too (take_place's begin_nested): settle only at the real
    commit, when the operation is complete (e.g. the new volunteer row with its lead time exists)."""
    if not db.in_nested_transaction():
        settle(db)


def _forget_at_the_end(db: Session, transaction) -> None:
    """A rolled-back savepoint (a place taken by someone else a moment ago) keeps what the transaction
    changed before it marked; only the end of the whole transaction forgets the marks."""
    if transaction.parent is None:
        db.info.pop(MARKED, None)


def settle(db: Session, now: datetime | None = None) -> None:
    """Apply the plans of every subject changed in this transaction (also callable by hand)."""
    db.flush()
    now = now or utcnow()
    while marked := db.info.pop(MARKED, None):
        for subject_type, subject_id in sorted(marked):
            sync(db, subject_type, subject_id, now)
        db.flush()


def sync(db: Session, subject_type: str, subject_id: int, now: datetime) -> None:
    """Bring the planned rows of one subject in line with its plan."""
    subject = db.get(SUBJECTS[subject_type], subject_id)
    wanted = {w.key: w for w in plan(db, subject_type, subject, now)}
    version = getattr(subject, "version_id", 1) if subject is not None else 1
    rows = db.scalars(select(Reminder).where(
        Reminder.subject_type == subject_type, Reminder.subject_id == subject_id, Reminder.occurrence == "",
        Reminder.kind.in_(PLANNED_KINDS[subject_type]),
        # invitations sent by hand ("Einladung senden", rounds 1, 2 …) are no plan's to move or cancel
        or_(Reminder.kind != "meeting_invitation", Reminder.round == 0)))
    for row in rows:
        w = wanted.pop((row.kind, row.recipient_id, row.round), None)
        if w is None and row.state == "pending":
            row.state, row.last_error = "cancelled", None
        elif w is not None and _moved(row, w):  # a row waiting for a retry or its next batch keeps its turn
            row.state, row.due_at, row.try_at, row.subject_version = "pending", w.due_at, w.due_at, version
    for w in wanted.values():
        db.add(new_reminder(w, subject_type, subject_id, version))


def replan(db: Session, now: datetime) -> None:
    """After the lead times changed: every subject with a pending reminder is planned again."""
    db.flush()
    subjects = db.execute(select(Reminder.subject_type, Reminder.subject_id).distinct().where(
        Reminder.state == "pending", Reminder.occurrence == "", Reminder.subject_type.in_(SUBJECTS))).all()
    for subject_type, subject_id in subjects:
        sync(db, subject_type, subject_id, now)
    db.flush()


def _moved(row: Reminder, w: Wanted) -> bool:
    return row.state == "cancelled" or (row.state == "pending" and row.due_at != w.due_at)


def new_reminder(w: Wanted, subject_type: str, subject_id: int, version: int, occurrence: str = "") -> Reminder:
    return Reminder(kind=w.kind, subject_type=subject_type, subject_id=subject_id, recipient_id=w.recipient_id,
                    occurrence=occurrence, round=w.round, due_at=w.due_at, try_at=w.due_at,
                    subject_version=version,
                    message_id=message_id(w.kind, subject_type, subject_id, w.recipient_id, occurrence, w.round))


def message_id(kind: str, subject_type: str, subject_id: int, recipient_id: int | None, occurrence: str,
               round: int) -> str:
    """Derived from the key alone: a repeat of the same reminder carries the same Message-ID."""
    key = f"{kind}/{subject_type}/{subject_id}/{recipient_id}/{occurrence}/{round}"
    return f"<reminder.{hashlib.sha256(key.encode()).hexdigest()[:32]}@werkstadt>"


def _mark(db: Session, context) -> None:
    marked: set[Subject] = db.info.setdefault(MARKED, set())
    for instance in (*db.new, *db.dirty, *db.deleted):
        marked.update(_subjects_of(db, instance))


def _subjects_of(db: Session, instance) -> list[Subject]:
    """The subjects whose reminders may change with `instance` (past shifts have none to change)."""
    match instance:
        case Shift() | Meeting() | Task() | Milestone():
            kind = next(name for name, model in SUBJECTS.items() if isinstance(instance, model))
            return [(kind, instance.id)]
        case Signup():
            return [("shift", instance.shift_id)]
        case Event() | EventException():
            event_id = instance.id if isinstance(instance, Event) else instance.event_id
            return _shifts_ahead(db, Shift.event_id == event_id)
        case Volunteer() if _changed(instance, "lead_hours"):
            taken = select(Signup.shift_id).where(Signup.person_id == instance.person_id, Signup.state == "taken")
            return _shifts_ahead(db, Shift.id.in_(taken))
        case Membership():
            return [("meeting", i) for i in db.scalars(select(Meeting.id).where(
                Meeting.group_id == instance.group_id, Meeting.starts_at > utcnow()))]
    return []


def _shifts_ahead(db: Session, *where) -> list[Subject]:
    return [("shift", i) for i in db.scalars(select(Shift.id).where(*where, Shift.starts_at > utcnow()))]


def _changed(instance, attribute: str) -> bool:
    state = inspect(instance)
    return state.deleted or state.attrs[attribute].history.has_changes()
