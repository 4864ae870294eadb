"""RFC 5545 text: each event's VEVENT is built by `icalendar` when the event changes and kept;
a feed is a header, the kept texts with their URL and a footer.

Building 5,000 events with icalendar on every request takes seconds; joining kept text takes
milliseconds. The URL is added when a feed is assembled because the domain does not know the
site's address; so is the EXDATE of a series' long-cancelled dates, because which cancellations
are old enough to be excluded depends on the day, and a kept text must not.
"""

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone

import icalendar
from icalendar.parser import Contentline

from calendars.models import Event, EventException
from calendars.recurrence import Recurrence, ical_rule, wall_time
from governance.times import BERLIN, in_berlin

PRODID = "-//Werkstadt//Stadtteilkalender//DE"
REFRESH = "PT1H"
KIND_LABELS = {"festival": "Fest", "tradition": "Tradition", "event": "Veranstaltung", "offer": "Angebot"}
STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}

# Europe/Berlin as calendar programs ship it (EU rules since 1996); Google and Outlook need it spelled out.
VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "X-LIC-LOCATION:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)
FOOTER = "END:VCALENDAR\r\n"
_END = "END:VEVENT\r\n"


def header(name: str, description: str = "") -> str:
    """VCALENDAR start with the feed's name, refresh hints and the time zone."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        text_line("X-WR-CALNAME", name), "X-WR-TIMEZONE:Europe/Berlin",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    if description:
        lines.append(text_line("X-WR-CALDESC", description))
    return "".join(f"{line}\r\n" for line in lines) + VTIMEZONE


@dataclass(frozen=True)
class Entry:
    """One component as text with its LAST-MODIFIED: what a small feed (a person's, a group's, the
    shifts') is joined from, and its Last-Modified."""

    text: str
    modified: datetime

    @classmethod
    def of(cls, component: icalendar.Event) -> "Entry":
        return cls(component.to_ical().decode(), component["last-modified"].dt)


def text_line(name: str, value: str) -> str:
    """One folded content line with a TEXT value escaped (backslash, ; , and newlines)."""
    return fold(f"{name}:{icalendar.vText(value).to_ical().decode()}")


def utc_line(name: str, instant: datetime) -> str:
    """A DATE-TIME in UTC (DTSTAMP, CREATED, LAST-MODIFIED), whole seconds, as icalendar writes it."""
    return f"{name}:{instant.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def berlin_line(name: str, instant: datetime) -> str:
    """A DATE-TIME in Berlin wall time with its TZID (DTSTART, DTEND), as icalendar writes it."""
    return f"{name};TZID=Europe/Berlin:{in_berlin(instant):%Y%m%dT%H%M%S}"


def with_urls(rows: Iterable[tuple[str, bytes]], url: Callable[[str], str],
              exdates: Mapping[str, bytes] | None = None) -> bytes:
    """Kept VEVENTs as UTF-8 bytes, each with its URL line (and its EXDATE line from `exdates`, by
    slug, when it has one), joined into one chunk (copied once)."""
    parts: list = []
    for slug, vevent in rows:
        if exdates and slug in exdates:
            vevent = with_exdate(vevent, exdates[slug])
        parts += (memoryview(vevent)[: -len(_END)], _url_tail(url(slug)))
    return b"".join(parts)


def exdate_line(instants: Iterable[datetime], all_day: bool) -> bytes:
    """One folded EXDATE line (CRLF included) for these original starts: Berlin wall time with its
    TZID, or dates for an all-day series, as icalendar writes them."""
    moments = [local(instant, all_day) for instant in instants]
    if all_day:
        line = "EXDATE;VALUE=DATE:" + ",".join(f"{moment:%Y%m%d}" for moment in moments)
    else:
        line = "EXDATE;TZID=Europe/Berlin:" + ",".join(f"{moment:%Y%m%dT%H%M%S}" for moment in moments)
    return f"{fold(line)}\r\n".encode()


def with_exdate(vevent: bytes, line: bytes) -> bytes:
    """A series' kept VEVENT with an EXDATE line right after its RRULE, where icalendar puts it."""
    vevent = bytes(vevent)  # a driver may hand over a memoryview
    end = vevent.index(b"\r\nRRULE:") + 2
    while True:  # to the end of the (possibly folded) RRULE line
        end = vevent.index(b"\r\n", end) + 2
        if vevent[end:end + 1] not in (b" ", b"\t"):
            return vevent[:end] + line + vevent[end:]


@functools.lru_cache(maxsize=20_000)
def _url_tail(url: str) -> bytes:
    """The URL line and END:VEVENT, folded and encoded once per URL rather than on every request."""
    return f"{fold(f'URL:{url}')}\r\n{_END}".encode()


def fold(line: str) -> str:
    """A content line folded at 75 octets on character boundaries (RFC 5545 3.1); short ones as they are."""
    if len(line.encode()) < 75:
        return line
    return Contentline(line).to_ical().decode()


def local(instant: datetime, all_day: bool) -> datetime | date:
    """A value in Berlin wall time with its TZID, or the Berlin date for all-day events."""
    moment = in_berlin(instant)
    return moment.date() if all_day else moment.replace(tzinfo=BERLIN)


def event_text(event: Event) -> str:
    """The series (or single) VEVENT of an event, without URL."""
    return event_component(event).to_ical().decode()


def event_component(event: Event) -> icalendar.Event:
    """The series (or single) VEVENT as an icalendar component (the naive feed builds these per request).

    Cancelled dates are not excluded here: a feed shows a fresh cancellation as an override with
    STATUS:CANCELLED (its RECURRENCE-ID must name a date of the set) and adds the EXDATE later.
    """
    component = _stamped(event.uid, event.sequence, event.created_at, event.updated_at)
    component.add("dtstart", local(event.starts_at, event.all_day))
    component.add("dtend", local(event.ends_at, event.all_day))
    recurrence = Recurrence.of(event)
    if recurrence is not None:
        component.add("rrule", ical_rule(recurrence, wall_time(event.starts_at), event.all_day))
    _describe(component, event, event.place)
    component.add("status", STATUS[event.status])
    return component


def exception_text(exception: EventException) -> str:
    """The VEVENT that replaces one date of a series (RECURRENCE-ID), moved or cancelled."""
    return exception_component(exception).to_ical().decode()


def exception_component(exception: EventException) -> icalendar.Event:
    event = exception.event
    # Never below the series' own SEQUENCE: some programs ignore an override that looks older.
    component = _stamped(event.uid, max(event.sequence, exception.sequence), event.created_at, exception.updated_at)
    component.add("recurrence-id", local(exception.recurrence_id, event.all_day))
    component.add("dtstart", local(exception.starts_at, event.all_day))
    component.add("dtend", local(exception.ends_at, event.all_day))
    _describe(component, event, exception.place or event.place, exception.note)
    cancelled = exception.cancelled or event.status == "cancelled"
    component.add("status", "CANCELLED" if cancelled else STATUS[event.status])
    return component


def refresh(event: Event) -> None:
    """Rebuild the kept texts of an event and its changed dates; call after every change."""
    event.ical = event_text(event)
    for exception in event.exceptions:
        exception.ical = exception_text(exception)


def _stamped(uid: str, sequence: int, created: datetime, modified: datetime) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", _utc(modified))
    component.add("created", _utc(created))
    component.add("last-modified", _utc(modified))
    component.add("sequence", sequence)
    return component


def _describe(component: icalendar.Event, event: Event, place: str, note: str = "") -> None:
    component.add("summary", event.title)
    text = description(event, note)
    if text:
        component.add("description", text)
    location = ", ".join(part for part in (place, event.area.name if event.area else "", event.online_url) if part)
    if location:
        component.add("location", location)
    component.add("categories", [KIND_LABELS[event.kind]])
    component.add("class", "PUBLIC" if event.visibility == "public" else "PRIVATE")


def description(event: Event, note: str = "") -> str:
    """Description text with who organises, who takes part, whom it reaches, and what help is needed."""
    parts = [note, event.description]
    facts = [
        ("Veranstalter", event.organiser.name if event.organiser else ""),
        ("Unter Beteiligung von", ", ".join(p.name for p in event.partners)),
        ("Für", ", ".join(t.name for t in event.target_groups)),
        ("Hilfe gesucht", event.help_needed),
        ("Online", event.online_url),
    ]
    parts.append("\n".join(f"{label}: {value}" for label, value in facts if value))
    return "\n\n".join(part.strip() for part in parts if part.strip())


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(timezone.utc).replace(microsecond=0)

