"""Helper shifts on an event's date, the volunteers who take them, and what the reminders will need.

A shift belongs to one date of an event (`occurrence_start` is that date's original start, the same
key as EventException.recurrence_id), not to the series. A taken place holds a slot number; the unique
(shift, slot) pair lets the database, not a check in Python, decide who gets the last place.
A confirmed sign-up carries its shift's start (`worked_at`), kept in step here, so hours per period
are summed from one index without joining the shifts.
"""

from datetime import date, datetime

from sqlalchemy import (CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, event,
                        inspect, text)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from calendars.models.events import Event
from governance.base import Base, one_of, utcnow
from governance.models import Area, Person, TargetGroup

TASK_KINDS = ("setup", "catering", "children", "stewarding", "driving", "other")
SIGNUP_STATES = ("taken", "waiting", "cancelled")
MAX_PLACES = 500


class Shift(Base):
    """A helper slot (Helferschicht): a task on one date of an event, with time and places."""

    __tablename__ = "shift"
    __table_args__ = (
        one_of("task_kind", TASK_KINDS),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(f"places BETWEEN 1 AND {MAX_PLACES}", name="places"),
        Index("ix_shift_event_date", "event_id", "occurrence_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    occurrence_start: Mapped[datetime]
    task: Mapped[str] = mapped_column(String(120))
    task_kind: Mapped[str] = mapped_column(String(12), default="other")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    places: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    event: Mapped[Event] = relationship()
    contact: Mapped[Person | None] = relationship(foreign_keys=[contact_id])
    signups: Mapped[list["Signup"]] = relationship(back_populates="shift", order_by="Signup.id")

    __mapper_args__ = {"version_id_col": version_id}


class Signup(Base):
    """A volunteer on a shift: holding a place (`slot`), waiting for one, or cancelled.

    Hours count only once the organiser confirmed attendance (`attended`, `minutes`); `worked_at` is
    then the shift's start (NULL otherwise), set on every flush by `_date_confirmed_hours`, and
    `ix_signup_hours` covers the hours per person of a period (calendars.fairness).
    """

    __tablename__ = "signup"
    __table_args__ = (
        one_of("state", SIGNUP_STATES),
        CheckConstraint("(state = 'taken') = (slot IS NOT NULL)", name="slot_when_taken"),
        CheckConstraint("minutes IS NULL OR minutes >= 0", name="minutes"),
        CheckConstraint("attended = (worked_at IS NOT NULL)", name="worked_when_attended"),
        UniqueConstraint("shift_id", "slot"),  # one person per place, decided by the database
        # One live sign-up per person and shift (cancelled ones stay for the record).
        Index("uq_signup_shift_person_live", "shift_id", "person_id", unique=True,
              sqlite_where=text("state != 'cancelled'"), postgresql_where=text("state != 'cancelled'")),
        Index("ix_signup_person_state", "person_id", "state"),
        Index("ix_signup_hours", "person_id", "worked_at", "minutes",
              sqlite_where=text("worked_at IS NOT NULL"), postgresql_where=text("worked_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10))
    slot: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    attended: Mapped[bool | None]
    minutes: Mapped[int | None]
    worked_at: Mapped[datetime | None]

    shift: Mapped[Shift] = relationship(back_populates="signups")
    person: Mapped[Person] = relationship()


@event.listens_for(Session, "before_flush")
def _date_confirmed_hours(session: Session, context, instances) -> None:
    """Keep `Signup.worked_at` equal to the shift's start for confirmed attendance, whoever sets
    `attended` and when the shift is moved afterwards: the hours then count in the period it lies in now."""
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Shift) and _changed(instance, "starts_at"):
            for signup in instance.signups:
                signup.worked_at = instance.starts_at if signup.attended else None
        elif isinstance(instance, Signup) and (instance in session.new
                                               or _changed(instance, "attended", "shift_id", "shift")):
            shift = instance.shift or session.get(Shift, instance.shift_id)
            instance.worked_at = shift.starts_at if instance.attended else None


def _changed(instance: Base, *attributes: str) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in attributes)


volunteer_area = Table(
    "volunteer_area",
    Base.metadata,
    Column("person_id", ForeignKey("volunteer.person_id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)

volunteer_target_group = Table(
    "volunteer_target_group",
    Base.metadata,
    Column("person_id", ForeignKey("volunteer.person_id", ondelete="CASCADE"), primary_key=True),
    Column("target_group_id", ForeignKey("target_group.id", ondelete="CASCADE"), primary_key=True),
)


class Volunteer(Base):
    """A person's willingness to help: preferences, limits, and when they were last asked.

    A member or the coordinator can be a volunteer too; the row exists once someone signs up.
    """

    __tablename__ = "volunteer"
    __table_args__ = (
        CheckConstraint("max_hours_per_month IS NULL OR max_hours_per_month BETWEEN 1 AND 200", name="max_hours"),
        CheckConstraint("lead_hours BETWEEN 1 AND 336", name="lead_hours"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    email_confirmed_at: Mapped[datetime | None]
    task_kinds: Mapped[str] = mapped_column(String(100), default="")  # "setup,catering"; empty: any
    max_hours_per_month: Mapped[int | None]
    lead_hours: Mapped[int | None]  # None: the network's lead time for shift reminders (the coordinator's)
    paused_until: Mapped[date | None]
    last_asked_at: Mapped[datetime | None]
    last_active_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=volunteer_area, order_by=Area.name)
    target_groups: Mapped[list[TargetGroup]] = relationship(secondary=volunteer_target_group,
                                                           order_by=TargetGroup.name)
