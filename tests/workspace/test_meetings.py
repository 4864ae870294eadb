"""A meeting's pages as people see them: the timetable, building the agenda in place, attendance, minutes,
approval, print views, conflicts and stale pages, and who may do what."""

from collections.abc import Callable

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from governance import agenda, minutes
from governance.agenda import ItemDraft
from governance.decisions import DecisionDraft, record_decision
from governance.escalation import escalate_agenda_item, escalate_decision
from governance.groups import add_membership
from governance.meetings import MeetingDraft, schedule_meeting, set_meeting_status
from governance.models import AgendaItem, Decision, Meeting, Person
from governance.permissions import Actor, actor_for
from governance.times import today
from support import berlin, count_queries, csrf_of, field_error, log_in, page, planning_team, post, text_of
from workspace.db import Database

KICK_OFF = [("Ankommen", 15), ("Begrüßung durch den Oberbürgermeister", 15), ("Austausch im Plenum", 30),
            ("Fachvortrag »Die Präventionskette als Strukturinnovation«", 60), ("Kleine Pause", 15),
            ("Fragerunde im Plenum", 45), ("Mittagspause", 60), ("Workshopphase I–III", 90),
            ("Auswertung der Workshop-Ergebnisse", 45), ("Kaffeepause", 15),
            ("Ausblick und verwaltungsinterne Festlegungen", 30), ("Ausklang", 15)]
KICK_OFF_TIMES = ["09:00–09:15", "09:15–09:30", "09:30–10:00", "10:00–11:00", "11:00–11:15", "11:15–12:00",
                  "12:00–13:00", "13:00–14:30", "14:30–15:15", "15:15–15:30", "15:30–16:00", "16:00–16:15"]
PEOPLE = {"chair": ("vorsitz@example.org", "Vera Vorsitz"), "minute_taker": ("protokoll@example.org", "Paul Protokoll"),
          "member": ("mitglied@example.org", "Mira Mitglied"), "outsider": ("andere@example.org", "Otto Anders"),
          "deputy": ("stellvertretung@example.org", "Doris Stellvertretung"), "guest": ("gast@example.org", "Gustav Gast"),
          "other_chair": ("steuerung@example.org", "Stella Steuerung")}
ITEM_GONE = "Dieser Tagesordnungspunkt wurde inzwischen entfernt."


@pytest.fixture
def people(make_account, coordinator) -> dict[str, Person]:
    accounts = {role: make_account(email, name) for role, (email, name) in PEOPLE.items()}
    return {"coordinator": coordinator.person, **{role: account.person for role, account in accounts.items()}}


@pytest.fixture
def kick_off(database: Database, people) -> Meeting:
    """The planning group's kick-off on 25.10.2023 at 09:00 with its twelve items (a printed programme)."""
    with database.transaction() as db:
        persons = {role: db.get(Person, person.id) for role, person in people.items()}
        group = planning_team(db, persons["chair"], persons["minute_taker"], persons["member"], persons["outsider"])
        actor = Actor(persons["coordinator"])
        meeting = schedule_meeting(db, actor, group, MeetingDraft(
            "Kick-Off Präventionskette Jena", berlin("2023-10-25 09:00"), place="Jugendzentrum »Westside«, Lobeda",
            planned_end_at=berlin("2023-10-25 16:00")))
        for title, duration in KICK_OFF:
            agenda.add_agenda_item(db, actor, meeting, ItemDraft(title, duration_minutes=duration))
        meeting.group.slug  # loaded while the session is open
        return meeting


@pytest.fixture
def client_as(app, people) -> Callable[[str], TestClient]:
    """A browser of its own, logged in as the person in that role."""

    def log_in_as(role: str) -> TestClient:
        client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        email = "koordination@example.org" if role == "coordinator" else PEOPLE[role][0]
        assert log_in(client, email).status_code == 303
        return client

    return log_in_as


def items_of(database: Database, meeting: Meeting) -> list[AgendaItem]:
    with database.session(write=False) as db:
        return agenda.agenda_of(db.get(Meeting, meeting.id))


def timetable_rows(soup) -> list[tuple[str, str, str]]:
    return [(" ".join(row.select_one("td").get_text().split()), text_of(row, "td:nth-of-type(2)"),
             " ".join(row.select_one("th").get_text().split())) for row in soup.select("table.timetable tbody tr")]


def facts_of(soup) -> dict[str, str]:
    return {dt.get_text(): " ".join(dt.find_next("dd").get_text().split()) for dt in soup.select("dl.facts dt")}


def item_data(**values) -> dict:
    return {"title": "Verschiedenes", "kind": "information", "duration_minutes": "15", "presenter": "",
            "notes": "", **values}


# The timetable as people read it -----------------------------------------------------------------

def test_meeting_page_prints_the_kick_off_programme(client_as, kick_off):
    soup = page(client_as("member").get(f"/meetings/{kick_off.id}"))
    assert text_of(soup, "h1") == "Kick-Off Präventionskette Jena"
    rows = timetable_rows(soup)
    assert [time for time, _, _ in rows] == KICK_OFF_TIMES
    assert [number for _, number, _ in rows] == [str(n) for n in range(1, 13)]
    assert text_of(soup, ".timetable__end") == "Ende laut Zeitplan: 16:15 Uhr · geplantes Ende: 16:00 Uhr"
    assert text_of(soup, ".warning") == "Der Zeitplan endet um 16:15 Uhr, 15 Minuten nach dem geplanten Ende (16:00 Uhr)."
    facts = facts_of(soup)
    assert facts["Datum"] == "Mittwoch, 25. Oktober 2023" and facts["Ort"] == "Jugendzentrum »Westside«, Lobeda"
    assert facts["Protokoll"] == "Entwurf (noch nicht genehmigt)"


def test_member_sees_the_agenda_but_no_buttons_to_change_it(client_as, kick_off):
    soup = page(client_as("member").get(f"/meetings/{kick_off.id}"))
    assert soup.select(".item-actions") == [] and soup.select("textarea[name=minutes]") == []
    assert text_of(soup, "#item-form-heading") == "Punkt vorschlagen"


