"""Shifts on an event's date: who manages them, adding on a series date or a single event, changing
places without dropping anyone, cancelling; bad input refused with the field it concerns."""

from datetime import date, timedelta

import pytest

from calendar_world import at, make_event
from calendars.events import change_date
from calendars.recurrence import Recurrence
from calendars.shifts import can_manage_shifts, cancel_shift, find_shift, shifts_on, update_shift
from calendars.signups import ShiftFull, cancel_signup, join_waiting_list, take_place
from governance.errors import Conflict, DomainError, NotAllowed, NotFound
from governance.groups import add_membership, create_group
from governance.organisations import create_organisation
from governance.people import create_person
from governance.permissions import Actor
from governance.times import today
from networks import actor_of, person_in
from shift_world import NOW, draft, make_shift, volunteers


@pytest.fixture
def verein(db):
    return create_organisation(db, "Stadtteilverein Nord", "association")


@pytest.fixture
def fest(db, coordinator, groups, verein):
    return make_event(db, coordinator, "Stadtteilfest", "2026-12-02 10:00", "2026-12-02 18:00", kind="festival",
                      group=groups.working, organiser=verein)


@pytest.fixture
def lunch(db, coordinator):
    """A weekly series on Wednesdays from 2 December 2026."""
    return make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                      recurrence=Recurrence("weekly"))


# --- who may ---------------------------------------------------------------------------------

def representative(db, group, name, organisation, ends_on=None):
    """Someone who sits in a group for an organisation (Membership.organisation)."""
    person = create_person(db, name)
    add_membership(db, group, person, "member", organisation=organisation, ends_on=ends_on)
    return actor_of(db, person)


def test_submitter_representatives_working_group_chair_and_coordinator_manage_shifts(db, groups, verein, member,
                                                                                    coordinator):
    event = make_event(db, member, "Flohmarkt", "2026-12-05 09:00", "2026-12-05 14:00", group=groups.working,
                       organiser=verein)
    allowed = [Actor(member), representative(db, groups.planning, "Rita Verein", verein),
               actor_of(db, person_in(db, groups.working, "chair", "Nora Nord")), Actor(coordinator)]
    assert [can_manage_shifts(db, actor, event) for actor in allowed] == [True] * 4


def test_nobody_else_manages_shifts(db, groups, verein, fest, member):
    other_working = create_group(db, "AG Spielplatz", "SP", "working", parent=groups.planning)
    kita = create_organisation(db, "Kita Sonnenschein", "daycare")
    outsiders = [Actor(member),
                 representative(db, groups.planning, "Fritz Früher", verein, ends_on=today() - timedelta(days=1)),
                 representative(db, groups.planning, "Otto Anderer", kita),
                 actor_of(db, person_in(db, groups.working, "deputy", "Dana Deputy")),
                 actor_of(db, person_in(db, other_working, "chair", "Clara Spielplatz")),
                 actor_of(db, person_in(db, groups.steering, "chair", "Stefan Steuerung"))]
    assert [can_manage_shifts(db, actor, fest) for actor in outsiders] == [False] * 6
    with pytest.raises(NotAllowed):
        make_shift(db, member, fest)


# --- adding ------------------------------------------------------------------------------------

def test_a_shift_on_a_series_date_belongs_to_that_date_only(db, coordinator, lunch):
    shift = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30", kind="catering")
    assert shift.occurrence_start == at("2026-12-09 12:00")
    assert [view.shift for view in shifts_on(db, lunch, at("2026-12-09 12:00"))] == [shift]
    assert shifts_on(db, lunch, at("2026-12-02 12:00")) == []
    assert shifts_on(db, lunch, at("2026-12-16 12:00")) == []


def test_a_shift_on_a_moved_date_keeps_the_dates_original_start(db, coordinator, lunch):
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 12:00"), at("2026-12-10 13:00"))
    shift = make_shift(db, coordinator, lunch, "Kochen", "2026-12-10 10:00", "2026-12-10 12:00",
                       day=date(2026, 12, 9))
    assert shift.occurrence_start == at("2026-12-09 12:00")


