"""The board "Wo wird Hilfe gebraucht?", its feed /shifts.ics, and shifts in a volunteer's personal feed."""

from datetime import timedelta

import icalendar
import vobject
from starlette.testclient import TestClient

from calendars.feeds import renew_token
from calendars.models import Shift
from calendars.shifts import cancel_shift
from calendars.volunteers import volunteer_of
from feed_parsers import read_by_all
from governance.permissions import Actor
from governance.times import today
from shift_pages import (LATER, SOON, at, festival, make_festival, people, person, send, sign_up, visitor, words)
from support import count_queries, page, text_of
from workspace.routes import shift_board

__all__ = ["festival", "people", "visitor"]  # fixtures


def listed(response) -> list[tuple[str, str, str, str]]:
    """(task, event, place, places left) of each shift on the board, in order."""
    return listed_on(page(response))


def listed_on(shown) -> list[tuple[str, str, str, str]]:
    return [(words(li.h3.a), words(li.select_one(".open-shift__event")), words(li.select_one(".open-shift__place")),
             words(li.select_one(".open-shift__left"))) for li in shown.select(".open-shift")]


def test_the_board_lists_every_shift_still_short_soonest_first(database, visitor, festival):
    make_festival(database, "Laternenumzug", LATER, area="West")
    sign_up(database, "second", festival.setup)  # full now: not on the board
    response = visitor(None).get("/shifts")
    assert text_of(page(response), "h1") == "Wo wird Hilfe gebraucht?"
    assert listed(response) == [("Kuchenstand", "Stadtteilfest", "Nordplatz, Nord", "2 Plätze frei"),
                                ("Aufbau", "Laternenumzug", "Nordplatz, West", "1 Platz frei"),
                                ("Kuchenstand", "Laternenumzug", "Nordplatz, West", "2 Plätze frei")]
    first = page(response).select_one(".open-shift")
    assert first.select_one(".open-shift__event a")["href"] == festival.path
    assert text_of(page(response), "#open-heading") == "3 Schichten suchen Helfende"


def test_cancelled_and_started_shifts_are_not_on_the_board(database, visitor, festival):
    make_festival(database, "Frühlingsfest", today() - timedelta(days=1), area="Süd")
    with database.transaction() as db:
        cancel_shift(db, Actor(person(db, "organiser")), db.get(Shift, festival.setup.id))
    assert [row[:2] for row in listed(visitor(None).get("/shifts"))] == [("Kuchenstand", "Stadtteilfest")]


def test_filters_by_area_kind_of_task_and_days_stay_in_the_url(database, visitor, festival):
    make_festival(database, "Laternenumzug", LATER, area="West")
    anonymous = visitor(None)
    assert [row[:2] for row in listed(anonymous.get("/shifts?area=west"))] == [
        ("Aufbau", "Laternenumzug"), ("Kuchenstand", "Laternenumzug")]
    assert [row[:2] for row in listed(anonymous.get("/shifts?kind=setup"))] == [
        ("Aufbau", "Stadtteilfest"), ("Aufbau", "Laternenumzug")]
    assert [row[:2] for row in listed(anonymous.get("/shifts?kind=setup&area=nord"))] == [
        ("Aufbau", "Stadtteilfest")]
    assert [row[:2] for row in listed(anonymous.get(f"/shifts?first={LATER}"))] == [
        ("Aufbau", "Laternenumzug"), ("Kuchenstand", "Laternenumzug")]
    assert [row[:2] for row in listed(anonymous.get(f"/shifts?last={SOON}"))] == [
        ("Aufbau", "Stadtteilfest"), ("Kuchenstand", "Stadtteilfest")]
    shown = page(anonymous.get(f"/shifts?kind=setup&first={SOON}"))
    assert shown.select_one("#f-kind-setup").has_attr("checked")
    assert not shown.select_one("#f-kind-catering").has_attr("checked")
    assert shown.select_one("#f-first")["value"] == SOON.isoformat()
    assert shown.select_one("#subscribe-url")["value"] == f"http://testserver/shifts.ics?kind=setup&first={SOON}"
    assert text_of(page(anonymous.get("/shifts?kind=driving")), ".open-shifts p") == (
        "Für diese Filter fehlen zurzeit keine Helfenden.")


