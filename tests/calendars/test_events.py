"""Events: submitted by members, moderated by the coordinator and working-group chairs, edited as a
whole, one date at a time, or from one date on; bad input refused with the field it concerns."""

from datetime import date

import pytest
from sqlalchemy import select

from calendar_world import at, make_event
from calendars.events import (EventDraft, can_moderate, change_date, create_event, is_moderator, remaining_count,
                              restore_date, review_event, review_queue, split_series, submissions_of, update_event)
from calendars.models import Event
from calendars.occurrences import occurrences
from calendars.recurrence import Recurrence
from governance.errors import Conflict, DomainError, NotAllowed
from governance.people import create_person
from governance.permissions import Actor
from networks import actor_of, person_in


def draft(title: str = "Mittagstisch", starts: str = "2026-12-02 12:00", ends: str = "2026-12-02 13:00", *,
          kind: str = "offer", **fields) -> EventDraft:
    return EventDraft(title, kind, at(starts), at(ends), **fields)


def weekly_lunch(db, by, **recurrence) -> Event:
    return make_event(db, by, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00", kind="offer",
                      recurrence=Recurrence("weekly", **recurrence))


def dates(event, first: str = "2026-12-01", last: str = "2027-12-31") -> list[str]:
    return [o.key for o in occurrences(event, at(f"{first} 00:00"), at(f"{last} 23:59"))]


@pytest.fixture
def working_chair(db, groups):
    return actor_of(db, person_in(db, groups.working, "chair", "Nora Nord"))


@pytest.fixture
def steering_chair(db, groups):
    return actor_of(db, person_in(db, groups.steering, "chair", "Stefan Steuerung"))


# --- submitting and reviewing -----------------------------------------------------------------

def test_a_members_event_waits_for_review(db, member):
    event = create_event(db, Actor(member), draft())
    assert (event.review, event.submitted_by, event.reviewed_by) == ("submitted", member, None)
    assert event.uid.endswith("@werkstadt") and event.slug == "mittagstisch"


def test_the_coordinators_event_is_approved_at_once(db, coordinator):
    event = create_event(db, Actor(coordinator), draft())
    assert (event.review, event.reviewed_by) == ("approved", coordinator)
    assert event.reviewed_at is not None


def test_a_working_group_chair_approves_their_groups_events(db, groups, working_chair, member):
    own = create_event(db, working_chair, draft(group=groups.working))
    assert own.review == "approved"
    submitted = create_event(db, Actor(member), draft("Stadtteilfest", group=groups.working))
    assert submitted.review == "submitted"
    review_event(db, working_chair, submitted, approve=True)
    assert (submitted.review, submitted.reviewed_by) == ("approved", working_chair.person)


def test_a_working_group_chair_does_not_moderate_other_events(db, groups, working_chair, member):
    other = create_event(db, working_chair, draft(group=groups.planning))
    assert other.review == "submitted"
    ungrouped = create_event(db, Actor(member), draft())
    with pytest.raises(NotAllowed):
        review_event(db, working_chair, ungrouped, approve=True)


def test_only_the_coordinator_and_working_group_chairs_are_moderators(db, groups, coordinator, working_chair,
                                                                       steering_chair, member):
    deputy = actor_of(db, person_in(db, groups.working, "deputy", "Dana Deputy"))
    assert [is_moderator(db, actor) for actor in (Actor(coordinator), working_chair, steering_chair, deputy,
                                                  Actor(member))] == [True, True, False, False, False]


def test_a_steering_group_chair_does_not_moderate_a_working_group_event(db, groups, steering_chair, member):
    event = create_event(db, Actor(member), draft(group=groups.working))
    assert not can_moderate(steering_chair, groups.working)
    assert not can_moderate(steering_chair, groups.steering)  # only working groups have moderating chairs
    with pytest.raises(NotAllowed):
        review_event(db, steering_chair, event, approve=True)
    assert event.review == "submitted"


def test_rejecting_needs_a_reason(db, coordinator, member):
    event = create_event(db, Actor(member), draft())
    with pytest.raises(DomainError) as refused:
        review_event(db, Actor(coordinator), event, approve=False, reason="   ")
    assert refused.value.field == "reason"
    assert event.review == "submitted"
    review_event(db, Actor(coordinator), event, approve=False, reason=" Bitte den Ort angeben. ")
    assert (event.review, event.review_reason, event.reviewed_by) == ("rejected", "Bitte den Ort angeben.", coordinator)
    review_event(db, Actor(coordinator), event, approve=True)
    assert (event.review, event.review_reason) == ("approved", "")


