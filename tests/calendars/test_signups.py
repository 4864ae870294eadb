"""Taking a place, the waiting list, cancelling up to the cut-off, "Meine Schichten" and confirmed hours."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calendar_world import at, make_event
from calendars.events import change_date
from calendars.models import Shift, Signup, Volunteer
from calendars.recurrence import Recurrence
from calendars.shifts import cancel_shift, update_shift
from calendars.signups import (ShiftFull, cancel_signup, confirm_attendance, fill_places, hours_given,
                               join_waiting_list, my_shifts, take_place)
from governance.errors import DomainError, NotAllowed
from governance.models import Person
from governance.organisations import create_organisation
from governance.people import create_person
from governance.permissions import Actor
from shift_world import NOW, draft, make_shift, volunteers
from workspace.db import Database


@pytest.fixture
def fest(db, coordinator):
    return make_event(db, coordinator, "Stadtteilfest", "2026-12-02 10:00", "2026-12-02 18:00", kind="festival",
                      organiser=create_organisation(db, "Stadtteilverein Nord", "association"))


@pytest.fixture
def people(db):
    return volunteers(db, "Anna Aufbau", "Ben Bauer", "Cem Celik", "Dora Dorn")


def refusal(action) -> str:
    with pytest.raises(DomainError) as refused:
        action()
    assert refused.value.field in ("shift", "signup", "came")
    return refused.value.message % dict(refused.value.params)


# --- taking a place ----------------------------------------------------------------------------

def test_a_place_is_the_lowest_free_slot(db, coordinator, fest, people):
    anna, ben, cem, _ = people
    shift = make_shift(db, coordinator, fest, places=3)
    first, second = take_place(db, anna, shift, NOW), take_place(db, ben, shift, NOW)
    assert [(s.state, s.slot) for s in (first, second)] == [("taken", 1), ("taken", 2)]
    cancel_signup(db, anna, first, NOW)
    assert take_place(db, cem, shift, NOW).slot == 1


def test_taking_a_place_makes_the_person_a_volunteer_active_now(db, coordinator, fest, people):
    shift = make_shift(db, coordinator, fest)
    take_place(db, people[0], shift, NOW)
    volunteer = db.get(Volunteer, people[0].id)
    assert volunteer.last_active_at == NOW and volunteer.lead_hours is None  # the network's lead time until they choose


def test_a_full_shift_says_so_and_stores_nothing(db, coordinator, fest, people):
    anna, ben, _, _ = people
    shift = make_shift(db, coordinator, fest, places=1)
    take_place(db, anna, shift, NOW)
    with pytest.raises(ShiftFull):
        take_place(db, ben, shift, NOW)
    db.expire(shift)
    assert [s.person for s in shift.signups] == [anna]


def test_twice_is_refused(db, coordinator, fest, people):
    anna, ben, _, _ = people
    shift = make_shift(db, coordinator, fest, places=1)
    take_place(db, anna, shift, NOW)
    assert refusal(lambda: take_place(db, anna, shift, NOW)) == "Sie haben diese Schicht schon übernommen."
    join_waiting_list(db, ben, shift, NOW)
    assert refusal(lambda: join_waiting_list(db, ben, shift, NOW)) == (
        "Sie stehen für diese Schicht schon auf der Warteliste.")


def test_a_shift_that_began_or_is_over_is_refused(db, coordinator, fest, people):
    shift = make_shift(db, coordinator, fest)
    for now in (shift.starts_at, shift.starts_at + timedelta(hours=1), shift.ends_at + timedelta(days=3)):
        assert refusal(lambda: take_place(db, people[0], shift, now)) == (
            "Diese Schicht hat schon begonnen oder ist vorbei.")


def test_a_cancelled_shift_event_or_date_is_refused(db, coordinator, fest, people):
    cancelled_shift = make_shift(db, coordinator, fest)
    cancel_shift(db, Actor(coordinator), cancelled_shift)
    assert refusal(lambda: take_place(db, people[0], cancelled_shift, NOW)) == "Diese Schicht ist abgesagt."
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                       recurrence=Recurrence("weekly"))
    on_date = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:00")
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    assert refusal(lambda: take_place(db, people[0], on_date, NOW)) == "Dieser Termin ist abgesagt."
    on_event = make_shift(db, coordinator, fest, "Abbau", "2026-12-02 18:00", "2026-12-02 19:00")
    fest.status = "cancelled"
    for action in (take_place, join_waiting_list):
        assert refusal(lambda: action(db, people[0], on_event, NOW)) == "Dieser Termin ist abgesagt."


def test_a_shift_whose_date_left_the_series_is_refused(db, coordinator, people):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                       recurrence=Recurrence("weekly"))
    shift = make_shift(db, coordinator, lunch, "Kochen", "2026-12-16 10:00", "2026-12-16 12:00")
    lunch.repeat_until = date(2026, 12, 10)  # the series was shortened: 16 December is gone
    for action in (take_place, join_waiting_list):
        assert refusal(lambda: action(db, people[0], shift, NOW)) == "An diesem Tag findet kein Termin statt."


def test_overlapping_shifts_are_refused_touching_ones_are_fine(db, coordinator, fest, people):
    anna = people[0]
    held = make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 10:00", "2026-12-02 12:00")
    overlapping = make_shift(db, coordinator, fest, "Kuchenstand", "2026-12-02 11:30", "2026-12-02 14:00")
    touching = make_shift(db, coordinator, fest, "Kinderschminken", "2026-12-02 12:00", "2026-12-02 14:00")
    take_place(db, anna, held, NOW)
    assert refusal(lambda: take_place(db, anna, overlapping, NOW)) == (
        "Zur selben Zeit haben Sie schon eine Schicht: „Aufbau“ bei Stadtteilfest.")
    assert take_place(db, anna, touching, NOW).state == "taken"


def test_a_cancelled_shift_does_not_block_another_at_that_time(db, coordinator, fest, people):
    anna = people[0]
    called_off = make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 10:00", "2026-12-02 12:00")
    take_place(db, anna, called_off, NOW)
    cancel_shift(db, Actor(coordinator), called_off)
    other = make_shift(db, coordinator, fest, "Deko", "2026-12-02 10:00", "2026-12-02 12:00")
    assert take_place(db, anna, other, NOW).state == "taken"


# --- waiting list and cancelling ---------------------------------------------------------------

def test_the_waiting_list_opens_only_when_full(db, coordinator, fest, people):
    shift = make_shift(db, coordinator, fest, places=1)
    assert refusal(lambda: join_waiting_list(db, people[0], shift, NOW)).startswith("Es sind noch Plätze frei")
    take_place(db, people[0], shift, NOW)
    waiting = join_waiting_list(db, people[1], shift, NOW)
    assert (waiting.state, waiting.slot) == ("waiting", None)


def test_a_freed_place_goes_to_the_first_waiting_in_order_of_joining(db, coordinator, fest, people):
    anna, ben, cem, dora = people
    shift = make_shift(db, coordinator, fest, places=2)
    take_place(db, anna, shift, NOW)
    held = take_place(db, ben, shift, NOW)
    first = join_waiting_list(db, cem, shift, NOW)
    second = join_waiting_list(db, dora, shift, NOW + timedelta(minutes=1))
    moved = cancel_signup(db, ben, held, NOW)
    assert moved is first and (first.state, first.slot) == ("taken", 2)
    assert (held.state, held.slot, held.cancelled_at) == ("cancelled", None, NOW)
    assert second.state == "waiting"
    assert cancel_signup(db, cem, first, NOW) is second and second.slot == 2


def test_someone_now_busy_at_that_time_stays_waiting(db, coordinator, fest, people):
    anna, ben, cem, _ = people
    shift = make_shift(db, coordinator, fest, places=1)
    held = take_place(db, anna, shift, NOW)
    busy, free = join_waiting_list(db, ben, shift, NOW), join_waiting_list(db, cem, shift, NOW)
    take_place(db, ben, make_shift(db, coordinator, fest, "Deko", "2026-12-02 11:00", "2026-12-02 13:00"), NOW)
    assert cancel_signup(db, anna, held, NOW) is free
    assert busy.state == "waiting"


def test_nobody_moves_up_into_a_cancelled_date(db, coordinator, people):
    anna, ben, _, _ = people
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                       recurrence=Recurrence("weekly"))
    shift = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:00", places=1)
    held = take_place(db, anna, shift, NOW)
    waiting = join_waiting_list(db, ben, shift, NOW)
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    assert cancel_signup(db, anna, held, NOW) is None
    assert fill_places(db, shift, NOW) == [] and waiting.state == "waiting"


def test_inside_the_cut_off_nobody_moves_up(db, coordinator, fest, people):
    anna, ben, _, _ = people
    shift = make_shift(db, coordinator, fest, places=1)
    held = take_place(db, anna, shift, NOW)
    waiting = join_waiting_list(db, ben, shift, NOW)
    late = shift.starts_at - timedelta(hours=23)
    assert cancel_signup(db, anna, held, late, cutoff=timedelta(hours=1)) is None  # a place freed late
    update_shift(db, Actor(coordinator), shift, draft(places=2), shift.version_id)
    assert fill_places(db, shift, late) == []
    assert (waiting.state, waiting.slot) == ("waiting", None)


def test_leaving_the_waiting_list_is_always_possible(db, coordinator, fest, people):
    shift = make_shift(db, coordinator, fest, places=1)
    take_place(db, people[0], shift, NOW)
    waiting = join_waiting_list(db, people[1], shift, NOW)
    assert cancel_signup(db, people[1], waiting, shift.starts_at - timedelta(hours=1)) is None
    assert waiting.state == "cancelled"
    assert join_waiting_list(db, people[1], shift, NOW).state == "waiting"  # and joining again


def test_after_the_cut_off_the_contact_is_named(db, coordinator, fest, people):
    shift = make_shift(db, coordinator, fest, contact=coordinator)
    held = take_place(db, people[0], shift, NOW)
    just_in_time = shift.starts_at - timedelta(hours=24)
    too_late = just_in_time + timedelta(minutes=1)
    assert refusal(lambda: cancel_signup(db, people[0], held, too_late)) == (
        "So kurz vor der Schicht können Sie nicht mehr online absagen. Bitte sagen Sie Kim Koordination Bescheid.")
    without_contact = make_shift(db, coordinator, fest, "Abbau", "2026-12-02 18:00", "2026-12-02 19:00")
    other = take_place(db, people[0], without_contact, NOW)
    assert refusal(lambda: cancel_signup(db, people[0], other, other.shift.starts_at - timedelta(hours=1))) == (
        "So kurz vor der Schicht können Sie nicht mehr online absagen. Bitte sagen Sie Stadtteilverein Nord Bescheid.")
    assert refusal(lambda: cancel_signup(db, people[0], held, too_late, cutoff=timedelta(hours=48)))
    assert cancel_signup(db, people[0], held, just_in_time) is None and held.state == "cancelled"


def test_nobody_cancels_someone_elses_sign_up(db, coordinator, fest, people):
    held = take_place(db, people[0], make_shift(db, coordinator, fest), NOW)
    with pytest.raises(NotAllowed):
        cancel_signup(db, people[1], held, NOW)


def test_raising_the_places_moves_waiting_people_up(db, coordinator, fest, people):
    anna, ben, cem, dora = people
    shift = make_shift(db, coordinator, fest, places=1)
    take_place(db, anna, shift, NOW)
    waiting = [join_waiting_list(db, person, shift, NOW) for person in (ben, cem, dora)]
    update_shift(db, Actor(coordinator), shift, draft(places=3), shift.version_id)
    assert fill_places(db, shift, NOW) == waiting[:2]
    assert [(s.state, s.slot) for s in waiting] == [("taken", 2), ("taken", 3), ("waiting", None)]


# --- my shifts and hours -----------------------------------------------------------------------

def past_fest(db, coordinator, day: str):
    return make_event(db, coordinator, f"Fest {day}", f"{day} 10:00", f"{day} 18:00", kind="festival")


def test_my_shifts_and_only_confirmed_hours(db, coordinator, fest, people):
    anna, ben, _, _ = people
    earlier = make_shift(db, coordinator, past_fest(db, coordinator, "2026-06-13"), "Grill", "2026-06-13 10:00",
                         "2026-06-13 13:30")
    unconfirmed = make_shift(db, coordinator, past_fest(db, coordinator, "2026-07-04"), "Grill",
                             "2026-07-04 10:00", "2026-07-04 12:00")
    last_year = make_shift(db, coordinator, past_fest(db, coordinator, "2025-07-05"), "Grill", "2025-07-05 10:00",
                           "2025-07-05 12:00")
    coming = make_shift(db, coordinator, fest, places=1)
    for shift in (earlier, unconfirmed, last_year):
        take_place(db, anna, shift, shift.starts_at - timedelta(days=7))
    take_place(db, ben, coming, NOW)
    waiting = join_waiting_list(db, anna, coming, NOW)
    confirm_attendance(db, Actor(coordinator), earlier, now=NOW)
    confirm_attendance(db, Actor(coordinator), last_year, now=NOW)
    mine = my_shifts(db, anna, NOW)
    assert mine.upcoming == [waiting]
    assert [s.shift for s in mine.past] == [unconfirmed, earlier, last_year]
    assert mine.hours_this_year == 3.5


def test_attendance_by_default_everyone_or_those_who_came(db, coordinator, people):
    anna, ben, cem, _ = people
    shift = make_shift(db, coordinator, past_fest(db, coordinator, "2026-06-13"), "Grill", "2026-06-13 10:00",
                       "2026-06-13 12:15", places=3)
    signups = [take_place(db, person, shift, at("2026-06-01 10:00")) for person in (anna, ben, cem)]
    confirm_attendance(db, Actor(coordinator), shift, now=NOW)
    assert [(s.attended, s.minutes) for s in signups] == [(True, 135)] * 3
    confirm_attendance(db, Actor(coordinator), shift, {signups[1].id}, now=NOW)
    assert [(s.attended, s.minutes) for s in signups] == [(False, None), (True, 135), (False, None)]
    year = (at("2026-01-01 00:00"), at("2027-01-01 00:00"))
    assert [hours_given(db, person, *year) for person in (anna, ben)] == [0, 2.25]


def test_attendance_only_after_the_shift_and_only_of_its_people(db, coordinator, member, fest, people):
    shift = make_shift(db, coordinator, fest)
    signup = take_place(db, people[0], shift, NOW)
    assert refusal(lambda: confirm_attendance(db, Actor(coordinator), shift, now=shift.ends_at - timedelta(minutes=1)))
    with pytest.raises(DomainError):
        confirm_attendance(db, Actor(coordinator), shift, {signup.id + 1000}, now=shift.ends_at)
    with pytest.raises(NotAllowed):
        confirm_attendance(db, Actor(member), shift, now=shift.ends_at)
    assert signup.attended is None
    confirm_attendance(db, Actor(coordinator), shift, now=shift.ends_at)
    assert signup.attended is True


def test_attendance_is_refused_on_a_cancelled_event_or_date(db, coordinator, people):
    fest = past_fest(db, coordinator, "2026-06-13")
    shift = make_shift(db, coordinator, fest, "Grill", "2026-06-13 10:00", "2026-06-13 12:00")
    signup = take_place(db, people[0], shift, at("2026-06-01 10:00"))
    fest.status = "cancelled"
    assert refusal(lambda: confirm_attendance(db, Actor(coordinator), shift, now=NOW)) == "Dieser Termin ist abgesagt."
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-06-03 12:00", "2026-06-03 13:00", kind="offer",
                       recurrence=Recurrence("weekly"))
    on_date = make_shift(db, coordinator, lunch, "Kochen", "2026-06-10 10:00", "2026-06-10 12:00")
    take_place(db, people[1], on_date, at("2026-06-01 10:00"))
    change_date(db, Actor(coordinator), lunch, date(2026, 6, 10), at("2026-06-10 12:00"), at("2026-06-10 13:00"),
                cancelled=True)
    assert refusal(lambda: confirm_attendance(db, Actor(coordinator), on_date, now=NOW)) == (
        "Dieser Termin ist abgesagt.")
    assert signup.attended is None and signup.minutes is None


def test_hours_given_over_a_period(db, coordinator, people):
    anna = people[0]
    for day in ("2026-03-01", "2026-05-01", "2026-09-01"):
        shift = make_shift(db, coordinator, past_fest(db, coordinator, day), "Grill", f"{day} 10:00", f"{day} 11:00")
        take_place(db, anna, shift, at(f"{day} 08:00"))
        confirm_attendance(db, Actor(coordinator), shift, now=NOW)
    assert hours_given(db, anna, at("2026-04-01 00:00"), at("2026-10-01 00:00")) == 2
    assert hours_given(db, anna, at("2026-05-01 10:00"), at("2026-09-01 10:00")) == 1
    assert hours_given(db, people[1], at("2026-01-01 00:00"), at("2027-01-01 00:00")) == 0


# --- the last place: the database decides -------------------------------------------------------

def test_one_slot_of_a_shift_holds_one_person(db, coordinator, fest, people):
    shift = make_shift(db, coordinator, fest, places=2)
    take_place(db, people[0], shift, NOW)
    db.add(Signup(shift_id=shift.id, person_id=people[1].id, state="taken", slot=1))
    with pytest.raises(IntegrityError):
        db.flush()


def a_shift_with_places(database: Database, places: int) -> tuple[int, list[int]]:
    """A committed shift of a coordinator's event and two volunteers: (shift id, person ids)."""
    with database.transaction() as db:
        coordinator = db.scalar(select(Person).where(Person.is_coordinator)) or create_person(
            db, "Kim Koordination", "koordination@example.org", is_coordinator=True)
        fest = make_event(db, coordinator, "Stadtteilfest", "2026-12-02 10:00", "2026-12-02 18:00")
        shift = make_shift(db, coordinator, fest, places=places)
        count = db.scalar(select(func.count()).select_from(Person))
        return shift.id, [p.id for p in volunteers(db, f"Anna A{count}", f"Ben B{count}")]


