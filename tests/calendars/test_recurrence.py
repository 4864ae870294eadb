"""Recurring events: dates in Berlin wall time, yearly traditions, monthly and weekly offers, ends, bad rules."""

from datetime import date, datetime, timezone

import pytest

from calendar_world import at, make_all_day, make_event
from calendars.occurrences import occurrences
from calendars.recurrence import Recurrence, ical_rule
from governance.errors import DomainError
from governance.times import in_berlin


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _berlin(instant: datetime) -> str:
    return in_berlin(instant).strftime("%Y-%m-%d %H:%M")


def starts(event, first: str, last: str) -> list[str]:
    """Berlin wall-clock starts of the event's dates between two days, as 'YYYY-MM-DD HH:MM'."""
    return [_berlin(o.starts_at) for o in occurrences(event, at(f"{first} 00:00"), at(f"{last} 23:59"))]


def days(event, first: str, last: str) -> list[str]:
    return [start[:10] for start in starts(event, first, last)]


def test_weekly_lunch_stays_at_noon_across_the_end_of_summer_time(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-10-21 12:00", "2026-10-21 13:30",
                       recurrence=Recurrence("weekly"))
    found = occurrences(lunch, at("2026-10-20 00:00"), at("2026-10-29 00:00"))
    assert [_berlin(o.starts_at) for o in found] == ["2026-10-21 12:00", "2026-10-28 12:00"]
    # 25 October 2026 is the last Sunday of October: the instant moves by an hour, the wall time does not.
    assert [o.starts_at for o in found] == [utc("2026-10-21 10:00"), utc("2026-10-28 11:00")]
    assert [o.ends_at for o in found] == [utc("2026-10-21 11:30"), utc("2026-10-28 12:30")]


def test_weekly_lunch_stays_at_noon_across_the_start_of_summer_time(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-10-21 12:00", "2026-10-21 13:30",
                       recurrence=Recurrence("weekly"))
    found = occurrences(lunch, at("2027-03-23 00:00"), at("2027-04-01 00:00"))
    assert [_berlin(o.starts_at) for o in found] == ["2027-03-24 12:00", "2027-03-31 12:00"]
    # 28 March 2027 is the last Sunday of March.
    assert [o.starts_at for o in found] == [utc("2027-03-24 11:00"), utc("2027-03-31 10:00")]


def test_yearly_on_11_november(db, coordinator):
    lanterns = make_event(db, coordinator, "Laternenumzug", "2026-11-11 17:00", "2026-11-11 19:00",
                          recurrence=Recurrence("yearly"))
    assert starts(lanterns, "2026-01-01", "2030-12-31") == [
        "2026-11-11 17:00", "2027-11-11 17:00", "2028-11-11 17:00", "2029-11-11 17:00", "2030-11-11 17:00"]


def test_yearly_on_the_second_saturday_in_june(db, coordinator):
    fest = make_event(db, coordinator, "Stadtteilfest", "2026-06-13 14:00", "2026-06-13 20:00",
                      recurrence=Recurrence("yearly", on="weekday"))
    assert starts(fest, "2026-01-01", "2030-12-31") == [
        "2026-06-13 14:00", "2027-06-12 14:00", "2028-06-10 14:00", "2029-06-09 14:00", "2030-06-08 14:00"]
    assert all(datetime.fromisoformat(start).weekday() == 5 for start in starts(fest, "2026-01-01", "2040-12-31"))


def test_monthly_on_the_same_day(db, coordinator):
    meeting = make_event(db, coordinator, "Sprechstunde", "2026-01-15 10:00", "2026-01-15 11:00",
                         recurrence=Recurrence("monthly"))
    assert days(meeting, "2026-01-01", "2026-05-31") == [
        "2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15"]


def test_monthly_on_the_first_thursday(db, coordinator):
    reading = make_event(db, coordinator, "Spätlese", "2026-01-01 15:00", "2026-01-01 17:00",
                         recurrence=Recurrence("monthly", on="weekday"))
    assert starts(reading, "2026-01-01", "2026-05-31") == [
        "2026-01-01 15:00", "2026-02-05 15:00", "2026-03-05 15:00", "2026-04-02 15:00", "2026-05-07 15:00"]


def test_weekly_on_several_weekdays_always_includes_the_first_dates_weekday(db, coordinator):
    # First date a Wednesday; only Monday and Friday chosen: Wednesday is kept.
    sport = make_event(db, coordinator, "Sport", "2026-12-02 18:00", "2026-12-02 19:00",
                       recurrence=Recurrence("weekly", weekdays=(0, 4)))
    assert sport.weekdays == "MO,WE,FR"
    assert days(sport, "2026-12-01", "2026-12-13") == [
        "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11"]


