"""Shift entries are written as text, for speed; here each is held against the component icalendar
builds for the same shift (the way they were built before), byte for byte, and the feed is read back
by icalendar and vobject."""

from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from calendar_world import at, make_event
from calendars import ical
from calendars.events import change_date
from calendars.models import Volunteer
from calendars.recurrence import Recurrence
from calendars.shift_board import ShiftFilter, open_shifts
from calendars.shift_feeds import (TASK_KIND_LABELS, ShiftLinks, _cancelled_at, _description, _modified, _utc,
                                   my_shift_entries, open_shift_entries, place_of)
from calendars.shifts import cancel_shift
from calendars.signups import take_place
from governance.organisations import create_area
from governance.permissions import Actor
from governance.times import BERLIN, in_berlin
from shift_world import NOW, make_shift, volunteers

LINKS = ShiftLinks(shift=lambda shift_id: f"https://werkstadt.example/shifts/{shift_id}", uid_host="werkstadt.example")
SINCE = NOW - timedelta(days=365)
NOTES = ("Bitte Kuchen mitbringen; Teller, Gabeln und \"Servietten\" sind da.\nTreffpunkt: Hof\\Eingang B – "
         "die Schlüssel hat Frau Größe, die Schürzen liegen im Lager neben der Spülmaschine.")


def built(uid: str, shift, modified: datetime, summary: str, status: str) -> icalendar.Event:
    """What icalendar builds from the same facts: the yardstick for the written text."""
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
    component.add("url", LINKS.shift(shift.id))
    component.add("summary", summary)
    component.add("status", status)
    return component


def built_mine(signup, lead_hours: int) -> icalendar.Event:
    shift = signup.shift
    cancelled = _cancelled_at(shift) is not None
    summary = f"Helferschicht: {shift.task} – {shift.event.title}"
    component = built(f"signup-{signup.id}@werkstadt.example", shift, _modified(shift, signup.created_at), summary,
                      "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(hours=-lead_hours))  # icalendar writes whole days nominal: -P2D
        component.add_component(alarm)
    return component


@pytest.fixture
def world(db, coordinator):
    """A weekly series with one date moved to another place, a single event, shifts with notes that need
    escaping and folding, a contact, and Hanna holding a place on each."""
    area = create_area(db, "Nord, am Anger")
    series = make_event(db, coordinator, "Mittagstisch; Suppe", "2026-12-02 12:00", "2026-12-02 14:00", kind="offer",
                        recurrence=Recurrence("weekly"), area=area, place="Gemeindehaus")
    change_date(db, Actor(coordinator), series, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 14:00"),
                place="Turnhalle, Eingang Süd")
    fest = make_event(db, coordinator, "Stadtteilfest", "2026-12-05 10:00", "2026-12-05 18:00", kind="festival")
    hanna, = volunteers(db, "Hanna Helfer")
    shifts = [make_shift(db, coordinator, series, "Küche", "2026-12-09 11:00", "2026-12-09 14:30", kind="catering",
                         notes=NOTES, contact=coordinator),
              make_shift(db, coordinator, series, "Ausgabe", "2026-12-02 11:30", "2026-12-02 14:00", kind="catering"),
              make_shift(db, coordinator, fest, "Abbau bis in die Nacht", "2026-12-05 22:00", "2026-12-06 01:00",
                         kind="setup", places=3),
              make_shift(db, coordinator, fest, "Kinderschminken", "2026-12-05 10:00", "2026-12-05 12:00",
                         kind="children")]
    signups = [take_place(db, hanna, shift, NOW) for shift in shifts]
    cancel_shift(db, Actor(coordinator), shifts[3])
    db.flush()
    return hanna, signups


def test_each_entry_of_a_volunteers_shifts_is_what_icalendar_builds(db, world):
    hanna, signups = world
    entries = my_shift_entries(db, hanna, SINCE, SINCE, LINKS)
    expected = [built_mine(signup, 48) for signup in sorted(signups, key=lambda s: (s.shift.starts_at, s.shift.id))]
    assert [entry.text for entry in entries] == [component.to_ical().decode() for component in expected]
    assert [entry.modified for entry in entries] == [component["last-modified"].dt for component in expected]
    assert sum("STATUS:CANCELLED" in entry.text for entry in entries) == 1
    assert sum("\r\n " in entry.text for entry in entries) >= 1  # a long line was folded


def test_the_reminder_comes_at_the_volunteers_lead_time_in_hours(db, world):
    hanna, signups = world
    (db.get(Volunteer, hanna.id) or db.merge(Volunteer(person_id=hanna.id))).lead_hours = 5
    db.flush()
    entries = my_shift_entries(db, hanna, SINCE, SINCE, LINKS)
    assert [entry.text for entry in entries] == [
        built_mine(signup, 5).to_ical().decode()
        for signup in sorted(signups, key=lambda s: (s.shift.starts_at, s.shift.id))]
    assert {line for entry in entries for line in entry.text.split("\r\n") if line.startswith("TRIGGER")} == {
        "TRIGGER:-PT5H"}


def test_each_entry_of_the_board_feed_is_what_icalendar_builds(db, world):
    found = open_shifts(db, ShiftFilter(), NOW)
    found[0].event.status = "tentative"
    expected = []
    for item in found:
        places = "1 Platz frei" if item.places_left == 1 else f"{item.places_left} Plätze frei"
        component = built(f"shift-{item.shift.id}@werkstadt.example", item.shift, _modified(item.shift),
                          f"Hilfe gesucht: {item.shift.task} – {item.event.title} ({places})",
                          "TENTATIVE" if item.event.status == "tentative" else "CONFIRMED")
        component.add("transp", "TRANSPARENT")
        expected.append(component.to_ical().decode())
    assert [entry.text for entry in open_shift_entries(found, LINKS)] == expected
    assert len(expected) == 3 and "STATUS:TENTATIVE" in expected[0]


def test_the_written_entries_read_back_in_icalendar_and_vobject(db, world):
    hanna, signups = world
    entries = my_shift_entries(db, hanna, SINCE, SINCE, LINKS)
    text = ical.header("Werkstadt: Hanna Helfer") + "".join(entry.text for entry in entries) + ical.FOOTER
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    kitchen = next(e for e in events if str(e["summary"]) == "Helferschicht: Küche – Mittagstisch; Suppe")
    assert str(kitchen["description"]) == f"{NOTES}\n\nAufgabe: Essen und Getränke\nAnsprechperson: Kim Koordination"
    assert str(kitchen["location"]) == "Turnhalle, Eingang Süd, Nord, am Anger"
    assert kitchen.decoded("dtstart") == datetime(2026, 12, 9, 11, 0, tzinfo=BERLIN)
    assert kitchen.walk("VALARM")[0].decoded("trigger") == timedelta(hours=-48)
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED", "CONFIRMED"]
    read = vobject.readOne(text)
    assert [e.summary.value for e in read.vevent_list] == [str(e["summary"]) for e in events]
    night = read.vevent_list[2]
    assert (night.dtend.value.astimezone(timezone.utc), night.url.value) == (
        at("2026-12-06 01:00"), f"https://werkstadt.example/shifts/{signups[2].shift.id}")
    assert night.valarm.trigger.value == timedelta(hours=-48)
