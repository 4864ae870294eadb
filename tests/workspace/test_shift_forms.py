"""Managing a date's shifts through the pages: adding, bad input, editing (and 409), cancelling with mail,
and confirming who came after the shift."""

from datetime import timedelta

from sqlalchemy import select

from calendars.models import Shift, Signup
from calendars.signups import hours_given
from governance.base import utcnow
from governance.times import today
from shift_pages import EMAILS, SOON, card, festival, make_festival, people, person, send, sign_up, visitor, words
from support import field_error, page, text_of
from workspace.models import Mail

__all__ = ["festival", "people", "visitor"]  # fixtures


def shift_form(**fields) -> dict:
    return {"task": "Abbau", "task_kind": "setup", "start_time": "20:00", "end_time": "22:00", "end_date": "",
            "places": "3", "notes": "", "contact": "", **fields}


def values_of(client, shift) -> dict:
    """The edit form's text fields as loaded (not its token: each browser sends its own)."""
    form = page(client.get(f"/shifts/{shift.id}/edit"))
    values = {field["name"]: field.get("value", "") for field in form.select("#shift_form input")}
    values.pop("csrf_token")
    return values | {"notes": "", "contact": ""}


def test_the_organiser_adds_a_shift_to_the_date(database, visitor, festival):
    organiser = visitor("organiser")
    path = f"/events/{festival.event.slug}/dates/{SOON}/shifts"
    form = page(organiser.get(path))
    assert text_of(form, "h1") == "Schicht hinzufügen"
    assert (form.select_one("#f-start_time")["value"], form.select_one("#f-end_time")["value"]) == ("10:00", "20:00")
    assert [o["value"] for o in form.select("#f-task_kind option")] == [
        "setup", "catering", "children", "stewarding", "driving", "other"]
    assert words(form.select_one("#f-task_kind option[value=children]")) == "Kinderbetreuung"
    response = send(organiser, path, **shift_form(notes="Tische zurück ins Lager."))
    assert response.status_code == 303
    assert response.headers["location"] == f"/events/{festival.event.slug}?date={SOON}#shifts"
    shown = page(organiser.get(festival.path))
    assert text_of(shown, ".flash") == "Die Schicht ist angelegt."
    assert [words(h) for h in shown.select("#shifts .shift__task a")] == ["Aufbau", "Kuchenstand", "Abbau"]


def test_a_shift_may_end_after_midnight_when_the_end_date_says_so(database, visitor, festival):
    organiser = visitor("organiser")
    path = f"/events/{festival.event.slug}/dates/{SOON}/shifts"
    response = send(organiser, path, **shift_form(task="Nachtwache", start_time="22:00", end_time="02:00",
                                                  end_date=(SOON + timedelta(days=1)).isoformat()))
    assert response.status_code == 303
    with database.session(write=False) as db:
        shift = db.scalar(select(Shift).where(Shift.task == "Nachtwache"))
        assert shift.ends_at - shift.starts_at == timedelta(hours=4)
    block = card(organiser.get(festival.path), shift)
    assert words(block.select_one(".shift__when")).endswith("02:00 Uhr")
    assert words(block.select_one(".shift__when")).count("Uhr") == 2  # both days named