def test_manager_gets_labelled_buttons_per_item(client_as, kick_off):
    soup = page(client_as("chair").get(f"/meetings/{kick_off.id}"))
    third = soup.select("table.timetable tbody tr")[2]
    labels = [button.get("aria-label") or " ".join(button.get_text().split()) for button in third.select("button, a")]
    assert labels == ["TOP 3 nach oben", "TOP 3 nach unten", "TOP 3 bearbeiten", "TOP 3 entfernen", "TOP 3 vertagen",
                      "An die Steuerungsgruppe geben: TOP 3"]  # the same button as on a decision's page
    first = soup.select("table.timetable tbody tr")[0]
    assert first.select_one("button[value=up]")["aria-disabled"] == "true"


def test_planned_end_warning_is_shown_on_load_and_announced_only_after_a_change(client_as, kick_off):
    client = client_as("chair")
    warning = page(client.get(f"/meetings/{kick_off.id}")).select_one("#agenda .warning")
    assert warning.get("role") is None  # a screen reader finds it on the page; it does not interrupt
    response = post(client, f"/meetings/{kick_off.id}/agenda", htmx=True, **item_data(duration_minutes="5"))
    warning = page(response).select_one(".warning")
    assert (warning.get("role"), text_of(page(response), ".warning")) == (
        "status", "Der Zeitplan endet um 16:20 Uhr, 20 Minuten nach dem geplanten Ende (16:00 Uhr).")


def test_invitation_is_a_printable_page_and_a_download(client_as, kick_off):
    client = client_as("member")
    soup = page(client.get(f"/meetings/{kick_off.id}/invitation"))
    assert text_of(soup, "h1") == "Einladung: Kick-Off Präventionskette Jena"
    assert text_of(soup, ".print-document__group") == "Planungsgruppe"
    assert [time for time, _, _ in timetable_rows(soup)] == KICK_OFF_TIMES
    assert text_of(soup, ".programme + .timetable__end") == "Ende: 16:15 Uhr"
    download = client.get(f"/meetings/{kick_off.id}/invitation/download")
    assert download.headers["content-disposition"] == 'attachment; filename="einladung-planungsgruppe-2023-10-25.html"'
    file = page(download)
    assert "@media print" in file.select_one("head style").get_text()
    assert file.select_one("header.site-header") is None and file.select_one("link[rel=stylesheet]") is None
    assert [time for time, _, _ in timetable_rows(file)] == KICK_OFF_TIMES


def test_minutes_print_view_shows_attendance_minutes_and_decisions(client_as, kick_off, database, people):
    with database.transaction() as db:
        meeting = db.get(Meeting, kick_off.id)
        item = agenda.agenda_of(meeting)[10]
        actor = Actor(db.get(Person, people["coordinator"].id))
        minutes.write_minutes(db, actor, item, "Die Themenschwerpunkte stehen fest.", "")
        minutes.record_attendances(db, actor, meeting, {people["chair"].id: "present", people["member"].id: "excused"})
        db.add(Decision(group_id=meeting.group_id, year=2023, sequence=1, number="PG-2023-001", status="adopted",
                        text="Drei Themenschwerpunkte bis zum Programmende.", meeting_id=meeting.id,
                        agenda_item_id=item.id, votes_yes=7, votes_no=0, votes_abstain=1))
    client = client_as("member")
    soup = page(client.get(f"/meetings/{kick_off.id}/minutes"))
    assert text_of(soup, "h1") == "Protokoll: Kick-Off Präventionskette Jena"
    attendance = {dt.get_text(): dt.find_next("dd").get_text() for dt in soup.select(".print-document > dl.facts")[1].select("dt")}
    assert attendance == {"anwesend": "Vera Vorsitz", "entschuldigt": "Mira Mitglied", "abwesend": "–",
                          "nicht erfasst": "Paul Protokoll"}
    section = soup.select(".print-document__item")[10]
    assert text_of(section, "h3") == "TOP 11: Ausblick und verwaltungsinterne Festlegungen 15:30–16:00"
    assert text_of(section, ".minutes-text") == "Die Themenschwerpunkte stehen fest."
    assert text_of(section, ".decisions li") == ("Beschluss PG-2023-001 (beschlossen): Drei Themenschwerpunkte bis zum "
                                                 "Programmende. Abstimmung: 7 dafür, 0 dagegen, 1 Enthaltungen")
    download = client.get(f"/meetings/{kick_off.id}/minutes/download")
    assert download.headers["content-disposition"] == 'attachment; filename="protokoll-planungsgruppe-2023-10-25.html"'


def test_printed_minutes_list_decisions_taken_on_no_agenda_item(client_as, kick_off, database, people):
    with database.transaction() as db:
        meeting = db.get(Meeting, kick_off.id)
        record_decision(db, Actor(db.get(Person, people["coordinator"].id)), meeting.group,
                        DecisionDraft("Die nächste Sitzung ist im Januar.", "adopted", meeting=meeting))
    soup = page(client_as("member").get(f"/meetings/{kick_off.id}/minutes"))
    section = soup.select(".print-document__item")[-1]
    assert text_of(section, "h2") == "Weitere Beschlüsse"
    assert text_of(section, ".decisions li") == "Beschluss PG-2023-001 (beschlossen): Die nächste Sitzung ist im Januar."


# Building the agenda in place (htmx) and without JavaScript ------------------------------------

def test_adding_an_item_with_htmx_returns_the_agenda_with_its_new_timetable(client_as, kick_off):
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda", htmx=True,
                    **item_data(title="Verschiedenes", duration_minutes="20"))
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one("main") is None and soup.find(True)["id"] == "agenda"
    assert timetable_rows(soup)[-1] == ("16:15–16:35", "13", "Verschiedenes")
    assert text_of(soup, ".timetable__end").startswith("Ende laut Zeitplan: 16:35 Uhr")
    assert soup.select_one("#f-title")["value"] == ""  # the form is empty again for the next item


def test_adding_without_javascript_redirects_back_to_the_agenda(client_as, kick_off, database):
    response = post(client_as("minute_taker"), f"/meetings/{kick_off.id}/agenda", **item_data(title="Termine"))
    assert (response.status_code, response.headers["location"]) == (303, f"/meetings/{kick_off.id}#agenda")
    assert items_of(database, kick_off)[-1].title == "Termine"


