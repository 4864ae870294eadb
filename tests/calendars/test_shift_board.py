"""The public board: every shift still short of people, soonest first, filtered by area, task kind and days,
only of approved public events that take place, with the places left counted in SQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from calendar_world import at, make_event
from calendars.events import change_date
from calendars.listing import UnknownFilter
from calendars.recurrence import Recurrence
from calendars.models import Shift, Signup
from calendars.shift_board import ShiftFilter, _open, count_open_shifts, open_shifts
from calendars.shifts import cancel_shift
from calendars.signups import take_place
from governance.organisations import create_area
from governance.permissions import Actor
from shift_world import NOW, make_shift, volunteers
from support import count_queries


@pytest.fixture
def nord(db):
    return create_area(db, "Nord")


@pytest.fixture
def fest(db, coordinator, nord):
    return make_event(db, coordinator, "Stadtteilfest", "2026-12-02 10:00", "2026-12-02 18:00", kind="festival",
                      area=nord, place="Marktplatz")


def board(db, now=NOW, **chosen):
    return [(o.shift.task, o.places_left) for o in open_shifts(db, ShiftFilter(**chosen), now)]


def test_short_shifts_soonest_first_with_the_places_left(db, coordinator, fest):
    anna, ben, cem = volunteers(db, "Anna Aufbau", "Ben Bauer", "Cem Celik")
    late = make_shift(db, coordinator, fest, "Abbau", "2026-12-02 18:00", "2026-12-02 20:00", places=3)
    make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 08:00", "2026-12-02 10:00", places=2)
    full = make_shift(db, coordinator, fest, "Kasse", "2026-12-02 09:00", "2026-12-02 10:00", places=1)
    take_place(db, anna, late, NOW)
    take_place(db, ben, full, NOW)
    take_place(db, cem, late, NOW)
    assert board(db) == [("Aufbau", 2), ("Abbau", 1)]
    found = open_shifts(db, ShiftFilter(), NOW)[0]
    assert (found.event, found.event.place, found.event.area) == (fest, "Marktplatz", fest.area)


def test_what_does_not_take_place_or_is_not_public_is_left_out(db, coordinator, member, fest):
    cancelled = make_shift(db, coordinator, fest, "Abgesagt", "2026-12-02 12:00", "2026-12-02 13:00")
    cancel_shift(db, Actor(coordinator), cancelled)
    make_shift(db, coordinator, fest, "Begonnen", "2026-11-20 08:00", "2026-11-20 10:00", day=date(2026, 12, 2))
    internal = make_event(db, coordinator, "Klausur", "2026-12-03 10:00", "2026-12-03 12:00", visibility="internal")
    make_shift(db, coordinator, internal, "Intern", "2026-12-03 09:00", "2026-12-03 10:00")
    unapproved = make_event(db, member, "Flohmarkt", "2026-12-04 10:00", "2026-12-04 12:00")
    make_shift(db, member, unapproved, "Ungeprüft", "2026-12-04 09:00", "2026-12-04 10:00")
    called_off = make_event(db, coordinator, "Lesung", "2026-12-05 10:00", "2026-12-05 12:00")
    make_shift(db, coordinator, called_off, "Event abgesagt", "2026-12-05 09:00", "2026-12-05 10:00")
    called_off.status = "cancelled"
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                       recurrence=Recurrence("weekly"))
    make_shift(db, coordinator, lunch, "Termin abgesagt", "2026-12-09 10:00", "2026-12-09 12:00")
    make_shift(db, coordinator, lunch, "Kochen", "2026-12-16 10:00", "2026-12-16 12:00")
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    assert board(db, now=at("2026-11-20 09:00")) == [("Kochen", 2)]


def test_filters_by_area_task_kind_and_days(db, coordinator, fest, nord):
    west = make_event(db, coordinator, "Westfest", "2026-12-09 10:00", "2026-12-09 18:00",
                      area=create_area(db, "West"))
    make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 08:00", "2026-12-02 10:00", kind="setup")
    make_shift(db, coordinator, fest, "Kuchen", "2026-12-02 12:00", "2026-12-02 14:00", kind="catering")
    make_shift(db, coordinator, west, "Aufbau West", "2026-12-09 08:00", "2026-12-09 10:00", kind="setup")
    assert board(db, areas=("nord",)) == [("Aufbau", 2), ("Kuchen", 2)]
    assert board(db, areas=("nord", "west"), task_kinds=("setup",)) == [("Aufbau", 2), ("Aufbau West", 2)]
    assert board(db, task_kinds=("catering", "children")) == [("Kuchen", 2)]
    assert board(db, first=date(2026, 12, 3)) == [("Aufbau West", 2)]
    assert board(db, last=date(2026, 12, 2)) == [("Aufbau", 2), ("Kuchen", 2)]
    assert board(db, first=date(2026, 12, 9), last=date(2026, 12, 9)) == [("Aufbau West", 2)]


@pytest.mark.parametrize("chosen", [dict(areas=("nirgendwo",)), dict(task_kinds=("jonglieren",))])
def test_an_unknown_filter_value_is_said_so(db, fest, chosen):
    with pytest.raises(UnknownFilter):
        open_shifts(db, ShiftFilter(**chosen), NOW)


def test_the_board_is_cut_at_the_limit(db, coordinator, fest):
    for hour in range(8, 14):
        make_shift(db, coordinator, fest, f"Schicht {hour}", f"2026-12-02 {hour:02}:00", f"2026-12-02 {hour:02}:30")
    assert [o.shift.task for o in open_shifts(db, ShiftFilter(), NOW, limit=2)] == ["Schicht 8", "Schicht 9"]


def test_a_page_goes_on_after_the_shift_the_last_one_ended_with(db, coordinator, fest):
    for hour in (8, 9, 9, 10, 11):  # two at nine: the id decides between them
        make_shift(db, coordinator, fest, f"Schicht {hour}", f"2026-12-02 {hour:02}:00", f"2026-12-02 {hour:02}:30")
    first = open_shifts(db, ShiftFilter(), NOW, limit=2)
    second = open_shifts(db, ShiftFilter(), NOW, limit=2, after=first[-1].shift.id)
    third = open_shifts(db, ShiftFilter(), NOW, limit=2, after=second[-1].shift.id)
    assert [[o.shift.task for o in found] for found in (first, second, third)] == [
        ["Schicht 8", "Schicht 9"], ["Schicht 9", "Schicht 10"], ["Schicht 11"]]
    assert len({o.shift.id for o in first + second + third}) == 5
    cancel_shift(db, Actor(coordinator), first[-1].shift)  # gone from the board, still a place to go on from
    assert [o.shift.task for o in open_shifts(db, ShiftFilter(), NOW, after=first[-1].shift.id)] == [
        "Schicht 9", "Schicht 10", "Schicht 11"]
    assert count_open_shifts(db, ShiftFilter(), NOW) == 4
    assert count_open_shifts(db, ShiftFilter(task_kinds=("catering",)), NOW) == 0
    with pytest.raises(UnknownFilter):
        open_shifts(db, ShiftFilter(), NOW, after=10_000)


def test_the_board_walks_the_shifts_by_their_start_not_every_approved_event(db, coordinator, fest):
    """With no statistics, SQLite would take the index on the review (every event is approved) and sort
    all shifts; walking the index on the start stops after a page."""
    taken = select(func.count(Signup.slot)).where(Signup.shift_id == Shift.id).scalar_subquery()
    query = select(Shift.id).join(Shift.event).where(*_open(NOW), Shift.places > taken).order_by(
        Shift.starts_at, Shift.id).limit(50)
    sql = str(query.compile(db.get_bind(), compile_kwargs={"literal_binds": True}))
    plan = [row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    assert plan[0].startswith("SEARCH shift USING INDEX ix_shift_starts_at"), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_the_number_of_queries_does_not_grow_with_the_shifts(db, coordinator, fest):
    people = volunteers(db, *(f"Helfer{n} Nord" for n in range(10)))

    def add(count: int, first_day: int) -> None:
        for n in range(count):
            event = make_event(db, coordinator, f"Fest {first_day + n}", f"2026-12-{first_day + n:02} 10:00",
                               f"2026-12-{first_day + n:02} 18:00", area=fest.area)
            shift = make_shift(db, coordinator, event, starts=f"2026-12-{first_day + n:02} 10:00",
                               ends=f"2026-12-{first_day + n:02} 12:00", places=3)
            take_place(db, people[n], shift, NOW)

    def read() -> None:
        db.expire_all()
        for found in open_shifts(db, ShiftFilter(areas=("nord",)), NOW):
            (found.event.title, found.event.place, found.event.area and found.event.area.name,
             [e.cancelled for e in found.event.exceptions])

    add(2, 3)
    few = count_queries(db.get_bind(), read)
    add(10, 10)
    assert len(open_shifts(db, ShiftFilter(), NOW)) == 12
    assert count_queries(db.get_bind(), read) == few


def test_shifts_that_began_leave_the_board(db, coordinator, fest):
    shift = make_shift(db, coordinator, fest, "Aufbau", "2026-12-02 08:00", "2026-12-02 10:00")
    assert board(db, now=shift.starts_at - timedelta(minutes=1)) == [("Aufbau", 2)]
    assert board(db, now=shift.starts_at) == []


def test_a_shift_whose_date_left_the_series_is_not_on_the_board(db, coordinator):
    lunch = make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                       recurrence=Recurrence("weekly"))
    kept = [make_shift(db, coordinator, lunch, f"Kochen {day[-2:]}", f"{day} 10:00", f"{day} 12:00")
            for day in ("2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23")][1]
    party = make_event(db, coordinator, "Silvester", "2026-12-31 18:00", "2026-12-31 23:00")
    make_shift(db, coordinator, party, "Deko", "2026-12-31 16:00", "2026-12-31 18:00")
    lunch.repeat_until = date(2026, 12, 9)  # shortened: the 16th and 23rd are gone
    assert board(db) == [("Kochen 02", 2), ("Kochen 09", 2), ("Deko", 2)]
    # A page goes on past the dates that are gone, so it is still full when more shifts follow.
    assert [o.shift.task for o in open_shifts(db, ShiftFilter(), NOW, limit=1, after=kept.id)] == ["Deko"]

