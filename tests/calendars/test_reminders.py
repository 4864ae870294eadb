"""Reminders follow their subjects: who gets which reminder when, for shifts, meetings, tasks and milestones,
moved, cancelled or restored with every change; lead times, stopped kinds and the key that makes a reminder once."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from calendar_world import at, make_event
from calendars.events import change_date, review_event
from calendars.models import Reminder, ReminderStop
from calendars.models.reminders import MAX_LEAD_HOURS
from calendars.recurrence import Recurrence
from calendars.reminders.leads import before, leads, set_lead
from calendars.reminders.plans import Wanted, plan
from calendars.reminders.stops import STOPPABLE, choose, stop
from calendars.reminders.sync import message_id, new_reminder, replan, settle
from calendars.shifts import cancel_shift, update_shift
from calendars.signups import cancel_signup, take_place
from calendars.volunteers import update_preferences
from governance.base import utcnow
from governance.errors import DomainError
from governance.groups import add_membership
from governance.meetings import MeetingDraft, schedule_meeting, set_meeting_status, update_meeting
from governance.milestones import MilestoneDraft, create_milestone, set_milestone_status
from governance.minutes import approve_minutes
from governance.models import Person
from governance.people import create_person
from governance.permissions import Actor
from governance.programmes import create_programme
from governance.tasks import create_task, set_task_status, update_task
from governance.times import in_berlin, today
from networks import build_groups, person_in
from shift_world import NOW, draft, make_shift, volunteers
from workspace.db import Database


def wall(instant: datetime) -> str:
    return in_berlin(instant).strftime("%Y-%m-%d %H:%M")


def reminders(db, subject_type: str, subject, state: str | None = "pending") -> set[tuple[str, int | None, str]]:
    """(kind, recipient, due in Berlin wall time) of the subject's rows in `state` (None: every state)."""
    query = select(Reminder).where(Reminder.subject_type == subject_type, Reminder.subject_id == subject.id)
    if state is not None:
        query = query.where(Reminder.state == state)
    return {(row.kind, row.recipient_id, wall(row.due_at)) for row in db.scalars(query)}


def row_of(db, kind: str, recipient_id: int | None, subject_id: int, round: int = 0) -> Reminder:
    return db.scalar(select(Reminder).where(Reminder.kind == kind, Reminder.subject_id == subject_id,
                                            Reminder.recipient_id.is_(recipient_id) if recipient_id is None
                                            else Reminder.recipient_id == recipient_id, Reminder.round == round))


def preferences(db, person, **changes):
    values = dict(areas=(), target_groups=(), task_kinds=(), max_hours_per_month=None, lead_hours=48,
                  paused_until=None)
    return update_preferences(db, person, **{**values, **changes})


# --- lead times across daylight saving ---------------------------------------------------------

@pytest.mark.parametrize("instant, hours, expected", [
    ("2026-03-31 10:00", 48, "2026-03-29 10:00"),  # Tuesday → Sunday; the clocks went forward that night
    ("2026-03-29 10:00", 48, "2026-03-27 10:00"),  # on the Sunday the clocks changed: not 09:00
    ("2026-03-30 10:00", 48, "2026-03-28 10:00"),  # not 09:00
    ("2026-10-27 10:00", 48, "2026-10-25 10:00"),  # the clocks went back in the night to Sunday
    ("2026-10-25 10:00", 48, "2026-10-23 10:00"),  # not 11:00
    ("2026-12-20 10:00", 14 * 24, "2026-12-06 10:00"),
    ("2026-03-31 10:00", 30, "2026-03-30 04:00"),  # one wall-clock day and six hours
    ("2026-03-30 04:00", 30, "2026-03-28 21:00"),  # the six hours are exact across the change (not 22:00)
    ("2026-10-26 04:00", 30, "2026-10-24 23:00"),  # likewise in October (not 22:00)
    ("2026-03-29 05:00", 5, "2026-03-28 23:00"),  # under a day: exact hours (not midnight)
])
def test_whole_days_keep_the_berlin_wall_clock_the_rest_is_exact(instant, hours, expected):
    assert wall(before(at(instant), hours)) == expected


