"""A feed as three independent parsers read it (icalendar, vobject, ical), reduced to what a calendar
program shows, so a test can demand that all three agree and then assert the content once."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream


@dataclass(frozen=True)
class Entry:
    """One VEVENT: its start is an instant in UTC, or a date for an all-day entry."""

    uid: str
    title: str
    start: datetime | date
    end: datetime | date | None
    status: str
    recurrence_id: datetime | date | None
    description: str
    location: str
    url: str


def _moment(value: datetime | date | None) -> datetime | date | None:
    return value.astimezone(timezone.utc) if isinstance(value, datetime) else value


def by_icalendar(text: str) -> list[Entry]:
    def get(component, name: str) -> str:
        return str(component.get(name, ""))

    return [Entry(get(c, "uid"), get(c, "summary"), _moment(c.decoded("dtstart")),
                  _moment(c.decoded("dtend")) if "dtend" in c else None, get(c, "status"),
                  _moment(c["recurrence-id"].dt) if "recurrence-id" in c else None,
                  get(c, "description"), get(c, "location"), get(c, "url"))
            for c in icalendar.Calendar.from_ical(text).walk("VEVENT")]


def by_vobject(text: str) -> list[Entry]:
    def get(component, name: str):
        line = getattr(component, name, None)
        return line.value if line is not None else ""

    return [Entry(get(e, "uid"), get(e, "summary"), _moment(get(e, "dtstart")), _moment(get(e, "dtend") or None),
                  get(e, "status"), _moment(get(e, "recurrence_id") or None), get(e, "description"),
                  get(e, "location"), get(e, "url"))
            for e in getattr(vobject.readOne(text), "vevent_list", [])]


def by_ical(text: str) -> list[Entry]:
    return [Entry(e.uid, e.summary, _moment(e.dtstart), _moment(e.dtend), e.status.value if e.status else "",
                  _moment(_recurrence_id(e.recurrence_id, e.dtstart)), e.description or "", e.location or "",
                  e.url or "")
            for e in IcsCalendarStream.calendar_from_ics(text).events]


def _recurrence_id(value: str | None, start: datetime | date) -> datetime | date | None:
    """The `ical` package keeps RECURRENCE-ID as its text; read it in the zone of the entry's start."""
    if not value:
        return None
    if re.fullmatch(r"\d{8}", value):
        return datetime.strptime(value, "%Y%m%d").date()
    moment = datetime.strptime(value.removesuffix("Z"), "%Y%m%dT%H%M%S")
    return moment.replace(tzinfo=timezone.utc if value.endswith("Z") else start.tzinfo)


def read_by_all(text: str) -> list[Entry]:
    """The entries, soonest first, after checking that all three parsers read exactly the same."""
    icalendar_view, vobject_view, ical_view = (
        sorted(parse(text), key=lambda entry: (str(entry.start), entry.uid, str(entry.recurrence_id)))
        for parse in (by_icalendar, by_vobject, by_ical))
    assert icalendar_view == vobject_view, "icalendar and vobject read the feed differently"
    assert icalendar_view == ical_view, "icalendar and ical read the feed differently"
    return icalendar_view


def summary(entries: list[Entry]) -> list[tuple]:
    """(title, start, status) of each entry: what a person scanning their calendar sees."""
    return [(entry.title, entry.start, entry.status) for entry in entries]
