"""The history of changes on meetings, agenda items, minutes and decisions: who changed what, when."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, utcnow
from governance.models.people import Person


class ChangeRecord(Base):
    __tablename__ = "change_record"
    __table_args__ = (Index("ix_change_record_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship()
