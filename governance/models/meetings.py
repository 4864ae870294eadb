"""Meetings (Sitzungen) with their agenda items (TOP), attendance, minutes corrections, agenda templates."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models.groups import Group
from governance.models.people import Person

if TYPE_CHECKING:
    from governance.models.decisions import Decision

MEETING_STATES = ("planned", "invited", "held", "cancelled")
AGENDA_KINDS = ("information", "discussion", "decision")
ATTENDANCE_STATES = ("present", "excused", "absent")
MAX_DURATION = 24 * 60


class Meeting(Base):
    __tablename__ = "meeting"
    __table_args__ = (
        one_of("status", MEETING_STATES),
        CheckConstraint("planned_end_at IS NULL OR planned_end_at > starts_at", name="planned_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    planned_end_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    minutes_approved_at: Mapped[datetime | None]
    minutes_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    minutes_approved_by: Mapped[Person | None] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="[AgendaItem.position, AgendaItem.id]"
    )
    attendances: Mapped[list["Attendance"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}


class AgendaItem(Base):
    """A TOP of a meeting; without a meeting it waits in its group's inbox of proposals."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        one_of("kind", AGENDA_KINDS),
        CheckConstraint(f"duration_minutes > 0 AND duration_minutes <= {MAX_DURATION}", name="duration"),
        # Removed items are frequent; a reused id would hand their history (and links) to a new item.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(12), default="information")
    duration_minutes: Mapped[int] = mapped_column(default=15)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    is_proposal: Mapped[bool] = mapped_column(default=False)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    is_deferred: Mapped[bool] = mapped_column(default=False)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    referred_from_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    # use_alter: decisions point at agenda items too; the cycle is closed after both tables exist.
    referred_from_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL", use_alter=True)
    )
    version_id: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    meeting: Mapped[Meeting | None] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship(foreign_keys=[presenter_id])
    proposed_by: Mapped[Person | None] = relationship(foreign_keys=[proposed_by_id])
    carried_from: Mapped["AgendaItem | None"] = relationship(remote_side=[id], foreign_keys=[carried_from_id])
    referred_from_item: Mapped["AgendaItem | None"] = relationship(
        remote_side=[id], foreign_keys=[referred_from_item_id]
    )
    referred_from_decision: Mapped["Decision | None"] = relationship(foreign_keys=[referred_from_decision_id])

    __mapper_args__ = {"version_id_col": version_id}


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        one_of("state", ATTENDANCE_STATES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10))

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    person: Mapped[Person] = relationship()


class MinutesCorrection(Base):
    """A recorded correction of approved minutes: the only change an approved protocol allows."""

    __tablename__ = "minutes_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)

    corrected_by: Mapped[Person | None] = relationship()


class AgendaTemplate(Base):
    """A group's saved agenda for its regular meetings: a list of {title, kind, duration_minutes}."""

    __tablename__ = "agenda_template"
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)

    group: Mapped[Group] = relationship()
