"""Shifts follow their date: moved with one date, moved back when the change is undone, re-keyed when the
whole series changes, handed to the new series of a split, and left behind (not taking place) when their
date is gone. What moved or went is returned, so the people on those shifts can be told."""

from datetime import date

import pytest
from sqlalchemy import select

from calendar_world import at, make_event
from calendars.events import EventDraft, change_date, restore_date, split_series, update_event
from calendars.models import Event, Shift
from calendars.recurrence import Recurrence
from calendars.shift_dates import ShiftMove, ShiftMoves, signed_up
from calendars.shifts import cancel_shift, not_called_off, not_taking_place, shifts_on
from calendars.signups import cancel_signup, join_waiting_list, take_place
from governance.history import history_of
from governance.permissions import Actor
from shift_world import NOW, make_shift, volunteers

GONE = "An diesem Tag findet kein Termin statt."
CANCELLED = "Dieser Termin ist abgesagt."


@pytest.fixture
def lunch(db, coordinator):
    """A weekly series on Wednesdays, 12:00–13:00, from 2 December 2026."""
    return make_event(db, coordinator, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                      recurrence=Recurrence("weekly"))


def series(starts: str, ends: str, **recurrence) -> EventDraft:
    return EventDraft("Mittagstisch", "offer", at(starts), at(ends), recurrence=Recurrence("weekly", **recurrence))


def when(shift: Shift) -> tuple:
    return shift.starts_at, shift.ends_at


def taking_place(db) -> list[Shift]:
    """The shifts the SQL part of the rule lets through (what the board and the feeds start from)."""
    query = select(Shift).join(Event, Event.id == Shift.event_id).where(*not_called_off()).order_by(Shift.id)
    return list(db.scalars(query))


# --- one date ----------------------------------------------------------------------------------

def test_moving_one_date_moves_its_shifts_by_as_much(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    other = make_shift(db, coordinator, lunch, "Kochen", "2026-12-16 10:00", "2026-12-16 12:30")
    _, moves = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 14:00"),
                           at("2026-12-10 15:00"))
    assert when(cooking) == (at("2026-12-10 12:00"), at("2026-12-10 14:30"))
    assert cooking.occurrence_start == at("2026-12-09 12:00") and not_taking_place(cooking) is None
    assert [view.shift for view in shifts_on(db, lunch, at("2026-12-09 12:00"))] == [cooking]
    assert when(other) == (at("2026-12-16 10:00"), at("2026-12-16 12:30"))
    assert moves == ShiftMoves(moved=(ShiftMove(cooking, at("2026-12-09 10:00"), at("2026-12-09 12:30")),))
    assert history_of(db, "shift", cooking.id)[0].action == "moved"


def test_a_date_moved_across_the_change_of_clocks_keeps_its_shifts_at_the_same_wall_time(db, coordinator):
    """Summer time ends on 25 October 2026: a week later is 169 hours, and 10:00 stays 10:00."""
    breakfast = make_event(db, coordinator, "Frühstück", "2026-10-14 10:00", "2026-10-14 11:00",
                           recurrence=Recurrence("weekly"))
    setup = make_shift(db, coordinator, breakfast, "Aufbau", "2026-10-21 09:00", "2026-10-21 10:00")
    change_date(db, Actor(coordinator), breakfast, date(2026, 10, 21), at("2026-10-28 10:00"), at("2026-10-28 11:00"))
    assert when(setup) == (at("2026-10-28 09:00"), at("2026-10-28 10:00"))


def test_a_shift_the_evening_before_keeps_its_wall_time_when_the_clocks_changed_in_between(db, coordinator):
    """The setup on Saturday (summer time) for Sunday's date (winter time): a week later it is still at 18:00."""
    flea_market = make_event(db, coordinator, "Flohmarkt", "2026-10-18 10:00", "2026-10-18 14:00",
                             recurrence=Recurrence("weekly"))
    setup = make_shift(db, coordinator, flea_market, "Aufbau", "2026-10-24 18:00", "2026-10-24 20:00",
                       day=date(2026, 10, 25))
    change_date(db, Actor(coordinator), flea_market, date(2026, 10, 25), at("2026-11-01 10:00"),
                at("2026-11-01 14:00"))
    assert when(setup) == (at("2026-10-31 18:00"), at("2026-10-31 20:00"))


def test_only_changing_the_place_moves_no_shift(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    _, moves = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"),
                           at("2026-12-09 13:00"), place="Gemeindehaus")
    assert (when(cooking), moves) == ((at("2026-12-09 10:00"), at("2026-12-09 12:30")), ShiftMoves())


def test_undoing_the_change_moves_the_shifts_back(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 14:00"), at("2026-12-10 15:00"))
    moves = restore_date(db, Actor(coordinator), lunch, date(2026, 12, 9))
    assert when(cooking) == (at("2026-12-09 10:00"), at("2026-12-09 12:30"))
    assert moves.moved == (ShiftMove(cooking, at("2026-12-10 12:00"), at("2026-12-10 14:30")),)
    assert restore_date(db, Actor(coordinator), lunch, date(2026, 12, 9)) == ShiftMoves()


def test_cancelling_a_date_names_its_shifts_gone_once(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    called_off = make_shift(db, coordinator, lunch, "Spülen", "2026-12-09 13:00", "2026-12-09 14:00")
    cancel_shift(db, Actor(coordinator), called_off)  # its people were told then
    _, moves = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"),
                           at("2026-12-09 13:00"), cancelled=True)
    assert moves == ShiftMoves(gone=(cooking,)) and not_taking_place(cooking) == CANCELLED
    _, again = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"),
                           at("2026-12-09 13:00"), note="Ferien", cancelled=True)
    assert again == ShiftMoves()


