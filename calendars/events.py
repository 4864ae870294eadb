"""Events of the neighbourhood calendar: submitting, reviewing, editing a series or one of its dates.

Members submit; the coordinator, and the chair of a working group for that group's events, approve,
reject with a reason, or edit. What a moderator enters is approved at once. Every change advances
the event's SEQUENCE and LAST-MODIFIED and rebuilds its kept VEVENT text in the same transaction.
Changes that can move dates bring the dates' shifts along (calendars.shift_dates) and return what that
did to them, so the web layer can tell the people on those shifts.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from calendars import ical
from calendars.models import EVENT_KINDS, EVENT_STATES, VISIBILITIES, Event, EventException
from calendars.occurrences import Occurrence, occurrence_on
from calendars.recurrence import WEEKDAY_CODES, Recurrence, check, last_start, normalised, rule, wall_time
from calendars.shift_dates import ShiftMoves, dates_of_shifts, follow
from governance.base import utcnow
from governance.errors import N_, Conflict, DomainError, NotFound
from governance.history import record_change
from governance.models import Area, Group, Organisation, Person, TargetGroup
from governance.permissions import Actor, require
from governance.slugs import make_slug
from governance.times import from_berlin

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_PLACE = 300
MAX_URL = 500
MAX_DAYS = 62
TOO_LONG = N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen).")


@dataclass(frozen=True)
class EventDraft:
    """What someone enters for an event; the same for submitting it and for changing it."""

    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool = False
    recurrence: Recurrence | None = None
    description: str = ""
    place: str = ""
    online_url: str = ""
    area: Area | None = None
    organiser: Organisation | None = None
    partners: tuple[Organisation, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()
    contact: Person | None = None
    group: Group | None = None
    visibility: str = "public"
    status: str = "confirmed"
    help_needed: str = ""
    fields: tuple[str, ...] = field(default=(), compare=False)


def all_day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """Berlin midnight of `first` to midnight after `last`, as UTC instants: an all-day event's span,
    and the window of Berlin days a calendar page lists."""
    return from_berlin(datetime.combine(first, time())), from_berlin(datetime.combine(last + timedelta(days=1), time()))


# --- who may do what -------------------------------------------------------------------------

def can_moderate(actor: Actor, group: Group | None) -> bool:
    """The coordinator for every event, a working group's chair for that group's events."""
    return actor.is_coordinator or (group is not None and group.level == "working"
                                    and actor.role_in(group) == "chair")


def can_edit(actor: Actor, event: Event) -> bool:
    """Moderators always; the submitter until the event is approved."""
    return can_moderate(actor, event.group) or (
        event.submitted_by_id == actor.person.id and event.review != "approved")


def can_see(actor: Actor | None, event: Event) -> bool:
    """The public sees approved public events, members approved internal ones too; the rest their editors."""
    if event.review == "approved" and (event.visibility == "public" or actor is not None):
        return True
    return actor is not None and can_edit(actor, event)


def is_moderator(db: Session, actor: Actor) -> bool:
    """Whether the actor moderates any events (the review queue is theirs): the same rule as can_moderate."""
    if actor.is_coordinator:
        return True
    groups = db.scalars(select(Group).where(Group.id.in_(list(actor.roles)), Group.level == "working"))
    return any(can_moderate(actor, group) for group in groups)


# --- changes ----------------------------------------------------------------------------------

def create_event(db: Session, actor: Actor, draft: EventDraft) -> Event:
    """Submit an event; a moderator's own event is approved at once."""
    _check(draft)
    event = Event(uid=f"{uuid.uuid4()}@werkstadt", slug=_free_slug(db, draft.title),
                  submitted_by_id=actor.person.id, review="submitted")
    _apply(event, draft)
    if can_moderate(actor, draft.group):
        _approve(event, actor)
    db.add(event)
    db.flush()
    ical.refresh(event)
    record_change(db, actor.person, "event", event.id, "created", {"title": [None, event.title]})
    return event