def test_thirty_hours_is_one_wall_clock_day_and_six_exact_hours():
    instant = at("2026-03-30 04:00")
    assert before(instant, 30) == before(instant, 24) - timedelta(hours=6)


# --- shifts ------------------------------------------------------------------------------------

@pytest.fixture
def fest(db, coordinator):
    return make_event(db, coordinator, "Stadtteilfest", "2026-12-20 09:00", "2026-12-20 18:00", kind="festival")


@pytest.fixture
def shift(db, coordinator, fest):
    return make_shift(db, coordinator, fest, starts="2026-12-20 10:00", ends="2026-12-20 12:00")


@pytest.fixture
def people(db):
    return volunteers(db, "Anna Aufbau", "Ben Bauer")


def test_the_holder_is_reminded_48_hours_before_and_two_rounds_ask_for_help(db, shift, people):
    anna, _ = people
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    assert reminders(db, "shift", shift) == {
        ("shift_upcoming", anna.id, "2026-12-18 10:00"),
        ("help_round", None, "2026-12-06 10:00"),  # 14 days before
        ("help_round", None, "2026-12-15 10:00"),  # 5 days before
    }
    assert [row_of(db, "help_round", None, shift.id, n).due_at for n in (1, 2)] == [at("2026-12-06 10:00"),
                                                                                    at("2026-12-15 10:00")]


def test_the_volunteers_own_lead_time_wins(db, shift, people):
    anna, ben = people
    take_place(db, anna, shift, NOW)
    take_place(db, ben, shift, NOW)
    preferences(db, anna, lead_hours=24)
    settle(db, NOW)
    upcoming = {r for r in reminders(db, "shift", shift) if r[0] == "shift_upcoming"}
    assert upcoming == {("shift_upcoming", anna.id, "2026-12-19 10:00"), ("shift_upcoming", ben.id, "2026-12-18 10:00")}


def test_changing_ones_lead_time_later_moves_the_pending_reminder(db, shift, people):
    anna, _ = people
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    preferences(db, anna, lead_hours=72)
    settle(db, NOW)
    assert ("shift_upcoming", anna.id, "2026-12-17 10:00") in reminders(db, "shift", shift)
    assert ("shift_upcoming", anna.id, "2026-12-18 10:00") not in reminders(db, "shift", shift, state=None)


def test_a_volunteer_who_never_chose_follows_the_coordinators_lead_time(db, shift, people):
    anna, _ = people
    set_lead(db, "shift_upcoming", 0, 72)
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    assert ("shift_upcoming", anna.id, "2026-12-17 10:00") in reminders(db, "shift", shift)


def shift_on(db, by, day: str):
    """A shift 10:00–12:00 on `day`, on an event of its own."""
    event = make_event(db, by, "Laternenumzug", f"{day} 09:00", f"{day} 18:00")
    return make_shift(db, by, event, starts=f"{day} 10:00", ends=f"{day} 12:00")


def test_a_round_whose_time_passed_runs_only_while_no_later_round_is_due(db, coordinator):
    ten_days, three_days = shift_on(db, coordinator, "2026-11-30"), shift_on(db, coordinator, "2026-11-23")
    settle(db, NOW)
    assert reminders(db, "shift", ten_days) == {("help_round", None, "2026-11-16 10:00"),  # passed, runs now
                                                 ("help_round", None, "2026-11-25 10:00")}
    assert reminders(db, "shift", three_days) == {("help_round", None, "2026-11-18 10:00")}
    assert row_of(db, "help_round", None, three_days.id, 2) is not None
    assert row_of(db, "help_round", None, three_days.id, 1) is None


def test_moving_the_shift_moves_its_pending_reminders_and_leaves_none_for_the_old_time(db, coordinator, shift,
                                                                                       people):
    anna, _ = people
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    update_shift(db, Actor(coordinator), shift, draft(starts="2026-12-20 14:00", ends="2026-12-20 16:00"),
                 shift.version_id)
    settle(db, NOW)
    expected = {("shift_upcoming", anna.id, "2026-12-18 14:00"), ("help_round", None, "2026-12-06 14:00"),
                ("help_round", None, "2026-12-15 14:00")}
    assert reminders(db, "shift", shift, state=None) == expected
    assert reminders(db, "shift", shift) == expected
    assert {row.subject_version for row in db.scalars(select(Reminder))} == {shift.version_id}


