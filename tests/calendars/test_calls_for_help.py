"""Calls for help: a shift short of people asks, five at a time, the matching volunteers who carried least,
and never those asked lately, paused, at their monthly limit, already there that day, unconfirmed or stopped."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from calendar_world import at, make_event
from calendars.models import Reminder, ReminderStop
from calendars.reminders.calls import BATCH, candidates, next_batch_at, run_round
from calendars.reminders.sync import settle
from calendars.shifts import cancel_shift
from calendars.signups import cancel_signup, confirm_attendance, join_waiting_list, take_place
from calendars.volunteers import update_preferences, volunteer_of
from governance.organisations import create_area
from governance.people import create_person
from governance.permissions import Actor
from shift_world import NOW, make_shift, volunteers

LONG_AGO = at("2026-06-01 12:00")


@pytest.fixture
def nord(db):
    return create_area(db, "Nord")


@pytest.fixture
def fest(db, coordinator, nord):
    return make_event(db, coordinator, "Stadtteilfest", "2026-12-02 09:00", "2026-12-02 18:00", kind="festival",
                      area=nord)


@pytest.fixture
def shift(db, coordinator, fest):
    """Aufbau (setup) on 2 December 10:00–12:00, two places."""
    return make_shift(db, coordinator, fest)


@pytest.fixture
def first_round(db, shift) -> Reminder:
    settle(db, NOW)
    return db.scalar(select(Reminder).where(Reminder.kind == "help_round", Reminder.subject_id == shift.id,
                                            Reminder.round == 1))


def helper(db, name: str, confirmed: bool = True, **preferences):
    """A volunteer with a confirmed address (unless told otherwise) and the given preferences."""
    person = volunteers(db, name)[0]
    volunteer_of(db, person, confirmed_at=LONG_AGO if confirmed else None)
    if preferences:
        values = dict(areas=(), target_groups=(), task_kinds=(), max_hours_per_month=None, lead_hours=48,
                      paused_until=None)
        update_preferences(db, person, **{**values, **preferences})
    return person


def asked(db, person, when) -> None:
    volunteer_of(db, person).last_asked_at = when
    db.flush()


def carried(db, coordinator, person, day: str, hours: int) -> None:
    """`hours` of confirmed help by `person` on `day` (a shift of its own from 10:00)."""
    event = make_event(db, coordinator, "Aufräumen", f"{day} 09:00", f"{day} 20:00")
    shift = make_shift(db, coordinator, event, starts=f"{day} 10:00", ends=f"{day} {10 + hours}:00", places=1)
    take_place(db, person, shift, at("2026-05-01 09:00"))
    confirm_attendance(db, Actor(coordinator), shift, now=NOW)


def holds(db, coordinator, person, starts: str, hours: int = 2, **fields):
    """A place `person` holds on a shift of an event of its own starting at `starts`."""
    day = starts[:10]
    event = make_event(db, coordinator, "Markt", f"{day} 06:00", f"{day} 23:00")
    other = make_shift(db, coordinator, event, starts=starts, ends=f"{day} {int(starts[11:13]) + hours:02d}:00",
                       **fields)
    take_place(db, person, other, NOW)
    return other


def names(found) -> list[str]:
    return [volunteer.person.name for volunteer in found]


# --- who is asked first ------------------------------------------------------------------------

def test_those_who_carried_least_lately_and_were_asked_longest_ago_come_first(db, coordinator, shift):
    most, some, never, old_hours, month_ago, week_ago = (helper(db, name) for name in (
        "Mia Meist", "Sam Etwas", "Nie Gefragt", "Olli Frueher", "Mona Monat", "Wanda Woche"))
    carried(db, coordinator, most, "2026-10-10", 4)
    carried(db, coordinator, some, "2026-11-14", 2)
    carried(db, coordinator, old_hours, "2026-08-01", 10)  # more than 90 days ago: counts no more
    asked(db, month_ago, NOW - timedelta(days=30))
    asked(db, week_ago, NOW - timedelta(days=8))
    assert names(candidates(db, shift, 1, NOW, 10)) == [
        "Nie Gefragt", "Olli Frueher", "Mona Monat", "Wanda Woche", "Sam Etwas", "Mia Meist"]


def test_a_round_asks_five_at_most_and_notes_when_they_were_asked(db, shift, first_round):
    people = [helper(db, f"Helfende {n}") for n in range(1, 8)]
    calls = run_round(db, first_round, NOW)
    assert len(calls) == BATCH == 5
    assert [(c.kind, c.subject_type, c.subject_id, c.round, c.due_at, c.state) for c in calls] == [
        ("call_for_help", "shift", shift.id, 1, NOW, "pending")] * 5
    assert [c.recipient_id for c in calls] == [p.id for p in people[:5]]
    assert [volunteer_of(db, p).last_asked_at for p in people] == [NOW] * 5 + [None] * 2
    assert len({c.message_id for c in calls}) == 5


def test_the_next_batch_asks_the_next_ones_and_nobody_twice_in_a_round(db, shift, first_round):
    people = [helper(db, f"Helfende {n}") for n in range(1, 8)]
    run_round(db, first_round, NOW)
    second = run_round(db, first_round, NOW + timedelta(days=1))
    assert [c.recipient_id for c in second] == [p.id for p in people[5:]]
    # a week later the first ones could be asked again, but not in this round
    assert run_round(db, first_round, NOW + timedelta(days=8)) == []


def test_the_second_round_may_ask_the_first_rounds_people_again_after_a_week(db, shift, first_round):
    anna = helper(db, "Anna Aufbau")
    run_round(db, first_round, NOW)
    second_round = db.scalar(select(Reminder).where(Reminder.kind == "help_round", Reminder.round == 2))
    assert run_round(db, second_round, NOW + timedelta(days=6)) == []  # asked within the week
    assert [c.recipient_id for c in run_round(db, second_round, NOW + timedelta(days=7, minutes=1))] == [anna.id]


# --- who is never asked ------------------------------------------------------------------------

def test_nobody_is_asked_twice_within_a_week(db, shift):
    six_days, eight_days = helper(db, "Sechs Tage"), helper(db, "Acht Tage")
    asked(db, six_days, NOW - timedelta(days=6))
    asked(db, eight_days, NOW - timedelta(days=8))
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Acht Tage"]


def test_paused_volunteers_are_left_alone_until_the_day_after_their_pause(db, shift):
    helper(db, "Pause Heute", paused_until=date(2026, 11, 20))
    helper(db, "Pause Lange", paused_until=date(2027, 1, 31))
    helper(db, "Pause Vorbei", paused_until=date(2026, 11, 19))
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Pause Vorbei"]


def test_the_monthly_limit_counts_the_places_held_that_month(db, coordinator, shift):
    over = helper(db, "Zu Viel", max_hours_per_month=3)
    exactly = helper(db, "Genau Richtig", max_hours_per_month=4)
    other_month = helper(db, "Anderer Monat", max_hours_per_month=3)
    helper(db, "Kurz Angebunden", max_hours_per_month=1)  # the shift alone lasts two hours
    holds(db, coordinator, over, "2026-12-20 10:00")
    holds(db, coordinator, exactly, "2026-12-20 10:00")
    holds(db, coordinator, other_month, "2026-11-28 10:00")
    assert sorted(names(candidates(db, shift, 1, NOW, 10))) == ["Anderer Monat", "Genau Richtig"]


def test_a_place_on_a_cancelled_shift_does_not_count_toward_the_monthly_limit(db, coordinator, shift):
    freed = helper(db, "Frei Geworden", max_hours_per_month=3)
    other = holds(db, coordinator, freed, "2026-12-20 10:00")
    cancel_shift(db, Actor(coordinator), other)
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Frei Geworden"]


def test_those_already_on_that_date_of_the_event_are_not_asked(db, coordinator, fest, shift):
    there, waiting, gave_back, elsewhere = (helper(db, name) for name in (
        "Schon Da", "Auf Warteliste", "Abgesagt", "Andernorts"))
    catering = make_shift(db, coordinator, fest, "Kuchen", "2026-12-02 14:00", "2026-12-02 16:00", places=1,
                          kind="catering")
    take_place(db, there, catering, NOW)
    join_waiting_list(db, waiting, catering, NOW)
    cancel_signup(db, gave_back, take_place(db, gave_back, shift, NOW), NOW)
    holds(db, coordinator, elsewhere, "2026-12-02 15:00")  # another event that day
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Abgesagt", "Andernorts"]


def test_only_confirmed_addresses_are_asked(db, shift):
    helper(db, "Bestaetigt")
    helper(db, "Unbestaetigt", confirmed=False)
    no_address = create_person(db, "Ohne Adresse")
    volunteer_of(db, no_address, confirmed_at=LONG_AGO)
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Bestaetigt"]


def test_who_stopped_calls_for_help_is_not_asked(db, shift):
    stopped, other_kind = helper(db, "Keine Aufrufe"), helper(db, "Keine Erinnerung")
    db.add_all([ReminderStop(person_id=stopped.id, kind="call_for_help"),
                ReminderStop(person_id=other_kind.id, kind="shift_upcoming")])
    db.flush()
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Keine Erinnerung"]


# --- preferences -------------------------------------------------------------------------------

def test_the_area_must_match_unless_none_was_chosen(db, shift, nord):
    west = create_area(db, "West")
    helper(db, "Nur Nord", areas=[nord])
    helper(db, "Nur West", areas=[west])
    helper(db, "West Und Nord", areas=[west, nord])
    helper(db, "Ueberall")
    assert sorted(names(candidates(db, shift, 1, NOW, 10))) == ["Nur Nord", "Ueberall", "West Und Nord"]


def test_an_event_without_an_area_may_ask_everyone(db, coordinator, nord):
    helper(db, "Nur Nord", areas=[nord])
    event = make_event(db, coordinator, "Netzwerktag", "2026-12-05 09:00", "2026-12-05 18:00")
    shift = make_shift(db, coordinator, event, starts="2026-12-05 10:00", ends="2026-12-05 12:00")
    assert names(candidates(db, shift, 1, NOW, 10)) == ["Nur Nord"]


def test_the_kind_of_task_must_match_unless_none_was_chosen(db, shift):
    helper(db, "Nur Aufbau", task_kinds=("setup",))
    helper(db, "Nur Kuchen", task_kinds=("catering",))
    helper(db, "Kuchen Und Aufbau", task_kinds=("catering", "setup"))
    helper(db, "Alles")
    assert sorted(names(candidates(db, shift, 1, NOW, 10))) == ["Alles", "Kuchen Und Aufbau", "Nur Aufbau"]


# --- when a round asks nobody ------------------------------------------------------------------

def test_a_full_shift_asks_nobody(db, shift, first_round):
    anna, ben, cem = (helper(db, name) for name in ("Anna Aufbau", "Ben Bauer", "Cem Celik"))
    take_place(db, anna, shift, NOW)
    take_place(db, ben, shift, NOW)
    assert run_round(db, first_round, NOW) == []
    assert volunteer_of(db, cem).last_asked_at is None


def test_a_cancelled_shift_asks_nobody(db, coordinator, shift, first_round):
    helper(db, "Anna Aufbau")
    cancel_shift(db, Actor(coordinator), shift)
    assert run_round(db, first_round, NOW) == []


def test_a_shift_that_began_asks_nobody(db, shift, first_round):
    helper(db, "Anna Aufbau")
    assert run_round(db, first_round, at("2026-12-02 10:00")) == []


def test_the_next_batch_comes_a_day_later_unless_that_is_too_late(shift):
    assert next_batch_at(shift.starts_at, NOW) == NOW + timedelta(days=1)
    assert next_batch_at(shift.starts_at, shift.starts_at - timedelta(hours=20)) is None