def test_until_is_inclusive(db, coordinator):
    course = make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                        recurrence=Recurrence("weekly", until=date(2026, 12, 16)))
    assert days(course, "2026-11-01", "2027-12-31") == ["2026-12-02", "2026-12-09", "2026-12-16"]
    assert course.last_ends_at == at("2026-12-16 19:00")


def test_count_ends_the_series(db, coordinator):
    course = make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                        recurrence=Recurrence("weekly", count=3))
    assert days(course, "2026-11-01", "2027-12-31") == ["2026-12-02", "2026-12-09", "2026-12-16"]
    assert (course.repeat_count, course.last_ends_at) == (3, at("2026-12-16 19:00"))


def test_a_series_without_end_has_no_last_end(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"))
    assert lunch.last_ends_at is None


@pytest.mark.parametrize("count", [0, -1, 1001])
def test_count_outside_1_to_1000_is_refused(db, coordinator, count):
    with pytest.raises(DomainError) as refused:
        make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                   recurrence=Recurrence("weekly", count=count))
    assert refused.value.field == "repeat_count"


def test_count_of_1000_is_allowed(db, coordinator):
    course = make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                        recurrence=Recurrence("weekly", count=1000))
    assert course.repeat_count == 1000


def test_until_before_the_first_date_is_refused(db, coordinator):
    with pytest.raises(DomainError) as refused:
        make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                   recurrence=Recurrence("weekly", until=date(2026, 12, 1)))
    assert refused.value.field == "repeat_until"


def test_until_more_than_30_years_ahead_is_refused(db, coordinator):
    with pytest.raises(DomainError) as refused:
        make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                   recurrence=Recurrence("yearly", until=date(2057, 1, 1)))
    assert (refused.value.field, refused.value.params) == ("repeat_until", {"years": 30})
    within = make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                        recurrence=Recurrence("yearly", until=date(2056, 12, 31)))
    assert within.repeat_until == date(2056, 12, 31)


def test_yearly_on_29_february_falls_only_in_leap_years(db, coordinator):
    leap = make_all_day(db, coordinator, "Schalttag", date(2028, 2, 29), recurrence=Recurrence("yearly"))
    assert days(leap, "2028-01-01", "2040-12-31") == ["2028-02-29", "2032-02-29", "2036-02-29", "2040-02-29"]


def test_monthly_on_the_31st_skips_shorter_months(db, coordinator):
    closing = make_event(db, coordinator, "Monatsabschluss", "2027-01-31 18:00", "2027-01-31 19:00",
                         recurrence=Recurrence("monthly"))
    assert days(closing, "2027-01-01", "2027-08-31") == ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31",
                                                         "2027-08-31"]


def test_rrule_of_a_timed_series_has_until_in_utc(db, coordinator):
    course = make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
                        recurrence=Recurrence("weekly", weekdays=(4,), until=date(2026, 12, 16)))
    parts = ical_rule(Recurrence.of(course), datetime(2026, 12, 2, 18), all_day=False)
    assert parts == {"FREQ": "WEEKLY", "BYDAY": ["WE", "FR"], "UNTIL": utc("2026-12-16 22:59:59")}
    assert "RRULE:FREQ=WEEKLY;UNTIL=20261216T225959Z;BYDAY=WE,FR\r\n" in course.ical


def test_rrule_of_an_all_day_series_has_until_as_a_date(db, coordinator):
    week = make_all_day(db, coordinator, "Woche", date(2026, 10, 12), date(2026, 10, 18),
                        recurrence=Recurrence("yearly", on="weekday", until=date(2030, 12, 31)))
    parts = ical_rule(Recurrence.of(week), datetime(2026, 10, 12), all_day=True)
    assert parts == {"FREQ": "YEARLY", "BYDAY": ["+2MO"], "BYMONTH": 10, "UNTIL": date(2030, 12, 31)}
    assert "RRULE:FREQ=YEARLY;UNTIL=20301231;BYDAY=+2MO;BYMONTH=10\r\n" in week.ical
    assert "DTSTART;VALUE=DATE:20261012\r\n" in week.ical


def test_rrule_keeps_interval_and_count(db, coordinator):
    parts = ical_rule(Recurrence("monthly", interval=2, count=5), datetime(2026, 1, 1, 15), all_day=False)
    assert parts == {"FREQ": "MONTHLY", "INTERVAL": 2, "COUNT": 5}


def test_last_weekday_of_the_month_repeats_as_the_last_one(db, coordinator):
    # 29 January 2027 is the fifth, and last, Friday of January: it repeats on the last Friday.
    party = make_event(db, coordinator, "Monatsende", "2027-01-29 19:00", "2027-01-29 22:00",
                       recurrence=Recurrence("monthly", on="weekday"))
    assert days(party, "2027-01-01", "2027-04-30") == ["2027-01-29", "2027-02-26", "2027-03-26", "2027-04-30"]