def test_cancelling_the_signup_cancels_that_holders_reminder_only(db, shift, people):
    anna, ben = people
    signup = take_place(db, anna, shift, NOW)
    take_place(db, ben, shift, NOW)
    settle(db, NOW)
    cancel_signup(db, anna, signup, NOW)
    settle(db, NOW)
    assert reminders(db, "shift", shift, state="cancelled") == {("shift_upcoming", anna.id, "2026-12-18 10:00")}
    assert {r[:2] for r in reminders(db, "shift", shift)} == {("shift_upcoming", ben.id), ("help_round", None)}


def test_cancelling_the_shift_cancels_every_reminder(db, coordinator, shift, people):
    take_place(db, people[0], shift, NOW)
    settle(db, NOW)
    cancel_shift(db, Actor(coordinator), shift)
    settle(db, NOW)
    assert reminders(db, "shift", shift) == set()
    assert len(reminders(db, "shift", shift, state="cancelled")) == 3


def test_cancelling_a_date_of_the_series_cancels_the_reminders_of_its_shifts_only(db, coordinator, people):
    series = make_event(db, coordinator, "Spieletreff", "2026-12-13 15:00", "2026-12-13 17:00",
                        recurrence=Recurrence("weekly", count=2))
    cancelled, kept = (make_shift(db, coordinator, series, starts=f"2026-12-{day} 15:00", ends=f"2026-12-{day} 17:00")
                       for day in (13, 20))
    take_place(db, people[0], cancelled, NOW)
    settle(db, NOW)
    change_date(db, Actor(coordinator), series, date(2026, 12, 13), at("2026-12-13 15:00"), at("2026-12-13 17:00"),
                cancelled=True)
    settle(db, NOW)
    assert reminders(db, "shift", cancelled) == set()
    assert len(reminders(db, "shift", cancelled, state="cancelled")) == 3
    assert len(reminders(db, "shift", kept)) == 2


def test_a_submitted_events_shifts_ask_for_help_once_it_is_approved(db, coordinator, member):
    submitted = make_event(db, member, "Hoffest", "2026-12-20 09:00", "2026-12-20 18:00")
    shift = make_shift(db, member, submitted, starts="2026-12-20 10:00", ends="2026-12-20 12:00")
    settle(db, NOW)
    assert reminders(db, "shift", shift, state=None) == set()
    review_event(db, Actor(coordinator), submitted, approve=True)
    settle(db, NOW)
    assert reminders(db, "shift", shift) == {("help_round", None, "2026-12-06 10:00"),
                                             ("help_round", None, "2026-12-15 10:00")}


def test_a_past_shift_plans_nothing(db, coordinator, people):
    last_week = make_event(db, coordinator, "Flohmarkt", "2026-11-14 09:00", "2026-11-14 15:00")
    shift = make_shift(db, coordinator, last_week, starts="2026-11-14 09:00", ends="2026-11-14 11:00")
    take_place(db, people[0], shift, at("2026-11-01 12:00"))
    settle(db, NOW)
    assert reminders(db, "shift", shift, state=None) == set()


def test_taking_the_place_again_turns_the_cancelled_reminder_back_to_pending(db, shift, people):
    anna, _ = people
    signup = take_place(db, anna, shift, NOW)
    settle(db, NOW)
    first = row_of(db, "shift_upcoming", anna.id, shift.id)
    cancel_signup(db, anna, signup, NOW)
    settle(db, NOW)
    assert first.state == "cancelled"
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    assert (first.state, wall(first.due_at), wall(first.try_at)) == ("pending", "2026-12-18 10:00",
                                                                     "2026-12-18 10:00")
    assert db.scalars(select(Reminder).where(Reminder.recipient_id == anna.id)).all() == [first]


def test_a_reminder_waiting_for_a_retry_keeps_its_turn_when_something_else_changes(db, shift, people):
    anna, ben = people
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    waiting = row_of(db, "shift_upcoming", anna.id, shift.id)
    waiting.try_at = waiting.due_at + timedelta(minutes=10)  # after a temporary failure (queue.mark_retry)
    db.flush()
    take_place(db, ben, shift, NOW)  # re-plans the shift
    settle(db, NOW)
    assert (waiting.state, wall(waiting.due_at), wall(waiting.try_at)) == ("pending", "2026-12-18 10:00",
                                                                           "2026-12-18 10:10")
    assert ("shift_upcoming", ben.id, "2026-12-18 10:00") in reminders(db, "shift", shift)


