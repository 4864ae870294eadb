"""What the calendar lists: approved events, filtered by slug, internal ones only for members."""

from datetime import date

import pytest

from calendar_world import at, make_all_day, make_event
from calendars.events import change_date, review_event
from calendars.listing import CalendarFilter, UnknownFilter, calendar_dates, filter_choices
from calendars.recurrence import Recurrence
from governance.organisations import create_area, create_organisation, create_target_group
from governance.permissions import Actor

DECEMBER = (at("2026-12-01 00:00"), at("2027-01-01 00:00"))


@pytest.fixture
def district(db, coordinator):
    """Three events in December 2026 in two areas, for different target groups, by two organisers."""
    nord, loebstedt = create_area(db, "Jena-Nord"), create_area(db, "Löbstedt")
    children, seniors = create_target_group(db, "Kinder"), create_target_group(db, "Senior*innen")
    church = create_organisation(db, "Kirche Löbstedt", "association", loebstedt)
    daycare = create_organisation(db, "Kindergarten »Weltentdecker«", "daycare", nord)
    make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:30", kind="offer",
               area=loebstedt, organiser=church, target_groups=(seniors,))
    make_event(db, coordinator, "Adventssingen", "2026-12-06 16:00", "2026-12-06 17:00", kind="tradition",
               area=loebstedt, organiser=church, target_groups=(children, seniors))
    make_all_day(db, coordinator, "Kinderfest", date(2026, 12, 12), area=nord, organiser=daycare,
                 target_groups=(children,))


def titles(db, start=DECEMBER[0], end=DECEMBER[1], members=False, **chosen) -> list[str]:
    found = calendar_dates(db, CalendarFilter(**chosen), start, end, members=members)
    return [o.event.title for o in found]


def test_without_filter_every_approved_public_date_in_date_order(db, district):
    assert titles(db) == ["Mittagstisch", "Adventssingen", "Kinderfest"]


def test_values_of_one_parameter_widen(db, district):
    assert titles(db, area=("jena-nord",)) == ["Kinderfest"]
    assert titles(db, area=("jena-nord", "loebstedt")) == ["Mittagstisch", "Adventssingen", "Kinderfest"]
    assert titles(db, kind=("offer", "festival")) == ["Mittagstisch", "Kinderfest"]


def test_parameters_narrow(db, district):
    assert titles(db, target_group=("kinder",)) == ["Adventssingen", "Kinderfest"]
    assert titles(db, target_group=("kinder",), area=("loebstedt",)) == ["Adventssingen"]
    assert titles(db, target_group=("kinder",), area=("loebstedt",), kind=("offer",)) == []
    assert titles(db, organiser=("kirche-loebstedt",), target_group=("seniorinnen",)) == [
        "Mittagstisch", "Adventssingen"]


def test_an_event_for_two_chosen_target_groups_is_listed_once(db, district):
    assert titles(db, target_group=("kinder", "seniorinnen")) == ["Mittagstisch", "Adventssingen", "Kinderfest"]


@pytest.mark.parametrize("parameter, value", [
    ("area", "atlantis"), ("target_group", "drachen"), ("kind", "party"), ("organiser", "niemand")])
def test_an_unknown_slug_names_its_parameter(db, district, parameter, value):
    with pytest.raises(UnknownFilter) as unknown:
        titles(db, **{parameter: (value,)})
    assert (unknown.value.parameter, unknown.value.value) == (parameter, value)


def test_a_known_slug_does_not_excuse_an_unknown_one(db, district):
    with pytest.raises(UnknownFilter) as unknown:
        titles(db, area=("jena-nord", "atlantis"))
    assert (unknown.value.parameter, unknown.value.value) == ("area", "atlantis")


def test_filter_from_query_keeps_each_value_once(db):
    chosen = CalendarFilter.from_query({"area": ["jena-nord", "jena-nord"], "kind": ["offer"], "other": ["x"]})
    assert chosen == CalendarFilter(area=("jena-nord",), kind=("offer",))
    assert chosen.items() == [("area", "jena-nord"), ("kind", "offer")]
    assert not CalendarFilter.from_query({})