def test_a_shift_on_a_single_event(db, coordinator, fest):
    shift = make_shift(db, coordinator, fest, "Kuchenstand", "2026-12-02 13:00", "2026-12-02 16:00", places=4,
                       kind="catering", notes="Bitte Kuchen mitbringen", contact=coordinator)
    assert (shift.task, shift.task_kind, shift.places, shift.notes, shift.contact) == (
        "Kuchenstand", "catering", 4, "Bitte Kuchen mitbringen", coordinator)
    assert (shift.occurrence_start, shift.created_by_id, shift.cancelled) == (fest.starts_at, coordinator.id, False)
    assert find_shift(db, shift.id) is shift


def test_an_unknown_shift_is_not_found(db):
    with pytest.raises(NotFound):
        find_shift(db, 4711)


@pytest.mark.parametrize("day", [date(2026, 12, 3), date(2026, 11, 25)])
def test_no_shift_on_a_day_without_a_date(db, coordinator, lunch, day):
    with pytest.raises(DomainError) as refused:
        make_shift(db, coordinator, lunch, day=day)
    assert refused.value.field == "date"


def test_no_shift_on_another_day_of_a_single_event(db, coordinator, fest):
    with pytest.raises(DomainError) as refused:
        make_shift(db, coordinator, fest, day=date(2026, 12, 3))
    assert refused.value.field == "date"


def test_no_shift_on_a_cancelled_date(db, coordinator, lunch):
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    with pytest.raises(DomainError) as refused:
        make_shift(db, coordinator, lunch, day=date(2026, 12, 9))
    assert (refused.value.field, refused.value.message) == ("date", "Dieser Termin ist abgesagt.")


@pytest.mark.parametrize("changes, field", [
    (dict(ends="2026-12-02 09:00"), "ends_at"),
    (dict(ends="2026-12-02 10:00"), "ends_at"),
    (dict(ends="2026-12-03 10:01"), "ends_at"),
    (dict(places=0), "places"),
    (dict(places=-3), "places"),
    (dict(places=501), "places"),
    (dict(task=""), "task"),
    (dict(task="   "), "task"),
    (dict(task="x" * 121), "task"),
    (dict(kind="cooking"), "task_kind"),
    (dict(notes="x" * 10_001), "notes"),
])
def test_bad_shifts_are_refused_naming_the_field(db, coordinator, fest, changes, field):
    with pytest.raises(DomainError) as refused:
        make_shift(db, coordinator, fest, **changes)
    assert refused.value.field == field
    assert shifts_on(db, fest, fest.starts_at) == []


def test_the_limits_themselves_are_fine(db, coordinator, fest):
    assert make_shift(db, coordinator, fest, task="x" * 120, places=500).places == 500
    assert make_shift(db, coordinator, fest, task="Nachtwache", starts="2026-12-02 18:00", ends="2026-12-03 18:00",
                      places=1).places == 1


# --- changing and cancelling -------------------------------------------------------------------

def test_places_cannot_fall_below_the_people_holding_one_and_they_are_named(db, coordinator, fest):
    shift = make_shift(db, coordinator, fest, places=3)
    anna, ben = volunteers(db, "Anna Aufbau", "Ben Bauer")
    for person in (anna, ben):
        take_place(db, person, shift, NOW)
    with pytest.raises(DomainError) as refused:
        update_shift(db, Actor(coordinator), shift, draft(places=1), shift.version_id)
    assert refused.value.field == "places"
    assert refused.value.params["names"] == "Anna Aufbau, Ben Bauer"
    assert shift.places == 3


