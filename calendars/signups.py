"""Volunteers on shifts: taking a place, the waiting list, cancelling, "Meine Schichten", hours.

Who gets the last place is decided by the database: a taken place is a row with a slot number and
(shift, slot) is unique, so of two people inserting the same slot exactly one succeeds; the other
tries the next free number and, when none is left, hears at once that the shift is full.
Only hours the organiser confirmed count anywhere.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from calendars.models import Event, Shift, Signup
from calendars.shifts import CUTOFF, can_manage_shifts, holders, not_taking_place
from calendars.volunteers import volunteer_of
from calendars.waiting import fill_places, free_slots, overlapping_shift, release
from governance.base import utcnow
from governance.errors import N_, DomainError
from governance.models import Person
from governance.permissions import Actor, require
from governance.times import from_berlin, in_berlin

__all__ = [
    "CUTOFF", "MyShifts", "ShiftFull", "cancel_signup", "confirm_attendance", "fill_places", "hours_given",
    "join_waiting_list", "live_signup", "my_shifts", "take_place", "too_late_to_cancel",
]


class ShiftFull(Exception):
    """The last place was just taken: offer the waiting list."""


def take_place(db: Session, person: Person, shift: Shift, now: datetime) -> Signup:
    """Take the lowest free place; ShiftFull when every place is taken (perhaps a moment ago)."""
    _check_open(db, person, shift, now)
    for slot in free_slots(db, shift):
        signup = _claim(db, person, shift, slot, now)
        if signup is not None:
            volunteer_of(db, person).last_active_at = now
            return signup
    raise ShiftFull()


def _claim(db: Session, person: Person, shift: Shift, slot: int, now: datetime) -> Signup | None:
    """Insert the place in a savepoint: a unique violation means someone else has that slot."""
    signup = Signup(shift_id=shift.id, person_id=person.id, state="taken", slot=slot, created_at=now)
    try:
        with db.begin_nested():
            db.add(signup)
            db.flush()
    except IntegrityError:
        if live_signup(db, person, shift) is not None:  # the same person, in another tab
            raise DomainError("shift", N_("Sie haben diese Schicht schon übernommen.")) from None
        return None
    db.expire(shift, ["signups"])
    return signup


def join_waiting_list(db: Session, person: Person, shift: Shift, now: datetime) -> Signup:
    """Wait for a place of a full shift; whoever waits longest moves up first."""
    _check_open(db, person, shift, now)
    if free_slots(db, shift):
        raise DomainError("shift", N_("Es sind noch Plätze frei – Sie können die Schicht direkt übernehmen."))
    signup = Signup(shift_id=shift.id, person_id=person.id, state="waiting", created_at=now)
    db.add(signup)
    db.flush()
    db.expire(shift, ["signups"])
    volunteer_of(db, person).last_active_at = now
    return signup


def cancel_signup(db: Session, person: Person, signup: Signup, now: datetime,
                  cutoff: timedelta = CUTOFF) -> Signup | None:
    """Give a place back (until `cutoff` before the shift) or leave the waiting list (always).
    Returns the sign-up that moved up into the freed place, to be told by mail."""
    require(signup.person_id == person.id)
    if signup.state == "cancelled":
        return None
    refusal = too_late_to_cancel(signup.shift, now, cutoff) if signup.state == "taken" else None
    if refusal is not None:
        raise refusal
    return release(db, signup, now)


def too_late_to_cancel(shift: Shift, now: datetime, cutoff: timedelta = CUTOFF) -> DomainError | None:
    """Why a held place can no longer be given back online (None while it can): close to the shift
    the organiser must know in person, so it names whom to tell. The shift's block shows it too."""
    if shift.cancelled or now <= shift.starts_at - cutoff:
        return None
    contact = shift.contact or shift.event.contact or shift.event.organiser
    if contact is None:
        return DomainError("signup", N_("So kurz vor der Schicht können Sie nicht mehr online absagen. "
                                        "Bitte sagen Sie der Koordination des Netzwerks Bescheid."))
    return DomainError("signup", N_("So kurz vor der Schicht können Sie nicht mehr online absagen. "
                                    "Bitte sagen Sie %(contact)s Bescheid."), contact=contact.name)