def test_internal_events_only_for_members(db, coordinator):
    make_event(db, coordinator, "Netzwerktreffen", "2026-12-03 17:00", "2026-12-03 19:00", visibility="internal")
    make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:30")
    assert titles(db) == ["Mittagstisch"]
    assert titles(db, members=True) == ["Mittagstisch", "Netzwerktreffen"]


def test_unapproved_events_are_not_listed(db, coordinator, member):
    waiting = make_event(db, member, "Flohmarkt", "2026-12-05 10:00", "2026-12-05 14:00")
    rejected = make_event(db, member, "Basar", "2026-12-06 10:00", "2026-12-06 14:00")
    review_event(db, Actor(coordinator), rejected, approve=False, reason="Doppelt eingetragen")
    assert titles(db) == [] and titles(db, members=True) == []
    review_event(db, Actor(coordinator), waiting, approve=True)
    assert titles(db) == ["Flohmarkt"]


def test_a_series_without_end_shows_years_ahead(db, coordinator):
    make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:30",
               recurrence=Recurrence("weekly"))
    found = calendar_dates(db, CalendarFilter(), at("2036-06-01 00:00"), at("2036-06-15 00:00"))
    assert [o.key for o in found] == ["2036-06-04", "2036-06-11"]


def test_a_finished_series_is_not_listed_after_its_end(db, coordinator):
    make_event(db, coordinator, "Kurs", "2026-12-02 18:00", "2026-12-02 19:00",
               recurrence=Recurrence("weekly", count=2))
    assert titles(db, at("2026-12-10 00:00"), at("2027-12-31 00:00")) == []
    assert titles(db) == ["Kurs", "Kurs"]


def test_a_multi_day_event_that_began_before_the_window_is_listed(db, coordinator):
    make_all_day(db, coordinator, "Woche der seelischen Gesundheit", date(2026, 11, 28), date(2026, 12, 4))
    assert titles(db) == ["Woche der seelischen Gesundheit"]


def test_filter_choices_offer_organisers_with_approved_events(db, district, member):
    idle = create_organisation(db, "Verein ohne Termine", "association")
    make_event(db, member, "Wartet", "2026-12-05 10:00", "2026-12-05 11:00", organiser=idle)
    choices = filter_choices(db)
    assert [o.slug for o in choices.organisers] == ["kindergarten-weltentdecker", "kirche-loebstedt"]
    assert [a.slug for a in choices.areas] == ["jena-nord", "loebstedt"]
    assert choices.kinds == ("festival", "tradition", "event", "offer")


def test_filter_choices_name_an_organiser_of_internal_events_to_members_only(db, coordinator):
    quiet = create_organisation(db, "Nur intern", "association")
    make_event(db, coordinator, "Vorbereitung", "2026-12-05 10:00", "2026-12-05 11:00", organiser=quiet,
               visibility="internal")
    assert "nur-intern" not in [o.slug for o in filter_choices(db).organisers]
    assert "nur-intern" in [o.slug for o in filter_choices(db, members=True).organisers]


def test_a_date_moved_beyond_the_series_or_before_its_start_is_still_listed(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly", count=2))
    actor = Actor(coordinator)
    change_date(db, actor, lunch, date(2026, 12, 9), at("2027-01-20 12:00"), at("2027-01-20 13:00"))
    change_date(db, actor, lunch, date(2026, 12, 2), at("2026-10-21 12:00"), at("2026-10-21 13:00"))
    assert [o.key for o in calendar_dates(db, CalendarFilter(), at("2027-01-01 00:00"), at("2027-02-01 00:00"))] == [
        "2026-12-09"]
    assert [o.key for o in calendar_dates(db, CalendarFilter(), at("2026-10-01 00:00"), at("2026-11-01 00:00"))] == [
        "2026-12-02"]
    assert calendar_dates(db, CalendarFilter(), *DECEMBER) == []