@pytest.mark.parametrize(("duration", "message"), [
    ("0", "Die Dauer muss mindestens 1 Minute betragen."),
    ("-5", "Die Dauer muss mindestens 1 Minute betragen."),
    ("1441", "Die Dauer darf höchstens 24 Stunden (1440 Minuten) betragen."),
    ("viertel Stunde", "Bitte geben Sie eine ganze Zahl an."),
    ("1.5", "Bitte geben Sie eine ganze Zahl an."),
    ("²", "Bitte geben Sie eine ganze Zahl an."),
    ("", "Bitte geben Sie die Dauer in Minuten an."),
])
def test_bad_duration_comes_back_next_to_the_field_with_what_was_typed(client_as, kick_off, database, duration, message):
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda", htmx=True,
                    **item_data(title="Neu", duration_minutes=duration))
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == "agenda"
    assert field_error(soup, "duration_minutes") == message
    assert soup.select_one("#f-duration_minutes")["aria-invalid"] == "true"
    assert (soup.select_one("#f-duration_minutes")["value"], soup.select_one("#f-title")["value"]) == (duration, "Neu")
    assert len(items_of(database, kick_off)) == 12


def test_bad_input_without_javascript_is_the_whole_page_with_the_errors(client_as, kick_off):
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda", **item_data(title="", kind="feier"))
    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("main h1").get_text() == "Kick-Off Präventionskette Jena"
    assert field_error(soup, "title") == "Bitte geben Sie einen Titel an."
    assert field_error(soup, "kind") == "Bitte wählen Sie einen der angebotenen Werte."


def test_moving_an_item_up_reorders_the_timetable_in_place(client_as, kick_off, database):
    third = items_of(database, kick_off)[2]
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda/{third.id}/move", htmx=True, direction="up")
    assert response.status_code == 200
    rows = timetable_rows(page(response))
    assert rows[1] == ("09:15–09:45", "2", "Austausch im Plenum")
    assert rows[2] == ("09:45–10:00", "3", "Begrüßung durch den Oberbürgermeister")


def test_moving_past_either_end_changes_nothing(client_as, kick_off, database):
    items = items_of(database, kick_off)
    client = client_as("chair")
    for item, direction in ((items[0], "up"), (items[-1], "down")):
        response = post(client, f"/meetings/{kick_off.id}/agenda/{item.id}/move", htmx=True, direction=direction)
        assert response.status_code == 200
    assert [item.title for item in items_of(database, kick_off)] == [title for title, _ in KICK_OFF]
    response = post(client, f"/meetings/{kick_off.id}/agenda/{items[0].id}/move", htmx=True, direction="quer")
    assert (response.status_code, text_of(page(response), ".form-error")) == (422, "Diese Richtung gibt es nicht.")


def test_removing_an_item_closes_the_gap_in_the_timetable(client_as, kick_off, database):
    second = items_of(database, kick_off)[1]
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda/{second.id}/remove", htmx=True)
    rows = timetable_rows(page(response))
    assert len(rows) == 11 and rows[1] == ("09:15–09:45", "2", "Austausch im Plenum")


def test_editing_an_item_in_place(client_as, kick_off, database):
    client = client_as("chair")
    first = items_of(database, kick_off)[0]
    form = page(client.get(f"/meetings/{kick_off.id}/agenda/{first.id}/edit", headers={"HX-Request": "true"}))
    assert form.find(True)["id"] == "agenda" and text_of(form, "#item-form-heading") == "TOP 1 bearbeiten"
    assert form.select_one("#f-title")["value"] == "Ankommen"
    version = form.select_one("input[name=version]")["value"]
    response = post(client, f"/meetings/{kick_off.id}/agenda/{first.id}/edit", htmx=True,
                    **item_data(title="Ankommen und Kaffee", duration_minutes="30", version=version))
    assert response.status_code == 200
    assert timetable_rows(page(response))[:2] == [("09:00–09:30", "1", "Ankommen und Kaffee"),
                                                  ("09:30–09:45", "2", "Begrüßung durch den Oberbürgermeister")]


def test_edit_page_works_without_javascript(client_as, kick_off, database):
    first = items_of(database, kick_off)[0]
    soup = page(client_as("chair").get(f"/meetings/{kick_off.id}/agenda/{first.id}/edit"))
    assert text_of(soup, "main h1") == "Kick-Off Präventionskette Jena"
    assert soup.select_one("#item-form")["action"] == f"/meetings/{kick_off.id}/agenda/{first.id}/edit"


def test_second_save_of_the_same_item_is_a_conflict_showing_both_versions(client_as, kick_off, database):
    first = items_of(database, kick_off)[0]
    chair, minute_taker = client_as("chair"), client_as("minute_taker")
    path = f"/meetings/{kick_off.id}/agenda/{first.id}/edit"
    version = page(minute_taker.get(path)).select_one("input[name=version]")["value"]
    assert post(chair, path, **item_data(title="Ankommen mit Kaffee", version=version)).status_code == 303
    response = post(minute_taker, path, htmx=True, **item_data(title="Ankommen und Anmeldung", version=version))
    assert response.status_code == 409
    soup = page(response)
    assert soup.find(True)["id"] == "agenda"
    conflict = soup.select_one(".conflict")
    assert conflict["role"] == "alert"
    assert conflict.select_one("dd").get_text() == "Ankommen mit Kaffee"  # what is stored now
    assert soup.select_one("#f-title")["value"] == "Ankommen und Anmeldung"  # what they typed, kept
    newer = soup.select_one("input[name=version]")["value"]
    assert newer != version
    assert post(minute_taker, path, **item_data(title="Ankommen und Anmeldung", version=newer)).status_code == 303
    assert items_of(database, kick_off)[0].title == "Ankommen und Anmeldung"


def test_editing_an_item_removed_meanwhile_says_so(client_as, kick_off, database):
    first = items_of(database, kick_off)[0]
    chair, minute_taker = client_as("chair"), client_as("minute_taker")
    path = f"/meetings/{kick_off.id}/agenda/{first.id}"
    version = page(minute_taker.get(path + "/edit")).select_one("input[name=version]")["value"]
    post(chair, path + "/remove")
    for htmx in (True, False):
        response = post(minute_taker, path + "/edit", htmx=htmx, **item_data(version=version))
        assert response.status_code == 422
        assert text_of(page(response), "#agenda .form-error") == ITEM_GONE
    response = minute_taker.get(path + "/edit")
    assert (response.status_code, text_of(page(response), "#agenda .form-error")) == (422, ITEM_GONE)
    response = post(minute_taker, path + "/minutes", htmx=True, minutes="Zu spät", loaded_minutes="")
    assert (response.status_code, response.headers["hx-retarget"]) == (422, "#agenda")
    assert text_of(page(response), ".form-error") == ITEM_GONE


