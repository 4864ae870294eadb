"""Helper shifts as iCal entries: a volunteer's own shifts, with a reminder at their lead time, for the
personal feed; and the shifts still short of people for the board's feed /shifts.ics.

calendars/feeds.py assembles the feeds; this module only builds entries, so the two do not import each other.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import icalendar
from icalendar.prop import vDuration
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from calendars.models import Event, Shift, Signup, Volunteer
from calendars.shift_board import OpenShift
from governance.models import Person
from governance.times import BERLIN, in_berlin

DEFAULT_LEAD_HOURS = 48
TASK_KIND_LABELS = {"setup": "Auf- und Abbau", "catering": "Essen und Getränke", "children": "Kinderbetreuung",
                    "stewarding": "Ordnerdienst", "driving": "Fahrdienst", "other": "Sonstiges"}


@dataclass(frozen=True)
class ShiftLinks:
    """What an entry links to: the shift's page (made by the web layer) and the host for UIDs."""

    shift: Callable[[int], str]
    uid_host: str


class ExactHours(vDuration):
    """A lead time written in hours (-PT48H). icalendar would write 48 hours as -P2D, and a duration in
    days is nominal: across a change to or from summer time the reminder would come an hour off the
    lead time the volunteer chose in hours."""

    def to_ical(self) -> bytes:
        return f"-PT{int(-self.td.total_seconds() // 3600)}H".encode()


# --- the volunteer's own shifts -----------------------------------------------------------------

def my_shift_entries(db: Session, person: Person, since: datetime, cancelled_since: datetime,
                     links: ShiftLinks) -> list[icalendar.Event]:
    """The shifts the person holds a place on that end after `since`; a cancelled one (the shift,
    its event or its date) with STATUS:CANCELLED for 30 days after the cancellation."""
    signups = db.scalars(select(Signup).join(Signup.shift)
                         .where(Signup.person_id == person.id, Signup.state == "taken", Shift.ends_at >= since)
                         .options(selectinload(Signup.shift).selectinload(Shift.event).selectinload(Event.exceptions),
                                  selectinload(Signup.shift).selectinload(Shift.contact))
                         .order_by(Shift.starts_at, Shift.id))
    lead = db.scalar(select(Volunteer.lead_hours).where(Volunteer.person_id == person.id)) or DEFAULT_LEAD_HOURS
    entries = []
    for signup in signups:
        cancelled_at = _cancelled_at(signup.shift)
        if cancelled_at is None or cancelled_at >= cancelled_since:
            entries.append(_mine(signup, lead, cancelled_at is not None, links))
    return entries


def left_my_feed_at(db: Session, person: Person) -> datetime | None:
    """When a shift last left the person's feed because they gave their place back (for Last-Modified)."""
    return db.scalar(select(func.max(Signup.cancelled_at)).where(Signup.person_id == person.id))


def _mine(signup: Signup, lead_hours: int, cancelled: bool, links: ShiftLinks) -> icalendar.Event:
    shift = signup.shift
    component = _entry(f"signup-{signup.id}@{links.uid_host}", shift, _modified(shift, signup.created_at), links)
    component.add("summary", f"Helferschicht: {shift.task} – {shift.event.title}")
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Helferschicht: {shift.task} – {shift.event.title}")
        alarm["TRIGGER"] = ExactHours(timedelta(hours=-lead_hours))
        component.add_component(alarm)
    return component


def _cancelled_at(shift: Shift) -> datetime | None:
    """When the shift stopped taking place (the latest of its own, its event's or its date's cancellation)."""
    event = shift.event
    moments = [shift.updated_at] if shift.cancelled else []
    moments += [event.updated_at] if event.status == "cancelled" else []
    moments += [e.updated_at for e in event.exceptions if e.recurrence_id == shift.occurrence_start and e.cancelled]
    return max(moments, default=None)


# --- the board's feed ---------------------------------------------------------------------------

def open_shift_entries(found: list[OpenShift], links: ShiftLinks) -> list[icalendar.Event]:
    """One entry per open shift, the places left in the title: that is what someone scanning wants."""
    return [_open(item, links) for item in found]


def _open(item: OpenShift, links: ShiftLinks) -> icalendar.Event:
    shift, event = item.shift, item.event
    component = _entry(f"shift-{shift.id}@{links.uid_host}", shift, _modified(shift), links)
    places = "1 Platz frei" if item.places_left == 1 else f"{item.places_left} Plätze frei"
    component.add("summary", f"Hilfe gesucht: {shift.task} – {event.title} ({places})")
    component.add("status", "TENTATIVE" if event.status == "tentative" else "CONFIRMED")
    component.add("transp", "TRANSPARENT")  # a chance to help, not a busy time
    return component


def board_changed_at(db: Session, now: datetime) -> datetime | None:
    """The newest change that can move a shift into or out of the board: a shift, an event, a sign-up,
    or a shift that began (it leaves the board)."""
    moments = db.execute(select(
        select(func.max(Shift.updated_at)).scalar_subquery(),
        select(func.max(Event.updated_at)).scalar_subquery(),
        select(func.max(Signup.created_at)).scalar_subquery(),
        select(func.max(Signup.cancelled_at)).scalar_subquery(),
        select(func.max(Shift.starts_at)).where(Shift.starts_at <= now).scalar_subquery())).one()
    return max((moment for moment in moments if moment is not None), default=None)


# --- shared -------------------------------------------------------------------------------------

def _entry(uid: str, shift: Shift, modified: datetime, links: ShiftLinks) -> icalendar.Event:
    """UID, stamps, Berlin times, place, description and URL; SEQUENCE only grows (version plus the
    seconds from creation to the last change, as meetings do)."""
    created = _utc(shift.created_at)
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", modified)
    component.add("created", created)
    component.add("last-modified", modified)
    component.add("sequence", shift.version_id - 1 + int((modified - created).total_seconds()))
    component.add("dtstart", in_berlin(shift.starts_at).replace(tzinfo=BERLIN))
    component.add("dtend", in_berlin(shift.ends_at).replace(tzinfo=BERLIN))
    location = ", ".join(part for part in (place_of(shift), shift.event.area.name if shift.event.area else "") if part)
    if location:
        component.add("location", location)
    component.add("description", _description(shift))
    component.add("categories", [TASK_KIND_LABELS[shift.task_kind]])
    component.add("url", links.shift(shift.id))
    return component


def place_of(shift: Shift) -> str:
    """The date's own place when it was changed, else the event's."""
    changed = [e.place for e in shift.event.exceptions if e.recurrence_id == shift.occurrence_start and e.place]
    return changed[0] if changed else shift.event.place


def _description(shift: Shift) -> str:
    facts = [("Aufgabe", TASK_KIND_LABELS[shift.task_kind]),
             ("Ansprechperson", shift.contact.name if shift.contact else "")]
    lines = "\n".join(f"{label}: {value}" for label, value in facts if value)
    return "\n\n".join(part for part in (shift.notes.strip(), lines) if part)


def _modified(shift: Shift, *more: datetime) -> datetime:
    """The newest change the entry shows: the shift's, its event's (cancelled, renamed), its date's."""
    event = shift.event
    moments = [shift.updated_at, shift.created_at, event.updated_at, *more]
    moments += [e.updated_at for e in event.exceptions if e.recurrence_id == shift.occurrence_start]
    return max(_utc(moment) for moment in moments)


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(timezone.utc).replace(microsecond=0)