def test_moderators_see_the_submissions_they_may_review_and_submitters_their_own(db, groups, coordinator,
                                                                                   working_chair, member):
    general = create_event(db, Actor(member), draft("Flohmarkt"))
    for_the_group = create_event(db, Actor(member), draft("Stadtteilfest", group=groups.working))
    review_event(db, Actor(coordinator), general, approve=False, reason="Bitte mit Ort")
    assert review_queue(db, Actor(coordinator)) == [for_the_group]
    assert review_queue(db, working_chair) == [for_the_group]
    assert {(e.title, e.review) for e in submissions_of(db, member)} == {
        ("Flohmarkt", "rejected"), ("Stadtteilfest", "submitted")}


# --- editing ----------------------------------------------------------------------------------

def test_the_submitter_edits_a_rejected_event_and_it_waits_again(db, coordinator, member):
    event = create_event(db, Actor(member), draft())
    update_event(db, Actor(member), event, draft("Mittagstisch am Mittwoch"), event.version_id)
    assert (event.title, event.review) == ("Mittagstisch am Mittwoch", "submitted")
    review_event(db, Actor(coordinator), event, approve=False, reason="Ort fehlt")
    update_event(db, Actor(member), event, draft("Mittagstisch am Mittwoch", place="Kirche"), event.version_id)
    assert (event.place, event.review) == ("Kirche", "submitted")


def test_the_submitter_cannot_edit_once_approved(db, coordinator, member):
    event = create_event(db, Actor(member), draft())
    review_event(db, Actor(coordinator), event, approve=True)
    with pytest.raises(NotAllowed):
        update_event(db, Actor(member), event, draft("Geändert"), event.version_id)
    with pytest.raises(NotAllowed):
        change_date(db, Actor(member), event, date(2026, 12, 2), at("2026-12-02 13:00"), at("2026-12-02 14:00"))
    assert event.title == "Mittagstisch"


def test_someone_else_cannot_edit_a_submission(db, member):
    event = create_event(db, Actor(member), draft())
    stranger = create_person(db, "Sam Fremd")
    with pytest.raises(NotAllowed):
        update_event(db, Actor(stranger), event, draft("Geändert"), event.version_id)


def test_an_update_keeps_uid_and_slug_and_advances_sequence_and_feed_text(db, coordinator):
    event = create_event(db, Actor(coordinator), draft())
    uid, slug, updated_at = event.uid, event.slug, event.updated_at
    assert "SEQUENCE:0\r\n" in event.ical
    update_event(db, Actor(coordinator), event, draft("Suppenküche", "2026-12-03 12:00", "2026-12-03 13:00"),
                 event.version_id)
    db.flush()
    assert (event.uid, event.slug, event.sequence) == (uid, slug, 1)
    assert event.updated_at > updated_at
    assert "SUMMARY:Suppenküche\r\n" in event.ical and "Mittagstisch" not in event.ical
    assert f"UID:{uid}\r\n" in event.ical and "SEQUENCE:1\r\n" in event.ical
    assert "DTSTART;TZID=Europe/Berlin:20261203T120000\r\n" in event.ical


def test_a_stale_version_is_a_conflict(db, coordinator):
    event = create_event(db, Actor(coordinator), draft())
    stale = event.version_id
    update_event(db, Actor(coordinator), event, draft("Erste Änderung"), stale)
    db.flush()
    with pytest.raises(Conflict) as conflict:
        update_event(db, Actor(coordinator), event, draft("Zweite Änderung"), stale)
    assert conflict.value.current is event and event.title == "Erste Änderung"


# --- one date of a series ---------------------------------------------------------------------

def test_moving_one_date(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    exception, _ = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 12:30"),
                            at("2026-12-10 14:00"), place="Gemeindehaus", note="Ausnahmsweise donnerstags")
    assert (exception.recurrence_id, exception.starts_at, exception.ends_at, exception.cancelled) == (
        at("2026-12-09 12:00"), at("2026-12-10 12:30"), at("2026-12-10 14:00"), False)
    assert lunch.sequence == 1
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20261209T120000\r\n" in exception.ical
    assert "DTSTART;TZID=Europe/Berlin:20261210T123000\r\n" in exception.ical
    assert "STATUS:CONFIRMED\r\n" in exception.ical and "EXDATE" not in lunch.ical
    again, _ = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-10 13:00"),
                        at("2026-12-10 14:00"))
    assert again is exception and (exception.sequence, exception.place) == (1, "")
    assert len(lunch.exceptions) == 1


def test_cancelling_one_date_keeps_an_override_and_leaves_the_series_text_alone(db, coordinator):
    """The kept series text does not depend on the day: feeds add the EXDATE once the cancellation is old."""
    lunch = weekly_lunch(db, coordinator)
    exception, _ = change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"),
                            at("2026-12-09 13:00"), note="Fällt wegen Feiertag aus", cancelled=True)
    assert "EXDATE" not in lunch.ical
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20261209T120000\r\n" in exception.ical
    assert "STATUS:CANCELLED\r\n" in exception.ical and "Fällt wegen Feiertag aus" in exception.ical
    assert "STATUS:CONFIRMED\r\n" in lunch.ical


