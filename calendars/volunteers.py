"""Volunteers: a person's willingness to help, their preferences, and forgetting them on request.

Forgetting keeps the sign-ups (with person_id) of shifts that took place, so the hours given stay in
the network's figures, anonymously; the name and e-mail address are gone.
"""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from calendars.models import TASK_KINDS, FeedToken, Shift, Signup, Volunteer
from calendars.waiting import release
from governance.base import utcnow
from governance.errors import N_, DomainError
from governance.models import Area, Person, TargetGroup

FORGOTTEN_NAME = "Gelöschte Person"
MAX_HOURS_PER_MONTH = 200
MAX_LEAD_HOURS = 336  # two weeks


def volunteer_of(db: Session, person: Person, confirmed_at: datetime | None = None) -> Volunteer:
    """The person's volunteer row, created with the defaults the first time they help or say how.

    `confirmed_at`: when the caller knows the person proved their e-mail address (opened a link mailed to
    it); an unconfirmed row takes it, a confirmed one keeps its first instant.
    """
    volunteer = db.get(Volunteer, person.id)
    if volunteer is None:
        volunteer = Volunteer(person_id=person.id, person=person, email_confirmed_at=confirmed_at)
        db.add(volunteer)
        db.flush()
    elif volunteer.email_confirmed_at is None:
        volunteer.email_confirmed_at = confirmed_at
    return volunteer


def confirm_email(db: Session, person: Person, at: datetime) -> None:
    """The person proved their address: their volunteer row, if they have one, says so (only confirmed
    addresses are asked for help)."""
    if db.get(Volunteer, person.id) is not None:
        volunteer_of(db, person, confirmed_at=at)


def update_preferences(db: Session, person: Person, areas: Iterable[Area], target_groups: Iterable[TargetGroup],
                       task_kinds: tuple[str, ...], max_hours_per_month: int | None, lead_hours: int | None,
                       paused_until: date | None) -> Volunteer:
    """Save what the reminders will respect: where and for whom, which tasks, how much, how early, a pause."""
    _check(task_kinds, max_hours_per_month, lead_hours, paused_until)
    volunteer = volunteer_of(db, person)
    volunteer.areas, volunteer.target_groups = list(dict.fromkeys(areas)), list(dict.fromkeys(target_groups))
    volunteer.task_kinds = ",".join(kind for kind in TASK_KINDS if kind in task_kinds)
    volunteer.max_hours_per_month, volunteer.lead_hours = max_hours_per_month, lead_hours
    volunteer.paused_until = paused_until
    db.flush()
    return volunteer


def task_kinds_of(volunteer: Volunteer) -> tuple[str, ...]:
    """The kinds of task chosen; empty means any."""
    return tuple(kind for kind in volunteer.task_kinds.split(",") if kind)


def forget_person(db: Session, person: Person, now: datetime | None = None) -> list[Signup]:
    """Remove name, e-mail, preferences and feed token; cancel live sign-ups of shifts still ahead
    (moving others up). Returns the moved-up sign-ups so the web layer can tell them."""
    now = now or utcnow()
    person.name, person.email = FORGOTTEN_NAME, None
    db.execute(delete(FeedToken).where(FeedToken.person_id == person.id))
    volunteer = db.get(Volunteer, person.id)
    if volunteer is not None:
        db.delete(volunteer)
    live = db.scalars(select(Signup).join(Signup.shift).where(
        Signup.person_id == person.id, Signup.state != "cancelled", Shift.starts_at > now))
    moved = [release(db, signup, now) for signup in list(live)]
    db.flush()
    return [signup for signup in moved if signup is not None]


def _check(task_kinds: tuple[str, ...], max_hours_per_month: int | None, lead_hours: int | None,
           paused_until: date | None) -> None:
    if any(kind not in TASK_KINDS for kind in task_kinds):
        raise DomainError("task_kinds", N_("Bitte wählen Sie einen der angebotenen Werte."))
    if max_hours_per_month is not None and not 1 <= max_hours_per_month <= MAX_HOURS_PER_MONTH:
        raise DomainError("max_hours_per_month", N_("Bitte geben Sie zwischen 1 und %(max)s Stunden an "
                                                    "oder lassen Sie das Feld leer."), max=MAX_HOURS_PER_MONTH)
    if lead_hours is not None and not 1 <= lead_hours <= MAX_LEAD_HOURS:
        raise DomainError("lead_hours", N_("Bitte geben Sie zwischen 1 und %(max)s Stunden an."),
                          max=MAX_LEAD_HOURS)
    if paused_until is not None and not isinstance(paused_until, date):
        raise DomainError("paused_until", N_("Bitte geben Sie ein Datum an."))
