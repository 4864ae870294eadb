"""Whom the calendar reaches in a period: dates per target group and area, and who gets none."""

from datetime import date

import pytest

from calendar_world import at, make_all_day, make_event
from calendars.events import change_date, review_event
from calendars.reach import reach
from calendars.recurrence import Recurrence
from governance.errors import DomainError
from governance.organisations import create_area, create_target_group
from governance.permissions import Actor


@pytest.fixture
def world(db):
    names = ("Jugendliche", "Senior*innen", "Familien", "Geflüchtete")
    groups = {name: create_target_group(db, name) for name in names}
    areas = {name: create_area(db, name) for name in ("Jena-Nord", "Löbstedt", "Zwätzen")}
    return groups, areas


def counts(rows) -> list[tuple[str, int]]:
    return [(row.name, count) for row, count in rows]


def test_each_date_counts_for_every_target_group_it_names_most_first(db, coordinator, world):
    groups, areas = world
    # Four Wednesdays in January 2026, one of them cancelled: three dates.
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-01-07 12:00", "2026-01-07 13:00",
                       recurrence=Recurrence("weekly", count=4), area=areas["Löbstedt"],
                       target_groups=(groups["Senior*innen"], groups["Familien"]))
    change_date(db, Actor(coordinator), lunch, date(2026, 1, 14), at("2026-01-14 12:00"), at("2026-01-14 13:00"),
                cancelled=True)
    make_event(db, coordinator, "Jugendparty", "2026-01-09 19:00", "2026-01-09 23:00", area=areas["Jena-Nord"],
               target_groups=(groups["Jugendliche"],))

    found = reach(db, date(2026, 1, 1), date(2026, 1, 31))

    assert found.dates == 4
    assert counts(found.target_groups) == [("Familien", 3), ("Senior*innen", 3), ("Jugendliche", 1)]
    assert counts(found.areas) == [("Löbstedt", 3), ("Jena-Nord", 1)]
    assert [group.name for group in found.unreached_target_groups] == ["Geflüchtete"]
    assert [area.name for area in found.unreached_areas] == ["Zwätzen"]
    assert (found.without_target_group, found.without_area) == (0, 0)


def test_internal_events_count_but_unapproved_and_cancelled_ones_do_not(db, coordinator, member, world):
    groups, areas = world
    make_event(db, coordinator, "Fachtag (intern)", "2026-03-03 09:00", "2026-03-03 16:00", visibility="internal",
               target_groups=(groups["Familien"],))
    make_event(db, member, "Eingereicht", "2026-03-04 09:00", "2026-03-04 10:00", area=areas["Zwätzen"],
               target_groups=(groups["Jugendliche"],))
    rejected = make_event(db, member, "Abgelehnt", "2026-03-05 09:00", "2026-03-05 10:00",
                          target_groups=(groups["Geflüchtete"],))
    review_event(db, Actor(coordinator), rejected, approve=False, reason="Doppelt")
    make_event(db, coordinator, "Abgesagt", "2026-03-06 09:00", "2026-03-06 10:00", status="cancelled",
               target_groups=(groups["Senior*innen"],))

    found = reach(db, date(2026, 3, 1), date(2026, 3, 31))

    assert found.dates == 1
    assert counts(found.target_groups) == [("Familien", 1)]
    assert found.areas == [] and found.without_area == 1
    assert [area.name for area in found.unreached_areas] == ["Jena-Nord", "Löbstedt", "Zwätzen"]


def test_the_period_includes_its_last_day_and_counts_yearly_festivals_once_a_year(db, coordinator, world):
    groups, areas = world
    make_all_day(db, coordinator, "Martinsfest", date(2025, 11, 11), recurrence=Recurrence("yearly"),
                 area=areas["Zwätzen"])
    make_event(db, coordinator, "Ohne Zielgruppe", "2026-12-31 18:00", "2026-12-31 20:00")

    found = reach(db, date(2026, 1, 1), date(2026, 12, 31))

    assert found.dates == 2
    assert found.without_target_group == 2
    assert counts(found.areas) == [("Zwätzen", 1)]
    assert [group.name for group in found.unreached_target_groups] == [
        "Familien", "Geflüchtete", "Jugendliche", "Senior*innen"]
    assert reach(db, date(2027, 1, 1), date(2028, 12, 31)).dates == 2


def test_a_period_that_ends_before_it_starts_or_spans_too_long_is_refused(db):
    with pytest.raises(DomainError) as backwards:
        reach(db, date(2026, 5, 1), date(2026, 4, 30))
    assert backwards.value.field == "to"
    with pytest.raises(DomainError) as long:
        reach(db, date(2000, 1, 1), date(2026, 1, 1))
    assert long.value.field == "to"