def test_an_item_with_minutes_stays_on_the_agenda_and_the_page_says_why(client_as, kick_off, database):
    item = items_of(database, kick_off)[3]
    client = client_as("chair")
    post(client, f"/meetings/{kick_off.id}/agenda/{item.id}/minutes", minutes="Vortrag gehalten.", loaded_minutes="")
    response = post(client, f"/meetings/{kick_off.id}/agenda/{item.id}/remove", htmx=True)
    assert (response.status_code, text_of(page(response), "#agenda .form-error")) == (
        422, "Dieser Tagesordnungspunkt kann nicht entfernt werden: Zu ihm gibt es schon ein Protokoll.")
    assert len(timetable_rows(page(response))) == 12


def test_an_item_form_with_errors_keeps_the_version_it_was_loaded_with(client_as, kick_off, database):
    """Only the conflict page hands out the newer version: a form with a typo must not overwrite unseen."""
    first = items_of(database, kick_off)[0]
    chair, minute_taker = client_as("chair"), client_as("minute_taker")
    path = f"/meetings/{kick_off.id}/agenda/{first.id}/edit"
    version = page(minute_taker.get(path)).select_one("input[name=version]")["value"]
    assert post(chair, path, **item_data(title="Ankommen mit Kaffee", version=version)).status_code == 303
    response = post(minute_taker, path, htmx=True, **item_data(title="", version=version))
    assert response.status_code == 422
    kept = page(response).select_one("input[name=version]")["value"]
    assert kept == version
    assert post(minute_taker, path, htmx=True, **item_data(title="Ankommen", version=kept)).status_code == 409


def test_cancel_brings_back_the_agenda(client_as, kick_off):
    client = client_as("chair")
    response = client.get(f"/meetings/{kick_off.id}/agenda", headers={"HX-Request": "true"})
    assert page(response).find(True)["id"] == "agenda"
    assert text_of(page(client.get(f"/meetings/{kick_off.id}/agenda")), "main h1") == "Kick-Off Präventionskette Jena"


def test_deferring_carries_the_item_into_the_inbox_with_a_link_back(client_as, kick_off, database):
    last = items_of(database, kick_off)[-1]
    client = client_as("chair")
    response = post(client, f"/meetings/{kick_off.id}/agenda/{last.id}/defer", htmx=True)
    soup = page(response)
    assert timetable_rows(soup)[-1][2] == "Ausklang vertagt"
    assert " ".join(soup.select_one(".proposals li").get_text().split()).startswith(
        "Ausklang (15 Min.) · wartet im Eingang der Gruppe · vertagt aus Kick-Off Präventionskette Jena Übernehmen")


# Proposals ---------------------------------------------------------------------------------------

def test_member_proposes_and_the_chair_accepts(client_as, kick_off, database):
    response = post(client_as("member"), f"/meetings/{kick_off.id}/proposals", htmx=True,
                    **item_data(title="Spielplatz an der Löbstedter Straße", duration_minutes="10"))
    assert response.status_code == 200
    proposal = " ".join(page(response).select_one(".proposals li").get_text().split())
    assert proposal == "Spielplatz an der Löbstedter Straße (10 Min.) – vorgeschlagen von Mira Mitglied"
    with database.session(write=False) as db:
        item_id = db.scalar(select(AgendaItem.id).where(AgendaItem.is_proposal))
    assert post(client_as("member"), f"/meetings/{kick_off.id}/agenda/{item_id}/accept").status_code == 403
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda/{item_id}/accept", htmx=True)
    assert timetable_rows(page(response))[-1] == ("16:15–16:25", "13", "Spielplatz an der Löbstedter Straße")
    assert page(response).select_one(".proposals") is None


# Attendance and minutes ------------------------------------------------------------------------

def test_attendance_is_recorded_in_place(client_as, kick_off, people):
    response = post(client_as("minute_taker"), f"/meetings/{kick_off.id}/attendance", htmx=True,
                    **{f"attendance-{people['chair'].id}": "present", f"attendance-{people['member'].id}": "excused"})
    assert response.status_code == 200
    soup = page(response)
    assert soup.find(True)["id"] == "attendance"
    legends = [" ".join(legend.get_text().split()) for legend in soup.select("fieldset legend")]
    assert legends == ["Vera Vorsitz (Vorsitz)", "Paul Protokoll (Protokollführung)", "Mira Mitglied (Mitglied)"]
    checked = {fieldset.legend.contents[0].strip(): [label.get_text().strip() for label in fieldset.select("label")
                                                     if label.input.has_attr("checked")] for fieldset in soup.select("fieldset")}
    assert checked == {"Vera Vorsitz": ["anwesend"], "Paul Protokoll": [], "Mira Mitglied": ["entschuldigt"]}
    assert text_of(soup, "[role=status]") == "Die Anwesenheit ist gespeichert."


def test_attendance_of_a_stranger_is_refused(client_as, kick_off, people):
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/attendance", htmx=True,
                    **{f"attendance-{people['outsider'].id}": "present"})
    assert (response.status_code, text_of(page(response), ".form-error")) == (422, "Diese Person gehört der Gruppe nicht an.")


def test_minutes_are_saved_per_item_in_place(client_as, kick_off, database):
    item = items_of(database, kick_off)[3]
    client = client_as("minute_taker")
    response = post(client, f"/meetings/{kick_off.id}/agenda/{item.id}/minutes", htmx=True,
                    minutes="Vortrag von Prof. K.", loaded_minutes="")
    assert response.status_code == 200
    soup = page(response)
    assert soup.find(True)["id"] == f"minutes_item_row-{item.id}"
    assert soup.select_one("textarea").get_text() == "Vortrag von Prof. K."
    assert text_of(soup, "[role=status]") == "Gespeichert."
    assert text_of(soup, "label") == "Protokoll zu TOP 4"


def test_minutes_sent_without_what_the_form_loaded_count_as_stale(client_as, kick_off, database):
    item = items_of(database, kick_off)[3]
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/agenda/{item.id}/minutes", minutes="X")
    assert response.status_code == 409


