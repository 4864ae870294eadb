"""Tasks: created by a group's managers, moved along by their owner, listed per person with the late ones marked."""

from datetime import date, timedelta

import pytest

from governance.decisions import DecisionDraft, record_decision
from governance.errors import DomainError, NotAllowed
from governance.tasks import create_task, group_tasks, my_tasks, set_task_status, tasks_of_decision, update_task
from governance.times import today
from networks import actor_of, add_item, add_meeting, build_groups, days_from_now, person_in


@pytest.fixture
def chair(db, groups):
    return actor_of(db, person_in(db, groups.planning, "chair", "Paula Planung"))


@pytest.fixture
def owner(db, groups):
    return actor_of(db, person_in(db, groups.planning, "member", "Mira Mitglied"))


def test_task_follows_from_a_decision_and_lists_under_it_and_its_owner(db, groups, chair, owner):
    decision = record_decision(db, chair, groups.planning, DecisionDraft("Stadtteilbüro prüfen."))
    task = create_task(db, chair, groups.planning, "  Räume suchen ", owner.person, date(2030, 1, 31), decision=decision)
    assert (task.title, task.owner, task.group, task.decision, task.status) == (
        "Räume suchen", owner.person, groups.planning, decision, "open")
    assert tasks_of_decision(db, decision) == [task] == my_tasks(db, owner.person) == group_tasks(db, groups.planning)


def test_task_from_an_agenda_item(db, groups, chair, owner):
    item = add_item(db, add_meeting(db, groups.planning, days_from_now(-1)), "Haushalt")
    assert create_task(db, chair, groups.planning, "Zahlen holen", owner.person, agenda_item=item).agenda_item == item


def test_my_tasks_are_unfinished_ones_most_urgent_first_with_the_late_ones_marked(db, groups, chair, owner):
    def make(title, due_on, person=owner.person):
        return create_task(db, chair, groups.planning, title, person, due_on)

    someday, late, soon = make("Irgendwann", None), make("Verspätet", today() - timedelta(days=1)), make("Bald", today())
    set_task_status(db, chair, make("Erledigt", today() - timedelta(days=5)), "done")
    make("Fremd", today(), chair.person)
    assert my_tasks(db, owner.person) == [late, soon, someday]
    assert [task.is_overdue(today()) for task in (late, soon, someday)] == [True, False, False]


def test_done_sets_completed_at_and_reopening_clears_it(db, groups, chair, owner):
    task = create_task(db, chair, groups.planning, "Räume suchen", owner.person, today() - timedelta(days=3))
    set_task_status(db, owner, task, "done")
    assert task.completed_at is not None and not task.is_overdue(today())
    set_task_status(db, owner, task, "in_progress")
    assert (task.status, task.completed_at) == ("in_progress", None)


def test_owner_moves_a_task_along_but_only_managers_change_it(db, groups, chair, owner):
    task = create_task(db, chair, groups.planning, "Räume suchen", owner.person)
    other = actor_of(db, person_in(db, groups.planning, "member", "Otto Anders"))
    with pytest.raises(NotAllowed):
        set_task_status(db, other, task, "done")
    with pytest.raises(NotAllowed):
        update_task(db, owner, task, "Umbenannt", owner.person, None)
    with pytest.raises(NotAllowed):
        create_task(db, owner, groups.planning, "Selbst", owner.person)
    update_task(db, chair, task, "Räume in Löbstedt suchen", other.person, date(2030, 2, 1))
    assert (task.title, task.owner, task.due_on) == ("Räume in Löbstedt suchen", other.person, date(2030, 2, 1))


@pytest.mark.parametrize(("title", "has_owner", "field", "message"), [
    (" ", True, "title", "Bitte geben Sie an, was zu tun ist."),
    ("x" * 301, True, "title", "Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."),
    ("Räume suchen", False, "owner", "Bitte wählen Sie, wer die Aufgabe übernimmt."),
])
def test_bad_task_input_is_refused_next_to_its_field(db, groups, chair, owner, title, has_owner, field, message):
    with pytest.raises(DomainError) as refused:
        create_task(db, chair, groups.planning, title, owner.person if has_owner else None)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_origin_must_be_the_groups_own_and_the_status_known(db, groups, chair, owner):
    nord_chair = actor_of(db, person_in(db, groups.working, "chair", "Otto Ortsteil"))
    foreign = record_decision(db, nord_chair, groups.working, DecisionDraft("Fremd."))
    with pytest.raises(DomainError) as refused:
        create_task(db, chair, groups.planning, "Räume suchen", owner.person, decision=foreign)
    assert refused.value.field == "decision"
    with pytest.raises(DomainError):
        set_task_status(db, chair, create_task(db, chair, groups.planning, "X", owner.person), "vielleicht")