def update_event(db: Session, actor: Actor, event: Event, draft: EventDraft,
                 version: int | None) -> tuple[Event, ShiftMoves]:
    """Change the whole event (every date of a series); dates changed one by one, and shifts, follow when
    they can."""
    _check_change(actor, event, draft, version)
    before = dates_of_shifts(db, event)
    _apply(event, draft)
    if not can_moderate(actor, event.group):
        event.review = "submitted"  # a changed submission waits for review again
    _touch(event)
    _rekey_exceptions(event)
    ical.refresh(event)
    record_change(db, actor.person, "event", event.id, "changed")
    return event, follow(db, actor.person, event, before)


def review_event(db: Session, actor: Actor, event: Event, approve: bool, reason: str = "") -> Event:
    """Approve, or reject with a reason the submitter reads."""
    require(can_moderate(actor, event.group))
    reason = reason.strip()
    if approve:
        _approve(event, actor)
        event.review_reason = ""
    else:
        if not reason:
            raise DomainError("reason", N_("Bitte geben Sie einen Grund für die Ablehnung an."))
        if len(reason) > MAX_TEXT:
            raise DomainError("reason", TOO_LONG, max=MAX_TEXT)
        event.review, event.review_reason = "rejected", reason
        event.reviewed_by_id, event.reviewed_at = actor.person.id, utcnow()
    event.updated_at = utcnow()
    ical.refresh(event)
    record_change(db, actor.person, "event", event.id, "approved" if approve else "rejected",
                  {"reason": [None, reason]} if reason and not approve else None)
    return event


def change_date(db: Session, actor: Actor, event: Event, day: date, starts_at: datetime, ends_at: datetime,
                place: str = "", note: str = "", cancelled: bool = False) -> tuple[EventException, ShiftMoves]:
    """Move, change or cancel only one date of a series ("nur dieser Termin"); its shifts move with it."""
    require(can_edit(actor, event))
    occurrence = _date_of(event, day)
    if ends_at <= starts_at:
        raise DomainError("ends_at", N_("Das Ende liegt vor dem Beginn."))
    _check_length("place", place, MAX_PLACE)
    _check_length("note", note, MAX_TEXT)
    before = dates_of_shifts(db, event, occurrence.recurrence_id)
    exception = occurrence.exception
    if exception is None:
        exception = EventException(recurrence_id=occurrence.recurrence_id, sequence=0)
        event.exceptions.append(exception)
    else:
        exception.sequence += 1
    exception.starts_at, exception.ends_at = starts_at, ends_at
    exception.place, exception.note, exception.cancelled = place.strip(), note.strip(), cancelled
    exception.updated_at = utcnow()
    event.last_ends_at = _last_end(event)  # a date moved past the series' end still shows
    _touch(event)
    ical.refresh(event)
    record_change(db, actor.person, "event", event.id, "date_cancelled" if cancelled else "date_changed",
                  {"date": [None, day.isoformat()]})
    return exception, follow(db, actor.person, event, before)


def restore_date(db: Session, actor: Actor, event: Event, day: date) -> ShiftMoves:
    """Undo a change or cancellation of one date: it takes place as the series says, its shifts move back."""
    require(can_edit(actor, event))
    occurrence = _date_of(event, day)
    if occurrence.exception is None:
        return ShiftMoves()
    before = dates_of_shifts(db, event, occurrence.recurrence_id)
    event.exceptions.remove(occurrence.exception)
    event.last_ends_at = _last_end(event)
    _touch(event)
    ical.refresh(event)
    record_change(db, actor.person, "event", event.id, "date_restored", {"date": [None, day.isoformat()]})
    return follow(db, actor.person, event, before)