def test_saving_minutes_twice_from_the_same_page_is_no_conflict(client_as, kick_off, database):
    item = items_of(database, kick_off)[3]
    client, path = client_as("minute_taker"), f"/meetings/{kick_off.id}/agenda/{item.id}/minutes"
    first = page(post(client, path, htmx=True, minutes="Erster Stand", loaded_minutes=""))
    loaded = first.select_one("input[name=loaded_minutes]")["value"]
    response = post(client, path, htmx=True, minutes="Zweiter Stand", loaded_minutes=loaded)
    assert (response.status_code, page(response).select_one("textarea").get_text()) == (200, "Zweiter Stand")


def test_second_save_of_the_same_minutes_is_a_conflict_and_nothing_is_lost(client_as, kick_off, database):
    item = items_of(database, kick_off)[3]
    path = f"/meetings/{kick_off.id}/agenda/{item.id}/minutes"
    assert post(client_as("minute_taker"), path, minutes="Fassung Protokoll", loaded_minutes="").status_code == 303
    response = post(client_as("chair"), path, htmx=True, minutes="Fassung Vorsitz", loaded_minutes="")
    assert response.status_code == 409
    soup = page(response)
    assert text_of(soup, ".conflict blockquote") == "Fassung Protokoll"
    assert soup.select_one("textarea").get_text() == "Fassung Vorsitz"
    assert soup.select_one("input[name=loaded_minutes]")["value"] == "Fassung Protokoll"


def test_a_new_title_for_an_item_leaves_its_open_minutes_form_valid(client_as, kick_off, database):
    item = items_of(database, kick_off)[3]
    minute_taker, chair = client_as("minute_taker"), client_as("chair")
    row = page(minute_taker.get(f"/meetings/{kick_off.id}")).select_one(f"#minutes_item_row-{item.id}")
    loaded = row.select_one("input[name=loaded_minutes]")["value"]
    edit = f"/meetings/{kick_off.id}/agenda/{item.id}/edit"
    version = page(chair.get(edit)).select_one("input[name=version]")["value"]
    assert post(chair, edit, **item_data(title="Fachvortrag", duration_minutes="60", version=version)).status_code == 303
    response = post(minute_taker, f"/meetings/{kick_off.id}/agenda/{item.id}/minutes", htmx=True,
                    minutes="Vortrag von Prof. K.", loaded_minutes=loaded)
    assert (response.status_code, text_of(page(response), "h3")) == (200, "TOP 4: Fachvortrag")
    assert page(response).select_one("textarea").get_text() == "Vortrag von Prof. K."


def test_minutes_of_a_meeting_not_yet_held_cannot_be_approved(client_as, kick_off):
    chair = client_as("chair")
    soup = page(chair.get(f"/meetings/{kick_off.id}"))
    assert soup.select("form[action$='/minutes/approve']") == []
    assert text_of(soup, "#minutes .hint") == (
        "Das Protokoll kann genehmigt werden, sobald die Sitzung den Status „stattgefunden“ hat.")
    response = post(chair, f"/meetings/{kick_off.id}/minutes/approve")
    assert (response.status_code, text_of(page(response), "#minutes .form-error")) == (
        422, "Das Protokoll wird erst genehmigt, wenn die Sitzung stattgefunden hat (Status „stattgefunden“).")


def test_an_approved_meeting_is_neither_changed_nor_cancelled(client_as, kick_off):
    chair, path = client_as("chair"), f"/meetings/{kick_off.id}"
    version = page(chair.get(path + "/edit")).select_one("input[name=version]")["value"]
    post(chair, path + "/status", status="held")
    assert post(chair, path + "/minutes/approve").status_code == 303
    soup = page(chair.get(path))
    assert soup.select_one(f"a[href='{path}/edit']") is None and soup.select_one("#meeting_status") is None
    response = post(chair, path + "/edit", **meeting_form(starts_at="2023-10-26T09:00", version=str(int(version) + 1)))
    assert (response.status_code, text_of(page(response), ".form-error")) == (
        422, "Das Protokoll dieser Sitzung ist genehmigt; Titel, Zeit und Ort bleiben, wie sie sind.")
    response = post(chair, path + "/status", status="cancelled")
    assert (response.status_code, text_of(page(response), ".form-error")) == (
        422, "Das Protokoll dieser Sitzung ist genehmigt; ihr Status bleibt, wie er ist.")
    assert facts_of(page(chair.get(path)))["Status"] == "stattgefunden"


def test_chair_approves_and_the_minutes_become_read_only(client_as, kick_off, database):
    item = items_of(database, kick_off)[0]
    chair = client_as("chair")
    assert post(chair, f"/meetings/{kick_off.id}/status", status="held").status_code == 303
    assert post(client_as("minute_taker"), f"/meetings/{kick_off.id}/minutes/approve").status_code == 403
    response = post(chair, f"/meetings/{kick_off.id}/minutes/approve")
    assert (response.status_code, response.headers["location"]) == (303, f"/meetings/{kick_off.id}#minutes")
    soup = page(chair.get(f"/meetings/{kick_off.id}"))
    assert text_of(soup, ".flash") == "Das Protokoll ist genehmigt."
    facts = facts_of(soup)
    assert facts["Protokoll"].startswith("genehmigt am ") and facts["Protokoll"].endswith(" von Vera Vorsitz")
    assert soup.select("textarea[name=minutes]") == [] and soup.select("#item-form") == []
    response = post(client_as("minute_taker"), f"/meetings/{kick_off.id}/agenda/{item.id}/minutes", htmx=True,
                    minutes="Nachtrag", loaded_minutes="")
    assert response.status_code in (403, 422)
    response = post(chair, f"/meetings/{kick_off.id}/agenda/{item.id}/minutes", htmx=True,
                    minutes="Nachtrag", loaded_minutes="")
    assert (response.status_code, text_of(page(response), ".form-error")) == (
        422, "Das Protokoll ist genehmigt und kann nur noch berichtigt werden.")


