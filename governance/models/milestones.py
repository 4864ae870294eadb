"""Milestones of the programme up to its end: dependencies, indicators, and what serves them."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models.decisions import Decision
from governance.models.groups import Group
from governance.models.people import Person
from governance.models.programmes import Focus, Programme

MILESTONE_STATES = ("planned", "in_progress", "done", "missed")

milestone_dependency = Table(
    "milestone_dependency",
    Base.metadata,
    Column("milestone_id", ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True),
    Column("depends_on_id", ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True),
    CheckConstraint("milestone_id <> depends_on_id", name="not_itself"),
)

milestone_decision = Table(
    "milestone_decision",
    Base.metadata,
    Column("milestone_id", ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True),
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
)


class ProgrammeExtension(Base):
    """A recorded extension of the programme's end: the old and new date, why, who and when."""

    __tablename__ = "programme_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    old_ends_on: Mapped[date]
    new_ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    extended_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship()
    extended_by: Mapped[Person | None] = relationship()


class Milestone(Base):
    __tablename__ = "milestone"
    __table_args__ = (one_of("status", MILESTONE_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    focus_id: Mapped[int | None] = mapped_column(ForeignKey("focus.id", ondelete="SET NULL"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(12), default="planned", index=True)
    completed_on: Mapped[date | None]
    version_id: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship()
    focus: Mapped[Focus | None] = relationship()
    group: Mapped[Group | None] = relationship()
    responsible: Mapped[Person | None] = relationship()
    depends_on: Mapped[list["Milestone"]] = relationship(
        secondary=milestone_dependency,
        primaryjoin=lambda: Milestone.id == milestone_dependency.c.milestone_id,
        secondaryjoin=lambda: Milestone.id == milestone_dependency.c.depends_on_id,
        order_by=lambda: Milestone.due_on,
    )
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan", order_by="Indicator.id"
    )
    decisions: Mapped[list[Decision]] = relationship(secondary=milestone_decision)

    __mapper_args__ = {"version_id_col": version_id}


class Indicator(Base):
    """How a milestone's target is measured: baseline, target, and the current value with its date."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[float] = mapped_column(default=0.0)
    target: Mapped[float]
    current: Mapped[float | None]
    current_on: Mapped[date | None]

    milestone: Mapped[Milestone] = relationship(back_populates="indicators")
