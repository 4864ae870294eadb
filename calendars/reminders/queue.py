"""The claim protocol: which process sends a due reminder, and what became of it.

A claim is one conditional UPDATE over a small batch (on PostgreSQL the candidates are locked with
SKIP LOCKED, on SQLite the write lock serialises claims), so of several schedulers exactly one wins
each row. A claim holds a lease; a row whose claimer died is claimed again once the lease ran out and
marked `recovered`, because the one message that was on the wire may already have arrived (SMTP cannot
tell). Each outcome is written with the claimer's token, so a late process cannot overwrite a newer claim.
"""

import functools
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session, selectinload

from calendars.models import Reminder

MAX_ERROR = 2000


def due_clause(now: datetime):
    return or_(and_(Reminder.state == "pending", Reminder.try_at <= now),
               and_(Reminder.state == "claimed", Reminder.lease_until < now))


def claim(db: Session, worker: str, now: datetime, lease: timedelta, limit: int) -> tuple[str, list[Reminder]]:
    """Claim up to `limit` due reminders, soonest first; returns the claim's token and the rows."""
    token = f"{worker}/{uuid.uuid4().hex[:12]}"
    candidates = select(Reminder.id).where(due_clause(now)).order_by(Reminder.try_at, Reminder.id).limit(limit)
    if db.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    db.execute(update(Reminder).where(Reminder.id.in_(candidates.scalar_subquery()), due_clause(now)).values(
        state="claimed", claimed_by=token, lease_until=now + lease, attempts=Reminder.attempts + 1,
        recovered=Reminder.state == "claimed").execution_options(synchronize_session=False))
    # populate_existing: rows this session already holds would otherwise keep their state before the claim
    rows = list(db.scalars(select(Reminder).where(Reminder.claimed_by == token, Reminder.state == "claimed")
                           .order_by(Reminder.try_at, Reminder.id).options(selectinload(Reminder.recipient))
                           .execution_options(populate_existing=True)))
    return token, rows


def _finish(db: Session, reminder_id: int, token: str, **values) -> bool:
    """Write an outcome if the claim is still ours (not rescheduled, not re-claimed after our lease)."""
    names = tuple(sorted(values))
    done = db.execute(_outcome(names), {"reminder_id": reminder_id, "token": token,
                                        **{f"new_{name}": values[name] for name in names}})
    return done.rowcount == 1


@functools.cache
def _outcome(names: tuple[str, ...]):
    """The UPDATE of `_finish` for these columns, built once: one runs per reminder sent, and building the
    statement cost more than running it. On the table (Core), as the ORM has nothing to keep in step here."""
    table = Reminder.__table__
    column = table.c
    return (update(table).where(column.id == bindparam("reminder_id"), column.claimed_by == bindparam("token"),
                                column.state == "claimed")
            .values(lease_until=None, **{name: bindparam(f"new_{name}", type_=column[name].type) for name in names}))


def mark_sent(db: Session, reminder_id: int, token: str, now: datetime) -> bool:
    return _finish(db, reminder_id, token, state="sent", sent_at=now, last_error=None)


def mark_skipped(db: Session, reminder_id: int, token: str, reason: str) -> bool:
    """Not sent because it is no longer needed (the shift is full, the task done): kept as cancelled."""
    return _finish(db, reminder_id, token, state="cancelled", last_error=reason[:MAX_ERROR])


def mark_retry(db: Session, reminder: Reminder, token: str, error: str, now: datetime, first_pause: timedelta,
               max_attempts: int) -> str:
    """After a temporary failure: try again after a pause that doubles each time, or give up."""
    if reminder.attempts >= max_attempts:
        _finish(db, reminder.id, token, state="failed", last_error=error[:MAX_ERROR])
        return "failed"
    pause = first_pause * 2 ** (reminder.attempts - 1)
    _finish(db, reminder.id, token, state="pending", try_at=now + pause, last_error=error[:MAX_ERROR])
    return "retry"


def mark_next_batch(db: Session, reminder_id: int, token: str, at: datetime) -> bool:
    """A round of calls for help waits for answers before it asks the next batch."""
    return _finish(db, reminder_id, token, state="pending", try_at=at, attempts=0)


def mark_failed(db: Session, reminder_id: int, token: str, error: str) -> bool:
    """A permanent failure (the server refused the address): no further tries."""
    return _finish(db, reminder_id, token, state="failed", last_error=error[:MAX_ERROR])


def resend(db: Session, reminder: Reminder, now: datetime) -> None:
    """The coordinator sends a failed reminder again: a fresh set of tries, now."""
    if reminder.state == "failed":
        reminder.state, reminder.attempts, reminder.try_at, reminder.claimed_by = "pending", 0, now, None
        db.flush()