def test_correction_after_approval_is_kept_with_who_and_when(client_as, kick_off, database):
    item = items_of(database, kick_off)[1]
    chair = client_as("chair")
    post(chair, f"/meetings/{kick_off.id}/status", status="held")
    post(chair, f"/meetings/{kick_off.id}/minutes/approve")
    response = post(chair, f"/meetings/{kick_off.id}/minutes/corrections", correction="", correction_item="")
    assert (response.status_code, field_error(page(response), "correction")) == (422, "Bitte beschreiben Sie die Berichtigung.")
    response = post(chair, f"/meetings/{kick_off.id}/minutes/corrections",
                    correction="Der Oberbürgermeister ließ sich vertreten.", correction_item=str(item.id))
    assert response.status_code == 303
    entry = text_of(page(chair.get(f"/meetings/{kick_off.id}")), ".corrections li")
    assert entry.endswith("· Vera Vorsitz · zu TOP 2: Der Oberbürgermeister ließ sich vertreten.")


# Tasks from an agenda item ---------------------------------------------------------------------

def test_chair_creates_a_task_on_an_agenda_item_in_place(client_as, kick_off, database, people):
    item = items_of(database, kick_off)[10]
    chair, path = client_as("chair"), f"/agenda-items/{item.id}/tasks"
    row = page(chair.get(f"/meetings/{kick_off.id}")).select_one(f"#minutes_item_row-{item.id}")
    assert text_of(row, "details.item-task summary") == "Aufgabe anlegen (TOP 11)"
    response = post(chair, path, htmx=True, title="", owner="", due_on="")
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == f"minutes_item_row-{item.id}" and soup.select_one("details.item-task")["open"] == ""
    assert text_of(soup, f"#task-{item.id}-title-error") == "Bitte geben Sie an, was zu tun ist."
    response = post(chair, path, htmx=True, title="Protokoll verschicken", owner=str(people["minute_taker"].id),
                    due_on="2023-11-01")
    soup = page(response)
    assert response.status_code == 200 and text_of(soup, "[role=status]") == "Die Aufgabe ist angelegt."
    assert [" ".join(li.get_text().split()) for li in soup.select(".item-tasks li")] == [
        "Protokoll verschicken – Paul Protokoll, bis 01.11.2023 (offen)"]
    assert soup.select_one(f"#task-{item.id}-title")["value"] == ""
    origin = page(client_as("minute_taker").get("/tasks")).select_one("tbody tr td:nth-of-type(4) a")
    assert (origin["href"], origin.get_text()) == (f"/meetings/{kick_off.id}#minutes_item_row-{item.id}",
                                                   "„Ausblick und verwaltungsinterne Festlegungen“")
    assert page(client_as("member").get(f"/meetings/{kick_off.id}")).select("details.item-task") == []


def test_task_form_errors_without_javascript_stay_beside_their_item(client_as, kick_off, database, people):
    item = items_of(database, kick_off)[2]
    chair, path = client_as("chair"), f"/agenda-items/{item.id}/tasks"
    response = post(chair, path, title="Stühle stellen", owner="999999", due_on="")
    assert response.status_code == 422
    soup = page(response)
    assert text_of(soup, f"#task-{item.id}-owner-error") == "Bitte wählen Sie einen der angebotenen Werte."
    assert soup.select_one(f"#task-{item.id}-title")["value"] == "Stühle stellen"
    assert (soup.select_one("#f-title")["value"], field_error(soup, "title")) == ("", None)  # the agenda's own form
    response = post(chair, path, title="Stühle stellen", owner=str(people["chair"].id), due_on="")
    assert (response.status_code, response.headers["location"]) == (
        303, f"/meetings/{kick_off.id}#minutes_item_row-{item.id}")


# History in words --------------------------------------------------------------------------------

def test_history_names_fields_in_german_with_berlin_time_and_no_codes(client_as, kick_off, database):
    item = items_of(database, kick_off)[0]
    chair, path = client_as("chair"), f"/meetings/{kick_off.id}"
    version = page(chair.get(path + "/edit")).select_one("input[name=version]")["value"]
    post(chair, path + "/edit", **meeting_form(title="Kick-Off Präventionskette Jena", starts_at="2023-10-25T10:00",
                                                place="Jugendzentrum »Westside«, Lobeda", version=version))
    post(chair, path + "/status", status="invited")
    post(chair, path + f"/agenda/{item.id}/edit", **item_data(title="Ankommen", kind="discussion", duration_minutes="20",
                                                               version="1"))
    post(chair, path + f"/agenda/{item.id}/defer")
    with database.session(write=False) as db:
        copy_id = db.scalar(select(AgendaItem.id).where(AgendaItem.carried_from_id == item.id))
    post(chair, path + f"/agenda/{copy_id}/accept")
    soup = page(chair.get(path))

    def changes(selector: str) -> list[str]:
        return [" ".join(li.get_text().split()) for li in soup.select(selector + " .history__changes li")]

    assert changes("#history-heading + details")[:2] == [
        "Status: geplant → eingeladen", "Beginn: 25.10.23, 09:00 → 25.10.23, 10:00"]  # Berlin time, not UTC
    assert changes(f"#minutes_item_row-{item.id}")[:3] == [
        "Vertagt: nein → ja", "Art: Information → Diskussion", "Dauer in Minuten: 15 → 20"]
    assert changes(f"#minutes_item_row-{copy_id}") == [
        "Vorschlag: ja → nein", "Sitzung: festgelegt", "Vertagt aus: festgelegt"]  # no ids


# Escalated proposals link back -------------------------------------------------------------------

def test_escalated_proposals_say_where_they_came_from_with_a_link_for_who_may_open_it(client_as, kick_off, database,
                                                                                      people):
    with database.transaction() as db:
        meeting = db.get(Meeting, kick_off.id)
        coordinator, chair = (actor_for(db, db.get(Person, people[role].id), today()) for role in ("coordinator", "chair"))
        upcoming = schedule_meeting(db, coordinator, meeting.group.parent,
                                    MeetingDraft("Steuerungsgruppe 2099", berlin("2099-01-15 10:00")))
        decision = record_decision(db, coordinator, meeting.group, DecisionDraft("Ein Stadtteilbüro einrichten.", "adopted",
                                                                                 meeting=meeting))
        escalate_decision(db, chair, decision)
        escalate_agenda_item(db, chair, agenda.agenda_of(meeting)[2])
        upcoming_id, decision_id, item_id = upcoming.id, decision.id, agenda.agenda_of(meeting)[2].id
    for role, linked in (("outsider", False), ("coordinator", True)):
        soup = page(client_as(role).get(f"/meetings/{upcoming_id}"))
        referrals = soup.select(".proposals .referral")
        assert [" ".join(referral.get_text().split()) for referral in referrals] == [
            "Weitergegeben von Planungsgruppe: Beschluss PG-2023-001",
            "Weitergegeben von Planungsgruppe: „Austausch im Plenum“"]
        links = [(a["href"], a.get_text()) for referral in referrals for a in referral.select("a")]
        assert links == ([(f"/decisions/{decision_id}", "Beschluss PG-2023-001"),
                          (f"/meetings/{kick_off.id}#agenda-item-{item_id}", "„Austausch im Plenum“")] if linked else [])


