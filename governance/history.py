"""Recording who changed what and when, and reading it back for an item's history."""

from datetime import date, datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, joinedload

from governance.models import ChangeRecord, Person


def changed_fields(obj: object, fields: tuple[str, ...]) -> dict[str, list]:
    """The fields among `fields` that changed since load, as {name: [old, new]} (before flush)."""
    state = inspect(obj)
    changes = {}
    for name in fields:
        history = state.attrs[name].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[name] = [_plain(old), _plain(new)]
    return changes


def _plain(value: object) -> object:
    """JSON-friendly: dates and instants as ISO text, everything else as it is."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def record_change(
    db: Session, actor: Person, subject_type: str, subject_id: int, action: str, changes: dict | None = None
) -> ChangeRecord:
    record = ChangeRecord(subject_type=subject_type, subject_id=subject_id, action=action,
                          changes=changes or {}, person_id=actor.id)
    db.add(record)
    return record


def history_of(db: Session, subject_type: str, subject_id: int) -> list[ChangeRecord]:
    query = (select(ChangeRecord).where(ChangeRecord.subject_type == subject_type,
                                        ChangeRecord.subject_id == subject_id)
             .options(joinedload(ChangeRecord.person))
             .order_by(ChangeRecord.changed_at.desc(), ChangeRecord.id.desc()))
    return list(db.scalars(query))


def histories_of(db: Session, subject_type: str, subject_ids: list[int]) -> dict[int, list[ChangeRecord]]:
    """The histories of several items in one query (say, every agenda item on a meeting's page)."""
    query = (select(ChangeRecord).where(ChangeRecord.subject_type == subject_type,
                                        ChangeRecord.subject_id.in_(subject_ids))
             .options(joinedload(ChangeRecord.person))
             .order_by(ChangeRecord.changed_at.desc(), ChangeRecord.id.desc()))
    histories: dict[int, list[ChangeRecord]] = {subject_id: [] for subject_id in subject_ids}
    for record in db.scalars(query):
        histories[record.subject_id].append(record)
    return histories