def test_moving_a_shift_onto_another_shift_of_a_holder_is_refused_naming_them(db, coordinator, fest):
    setup = make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 10:00", "2026-12-02 12:00")
    cake = make_shift(db, coordinator, fest, "Kuchenstand", "2026-12-02 14:00", "2026-12-02 16:00", kind="catering")
    anna, ben = volunteers(db, "Anna Aufbau", "Ben Bauer")
    take_place(db, anna, setup, NOW)
    take_place(db, ben, setup, NOW)
    take_place(db, anna, cake, NOW)
    with pytest.raises(DomainError) as refused:
        update_shift(db, Actor(coordinator), cake, draft("Kuchenstand", "2026-12-02 11:00", "2026-12-02 13:00",
                                                         kind="catering"), cake.version_id)
    assert (refused.value.field, refused.value.params["names"]) == ("starts_at", "Anna Aufbau")
    update_shift(db, Actor(coordinator), cake, draft("Kuchenstand", "2026-12-02 12:00", "2026-12-02 14:00",
                                                     kind="catering"), cake.version_id)  # touching is fine
    assert cake.starts_at == at("2026-12-02 12:00")


def test_fewer_places_keep_the_holders_within_them(db, coordinator, fest):
    shift = make_shift(db, coordinator, fest, places=3)
    anna, ben, cem, dora = volunteers(db, "Anna Aufbau", "Ben Bauer", "Cem Celik", "Dora Dorn")
    first = take_place(db, anna, shift, NOW)
    take_place(db, ben, shift, NOW)
    third = take_place(db, cem, shift, NOW)
    cancel_signup(db, anna, first, NOW)
    update_shift(db, Actor(coordinator), shift, draft("Aufbau und Deko", places=2), shift.version_id)
    assert (shift.task, third.slot) == ("Aufbau und Deko", 1)
    with pytest.raises(ShiftFull):
        take_place(db, dora, shift, NOW)


def test_a_stale_version_is_a_conflict(db, coordinator, fest):
    shift = make_shift(db, coordinator, fest)
    seen = shift.version_id
    update_shift(db, Actor(coordinator), shift, draft(places=5), seen)
    with pytest.raises(Conflict):
        update_shift(db, Actor(coordinator), shift, draft(places=6), seen)
    assert shift.places == 5


def test_only_managers_change_shifts(db, coordinator, member, fest):
    shift = make_shift(db, coordinator, fest)
    with pytest.raises(NotAllowed):
        update_shift(db, Actor(member), shift, draft(places=5), shift.version_id)
    with pytest.raises(NotAllowed):
        cancel_shift(db, Actor(member), shift)


def test_cancelling_a_shift_returns_who_is_to_be_told(db, coordinator, fest):
    shift = make_shift(db, coordinator, fest, places=1)
    anna, ben, cem = volunteers(db, "Anna Aufbau", "Ben Bauer", "Cem Celik")
    held = take_place(db, anna, shift, NOW)
    waiting = join_waiting_list(db, ben, shift, NOW)
    assert cancel_shift(db, Actor(coordinator), shift) == [held, waiting]
    assert shift.cancelled and (held.state, waiting.state) == ("taken", "waiting")
    assert cancel_shift(db, Actor(coordinator), shift) == []


def test_shifts_on_a_date_count_places_and_name_who_holds_one(db, coordinator, fest):
    late = make_shift(db, coordinator, fest, "Abbau", "2026-12-02 18:00", "2026-12-02 20:00", places=1)
    early = make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 08:00", "2026-12-02 10:00", places=3)
    anna, ben, cem = volunteers(db, "Anna Aufbau", "Ben Bauer", "Cem Celik")
    take_place(db, ben, early, NOW)
    take_place(db, anna, early, NOW)
    take_place(db, cem, late, NOW)
    join_waiting_list(db, anna, late, NOW)
    views = shifts_on(db, fest, fest.starts_at)
    assert [(v.shift.task, v.taken, v.waiting, [p.name for p in v.people]) for v in views] == [
        ("Aufbau", 2, 0, ["Ben Bauer", "Anna Aufbau"]), ("Abbau", 1, 1, ["Cem Celik"])]
