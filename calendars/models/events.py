"""The neighbourhood calendar: events (single or recurring) and their changed or cancelled dates.

Instants are stored in UTC. An all-day event runs from Berlin midnight of its first day to Berlin
midnight after its last day, so window queries treat both kinds alike. A recurring event's rule is
kept as plain fields (frequency, interval, weekdays, end) and expanded in Berlin wall time.
Each event and each changed date keeps its serialised VEVENT (`ical`), so feeds are assembled, not built.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models import Area, Group, Organisation, Person, TargetGroup

EVENT_KINDS = ("festival", "tradition", "event", "offer")
VISIBILITIES = ("public", "internal")
EVENT_STATES = ("confirmed", "tentative", "cancelled")
REVIEW_STATES = ("submitted", "approved", "rejected")
FREQUENCIES = ("weekly", "monthly", "yearly")
REPEAT_ON = ("date", "weekday")  # monthly/yearly: the same day, or the same weekday ("2nd Saturday")

event_partner = Table(
    "event_partner",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_target_group = Table(
    "event_target_group",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("target_group_id", ForeignKey("target_group.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(Base):
    """A festival, tradition, event or regular offer of the district, submitted and then reviewed."""

    __tablename__ = "event"
    __table_args__ = (
        one_of("kind", EVENT_KINDS),
        one_of("visibility", VISIBILITIES),
        one_of("status", EVENT_STATES),
        one_of("review", REVIEW_STATES),
        CheckConstraint("frequency IS NULL OR frequency IN ('weekly', 'monthly', 'yearly')", name="frequency"),
        one_of("repeat_on", REPEAT_ON),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("repeat_interval BETWEEN 1 AND 99", name="repeat_interval"),
        CheckConstraint("repeat_count IS NULL OR repeat_count > 0", name="repeat_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10))
    all_day: Mapped[bool] = mapped_column(default=False)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    # Recurrence (none when frequency is NULL); `last_ends_at` is NULL for a series without end.
    frequency: Mapped[str | None] = mapped_column(String(8))
    repeat_interval: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[str] = mapped_column(String(30), default="")  # "MO,WE" for weekly series
    repeat_on: Mapped[str] = mapped_column(String(8), default="date")
    repeat_until: Mapped[date | None]
    repeat_count: Mapped[int | None]
    last_ends_at: Mapped[datetime | None] = mapped_column(index=True)

    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"), index=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    status: Mapped[str] = mapped_column(String(10), default="confirmed")
    help_needed: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[str] = mapped_column(String(10), default="submitted", index=True)
    review_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]

    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ical: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area | None] = relationship()
    organiser: Mapped[Organisation | None] = relationship()
    contact: Mapped[Person | None] = relationship(foreign_keys=[contact_id])
    group: Mapped[Group | None] = relationship()
    submitted_by: Mapped[Person | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[Person | None] = relationship(foreign_keys=[reviewed_by_id])
    partners: Mapped[list[Organisation]] = relationship(secondary=event_partner, order_by=Organisation.name)
    target_groups: Mapped[list[TargetGroup]] = relationship(secondary=event_target_group,
                                                           order_by=TargetGroup.name)
    exceptions: Mapped[list["EventException"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventException.recurrence_id")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_recurring(self) -> bool:
        return self.frequency is not None


class EventException(Base):
    """One date of a recurring event that was moved, changed or cancelled ("nur dieser Termin")."""

    __tablename__ = "event_exception"
    __table_args__ = (
        UniqueConstraint("event_id", "recurrence_id"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    recurrence_id: Mapped[datetime]  # the original start of the date it replaces
    cancelled: Mapped[bool] = mapped_column(default=False)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ical: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="exceptions")

