"""Helper shifts as iCal entries: a volunteer's own shifts, with a reminder at their lead time, for the
personal feed; and the shifts still short of people for the board's feed /shifts.ics.

calendars/feeds.py assembles the feeds; this module only builds entries, so the two do not import each other.
The entries are written line by line with icalendar's value encoders (TEXT escaping, folding), in the
order icalendar sorts properties: building a component per shift cost ~0.8 ms, and a busy volunteer holds
hundreds. tests/calendars/test_shift_feeds.py checks the text against what icalendar builds.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from calendars.reminders.leads import ical_duration, leads
from calendars.ical import Entry, berlin_line, fold, text_line, utc_line
from calendars.models import Event, Shift, Signup, Volunteer
from calendars.shift_board import OpenShift
from calendars.shifts import called_off
from governance.models import Person

TASK_KIND_LABELS = {"setup": "Auf- und Abbau", "catering": "Essen und Getränke", "children": "Kinderbetreuung",
                    "stewarding": "Ordnerdienst", "driving": "Fahrdienst", "other": "Sonstiges"}
_CATEGORIES = {kind: text_line("CATEGORIES", label) for kind, label in TASK_KIND_LABELS.items()}  # written once


@dataclass(frozen=True)
class ShiftLinks:
    """What an entry links to: the shift's page (made by the web layer) and the host for UIDs."""

    shift: Callable[[int], str]
    uid_host: str


# --- the volunteer's own shifts -----------------------------------------------------------------

def my_shift_entries(db: Session, person: Person, since: datetime, cancelled_since: datetime,
                     links: ShiftLinks) -> list[Entry]:
    """The shifts the person holds a place on that end after `since`; a cancelled one (the shift,
    its event or its date) with STATUS:CANCELLED for 30 days after the cancellation."""
    shift, event = contains_eager(Signup.shift), contains_eager(Signup.shift).contains_eager(Shift.event)
    # The shift, its event, area and contact come with the sign-up; the changed dates in one more query.
    signups = db.scalars(select(Signup).join(Signup.shift).join(Shift.event)
                         .where(Signup.person_id == person.id, Signup.state == "taken", Shift.ends_at >= since)
                         .options(shift.joinedload(Shift.contact), event.joinedload(Event.area),
                                  event.selectinload(Event.exceptions))
                         .order_by(Shift.starts_at, Shift.id))
    lead = db.scalar(select(Volunteer.lead_hours).where(Volunteer.person_id == person.id)) or leads(db)["shift_upcoming", 0]
    entries = []
    for signup in signups:
        cancelled_at = _cancelled_at(signup.shift)
        if cancelled_at is None or cancelled_at >= cancelled_since:
            entries.append(_mine(signup, lead, cancelled_at is not None, links))
    return entries


def left_my_feed_at(db: Session, person: Person) -> datetime | None:
    """When a shift last left the person's feed because they gave their place back (for Last-Modified)."""
    return db.scalar(select(func.max(Signup.cancelled_at)).where(Signup.person_id == person.id))


def _mine(signup: Signup, lead_hours: int, cancelled: bool, links: ShiftLinks) -> Entry:
    shift = signup.shift
    modified = _modified(shift, signup.created_at)
    summary = f"Helferschicht: {shift.task} – {shift.event.title}"
    # Whole days of the lead are nominal (-P2D): the alarm rings at the wall-clock time the reminder
    # mail goes out (calendars.reminders.leads.before), also across a change to or from summer time.
    alarm = "" if cancelled else "".join(f"{line}\r\n" for line in (
        "BEGIN:VALARM", "ACTION:DISPLAY", text_line("DESCRIPTION", summary), f"TRIGGER:{ical_duration(lead_hours)}",
        "END:VALARM"))
    text = _entry(f"signup-{signup.id}@{links.uid_host}", shift, modified, links, summary,
                  "CANCELLED" if cancelled else "CONFIRMED", tail=alarm)
    return Entry(text, modified)


def _cancelled_at(shift: Shift) -> datetime | None:
    """When the shift stopped taking place (calendars.shifts.called_off): the latest of its own, its
    event's or its date's cancellation; the event's last change when its date left the series."""
    if not called_off(shift):
        return None
    event = shift.event
    moments = [shift.updated_at] if shift.cancelled else []
    moments += [event.updated_at] if event.status == "cancelled" else []
    moments += [e.updated_at for e in event.exceptions if e.recurrence_id == shift.occurrence_start and e.cancelled]
    return max(moments, default=event.updated_at)


# --- the board's feed ---------------------------------------------------------------------------

def open_shift_entries(found: list[OpenShift], links: ShiftLinks) -> list[Entry]:
    """One entry per open shift, the places left in the title: that is what someone scanning wants."""
    return [_open(item, links) for item in found]


def _open(item: OpenShift, links: ShiftLinks) -> Entry:
    shift, event = item.shift, item.event
    modified = _modified(shift)
    places = "1 Platz frei" if item.places_left == 1 else f"{item.places_left} Plätze frei"
    text = _entry(f"shift-{shift.id}@{links.uid_host}", shift, modified, links,
                  f"Hilfe gesucht: {shift.task} – {event.title} ({places})",
                  "TENTATIVE" if event.status == "tentative" else "CONFIRMED",
                  transparent=True)  # a chance to help, not a busy time
    return Entry(text, modified)


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

def _entry(uid: str, shift: Shift, modified: datetime, links: ShiftLinks, summary: str, status: str,
           transparent: bool = False, tail: str = "") -> str:
    """A VEVENT with UID, stamps, Berlin times, place, description and URL; `tail` goes before its END
    (an alarm). SEQUENCE only grows (version plus the seconds from creation to the last change, as
    meetings do). The properties in icalendar's order: its canonical ones, then the rest by name."""
    created = _utc(shift.created_at)
    location = ", ".join(part for part in (place_of(shift), shift.event.area.name if shift.event.area else "") if part)
    lines = [
        "BEGIN:VEVENT", text_line("SUMMARY", summary),
        berlin_line("DTSTART", shift.starts_at), berlin_line("DTEND", shift.ends_at),
        utc_line("DTSTAMP", modified), text_line("UID", uid),
        f"SEQUENCE:{shift.version_id - 1 + int((modified - created).total_seconds())}",
        _CATEGORIES[shift.task_kind], utc_line("CREATED", created),
        text_line("DESCRIPTION", _description(shift)), utc_line("LAST-MODIFIED", modified),
        *([text_line("LOCATION", location)] if location else []), f"STATUS:{status}",
        *(["TRANSP:TRANSPARENT"] if transparent else []), fold(f"URL:{links.shift(shift.id)}"),
    ]
    return "\r\n".join(lines) + "\r\n" + tail + "END:VEVENT\r\n"


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