def test_a_sent_reminder_stays_as_it_was(db, coordinator, shift, people):
    anna, _ = people
    take_place(db, anna, shift, NOW)
    settle(db, NOW)
    sent = row_of(db, "shift_upcoming", anna.id, shift.id)
    sent.state, sent.sent_at = "sent", at("2026-12-18 10:00")
    db.flush()
    cancel_shift(db, Actor(coordinator), shift)
    settle(db, NOW)
    assert (sent.state, sent.due_at) == ("sent", at("2026-12-18 10:00"))


# --- meetings ----------------------------------------------------------------------------------

@pytest.fixture
def circle(db, groups):
    """The working group's chair, a member, one who left and one who joins after the meeting."""
    chair = person_in(db, groups.working, "chair", "Clara Vorsitz")
    member = person_in(db, groups.working, "member", "Max Mitglied")
    left = create_person(db, "Lea Ehemalig")
    add_membership(db, groups.working, left, "member", ends_on=date(2026, 11, 30))
    later = create_person(db, "Nils Neu")
    add_membership(db, groups.working, later, "member", starts_on=date(2027, 1, 1))
    return chair, member


def meeting_draft(starts: str, ends: str, title: str = "Netzwerktreffen") -> MeetingDraft:
    return MeetingDraft(title, at(starts), planned_end_at=at(ends))


def test_current_members_are_invited_seven_days_before_and_the_chair_chased_for_minutes(db, coordinator, groups,
                                                                                         circle):
    chair, member = circle
    meeting = schedule_meeting(db, Actor(coordinator), groups.working,
                               meeting_draft("2026-12-10 18:00", "2026-12-10 20:00"))
    settle(db, NOW)
    assert reminders(db, "meeting", meeting) == {
        ("meeting_invitation", chair.id, "2026-12-03 18:00"),
        ("meeting_invitation", member.id, "2026-12-03 18:00"),
        ("minutes_pending", chair.id, "2026-12-13 20:00"),  # three days after the end
    }


def test_a_member_who_joins_later_is_invited_too(db, coordinator, groups, circle):
    meeting = schedule_meeting(db, Actor(coordinator), groups.working,
                               meeting_draft("2026-12-10 18:00", "2026-12-10 20:00"))
    settle(db, NOW)
    newcomer = person_in(db, groups.working, "member", "Olga Neu")
    settle(db, NOW)
    assert ("meeting_invitation", newcomer.id, "2026-12-03 18:00") in reminders(db, "meeting", meeting)


def test_moving_the_meeting_moves_the_invitations(db, coordinator, groups, circle):
    chair, member = circle
    meeting = schedule_meeting(db, Actor(coordinator), groups.working,
                               meeting_draft("2026-12-10 18:00", "2026-12-10 20:00"))
    settle(db, NOW)
    update_meeting(db, Actor(coordinator), meeting, meeting_draft("2026-12-11 17:00", "2026-12-11 19:00"),
                   meeting.version_id)
    settle(db, NOW)
    assert reminders(db, "meeting", meeting, state=None) == {
        ("meeting_invitation", chair.id, "2026-12-04 17:00"),
        ("meeting_invitation", member.id, "2026-12-04 17:00"),
        ("minutes_pending", chair.id, "2026-12-14 19:00"),
    }


def test_cancelling_the_meeting_cancels_its_reminders(db, coordinator, groups, circle):
    meeting = schedule_meeting(db, Actor(coordinator), groups.working,
                               meeting_draft("2026-12-10 18:00", "2026-12-10 20:00"))
    settle(db, NOW)
    set_meeting_status(db, Actor(coordinator), meeting, "cancelled")
    settle(db, NOW)
    assert reminders(db, "meeting", meeting) == set()
    assert len(reminders(db, "meeting", meeting, state="cancelled")) == 3


