"""Helper shifts (Helferschichten) on one date of an event: who manages them, adding, changing, cancelling.

A shift belongs to the date, not to the series: its `occurrence_start` is the date's original start
(Occurrence.recurrence_id), the key that survives moving the date. Places can only shrink down to the
people already holding one, so nobody loses a place they were promised without being asked.
Whether a shift still takes place is decided here alone (`takes_place`, with `not_taking_place` naming
why not and `not_called_off` as the SQL part of the rule), for sign-ups, moving up, the board, feeds and hours.
The public board of shifts still short of people is calendars/shift_board.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from calendars.events import can_moderate
from calendars.models import TASK_KINDS, Event, EventException, Shift, Signup
from calendars.models.shifts import MAX_PLACES
from calendars.occurrences import Occurrence, occurrence_on
from governance.errors import N_, Conflict, DomainError, NotFound
from governance.history import record_change
from governance.models import Membership, Person
from governance.permissions import Actor, require
from governance.times import in_berlin, today

__all__ = [
    "CUTOFF", "MAX_NOTES", "MAX_TASK", "ShiftDraft", "ShiftView", "add_shift",
    "called_off", "can_manage_shifts", "cancel_shift", "find_shift", "holders", "not_called_off", "not_taking_place",
    "shift_date", "shifts_on", "takes_place", "update_shift",
]

MAX_TASK = 120
MAX_NOTES = 10_000
MAX_SHIFT = timedelta(hours=24)  # hours count toward a volunteer's total: a longer "shift" is a typo
CUTOFF = timedelta(hours=24)  # closer to the shift, places are neither given back online nor moved up

SHIFT_CANCELLED = N_("Diese Schicht ist abgesagt.")
DATE_CANCELLED = N_("Dieser Termin ist abgesagt.")
DATE_GONE = N_("An diesem Tag findet kein Termin statt.")
NOT_APPROVED = N_("Dieser Termin ist noch nicht freigegeben.")


@dataclass(frozen=True)
class ShiftDraft:
    """What an organiser enters for a shift; the same for adding it and for changing it."""

    task: str
    task_kind: str
    starts_at: datetime
    ends_at: datetime
    places: int
    notes: str = ""
    contact: Person | None = None


# --- who may --------------------------------------------------------------------------------

def can_manage_shifts(db: Session, actor: Actor, event: Event) -> bool:
    """The submitter, today's representatives of the organising organisation, the chair of the event's
    working group, and the coordinator: the people who know what help the event needs."""
    if can_moderate(actor, event.group) or event.submitted_by_id == actor.person.id:
        return True
    return event.organiser_id is not None and _represents(db, actor.person, event.organiser_id)


def _represents(db: Session, person: Person, organisation_id: int) -> bool:
    memberships = db.scalars(select(Membership).where(Membership.person_id == person.id,
                                                      Membership.organisation_id == organisation_id))
    return any(membership.is_current(today()) for membership in memberships)


# --- does it take place --------------------------------------------------------------------

def not_taking_place(shift: Shift) -> str | None:
    """Why the shift does not take place (a msgid), None when it does: the shift is called off, its
    event or its date is cancelled, its date left the series (shortened or split), or the event awaits review."""
    event = shift.event
    if shift.cancelled:
        return SHIFT_CANCELLED
    if event.status == "cancelled":
        return DATE_CANCELLED
    occurrence = shift_date(shift)
    if occurrence is None:
        return DATE_GONE
    if occurrence.cancelled:
        return DATE_CANCELLED
    if event.review != "approved":
        return NOT_APPROVED
    return None


def takes_place(shift: Shift) -> bool:
    return not_taking_place(shift) is None


def called_off(shift: Shift) -> bool:
    """Not taking place for good (what feeds mark cancelled); an event awaiting review again is not."""
    return not_taking_place(shift) not in (None, NOT_APPROVED)


def shift_date(shift: Shift) -> Occurrence | None:
    """The event's date the shift belongs to (None when that date left the series)."""
    return occurrence_on(shift.event, in_berlin(shift.occurrence_start).date())


def not_called_off() -> list[ColumnElement[bool]]:
    """The part of the rule SQL can check (Shift joined with its Event): shift, event and date not
    cancelled. Whether the date is still in the series needs `takes_place` on the rows found."""
    date_cancelled = select(EventException.id).where(
        EventException.event_id == Shift.event_id, EventException.recurrence_id == Shift.occurrence_start,
        EventException.cancelled.is_(True)).exists()
    return [Shift.cancelled.is_(False), Event.status != "cancelled", ~date_cancelled]


# --- changes --------------------------------------------------------------------------------

def add_shift(db: Session, actor: Actor, event: Event, day: date, draft: ShiftDraft) -> Shift:
    """A shift on the event's date whose original start falls on `day` (Berlin), which must take place."""
    require(can_manage_shifts(db, actor, event))
    occurrence = occurrence_on(event, day)
    if occurrence is None:
        raise DomainError("date", DATE_GONE)
    if occurrence.cancelled:
        raise DomainError("date", DATE_CANCELLED)
    _check(draft)
    shift = Shift(event=event, occurrence_start=occurrence.recurrence_id, created_by_id=actor.person.id)
    _apply(shift, draft)
    db.add(shift)
    db.flush()
    record_change(db, actor.person, "shift", shift.id, "created", {"task": [None, shift.task]})
    return shift


