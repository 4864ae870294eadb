"""Meetings, their agenda and timetable, attendance and minutes, as the domain operations promise them."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import agenda, meetings, minutes
from governance.agenda import ItemDraft
from governance.decisions import DecisionDraft, record_decision
from governance.errors import Conflict, DomainError, NotAllowed
from governance.escalation import escalate_agenda_item
from governance.groups import add_membership
from governance.history import history_of
from governance.meetings import MeetingDraft
from governance.models import AgendaItem, Group, Meeting
from governance.people import create_person
from governance.permissions import Actor, actor_for
from governance.tasks import create_task
from governance.times import in_berlin, today
from support import berlin, planning_team
from workspace.db import Database

KICK_OFF_DURATIONS = [15, 15, 30, 60, 15, 45, 60, 90, 45, 15, 30, 15]


@pytest.fixture
def db(database_file) -> Iterator[Session]:
    database = Database(f"sqlite:///{database_file}")
    with database.session(write=True) as session:
        yield session
    database.dispose()


@dataclass
class Team:
    group: Group
    coordinator: Actor
    chair: Actor
    minute_taker: Actor
    member: Actor
    outsider: Actor


@pytest.fixture
def team(db: Session) -> Team:
    people = {name: create_person(db, name.title()) for name in ("chair", "minute_taker", "member", "outsider")}
    group = planning_team(db, **people)
    coordinator = create_person(db, "Kim Koordination", is_coordinator=True)
    actors = {name: actor_for(db, person, today()) for name, person in people.items()}
    return Team(group, Actor(coordinator), **actors)


def schedule(db: Session, team: Team, start: str = "2023-10-25 09:00", title: str = "Kick-Off", **values) -> Meeting:
    return meetings.schedule_meeting(db, team.coordinator, team.group, MeetingDraft(title, berlin(start), **values))


def add(db: Session, team: Team, meeting: Meeting, title: str = "Ankommen", minutes: int = 15, **values) -> AgendaItem:
    return agenda.add_agenda_item(db, team.chair, meeting, ItemDraft(title, duration_minutes=minutes, **values))


def titles(meeting: Meeting) -> list[str]:
    return [item.title for item in agenda.agenda_of(meeting)]


def error_of(call) -> tuple[str, str]:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.field, raised.value.message % raised.value.params if raised.value.params else raised.value.message


# The timetable

def test_kick_off_timetable_matches_the_printed_programme(db, team):
    meeting = schedule(db, team)
    for number, duration in enumerate(KICK_OFF_DURATIONS, start=1):
        add(db, team, meeting, f"TOP {number}", duration)
    table = agenda.timetable(meeting)
    assert [in_berlin(row.starts_at).strftime("%H:%M") for row in table.rows] == [
        "09:00", "09:15", "09:30", "10:00", "11:00", "11:15", "12:00", "13:00", "14:30", "15:15", "15:30", "16:00"]
    assert in_berlin(table.ends_at).strftime("%d.%m.%Y %H:%M") == "25.10.2023 16:15"
    assert [row.ends_at for row in table.rows[:-1]] == [row.starts_at for row in table.rows[1:]]


def test_times_are_stored_in_utc_and_entered_as_berlin_wall_time(db, team):
    meeting = schedule(db, team)
    db.expire_all()
    assert db.get(Meeting, meeting.id).starts_at.isoformat() == "2023-10-25T07:00:00+00:00"


def test_timetable_counts_real_minutes_across_the_change_to_summer_time(db, team):
    meeting = schedule(db, team, "2024-03-31 01:30")
    add(db, team, meeting, minutes=60)
    assert in_berlin(agenda.timetable(meeting).ends_at).strftime("%H:%M") == "03:30"


def test_planned_end_warns_when_the_timetable_runs_past_it(db, team):
    meeting = schedule(db, team, planned_end_at=berlin("2023-10-25 10:00"))
    add(db, team, meeting, minutes=45)
    assert agenda.timetable(meeting).runs_over is False
    add(db, team, meeting, minutes=30)
    table = agenda.timetable(meeting)
    assert (table.runs_over, table.minutes_over) == (True, 15)


def test_timetable_of_an_empty_agenda_ends_at_the_start(db, team):
    meeting = schedule(db, team)
    table = agenda.timetable(meeting)
    assert (table.rows, table.ends_at, table.runs_over) == ([], meeting.starts_at, False)


# Scheduling and changing meetings

def test_scheduling_records_who_created_the_meeting(db, team):
    meeting = schedule(db, team, place="Jugendzentrum »Westside«, Lobeda")
    [record] = history_of(db, "meeting", meeting.id)
    assert (record.action, record.person.name, record.changes) == ("created", "Kim Koordination", {"title": [None, "Kick-Off"]})
    assert (meeting.status, meeting.place) == ("planned", "Jugendzentrum »Westside«, Lobeda")


@pytest.mark.parametrize(("values", "expected"), [
    ({"title": "  "}, ("title", "Bitte geben Sie einen Titel an.")),
    ({"title": "x" * 201}, ("title", "Die Eingabe ist zu lang (höchstens 200 Zeichen).")),
    ({"planned_end_at": berlin("2023-10-25 08:00")}, ("planned_end_at", "Das geplante Ende muss nach dem Beginn liegen.")),
    ({"planned_end_at": berlin("2023-10-25 09:00")}, ("planned_end_at", "Das geplante Ende muss nach dem Beginn liegen.")),
    ({"planned_end_at": berlin("2023-10-26 09:01")}, ("planned_end_at", "Eine Sitzung dauert höchstens 24 Stunden.")),
    ({"online_url": "javascript:alert(1)"}, ("online_url", "Bitte geben Sie einen Link an, der mit https:// beginnt.")),
    ({"place": "x" * 301}, ("place", "Die Eingabe ist zu lang (höchstens 300 Zeichen).")),
])
def test_meeting_with_bad_input_is_refused(db, team, values, expected):
    assert error_of(lambda: schedule(db, team, **values)) == expected
    assert db.scalars(select(Meeting)).all() == []


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_managers_schedule_meetings(db, team, who):
    with pytest.raises(NotAllowed):
        meetings.schedule_meeting(db, getattr(team, who), team.group, MeetingDraft("Sitzung", berlin("2025-01-01 10:00")))


def test_minute_taker_schedules_for_their_group(db, team):
    meeting = meetings.schedule_meeting(db, team.minute_taker, team.group, MeetingDraft("Sitzung", berlin("2025-01-01 10:00")))
    assert meeting.group is team.group


def test_update_meeting_records_what_changed(db, team):
    meeting = schedule(db, team)
    draft = MeetingDraft("Kick-Off Präventionskette", meeting.starts_at, place="Rathaus")
    meetings.update_meeting(db, team.chair, meeting, draft, expected_version=meeting.version_id)
    [record, _] = history_of(db, "meeting", meeting.id)
    assert (record.action, record.changes) == ("updated", {"title": ["Kick-Off", "Kick-Off Präventionskette"],
                                                           "place": ["", "Rathaus"]})


def test_update_meeting_from_a_stale_form_is_a_conflict_and_changes_nothing(db, team):
    meeting = schedule(db, team)
    stale = meeting.version_id
    meetings.update_meeting(db, team.chair, meeting, MeetingDraft("Erste Fassung", meeting.starts_at), stale)
    with pytest.raises(Conflict) as raised:
        meetings.update_meeting(db, team.chair, meeting, MeetingDraft("Zweite Fassung", meeting.starts_at), stale)
    assert raised.value.current is meeting and meeting.title == "Erste Fassung"


def test_meeting_status_changes_and_unknown_status_is_refused(db, team):
    meeting = schedule(db, team)
    meetings.set_meeting_status(db, team.chair, meeting, "invited")
    assert meeting.status == "invited"
    assert history_of(db, "meeting", meeting.id)[0].changes == {"status": ["planned", "invited"]}
    assert error_of(lambda: meetings.set_meeting_status(db, team.chair, meeting, "vertagt")) == (
        "status", "Diesen Status gibt es nicht.")
    with pytest.raises(NotAllowed):
        meetings.set_meeting_status(db, team.member, meeting, "held")


def test_list_meetings_shows_upcoming_first_then_past_and_only_readable_groups(db, team):
    now = berlin("2025-06-01 12:00")
    old = schedule(db, team, "2025-05-01 10:00", "Mai")
    older = schedule(db, team, "2025-04-01 10:00", "April")
    later = schedule(db, team, "2025-07-01 10:00", "Juli")
    sooner = schedule(db, team, "2025-06-01 09:00", "Heute früh")
    listed = meetings.list_meetings(db, team.member, now)
    assert (listed.upcoming, listed.past) == ([sooner, later], [old, older])
    assert meetings.list_meetings(db, team.outsider, now) == meetings.MeetingList([], [])
    assert meetings.list_meetings(db, team.coordinator, now).upcoming == [sooner, later]


def test_groups_to_schedule_are_the_managed_ones(db, team):
    assert meetings.groups_to_schedule(db, team.chair) == [team.group]
    assert meetings.groups_to_schedule(db, team.member) == []
    assert [group.code for group in meetings.groups_to_schedule(db, team.coordinator)] == ["PG", "SG"]


# Agenda items

def test_items_are_numbered_in_the_order_they_are_added(db, team):
    meeting = schedule(db, team)
    for title in ("Begrüßung", "Bericht", "Verschiedenes"):
        add(db, team, meeting, title)
    assert [(item.position, item.title) for item in agenda.agenda_of(meeting)] == [
        (1, "Begrüßung"), (2, "Bericht"), (3, "Verschiedenes")]
    assert history_of(db, "agenda_item", agenda.agenda_of(meeting)[0].id)[0].action == "created"


@pytest.mark.parametrize(("duration", "message"), [
    (0, "Die Dauer muss mindestens 1 Minute betragen."),
    (-15, "Die Dauer muss mindestens 1 Minute betragen."),
    (1441, "Die Dauer darf höchstens 24 Stunden (1440 Minuten) betragen."),
    ("15", "Bitte geben Sie die Dauer in ganzen Minuten an."),
    (1.5, "Bitte geben Sie die Dauer in ganzen Minuten an."),
])
def test_durations_outside_one_minute_to_a_day_are_refused(db, team, duration, message):
    meeting = schedule(db, team)
    assert error_of(lambda: add(db, team, meeting, minutes=duration)) == ("duration_minutes", message)
    assert agenda.agenda_of(meeting) == []


def test_a_whole_day_is_the_longest_item(db, team):
    meeting = schedule(db, team)
    assert add(db, team, meeting, minutes=1440).duration_minutes == 1440


def test_item_with_empty_title_or_unknown_kind_is_refused(db, team):
    meeting = schedule(db, team)
    assert error_of(lambda: add(db, team, meeting, " ")) == ("title", "Bitte geben Sie einen Titel an.")
    assert error_of(lambda: add(db, team, meeting, kind="party")) == (
        "kind", "Diese Art von Tagesordnungspunkt gibt es nicht.")


def test_members_cannot_change_the_agenda(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    for call in (lambda: agenda.add_agenda_item(db, team.member, meeting, ItemDraft("X")),
                 lambda: agenda.remove_agenda_item(db, team.member, item),
                 lambda: agenda.move_agenda_item(db, team.outsider, item, "up"),
                 lambda: agenda.update_agenda_item(db, team.member, item, ItemDraft("X"), item.version_id)):
        with pytest.raises(NotAllowed):
            call()


def test_update_item_records_changes_with_the_presenters_name(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting, "Bericht")
    presenter = team.member.person
    draft = ItemDraft("Bericht aus der AG", "decision", 30, presenter, "Vorlage folgt")
    agenda.update_agenda_item(db, team.chair, item, draft, item.version_id)
    assert (item.title, item.kind, item.duration_minutes, item.presenter, item.notes) == (
        "Bericht aus der AG", "decision", 30, presenter, "Vorlage folgt")
    assert history_of(db, "agenda_item", item.id)[0].changes == {
        "title": ["Bericht", "Bericht aus der AG"], "kind": ["information", "decision"],
        "duration_minutes": [15, 30], "notes": ["", "Vorlage folgt"], "presenter": [None, "Member"]}


def test_update_item_from_a_stale_form_is_a_conflict_that_keeps_the_stored_version(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting, "Bericht")
    stale = item.version_id
    agenda.update_agenda_item(db, team.chair, item, ItemDraft("Bericht der Vorsitzenden"), stale)
    with pytest.raises(Conflict) as raised:
        agenda.update_agenda_item(db, team.minute_taker, item, ItemDraft("Bericht des Kernteams"), stale)
    assert raised.value.current.title == "Bericht der Vorsitzenden"


def test_refused_update_leaves_the_item_as_it_was(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting, "Bericht", 20)
    with pytest.raises(DomainError):
        agenda.update_agenda_item(db, team.chair, item, ItemDraft("Neu", duration_minutes=0), item.version_id)
    assert (item.title, item.duration_minutes) == ("Bericht", 20)


def test_remove_renumbers_the_rest_and_keeps_a_record(db, team):
    meeting = schedule(db, team)
    first, second, third = (add(db, team, meeting, title) for title in ("Eins", "Zwei", "Drei"))
    agenda.remove_agenda_item(db, team.chair, second)
    assert [(item.position, item.title) for item in agenda.agenda_of(meeting)] == [(1, "Eins"), (2, "Drei")]
    assert history_of(db, "agenda_item", second.id)[0].changes == {"title": ["Zwei", None]}
    assert history_of(db, "meeting", meeting.id)[0].changes == {"agenda_item": ["Zwei", None]}


def test_move_swaps_with_the_neighbour_and_records_it(db, team):
    meeting = schedule(db, team)
    for title in ("Eins", "Zwei", "Drei"):
        add(db, team, meeting, title)
    third = agenda.agenda_of(meeting)[2]
    assert agenda.move_agenda_item(db, team.chair, third, "up") is True
    assert titles(meeting) == ["Eins", "Drei", "Zwei"]
    assert history_of(db, "agenda_item", third.id)[0].changes == {"position": [3, 2]}
    agenda.move_agenda_item(db, team.chair, agenda.agenda_of(meeting)[0], "down")
    assert titles(meeting) == ["Drei", "Eins", "Zwei"]


def test_moving_past_either_end_changes_nothing(db, team):
    meeting = schedule(db, team)
    first, last = add(db, team, meeting, "Eins"), add(db, team, meeting, "Zwei")
    assert agenda.move_agenda_item(db, team.chair, first, "up") is False
    assert agenda.move_agenda_item(db, team.chair, last, "down") is False
    assert titles(meeting) == ["Eins", "Zwei"]
    assert error_of(lambda: agenda.move_agenda_item(db, team.chair, first, "sideways")) == (
        "form", "Diese Richtung gibt es nicht.")


def test_moving_keeps_open_edit_forms_valid(db, team):
    """Reordering is no change of content: an item's open edit form must not become a conflict."""
    meeting = schedule(db, team)
    first, second = add(db, team, meeting, "Eins"), add(db, team, meeting, "Zwei")
    loaded = second.version_id
    agenda.move_agenda_item(db, team.chair, second, "up")
    db.commit()
    db.expire_all()
    agenda.update_agenda_item(db, team.minute_taker, db.get(AgendaItem, second.id), ItemDraft("Zwei, ergänzt"), loaded)
    assert (db.get(AgendaItem, second.id).position, db.get(AgendaItem, second.id).title) == (1, "Zwei, ergänzt")


