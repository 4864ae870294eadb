"""Operations on the programme: its period and thematic focuses, and extensions of its end."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.errors import N_, DomainError, NotFound
from governance.models import Focus, Programme, ProgrammeExtension
from governance.permissions import Actor, require

MAX_REASON = 2_000
MAX_NAME = 200
MAX_TARGET_GROUP = 2_000
MAX_FOCUS_NUMBER = 99
END_BEFORE_START = N_("Das Programmende liegt vor dem Programmstart.")
NAME_REQUIRED = N_("Bitte geben Sie den Namen des Programms an.")
TITLE_REQUIRED = N_("Bitte geben Sie den Titel des Schwerpunkts an.")
TOO_LONG = N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen).")


def create_programme(
    db: Session, name: str, starts_on: date, ends_on: date, core_target_group: str = ""
) -> Programme:
    _check_text("name", name, MAX_NAME, NAME_REQUIRED)
    _check_text("core_target_group", core_target_group, MAX_TARGET_GROUP)
    if ends_on < starts_on:
        raise DomainError("ends_on", END_BEFORE_START)
    programme = Programme(
        name=name.strip(), starts_on=starts_on, ends_on=ends_on, core_target_group=core_target_group.strip()
    )
    db.add(programme)
    db.flush()
    return programme


def add_focus(db: Session, programme: Programme, number: int, title: str) -> Focus:
    focus = Focus(programme=programme, number=number, title=title)
    db.add(focus)
    db.flush()
    return focus


def update_programme(db: Session, actor: Actor, programme: Programme, name: str, starts_on: date,
                     core_target_group: str) -> Programme:
    """Name, start and core target group; the end moves only through a recorded extension."""
    require(actor.is_coordinator)
    _check_text("name", name, MAX_NAME, NAME_REQUIRED)
    _check_text("core_target_group", core_target_group, MAX_TARGET_GROUP)
    if starts_on > programme.ends_on:
        raise DomainError("starts_on", N_("Der Programmstart liegt nach dem Programmende."))
    programme.name, programme.starts_on = name.strip(), starts_on
    programme.core_target_group = core_target_group.strip()
    db.flush()
    return programme


def add_programme_focus(db: Session, actor: Actor, programme: Programme, number: int | None, title: str) -> Focus:
    """A new focus as the coordinator enters it: a number not yet taken, and a title."""
    require(actor.is_coordinator)
    if number is None or not 1 <= number <= MAX_FOCUS_NUMBER:
        raise DomainError("focus_number", N_("Bitte geben Sie eine Nummer von 1 bis %(max)s an."),
                          max=MAX_FOCUS_NUMBER)
    if any(focus.number == number for focus in programme.focuses):
        raise DomainError("focus_number", N_("Diese Nummer hat schon ein anderer Schwerpunkt."))
    _check_text("focus_title", title, MAX_NAME, TITLE_REQUIRED)
    return add_focus(db, programme, number, title.strip())


def rename_focus(db: Session, actor: Actor, focus: Focus, title: str) -> Focus:
    """The focus keeps its number (milestones and links name it); its title may be put better."""
    require(actor.is_coordinator)
    _check_text(f"focus_{focus.id}", title, MAX_NAME, TITLE_REQUIRED)
    focus.title = title.strip()
    db.flush()
    return focus


def _check_text(field: str, value: str, max_length: int, required: str | None = None) -> None:
    if required and not value.strip():
        raise DomainError(field, required)
    if len(value.strip()) > max_length:
        raise DomainError(field, TOO_LONG, max=max_length)


def current_programme(db: Session) -> Programme | None:
    """The programme the workspace runs (the first one: one network, one programme)."""
    query = select(Programme).options(selectinload(Programme.focuses)).order_by(Programme.id)
    return db.scalars(query).first()


def find_programme(db: Session) -> Programme:
    """The current programme, for pages that make no sense without one."""
    programme = current_programme(db)
    if programme is None:
        raise NotFound("programme")
    return programme


def extend_programme(db: Session, actor: Actor, programme: Programme, new_ends_on: date | None,
                     reason: str) -> ProgrammeExtension:
    """Move the end later (funding was extended), keeping the old date, the reason, who and when."""
    require(actor.is_coordinator)
    _check_extension(programme, new_ends_on, reason)
    extension = ProgrammeExtension(programme_id=programme.id, old_ends_on=programme.ends_on,
                                   new_ends_on=new_ends_on, reason=reason.strip(), extended_by_id=actor.person.id)
    programme.ends_on = new_ends_on
    db.add(extension)
    db.flush()
    return extension


def _check_extension(programme: Programme, new_ends_on: date | None, reason: str) -> None:
    if new_ends_on is None:
        raise DomainError("ends_on", N_("Bitte geben Sie das neue Programmende an."))
    if new_ends_on < programme.starts_on:
        raise DomainError("ends_on", END_BEFORE_START)
    if new_ends_on <= programme.ends_on:
        raise DomainError("ends_on", N_("Das neue Programmende muss nach dem bisherigen liegen."))
    if not reason.strip():
        raise DomainError("reason", N_("Bitte geben Sie einen Grund für die Verlängerung an."))
    if len(reason.strip()) > MAX_REASON:
        raise DomainError("reason", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_REASON)


def extensions_of(db: Session, programme: Programme) -> list[ProgrammeExtension]:
    """Every extension, the first first, with who made it."""
    query = (select(ProgrammeExtension).where(ProgrammeExtension.programme_id == programme.id)
             .options(joinedload(ProgrammeExtension.extended_by)).order_by(ProgrammeExtension.id))
    return list(db.scalars(query))


def original_end(programme: Programme, extensions: list[ProgrammeExtension]) -> date:
    """The end the programme started out with, before any extension."""
    return extensions[0].old_ends_on if extensions else programme.ends_on