def update_shift(db: Session, actor: Actor, shift: Shift, draft: ShiftDraft, version: int | None) -> Shift:
    """Change task, time, places, notes or contact. Fewer places than people holding one is refused,
    naming them, so the organiser talks to them first. Waiting people move up only by
    signups.fill_places (the web layer calls it when places grew, then mails them)."""
    require(can_manage_shifts(db, actor, shift.event))
    if version != shift.version_id:
        raise Conflict(shift)
    _check(draft)
    taken = holders(shift)
    if draft.places < len(taken):
        raise DomainError("places", N_("So viele haben schon zugesagt: %(names)s. Bitte sprechen Sie erst "
                                       "mit ihnen, bevor Sie Plätze streichen."),
                          names=", ".join(signup.person.name for signup in taken), count=len(taken))
    busy = _busy_elsewhere(db, shift, draft, taken)
    if busy:
        raise DomainError("starts_at", N_("Zu dieser Zeit haben %(names)s schon eine andere Schicht. Bitte sprechen "
                                          "Sie erst mit ihnen."), names=", ".join(busy))
    _apply(shift, draft)
    _compact_slots(db, shift, taken)
    record_change(db, actor.person, "shift", shift.id, "changed")
    return shift


def _busy_elsewhere(db: Session, shift: Shift, draft: ShiftDraft, taken: list[Signup]) -> list[str]:
    """Names of people holding a place here who hold another shift at the new time (no one holds two at once)."""
    if not taken:
        return []
    query = (select(Person.name).join(Signup, Signup.person_id == Person.id).join(Shift, Shift.id == Signup.shift_id)
             .where(Signup.person_id.in_([signup.person_id for signup in taken]), Signup.state == "taken",
                    Shift.id != shift.id, Shift.cancelled.is_(False),
                    Shift.starts_at < draft.ends_at, Shift.ends_at > draft.starts_at)
             .distinct().order_by(Person.name))
    return list(db.scalars(query))


def cancel_shift(db: Session, actor: Actor, shift: Shift) -> list[Signup]:
    """Call the shift off. Sign-ups keep their state, so feeds show the shift as cancelled;
    returns the live ones (to be told by mail), none when it was already cancelled."""
    require(can_manage_shifts(db, actor, shift.event))
    if shift.cancelled:
        return []
    shift.cancelled = True
    db.flush()
    record_change(db, actor.person, "shift", shift.id, "cancelled")
    return [signup for signup in shift.signups if signup.state != "cancelled"]


def find_shift(db: Session, shift_id: int) -> Shift:
    shift = db.get(Shift, shift_id)
    if shift is None:
        raise NotFound(shift_id)
    return shift


def holders(shift: Shift) -> list[Signup]:
    """The sign-ups holding a place, by place number."""
    return sorted((s for s in shift.signups if s.state == "taken"), key=lambda s: s.slot or 0)


# --- reading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShiftView:
    """A shift as an event page shows it: filled/needed, the waiting list's length, who holds a place."""

    shift: Shift
    taken: int
    waiting: int
    people: list[Person]


def shifts_on(db: Session, event: Event, occurrence_start: datetime) -> list[ShiftView]:
    """Every shift of one date (cancelled ones too, marked by `shift.cancelled`), earliest first."""
    query = (select(Shift).where(Shift.event_id == event.id, Shift.occurrence_start == occurrence_start)
             .options(selectinload(Shift.signups).selectinload(Signup.person), selectinload(Shift.contact))
             .order_by(Shift.starts_at, Shift.task, Shift.id))
    return [_view(shift) for shift in db.scalars(query)]


def _view(shift: Shift) -> ShiftView:
    taken = holders(shift)
    waiting = sum(1 for signup in shift.signups if signup.state == "waiting")
    return ShiftView(shift, len(taken), waiting, [signup.person for signup in taken])


# --- inner workings -------------------------------------------------------------------------

def _check(draft: ShiftDraft) -> None:
    task = draft.task.strip()
    if not task:
        raise DomainError("task", N_("Bitte geben Sie an, was zu tun ist."))
    if len(task) > MAX_TASK:
        raise DomainError("task", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_TASK)
    if draft.task_kind not in TASK_KINDS:
        raise DomainError("task_kind", N_("Bitte wählen Sie einen der angebotenen Werte."))
    if len(draft.notes.strip()) > MAX_NOTES:
        raise DomainError("notes", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_NOTES)
    if draft.ends_at <= draft.starts_at:
        raise DomainError("ends_at", N_("Das Ende liegt vor dem Beginn."))
    if draft.ends_at - draft.starts_at > MAX_SHIFT:
        raise DomainError("ends_at", N_("Eine Schicht dauert höchstens 24 Stunden."))
    if not 1 <= draft.places <= MAX_PLACES:
        raise DomainError("places", N_("Bitte geben Sie zwischen 1 und %(max)s Plätze an."), max=MAX_PLACES)


def _apply(shift: Shift, draft: ShiftDraft) -> None:
    shift.task, shift.task_kind, shift.notes = draft.task.strip(), draft.task_kind, draft.notes.strip()
    shift.starts_at, shift.ends_at, shift.places, shift.contact = (draft.starts_at, draft.ends_at, draft.places,
                                                                   draft.contact)


def _compact_slots(db: Session, shift: Shift, taken: list[Signup]) -> None:
    """After places shrank, holders beyond the last place move to free lower numbers, so the lowest
    free slot in 1…places always means a free place."""
    used = {signup.slot for signup in taken}
    free = iter(slot for slot in range(1, shift.places + 1) if slot not in used)
    for signup in taken:
        if signup.slot > shift.places:
            signup.slot = next(free)
    db.flush()