def test_the_board_shows_a_page_at_a_time_and_more_keep_the_filters(database, visitor, festival, monkeypatch):
    monkeypatch.setattr(shift_board, "PAGE", 3)
    lantern = make_festival(database, "Laternenumzug", LATER, area="West")
    anonymous = visitor(None)
    first = page(anonymous.get("/shifts"))
    assert [row[:2] for row in listed_on(first)] == [
        ("Aufbau", "Stadtteilfest"), ("Kuchenstand", "Stadtteilfest"), ("Aufbau", "Laternenumzug")]
    assert text_of(first, "#open-heading") == "4 Schichten suchen Helfende"
    more = first.select_one(".pager a[rel=next]")
    assert (words(more), more["href"]) == ("Weitere Schichten", f"/shifts?after={lantern.setup.id}")
    assert [words(a) for a in first.select(".pager a")] == ["Weitere Schichten"]
    sign_up(database, "volunteer", festival.setup)  # filled meanwhile: the next page does not move
    second = page(anonymous.get(more["href"]))
    assert [row[:2] for row in listed_on(second)] == [("Kuchenstand", "Laternenumzug")]
    assert text_of(second, "#open-heading") == "3 Schichten suchen Helfende"
    assert [(words(a), a["href"]) for a in second.select(".pager a")] == [("Ab heute", "/shifts")]
    setup = page(anonymous.get("/shifts?kind=setup"))
    assert setup.select_one(".pager a[rel=next]") is None  # one left: it fits
    monkeypatch.setattr(shift_board, "PAGE", 1)
    catering = page(anonymous.get("/shifts?kind=catering"))
    later = catering.select_one(".pager a[rel=next]")["href"]
    assert later == f"/shifts?kind=catering&after={festival.cake.id}"
    assert [row[:2] for row in listed_on(page(anonymous.get(later)))] == [("Kuchenstand", "Laternenumzug")]


UNKNOWN = "Den Filterwert „{}“ gibt es nicht. Bitte wählen Sie die Filter aus der Liste."


def test_a_bad_filter_gets_a_message_and_400(visitor, festival):
    anonymous = visitor(None)
    for query, message in (
            ("first=2026-13-01", "„2026-13-01“ ist kein gültiges Datum. Bitte geben Sie es als JJJJ-MM-TT an."),
            ("last=morgen", "„morgen“ ist kein gültiges Datum. Bitte geben Sie es als JJJJ-MM-TT an."),
            ("first=2030-05-02&last=2030-05-01", "Der Zeitraum endet vor seinem Beginn."),
            ("kind=cooking", UNKNOWN.format("cooking")), ("area=atlantis", UNKNOWN.format("atlantis")),
            ("after=weiter", UNKNOWN.format("weiter")), ("after=999999", UNKNOWN.format("999999"))):
        response = anonymous.get(f"/shifts?{query}")
        assert response.status_code == 400, query
        assert text_of(page(response), "#filter-problem") == message
        assert listed(response) == []
    assert page(anonymous.get("/shifts?last=morgen")).select_one("#f-last")["value"] == "morgen"


def test_newcomers_are_led_to_register_and_volunteers_take_a_place_from_the_board(visitor, festival):
    register = page(visitor(None).get("/shifts")).select_one(".open-shift a.button")
    assert register["href"] == f"/volunteer/register?next=/shifts/{festival.setup.id}"  # 10:00, the first
    volunteer = visitor("volunteer")
    form = page(volunteer.get("/shifts")).select_one(".open-shift form")
    response = send(volunteer, form["action"], next=form.select_one("input[name=next]")["value"])
    assert response.headers["location"] == f"/shifts/{festival.setup.id}"
    shown = page(volunteer.get(response.headers["location"]))
    assert text_of(shown, ".flash") == "Danke! Sie sind für die Schicht eingetragen."
    assert text_of(shown, ".shift__mine") == "Sie sind eingetragen."


def test_the_board_costs_the_same_queries_for_one_event_or_three(database, app, people):
    make_festival(database, "Eins", SOON, area="A")
    engine, client = database.engine, TestClient(app, base_url="http://testserver")
    one = count_queries(engine, lambda: client.get("/shifts"))
    make_festival(database, "Zwei", SOON, area="B")
    make_festival(database, "Drei", LATER, area="C")
    assert len(page(client.get("/shifts")).select(".open-shift")) == 6
    # BEGIN, the shifts with their events, the events' changed dates and areas, the areas to filter by
    assert count_queries(engine, lambda: client.get("/shifts")) == one == 5


# The board as a feed ---------------------------------------------------------------------------