def test_bad_input_is_shown_next_to_each_field_and_kept(visitor, festival):
    organiser = visitor("organiser")
    path = f"/events/{festival.event.slug}/dates/{SOON}/shifts"
    cases = [
        (shift_form(start_time="20:00", end_time="18:00"), "ends_at", "Das Ende liegt vor dem Beginn."),
        (shift_form(places="0"), "places", "Bitte geben Sie zwischen 1 und 500 Plätze an."),
        (shift_form(places="-2"), "places", "Bitte geben Sie zwischen 1 und 500 Plätze an."),
        (shift_form(places="viele"), "places", "Bitte geben Sie eine ganze Zahl an."),
        (shift_form(places=""), "places", "Bitte geben Sie an, wie viele Helfende gebraucht werden."),
        (shift_form(task="  "), "task", "Bitte geben Sie an, was zu tun ist."),
        (shift_form(task_kind="cooking"), "task_kind", "Bitte wählen Sie einen der angebotenen Werte."),
        (shift_form(start_time="25:00"), "start_time", "Bitte geben Sie eine Uhrzeit an (HH:MM)."),
        (shift_form(end_time=""), "end_time", "Bitte geben Sie an, wann die Schicht endet."),
        (shift_form(end_date=(SOON + timedelta(days=3)).isoformat()), "end_date",
         "Eine Schicht endet am selben oder am folgenden Tag."),
        (shift_form(contact="999999"), "contact", "Bitte wählen Sie einen der angebotenen Werte."),
    ]
    for fields, name, message in cases:
        response = send(organiser, path, htmx=True, **fields)
        assert response.status_code == 422, name
        soup = page(response)
        assert soup.find(True)["id"] == "shift_form"
        assert field_error(soup, name) == message, name
        assert soup.select_one("#f-task")["value"] == fields["task"]
    response = send(organiser, path, **shift_form(places="0"))
    assert page(response).select_one("#f-places")["value"] == "0"


def test_a_date_that_does_not_exist_is_404_and_a_cancelled_date_refused(database, visitor, people):
    from calendars.events import change_date
    from calendars.recurrence import Recurrence
    from governance.permissions import Actor
    series = make_festival(database, "Mittagstisch", SOON, recurrence=Recurrence("weekly"))
    organiser = visitor("organiser")
    assert organiser.get(f"/events/{series.event.slug}/dates/{SOON + timedelta(days=1)}/shifts").status_code == 404
    assert organiser.get(f"/events/{series.event.slug}/dates/2026-02-30/shifts").status_code == 404
    later = SOON + timedelta(days=7)
    with database.transaction() as db:
        event = db.merge(series.event)
        occurrence_start = event.starts_at + timedelta(days=7)
        change_date(db, Actor(person(db, "coordinator")), event, later, occurrence_start,
                    occurrence_start + timedelta(hours=10), "", "", True)
    response = send(organiser, f"/events/{series.event.slug}/dates/{later}/shifts", **shift_form())
    assert response.status_code == 422
    assert text_of(page(response), "#f-date-error") == "Dieser Termin ist abgesagt."


def test_editing_keeps_the_form_and_fewer_places_than_people_names_them(database, visitor, festival):
    sign_up(database, "volunteer", festival.cake)
    sign_up(database, "second", festival.cake)
    organiser = visitor("organiser")
    values = values_of(organiser, festival.cake)
    assert (values["task"], values["start_time"], values["end_time"], values["places"]) == (
        "Kuchenstand", "14:00", "16:00", "2")
    values |= {"task_kind": "catering"}
    response = send(organiser, f"/shifts/{festival.cake.id}/edit", **{**values, "places": "1"})
    assert response.status_code == 422
    assert field_error(page(response), "places") == (
        "So viele haben schon zugesagt: Hanna Helfer, Zora Zweite. Bitte sprechen Sie erst mit ihnen, bevor Sie "
        "Plätze streichen.")
    response = send(organiser, f"/shifts/{festival.cake.id}/edit", **{**values, "places": "4", "task": "Kuchen"})
    assert response.status_code == 303
    assert words(card(organiser.get(festival.path), festival.cake).select_one(".shift__places")) == (
        "2 von 4 Plätzen belegt – noch 2 frei")


def test_a_stale_edit_is_409_with_what_is_stored(visitor, festival):
    organiser, coordinator = visitor("organiser"), visitor("coordinator")
    stale = values_of(organiser, festival.cake) | {"task_kind": "catering"}
    assert send(coordinator, f"/shifts/{festival.cake.id}/edit", **{**stale, "task": "Kuchenbuffet"}).status_code == 303
    response = send(organiser, f"/shifts/{festival.cake.id}/edit", **{**stale, "task": "Waffeln"})
    assert response.status_code == 409
    soup = page(response)
    assert text_of(soup, ".conflict-task") == "Kuchenbuffet"
    assert soup.select_one("#f-task")["value"] == "Waffeln"


