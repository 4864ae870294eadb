"""How the load is spread: confirmed hours per volunteer, the busiest fifth's share, Gini, the Lorenz curve,
shifts still short of people and volunteers nobody reached for long."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, insert
from sqlalchemy.exc import IntegrityError

from calendar_world import at, make_event
from calendars.events import change_date
from calendars.fairness import (PAGE_SIZE, SHORT_LISTED, fairness, gini, headline, hours_per_volunteer,
                                last_twelve_months, lorenz_points, top_share)
from calendars.models import Event, Shift, Signup, Volunteer
from calendars.recurrence import Recurrence
from calendars.shifts import update_shift
from governance.errors import DomainError
from governance.people import create_person
from governance.permissions import Actor
from governance.times import from_berlin
from shift_world import draft

FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
TODAY = date(2026, 11, 23)


@pytest.fixture
def fest(db, coordinator) -> Event:
    return make_event(db, coordinator, "Stadtteilfest", "2026-02-14 10:00", "2026-02-14 18:00")


def shift_at(db, event: Event, starts: datetime, minutes: int = 120, places: int = 1, task: str = "Aufbau",
             **fields) -> Shift:
    shift = Shift(event=event, occurrence_start=event.starts_at, task=task, task_kind="setup",
                  starts_at=starts, ends_at=starts + timedelta(minutes=minutes), places=places, **fields)
    db.add(shift)
    db.flush()
    return shift


def signup(db, shift: Shift, person, state: str = "taken", attended: bool | None = None,
           minutes: int | None = None) -> Signup:
    slot = len([s for s in shift.signups if s.slot]) + 1 if state == "taken" else None
    row = Signup(shift=shift, person=person, state=state, slot=slot, attended=attended, minutes=minutes)
    db.add(row)
    db.flush()
    return row


def confirm(db, event: Event, person, minutes: int, wall_time: str = "2026-02-14 10:00") -> Signup:
    """`minutes` of confirmed help by `person` on a shift of its own starting at `wall_time` (Berlin)."""
    shift = shift_at(db, event, at(wall_time), minutes)
    return signup(db, shift, person, attended=True, minutes=minutes)


def people(db, count: int, prefix: str = "Helfende"):
    return [create_person(db, f"{prefix} {number:02d}", f"{prefix.lower()}{number:02d}@example.org")
            for number in range(1, count + 1)]


# The measures, against hand-computed values ----------------------------------------------------

def test_gini_is_zero_when_everyone_gives_the_same():
    assert gini([5.0, 5.0, 5.0, 5.0]) == 0.0


@pytest.mark.parametrize("n", [2, 4, 10])
def test_gini_is_n_minus_one_over_n_when_one_person_gives_everything(n):
    assert gini([0.0] * (n - 1) + [12.0]) == pytest.approx((n - 1) / n)


def test_gini_of_a_small_example_is_the_mean_difference_over_twice_the_mean():
    # |1-2|+|1-3|+|2-3| = 4, over ordered pairs 8; 8 / (2 · 3² · mean 2) = 2/9
    assert gini([3.0, 1.0, 2.0]) == pytest.approx(2 / 9)


def test_gini_of_nothing_is_zero():
    assert (gini([]), gini([0.0, 0.0])) == (0.0, 0.0)


def test_the_busiest_fifth_of_seven_is_one_and_two_fifths_persons():
    # 8 hours + 0.4 of a 1-hour volunteer = 8.4 of 14 hours
    assert top_share([1, 1, 1, 1, 1, 1, 8]) == pytest.approx(0.6)
    assert top_share([2, 2, 2, 2, 2]) == pytest.approx(0.2)
    assert top_share([]) is None


def test_the_lorenz_curve_runs_from_nobody_to_everyone_through_at_most_101_points():
    points = lorenz_points(list(range(1, 5001)))
    assert len(points) == 101
    assert (points[0], points[-1]) == ((0.0, 0.0), (1.0, 1.0))
    assert all(a[0] < b[0] and a[1] <= b[1] for a, b in zip(points, points[1:]))
    assert lorenz_points([60, 60]) == [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]


def test_the_default_period_is_the_twelve_months_up_to_today():
    assert last_twelve_months(date(2026, 11, 23)) == (date(2025, 11, 24), date(2026, 11, 23))


# The figures of a period -----------------------------------------------------------------------

def test_two_of_ten_volunteers_carrying_eighty_percent_shows_in_every_figure(db, fest):
    many, few = people(db, 2, "Viel"), people(db, 8, "Wenig")
    for person in many:
        for _ in range(4):  # four shifts of ten hours
            confirm(db, fest, person, 600)
    for person in few:
        confirm(db, fest, person, 150)

    found = fairness(db, *FEBRUARY, TODAY)

    assert (found.headline.volunteers, found.headline.hours) == (10, 100.0)
    assert found.headline.top_fifth_share == pytest.approx(0.8)
    assert found.headline.gini == pytest.approx(0.6)  # 2·(2.5·36 + 40·9 + 40·10) / (10·100) − 11/10
    assert [(row.rank, row.name, row.hours, row.shifts) for row in found.rows[:3]] == [
        (1, "Viel 01", 40.0, 4), (2, "Viel 02", 40.0, 4), (3, "Wenig 01", 2.5, 1)]
    assert len(found.lorenz) == 11 and found.lorenz[8] == (0.8, pytest.approx(0.2))
    assert headline(db, *FEBRUARY) == found.headline


def test_only_shifts_starting_on_a_berlin_day_of_the_period_count(db, fest):
    before, first, last, after = people(db, 4)
    confirm(db, fest, before, 60, "2026-01-31 23:30")
    confirm(db, fest, first, 60, "2026-02-01 00:00")  # 2026-01-31 23:00 UTC
    confirm(db, fest, last, 60, "2026-02-28 23:59")
    confirm(db, fest, after, 60, "2026-03-01 00:00")

    assert [row.name for row in hours_per_volunteer(db, *FEBRUARY)] == [first.name, last.name]


def test_only_confirmed_minutes_count(db, fest):
    came, absent, unconfirmed, waiting, zero = people(db, 5)
    shift = shift_at(db, fest, at("2026-02-14 10:00"), 180, places=5)
    signup(db, shift, came, attended=True, minutes=180)
    signup(db, shift, absent, attended=False)
    signup(db, shift, unconfirmed)
    signup(db, shift, waiting, state="waiting")
    signup(db, shift, zero, attended=True, minutes=0)

    found = fairness(db, *FEBRUARY, TODAY)

    assert (found.headline.volunteers, found.headline.hours) == (1, 3.0)
    assert [row.name for row in found.rows] == [came.name]


def test_a_forgotten_person_still_counts_anonymously(db, fest):
    gone, stays = people(db, 2)
    confirm(db, fest, gone, 240)
    confirm(db, fest, stays, 60)
    gone.name, gone.email = "Gelöschte Person", None  # as calendars.volunteers.forget_person leaves them
    db.flush()

    found = fairness(db, *FEBRUARY, TODAY)

    assert found.headline.volunteers == 2
    assert [(row.name, row.hours) for row in found.rows] == [("Gelöschte Person", 4.0), (stays.name, 1.0)]


def test_hours_move_with_a_shift_moved_after_confirmation(db, coordinator, fest):
    came, absent = people(db, 2)
    shift = shift_at(db, fest, at("2026-02-27 10:00"), 120, places=2)
    confirmed, missed = signup(db, shift, came, attended=True, minutes=120), signup(db, shift, absent, attended=False)

    update_shift(db, Actor(coordinator), shift, draft(starts="2026-03-02 10:00", ends="2026-03-02 13:00"),
                 shift.version_id)

    assert fairness(db, *FEBRUARY, TODAY).headline.volunteers == 0
    march = hours_per_volunteer(db, date(2026, 3, 1), date(2026, 3, 31))
    assert [(row.name, row.hours) for row in march] == [(came.name, 2.0)]  # the confirmed length stays
    assert (confirmed.worked_at, missed.worked_at) == (at("2026-03-02 10:00"), None)


def test_hours_corrected_to_absent_no_longer_count(db, fest):
    person = people(db, 1)[0]
    row = confirm(db, fest, person, 120)
    row.attended, row.minutes = False, None
    db.flush()

    assert (row.worked_at, fairness(db, *FEBRUARY, TODAY).headline.minutes) == (None, 0)


def test_the_database_refuses_confirmed_hours_without_the_shifts_start(db, fest):
    person = people(db, 1)[0]
    shift = shift_at(db, fest, at("2026-02-14 10:00"))
    with pytest.raises(IntegrityError):
        db.execute(insert(Signup).values(shift_id=shift.id, person_id=person.id, state="taken", slot=1,
                                         attended=True, minutes=120))


def test_the_hours_per_person_come_from_one_index_without_the_shifts(db, fest):
    """What keeps /fairness fast with 100,000 sign-ups: no join, no sorting of sign-ups by person."""
    confirm(db, fest, people(db, 1)[0], 60)
    seen = []
    engine = db.get_bind()
    record = lambda connection, cursor, statement, parameters, context, many: seen.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", record)
    try:
        headline(db, *FEBRUARY)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    statement, parameters = seen[-1]
    plan = " / ".join(row[3] for row in db.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                        parameters))
    assert "COVERING INDEX ix_signup_hours" in plan and "shift" not in plan and "GROUP BY" not in plan, plan


def test_a_period_ending_before_it_starts_is_refused_on_its_end(db):
    with pytest.raises(DomainError) as refused:
        fairness(db, date(2026, 3, 1), date(2026, 2, 1), TODAY)
    assert refused.value.field == "to"


def test_the_table_comes_in_pages_the_figures_count_everyone(db, fest):
    for number, person in enumerate(people(db, PAGE_SIZE * 2 + 5)):
        confirm(db, fest, person, 60 + number)

    third = fairness(db, *FEBRUARY, TODAY, page=3)

    assert (third.page, third.pages, third.headline.volunteers) == (3, 3, PAGE_SIZE * 2 + 5)
    assert [row.rank for row in third.rows] == list(range(PAGE_SIZE * 2 + 1, PAGE_SIZE * 2 + 6))
    assert third.rows[-1].minutes == 60
    assert fairness(db, *FEBRUARY, TODAY, page=99).page == 3


# What needs doing ------------------------------------------------------------------------------

def test_shifts_short_of_people_in_the_next_thirty_days_soonest_first(db, coordinator):
    now = from_berlin(datetime(2026, 11, 23, 12, 0))
    helper = create_person(db, "Hanna Helferin", "hanna@example.org")
    event = make_event(db, coordinator, "Laternenumzug", "2026-11-24 17:00", "2026-11-24 19:00")
    later = shift_at(db, event, from_berlin(datetime(2026, 12, 23, 18, 0)), places=2, task="Abbau")
    half = shift_at(db, event, from_berlin(datetime(2026, 11, 24, 16, 0)), places=3, task="Kuchenstand")
    signup(db, half, helper)
    full = shift_at(db, event, from_berlin(datetime(2026, 11, 24, 17, 0)), places=1)
    signup(db, full, helper)
    shift_at(db, event, from_berlin(datetime(2026, 11, 23, 10, 0)))  # this morning: over
    shift_at(db, event, from_berlin(datetime(2026, 11, 25, 10, 0)), cancelled=True)
    shift_at(db, event, from_berlin(datetime(2026, 12, 24, 10, 0)))  # 31 days ahead
    cancelled = make_event(db, coordinator, "Abgesagt", "2026-11-26 10:00", "2026-11-26 12:00", status="cancelled")
    shift_at(db, cancelled, from_berlin(datetime(2026, 11, 26, 10, 0)))

    found = fairness(db, *FEBRUARY, TODAY, now=now)

    assert [(short.shift.task, short.places_left) for short in found.short_shifts] == [("Kuchenstand", 2),
                                                                                      ("Abbau", 2)]
    assert found.more_short_shifts is False and found.short_shifts[1].shift is later


def test_a_long_list_of_short_shifts_is_cut_and_says_there_are_more(db, coordinator):
    event = make_event(db, coordinator, "Laternenumzug", "2026-11-24 17:00", "2026-11-24 19:00")
    for number in range(SHORT_LISTED + 1):
        shift_at(db, event, from_berlin(datetime(2026, 11, 25, 10, 0)) + timedelta(minutes=number))

    found = fairness(db, *FEBRUARY, TODAY)

    assert (len(found.short_shifts), found.more_short_shifts) == (SHORT_LISTED, True)


def test_a_cancelled_date_of_a_series_has_no_short_shifts(db, coordinator):
    series = make_event(db, coordinator, "Spieletreff", "2026-11-25 15:00", "2026-11-25 17:00",
                        recurrence=Recurrence("weekly", count=3))
    change_date(db, Actor(coordinator), series, date(2026, 12, 2), at("2026-12-02 15:00"), at("2026-12-02 17:00"),
                cancelled=True)
    for day in (25, 2):
        start = at(f"2026-{11 if day == 25 else 12}-{day:02d} 15:00")
        db.add(Shift(event=series, occurrence_start=start, task=f"Tag {day}", starts_at=start,
                     ends_at=start + timedelta(hours=2), places=2))
    db.flush()

    found = fairness(db, *FEBRUARY, TODAY)

    assert [short.shift.task for short in found.short_shifts] == ["Tag 25"]


def test_volunteers_neither_asked_nor_active_for_six_months_never_active_first(db):
    long_ago, recently = from_berlin(datetime(2026, 4, 1, 12, 0)), from_berlin(datetime(2026, 10, 1, 12, 0))
    never, quiet, active, asked, pausing = people(db, 5)
    for person, fields in ((never, {}), (quiet, {"last_active_at": long_ago, "last_asked_at": long_ago}),
                           (active, {"last_active_at": recently}),
                           (asked, {"last_asked_at": recently, "last_active_at": long_ago}),
                           (pausing, {"paused_until": date(2026, 12, 31)})):
        db.add(Volunteer(person=person, **fields))
    db.flush()

    found = fairness(db, *FEBRUARY, TODAY)

    assert [(row.name, row.last_active_at) for row in found.idle] == [(never.name, None), (quiet.name, long_ago)]
    assert (found.idle_count, found.idle_since) == (2, date(2026, 5, 23))
