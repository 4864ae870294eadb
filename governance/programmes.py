"""Operations on the programme and its thematic focuses."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from governance.errors import N_, DomainError
from governance.models import Focus, Programme


def create_programme(
    db: Session, name: str, starts_on: date, ends_on: date, core_target_group: str = ""
) -> Programme:
    if ends_on < starts_on:
        raise DomainError("ends_on", N_("Das Programmende liegt vor dem Programmstart."))
    programme = Programme(
        name=name, starts_on=starts_on, ends_on=ends_on, core_target_group=core_target_group
    )
    db.add(programme)
    db.flush()
    return programme


def add_focus(db: Session, programme: Programme, number: int, title: str) -> Focus:
    focus = Focus(programme=programme, number=number, title=title)
    db.add(focus)
    db.flush()
    return focus


def current_programme(db: Session) -> Programme | None:
    """The programme the workspace runs (the first one: one network, one programme)."""
    query = select(Programme).options(selectinload(Programme.focuses)).order_by(Programme.id)
    return db.scalars(query).first()
