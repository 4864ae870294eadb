"""Decisions (Beschlüsse), numbered per group and year, and tasks (Aufgaben) that follow from them."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models.groups import Group
from governance.models.meetings import AgendaItem, Meeting
from governance.models.people import Person

DECISION_STATES = ("proposed", "adopted", "rejected", "deferred", "implemented")
TASK_STATES = ("open", "in_progress", "done")


class DecisionCounter(Base):
    """The last number given per group and year: numbers are taken by an UPDATE, never reused."""

    __tablename__ = "decision_counter"

    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_sequence: Mapped[int] = mapped_column(default=0)


class Decision(Base):
    """A decision of a group (number like PG-2025-004) or of an outside body (its own number, if any)."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("group_id", "year", "sequence"),
        one_of("status", DECISION_STATES),
        CheckConstraint("(group_id IS NULL) <> (external_body IS NULL)", name="taken_by"),
        CheckConstraint(
            "(votes_yes IS NULL OR votes_yes >= 0) AND (votes_no IS NULL OR votes_no >= 0)"
            " AND (votes_abstain IS NULL OR votes_abstain >= 0)",
            name="votes",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="RESTRICT"), index=True)
    external_body: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int]
    sequence: Mapped[int | None]
    number: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    decided_on: Mapped[date | None]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    votes_yes: Mapped[int | None]
    votes_no: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    version_id: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship(foreign_keys=[agenda_item_id])
    responsible: Mapped[Person | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}


class Task(Base):
    """An action item: who does what by when, and where it came from (an agenda item or a decision)."""

    __tablename__ = "task"
    __table_args__ = (one_of("status", TASK_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)

    owner: Mapped[Person | None] = relationship()
    group: Mapped[Group | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    decision: Mapped[Decision | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def is_overdue(self, today: date) -> bool:
        return self.status != "done" and self.due_on is not None and self.due_on < today