def test_timetable_follows_the_new_order(db, team):
    meeting = schedule(db, team)
    add(db, team, meeting, "Lang", 60)
    short = add(db, team, meeting, "Kurz", 15)
    agenda.move_agenda_item(db, team.chair, short, "up")
    assert [(row.item.title, in_berlin(row.starts_at).strftime("%H:%M")) for row in agenda.timetable(meeting).rows] == [
        ("Kurz", "09:00"), ("Lang", "09:15")]


def test_an_item_removed_meanwhile_is_a_clear_message(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    item_id = item.id
    agenda.remove_agenda_item(db, team.chair, item)
    assert error_of(lambda: agenda.find_agenda_item(db, meeting, item_id)) == (
        "form", "Dieser Tagesordnungspunkt wurde inzwischen entfernt.")


def test_an_item_of_another_meeting_is_not_found_through_this_one(db, team):
    meeting, other = schedule(db, team), schedule(db, team, "2023-11-01 09:00")
    item = add(db, team, other)
    with pytest.raises(DomainError):
        agenda.find_agenda_item(db, meeting, item.id)


# Proposals

def test_member_proposes_and_a_manager_accepts(db, team):
    meeting = schedule(db, team)
    add(db, team, meeting, "Begrüßung")
    proposal = agenda.propose_agenda_item(db, team.member, team.group, ItemDraft("Spielplatz Nord", duration_minutes=20),
                                          meeting)
    assert (proposal.is_proposal, proposal.proposed_by.name) == (True, "Member")
    assert titles(meeting) == ["Begrüßung"] and agenda.proposals_for(db, meeting) == [proposal]
    with pytest.raises(NotAllowed):
        agenda.accept_proposal(db, team.member, proposal, meeting)
    agenda.accept_proposal(db, team.chair, proposal, meeting)
    assert titles(meeting) == ["Begrüßung", "Spielplatz Nord"] and agenda.proposals_for(db, meeting) == []
    assert error_of(lambda: agenda.accept_proposal(db, team.chair, proposal, meeting)) == (
        "form", "Dieser Vorschlag steht schon auf der Tagesordnung.")


def test_member_of_another_group_cannot_propose(db, team):
    with pytest.raises(NotAllowed):
        agenda.propose_agenda_item(db, team.outsider, team.group, ItemDraft("Fremd"))


def test_proposal_from_the_inbox_goes_to_the_chosen_meeting(db, team):
    waiting = agenda.propose_agenda_item(db, team.member, team.group, ItemDraft("Aus dem Eingang"))
    meeting = schedule(db, team)
    assert agenda.proposals_for(db, meeting) == [waiting]
    agenda.accept_proposal(db, team.chair, waiting, meeting)
    assert (waiting.meeting, waiting.position) == (meeting, 1)


def test_proposals_are_not_in_the_timetable(db, team):
    meeting = schedule(db, team)
    agenda.propose_agenda_item(db, team.member, team.group, ItemDraft("Vorschlag", duration_minutes=60), meeting)
    assert agenda.timetable(meeting).ends_at == meeting.starts_at


# Carrying over ("vertagt")

def test_deferred_item_is_carried_into_the_next_planned_meeting(db, team):
    meeting = schedule(db, team, "2025-01-10 10:00")
    schedule(db, team, "2025-01-05 10:00", "Vorher")
    cancelled = schedule(db, team, "2025-01-20 10:00", "Abgesagt")
    meetings.set_meeting_status(db, team.chair, cancelled, "cancelled")
    following = schedule(db, team, "2025-02-10 10:00", "Februar")
    add(db, team, following, "Begrüßung")
    item = add(db, team, meeting, "Haushalt", 45, kind="decision", presenter=team.chair.person)
    copy = agenda.defer_agenda_item(db, team.chair, item)
    assert item.is_deferred is True
    assert (copy.meeting, copy.position, copy.carried_from, copy.is_proposal) == (following, 2, item, False)
    assert (copy.title, copy.kind, copy.duration_minutes, copy.presenter) == ("Haushalt", "decision", 45, team.chair.person)
    assert titles(following) == ["Begrüßung", "Haushalt"]
    assert titles(meeting) == ["Haushalt"]  # the original stays, marked as deferred


def test_deferred_item_waits_in_the_inbox_when_no_meeting_is_planned(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting, "Haushalt")
    copy = agenda.defer_agenda_item(db, team.chair, item)
    assert (copy.meeting, copy.is_proposal, copy.carried_from) == (None, True, item)
    later = schedule(db, team, "2023-12-01 09:00")
    assert agenda.proposals_for(db, later) == [copy]


def test_an_item_is_deferred_once(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    agenda.defer_agenda_item(db, team.chair, item)
    assert error_of(lambda: agenda.defer_agenda_item(db, team.chair, item)) == (
        "form", "Dieser Tagesordnungspunkt ist schon vertagt.")


# Agenda templates

def test_agenda_saved_as_template_starts_a_new_meeting(db, team):
    meeting = schedule(db, team)
    add(db, team, meeting, "Begrüßung", 10)
    add(db, team, meeting, "Beschlüsse", 30, kind="decision")
    template = agenda.save_agenda_template(db, team.chair, meeting, "  Regelsitzung ")
    assert (template.name, template.items) == ("Regelsitzung", [
        {"title": "Begrüßung", "kind": "information", "duration_minutes": 10},
        {"title": "Beschlüsse", "kind": "decision", "duration_minutes": 30}])
    new = agenda.schedule_from_template(db, team.chair, team.group, template,
                                        MeetingDraft("Sitzung im November", berlin("2023-11-22 14:00")))
    assert [(item.title, item.kind, item.duration_minutes) for item in agenda.agenda_of(new)] == [
        ("Begrüßung", "information", 10), ("Beschlüsse", "decision", 30)]
    assert agenda.list_agenda_templates(db, team.group) == [template]


def test_saving_under_the_same_name_replaces_the_template(db, team):
    meeting = schedule(db, team)
    add(db, team, meeting, "Eins")
    agenda.save_agenda_template(db, team.chair, meeting, "Regelsitzung")
    add(db, team, meeting, "Zwei")
    template = agenda.save_agenda_template(db, team.chair, meeting, "Regelsitzung")
    assert [entry["title"] for entry in template.items] == ["Eins", "Zwei"]
    assert len(agenda.list_agenda_templates(db, team.group)) == 1


def test_template_needs_a_name_and_an_agenda(db, team):
    meeting = schedule(db, team)
    assert error_of(lambda: agenda.save_agenda_template(db, team.chair, meeting, "Leer")) == (
        "name", "Die Tagesordnung ist noch leer; es gibt nichts zu speichern.")
    add(db, team, meeting)
    assert error_of(lambda: agenda.save_agenda_template(db, team.chair, meeting, " ")) == (
        "name", "Bitte geben Sie einen Namen für die Vorlage an.")


def test_template_of_another_group_is_refused(db, team):
    meeting = schedule(db, team)
    add(db, team, meeting)
    template = agenda.save_agenda_template(db, team.chair, meeting, "Regelsitzung")
    steering = team.group.parent
    draft = MeetingDraft("Fremd", berlin("2023-11-22 14:00"))
    assert error_of(lambda: agenda.schedule_from_template(db, team.coordinator, steering, template, draft)) == (
        "template", "Diese Vorlage gehört zu einer anderen Gruppe.")


# Attendance

def states(db, meeting) -> dict[str, str | None]:
    return {row.person.name: row.state for row in minutes.attendance_list(db, meeting)}


def test_attendance_lists_the_members_and_records_their_state(db, team):
    meeting = schedule(db, team)
    assert states(db, meeting) == {"Chair": None, "Minute_Taker": None, "Member": None}
    minutes.record_attendance(db, team.minute_taker, meeting, team.member.person, "excused")
    minutes.record_attendances(db, team.minute_taker, meeting, {team.chair.person.id: "present",
                                                                team.member.person.id: "present"})
    assert states(db, meeting) == {"Chair": "present", "Minute_Taker": None, "Member": "present"}
    assert history_of(db, "meeting", meeting.id)[0].changes == {
        "attendance: Chair": [None, "present"], "attendance: Member": ["excused", "present"]}


def test_attendance_of_someone_outside_the_group_or_in_an_unknown_state_is_refused(db, team):
    meeting = schedule(db, team)
    assert error_of(lambda: minutes.record_attendance(db, team.chair, meeting, team.outsider.person, "present")) == (
        "attendance", "Diese Person gehört der Gruppe nicht an.")
    assert error_of(lambda: minutes.record_attendance(db, team.chair, meeting, team.member.person, "late")) == (
        "attendance", "Bitte wählen Sie anwesend, entschuldigt oder abwesend.")
    with pytest.raises(NotAllowed):
        minutes.record_attendance(db, team.member, meeting, team.member.person, "present")


def test_attendance_list_is_of_the_meetings_day(db, team):
    meeting = schedule(db, team)
    newcomer = create_person(db, "Nina Neu")
    add_membership(db, team.group, newcomer, "member", starts_on=in_berlin(meeting.starts_at).date() + timedelta(days=1))
    assert "Nina Neu" not in states(db, meeting)


# Minutes

def test_minutes_are_written_per_item_and_recorded(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    minutes.write_minutes(db, team.minute_taker, item, "  Alle sind da. ", "")
    assert item.minutes == "Alle sind da."
    assert history_of(db, "agenda_item", item.id)[0].changes == {"minutes": [None, "Alle sind da."]}


def test_minutes_from_a_stale_form_are_a_conflict_showing_the_stored_text(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    minutes.write_minutes(db, team.minute_taker, item, "Fassung der Protokollführung", "")
    with pytest.raises(Conflict) as raised:
        minutes.write_minutes(db, team.chair, item, "Fassung der Vorsitzenden", "")
    assert raised.value.current.minutes == "Fassung der Protokollführung"
    minutes.write_minutes(db, team.chair, item, "Beide Fassungen", "Fassung der Protokollführung")
    assert item.minutes == "Beide Fassungen"


def test_changing_an_items_title_leaves_an_open_minutes_form_valid(db, team):
    """The minutes form compares the minutes it loaded, not the item's version, which a new title raises."""
    meeting = schedule(db, team)
    item = add(db, team, meeting, "Bericht")
    minutes.write_minutes(db, team.minute_taker, item, "Erster Stand", "")
    agenda.update_agenda_item(db, team.chair, item, ItemDraft("Bericht der Verwaltung"), item.version_id)
    minutes.write_minutes(db, team.minute_taker, item, "Erster Stand\r\nund mehr", "Erster Stand")
    assert item.minutes == "Erster Stand\r\nund mehr"
    minutes.write_minutes(db, team.minute_taker, item, "Zweiter Stand", "Erster Stand\nund mehr")  # as a browser sends it
    assert item.minutes == "Zweiter Stand"


def test_only_the_chair_or_coordinator_approves_and_afterwards_minutes_are_read_only(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    meetings.set_meeting_status(db, team.chair, meeting, "held")
    for who in ("minute_taker", "member"):
        with pytest.raises(NotAllowed):
            minutes.approve_minutes(db, getattr(team, who), meeting)
    minutes.approve_minutes(db, team.chair, meeting)
    assert (meeting.minutes_approved_by, meeting.minutes_approved_at is not None) == (team.chair.person, True)
    assert history_of(db, "meeting", meeting.id)[0].action == "approved"
    approved = ("form", "Das Protokoll ist genehmigt und kann nur noch berichtigt werden.")
    assert error_of(lambda: minutes.write_minutes(db, team.chair, item, "Nachtrag", "")) == approved
    assert error_of(lambda: minutes.record_attendance(db, team.chair, meeting, team.member.person, "present")) == approved
    assert error_of(lambda: minutes.approve_minutes(db, team.chair, meeting)) == (
        "form", "Das Protokoll ist bereits genehmigt.")
    assert error_of(lambda: add(db, team, meeting))[0] == "form"


def test_cancelled_meeting_has_no_minutes_to_approve(db, team):
    meeting = schedule(db, team)
    meetings.set_meeting_status(db, team.chair, meeting, "cancelled")
    assert error_of(lambda: minutes.approve_minutes(db, team.coordinator, meeting)) == (
        "form", "Eine abgesagte Sitzung hat kein Protokoll.")


def test_minutes_of_a_meeting_not_yet_held_are_not_approved(db, team):
    meeting = schedule(db, team, "2099-01-15 10:00")
    for status in ("planned", "invited"):
        meetings.set_meeting_status(db, team.chair, meeting, status)
        assert error_of(lambda: minutes.approve_minutes(db, team.chair, meeting)) == (
            "form", "Das Protokoll wird erst genehmigt, wenn die Sitzung stattgefunden hat (Status „stattgefunden“).")
    assert meeting.minutes_approved_at is None


def test_an_approved_meeting_keeps_its_title_time_place_and_status(db, team):
    meeting = schedule(db, team, place="Rathaus")
    meetings.set_meeting_status(db, team.chair, meeting, "held")
    minutes.approve_minutes(db, team.chair, meeting)
    draft = MeetingDraft("Umbenannt", meeting.starts_at + timedelta(days=1), place="Anderswo")
    assert error_of(lambda: meetings.update_meeting(db, team.coordinator, meeting, draft, meeting.version_id)) == (
        "form", "Das Protokoll dieser Sitzung ist genehmigt; Titel, Zeit und Ort bleiben, wie sie sind.")
    assert error_of(lambda: meetings.set_meeting_status(db, team.chair, meeting, "cancelled")) == (
        "form", "Das Protokoll dieser Sitzung ist genehmigt; ihr Status bleibt, wie er ist.")
    assert (meeting.title, meeting.place, meeting.status) == ("Kick-Off", "Rathaus", "held")


def test_approved_minutes_change_only_by_a_recorded_correction(db, team):
    meeting = schedule(db, team)
    item = add(db, team, meeting)
    assert error_of(lambda: minutes.correct_minutes(db, team.chair, meeting, "Zu früh")) == (
        "correction", "Vor der Genehmigung wird das Protokoll direkt geändert.")
    meetings.set_meeting_status(db, team.chair, meeting, "held")
    minutes.approve_minutes(db, team.chair, meeting)
    correction = minutes.correct_minutes(db, team.chair, meeting, " Es fehlte Frau M. ", item)
    assert (correction.text, correction.corrected_by, correction.agenda_item_id) == (
        "Es fehlte Frau M.", team.chair.person, item.id)
    assert minutes.corrections_of(db, meeting) == [correction]
    assert history_of(db, "meeting", meeting.id)[0].action == "corrected"
    assert error_of(lambda: minutes.correct_minutes(db, team.chair, meeting, "  ")) == (
        "correction", "Bitte beschreiben Sie die Berichtigung.")
    with pytest.raises(NotAllowed):
        minutes.correct_minutes(db, team.minute_taker, meeting, "Nicht ich")


def test_a_removed_items_history_never_passes_to_a_new_item(db, team):
    """Ids of removed items are not handed out again (SQLite would reuse the highest one without AUTOINCREMENT)."""
    meeting = schedule(db, team)
    removed = add(db, team, meeting, "Entfällt")
    agenda.remove_agenda_item(db, team.chair, removed)
    new = add(db, team, meeting, "Neu")
    assert new.id != removed.id
    assert [record.action for record in history_of(db, "agenda_item", new.id)] == ["created"]


# Removing what others build on

REMOVAL_REFUSED = "Dieser Tagesordnungspunkt kann nicht entfernt werden: "


def test_an_item_with_minutes_decisions_or_tasks_is_not_removed(db, team):
    meeting = schedule(db, team)
    with_minutes, decided, tasked = (add(db, team, meeting, title) for title in ("Bericht", "Haushalt", "Fest"))
    minutes.write_minutes(db, team.chair, with_minutes, "Alles gesagt.", "")
    record_decision(db, team.chair, team.group, DecisionDraft("Haushalt beschlossen.", agenda_item=decided))
    create_task(db, team.chair, team.group, "Zelt leihen", team.member.person, agenda_item=tasked)
    assert [error_of(lambda: agenda.remove_agenda_item(db, team.chair, item)) for item in (with_minutes, decided, tasked)] == [
        ("form", REMOVAL_REFUSED + "Zu ihm gibt es schon ein Protokoll."),
        ("form", REMOVAL_REFUSED + "Zu ihm sind Beschlüsse erfasst."),
        ("form", REMOVAL_REFUSED + "Aus ihm folgen Aufgaben.")]
    assert titles(meeting) == ["Bericht", "Haushalt", "Fest"]


def test_an_item_deferred_or_given_up_is_not_removed(db, team):
    meeting = schedule(db, team)
    deferred, escalated = add(db, team, meeting, "Vertagt"), add(db, team, meeting, "Weitergegeben")
    copy = agenda.defer_agenda_item(db, team.chair, deferred)
    escalate_agenda_item(db, team.chair, escalated)
    refused = ("form", REMOVAL_REFUSED + "Er wurde vertagt oder weitergegeben, und der Verweis auf ihn bleibt erhalten.")
    assert error_of(lambda: agenda.remove_agenda_item(db, team.chair, deferred)) == refused
    assert error_of(lambda: agenda.remove_agenda_item(db, team.chair, escalated)) == refused
    agenda.remove_agenda_item(db, team.chair, copy)  # the copy in the inbox may still be rejected
    assert titles(meeting) == ["Vertagt", "Weitergegeben"]


# History as it is read back

def test_history_reads_instants_and_dates_back_from_their_iso_text(db, team):
    meeting = schedule(db, team)
    new_start = meeting.starts_at + timedelta(hours=1)
    meetings.update_meeting(db, team.chair, meeting, MeetingDraft("Kick-Off", new_start), meeting.version_id)
    record = history_of(db, "meeting", meeting.id)[0]
    db.expire(record)
    assert record.changed_values() == [("starts_at", berlin("2023-10-25 09:00"), berlin("2023-10-25 10:00"))]
