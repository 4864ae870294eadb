"""Reminders as rows: what is due for whom and when, and the state of its delivery.

A row is the truth, not a job in a scheduler: its key (kind, subject, recipient, occurrence, round) is
unique, so the same reminder can never be made twice, and a conditional UPDATE (state pending → claimed,
with a lease) lets exactly one process send it. Rows are kept after sending for the record.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models import Person

# help_round is the trigger of one round of calls for help on a shift (no recipient): when due, the
# scheduler picks at most five volunteers and makes a call_for_help row for each.
REMINDER_KINDS = ("shift_upcoming", "help_round", "call_for_help", "organiser_digest", "meeting_invitation",
                  "task_due", "task_overdue", "milestone_due", "minutes_pending")
REMINDER_STATES = ("pending", "claimed", "sent", "failed", "cancelled")
SUBJECT_TYPES = ("shift", "meeting", "task", "milestone", "person")
ANSWERS = ("accepted", "declined")
MAX_LEAD_HOURS = 366 * 24


class Reminder(Base):
    __tablename__ = "reminder"
    __table_args__ = (
        one_of("kind", REMINDER_KINDS),
        one_of("state", REMINDER_STATES),
        one_of("subject_type", SUBJECT_TYPES),
        CheckConstraint("answer IS NULL OR answer IN ('accepted', 'declined')", name="answer"),
        UniqueConstraint("kind", "subject_type", "subject_id", "recipient_id", "occurrence", "round", name="uq_reminder_key"),
        # NULLs are distinct in a unique constraint: rows without a recipient need their own index
        Index("uq_reminder_key_without_recipient", "kind", "subject_type", "subject_id", "occurrence", "round",
              unique=True, sqlite_where=text("recipient_id IS NULL"), postgresql_where=text("recipient_id IS NULL")),
        Index("ix_reminder_due", "state", "try_at"),
        Index("ix_reminder_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int]
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[str] = mapped_column(String(40), default="")  # e.g. the week of a digest
    round: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime]  # when it is meant to go out
    try_at: Mapped[datetime]  # when it may next be tried: due_at, later after a temporary failure
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    subject_version: Mapped[int] = mapped_column(default=1)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    recovered: Mapped[bool] = mapped_column(default=False)  # claimed again after a claim's lease ran out
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)

    recipient: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<Reminder {self.id} {self.kind} {self.subject_type}:{self.subject_id} → {self.recipient_id} {self.state}>"


class ReminderLead(Base):
    """A lead time the coordinator changed (hours before; whole days keep the wall-clock time)."""

    __tablename__ = "reminder_lead"
    __table_args__ = (CheckConstraint(f"hours BETWEEN 1 AND {MAX_LEAD_HOURS}", name="hours"),)

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    round: Mapped[int] = mapped_column(primary_key=True, default=0)
    hours: Mapped[int]


class ReminderStop(Base):
    """A person asked for no more mails of one kind (the one-click link in every reminder)."""

    __tablename__ = "reminder_stop"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    stopped_at: Mapped[datetime] = mapped_column(default=utcnow)