def test_raising_places_moves_the_waiting_up_and_mails_them(database, visitor, festival):
    sign_up(database, "volunteer", festival.setup)
    sign_up(database, "second", festival.setup, waiting=True)
    organiser = visitor("organiser")
    values = values_of(organiser, festival.setup) | {"task_kind": "setup"}
    assert send(organiser, f"/shifts/{festival.setup.id}/edit", **{**values, "places": "2"}).status_code == 303
    with database.session(write=False) as db:
        assert db.scalar(select(Mail.subject).where(Mail.recipient == EMAILS["second"])) == (
            "Ein Platz ist frei geworden: Aufbau – Stadtteilfest")


def test_cancelling_a_shift_mails_everyone_signed_up(database, visitor, festival):
    sign_up(database, "volunteer", festival.setup)
    sign_up(database, "second", festival.setup, waiting=True)
    organiser = visitor("organiser")
    edit = page(organiser.get(f"/shifts/{festival.setup.id}/edit"))
    action = edit.select_one("#cancel-heading ~ form")["action"]
    response = send(organiser, action)
    assert response.headers["location"] == f"/events/{festival.event.slug}?date={SOON}#shifts"
    shown = page(organiser.get(festival.path))
    assert text_of(shown, ".flash") == "Die Schicht ist abgesagt; die Eingetragenen bekommen eine E-Mail."
    block = shown.select_one(f"#shift_row-{festival.setup.id}")
    assert "abgesagt" in words(block.h3) and block.select("form") == []
    with database.session(write=False) as db:
        mails = {m.recipient: m for m in db.scalars(select(Mail))}
    assert set(mails) == {EMAILS["volunteer"], EMAILS["second"]}
    assert mails[EMAILS["volunteer"]].subject == "Abgesagt: Aufbau – Stadtteilfest"
    assert "für die Sie sich eingetragen hatten" in mails[EMAILS["volunteer"]].body_text
    assert "auf der Warteliste standen" in mails[EMAILS["second"]].body_text


def test_after_the_shift_the_organiser_confirms_who_came(database, visitor, people):
    past = make_festival(database, "Frühlingsfest", today() - timedelta(days=2), area="Süd")
    with database.transaction() as db:
        for slot, role in enumerate(("volunteer", "second"), 1):
            db.add(Signup(shift_id=past.cake.id, person_id=person(db, role).id, state="taken", slot=slot))
    organiser = visitor("organiser")
    assert page(organiser.get(past.path)).select_one(f"a[href='/shifts/{past.cake.id}/attendance']") is not None
    form = page(organiser.get(f"/shifts/{past.cake.id}/attendance"))
    ticked = {words(box.find_next("label")): box.has_attr("checked") for box in form.select("input[name=came]")}
    assert ticked == {"Hanna Helfer": True, "Zora Zweite": True}  # everyone who held a place, by default
    hanna = form.select("input[name=came]")[0]["value"]
    response = send(organiser, f"/shifts/{past.cake.id}/attendance", came=hanna)
    assert response.status_code == 303
    assert text_of(page(organiser.get(response.headers["location"])), ".flash") == "Die Anwesenheit ist bestätigt."
    again = page(organiser.get(f"/shifts/{past.cake.id}/attendance"))
    assert {words(b.find_next("label")): b.has_attr("checked") for b in again.select("input[name=came]")} == {
        "Hanna Helfer": True, "Zora Zweite": False}
    with database.session(write=False) as db:
        year = utcnow() - timedelta(days=365), utcnow()
        assert hours_given(db, person(db, "volunteer"), *year) == 2
        assert hours_given(db, person(db, "second"), *year) == 0
    assert send(organiser, f"/shifts/{past.cake.id}/attendance", came="999").status_code == 422


def test_attendance_waits_until_the_shift_is_over(visitor, festival):
    organiser = visitor("organiser")
    form = page(organiser.get(f"/shifts/{festival.cake.id}/attendance"))
    assert text_of(form, "#attendance_form") == "Wer da war, lässt sich erst nach dem Ende der Schicht bestätigen."
    response = send(organiser, f"/shifts/{festival.cake.id}/attendance")
    assert response.status_code == 422