def split_series(db: Session, actor: Actor, event: Event, day: date, draft: EventDraft,
                 version: int | None) -> tuple[Event, ShiftMoves]:
    """Change this date and all following ones: the series ends before `day`, a new one starts on it.

    The draft is the new series as entered (its count counts from `day`; no repetition makes the
    rest one single date). Dates changed one by one after `day`, and their shifts, go to the new series
    when it has them. Returns the new series (the event itself when `day` is its first date).
    """
    _check_change(actor, event, draft, version)
    occurrence = _date_of(event, day)
    if occurrence.recurrence_id == event.starts_at:
        return update_event(db, actor, event, draft, version)
    before = dates_of_shifts(db, event)
    later = [e for e in event.exceptions if e.recurrence_id >= occurrence.recurrence_id]
    if event.repeat_count is not None:
        event.repeat_count = dates_before(event, day)
    else:
        event.repeat_until = day - timedelta(days=1)
    for exception in later:
        event.exceptions.remove(exception)
    event.last_ends_at = _last_end(event)
    _touch(event)
    ical.refresh(event)
    successor = create_event(db, actor, draft)
    successor.submitted_by_id = event.submitted_by_id  # still the submitter's event ("Meine Termine")
    for exception in later:
        moved = occurrence_on(successor, wall_time(exception.recurrence_id).date())
        if moved is not None:
            successor.exceptions.append(EventException(
                recurrence_id=moved.recurrence_id, sequence=0, cancelled=exception.cancelled, starts_at=exception.starts_at,
                ends_at=exception.ends_at, place=exception.place, note=exception.note, updated_at=utcnow()))
    ical.refresh(successor)
    record_change(db, actor.person, "event", event.id, "split", {"date": [None, day.isoformat()]})
    return successor, follow(db, actor.person, event, before, successor)


def find_event(db: Session, slug: str) -> Event:
    event = db.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(slug)
    return event


# --- inner workings ---------------------------------------------------------------------------

def _check_change(actor: Actor, event: Event, draft: EventDraft, version: int | None) -> None:
    """Who may change the event, into which group, and whether they saw the stored version."""
    require(can_edit(actor, event))
    if draft.group != event.group:  # moving it needs the right to moderate the new group's events
        require(can_moderate(actor, draft.group) or not can_moderate(actor, event.group))
    if version != event.version_id:
        raise Conflict(event)
    _check(draft)


def _check(draft: EventDraft) -> None:
    title = draft.title.strip()
    if not title:
        raise DomainError("title", N_("Bitte geben Sie einen Titel an."))
    for name, value, limit in (("title", title, MAX_TITLE), ("description", draft.description, MAX_TEXT),
                               ("place", draft.place, MAX_PLACE), ("online_url", draft.online_url, MAX_URL),
                               ("help_needed", draft.help_needed, MAX_TEXT)):
        _check_length(name, value, limit)
    if draft.online_url and not draft.online_url.startswith(("https://", "http://")):
        raise DomainError("online_url", N_("Bitte geben Sie eine Adresse an, die mit https:// beginnt."))
    if draft.kind not in EVENT_KINDS or draft.visibility not in VISIBILITIES or draft.status not in EVENT_STATES:
        raise DomainError("kind", N_("Bitte wählen Sie einen der angebotenen Werte."))
    if draft.ends_at <= draft.starts_at:
        raise DomainError("ends_at", N_("Das Ende liegt vor dem Beginn."))
    if draft.ends_at - draft.starts_at > timedelta(days=MAX_DAYS):
        raise DomainError("ends_at", N_("Ein Termin dauert höchstens %(days)s Tage."), days=MAX_DAYS)
    if draft.recurrence is not None:
        first = wall_time(draft.starts_at)
        check(draft.recurrence, first.date())
        last_start(normalised(draft.recurrence, first.date()), first)


def _check_length(name: str, value: str, limit: int) -> None:
    if len(value.strip()) > limit:
        raise DomainError(name, TOO_LONG, max=limit)