def test_the_board_feed_has_one_entry_per_open_shift_with_the_places_left(database, visitor, festival):
    sign_up(database, "volunteer", festival.cake)
    response = visitor(None).get("/shifts.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    entries = read_by_all(response.text)
    assert [(e.title, e.start, e.url, e.uid) for e in entries] == [
        ("Hilfe gesucht: Aufbau – Stadtteilfest (1 Platz frei)", at(SOON, "10:00"),
         f"http://testserver/shifts/{festival.setup.id}", f"shift-{festival.setup.id}@testserver"),
        ("Hilfe gesucht: Kuchenstand – Stadtteilfest (1 Platz frei)", at(SOON, "14:00"),
         f"http://testserver/shifts/{festival.cake.id}", f"shift-{festival.cake.id}@testserver")]
    assert {e.status for e in entries} == {"CONFIRMED"}
    assert entries[1].location == "Nordplatz, Nord"
    assert "Bitte Kuchen mitbringen." in entries[1].description
    assert "DTSTART;TZID=Europe/Berlin:" in response.text and "BEGIN:VTIMEZONE" in response.text
    calendar = vobject.readOne(response.text)
    assert calendar.x_wr_calname.value == "Wo wird Hilfe gebraucht? – Helferschichten Jena-Nord"


def test_the_board_feed_keeps_the_filters_and_answers_304(database, visitor, festival):
    anonymous = visitor(None)
    response = anonymous.get("/shifts.ics?kind=setup")
    assert [e.title for e in read_by_all(response.text)] == ["Hilfe gesucht: Aufbau – Stadtteilfest (1 Platz frei)"]
    again = anonymous.get("/shifts.ics?kind=setup", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    sign_up(database, "volunteer", festival.setup)  # full: it leaves the feed, the ETag changes
    changed = anonymous.get("/shifts.ics?kind=setup", headers={"If-None-Match": response.headers["etag"]})
    assert changed.status_code == 200 and read_by_all(changed.text) == []
    assert anonymous.get("/shifts.ics?kind=cooking").status_code == 400
    assert anonymous.get("/shifts.ics?first=gestern").status_code == 400


# A volunteer's personal feed -------------------------------------------------------------------

def personal_feed(database, visitor, role: str = "volunteer") -> str:
    with database.transaction() as db:
        token = renew_token(db, person(db, role)).token
    return visitor(None).get(f"/feeds/{token}.ics").text


def test_the_personal_feed_has_ones_shifts_with_a_reminder_at_the_lead_time(database, visitor, festival):
    sign_up(database, "volunteer", festival.cake)
    sign_up(database, "volunteer", festival.setup)
    with database.transaction() as db:
        volunteer_of(db, person(db, "volunteer")).lead_hours = 24
    text = personal_feed(database, visitor)
    entries = read_by_all(text)
    assert [(e.title, e.start, e.status, e.url) for e in entries] == [
        ("Helferschicht: Aufbau – Stadtteilfest", at(SOON, "10:00"), "CONFIRMED",
         f"http://testserver/shifts/{festival.setup.id}"),
        ("Helferschicht: Kuchenstand – Stadtteilfest", at(SOON, "14:00"), "CONFIRMED",
         f"http://testserver/shifts/{festival.cake.id}")]
    alarms = [event.walk("VALARM") for event in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert [alarm[0].decoded("trigger") for alarm in alarms] == [timedelta(hours=-24)] * 2
    assert text.count("TRIGGER:-P1D") == 2  # a whole day is nominal: the alarm keeps the wall-clock time


def test_the_default_lead_time_is_48_hours(database, visitor, festival):
    sign_up(database, "volunteer", festival.cake)
    assert "TRIGGER:-P2D" in personal_feed(database, visitor)


def test_a_cancelled_shift_stays_in_the_personal_feed_as_cancelled_and_a_returned_place_leaves(
        database, visitor, festival):
    held = sign_up(database, "volunteer", festival.cake)
    sign_up(database, "volunteer", festival.setup)
    with database.transaction() as db:
        cancel_shift(db, Actor(person(db, "organiser")), db.get(Shift, festival.setup.id))
    send(visitor("volunteer"), f"/signups/{held.id}/cancel")
    text = personal_feed(database, visitor)
    assert [(e.title, e.status) for e in read_by_all(text)] == [
        ("Helferschicht: Aufbau – Stadtteilfest", "CANCELLED")]
    assert "BEGIN:VALARM" not in text  # no reminder for what does not take place
