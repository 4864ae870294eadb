"""Milestones in the domain: planning, status, the programme's period, dependencies, indicators, links."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from governance.decisions import DecisionDraft, record_decision
from governance.errors import Conflict, DomainError, NotAllowed
from governance.groups import add_membership
from governance.history import history_of
from governance.indicators import IndicatorDraft, add_indicator, remove_indicator, update_indicator
from governance.milestone_plan import PlanFilter, milestone_plan, responsible_groups
from governance.milestone_status import due_before_dependency
from governance.milestones import (MilestoneDraft, add_dependency, create_milestone, decision_numbered, dependents_of,
                                   link_decision, link_task, remove_dependency, set_milestone_status, tasks_to_link,
                                   unlink_decision, unlink_task, update_milestone)
from governance.models import Task
from governance.people import create_person
from governance.permissions import Actor
from governance.programmes import add_focus, create_programme
from governance.tasks import create_task
from governance.times import today
from networks import actor_of, person_in

START, END = date(2022, 9, 1), date(2030, 12, 31)


@pytest.fixture
def programme(db):
    programme = create_programme(db, "Präventionskette Jena", START, END)
    add_focus(db, programme, 1, "Wirkungsorientierung")
    add_focus(db, programme, 2, "Abbau von Barrieren im Leistungsbezug")
    return programme


@pytest.fixture
def coordinator(db):
    return Actor(create_person(db, "Kim Koordination", "koordination@example.org", is_coordinator=True))


@pytest.fixture
def plan(db, programme, coordinator):
    """Plan a milestone as the coordinator: plan("Titel", due, **fields)."""

    def make(title: str, due_on: date = date(2026, 6, 30), **fields):
        return create_milestone(db, coordinator, programme, MilestoneDraft(title, due_on=due_on, **fields))

    return make


def error_of(operation) -> DomainError:
    with pytest.raises(DomainError) as raised:
        operation()
    return raised.value


def test_coordinator_plans_a_milestone_and_the_history_says_so(db, programme, coordinator, groups):
    focus = programme.focuses[0]
    milestone = create_milestone(db, coordinator, programme, MilestoneDraft(
        " Wirkungsdialoge eingeführt ", "Mit allen Trägern.", focus, groups.planning, coordinator.person,
        date(2026, 6, 30)))
    assert (milestone.title, milestone.focus, milestone.group, milestone.status) == (
        "Wirkungsdialoge eingeführt", focus, groups.planning, "planned")
    [record] = history_of(db, "milestone", milestone.id)
    assert (record.action, record.changes) == ("created", {"title": [None, "Wirkungsdialoge eingeführt"]})


def test_only_the_coordinator_plans_and_changes_milestones(db, programme, groups, plan):
    chair = actor_of(db, person_in(db, groups.planning, "chair", "Paula Planung"))
    with pytest.raises(NotAllowed):
        create_milestone(db, chair, programme, MilestoneDraft("Eigener Plan", due_on=date(2026, 1, 1)))
    milestone = plan("Meilenstein", group=groups.planning)
    with pytest.raises(NotAllowed):
        update_milestone(db, chair, milestone, MilestoneDraft("Anders", due_on=date(2026, 1, 1)), 1)


def test_title_and_due_date_are_required(db, programme, coordinator):
    untitled = MilestoneDraft(" ", due_on=START)
    assert error_of(lambda: create_milestone(db, coordinator, programme, untitled)).field == "title"
    error = error_of(lambda: create_milestone(db, coordinator, programme, MilestoneDraft("Ohne Datum")))
    assert (error.field, error.message) == (
        "due_on", "Bitte geben Sie an, bis wann der Meilenstein erreicht sein soll.")


@pytest.mark.parametrize("due_on", [START - timedelta(days=1), END + timedelta(days=1)])
def test_a_due_date_outside_the_period_needs_a_confirmation(db, programme, coordinator, due_on):
    draft = MilestoneDraft("Außerhalb", due_on=due_on)
    error = error_of(lambda: create_milestone(db, coordinator, programme, draft))
    assert error.field == "confirm_outside"
    assert error.message.startswith("Das Fälligkeitsdatum liegt außerhalb der Programmlaufzeit.")
    assert create_milestone(db, coordinator, programme, draft, confirm_outside=True).due_on == due_on


def test_the_first_and_last_day_of_the_period_need_no_confirmation(plan):
    assert plan("Start", START).due_on == START
    assert plan("Ende", END).due_on == END


def test_a_confirmed_date_outside_the_period_is_not_asked_again_while_it_stays(db, programme, coordinator):
    milestone = create_milestone(db, coordinator, programme, MilestoneDraft("Nachlauf", due_on=date(2031, 3, 1)),
                                 confirm_outside=True)
    update_milestone(db, coordinator, milestone, MilestoneDraft("Nachlauf, neu benannt", due_on=date(2031, 3, 1)), 1)
    error = error_of(lambda: update_milestone(db, coordinator, milestone,
                                              MilestoneDraft("Nachlauf", due_on=date(2031, 4, 1)), 2))
    assert error.field == "confirm_outside"


def test_an_update_from_a_stale_page_is_a_conflict_and_changes_nothing(db, coordinator, plan):
    milestone = plan("Alt")
    update_milestone(db, coordinator, milestone, MilestoneDraft("Neu", due_on=date(2026, 6, 30)), 1)
    with pytest.raises(Conflict):
        update_milestone(db, coordinator, milestone, MilestoneDraft("Meins", due_on=date(2026, 6, 30)), 1)
    assert (milestone.title, milestone.version_id) == ("Neu", 2)
    assert history_of(db, "milestone", milestone.id)[0].changes == {"title": ["Alt", "Neu"]}


def test_done_is_dated_today_unless_another_day_is_given(db, coordinator, plan):
    milestone = plan("Fertig")
    set_milestone_status(db, coordinator, milestone, "done", 1)
    assert (milestone.status, milestone.completed_on) == ("done", today())
    set_milestone_status(db, coordinator, milestone, "done", 2, date(2026, 1, 15))
    assert milestone.completed_on == date(2026, 1, 15)
    set_milestone_status(db, coordinator, milestone, "in_progress", 3)
    assert milestone.completed_on is None
    assert [record.action for record in history_of(db, "milestone", milestone.id)] == [
        "status", "status", "status", "created"]


def test_status_refuses_unknown_states_future_completion_and_stale_pages(db, coordinator, plan):
    milestone = plan("Fertig")
    assert error_of(lambda: set_milestone_status(db, coordinator, milestone, "vielleicht", 1)).field == "status"
    tomorrow = today() + timedelta(days=1)
    error = error_of(lambda: set_milestone_status(db, coordinator, milestone, "done", 1, tomorrow))
    assert error.field == "completed_on"
    with pytest.raises(Conflict):
        set_milestone_status(db, coordinator, milestone, "done", 7)
    assert milestone.status == "planned"


def test_managers_of_the_responsible_group_move_it_along_others_do_not(db, groups, plan):
    milestone = plan("Stadtteilbüro", group=groups.working)
    for role in ("chair", "deputy", "minute_taker"):
        manager = actor_of(db, person_in(db, groups.working, role, f"Person {role}"))
        set_milestone_status(db, manager, milestone, "in_progress", milestone.version_id)
    for person in (person_in(db, groups.working, "member", "Mira Mitglied"),
                   person_in(db, groups.planning, "chair", "Paula Planung")):
        with pytest.raises(NotAllowed):
            set_milestone_status(db, actor_of(db, person), milestone, "done", milestone.version_id)


def test_a_dependency_cycle_is_refused_with_the_cycle_named(db, coordinator, plan):
    a, b, c = plan("A"), plan("B"), plan("C")
    add_dependency(db, coordinator, a, b)
    add_dependency(db, coordinator, b, c)
    error = error_of(lambda: add_dependency(db, coordinator, c, a))
    assert (error.field, error.message % error.params) == ("depends_on", "Abhängigkeit im Kreis: C → A → B → C")
    error = error_of(lambda: add_dependency(db, coordinator, b, a))
    assert error.message % error.params == "Abhängigkeit im Kreis: B → A → B"
    assert error_of(lambda: add_dependency(db, coordinator, a, a)).params == {"cycle": "A → A"}
    assert c.depends_on == [] and b.depends_on == [c]


def test_dependencies_are_added_once_removed_and_seen_both_ways(db, coordinator, plan):
    survey, office = plan("Befragung", date(2026, 3, 1)), plan("Stadtteilbüro", date(2026, 9, 1))
    add_dependency(db, coordinator, office, survey)
    error = error_of(lambda: add_dependency(db, coordinator, office, survey))
    assert error.message == "Diese Abhängigkeit besteht schon."
    assert dependents_of(db, survey) == [office]
    remove_dependency(db, coordinator, office, survey)
    assert office.depends_on == [] and dependents_of(db, survey) == []
    assert [record.action for record in history_of(db, "milestone", office.id)][:2] == ["unlinked", "linked"]
    assert error_of(lambda: remove_dependency(db, coordinator, office, survey)).field == "depends_on"


def test_due_before_a_dependency_is_allowed_and_reported(db, coordinator, plan):
    later, earlier = plan("Später", date(2027, 3, 1)), plan("Früher", date(2026, 1, 1))
    add_dependency(db, coordinator, earlier, later)
    assert due_before_dependency(earlier) == [later]


def test_a_new_milestone_may_start_with_its_dependencies(db, programme, coordinator, plan):
    survey = plan("Befragung")
    office = create_milestone(db, coordinator, programme, MilestoneDraft("Büro", due_on=date(2026, 12, 1)),
                              depends_on=[survey])
    assert office.depends_on == [survey]
    assert history_of(db, "milestone", office.id)[0].changes["depends_on"] == [None, "Befragung"]


def test_indicators_take_numbers_and_date_the_current_value(db, groups, plan):
    milestone = plan("Wer macht was?", group=groups.working)
    chair = actor_of(db, person_in(db, groups.working, "chair", "Otto Ortsteil"))
    indicator = add_indicator(db, chair, milestone, IndicatorDraft("erfasste Angebote", 80.0, "Anzahl", 0.0, 51.0))
    assert (indicator.current, indicator.current_on) == (51.0, today())
    update_indicator(db, chair, indicator, IndicatorDraft("erfasste Angebote", 80.0, "Anzahl", 0.0, 62.5,
                                                          date(2025, 5, 1)))
    assert (indicator.current, indicator.current_on) == (62.5, date(2025, 5, 1))
    [updated, added] = history_of(db, "milestone", milestone.id)[:2]
    assert (updated.action, updated.changes) == ("indicator_updated", {
        "indicator": ["erfasste Angebote", "erfasste Angebote"], "current": [51.0, 62.5],
        "current_on": [today().isoformat(), "2025-05-01"]})
    assert added.changes == {"indicator": [None, "erfasste Angebote"]}
    remove_indicator(db, chair, indicator)
    assert milestone.indicators == []


def test_indicators_refuse_what_cannot_be_measured(db, coordinator, plan):
    milestone = plan("Messbar")
    cases = [(IndicatorDraft(" ", 10.0), "name"), (IndicatorDraft("Angebote", None), "target"),
             (IndicatorDraft("Angebote", float("nan")), "target"),
             (IndicatorDraft("Angebote", 10.0, baseline=1e13), "baseline"),
             (IndicatorDraft("Angebote", 10.0, current=1.0, current_on=today() + timedelta(days=1)), "current_on")]
    for draft, field in cases:
        assert error_of(lambda: add_indicator(db, coordinator, milestone, draft)).field == field
    assert milestone.indicators == []


def test_members_of_the_group_do_not_change_indicators(db, groups, plan):
    milestone = plan("Messbar", group=groups.working)
    member = actor_of(db, person_in(db, groups.working, "member", "Mira Mitglied"))
    with pytest.raises(NotAllowed):
        add_indicator(db, member, milestone, IndicatorDraft("Angebote", 10.0))


def test_decisions_and_tasks_are_linked_by_the_groups_managers(db, groups, plan, coordinator):
    milestone = plan("Stadtteilbüro", group=groups.working)
    chair = actor_of(db, person_in(db, groups.working, "chair", "Otto Ortsteil"))
    decision = record_decision(db, chair, groups.working,
                               DecisionDraft("Bedarf prüfen", "adopted", date(2024, 10, 15)))
    task = create_task(db, chair, groups.working, "Räume suchen", chair.person)
    assert tasks_to_link(db, milestone) == [task]
    link_decision(db, chair, milestone, decision_numbered(db, decision.number))
    link_task(db, chair, milestone, task)
    assert milestone.decisions == [decision] and task.milestone_id == milestone.id
    assert tasks_to_link(db, milestone) == []
    assert error_of(lambda: link_decision(db, chair, milestone, decision)).field == "decision"
    assert error_of(lambda: link_task(db, chair, milestone, task)).field == "task"
    unlink_decision(db, chair, milestone, decision)
    unlink_task(db, chair, milestone, task)
    assert milestone.decisions == [] and db.get(Task, task.id).milestone_id is None
    actions = [record.action for record in history_of(db, "milestone", milestone.id)]
    assert actions[:4] == ["unlinked", "unlinked", "linked", "linked"]


def test_an_unknown_decision_number_is_an_error_on_the_field(db):
    error = error_of(lambda: decision_numbered(db, "PG-1999-001"))
    assert (error.field, error.message) == ("decision", "Einen Beschluss mit dieser Nummer gibt es nicht.")


def test_a_member_links_nothing(db, groups, plan, coordinator):
    milestone = plan("Stadtteilbüro", group=groups.working)
    member = actor_of(db, person_in(db, groups.working, "member", "Mira Mitglied"))
    decision = record_decision(db, coordinator, groups.working, DecisionDraft("Bedarf prüfen", "adopted"))
    with pytest.raises(NotAllowed):
        link_decision(db, member, milestone, decision)


def test_the_plan_groups_by_focus_with_the_milestones_without_one_last(db, programme, groups, plan):
    first, second = programme.focuses
    plan("Ohne", date(2023, 1, 1))
    plan("Zwei", date(2024, 1, 1), focus=second, group=groups.working)
    plan("Eins spät", date(2026, 1, 1), focus=first)
    plan("Eins früh", date(2025, 1, 1), focus=first, group=groups.planning, status="done")
    found = milestone_plan(db, programme, PlanFilter(), date(2025, 6, 1))
    assert [(section.focus, [row.milestone.title for row in section.rows]) for section in found.sections] == [
        (first, ["Eins früh", "Eins spät"]), (second, ["Zwei"]), (None, ["Ohne"])]
    assert [row.standing.state for row in found.rows] == ["done", "planned", "overdue", "overdue"]


def test_plan_filters_combine(db, programme, groups, plan):
    first = programme.focuses[0]
    plan("Eins, Nord, überfällig", date(2024, 1, 1), focus=first, group=groups.working)
    plan("Eins, Nord, erreicht", date(2024, 1, 1), focus=first, group=groups.working, status="done")
    plan("Eins, Kernteam", date(2024, 1, 1), focus=first, group=groups.planning)
    plan("Ohne Schwerpunkt", date(2024, 1, 1), group=groups.working)

    def titles(**chosen) -> list[str]:
        found = milestone_plan(db, programme, PlanFilter(**chosen), date(2025, 1, 1))
        return [row.milestone.title for row in found.rows]

    assert titles(focus=first, group=groups.working, state="overdue") == ["Eins, Nord, überfällig"]
    assert titles(without_focus=True) == ["Ohne Schwerpunkt"]
    assert titles(state="done") == ["Eins, Nord, erreicht"]
    assert responsible_groups(db, programme) == [groups.working, groups.planning]


def test_linking_a_task_of_another_group_goes_through_the_coordinator(db, groups, plan, coordinator):
    milestone = plan("Ohne Gremium")
    task = create_task(db, coordinator, groups.planning, "Fragebogen", coordinator.person)
    assert tasks_to_link(db, milestone) == [task]
    link_task(db, coordinator, milestone, task)
    assert db.scalar(select(Task.milestone_id).where(Task.id == task.id)) == milestone.id


def test_a_manager_of_another_group_cannot_take_a_task_off_its_milestone(db, groups, plan, coordinator):
    """Paula chairs PG and is a mere member of NN: she reads NN's task, yet NN's milestone is not hers to strip."""
    theirs, ours = plan("Stadtteilbüro", group=groups.working), plan("Konzept", group=groups.planning)
    paula = person_in(db, groups.planning, "chair", "Paula Planung")
    add_membership(db, groups.working, paula, "member")
    task = create_task(db, coordinator, groups.working, "Räume suchen", coordinator.person)
    link_task(db, coordinator, theirs, task)
    with pytest.raises(NotAllowed):
        link_task(db, actor_of(db, paula), ours, task)
    assert db.scalar(select(Task.milestone_id).where(Task.id == task.id)) == theirs.id
    link_task(db, coordinator, ours, task)
    assert db.scalar(select(Task.milestone_id).where(Task.id == task.id)) == ours.id


def test_the_plan_is_shown_a_page_at_a_time_still_grouped_by_focus(db, programme, plan):
    first, second = programme.focuses
    plan("Eins a", date(2024, 1, 1), focus=first)
    plan("Eins b", date(2024, 2, 1), focus=first)
    plan("Zwei", date(2023, 1, 1), focus=second)
    whole = milestone_plan(db, programme, PlanFilter(), date(2025, 1, 1))
    page = whole.page(2, size=2)
    assert (page.number, page.pages, page.total) == (2, 2, 3)
    assert [(section.focus, [row.milestone.title for row in section.rows]) for section in page.sections] == [
        (second, ["Zwei"])]
    assert [row.milestone.title for row in whole.page(1, size=2).rows] == ["Eins a", "Eins b"]
    assert whole.page(99, size=2).number == 2 and whole.page(0, size=2).number == 1