def test_approved_minutes_cancel_the_chase(db, coordinator, groups, circle):
    chair, _ = circle
    held = schedule_meeting(db, Actor(coordinator), groups.working,
                            meeting_draft("2026-11-18 18:00", "2026-11-18 20:00"))
    set_meeting_status(db, Actor(coordinator), held, "held")
    settle(db, NOW)
    assert reminders(db, "meeting", held, state=None) == {("minutes_pending", chair.id, "2026-11-21 20:00")}
    approve_minutes(db, Actor(coordinator), held)
    settle(db, NOW)
    assert reminders(db, "meeting", held, state="cancelled") == {("minutes_pending", chair.id, "2026-11-21 20:00")}
    assert reminders(db, "meeting", held) == set()


def test_minutes_long_overdue_are_not_chased_any_more(db, coordinator, groups, circle):
    old = schedule_meeting(db, Actor(coordinator), groups.working,
                           meeting_draft("2026-10-01 18:00", "2026-10-01 20:00"))
    settle(db, NOW)
    assert reminders(db, "meeting", old, state=None) == set()


# --- tasks and milestones ----------------------------------------------------------------------

def test_the_owner_hears_of_a_task_two_days_before_and_the_day_after_at_eight(db, coordinator, groups, member):
    task = create_task(db, Actor(coordinator), groups.working, "Flyer drucken", member, due_on=date(2026, 12, 10))
    settle(db, NOW)
    assert reminders(db, "task", task) == {("task_due", member.id, "2026-12-08 08:00"),
                                           ("task_overdue", member.id, "2026-12-11 08:00")}


def test_a_new_due_date_or_owner_moves_the_task_reminders(db, coordinator, groups, member):
    task = create_task(db, Actor(coordinator), groups.working, "Flyer drucken", member, due_on=date(2026, 12, 10))
    settle(db, NOW)
    update_task(db, Actor(coordinator), task, "Flyer drucken", coordinator, date(2026, 12, 14))
    settle(db, NOW)
    assert reminders(db, "task", task) == {("task_due", coordinator.id, "2026-12-12 08:00"),
                                           ("task_overdue", coordinator.id, "2026-12-15 08:00")}
    assert reminders(db, "task", task, state="cancelled") == {("task_due", member.id, "2026-12-08 08:00"),
                                                              ("task_overdue", member.id, "2026-12-11 08:00")}


def test_a_done_task_cancels_its_reminders(db, coordinator, groups, member):
    task = create_task(db, Actor(coordinator), groups.working, "Flyer drucken", member, due_on=date(2026, 12, 10))
    settle(db, NOW)
    set_task_status(db, Actor(coordinator), task, "done")
    settle(db, NOW)
    assert reminders(db, "task", task) == set()
    assert len(reminders(db, "task", task, state="cancelled")) == 2


def test_a_task_due_long_ago_or_without_a_date_plans_nothing(db, coordinator, groups, member):
    old = create_task(db, Actor(coordinator), groups.working, "Altlast", member, due_on=date(2026, 1, 15))
    undated = create_task(db, Actor(coordinator), groups.working, "Irgendwann", member)
    settle(db, NOW)
    assert reminders(db, "task", old, state=None) == reminders(db, "task", undated, state=None) == set()


@pytest.fixture
def programme(db):
    return create_programme(db, "Präventionskette", date(2025, 1, 1), date(2027, 12, 31))


def test_a_milestone_reminds_the_responsible_person_and_the_coordinator_14_days_before(db, coordinator, member,
                                                                                     programme):
    milestone = create_milestone(db, Actor(coordinator), programme,
                                 MilestoneDraft("Zwischenbericht", responsible=member, due_on=date(2026, 12, 31)))
    settle(db, NOW)
    assert reminders(db, "milestone", milestone) == {("milestone_due", member.id, "2026-12-17 08:00"),
                                                     ("milestone_due", coordinator.id, "2026-12-17 08:00")}
    set_milestone_status(db, Actor(coordinator), milestone, "done", milestone.version_id)
    settle(db, NOW)
    assert reminders(db, "milestone", milestone) == set()


# --- stopped kinds and the coordinator's lead times ---------------------------------------------