def test_a_day_without_a_date_of_the_series_is_refused(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    with pytest.raises(DomainError) as refused:
        change_date(db, Actor(coordinator), lunch, date(2026, 12, 10), at("2026-12-10 12:00"), at("2026-12-10 13:00"))
    assert refused.value.field == "date"
    single = make_event(db, coordinator, "Vortrag", "2026-12-02 18:00", "2026-12-02 19:00")
    with pytest.raises(DomainError) as refused:
        change_date(db, Actor(coordinator), single, date(2026, 12, 2), at("2026-12-02 19:00"), at("2026-12-02 20:00"))
    assert refused.value.field == "date"


def test_a_moved_date_must_end_after_it_starts(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    with pytest.raises(DomainError) as refused:
        change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 13:00"), at("2026-12-09 12:00"))
    assert refused.value.field == "ends_at" and lunch.exceptions == []


def test_restoring_a_date(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    restore_date(db, Actor(coordinator), lunch, date(2026, 12, 9))
    assert lunch.exceptions == [] and "EXDATE" not in lunch.ical
    assert lunch.sequence == 2
    assert dates(lunch, last="2026-12-16") == ["2026-12-02", "2026-12-09", "2026-12-16"]
    restore_date(db, Actor(coordinator), lunch, date(2026, 12, 16))  # nothing to undo
    assert lunch.sequence == 2


# --- this and all following dates -------------------------------------------------------------

def test_splitting_a_counted_series_keeps_the_number_of_dates(db, coordinator):
    lunch = weekly_lunch(db, coordinator, count=6)
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 23), at("2026-12-23 12:00"), at("2026-12-23 13:00"),
                cancelled=True)
    assert remaining_count(lunch, date(2026, 12, 16)) == 4  # what the form offers for the new series
    later = draft("Mittagstisch (neue Zeit)", "2026-12-16 12:30", "2026-12-16 13:30",
                  recurrence=Recurrence("weekly", count=4))
    successor, _ = split_series(db, Actor(coordinator), lunch, date(2026, 12, 16), later, lunch.version_id)
    assert dates(lunch) == ["2026-12-02", "2026-12-09"]
    assert dates(successor) == ["2026-12-16", "2026-12-23", "2026-12-30", "2027-01-06"]
    assert lunch.repeat_count + successor.repeat_count == 6
    assert lunch.exceptions == [] and "EXDATE" not in lunch.ical
    # The cancelled date went with the series that still has it, re-keyed to its new start.
    assert [(e.recurrence_id, e.cancelled) for e in successor.exceptions] == [(at("2026-12-23 12:30"), True)]
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20261223T123000\r\n" in successor.exceptions[0].ical
    assert successor.uid != lunch.uid and successor.review == "approved"
    assert lunch.last_ends_at == at("2026-12-09 13:00")


def test_splitting_a_series_with_until(db, coordinator):
    lunch = weekly_lunch(db, coordinator, until=date(2027, 1, 13))
    later = draft("Mittagstisch", "2026-12-23 12:00", "2026-12-23 14:00",
                  recurrence=Recurrence("weekly", until=date(2027, 1, 13)))
    successor, _ = split_series(db, Actor(coordinator), lunch, date(2026, 12, 23), later, lunch.version_id)
    assert lunch.repeat_until == date(2026, 12, 22)
    assert dates(lunch) == ["2026-12-02", "2026-12-09", "2026-12-16"]
    assert dates(successor) == ["2026-12-23", "2026-12-30", "2027-01-06", "2027-01-13"]
    assert successor.ends_at == at("2026-12-23 14:00")
    assert successor.slug == "mittagstisch-2"


def test_splitting_a_series_without_end(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    successor, _ = split_series(db, Actor(coordinator), lunch, date(2026, 12, 16),
                             draft(starts="2026-12-16 12:00", ends="2026-12-16 13:00", recurrence=Recurrence("weekly")),
                             lunch.version_id)
    assert lunch.repeat_until == date(2026, 12, 15) and successor.last_ends_at is None
    assert dates(lunch) + dates(successor, last="2026-12-31") == [
        "2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30"]


def test_splitting_on_the_first_date_changes_the_whole_series(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    same, _ = split_series(db, Actor(coordinator), lunch, date(2026, 12, 2),
                        draft("Suppe", recurrence=Recurrence("weekly")), lunch.version_id)
    assert same is lunch and lunch.title == "Suppe"
    assert db.scalars(select(Event)).all() == [lunch]


def test_moving_the_series_start_time_keeps_cancellations_on_their_days(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    update_event(db, Actor(coordinator), lunch,
                 draft(starts="2026-12-02 12:30", ends="2026-12-02 13:30", recurrence=Recurrence("weekly")),
                 lunch.version_id)
    assert [(e.recurrence_id, e.cancelled) for e in lunch.exceptions] == [(at("2026-12-09 12:30"), True)]
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20261209T123000\r\n" in lunch.exceptions[0].ical
    assert [(o.key, o.cancelled) for o in occurrences(lunch, at("2026-12-09 00:00"), at("2026-12-10 00:00"))] == [
        ("2026-12-09", True)]


def test_moving_the_series_to_another_weekday_drops_cancellations_of_lost_days(db, coordinator):
    lunch = weekly_lunch(db, coordinator)
    change_date(db, Actor(coordinator), lunch, date(2026, 12, 9), at("2026-12-09 12:00"), at("2026-12-09 13:00"),
                cancelled=True)
    db.flush()
    update_event(db, Actor(coordinator), lunch,
                 draft(starts="2026-12-03 12:00", ends="2026-12-03 13:00", recurrence=Recurrence("weekly")),
                 lunch.version_id)
    db.flush()
    assert lunch.exceptions == [] and "EXDATE" not in lunch.ical
    assert dates(lunch, last="2026-12-17") == ["2026-12-03", "2026-12-10", "2026-12-17"]


# --- bad input --------------------------------------------------------------------------------

def refused_field(db, person, entered: EventDraft) -> str:
    with pytest.raises(DomainError) as refused:
        create_event(db, Actor(person), entered)
    return refused.value.field


def test_end_before_start_is_refused(db, member):
    assert refused_field(db, member, draft(starts="2026-12-02 13:00", ends="2026-12-02 12:00")) == "ends_at"
    assert refused_field(db, member, draft(starts="2026-12-02 13:00", ends="2026-12-02 13:00")) == "ends_at"


def test_title_must_be_given_and_not_too_long(db, member):
    assert refused_field(db, member, draft("   ")) == "title"
    with pytest.raises(DomainError) as refused:
        create_event(db, Actor(member), draft("x" * 10_000))
    assert (refused.value.field, refused.value.params) == ("title", {"max": 200})
    assert create_event(db, Actor(member), draft("x" * 200)).title == "x" * 200


def test_description_of_10000_characters_is_kept_but_not_more(db, member):
    assert create_event(db, Actor(member), draft(description="y" * 10_000)).description == "y" * 10_000
    assert refused_field(db, member, draft(description="y" * 10_001)) == "description"


@pytest.mark.parametrize("url", ["www.example.org", "ftp://example.org", "javascript:alert(1)"])
def test_online_url_must_be_http(db, member, url):
    assert refused_field(db, member, draft(online_url=url)) == "online_url"


def test_online_url_over_https_is_kept(db, member):
    event = create_event(db, Actor(member), draft(online_url="https://meet.example.org/nord"))
    assert event.online_url == "https://meet.example.org/nord"
    assert "https://meet.example.org/nord" in event.ical


def test_unknown_kind_is_refused(db, member):
    assert refused_field(db, member, draft(kind="party")) == "kind"


def test_slugs_are_unique(db, coordinator):
    first = create_event(db, Actor(coordinator), draft("Stadtteilfest"))
    second = create_event(db, Actor(coordinator), draft("Stadtteilfest"))
    third = create_event(db, Actor(coordinator), draft("Stadtteilfest!"))
    assert [first.slug, second.slug, third.slug] == ["stadtteilfest", "stadtteilfest-2", "stadtteilfest-3"]
    assert len({first.uid, second.uid, third.uid}) == 3


def test_a_chair_cannot_split_the_rest_of_a_series_out_of_their_group(db, groups, working_chair, member):
    lunch = make_event(db, member, "Mittagstisch", "2026-12-02 12:00", "2026-12-02 13:00",
                       recurrence=Recurrence("weekly"), group=groups.working)
    review_event(db, working_chair, lunch, approve=True)
    with pytest.raises(NotAllowed):
        split_series(db, working_chair, lunch, date(2026, 12, 16),
                     draft(starts="2026-12-16 12:00", ends="2026-12-16 13:00", recurrence=Recurrence("weekly")),
                     lunch.version_id)
    later, _ = split_series(db, working_chair, lunch, date(2026, 12, 16),
                         draft(starts="2026-12-16 12:30", ends="2026-12-16 13:30", recurrence=Recurrence("weekly"),
                               group=groups.working), lunch.version_id)
    assert later.review == "approved" and later.submitted_by_id == member.id
