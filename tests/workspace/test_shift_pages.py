"""Helper shifts as people meet them: on the event page and the shift's page, taking a place (htmx and a
plain form), the waiting list, cancelling, "Meine Schichten", and who may do what."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from calendars.models import Shift, Signup
from calendars.shifts import ShiftDraft, add_shift
from calendars.signups import confirm_attendance
from governance.base import utcnow
from governance.permissions import Actor
from governance.times import today
from shift_pages import (EMAILS, SOON, at, card, csrf, festival, make_festival, people, person, send, sign_up, visitor,
                         words)
from support import page, text_of
from workspace.models import Mail

__all__ = ["festival", "people", "visitor"]  # fixtures


# The event page --------------------------------------------------------------------------------

def test_the_event_page_shows_each_shift_of_the_date_with_filled_and_needed(visitor, festival):
    shown = page(visitor(None).get(festival.path))
    assert text_of(shown, "#shifts h2").startswith("Helferschichten am ")
    tasks = [words(h) for h in shown.select("#shifts .shift__task")]
    assert tasks == ["Aufbau Auf- und Abbau", "Kuchenstand Essen und Getränke"]  # earliest first
    cake = shown.select_one(f"#shift_row-{festival.cake.id}")
    assert words(cake.select_one(".shift__places")) == "0 von 2 Plätzen belegt – noch 2 frei"
    assert words(cake.select_one(".shift__when")).endswith("14:00–16:00 Uhr")
    assert words(cake.select_one(".shift__notes")) == "Bitte Kuchen mitbringen."
    assert cake.select_one(".shift__contact") is None  # names stay with those who log in


def test_members_see_who_signed_up_volunteers_and_the_public_only_how_many(database, visitor, festival):
    sign_up(database, "volunteer", festival.cake)
    sign_up(database, "second", festival.setup)
    sign_up(database, "organiser", festival.setup, waiting=True)
    for role, names in ((None, None), ("second", None), ("member", "Dabei: Hanna Helfer")):
        cake = card(visitor(role).get(festival.path), festival.cake)
        assert words(cake.select_one(".shift__places")) == "1 von 2 Plätzen belegt – noch 1 frei", role
        people_line = cake.select_one(".shift__people")
        assert (words(people_line) if people_line else None) == names, role
    setup = card(visitor("coordinator").get(festival.path), festival.setup)
    assert words(setup.select_one(".shift__places")) == "1 von 1 Platz belegt – voll · 1 Person auf der Warteliste"
    assert words(setup.select_one(".shift__people")) == "Dabei: Zora Zweite"
    assert card(visitor("volunteer").get(festival.path), festival.cake).select_one(".shift__contact") is None
    cake = card(visitor("member").get(festival.path), festival.cake)  # contact names are for members only
    assert words(cake.select_one(".shift__contact")) == "Ansprechperson: Mira Mitglied"


def test_a_newcomer_is_led_to_register_and_back_to_the_shift(visitor, festival):
    cake = card(visitor(None).get(festival.path), festival.cake)
    links = {words(a): a["href"] for a in cake.select(".shift__actions a")}
    assert links == {f"Ich helfe mit ({'Kuchenstand'})": f"/volunteer/register?next=/shifts/{festival.cake.id}",
                     "Schon registriert? Anmelden": f"/login/link?next=/shifts/{festival.cake.id}"}
    assert cake.select("form") == []


def test_only_those_who_manage_the_event_get_links_to_add_and_edit_shifts(visitor, festival):
    for role, manages in (("organiser", True), ("coordinator", True), ("member", False), ("volunteer", False),
                          (None, False)):
        shown = page(visitor(role).get(festival.path))
        add = shown.select_one(f"#shifts a[href='/events/{festival.event.slug}/dates/{SOON}/shifts']")
        edit = shown.select_one(f"a[href='/shifts/{festival.cake.id}/edit']")
        assert (add is not None, edit is not None) == (manages, manages), role


def test_a_series_shows_shifts_only_for_the_chosen_date(database, visitor, people):
    from calendars.recurrence import Recurrence
    festival = make_festival(database, "Mittagstisch", SOON, recurrence=Recurrence("weekly"))
    organiser = visitor("organiser")
    assert page(organiser.get(f"/events/{festival.event.slug}")).select("#shifts li") == []
    assert "Wählen Sie unten einen Termin" in text_of(page(organiser.get(f"/events/{festival.event.slug}")), "#shifts")
    next_week = page(organiser.get(f"/events/{festival.event.slug}?date={SOON + timedelta(days=7)}"))
    assert text_of(next_week, "#shifts p") == "Für diesen Termin sind noch keine Helferschichten eingetragen."
    assert len(page(organiser.get(festival.path)).select("#shifts .shift")) == 2


# Taking a place --------------------------------------------------------------------------------

def test_a_volunteer_takes_a_place_in_one_step_and_htmx_gets_only_the_block(visitor, festival):
    volunteer = visitor("volunteer")
    response = send(volunteer, f"/shifts/{festival.cake.id}/signup", htmx=True, next=festival.path)
    assert response.status_code == 200
    assert "<html" not in response.text
    block = page(response).find(True)
    assert block["id"] == f"shift_row-{festival.cake.id}"
    assert words(block.select_one(".shift__places")) == "1 von 2 Plätzen belegt – noch 1 frei"
    assert words(block.select_one("[role=status]")) == "Danke! Sie sind eingetragen."
    assert [words(b) for b in block.select("button")] == ["Absagen (Kuchenstand)"]
    assert block.select_one("input[name=next]")["value"] == festival.path  # the page it was pressed on
    assert words(card(volunteer.get(festival.path), festival.cake).select_one(".shift__mine")) == (
        "Sie sind eingetragen.")


def test_without_javascript_the_form_returns_to_the_page_it_was_sent_from(visitor, festival):
    volunteer = visitor("volunteer")
    form = card(volunteer.get(festival.path), festival.cake).select_one("form")
    assert form["action"] == f"/shifts/{festival.cake.id}/signup"
    assert form["hx-target"] == f"#shift_row-{festival.cake.id}"
    response = send(volunteer, form["action"], next=form.select_one("input[name=next]")["value"])
    assert response.status_code == 303
    assert response.headers["location"] == festival.path
    shown = page(volunteer.get(festival.path))
    assert text_of(shown, ".flash") == "Danke! Sie sind für die Schicht eingetragen."


def test_a_shift_filled_a_moment_ago_offers_the_waiting_list(database, visitor, festival):
    volunteer = visitor("volunteer")
    volunteer.get(festival.path)  # the page still shows the free place
    sign_up(database, "second", festival.setup)  # someone else was quicker
    response = send(volunteer, f"/shifts/{festival.setup.id}/signup", htmx=True, next=festival.path)
    assert response.status_code == 409
    block = page(response).find(True)
    assert words(block.select_one("[role=alert]")) == "Gerade voll – auf die Warteliste?"
    form = block.select_one("form")
    assert (form["action"], words(form.button)) == (
        f"/shifts/{festival.setup.id}/waiting", "Auf die Warteliste (Aufbau)")
    response = send(volunteer, form["action"], htmx=True, next=festival.path)
    assert response.status_code == 200
    block = page(response).find(True)
    assert words(block.select_one("[role=status]")) == (
        "Sie stehen auf der Warteliste. Wir schreiben Ihnen, sobald ein Platz frei wird.")
    assert words(block.select_one(".shift__places")) == "1 von 1 Platz belegt – voll · 1 Person auf der Warteliste"
    assert [words(b) for b in block.select("button")] == ["Von der Warteliste nehmen (Aufbau)"]


def test_a_full_shift_without_javascript_shows_the_page_with_the_offer(database, visitor, festival):
    sign_up(database, "second", festival.setup)
    response = send(visitor("volunteer"), f"/shifts/{festival.setup.id}/signup", next=festival.path)
    assert response.status_code == 409
    assert text_of(page(response), "h1") == "Helferschicht: Aufbau"
    assert words(card(response, festival.setup).select_one("[role=alert]")) == "Gerade voll – auf die Warteliste?"


def test_refusals_show_in_the_block_with_422(database, visitor, festival):
    volunteer = visitor("volunteer")
    send(volunteer, f"/shifts/{festival.cake.id}/signup")
    response = send(volunteer, f"/shifts/{festival.cake.id}/signup", htmx=True)
    assert response.status_code == 422
    assert words(page(response).select_one("[role=alert]")) == "Sie haben diese Schicht schon übernommen."
    with database.transaction() as db:  # the same hour elsewhere
        other = add_shift(db, Actor(person(db, "organiser")), db.merge(festival.event), SOON,
                          ShiftDraft("Getränke", "catering", at(SOON, "15:00"), at(SOON, "17:00"), 3))
    response = send(volunteer, f"/shifts/{other.id}/signup", htmx=True)
    assert response.status_code == 422
    assert words(page(response).select_one("[role=alert]")) == (
        "Zur selben Zeit haben Sie schon eine Schicht: „Kuchenstand“ bei Stadtteilfest.")


def test_signing_up_for_a_past_shift_is_refused(database, visitor, people):
    past = make_festival(database, "Frühlingsfest", today() - timedelta(days=3), area="Süd")
    response = send(visitor("volunteer"), f"/shifts/{past.cake.id}/signup", htmx=True)
    assert response.status_code == 422
    assert words(page(response).select_one("[role=alert]")) == "Diese Schicht hat schon begonnen oder ist vorbei."
    assert page(visitor("volunteer").get(past.path)).select(f"#shift_row-{past.cake.id} form") == []


def test_a_shift_of_an_event_not_yet_public_is_hidden(database, visitor, festival):
    from calendar_world import make_event
    with database.transaction() as db:
        organiser = person(db, "organiser")
        draft_event = make_event(db, organiser, "Noch geheim", f"{SOON} 10:00", f"{SOON} 12:00")
        shift = add_shift(db, Actor(organiser), draft_event, SOON,
                          ShiftDraft("Aufbau", "setup", at(SOON, "09:00"), at(SOON, "10:00"), 1))
    assert visitor(None).get(f"/shifts/{shift.id}").status_code == 404
    assert visitor("organiser").get(f"/shifts/{shift.id}").status_code == 200


# Cancelling ------------------------------------------------------------------------------------

def test_giving_a_place_back_moves_the_first_waiting_up_and_mails_them(database, visitor, festival):
    held = sign_up(database, "volunteer", festival.setup)
    sign_up(database, "second", festival.setup, waiting=True)
    response = send(visitor("volunteer"), f"/signups/{held.id}/cancel", htmx=True, next=festival.path)
    assert response.status_code == 200
    block = page(response).find(True)
    assert words(block.select_one("[role=status]")) == "Ihre Zusage ist zurückgenommen."
    assert words(block.select_one(".shift__places")) == "1 von 1 Platz belegt – voll"
    with database.session(write=False) as db:
        moved = db.scalar(select(Signup).where(Signup.shift_id == festival.setup.id, Signup.state == "taken"))
        assert moved.person.email == EMAILS["second"]
        mail = db.scalar(select(Mail).where(Mail.recipient == EMAILS["second"]))
        assert mail.subject == "Ein Platz ist frei geworden: Aufbau – Stadtteilfest"
        assert f"http://testserver/shifts/{festival.setup.id}" in mail.body_text
        assert "Guten Tag Zora Zweite," in mail.body_text


def test_leaving_the_waiting_list(database, visitor, festival):
    sign_up(database, "second", festival.setup)
    waiting = sign_up(database, "volunteer", festival.setup, waiting=True)
    response = send(visitor("volunteer"), f"/signups/{waiting.id}/cancel", htmx=True)
    assert words(page(response).select_one("[role=status]")) == "Sie stehen nicht mehr auf der Warteliste."
    assert words(page(response).select_one(".shift__places")) == "1 von 1 Platz belegt – voll"


def test_after_the_cut_off_the_page_says_whom_to_contact(database, visitor, people):
    tomorrow = make_festival(database, "Herbstfest", today() + timedelta(days=1), area="Ost")
    held = sign_up(database, "volunteer", tomorrow.cake)
    with database.transaction() as db:  # the shift starts in 20 hours
        shift = db.get(Shift, tomorrow.cake.id)
        shift.starts_at, shift.ends_at = utcnow() + timedelta(hours=20), utcnow() + timedelta(hours=22)
    response = send(visitor("volunteer"), f"/signups/{held.id}/cancel", htmx=True)
    assert response.status_code == 422
    assert words(page(response).select_one("[role=alert]")) == (
        "So kurz vor der Schicht können Sie nicht mehr online absagen. Bitte sagen Sie Mira Mitglied Bescheid.")
    with database.session(write=False) as db:
        assert db.get(Signup, held.id).state == "taken"


def test_after_the_cut_off_the_block_names_the_contact_instead_of_the_cancel_button(database, visitor, people):
    tomorrow = make_festival(database, "Winterfest", today() + timedelta(days=1), area="West")
    sign_up(database, "volunteer", tomorrow.cake)
    with database.transaction() as db:  # the shift starts in 20 hours
        shift = db.get(Shift, tomorrow.cake.id)
        shift.starts_at, shift.ends_at = utcnow() + timedelta(hours=20), utcnow() + timedelta(hours=22)
    block = card(visitor("volunteer").get(f"/shifts/{tomorrow.cake.id}"), tomorrow.cake)
    assert words(block.select_one(".shift__late")) == (
        "So kurz vor der Schicht können Sie nicht mehr online absagen. Bitte sagen Sie Mira Mitglied Bescheid.")
    assert block.select("button") == []


def test_nobody_cancels_someone_elses_place(database, visitor, festival):
    held = sign_up(database, "second", festival.cake)
    assert send(visitor("volunteer"), f"/signups/{held.id}/cancel").status_code == 403
    assert send(visitor("volunteer"), "/signups/999999/cancel").status_code == 404


# Meine Schichten -------------------------------------------------------------------------------

def test_my_shifts_lists_what_is_ahead_and_behind_with_confirmed_hours(database, visitor, people):
    past = make_festival(database, "Frühlingsfest", today() - timedelta(days=2), area="Süd")
    coming = make_festival(database, "Stadtteilfest", SOON)
    taken = sign_up(database, "volunteer", coming.cake)
    sign_up(database, "second", coming.setup)
    sign_up(database, "volunteer", coming.setup, waiting=True)
    with database.transaction() as db:  # she helped at the spring festival (taken before it began)
        for shift in (past.cake, past.setup):
            db.add(Signup(shift_id=shift.id, person_id=person(db, "volunteer").id, state="taken", slot=1))
        db.flush()
        confirm_attendance(db, Actor(person(db, "organiser")), db.merge(past.cake))
        confirm_attendance(db, Actor(person(db, "organiser")), db.merge(past.setup), came=set())
    volunteer = visitor("volunteer")
    shown = page(volunteer.get("/shifts/mine"))
    assert text_of(shown, "h1") == "Meine Schichten"
    hours = 2 if past.day.year == today().year else 0  # only this year's count
    assert text_of(shown, "#hours") == f"Bestätigte Stunden {today().year}: {hours}"
    upcoming = [(words(li.h3), words(li.select_one(".my-shift__state")), words(li.button).split(" (")[0])
                for li in shown.select(".my-shift")]
    assert upcoming == [("Aufbau – Stadtteilfest", "Sie stehen auf der Warteliste.", "Von der Warteliste nehmen"),
                        ("Kuchenstand – Stadtteilfest", "Sie sind eingetragen.", "Absagen")]
    past_rows = [[words(td) for td in tr.select("td")][::2] for tr in shown.select("tbody tr")]
    assert past_rows == [["Kuchenstand – Frühlingsfest", "2 Std."], ["Aufbau – Frühlingsfest", "nicht dabei"]]

    form = shown.select(".my-shift")[1].form
    assert form["action"] == f"/signups/{taken.id}/cancel"
    response = send(volunteer, form["action"], next=form.select_one("input[name=next]")["value"])
    assert response.headers["location"] == "/shifts/mine"
    after = page(volunteer.get("/shifts/mine"))
    assert text_of(after, ".flash") == "Ihre Zusage ist zurückgenommen."
    assert [words(li.h3) for li in after.select(".my-shift")] == ["Aufbau – Stadtteilfest"]


def test_my_shifts_without_any(visitor, people):
    shown = page(visitor("volunteer").get("/shifts/mine"))
    assert text_of(shown, "#hours") == f"Bestätigte Stunden {today().year}: 0"
    assert text_of(shown, "section p") == "Sie haben zurzeit keine Schichten übernommen. Wo wird Hilfe gebraucht?"


# Who may do what: coordinator / organiser (submitted the event) / member of the network (no part in
# the event) / volunteer / anonymous. {s}: a shift ahead with free places; {full}: a full one; {p}: a
# shift that took place; {signup}: someone else's place.
ROLES = ("coordinator", "organiser", "member", "volunteer", None)
RULES = [  # method, path, (coordinator, organiser, member, volunteer, anonymous)
    ("GET", "/shifts", (200, 200, 200, 200, 200)),
    ("GET", "/shifts.ics", (200, 200, 200, 200, 200)),
    ("GET", "/shifts/mine", (200, 200, 200, 200, 303)),
    ("GET", "/shifts/{s}", (200, 200, 200, 200, 200)),
    ("POST", "/shifts/{full}/signup", (409, 409, 409, 409, 303)),
    ("POST", "/shifts/{s}/waiting", (422, 422, 422, 422, 303)),  # places are free: take one instead
    ("POST", "/signups/{signup}/cancel", (403, 403, 403, 403, 303)),
    ("GET", "/events/{slug}/dates/{day}/shifts", (200, 200, 403, 403, 303)),
    ("POST", "/events/{slug}/dates/{day}/shifts", (422, 422, 403, 403, 303)),
    ("GET", "/shifts/{s}/edit", (200, 200, 403, 403, 303)),
    ("POST", "/shifts/{s}/edit", (422, 422, 403, 403, 303)),
    ("GET", "/shifts/{p}/attendance", (200, 200, 403, 403, 303)),
    ("POST", "/shifts/{p}/attendance", (303, 303, 403, 403, 303)),
    ("POST", "/shifts/{s}/cancel", (303, 303, 403, 403, 303)),  # last: it succeeds for those allowed
]


@pytest.fixture
def placeholders(database, festival):
    past = make_festival(database, "Frühlingsfest", today() - timedelta(days=3), area="Süd")
    signup = sign_up(database, "second", festival.setup)
    return {"{s}": str(festival.cake.id), "{full}": str(festival.setup.id), "{p}": str(past.cake.id),
            "{signup}": str(signup.id), "{slug}": festival.event.slug, "{day}": SOON.isoformat()}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(visitor, role, placeholders):
    client = visitor(role)
    token = page(client.get("/shifts")).select_one("input[name=csrf_token]")["value"]
    for method, path, expected in RULES:
        url = path
        for placeholder, value in placeholders.items():
            url = url.replace(placeholder, value)
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[ROLES.index(role)], (role, method, path)


def test_two_requests_at_the_same_moment_for_the_last_place_one_gets_it(database, visitor, festival):
    """Two browsers press "Ich helfe mit" for the setup's one place at once, against the real database file."""
    browsers = {role: visitor(role) for role in ("volunteer", "second")}
    tokens = {role: csrf(browser) for role, browser in browsers.items()}
    start = threading.Barrier(2)

    def press(role: str):
        start.wait()
        return browsers[role].post(f"/shifts/{festival.setup.id}/signup", data={"csrf_token": tokens[role]},
                                   headers={"HX-Request": "true", "X-CSRF-Token": tokens[role]})

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(press, browsers))
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    full = next(answer for answer in answers if answer.status_code == 409)
    assert words(page(full).select_one("[role=alert]")) == "Gerade voll – auf die Warteliste?"
    with database.session(write=False) as db:
        holders = db.scalars(select(Signup).where(Signup.shift_id == festival.setup.id, Signup.state == "taken"))
        assert len(list(holders)) == 1