def test_a_person_who_stopped_a_kind_is_left_out_of_the_plan(db, shift, people):
    anna, ben = people
    take_place(db, anna, shift, NOW)
    take_place(db, ben, shift, NOW)
    db.add(ReminderStop(person_id=anna.id, kind="shift_upcoming"))
    db.flush()
    assert {(w.kind, w.recipient_id) for w in plan(db, "shift", shift, NOW) if w.recipient_id} == {
        ("shift_upcoming", ben.id)}
    settle(db, NOW)
    assert {r[:2] for r in reminders(db, "shift", shift)} == {("shift_upcoming", ben.id), ("help_round", None)}


def test_stopping_a_kind_cancels_that_persons_pending_reminders_and_resuming_restores_them(db, coordinator, groups,
                                                                                         shift, people):
    anna, ben = people
    take_place(db, anna, shift, NOW)
    take_place(db, ben, shift, NOW)
    task = create_task(db, Actor(coordinator), groups.working, "Flyer drucken", anna, due_on=date(2026, 12, 10))
    settle(db, NOW)
    assert stop(db, anna, "shift_upcoming", NOW) is True
    assert stop(db, anna, "shift_upcoming", NOW) is False  # the link used twice changes nothing
    settle(db, NOW)
    assert reminders(db, "shift", shift, state="cancelled") == {("shift_upcoming", anna.id, "2026-12-18 10:00")}
    assert ("shift_upcoming", ben.id, "2026-12-18 10:00") in reminders(db, "shift", shift)
    assert len(reminders(db, "task", task)) == 2  # other kinds go on
    choose(db, anna, set(STOPPABLE), NOW)  # she wants them all again
    settle(db, NOW)
    assert ("shift_upcoming", anna.id, "2026-12-18 10:00") in reminders(db, "shift", shift)


def test_the_coordinators_lead_time_replaces_the_default(db, coordinator, groups, member):
    set_lead(db, "task_due", 0, 72)
    task = create_task(db, Actor(coordinator), groups.working, "Flyer drucken", member, due_on=date(2026, 12, 10))
    settle(db, NOW)
    assert ("task_due", member.id, "2026-12-07 08:00") in reminders(db, "task", task)
    assert leads(db)["task_due", 0] == 72 and leads(db)["milestone_due", 0] == 14 * 24


def test_changing_a_lead_time_moves_the_pending_reminders_of_that_kind(db, coordinator, groups, member):
    task = create_task(db, Actor(coordinator), groups.working, "Flyer drucken", member, due_on=date(2026, 12, 10))
    settle(db, NOW)
    set_lead(db, "task_due", 0, 24)
    set_lead(db, "task_due", 0, 96)  # changed twice: the row is updated, not added again
    replan(db, NOW)
    assert reminders(db, "task", task, state=None) == {("task_due", member.id, "2026-12-06 08:00"),
                                                       ("task_overdue", member.id, "2026-12-11 08:00")}


def test_the_coordinator_changes_one_round_of_calls_for_help(db, shift):
    set_lead(db, "help_round", 2, 7 * 24)
    settle(db, NOW)
    assert reminders(db, "shift", shift) == {("help_round", None, "2026-12-06 10:00"),
                                             ("help_round", None, "2026-12-13 10:00")}


@pytest.mark.parametrize("hours", [0, -1, MAX_LEAD_HOURS + 1])
def test_a_lead_time_of_zero_negative_or_over_a_year_is_refused_next_to_the_field(db, hours):
    with pytest.raises(DomainError) as refused:
        set_lead(db, "task_due", 0, hours)
    assert (refused.value.field, refused.value.message) == (
        "hours", "Bitte geben Sie eine Vorlaufzeit zwischen 1 Stunde und einem Jahr an.")
    assert leads(db)["task_due", 0] == 48


def test_a_year_is_the_longest_lead_time_and_unknown_kinds_are_refused(db):
    set_lead(db, "milestone_due", 0, MAX_LEAD_HOURS)
    assert leads(db)["milestone_due", 0] == MAX_LEAD_HOURS
    with pytest.raises(DomainError) as refused:
        set_lead(db, "call_for_help", 0, 24)
    assert refused.value.field == "kind"


# --- the commit ----------------------------------------------------------------------------------

@pytest.fixture
def database(database_file):
    """The test's database file, opened as the web app opens it: write sessions settle when they commit."""
    database = Database(f"sqlite:///{database_file}")
    yield database
    database.dispose()


