"""The history of changes on meetings, agenda items, minutes and decisions: who changed what, when."""

from datetime import UTC, date, datetime

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

    def changed_values(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for each change; instants (`…_at`) and dates (`…_on`) are stored as ISO
        text in JSON and come back as datetime and date, so that a page shows them in Berlin time."""
        return [(field, _read(field, old), _read(field, new)) for field, (old, new) in self.changes.items()]


def _read(field: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        if field.endswith("_at"):
            instant = datetime.fromisoformat(value)
            return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
        if field.endswith("_on"):
            return date.fromisoformat(value)
    except ValueError:
        pass  # not written by history._plain (say, a title under a name like `depends_on`): the text as it is
    return value