def test_who_is_told_holds_a_place_or_waits(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30", places=1)
    anna, ben, cem = volunteers(db, "Anna Aufbau", "Ben Bauer", "Cem Celik")
    held = take_place(db, anna, cooking, NOW)
    waiting = join_waiting_list(db, ben, cooking, NOW)
    cancel_signup(db, cem, join_waiting_list(db, cem, cooking, NOW), NOW)
    assert signed_up(cooking) == [held, waiting]


# --- the whole series --------------------------------------------------------------------------

def test_a_new_start_time_for_the_series_moves_its_shifts_and_they_still_take_place(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    holiday = make_shift(db, coordinator, lunch, "Kochen", "2026-12-23 10:00", "2026-12-23 12:30")
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 23), at("2026-12-23 12:00"), at("2026-12-23 13:00"),
                cancelled=True)
    _, moves = update_event(db, Actor(coordinator), lunch, series("2026-12-02 14:00", "2026-12-02 15:00"),
                            lunch.version_id)
    assert when(cooking) == (at("2026-12-09 12:00"), at("2026-12-09 14:30"))
    assert cooking.occurrence_start == at("2026-12-09 14:00") and not_taking_place(cooking) is None
    assert holiday.occurrence_start == at("2026-12-23 14:00") and not_taking_place(holiday) == CANCELLED
    assert taking_place(db) == [cooking]
    assert moves.moved == (ShiftMove(cooking, at("2026-12-09 10:00"), at("2026-12-09 12:30")),)
    assert moves.gone == ()


def test_a_date_moved_on_its_own_keeps_its_shifts_when_the_series_changes(db, coordinator, lunch):
    cooking = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 12:00"), at("2026-12-10 13:00"))
    update_event(db, Actor(coordinator), lunch, series("2026-12-02 14:00", "2026-12-02 15:00"), lunch.version_id)
    assert when(cooking) == (at("2026-12-10 10:00"), at("2026-12-10 12:30"))
    assert cooking.occurrence_start == at("2026-12-09 14:00") and not_taking_place(cooking) is None


def test_a_date_dropped_from_the_series_leaves_its_shift_not_taking_place(db, coordinator, lunch):
    kept = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    dropped = make_shift(db, coordinator, lunch, "Kochen", "2026-12-23 10:00", "2026-12-23 12:30")
    _, moves = update_event(db, Actor(coordinator), lunch,
                            series("2026-12-02 12:00", "2026-12-02 13:00", until=date(2026, 12, 16)),
                            lunch.version_id)
    assert moves == ShiftMoves(gone=(dropped,))
    assert (not_taking_place(kept), not_taking_place(dropped)) == (None, GONE)
    assert when(dropped) == (at("2026-12-23 10:00"), at("2026-12-23 12:30"))


def test_the_shifts_of_a_single_event_follow_it_to_another_day(db, coordinator):
    fest = make_event(db, coordinator, "Stadtteilfest", "2026-12-02 10:00", "2026-12-02 18:00", kind="festival")
    cake = make_shift(db, coordinator, fest, "Kuchenstand", "2026-12-02 13:00", "2026-12-02 16:00")
    update_event(db, Actor(coordinator), fest, EventDraft("Stadtteilfest", "festival", at("2026-12-05 11:00"),
                                                          at("2026-12-05 19:00")), fest.version_id)
    assert when(cake) == (at("2026-12-05 14:00"), at("2026-12-05 17:00"))
    assert cake.occurrence_start == at("2026-12-05 11:00") and not_taking_place(cake) is None


# --- this and all following dates ---------------------------------------------------------------

def test_a_split_hands_the_later_shifts_to_the_new_series(db, coordinator, lunch):
    early = make_shift(db, coordinator, lunch, "Kochen", "2026-12-09 10:00", "2026-12-09 12:30")
    late = make_shift(db, coordinator, lunch, "Kochen", "2026-12-23 10:00", "2026-12-23 12:30")
    successor, moves = split_series(db, Actor(coordinator), lunch, date(2026, 12, 16),
                                    series("2026-12-16 12:30", "2026-12-16 13:30"), lunch.version_id)
    assert (early.event, when(early)) == (lunch, (at("2026-12-09 10:00"), at("2026-12-09 12:30")))
    assert (late.event, late.occurrence_start) == (successor, at("2026-12-23 12:30"))
    assert when(late) == (at("2026-12-23 10:30"), at("2026-12-23 13:00"))
    assert not_taking_place(late) is None and taking_place(db) == [early, late]
    assert moves == ShiftMoves(moved=(ShiftMove(late, at("2026-12-23 10:00"), at("2026-12-23 12:30")),))


def test_a_split_whose_new_series_lacks_the_day_leaves_the_shift_behind(db, coordinator, lunch):
    late = make_shift(db, coordinator, lunch, "Kochen", "2026-12-23 10:00", "2026-12-23 12:30")
    _, moves = split_series(db, Actor(coordinator), lunch, date(2026, 12, 16),
                            series("2026-12-17 12:00", "2026-12-17 13:00"), lunch.version_id)  # Thursdays
    assert (late.event, not_taking_place(late)) == (lunch, GONE)
    assert moves == ShiftMoves(gone=(late,))
