"""The decisions register as people use it: recording, the number, status in place, conflicts, filters, access."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from governance.decisions import DecisionDraft, record_decision, record_external_decision, update_decision
from governance.groups import add_membership
from governance.models import AgendaItem, Decision
from governance.permissions import Actor
from governance.tasks import create_task
from networks import add_item, add_meeting, days_from_now, network_with
from support import as_person, count_queries, csrf_of, field_error, log_in, page, post, text_of



@pytest.fixture
def groups(database, make_account, coordinator, member):
    """Steering → planning (PG) → working group (NN): Paula chairs PG, Mira is a member, Otto is in NN only."""
    chair = make_account("vorsitz@example.org", "Paula Planung")
    outsider = make_account("nord@example.org", "Otto Ortsteil")
    return network_with(database, ((chair, "planning", "chair"), (member, "planning", "member"),
                                   (outsider, "working", "member")))


@pytest.fixture
def given(database, coordinator):
    """Record a decision as the coordinator would, through the domain operation."""

    def record(group, text="Wir richten ein Stadtteilbüro ein.", **fields) -> Decision:
        with database.transaction() as db:
            actor = Actor(db.merge(coordinator.person))
            return record_decision(db, actor, db.merge(group), DecisionDraft(text, **fields))

    return record


def decision_form(**fields) -> dict:
    return {"text": "Wir richten ein Stadtteilbüro ein.", "status": "adopted", "decided_on": "2025-03-04",
            "meeting": "", "agenda_item": "", "responsible": "", "due_on": "", "votes_yes": "7", "votes_no": "1",
            "votes_abstain": "0", **fields}


def test_chair_records_a_decision_and_sees_its_number(client, groups):
    as_person(client, "vorsitz@example.org")
    form = page(client.get("/groups/planungsgruppe-kernteam/decisions/new"))
    assert text_of(form, "h1") == "Beschluss erfassen"
    response = post(client, "/groups/planungsgruppe-kernteam/decisions/new", **decision_form())
    assert response.status_code == 303
    shown = page(client.get(response.headers["location"]))
    assert text_of(shown, "h1") == "Beschluss PG-2025-001"
    assert text_of(shown, ".flash") == "Der Beschluss ist erfasst."
    assert text_of(shown, ".decision-text") == "Wir richten ein Stadtteilbüro ein."
    assert text_of(shown, "#decision_status h2") == "Status: beschlossen"
    facts = {" ".join(dt.get_text().split()): " ".join(dt.find_next("dd").get_text().split())
             for dt in shown.select("dl.facts dt")}
    assert facts["Abstimmung"] == "dafür: 7, dagegen: 1, Enthaltungen: 0"
    assert facts["Beschlossen am"] == "04.03.2025"


def test_the_link_beside_an_agenda_item_fills_in_meeting_item_and_date(client, groups, database):
    with database.transaction() as db:
        meeting = add_meeting(db, db.merge(groups.planning), datetime(2025, 2, 3, 9), title="Kernteam Februar")
        item = add_item(db, meeting, "Stadtteilbüro")
    as_person(client, "vorsitz@example.org")
    form = page(client.get(f"/groups/planungsgruppe-kernteam/decisions/new?agenda_item={item.id}"))
    assert form.select_one("#f-agenda_item option[selected]")["value"] == str(item.id)
    assert text_of(form, "#f-meeting option[selected]") == "03.02.25, 09:00 – Kernteam Februar"
    assert form.select_one("#f-decided_on")["value"] == "2025-02-03"
    assert form.select_one("#f-status option[selected]")["value"] == "adopted"


def test_bad_input_is_shown_next_to_the_fields_and_what_was_typed_stays(client, groups):
    as_person(client, "vorsitz@example.org")
    response = post(client, "/groups/planungsgruppe-kernteam/decisions/new",
                    **decision_form(text=" ", votes_no="1,5", decided_on="04.03.2025"))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "text") == "Bitte geben Sie den Wortlaut des Beschlusses an."
    assert field_error(soup, "votes_no") == "Bitte geben Sie eine ganze Zahl an."
    assert field_error(soup, "decided_on") == "Bitte geben Sie ein gültiges Datum an."
    assert soup.select_one("#f-votes_no")["value"] == "1,5"

    response = post(client, "/groups/planungsgruppe-kernteam/decisions/new",
                    **decision_form(votes_yes="-3", due_on="2025-03-01"))
    assert field_error(page(response), "votes_yes") == "Bitte geben Sie eine ganze Zahl von 0 bis 100000 an."
    response = post(client, "/groups/planungsgruppe-kernteam/decisions/new", **decision_form(due_on="2025-03-01"))
    assert field_error(page(response), "due_on") == "Die Frist liegt vor dem Tag des Beschlusses."
    response = post(client, "/groups/planungsgruppe-kernteam/decisions/new", **decision_form(meeting="999999"))
    assert field_error(page(response), "meeting") == "Bitte wählen Sie einen der angebotenen Werte."


def test_htmx_gets_only_the_form_back_with_its_errors(client, groups):
    as_person(client, "vorsitz@example.org")
    response = post(client, "/groups/planungsgruppe-kernteam/decisions/new", htmx=True, **decision_form(text=""))
    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("form#decision_form") is not None and soup.select_one("main") is None
    assert field_error(soup, "text") == "Bitte geben Sie den Wortlaut des Beschlusses an."


def test_status_changes_in_place_with_htmx_and_lands_in_the_history(client, groups, given):
    decision = given(groups.planning, status="proposed")
    as_person(client, "vorsitz@example.org")
    response = post(client, f"/decisions/{decision.id}/status", htmx=True, status="adopted", version="1")
    assert response.status_code == 200
    soup = page(response)
    assert soup.find(True)["id"] == "decision_status" and soup.select_one("main") is None
    assert text_of(soup, "h2") == "Status: beschlossen"
    assert soup.select_one("input[name=version]")["value"] == "2"
    history = page(client.get(f"/decisions/{decision.id}")).select(".history__list > li")
    assert "Status geändert" in history[0].get_text()
    assert text_of(history[0], ".history__changes li") == "Status: vorgeschlagen → beschlossen"


def test_status_change_without_javascript_comes_back_to_the_page(client, groups, given):
    decision = given(groups.planning)
    as_person(client, "vorsitz@example.org")
    response = post(client, f"/decisions/{decision.id}/status", status="implemented", version="1")
    assert (response.status_code, response.headers["location"]) == (303, f"/decisions/{decision.id}")
    soup = page(client.get(response.headers["location"]))
    assert text_of(soup, ".flash") == "Der Status ist geändert."
    assert text_of(soup, "#decision_status h2") == "Status: umgesetzt"


def test_a_status_change_from_a_stale_page_shows_both_versions(client, groups, given):
    decision = given(groups.planning)
    as_person(client, "vorsitz@example.org")
    post(client, f"/decisions/{decision.id}/status", htmx=True, status="adopted", version="1")
    response = post(client, f"/decisions/{decision.id}/status", htmx=True, status="rejected", version="1")
    assert response.status_code == 409
    soup = page(response)
    assert text_of(soup, "[role=alert] p") == (
        "Jemand anderes hat den Status inzwischen geändert. Gespeichert ist jetzt: beschlossen. Ihre Wahl war: abgelehnt.")
    assert soup.select_one("#f-status option[selected]")["value"] == "rejected"
    assert soup.select_one("input[name=version]")["value"] == "2"


def test_an_edit_from_a_stale_page_shows_both_versions_and_keeps_the_input(client, groups, given, database):
    decision = given(groups.planning, "Alter Wortlaut.", decided_on=date(2025, 3, 4))
    as_person(client, "vorsitz@example.org")
    stale = page(client.get(f"/decisions/{decision.id}/edit"))
    assert stale.select_one("textarea#f-text").get_text() == "Alter Wortlaut."
    post(client, f"/decisions/{decision.id}/edit", **decision_form(text="Fassung von nebenan.", version="1"))

    response = post(client, f"/decisions/{decision.id}/edit", **decision_form(text="Meine Fassung.", version="1"))
    assert response.status_code == 409
    soup = page(response)
    assert soup.select_one("textarea#f-text").get_text() == "Meine Fassung."
    assert text_of(soup, ".conflict dd.decision-text") == "Fassung von nebenan."
    assert soup.select_one("input[name=version]")["value"] == "2"
    with database.session(write=False) as db:
        assert db.get(Decision, decision.id).text == "Fassung von nebenan."

    again = post(client, f"/decisions/{decision.id}/edit", **decision_form(text="Meine Fassung.", version="2"))
    assert again.status_code == 303
    assert text_of(page(client.get(f"/decisions/{decision.id}")), ".decision-text") == "Meine Fassung."


def test_a_form_with_errors_keeps_the_version_it_was_loaded_with(client, other_client, groups, given):
    """Only the conflict page hands out the newer version, so saving over someone else is always deliberate."""
    decision = given(groups.planning, "Alter Wortlaut.", decided_on=date(2025, 3, 4))
    path = f"/decisions/{decision.id}/edit"
    as_person(client, "vorsitz@example.org"), as_person(other_client, "koordination@example.org")
    version = page(client.get(path)).select_one("input[name=version]")["value"]
    assert post(other_client, path, **decision_form(text="Fassung von nebenan.", version=version)).status_code == 303

    response = post(client, path, **decision_form(text="", version=version))
    assert response.status_code == 422
    kept = page(response).select_one("input[name=version]")["value"]
    assert kept == version
    response = post(client, path, **decision_form(text="Meine Fassung.", version=kept))
    assert response.status_code == 409
    assert text_of(page(response), ".conflict dd.decision-text") == "Fassung von nebenan."


def test_editing_keeps_the_number(client, groups, given):
    decision = given(groups.planning, decided_on=date(2025, 3, 4))
    as_person(client, "vorsitz@example.org")
    post(client, f"/decisions/{decision.id}/edit", **decision_form(decided_on="2026-01-02", version="1"))
    assert text_of(page(client.get(f"/decisions/{decision.id}")), "h1") == "Beschluss PG-2025-001"


def rows(soup) -> list[list[str]]:
    return [[" ".join(cell.get_text().split()) for cell in row.select("th, td")] for row in soup.select("tbody tr")]


def test_register_filters_combine_and_stay_in_the_url(client, groups, given):
    given(groups.planning, "Stadtteilbüro prüfen", status="adopted", decided_on=date(2024, 10, 15))
    given(groups.planning, "Haushalt", status="proposed", decided_on=date(2024, 11, 1))
    given(groups.working, "Fest im Park", status="adopted", decided_on=date(2024, 6, 1))
    as_person(client, "vorsitz@example.org")
    soup = page(client.get("/decisions?status=adopted&group=planungsgruppe-kernteam&year=2024&q=stadtteil"))
    assert rows(soup) == [["PG-2024-001", "Stadtteilbüro prüfen", "Planungsgruppe (Kernteam)", "beschlossen",
                           "15.10.2024", "–"]]
    assert soup.select_one("#f-status option[selected]")["value"] == "adopted"
    assert soup.select_one("#f-group option[selected]")["value"] == "planungsgruppe-kernteam"
    assert soup.select_one("#f-year option[selected]")["value"] == "2024"
    assert soup.select_one("#f-q")["value"] == "stadtteil"
    assert [option["value"] for option in soup.select("#f-group option")] == [
        "", "planungsgruppe-kernteam", "steuerungsgruppe-praeventionskette"]
    assert text_of(soup, "p.result-count") == "1 Beschluss"


def test_register_ignores_filters_it_does_not_know(client, groups, given):
    given(groups.planning)
    as_person(client, "vorsitz@example.org")
    response = client.get("/decisions?status=kaputt&group=gibt-es-nicht&year=zwanzig&page=²")
    assert response.status_code == 200 and len(rows(page(response))) == 1


def test_register_pages_keep_the_filters(client, groups, given, database, coordinator):
    with database.transaction() as db:
        actor, group = Actor(db.merge(coordinator.person)), db.merge(groups.planning)
        for n in range(52):
            record_decision(db, actor, group, DecisionDraft(f"Beschluss {n}", "adopted", date(2025, 1, 1)))
    as_person(client, "vorsitz@example.org")
    soup = page(client.get("/decisions?status=adopted"))
    assert len(rows(soup)) == 50 and text_of(soup, ".pager span") == "Seite 1 von 2"
    second = page(client.get(soup.select_one(".pager a[rel=next]")["href"]))
    assert [row[0] for row in rows(second)] == ["PG-2025-002", "PG-2025-001"]
    assert second.select_one(".pager a[rel=prev]")["href"] == "/decisions?status=adopted&page=1"


def test_register_loads_groups_and_people_with_the_decisions(client, groups, given, database):
    """No query per row: the same number of queries for one decision and for three."""
    as_person(client, "vorsitz@example.org")
    given(groups.planning)
    one = count_queries(database.engine, lambda: client.get("/decisions"))
    given(groups.planning), given(groups.steering, status="adopted")
    three = count_queries(database.engine, lambda: client.get("/decisions"))
    assert len(rows(page(client.get("/decisions")))) == 3
    assert one == three == 7


def test_group_register_of_the_steering_group_shows_others_only_what_is_adopted(client, groups, given):
    given(groups.steering, "Öffentlich", status="adopted")
    given(groups.steering, "Noch intern", status="proposed")
    as_person(client, "nord@example.org")
    soup = page(client.get("/groups/steuerungsgruppe-praeventionskette/decisions"))
    assert [row[1] for row in rows(soup)] == ["Öffentlich"]
    assert soup.select_one("a[href$='/decisions/new']") is None


def test_decision_page_shows_where_it_came_from_and_its_tasks(client, groups, given, database, coordinator):
    with database.transaction() as db:
        meeting = add_meeting(db, db.merge(groups.planning), datetime(2025, 2, 3, 9), title="Kernteam Februar")
        item = add_item(db, meeting, "Stadtteilbüro")
    decision = given(groups.planning, agenda_item=item, due_on=date(2025, 6, 30))
    as_person(client, "vorsitz@example.org")
    soup = page(client.get(f"/decisions/{decision.id}"))
    meeting_link = soup.select_one("dl.facts a")
    assert (meeting_link["href"], meeting_link.get_text()) == (f"/meetings/{meeting.id}", "Kernteam Februar, 03.02.25, 09:00")
    assert text_of(soup, "#decision_tasks p") == "Noch keine Aufgaben."
    assert text_of(soup, "#origins-heading + p") == "Dieser Beschluss wurde nicht aus einer anderen Gruppe weitergegeben."


def test_tasks_are_added_in_place_on_the_decision_page(client, groups, given, member):
    decision = given(groups.planning)
    as_person(client, "vorsitz@example.org")
    response = post(client, f"/decisions/{decision.id}/tasks", htmx=True, title="", owner="", due_on="")
    assert response.status_code == 422
    assert field_error(page(response), "title") == "Bitte geben Sie an, was zu tun ist."
    response = post(client, f"/decisions/{decision.id}/tasks", htmx=True, title="Räume suchen",
                    owner=str(member.person.id), due_on="2020-01-31")
    soup = page(response)
    assert response.status_code == 200 and soup.find(True)["id"] == "decision_tasks"
    [row] = rows(soup)
    assert row[:5] == ["Räume suchen überfälligBearbeiten", "Mira Mitglied", "31.01.2020", "Planungsgruppe (Kernteam)",
                       f"Beschluss {decision.number}"]
    assert soup.select_one("tbody tr select option[selected]").get_text() == "offen"
    assert soup.select_one("#f-title")["value"] == ""


def test_chair_escalates_a_decision_and_the_page_shows_what_came_of_it(client, groups, given, database):
    decision = given(groups.planning, "Empfehlung: Stadtteilbüro.", status="adopted")
    as_person(client, "vorsitz@example.org")
    soup = page(client.get(f"/decisions/{decision.id}"))
    button = soup.select_one(".actions form button")
    assert button.get_text() == "An die Steuerungsgruppe geben"
    response = post(client, f"/decisions/{decision.id}/escalate")
    assert (response.status_code, response.headers["location"]) == (303, f"/decisions/{decision.id}")
    soup = page(client.get(f"/decisions/{decision.id}"))
    assert text_of(soup, ".flash") == "Der Beschluss ist an die übergeordnete Gruppe weitergegeben."
    assert text_of(soup, "#outcomes-heading + ol li") == (
        "Steuerungsgruppe Präventionskette · Tagesordnungspunkt „Aus Planungsgruppe (Kernteam): Empfehlung: "
        "Stadtteilbüro.“ (noch keiner Sitzung zugeordnet)")
    assert soup.select_one(".actions form") is None  # given up once
    assert post(client, f"/decisions/{decision.id}/escalate").status_code == 422
    with database.session(write=False) as db:
        proposal = db.scalar(select(AgendaItem).where(AgendaItem.referred_from_decision_id == decision.id))
        assert (proposal.group_id, proposal.meeting_id, proposal.is_proposal) == (groups.steering.id, None, True)


def test_agenda_item_escalation_returns_to_the_meeting(client, groups, database):
    with database.transaction() as db:
        meeting = add_meeting(db, db.merge(groups.planning), days_from_now(-1))
        item = add_item(db, meeting, "Stadtteilbüro")
        upcoming = add_meeting(db, db.merge(groups.steering), days_from_now(10))
    as_person(client, "vorsitz@example.org")
    response = post(client, f"/agenda-items/{item.id}/escalate")
    assert (response.status_code, response.headers["location"]) == (303, f"/meetings/{meeting.id}")
    with database.session(write=False) as db:
        proposal = db.scalar(select(AgendaItem).where(AgendaItem.referred_from_item_id == item.id))
        assert (proposal.meeting_id, proposal.title) == (upcoming.id, "Aus Planungsgruppe (Kernteam): Stadtteilbüro")
    assert post(client, "/agenda-items/999999/escalate").status_code == 404


def test_coordinator_records_the_city_councils_decision(client, groups, coordinator):
    as_person(client, "koordination@example.org")
    response = post(client, "/decisions/external", body="", number="", text="", decided_on="", status="adopted")
    assert field_error(page(response), "body") == "Bitte geben Sie an, wer den Beschluss gefasst hat."
    response = post(client, "/decisions/external", body="Stadtrat Jena", number="23/1825-BV",
                    text="Fortsetzung der Präventionskette", decided_on="2023-06-14", status="adopted")
    soup = page(client.get(response.headers["location"]))
    assert text_of(soup, "h1") == "Beschluss 23/1825-BV"
    assert text_of(soup, "p.meta") == "Stadtrat Jena"
    assert soup.select_one("#decision_tasks") is None and soup.select_one("#f-status") is not None


def test_outsider_reads_an_adopted_steering_decision_without_controls(client, groups, given):
    decision = given(groups.steering, status="adopted")
    as_person(client, "nord@example.org")
    soup = page(client.get(f"/decisions/{decision.id}"))
    assert text_of(soup, "h1").startswith("Beschluss SG-")
    assert soup.select("form[action*='/decisions/']") == []
    assert soup.select_one("a[href$='/edit']") is None


def test_outsider_sees_what_the_steering_group_decided_but_not_its_tasks_meeting_or_history(
        client, other_client, groups, given, database, coordinator, member, make_account):
    steering_member = make_account("steuerung@example.org", "Sina Steuerung")
    with database.transaction() as db:
        add_membership(db, db.merge(groups.steering), db.merge(steering_member.person), "member")
        item = add_item(db, add_meeting(db, db.merge(groups.steering), datetime(2025, 2, 3, 9), title="Steuerung"),
                        "Stadtteilbüro")
    decision = given(groups.steering, "Erster Entwurf.", agenda_item=item, decided_on=date(2025, 2, 3),
                     due_on=date(2025, 6, 30), votes_yes=5, votes_no=0, votes_abstain=1)
    with database.transaction() as db:
        actor, stored = Actor(db.merge(coordinator.person)), db.merge(decision)
        update_decision(db, actor, stored, DecisionDraft("Endgültiger Wortlaut.", "adopted", date(2025, 2, 3),
                                                         agenda_item=db.merge(item), votes_yes=5, votes_no=0,
                                                         votes_abstain=1), stored.version_id)
        create_task(db, actor, db.merge(groups.steering), "Räume suchen", db.merge(member.person), decision=stored)

    def facts(soup) -> dict[str, str]:
        return {dt.get_text(): " ".join(dt.find_next("dd").get_text().split()) for dt in soup.select("dl.facts dt")}

    outsider = page(as_person(client, "nord@example.org").get(f"/decisions/{decision.id}"))
    assert text_of(outsider, ".decision-text") == "Endgültiger Wortlaut."
    assert text_of(outsider, "#decision_status h2") == "Status: beschlossen"
    assert facts(outsider) == {"Beschlossen am": "03.02.2025", "Abstimmung": "dafür: 5, dagegen: 0, Enthaltungen: 1"}
    assert outsider.select("#decision_tasks, .history, a[href^='/meetings/']") == []
    assert "Erster Entwurf" not in outsider.get_text()

    insider = page(as_person(other_client, "steuerung@example.org").get(f"/decisions/{decision.id}"))
    assert list(facts(insider)) == ["Beschlossen am", "Sitzung", "Tagesordnungspunkt", "Verantwortlich", "Frist",
                                    "Abstimmung"]
    assert rows(insider.select_one("#decision_tasks"))[0][0] == "Räume suchen"
    assert "Wortlaut: Erster Entwurf. → Endgültiger Wortlaut." in [
        " ".join(li.get_text().split()) for li in insider.select(".history__changes li")]


# Who may do what: coordinator / chair (PG) / deputy (PG) / member (PG) / guest (PG) / member of another group (NN) /
# chair of another group (NN) / anonymous. The deputy manages like the chair; the guest reads like a member.
ROLES = {"coordinator": "koordination@example.org", "chair": "vorsitz@example.org",
         "deputy": "stellvertretung@example.org", "member": "mitglied@example.org", "guest": "gast@example.org",
         "outsider": "nord@example.org", "other_chair": "nord-vorsitz@example.org", "anonymous": None}
RULES = [  # method, path, (coordinator, chair, deputy, member, guest, outsider, other_chair, anonymous)
    ("GET", "/decisions", (200, 200, 200, 200, 200, 200, 200, 303)),
    ("GET", "/groups/{pg}/decisions", (200, 200, 200, 200, 200, 403, 403, 303)),
    ("GET", "/groups/{sg}/decisions", (200, 200, 200, 200, 200, 200, 200, 303)),
    ("GET", "/groups/{pg}/decisions/new", (200, 200, 200, 403, 403, 403, 403, 303)),
    ("POST", "/groups/{pg}/decisions/new", (422, 422, 422, 403, 403, 403, 403, 303)),
    ("GET", "/decisions/{pg_decision}", (200, 200, 200, 200, 200, 403, 403, 303)),
    ("GET", "/decisions/{sg_adopted}", (200, 200, 200, 200, 200, 200, 200, 303)),
    ("GET", "/decisions/{sg_proposed}", (200, 403, 403, 403, 403, 403, 403, 303)),
    ("GET", "/decisions/{external}", (200, 200, 200, 200, 200, 200, 200, 303)),
    ("GET", "/decisions/{pg_decision}/edit", (200, 200, 200, 403, 403, 403, 403, 303)),
    ("POST", "/decisions/{pg_decision}/edit", (422, 422, 422, 403, 403, 403, 403, 303)),
    ("POST", "/decisions/{pg_decision}/status", (422, 422, 422, 403, 403, 403, 403, 303)),
    ("POST", "/decisions/{external}/status", (422, 403, 403, 403, 403, 403, 403, 303)),
    ("POST", "/decisions/{pg_decision}/tasks", (422, 422, 422, 403, 403, 403, 403, 303)),
    ("POST", "/decisions/{pg_decision}/escalate", (303, 303, 303, 403, 403, 403, 403, 303)),
    ("POST", "/agenda-items/{pg_item}/escalate", (303, 303, 303, 403, 403, 403, 403, 303)),
    ("GET", "/decisions/external", (200, 403, 403, 403, 403, 403, 403, 303)),
    ("POST", "/decisions/external", (422, 403, 403, 403, 403, 403, 403, 303)),
    ("GET", "/tasks", (200, 200, 200, 200, 200, 200, 200, 303)),
    ("GET", "/groups/{pg}/tasks", (200, 200, 200, 200, 200, 403, 403, 303)),
    ("POST", "/groups/{pg}/tasks", (422, 422, 422, 403, 403, 403, 403, 303)),
    ("GET", "/tasks/{task}/edit", (200, 200, 200, 403, 403, 403, 403, 303)),
    ("POST", "/tasks/{task}/edit", (422, 422, 422, 403, 403, 403, 403, 303)),
    ("POST", "/tasks/{task}/status", (422, 422, 422, 422, 403, 403, 403, 303)),  # the member owns the task
]


@pytest.fixture
def placeholders(groups, given, database, coordinator, member, make_account):
    accounts = [(make_account(email, name), group, role) for email, name, group, role in (
        ("stellvertretung@example.org", "Doris Stellvertretung", groups.planning, "deputy"),
        ("gast@example.org", "Gustav Gast", groups.planning, "guest"),
        ("nord-vorsitz@example.org", "Nora Nord", groups.working, "chair"))]
    with database.transaction() as db:
        for account, group, role in accounts:
            add_membership(db, db.merge(group), db.merge(account.person), role)
        actor = Actor(db.merge(coordinator.person))
        item = add_item(db, add_meeting(db, db.merge(groups.planning), datetime(2025, 2, 3, 9)), "Stadtteilbüro")
        external = record_external_decision(db, actor, "Stadtrat Jena", "23/1825-BV", "Fortsetzung", None)
    decision = given(groups.planning)
    with database.transaction() as db:
        task = create_task(db, Actor(db.merge(coordinator.person)), db.merge(groups.planning), "Räume suchen",
                           db.merge(member.person), decision=db.merge(decision))
    return {"{pg}": groups.planning.slug, "{sg}": groups.steering.slug, "{pg_decision}": str(decision.id),
            "{sg_adopted}": str(given(groups.steering, status="adopted").id),
            "{sg_proposed}": str(given(groups.steering, status="proposed").id),
            "{external}": str(external.id), "{pg_item}": str(item.id), "{task}": str(task.id)}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(client, role, placeholders):
    if ROLES[role]:
        as_person(client, ROLES[role])
    token = csrf_of(client, "/profile" if ROLES[role] else "/login")
    index = list(ROLES).index(role)
    for method, path, expected in RULES:
        url = path
        for placeholder, value in placeholders.items():
            url = url.replace(placeholder, value)
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[index], (role, method, path)