# The meeting form, the list, templates ---------------------------------------------------------

def meeting_form(**values) -> dict:
    return {"title": "Planungsgruppe im November", "starts_at": "2023-11-22T14:00", "planned_end_at": "16:00",
            "place": "Rathaus, Raum 12", "online_url": "", "template": "", **values}


def test_scheduling_a_meeting_reads_berlin_wall_time(client_as, kick_off, database):
    response = post(client_as("chair"), "/groups/planungsgruppe/meetings/new", **meeting_form())
    assert response.status_code == 303
    with database.session(write=False) as db:
        meeting = db.scalar(select(Meeting).where(Meeting.title == "Planungsgruppe im November"))
    assert response.headers["location"] == f"/meetings/{meeting.id}"
    assert (meeting.starts_at.isoformat(), meeting.planned_end_at.isoformat()) == (
        "2023-11-22T13:00:00+00:00", "2023-11-22T15:00:00+00:00")


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"planned_end_at": "13:30"}, "planned_end_at", "Das geplante Ende muss nach dem Beginn liegen."),
    ({"planned_end_at": "14:00"}, "planned_end_at", "Das geplante Ende muss nach dem Beginn liegen."),
    ({"planned_end_at": "25:00"}, "planned_end_at", "Bitte geben Sie eine Uhrzeit an (HH:MM)."),
    ({"starts_at": "morgen"}, "starts_at", "Bitte geben Sie Datum und Uhrzeit an (TT.MM.JJJJ, HH:MM)."),
    ({"starts_at": ""}, "starts_at", "Bitte geben Sie an, wann die Sitzung beginnt."),
    ({"title": " "}, "title", "Bitte geben Sie einen Titel an."),
    ({"online_url": "javascript:alert(1)"}, "online_url", "Bitte geben Sie einen Link an, der mit https:// beginnt."),
])
def test_meeting_form_with_bad_input_keeps_what_was_typed(client_as, kick_off, values, field, message):
    response = post(client_as("chair"), "/groups/planungsgruppe/meetings/new", **meeting_form(**values))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, field) == message
    assert soup.select_one("#f-place")["value"] == "Rathaus, Raum 12"


def test_saved_template_starts_a_new_meeting(client_as, kick_off, database):
    chair = client_as("chair")
    response = post(chair, f"/meetings/{kick_off.id}/template", name="Kick-Off-Tag")
    assert (response.status_code, response.headers["location"]) == (303, f"/meetings/{kick_off.id}#agenda_template")
    form = page(chair.get("/groups/planungsgruppe/meetings/new"))
    [(template_id, label)] = [(option["value"], option.get_text()) for option in form.select("#f-template option")
                              if option["value"]]
    assert label == "Kick-Off-Tag"
    response = post(chair, "/groups/planungsgruppe/meetings/new", **meeting_form(template=template_id))
    soup = page(chair.get(response.headers["location"]))
    assert [title for _, _, title in timetable_rows(soup)] == [title for title, _ in KICK_OFF]
    assert timetable_rows(soup)[0][0] == "14:00–14:15" and text_of(soup, ".timetable__end").startswith(
        "Ende laut Zeitplan: 21:15 Uhr")


def test_template_name_is_required(client_as, kick_off):
    response = post(client_as("chair"), f"/meetings/{kick_off.id}/template", name="")
    assert (response.status_code, field_error(page(response), "name")) == (
        422, "Bitte geben Sie einen Namen für die Vorlage an.")


def test_second_save_of_the_meeting_form_is_a_conflict_showing_both_versions(client_as, kick_off, database):
    chair, minute_taker = client_as("chair"), client_as("minute_taker")
    path = f"/meetings/{kick_off.id}/edit"
    version = page(minute_taker.get(path)).select_one("input[name=version]")["value"]
    assert post(chair, path, **meeting_form(title="Kick-Off (verlegt)", version=version)).status_code == 303
    response = post(minute_taker, path, **meeting_form(title="Kick-Off im Rathaus", version=version))
    assert response.status_code == 409
    soup = page(response)
    assert soup.select_one(".conflict dd").get_text() == "Kick-Off (verlegt)"
    assert soup.select_one("#f-title")["value"] == "Kick-Off im Rathaus"


def test_status_changes_with_a_message(client_as, kick_off):
    chair = client_as("chair")
    assert post(chair, f"/meetings/{kick_off.id}/status", status="invited").status_code == 303
    soup = page(chair.get(f"/meetings/{kick_off.id}"))
    assert text_of(soup, ".flash") == "Der Status der Sitzung ist geändert."
    assert soup.select_one("#f-status option[selected]")["value"] == "invited"


def test_meetings_list_shows_upcoming_first_then_past(client_as, kick_off, database, people):
    with database.transaction() as db:
        group = db.get(Meeting, kick_off.id).group
        schedule_meeting(db, Actor(db.get(Person, people["coordinator"].id)), group,
                         MeetingDraft("Jahresplanung 2099", berlin("2099-01-15 10:00")))
    soup = page(client_as("member").get("/meetings"))
    tables = [[text_of(row, "th") for row in table.select("tbody tr")] for table in soup.select("table")]
    assert tables == [["Jahresplanung 2099"], ["Kick-Off Präventionskette Jena"]]
    assert soup.select("a[href='/groups/planungsgruppe/meetings/new']") == []
    chair_view = page(client_as("chair").get("/meetings"))
    assert text_of(chair_view, "a[href='/groups/planungsgruppe/meetings/new']") == "Neue Sitzung: Planungsgruppe"
    assert [table.select("tbody tr") for table in page(client_as("outsider").get("/meetings")).select("table")] == []


