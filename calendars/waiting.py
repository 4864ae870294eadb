"""Freeing a place and moving the waiting list up; shared by cancelling a sign-up and forgetting a person.

Whoever waited longest gets a freed place, unless they hold another shift at that time by now
(they stay on the list). Nobody moves up into a shift that does not take place, nor within the cut-off
before it: too late to plan for, so they stay waiting. The moved-up sign-ups are returned so the web layer can tell them by mail.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.models import Shift, Signup
from calendars.shifts import CUTOFF, takes_place


def overlapping_shift(db: Session, person_id: int, shift: Shift) -> Shift | None:
    """Another shift, not cancelled, where the person holds a place at an overlapping time.
    Touching shifts (one ends when the other starts) do not overlap."""
    query = (select(Shift).join(Signup, Signup.shift_id == Shift.id)
             .where(Signup.person_id == person_id, Signup.state == "taken", Shift.id != shift.id,
                    Shift.cancelled.is_(False), Shift.starts_at < shift.ends_at, Shift.ends_at > shift.starts_at)
             .order_by(Shift.starts_at).limit(1))
    return db.scalar(query)


def free_slots(db: Session, shift: Shift) -> list[int]:
    """Place numbers free as this session sees them, lowest first; the insert, not this list, has the last word."""
    used = set(db.scalars(select(Signup.slot).where(Signup.shift_id == shift.id, Signup.state == "taken")))
    return [slot for slot in range(1, shift.places + 1) if slot not in used]


def release(db: Session, signup: Signup, now: datetime) -> Signup | None:
    """Cancel the sign-up; a freed place goes to the first on the waiting list (returned), if any."""
    slot = signup.slot if signup.state == "taken" else None
    signup.state, signup.slot, signup.cancelled_at = "cancelled", None, now
    db.flush()  # the slot is free in the database before anyone takes it
    if slot is None or not _may_move_up(signup.shift, now):
        return None
    return _move_up(db, signup.shift, slot, now)


def fill_places(db: Session, shift: Shift, now: datetime) -> list[Signup]:
    """Move waiting people into every free place (after the organiser raised the places); returns them."""
    moved = []
    if not _may_move_up(shift, now):
        return moved
    for slot in free_slots(db, shift):
        signup = _move_up(db, shift, slot, now)
        if signup is None:
            break
        moved.append(signup)
    return moved


def _move_up(db: Session, shift: Shift, slot: int, now: datetime) -> Signup | None:
    query = (select(Signup).where(Signup.shift_id == shift.id, Signup.state == "waiting")
             .order_by(Signup.created_at, Signup.id))
    for waiting in list(db.scalars(query)):
        if overlapping_shift(db, waiting.person_id, shift) is None:
            waiting.state, waiting.slot = "taken", slot
            db.flush()
            return waiting
    return None


def _may_move_up(shift: Shift, now: datetime) -> bool:
    return now <= shift.starts_at - CUTOFF and takes_place(shift)