def test_the_commit_brings_the_reminders_in_step_not_the_savepoint_of_a_place(database):
    day = today() + timedelta(days=30)  # settled at the commit, with the real clock
    with database.transaction() as db:
        coordinator = create_person(db, "Kim Koordination", "koordination@example.org", is_coordinator=True)
        event = make_event(db, coordinator, "Stadtteilfest", f"{day} 09:00", f"{day} 18:00")
        shift = make_shift(db, coordinator, event, starts=f"{day} 10:00", ends=f"{day} 12:00")
        anna = volunteers(db, "Anna Aufbau")[0]
        take_place(db, anna, shift, utcnow())  # the place is inserted in a savepoint
        assert db.scalars(select(Reminder)).all() == []
    with database.session(write=False) as db:
        assert reminders(db, "shift", shift) == {
            ("shift_upcoming", anna.id, f"{day - timedelta(days=2)} 10:00"),
            ("help_round", None, f"{day - timedelta(days=14)} 10:00"),
            ("help_round", None, f"{day - timedelta(days=5)} 10:00")}


def test_a_rolled_back_savepoint_keeps_the_reminders_of_what_came_before_it(database):
    day = today() + timedelta(days=30)
    with database.transaction() as db:
        coordinator = create_person(db, "Kim Koordination", "koordination@example.org", is_coordinator=True)
        task = create_task(db, Actor(coordinator), build_groups(db).working, "Flyer drucken", coordinator,
                           due_on=day)
        with pytest.raises(IntegrityError), db.begin_nested():  # e.g. a place someone took a moment ago
            db.add(Person(name="Kim Doppelt", email="koordination@example.org"))
            db.flush()
    with database.session(write=False) as db:
        assert {kind for kind, _, _ in reminders(db, "task", task)} == {"task_due", "task_overdue"}


# --- the key -------------------------------------------------------------------------------------

def test_the_database_refuses_the_same_reminder_twice(db, member):
    wanted = Wanted("task_due", member.id, NOW)
    db.add(new_reminder(wanted, "task", 1, 1))
    db.flush()
    twin = new_reminder(wanted, "task", 1, 1)
    twin.message_id = "<another@werkstadt>"  # so that only the key can object
    db.add(twin)
    with pytest.raises(IntegrityError, match="reminder.kind, reminder.subject_type, reminder.subject_id, "
                                             "reminder.recipient_id"):
        db.flush()


def test_the_database_refuses_the_same_reminder_without_a_recipient_twice(db):
    wanted = Wanted("help_round", None, NOW, round=1)
    db.add_all([new_reminder(wanted, "shift", 1, 1), new_reminder(Wanted("help_round", None, NOW, round=2),
                                                                   "shift", 1, 1)])
    db.flush()
    twin = new_reminder(wanted, "shift", 1, 1)
    twin.message_id = "<another@werkstadt>"
    db.add(twin)
    with pytest.raises(IntegrityError, match="reminder.kind, reminder.subject_type, reminder.subject_id, "
                                             "reminder.occurrence, reminder.round"):
        db.flush()


def test_the_message_id_follows_from_the_key_alone(db, shift, people):
    take_place(db, people[0], shift, NOW)
    settle(db, NOW)
    row = row_of(db, "shift_upcoming", people[0].id, shift.id)
    key = ("shift_upcoming", "shift", shift.id, people[0].id, "", 0)
    assert row.message_id == message_id(*key) == message_id(*key)
    assert row.message_id.startswith("<") and row.message_id.endswith("@werkstadt>")
    others = [("shift_upcoming", "shift", shift.id, people[1].id, "", 0),
              ("help_round", "shift", shift.id, people[0].id, "", 0),
              ("shift_upcoming", "task", shift.id, people[0].id, "", 0),
              ("shift_upcoming", "shift", shift.id + 1, people[0].id, "", 0),
              ("shift_upcoming", "shift", shift.id, None, "", 0),
              ("shift_upcoming", "shift", shift.id, people[0].id, "2026-W51", 0),
              ("shift_upcoming", "shift", shift.id, people[0].id, "", 1)]
    assert len({message_id(*key), *(message_id(*other) for other in others)}) == 1 + len(others)
