"""Tasks as people use them: "Meine Aufgaben" with the late ones marked, status in place, a group's tasks."""

from datetime import datetime, timedelta

import pytest

from governance.groups import add_membership
from governance.models import Task
from governance.permissions import Actor
from governance.tasks import create_task
from governance.times import today
from networks import add_item, add_meeting, build_groups
from support import count_queries, csrf_of, field_error, log_in, page, post, text_of



@pytest.fixture
def groups(database, make_account, coordinator, member):
    """Paula chairs the planning group, Mira is a member of it."""
    chair = make_account("vorsitz@example.org", "Paula Planung")
    with database.transaction() as db:
        groups = build_groups(db)
        add_membership(db, groups.planning, db.merge(chair.person), "chair")
        add_membership(db, groups.planning, db.merge(member.person), "member")
    return groups


@pytest.fixture
def given(database, coordinator, groups):
    """Give a task of the planning group to a person, as the coordinator would."""

    def make(title: str, owner, due_in_days: int | None = None) -> Task:
        with database.transaction() as db:
            due_on = today() + timedelta(days=due_in_days) if due_in_days is not None else None
            return create_task(db, Actor(db.merge(coordinator.person)), db.merge(groups.planning), title,
                               db.merge(owner.person), due_on)

    return make


def titles(soup) -> list[str]:
    return [" ".join(row.select_one("th").get_text().split()) for row in soup.select("tbody tr")]


def test_my_tasks_lists_my_unfinished_tasks_with_the_late_ones_marked_in_words(client, given, member, coordinator):
    given("Räume suchen", member, due_in_days=3)
    given("Protokoll verschicken", member, due_in_days=-2)
    given("Irgendwann", member)
    given("Nicht meine", coordinator, due_in_days=-5)
    assert log_in(client, member.person.email).status_code == 303
    soup = page(client.get("/tasks"))
    assert text_of(soup, "h1") == "Meine Aufgaben"
    assert titles(soup) == ["Protokoll verschicken überfällig", "Räume suchen", "Irgendwann"]
    assert text_of(soup, "p.notice") == "1 Aufgabe ist überfällig."
    assert soup.select("tr.task--overdue strong")[0].get_text() == "überfällig"


def test_nothing_to_do(client, member, groups):
    log_in(client, member.person.email)
    assert text_of(page(client.get("/tasks")), "h1 + p") == "Sie haben keine offenen Aufgaben."


def test_owner_marks_a_task_done_in_place(client, given, member):
    task = given("Protokoll verschicken", member, due_in_days=-2)
    log_in(client, member.person.email)
    response = post(client, f"/tasks/{task.id}/status", htmx=True, status="done", next="/tasks")
    soup = page(response)
    row = soup.find(True)
    assert response.status_code == 200 and row["id"] == f"task_row-{task.id}"
    assert "überfällig" not in row.get_text()
    assert soup.select_one("option[selected]").get_text() == "erledigt"
    assert titles(page(client.get("/tasks"))) == []


def test_status_change_without_javascript_returns_to_the_page_it_came_from(client, given, member):
    task = given("Räume suchen", member)
    log_in(client, member.person.email)
    response = post(client, f"/tasks/{task.id}/status", status="in_progress", next="/groups/planungsgruppe-kernteam/tasks")
    assert (response.status_code, response.headers["location"]) == (303, "/groups/planungsgruppe-kernteam/tasks")
    soup = page(client.get(response.headers["location"]))
    assert text_of(soup, ".flash") == "Der Status der Aufgabe ist geändert."
    assert soup.select_one("tbody option[selected]").get_text() == "in Arbeit"
    assert post(client, f"/tasks/{task.id}/status", status="done", next="//example.org").headers["location"] == "/"


def test_a_status_that_does_not_exist_is_refused(client, given, member):
    task = given("Räume suchen", member)
    log_in(client, member.person.email)
    response = post(client, f"/tasks/{task.id}/status", htmx=True, status="vielleicht")
    assert response.status_code == 422
    assert text_of(page(response), ".field-error") == "Bitte wählen Sie einen der angebotenen Werte."


def test_chair_creates_a_task_for_the_group(client, groups, member):
    log_in(client, "vorsitz@example.org")
    soup = page(client.get("/groups/planungsgruppe-kernteam/tasks"))
    assert [option.get_text() for option in soup.select("#f-owner option")] == [
        "– bitte wählen –", "Paula Planung", "Mira Mitglied"]
    response = post(client, "/groups/planungsgruppe-kernteam/tasks", htmx=True, title="Räume suchen", owner="", due_on="")
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == "task_form"
    assert field_error(soup, "owner") == "Bitte wählen Sie, wer die Aufgabe übernimmt."
    assert soup.select_one("#f-title")["value"] == "Räume suchen"
    response = post(client, "/groups/planungsgruppe-kernteam/tasks", title="Räume suchen",
                    owner=str(member.person.id), due_on="2030-01-31")
    soup = page(client.get(response.headers["location"]))
    assert text_of(soup, ".flash") == "Die Aufgabe ist angelegt."
    assert titles(soup) == ["Räume suchen Bearbeiten"]


def test_chair_changes_a_task(client, given, member):
    task = given("Räume suchen", member)
    log_in(client, "vorsitz@example.org")
    form = page(client.get(f"/tasks/{task.id}/edit"))
    assert form.select_one("#f-title")["value"] == "Räume suchen"
    response = post(client, f"/tasks/{task.id}/edit", title="", owner=str(member.person.id), due_on="")
    assert field_error(page(response), "title") == "Bitte geben Sie an, was zu tun ist."
    response = post(client, f"/tasks/{task.id}/edit", title="Räume in Löbstedt suchen", owner=str(member.person.id),
                    due_on="2030-02-01")
    assert response.headers["location"] == "/groups/planungsgruppe-kernteam/tasks"
    assert titles(page(client.get(response.headers["location"]))) == ["Räume in Löbstedt suchen Bearbeiten"]


def test_my_tasks_load_their_origin_with_them(client, given, member, database):
    """No query per row: the same number of queries for one task and for three."""
    log_in(client, member.person.email)
    given("Eins", member)
    one = count_queries(database.engine, lambda: client.get("/tasks"))
    given("Zwei", member), given("Drei", member, due_in_days=-1)
    three = count_queries(database.engine, lambda: client.get("/tasks"))
    assert one == three == 4


def test_an_owner_outside_the_group_sees_where_a_task_came_from_without_a_link_that_would_refuse_them(
        client, other_client, groups, database, coordinator, make_account):
    outsider = make_account("nord@example.org", "Otto Ortsteil")
    with database.transaction() as db:
        item = add_item(db, add_meeting(db, db.merge(groups.planning), datetime(2025, 2, 3, 9)), "Stadtteilbüro")
        create_task(db, Actor(db.merge(coordinator.person)), db.merge(groups.planning), "Räume zeigen",
                    db.merge(outsider.person), agenda_item=item)
        meeting_id = item.meeting_id
    log_in(client, outsider.person.email)
    origin = page(client.get("/tasks")).select_one("tbody tr td:nth-of-type(4)")
    assert (" ".join(origin.get_text().split()), origin.select("a")) == ("Tagesordnungspunkt „Stadtteilbüro“", [])
    log_in(other_client, "vorsitz@example.org")
    link = page(other_client.get("/groups/planungsgruppe-kernteam/tasks")).select_one("tbody tr td:nth-of-type(4) a")
    assert link["href"] == f"/meetings/{meeting_id}#minutes_item_row-{item.id}"
