"""The dates of an event in a window: overlap, multi-day all-day events, moved and cancelled dates."""

from datetime import date

from calendar_world import at, make_all_day, make_event
from calendars.events import change_date
from calendars.occurrences import occurrence_on, occurrences
from calendars.recurrence import Recurrence
from governance.permissions import Actor


def keys(found) -> list[str]:
    return [o.key for o in found]


def test_a_single_event_shows_in_windows_it_overlaps(db, coordinator):
    talk = make_event(db, coordinator, "Vortrag", "2026-12-02 12:00", "2026-12-02 13:00")
    assert keys(occurrences(talk, at("2026-12-02 12:30"), at("2026-12-02 14:00"))) == ["2026-12-02"]
    assert keys(occurrences(talk, at("2026-12-02 11:00"), at("2026-12-02 12:01"))) == ["2026-12-02"]
    # The window is half open, and so is the event: touching is not overlapping.
    assert occurrences(talk, at("2026-12-02 13:00"), at("2026-12-02 14:00")) == []
    assert occurrences(talk, at("2026-12-02 11:00"), at("2026-12-02 12:00")) == []


def test_a_series_lists_only_dates_that_overlap_the_window(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    assert keys(occurrences(lunch, at("2026-12-09 12:30"), at("2026-12-23 12:00"))) == ["2026-12-09", "2026-12-16"]
    assert occurrences(lunch, at("2026-11-01 00:00"), at("2026-12-02 12:00")) == []


def test_a_multi_day_all_day_event_shows_on_each_of_its_days(db, coordinator):
    week = make_all_day(db, coordinator, "Woche der seelischen Gesundheit", date(2026, 10, 12), date(2026, 10, 18),
                        recurrence=Recurrence("yearly"))
    # A window on the last day of the 2027 week still finds the date that began six days earlier.
    found = occurrences(week, at("2027-10-18 00:00"), at("2027-10-19 00:00"))
    assert [(o.key, o.first_day, o.last_day) for o in found] == [
        ("2027-10-12", date(2027, 10, 12), date(2027, 10, 18))]
    assert occurrences(week, at("2027-10-19 00:00"), at("2027-10-20 00:00")) == []
    assert occurrences(week, at("2027-10-11 00:00"), at("2027-10-12 00:00")) == []


def test_a_date_moved_into_the_window_from_outside_it_shows(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-20 12:00"), at("2026-12-20 13:00"))
    found = occurrences(lunch, at("2026-12-19 00:00"), at("2026-12-21 00:00"))
    assert [(o.key, o.starts_at, o.moved) for o in found] == [("2026-12-09", at("2026-12-20 12:00"), True)]


def test_a_date_moved_out_of_the_window_is_gone_from_it(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-20 12:00"), at("2026-12-20 13:00"))
    assert occurrences(lunch, at("2026-12-09 00:00"), at("2026-12-10 00:00")) == []
    # A window over both places lists it once, at its new time, in date order.
    found = occurrences(lunch, at("2026-12-08 00:00"), at("2026-12-24 00:00"))
    assert [(o.key, o.first_day) for o in found] == [
        ("2026-12-16", date(2026, 12, 16)), ("2026-12-09", date(2026, 12, 20)), ("2026-12-23", date(2026, 12, 23))]


def test_occurrence_on_a_day_of_a_series(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    found = occurrence_on(lunch, date(2026, 12, 16))
    assert (found.recurrence_id, found.starts_at, found.ends_at) == (
        at("2026-12-16 12:00"), at("2026-12-16 12:00"), at("2026-12-16 13:00"))
    assert occurrence_on(lunch, date(2026, 12, 17)) is None
    assert occurrence_on(lunch, date(2026, 11, 25)) is None  # before the series begins


def test_occurrence_on_finds_a_moved_date_by_its_original_day(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 14:00"), at("2026-12-10 15:00"),
                place="Gemeindehaus")
    found = occurrence_on(lunch, date(2026, 12, 9))
    assert (found.key, found.starts_at, found.place, found.moved, found.cancelled) == (
        "2026-12-09", at("2026-12-10 14:00"), "Gemeindehaus", True, False)
    assert occurrence_on(lunch, date(2026, 12, 10)) is None


def test_occurrence_on_a_single_event(db, coordinator):
    talk = make_event(db, coordinator, "Vortrag", "2026-12-02 12:00", "2026-12-02 13:00")
    assert occurrence_on(talk, date(2026, 12, 2)).starts_at == at("2026-12-02 12:00")
    assert occurrence_on(talk, date(2026, 12, 3)) is None


def test_cancelled_date_and_cancelled_event(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                note="Fällt wegen Krankheit aus", cancelled=True)
    found = occurrences(lunch, at("2026-12-01 00:00"), at("2026-12-17 00:00"))
    assert [(o.key, o.cancelled, o.moved, o.note) for o in found] == [
        ("2026-12-02", False, False, ""), ("2026-12-09", True, False, "Fällt wegen Krankheit aus"),
        ("2026-12-16", False, False, "")]
    called_off = make_event(db, coordinator, "Vortrag", "2026-12-02 18:00", "2026-12-02 19:00", status="cancelled")
    assert occurrence_on(called_off, date(2026, 12, 2)).cancelled


def test_a_date_changed_only_in_place_is_not_moved(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"), place="Kirche")
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                place="Gemeindehaus")
    changed = occurrence_on(lunch, date(2026, 12, 9))
    assert (changed.moved, changed.place) == (False, "Gemeindehaus")
    assert occurrence_on(lunch, date(2026, 12, 16)).place == "Kirche"
    longer, _ = change_date(db, Actor(coordinator), lunch, date(2026, 12, 16), at("2026-12-16 12:00"),
                         at("2026-12-16 14:00"))
    assert longer is occurrence_on(lunch, date(2026, 12, 16)).exception
    assert occurrence_on(lunch, date(2026, 12, 16)).moved  # same start, longer


def test_key_is_the_berlin_day_of_the_original_start(db, coordinator):
    night = make_event(db, coordinator, "Nachtwanderung", "2026-12-03 00:30", "2026-12-03 02:00",
                       recurrence=Recurrence("weekly"))
    # 00:30 in Berlin is still 2 December in UTC.
    assert night.starts_at.date() == date(2026, 12, 2)
    assert keys(occurrences(night, at("2026-12-01 00:00"), at("2026-12-11 00:00"))) == ["2026-12-03", "2026-12-10"]
    assert occurrence_on(night, date(2026, 12, 10)).recurrence_id == at("2026-12-10 00:30")


def test_last_day_of_all_day_and_timed_dates(db, coordinator):
    day = make_all_day(db, coordinator, "Kinderfest", date(2026, 9, 20))
    single = occurrence_on(day, date(2026, 9, 20))
    assert (single.first_day, single.last_day) == (date(2026, 9, 20), date(2026, 9, 20))
    until_midnight = make_event(db, coordinator, "Konzert", "2026-09-20 20:00", "2026-09-21 00:00")
    assert occurrence_on(until_midnight, date(2026, 9, 20)).last_day == date(2026, 9, 20)
    through_the_night = make_event(db, coordinator, "Lesenacht", "2026-09-20 20:00", "2026-09-21 01:00")
    assert occurrence_on(through_the_night, date(2026, 9, 20)).last_day == date(2026, 9, 21)
