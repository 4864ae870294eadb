"""Volunteers: created once, preferences checked field by field, and forgetting a person on request
while the hours they gave stay counted."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from calendar_world import at, make_event
from calendars.models import FeedToken, Volunteer, volunteer_area
from calendars.signups import confirm_attendance, hours_given, join_waiting_list, take_place
from calendars.volunteers import FORGOTTEN_NAME, forget_person, task_kinds_of, update_preferences, volunteer_of
from governance.errors import DomainError
from governance.organisations import create_area, create_target_group
from governance.permissions import Actor
from shift_world import NOW, make_shift, volunteers


@pytest.fixture
def anna(db):
    return volunteers(db, "Anna Aufbau")[0]


def preferences(db, person, **changes):
    values = dict(areas=(), target_groups=(), task_kinds=(), max_hours_per_month=None, lead_hours=48,
                  paused_until=None)
    return update_preferences(db, person, **{**values, **changes})


def test_a_volunteer_row_is_made_once(db, anna):
    first = volunteer_of(db, anna)
    assert volunteer_of(db, anna) is first
    assert db.scalar(select(func.count()).select_from(Volunteer)) == 1
    assert (first.lead_hours, first.max_hours_per_month, task_kinds_of(first)) == (None, None, ())  # the network's


def test_preferences_are_kept(db, anna):
    nord, west = create_area(db, "Nord"), create_area(db, "West")
    families = create_target_group(db, "Familien")
    volunteer = preferences(db, anna, areas=[west, nord, west], target_groups=[families],
                            task_kinds=("children", "setup", "children"), max_hours_per_month=8, lead_hours=72,
                            paused_until=date(2027, 6, 30))
    assert (volunteer.areas, volunteer.target_groups) == ([west, nord], [families])
    assert (task_kinds_of(volunteer), volunteer.task_kinds) == (("setup", "children"), "setup,children")
    assert (volunteer.max_hours_per_month, volunteer.lead_hours, volunteer.paused_until) == (8, 72,
                                                                                             date(2027, 6, 30))
    preferences(db, anna, areas=[nord])
    assert (volunteer.areas, volunteer.max_hours_per_month, volunteer.paused_until) == ([nord], None, None)


@pytest.mark.parametrize("changes", [dict(max_hours_per_month=1), dict(max_hours_per_month=200),
                                     dict(lead_hours=1), dict(lead_hours=336)])
def test_the_limits_themselves_are_fine(db, anna, changes):
    preferences(db, anna, **changes)


@pytest.mark.parametrize("changes, field", [
    (dict(max_hours_per_month=0), "max_hours_per_month"),
    (dict(max_hours_per_month=201), "max_hours_per_month"),
    (dict(max_hours_per_month=-5), "max_hours_per_month"),
    (dict(lead_hours=0), "lead_hours"),
    (dict(lead_hours=337), "lead_hours"),
    (dict(task_kinds=("setup", "juggling")), "task_kinds"),
    (dict(paused_until="bald"), "paused_until"),
])
def test_bad_preferences_are_refused_naming_the_field(db, anna, changes, field):
    with pytest.raises(DomainError) as refused:
        preferences(db, anna, **changes)
    assert refused.value.field == field


def held_by(db, person, event):
    """A one-place shift `person` holds, so others can only wait for it."""
    shift = make_shift(db, event.submitted_by, event, "Kasse", "2026-12-02 14:00", "2026-12-02 15:00", places=1)
    take_place(db, person, shift, NOW)
    return shift


def test_forgetting_a_person_keeps_their_hours_and_moves_others_up(db, coordinator, anna):
    ben, cem = volunteers(db, "Ben Bauer", "Cem Celik")
    done = make_event(db, coordinator, "Sommerfest", "2026-06-13 10:00", "2026-06-13 18:00")
    given = make_shift(db, coordinator, done, "Grill", "2026-06-13 10:00", "2026-06-13 13:00")
    take_place(db, anna, given, at("2026-06-01 10:00"))
    confirm_attendance(db, Actor(coordinator), given, now=NOW)
    coming = make_event(db, coordinator, "Stadtteilfest", "2026-12-02 10:00", "2026-12-02 18:00")
    full = make_shift(db, coordinator, coming, places=1)
    held = take_place(db, anna, full, NOW)
    waiting = join_waiting_list(db, ben, full, NOW)
    queued = join_waiting_list(db, anna, held_by(db, cem, coming), NOW)
    preferences(db, anna, areas=[create_area(db, "Nord")])
    db.add(FeedToken(person_id=anna.id, token="geheim"))
    db.flush()

    assert forget_person(db, anna, NOW) == [waiting]
    assert (anna.name, anna.email) == (FORGOTTEN_NAME, None)
    assert db.get(Volunteer, anna.id) is None and db.scalar(select(func.count()).select_from(volunteer_area)) == 0
    assert db.scalar(select(FeedToken).where(FeedToken.person_id == anna.id)) is None
    assert (held.state, queued.state, waiting.state, waiting.slot) == ("cancelled", "cancelled", "taken", 1)
    assert given.signups[0].state == "taken"
    year = (at("2026-01-01 00:00"), at("2027-01-01 00:00"))
    assert hours_given(db, anna, *year) == 3


def test_forgetting_someone_without_shifts_or_preferences(db, anna):
    assert forget_person(db, anna, NOW - timedelta(days=1)) == []
    assert anna.name == FORGOTTEN_NAME
