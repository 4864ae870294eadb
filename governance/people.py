"""Operations on people: who acts and who is named."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.errors import N_, DomainError
from governance.models import Person

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 200
MAX_EMAIL = 254


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str, field: str = "email") -> str:
    """Return the address normalised, or raise a field error saying what is wrong."""
    email = normalise_email(email)
    if not email:
        raise DomainError(field, N_("Bitte geben Sie eine E-Mail-Adresse an."))
    if len(email) > MAX_EMAIL:
        raise DomainError(field, N_("Die E-Mail-Adresse ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_EMAIL)
    if not _EMAIL.match(email):
        raise DomainError(field, N_("Das ist keine gültige E-Mail-Adresse."))
    return email


def check_name(name: str, field: str = "name") -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError(field, N_("Bitte geben Sie einen Namen an."))
    if len(name) > MAX_NAME:
        raise DomainError(field, N_("Der Name ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_NAME)
    return name


def find_person_by_email(db: Session, email: str) -> Person | None:
    return db.scalar(select(Person).where(Person.email == normalise_email(email)))


def create_person(db: Session, name: str, email: str | None = None, is_coordinator: bool = False) -> Person:
    """Create a person; an e-mail address, when given, must be free."""
    name = check_name(name)
    if email is not None:
        email = check_email(email)
        if find_person_by_email(db, email) is not None:
            raise DomainError("email", N_("Diese E-Mail-Adresse ist schon vergeben."))
    person = Person(name=name, email=email, is_coordinator=is_coordinator)
    db.add(person)
    db.flush()
    return person



def list_people(db: Session) -> list[Person]:
    return list(db.scalars(select(Person).order_by(Person.name)))