def test_meetings_list_costs_the_same_queries_for_one_or_three_meetings(client_as, kick_off, database, people, app):
    client = client_as("member")
    engine = database.engine
    one = count_queries(engine, lambda: client.get("/meetings"))
    with database.transaction() as db:
        group = db.get(Meeting, kick_off.id).group
        for day in (1, 2):
            schedule_meeting(db, Actor(db.get(Person, people["coordinator"].id)), group,
                             MeetingDraft(f"Sitzung {day}", berlin(f"2024-0{day}-15 10:00")))
    three = count_queries(engine, lambda: client.get("/meetings"))
    assert one == three == 6


def test_meeting_page_costs_the_same_queries_for_few_or_many_items(client_as, kick_off, database, people):
    client = client_as("member")
    many = count_queries(database.engine, lambda: client.get(f"/meetings/{kick_off.id}"))
    with database.transaction() as db:
        for item in agenda.agenda_of(db.get(Meeting, kick_off.id))[1:]:
            agenda.remove_agenda_item(db, Actor(db.get(Person, people["coordinator"].id)), item)
    one = count_queries(database.engine, lambda: client.get(f"/meetings/{kick_off.id}"))
    assert one == many


# Who may do what ---------------------------------------------------------------------------------

# The deputy manages like the chair but does not approve minutes; the guest reads and proposes like a
# member; the chair of the steering group is an outsider to the planning group's meetings and items.
READERS = {"coordinator": 200, "chair": 200, "deputy": 200, "minute_taker": 200, "member": 200, "guest": 200,
           "outsider": 403, "other_chair": 403, "anonymous": 303}


def expect(managers: int, member: int = 403, approvers: int | None = None) -> dict[str, int]:
    """Expected statuses by role: managers (coordinator, chair, deputy, minute-taker), members and guests, others."""
    statuses = {"coordinator": managers, "chair": managers, "deputy": managers, "minute_taker": managers,
                "member": member, "guest": member, "outsider": 403, "other_chair": 403, "anonymous": 303}
    if approvers is not None:
        statuses.update(coordinator=approvers, chair=approvers)
    return statuses


# In this order: each request may change what the next one finds (the removal and approval come last).
ROUTES = [
    ("GET", "/meetings", {**READERS, "outsider": 200, "other_chair": 200}),
    ("GET", "/groups/{slug}/meetings/new", expect(200)),
    ("POST", "/groups/{slug}/meetings/new", expect(422)),
    ("GET", "/meetings/{id}", READERS),
    ("GET", "/meetings/{id}/edit", expect(200)),
    ("POST", "/meetings/{id}/edit", expect(422)),
    ("POST", "/meetings/{id}/status", expect(422)),
    ("GET", "/meetings/{id}/agenda", READERS),
    ("POST", "/meetings/{id}/agenda", expect(422)),
    ("GET", "/meetings/{id}/agenda/{item}/edit", expect(200)),
    ("POST", "/meetings/{id}/agenda/{item}/edit", expect(422)),
    ("POST", "/meetings/{id}/agenda/{item}/move", expect(422)),
    ("POST", "/meetings/{id}/agenda/{item}/accept", expect(422)),
    ("POST", "/meetings/{id}/agenda/{item}/minutes", expect(409)),
    ("POST", "/agenda-items/{item}/tasks", expect(422)),
    ("POST", "/meetings/{id}/proposals", expect(422, member=422)),
    ("POST", "/meetings/{id}/template", expect(422)),
    ("POST", "/meetings/{id}/attendance", expect(303)),
    ("POST", "/meetings/{id}/invitation/send", expect(422)),  # the meeting was held: nobody is invited
    ("GET", "/meetings/{id}/invitation", READERS),
    ("GET", "/meetings/{id}/invitation/download", READERS),
    ("GET", "/meetings/{id}/minutes", READERS),
    ("GET", "/meetings/{id}/minutes/download", READERS),
    ("POST", "/meetings/{id}/agenda/{item}/remove", expect(303)),
    ("POST", "/meetings/{id}/agenda/{second}/defer", expect(303)),
    ("POST", "/meetings/{id}/agenda/{second}/remove", expect(422)),  # deferred just before: the link back stays
    ("POST", "/meetings/{id}/minutes/approve", expect(403, approvers=303)),
    ("POST", "/meetings/{id}/minutes/corrections", expect(403, approvers=422)),
]


@pytest.fixture
def more_roles(database: Database, kick_off, people) -> None:
    """A deputy and a guest in the planning group, the chair of the steering group; the kick-off was held."""
    with database.transaction() as db:
        meeting = db.get(Meeting, kick_off.id)
        for role in ("deputy", "guest"):
            add_membership(db, meeting.group, db.get(Person, people[role].id), role)
        add_membership(db, meeting.group.parent, db.get(Person, people["other_chair"].id), "chair")
        set_meeting_status(db, Actor(db.get(Person, people["coordinator"].id)), meeting, "held")


@pytest.mark.parametrize("role", list(READERS))
def test_access_by_role(role, client, client_as, kick_off, more_roles, database):
    browser = client if role == "anonymous" else client_as(role)
    token = csrf_of(browser, "/login" if role == "anonymous" else "/profile")
    first, second = items_of(database, kick_off)[:2]
    for method, path, expected in ROUTES:
        url = (path.replace("{slug}", "planungsgruppe").replace("{id}", str(kick_off.id))
               .replace("{item}", str(first.id)).replace("{second}", str(second.id)))
        response = browser.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[role], (role, method, path)


def test_anonymous_visitor_is_sent_to_the_login_with_the_way_back(client, kick_off):
    response = client.get(f"/meetings/{kick_off.id}")
    assert response.headers["location"] == f"/login?next=/meetings/{kick_off.id}"


def test_unknown_meeting_is_404(client_as):
    assert client_as("member").get("/meetings/999").status_code == 404
    assert client_as("chair").get("/groups/gibt-es-nicht/meetings/new").status_code == 404


def test_template_of_another_group_is_refused_next_to_the_field(client_as, kick_off, database, people):
    with database.transaction() as db:
        actor = Actor(db.get(Person, people["coordinator"].id))
        template = agenda.save_agenda_template(db, actor, db.get(Meeting, kick_off.id), "Kick-Off-Tag")
        template_id = template.id
    response = post(client_as("coordinator"), "/groups/steuerungsgruppe/meetings/new", **meeting_form(template=str(template_id)))
    assert (response.status_code, field_error(page(response), "template")) == (
        422, "Diese Vorlage gehört zu einer anderen Gruppe.")