def _apply(event: Event, draft: EventDraft) -> None:
    event.title, event.kind, event.all_day = draft.title.strip(), draft.kind, draft.all_day
    event.starts_at, event.ends_at = draft.starts_at, draft.ends_at
    for name in ("description", "place", "online_url", "help_needed"):
        setattr(event, name, getattr(draft, name).strip())
    event.area, event.organiser, event.contact, event.group = draft.area, draft.organiser, draft.contact, draft.group
    event.partners, event.target_groups = list(draft.partners), list(draft.target_groups)
    event.visibility, event.status = draft.visibility, draft.status
    recurrence = draft.recurrence and normalised(draft.recurrence, wall_time(draft.starts_at).date())
    event.frequency = recurrence.frequency if recurrence else None
    event.repeat_interval = recurrence.interval if recurrence else 1
    event.weekdays = ",".join(WEEKDAY_CODES[day] for day in recurrence.weekdays) if recurrence else ""
    event.repeat_on = recurrence.on if recurrence else "date"
    event.repeat_until = recurrence.until if recurrence else None
    event.repeat_count = recurrence.count if recurrence else None
    event.last_ends_at = _last_end(event)


def _last_end(event: Event) -> datetime | None:
    recurrence = Recurrence.of(event)
    if recurrence is None:
        return event.ends_at
    first = wall_time(event.starts_at)
    last = last_start(recurrence, first)
    latest = max([e.ends_at for e in event.exceptions], default=None)
    if last is None:
        return None
    end = from_berlin(last + (wall_time(event.ends_at) - first))
    return max(end, latest) if latest else end


def _approve(event: Event, actor: Actor) -> None:
    event.review, event.reviewed_by_id, event.reviewed_at = "approved", actor.person.id, utcnow()


def _touch(event: Event) -> None:
    event.sequence += 1
    event.updated_at = utcnow()


def _date_of(event: Event, day: date) -> Occurrence:
    occurrence = occurrence_on(event, day) if event.is_recurring else None
    if occurrence is None:
        raise DomainError("date", N_("An diesem Tag findet kein Termin der Reihe statt."))
    return occurrence


def dates_before(event: Event, day: date) -> int:
    """How many dates of the series come before `day` (a split's old series keeps that many)."""
    first = wall_time(event.starts_at)
    before = datetime.combine(day, time()) - timedelta(seconds=1)
    return len(rule(Recurrence.of(event), first).between(first, before, inc=True))


def remaining_count(event: Event, day: date) -> int | None:
    """For a series with a count: how many dates are left from `day` on (what a split's form shows)."""
    if event.repeat_count is None:
        return None
    return max(event.repeat_count - dates_before(event, day), 1)


def _rekey_exceptions(event: Event) -> None:
    """After the whole event changed, keep each changed date the series still has on that day."""
    for exception in list(event.exceptions):
        day = wall_time(exception.recurrence_id).date()
        found = occurrence_on(event, day) if event.is_recurring else None
        if found is None:
            event.exceptions.remove(exception)
        else:
            exception.recurrence_id = found.recurrence_id
    event.last_ends_at = _last_end(event)


def _free_slug(db: Session, title: str) -> str:
    base = make_slug(title)[:90] or "termin"
    taken = set(db.scalars(select(Event.slug).where(Event.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def submissions_of(db: Session, person: Person) -> list[Event]:
    """What a person submitted, newest first, with its review state."""
    query = select(Event).where(Event.submitted_by_id == person.id).order_by(Event.created_at.desc())
    return list(db.scalars(query))


def review_queue(db: Session, actor: Actor) -> list[Event]:
    """Submissions waiting for this moderator, oldest first."""
    query = (select(Event).where(Event.review == "submitted").order_by(Event.created_at)
             .options(selectinload(Event.group), selectinload(Event.submitted_by)))
    return [event for event in db.scalars(query) if can_moderate(actor, event.group)]


def count_waiting(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Event).where(Event.review == "submitted")) or 0