def attempt(session: Session, shift_id: int, person_id: int) -> str:
    """One request in its own session: take the place, commit; what the person is told."""
    with session as db:
        try:
            signup = take_place(db, db.get(Person, person_id), db.get(Shift, shift_id), NOW)
        except ShiftFull:
            return "full"
        db.commit()
        return f"slot {signup.slot}"


def places_held(database: Database, shift_id: int) -> list[tuple[str, int]]:
    with database.session(write=False) as db:
        held = db.scalars(select(Signup).where(Signup.shift_id == shift_id, Signup.state == "taken")
                          .order_by(Signup.slot))
        return [(signup.person.name.split()[0], signup.slot) for signup in held]


@pytest.fixture
def database(database_file):
    database = Database(f"sqlite:///{database_file}")
    yield database
    database.dispose()


def test_two_at_once_for_the_last_place_exactly_one_gets_it(database):
    for _ in range(8):
        shift_id, person_ids = a_shift_with_places(database, 1)
        start = threading.Barrier(2)

        def press(person_id: int) -> str:
            start.wait()
            return attempt(database.session(write=True), shift_id, person_id)

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(press, person_ids))
        assert sorted(outcomes) == ["full", "slot 1"]
        assert len(places_held(database, shift_id)) == 1


@pytest.fixture
def read_committed(database_file) -> Iterator[Engine]:
    """The same file as pysqlite opens it by default: a read runs outside any transaction, which begins
    at the first write, so each statement sees what others committed before it (as on PostgreSQL's
    READ COMMITTED). Database's write sessions take SQLite's lock up front and never interleave so."""
    engine = create_engine(f"sqlite:///{database_file}")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("places", "ben_is_told", "held"), [
    (1, "full", [("Anna", 1)]),
    (2, "slot 2", [("Anna", 1), ("Ben", 2)]),
])
def test_a_place_taken_after_the_free_places_were_read_is_refused_by_the_database(
        database, read_committed, places, ben_is_told, held):
    """Ben's request has read slot 1 as free; just before it inserts, Anna's request (its own connection)
    reads slot 1 as free too, takes it and commits. Ben's list is now stale and only the unique
    (shift, slot) index refuses his insert: he gets the next free place or, with none left, the waiting list."""
    shift_id, (anna, ben) = a_shift_with_places(database, places)
    anna_is_told = []
    # the savepoint opens Ben's insert, after take_place read his free places
    event.listen(read_committed, "savepoint", once=True,
                 fn=lambda *_: anna_is_told.append(attempt(database.session(write=True), shift_id, anna)))
    assert attempt(Session(read_committed), shift_id, ben) == ben_is_told
    assert anna_is_told == ["slot 1"]
    assert places_held(database, shift_id) == held
    if ben_is_told == "full":
        with database.transaction() as db:
            waiting = join_waiting_list(db, db.get(Person, ben), db.get(Shift, shift_id), NOW)
            assert waiting.state == "waiting"