def live_signup(db: Session, person: Person, shift: Shift) -> Signup | None:
    """The person's sign-up on the shift that is not cancelled (holding a place or waiting)."""
    return db.scalar(select(Signup).where(Signup.shift_id == shift.id, Signup.person_id == person.id,
                                          Signup.state != "cancelled"))


def _check_open(db: Session, person: Person, shift: Shift, now: datetime) -> None:
    """Refusals shared by taking a place and joining the waiting list, as the person reads them."""
    reason = not_taking_place(shift)
    if reason is not None:
        raise DomainError("shift", reason)
    if shift.starts_at <= now:
        raise DomainError("shift", N_("Diese Schicht hat schon begonnen oder ist vorbei."))
    existing = live_signup(db, person, shift)
    if existing is not None:
        raise DomainError("shift", N_("Sie haben diese Schicht schon übernommen.") if existing.state == "taken"
                          else N_("Sie stehen für diese Schicht schon auf der Warteliste."))
    other = overlapping_shift(db, person.id, shift)
    if other is not None:
        raise DomainError("shift", N_("Zur selben Zeit haben Sie schon eine Schicht: „%(task)s“ bei %(event)s."),
                          task=other.task, event=other.event.title)


# --- my shifts and hours ----------------------------------------------------------------------

@dataclass(frozen=True)
class MyShifts:
    """Held or awaited shifts still to come (soonest first), held ones that took place (latest first)."""

    upcoming: list[Signup]
    past: list[Signup]
    hours_this_year: float


def my_shifts(db: Session, person: Person, now: datetime) -> MyShifts:
    query = (select(Signup).join(Signup.shift).where(Signup.person_id == person.id, Signup.state != "cancelled")
             .options(selectinload(Signup.shift).selectinload(Shift.event).selectinload(Event.exceptions))
             .order_by(Shift.starts_at, Shift.id))
    signups = list(db.scalars(query))
    upcoming = [s for s in signups if s.shift.ends_at > now]
    past = [s for s in reversed(signups) if s.shift.ends_at <= now and s.state == "taken"]
    year = in_berlin(now).year
    start, end = (from_berlin(datetime.combine(date(y, 1, 1), time())) for y in (year, year + 1))
    return MyShifts(upcoming, past, hours_given(db, person, start, end))


def hours_given(db: Session, person: Person, start: datetime, end: datetime) -> float:
    """Confirmed hours of shifts that started in [start, end)."""
    minutes = db.scalar(select(func.coalesce(func.sum(Signup.minutes), 0)).where(
        Signup.person_id == person.id, Signup.worked_at >= start, Signup.worked_at < end))
    return minutes / 60


def confirm_attendance(db: Session, actor: Actor, shift: Shift, came: set[int] | None = None,
                       now: datetime | None = None) -> None:
    """After the shift, record who came (`came`: sign-up ids; None: everyone holding a place);
    they are credited with the shift's length, the others with nothing. Can be corrected later."""
    require(can_manage_shifts(db, actor, shift.event))
    reason = not_taking_place(shift)
    if reason is not None:
        raise DomainError("came", reason)
    if shift.ends_at > (now or utcnow()):
        raise DomainError("came", N_("Wer da war, lässt sich erst nach dem Ende der Schicht bestätigen."))
    taken = holders(shift)
    came = {signup.id for signup in taken} if came is None else came
    if not came <= {signup.id for signup in taken}:
        raise DomainError("came", N_("Bitte wählen Sie nur Personen, die sich für diese Schicht eingetragen haben."))
    minutes = int((shift.ends_at - shift.starts_at).total_seconds() // 60)
    for signup in taken:
        signup.attended = signup.id in came
        signup.minutes = minutes if signup.attended else None
    db.flush()
