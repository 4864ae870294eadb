"""Reminders as people meet them on the web: the one-click links in the mails ("Ich helfe", "Diesmal
nicht", stop mails of a kind), the coordinator's /admin/reminders (lists, resend, lead times), "Einladung
senden", the profile's choice of mails, the mails in the outbox, the dashboard and the fairness page."""

import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
from babel.dates import format_date, format_datetime
from sqlalchemy import func, select, update
from starlette.testclient import TestClient

from calendars.feeds import renew_token
from calendars.models import Reminder, ReminderLead, ReminderStop, Signup
from calendars.reminders.calls import run_round
from calendars.reminders.leads import before, morning_of
from calendars.shifts import ShiftDraft, add_shift
from calendars.volunteers import volunteer_of
from governance.base import utcnow
from governance.groups import add_membership
from governance.meetings import MeetingDraft, schedule_meeting, set_meeting_status
from governance.models import Meeting
from governance.permissions import Actor
from governance.tasks import create_task
from governance.times import from_berlin, in_berlin, today
from networks import actor_of, add_meeting, days_from_now
from shift_pages import EMAILS, at, csrf, festival, make_festival, people, person, send, sign_up, visitor, words
from support import page, text_of
from workspace.models import Mail
from workspace.reminder_mail import reminder_token
from workspace.scheduler import Scheduler

__all__ = ["festival", "people", "visitor"]  # fixtures

BETWEEN = "Bitte geben Sie eine Vorlaufzeit zwischen 1 Stunde und einem Jahr an."
NOT_NEEDED = "Diese Schicht braucht niemanden mehr – sie ist besetzt, vorbei oder abgesagt. Danke trotzdem!"
NOT_INVITED = "Zu einer abgesagten oder vergangenen Sitzung lädt Werkstadt nicht ein."


# Calls for help and their links, made as the scheduler makes them ---------------------------------

def ask(database, shift, *roles: str) -> list[int]:
    """The first round of calls for help on `shift`, after `roles` confirmed their address and nobody asked
    them lately (others confirmed before may be asked too); the ids of the calls made."""
    with database.transaction() as db:
        for role in roles:
            volunteer_of(db, person(db, role), confirmed_at=utcnow() - timedelta(days=1)).last_asked_at = None
        first_round = db.scalar(select(Reminder).where(
            Reminder.kind == "help_round", Reminder.subject_type == "shift", Reminder.subject_id == shift.id,
            Reminder.round == 1))
        return [call.id for call in run_round(db, first_round, utcnow())]


def link(settings, reminder_id: int, action: str) -> str:
    return f"/reminders/{reminder_id}/{reminder_token(settings.secret_key, reminder_id)}/{action}"


def press(client, path: str):
    """Open the link's page and press its one button (with the hidden fields the form sends)."""
    form = page(client.get(path)).select_one("main form")
    assert form["action"] == path
    return client.post(path, data={field["name"]: field["value"] for field in form.select("input[type=hidden]")})


def short(instant) -> str:
    """An instant as the pages write it (Berlin time, short)."""
    return format_datetime(in_berlin(instant), "short", tzinfo=in_berlin(instant).tzinfo, locale="de")


def main_text(response) -> str:
    return words(page(response).select_one("main"))


def reminder(database, reminder_id: int) -> Reminder:
    with database.session(write=False) as db:
        return db.get(Reminder, reminder_id)


def signups_of(database, role: str) -> list[tuple[str, str]]:
    with database.session(write=False) as db:
        return [(signup.shift.task, signup.state) for signup in db.scalars(
            select(Signup).where(Signup.person_id == person(db, role).id).order_by(Signup.id))]


def stops(database) -> list[tuple[int, str]]:
    with database.session(write=False) as db:
        return [(row.person_id, row.kind) for row in db.scalars(select(ReminderStop).order_by(ReminderStop.kind))]


def test_the_help_link_shows_the_shift_and_one_button_and_opening_it_changes_nothing(
        database, settings, visitor, festival):
    [call] = ask(database, festival.cake, "volunteer")
    response = visitor(None).get(link(settings, call, "help"))
    assert response.status_code == 200
    shown = page(response)
    assert text_of(shown, "h1") == "Ich helfe"
    facts = [words(node) for node in shown.select("main dl.facts dd")]
    day = format_date(festival.day, "full", locale="de")
    assert facts == ["Kuchenstand – Stadtteilfest", f"{day}, 14:00–16:00 Uhr"]
    assert shown.select_one("main dl.facts a")["href"] == f"/shifts/{festival.cake.id}"
    assert [words(button) for button in shown.select("main button")] == ["Ja, ich helfe"]
    assert signups_of(database, "volunteer") == []
    assert reminder(database, call).answer is None


def test_pressing_ich_helfe_signs_the_volunteer_up_once_and_records_the_answer(database, settings, visitor, festival):
    [call] = ask(database, festival.cake, "volunteer")
    anonymous = visitor(None)  # the mail's link works without logging in
    response = press(anonymous, link(settings, call, "help"))
    assert response.status_code == 200
    assert text_of(page(response), "main [role=status]") == "Danke! Sie sind für die Schicht eingetragen."
    assert signups_of(database, "volunteer") == [("Kuchenstand", "taken")]
    answered = reminder(database, call)
    assert answered.answer == "accepted" and answered.answered_at is not None

    again = anonymous.post(link(settings, call, "help"))
    assert again.status_code == 200
    assert text_of(page(again), "main [role=status]") == "Sie haben schon zugesagt; es hat sich nichts geändert."
    assert page(anonymous.get(link(settings, call, "help"))).select("main form") == []
    assert signups_of(database, "volunteer") == [("Kuchenstand", "taken")]
    assert reminder(database, call).answered_at == answered.answered_at
    assert words(page(visitor("member").get(f"/shifts/{festival.cake.id}")).select_one(".shift__places")) == (
        "1 von 2 Plätzen belegt – noch 1 frei")


def test_diesmal_nicht_records_the_answer_and_signs_nobody_up(database, settings, visitor, festival):
    [call] = ask(database, festival.cake, "volunteer")
    anonymous = visitor(None)
    shown = page(anonymous.get(link(settings, call, "decline")))
    assert (text_of(shown, "h1"), words(shown.select_one("main button"))) == ("Diesmal nicht", "Diesmal kann ich nicht")
    assert reminder(database, call).answer is None

    response = press(anonymous, link(settings, call, "decline"))
    assert text_of(page(response), "main [role=status]") == (
        "Schade – danke für Ihre Antwort. Wir fragen Sie ein anderes Mal wieder.")
    assert reminder(database, call).answer == "declined"
    assert signups_of(database, "volunteer") == []
    for action in ("decline", "help"):  # the answer is given: neither link changes it any more
        again = anonymous.post(link(settings, call, action))
        assert text_of(page(again), "main [role=status]") == "Sie haben schon abgesagt; es hat sich nichts geändert."
    assert (reminder(database, call).answer, signups_of(database, "volunteer")) == ("declined", [])


def test_a_full_shift_needs_nobody_and_the_link_stores_nothing(database, settings, visitor, festival):
    [call] = ask(database, festival.setup, "volunteer")
    sign_up(database, "second", festival.setup)  # the one place went to someone else meanwhile
    anonymous = visitor(None)
    shown = anonymous.get(link(settings, call, "help"))
    assert shown.status_code == 200
    assert main_text(shown).endswith(f"{NOT_NEEDED} Wo wird sonst Hilfe gebraucht?")
    assert page(shown).select("main form") == []
    refused = anonymous.post(link(settings, call, "help"))
    assert refused.status_code == 409
    assert text_of(page(refused), "main [role=status]") == NOT_NEEDED
    assert page(refused).select_one("main a[href='/shifts']") is not None
    assert signups_of(database, "volunteer") == []
    assert reminder(database, call).answer is None


def test_a_forged_borrowed_or_unknown_link_finds_nothing(database, settings, visitor, festival):
    hanna, zora = ask(database, festival.cake, "volunteer", "second")
    with database.session(write=False) as db:
        round_id = db.scalar(select(Reminder.id).where(Reminder.kind == "help_round"))
    anonymous = visitor(None)
    paths = [
        f"/reminders/{hanna}/{'x' * 40}/help",  # made up
        f"/reminders/{hanna}/{reminder_token(settings.secret_key, zora)}/help",  # another reminder's
        f"/reminders/{hanna}/{reminder_token('another-secret', hanna)}/help",  # made without the secret
        f"/reminders/{hanna}/{reminder_token(settings.secret_key, hanna)[:-1]}/help",  # cut short
        link(settings, 99999, "help"),  # no such reminder
        link(settings, hanna, "delete"),  # no such action
        link(settings, round_id, "stop"),  # a round of calls has nobody to stop it
    ]
    for path in paths:
        for method in ("GET", "POST"):
            response = anonymous.request(method, path)
            assert response.status_code == 404, (method, path)
            assert text_of(page(response), "h1") == "Seite nicht gefunden"
    assert signups_of(database, "volunteer") == signups_of(database, "second") == []
    assert [reminder(database, call).answer for call in (hanna, zora)] == [None, None]
    assert stops(database) == []


def test_stop_ends_mails_of_that_kind_and_cancels_the_pending_ones(database, settings, visitor, festival):
    [setup] = ask(database, festival.setup, "volunteer")
    with database.transaction() as db:  # that one went out; the next call waits for its turn
        db.execute(update(Reminder).where(Reminder.id == setup).values(state="sent", sent_at=utcnow()))
    [cake] = ask(database, festival.cake, "volunteer")
    [zora] = ask(database, festival.setup, "second")
    anonymous = visitor(None)
    shown = page(anonymous.get(link(settings, setup, "stop")))
    assert text_of(shown, "h1") == "Mails abbestellen"
    assert text_of(shown, "main p") == "Möchten Sie keine Anfragen, ob Sie bei einer Schicht helfen mehr bekommen?"
    assert stops(database) == []

    response = press(anonymous, link(settings, setup, "stop"))
    assert text_of(page(response), "main [role=status]") == (
        "Erledigt: Sie bekommen keine Anfragen, ob Sie bei einer Schicht helfen mehr.")
    with database.session(write=False) as db:
        hanna_id = person(db, "volunteer").id
    assert stops(database) == [(hanna_id, "call_for_help")]
    assert [reminder(database, call).state for call in (cake, setup, zora)] == ["cancelled", "sent", "pending"]

    again = anonymous.post(link(settings, cake, "stop"))
    assert text_of(page(again), "main [role=status]") == (
        "Diese Mails haben Sie schon abbestellt; es hat sich nichts geändert.")
    assert stops(database) == [(hanna_id, "call_for_help")]


def test_a_mail_programs_one_click_post_stops_without_cookie_or_csrf_token_but_a_get_never_does(
        database, settings, app, festival):
    sign_up(database, "volunteer", festival.cake)  # a place on the cake stand: a reminder 48 h before
    with database.session(write=False) as db:
        upcoming = db.scalar(select(Reminder).where(Reminder.kind == "shift_upcoming"))
        hanna_id = person(db, "volunteer").id
    assert (upcoming.recipient_id, upcoming.state) == (hanna_id, "pending")
    mail_program = TestClient(app, base_url="http://testserver", follow_redirects=False)
    for _ in range(2):  # scanners follow links, perhaps more than once
        assert mail_program.get(link(settings, upcoming.id, "stop")).status_code == 200
    assert (stops(database), reminder(database, upcoming.id).state) == ([], "pending")

    response = mail_program.post(link(settings, upcoming.id, "stop"), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert stops(database) == [(hanna_id, "shift_upcoming")]
    assert reminder(database, upcoming.id).state == "cancelled"
    assert mail_program.post(link(settings, upcoming.id, "help")).status_code == 404  # not a call for help


def test_what_people_typed_is_shown_as_text_on_the_link_page(database, settings, visitor, festival):
    with database.transaction() as db:
        shift = add_shift(db, Actor(person(db, "organiser")), festival.event, festival.day, ShiftDraft(
            '<script>alert("x")</script>', "setup", at(festival.day, "17:00"), at(festival.day, "19:00"), 1))
    [call] = ask(database, shift, "volunteer")
    response = visitor(None).get(link(settings, call, "help"))
    shown = page(response)
    assert words(shown.select_one("main dl.facts dd")) == '<script>alert("x")</script> – Stadtteilfest'
    assert shown.select("main script") == []
    assert "&lt;script&gt;" in response.text


# The coordinator's view ------------------------------------------------------------------------

def rows(response) -> list[list[str]]:
    return [[words(cell) for cell in row.select("th, td")] for row in page(response).select("main table tbody tr")]


def test_the_coordinator_sees_the_pending_reminders_without_the_rounds(database, visitor, festival):
    sign_up(database, "volunteer", festival.cake)
    sign_up(database, "second", festival.setup)
    coordinator = visitor("coordinator")
    response = coordinator.get("/admin/reminders")
    assert response.status_code == 200
    due = {role: short(before(shift.starts_at, 48)) for role, shift in (
        ("volunteer", festival.cake), ("second", festival.setup))}
    assert rows(response) == [["Erinnerung an eine Schicht", "Zora Zweite", due["second"], "0", ""],
                              ["Erinnerung an eine Schicht", "Hanna Helfer", due["volunteer"], "0", ""]]
    tabs = page(response).select("main nav[aria-label='Erinnerungen nach Stand'] a")
    assert [words(a) for a in tabs] == ["geplant (2)", "versendet (0)", "fehlgeschlagen (0)", "nicht versendet (0)"]
    assert [a["href"] for a in tabs if a.has_attr("aria-current")] == ["/admin/reminders?state=pending"]
    sent = coordinator.get("/admin/reminders?state=sent")
    assert rows(sent) == []
    assert "Keine Erinnerungen in dieser Liste." in main_text(sent)


def test_a_failed_reminder_is_listed_with_its_error_and_can_be_sent_again(database, settings, visitor, festival):
    [call] = ask(database, festival.cake, "volunteer")
    error = "550 5.1.1 <helfer@example.org>: Recipient address rejected"
    with database.transaction() as db:
        db.execute(update(Reminder).where(Reminder.id == call).values(state="failed", attempts=5, last_error=error))
    coordinator = visitor("coordinator")
    failed = coordinator.get("/admin/reminders?state=failed")
    [row] = rows(failed)
    assert row == ["Anfrage: Hilfe gesucht", "Hanna Helfer", "–", "5", error, "Erneut senden"]
    form = page(failed).select_one("main table form")
    assert form["action"] == f"/admin/reminders/{call}/resend"

    response = send(coordinator, form["action"])
    assert (response.status_code, response.headers["location"]) == (303, "/admin/reminders?state=failed")
    shown = coordinator.get(response.headers["location"])
    assert text_of(page(shown), ".flash") == "Die Erinnerung wird erneut versendet."
    assert rows(shown) == []
    again = reminder(database, call)
    assert (again.state, again.attempts) == ("pending", 0)
    assert abs(again.try_at - utcnow()) < timedelta(minutes=1)
    assert send(coordinator, "/admin/reminders/99999/resend").status_code == 404


def lead_fields(coordinator) -> dict[str, str]:
    form = page(coordinator.get("/admin/reminders")).select_one("form[action='/admin/reminders/leads']")
    return {field["name"]: field.get("value", "") for field in form.select("input")}


def test_the_lead_time_form_shows_the_current_lead_times(visitor, festival):
    fields = lead_fields(visitor("coordinator"))
    del fields["csrf_token"]
    assert fields == {"lead-shift_upcoming-0": "48", "lead-help_round-1": "336", "lead-help_round-2": "120",
                      "lead-meeting_invitation-0": "168", "lead-task_due-0": "48", "lead-milestone_due-0": "336"}


@pytest.mark.parametrize("typed, message", [
    ("0", BETWEEN), ("-5", BETWEEN), ("9000", BETWEEN), ("abc", "Bitte geben Sie eine ganze Zahl an."),
])
def test_a_lead_time_of_0_negative_over_a_year_or_no_number_is_refused_next_to_the_field(
        database, visitor, festival, typed, message):
    coordinator = visitor("coordinator")
    fields = {**lead_fields(coordinator), "lead-help_round-2": typed}
    response = coordinator.post("/admin/reminders/leads", data=fields)
    assert response.status_code == 422
    shown = page(response)
    assert words(shown.select_one("#f-lead-help_round-2-error")) == message
    refused = shown.select_one("#f-lead-help_round-2")
    assert (refused["value"], refused["aria-invalid"]) == (typed, "true")
    assert [i["name"] for i in shown.select("input[aria-invalid]")] == ["lead-help_round-2"]
    assert shown.select_one("#f-lead-help_round-1")["value"] == "336"
    with database.session(write=False) as db:
        assert db.scalar(select(func.count()).select_from(ReminderLead)) == 0


def test_a_new_lead_time_is_stored_and_moves_the_pending_reminders(database, visitor, people, festival):
    with database.transaction() as db:
        task = create_task(db, Actor(person(db, "coordinator")), db.merge(people.planning), "Plakate drucken",
                           person(db, "member"), due_on=today() + timedelta(days=10))
        task_id = task.id

    def due(kind: str, subject_id: int) -> object:
        with database.session(write=False) as db:
            return db.scalar(select(Reminder.due_at).where(Reminder.kind == kind, Reminder.subject_id == subject_id,
                                                           Reminder.state == "pending").order_by(Reminder.round))

    task_morning = morning_of(today() + timedelta(days=10))
    assert due("task_due", task_id) == before(task_morning, 48)
    assert due("help_round", festival.cake.id) == before(festival.cake.starts_at, 14 * 24)
    coordinator = visitor("coordinator")
    fields = {**lead_fields(coordinator), "lead-task_due-0": "72", "lead-help_round-1": "360"}
    response = coordinator.post("/admin/reminders/leads", data=fields)
    assert (response.status_code, response.headers["location"]) == (303, "/admin/reminders")
    shown = page(coordinator.get("/admin/reminders"))
    assert text_of(shown, ".flash") == "Die Vorlaufzeiten sind gespeichert; geplante Erinnerungen sind angepasst."
    assert (shown.select_one("#f-lead-task_due-0")["value"], shown.select_one("#f-lead-help_round-1")["value"]) == (
        "72", "360")
    with database.session(write=False) as db:
        assert db.get(ReminderLead, ("task_due", 0)).hours == 72
        assert db.get(ReminderLead, ("help_round", 1)).hours == 360
    assert due("task_due", task_id) == before(task_morning, 72)
    assert due("help_round", festival.cake.id) == before(festival.cake.starts_at, 15 * 24)


# "Einladung senden" ----------------------------------------------------------------------------

@pytest.fixture
def meeting(database, people) -> int:
    """A meeting of the planning group in two weeks; Paula chairs the group, Mira is a member."""
    with database.transaction() as db:
        group = db.merge(people.planning)
        add_membership(db, group, person(db, "organiser"), "member")
        return schedule_meeting(db, actor_of(db, person(db, "member")), group, MeetingDraft(
            "Planungstreffen", from_berlin(days_from_now(14, 18)), place="Stadtteilbüro")).id


def invitations(database, meeting_id: int) -> list[tuple[int, str, str]]:
    """(round, recipient, state) of the meeting's invitations sent by hand."""
    with database.session(write=False) as db:
        return [(row.round, row.recipient.name, row.state) for row in db.scalars(
            select(Reminder).where(Reminder.kind == "meeting_invitation", Reminder.subject_id == meeting_id,
                                   Reminder.round > 0).order_by(Reminder.round, Reminder.recipient_id))]


def test_the_chair_sends_the_invitation_to_every_member_and_each_press_is_a_new_round(database, visitor, meeting):
    chair = visitor("member")  # Paula
    shown = page(chair.get(f"/meetings/{meeting}"))
    form = shown.select_one(f"form[action='/meetings/{meeting}/invitation/send']")
    assert words(form.select_one("button")) == "Einladung senden"

    response = send(chair, form["action"])
    assert (response.status_code, response.headers["location"]) == (303, f"/meetings/{meeting}#meeting_status")
    shown = page(chair.get(response.headers["location"]))
    assert text_of(shown, ".flash") == "Die Einladung geht gleich an alle Mitglieder der Gruppe."
    assert [words(dd) for dd in shown.select("main dl.facts dd")][-2] == "eingeladen"
    assert invitations(database, meeting) == [(1, "Mira Mitglied", "pending"), (1, "Paula Planung", "pending")]
    with database.session(write=False) as db:
        assert db.get(Meeting, meeting).status == "invited"
        assert all(row.due_at <= utcnow() for row in db.scalars(select(Reminder).where(Reminder.round == 1)))

    assert send(chair, f"/meetings/{meeting}/invitation/send").status_code == 303
    assert invitations(database, meeting) == [
        (1, "Mira Mitglied", "pending"), (1, "Paula Planung", "pending"),
        (2, "Mira Mitglied", "pending"), (2, "Paula Planung", "pending")]


@pytest.mark.parametrize("when", ["cancelled", "past"])
def test_no_invitation_to_a_cancelled_or_past_meeting(database, visitor, people, meeting, when):
    with database.transaction() as db:
        if when == "cancelled":
            set_meeting_status(db, actor_of(db, person(db, "member")), db.get(Meeting, meeting), "cancelled")
            target = meeting
        else:
            target = add_meeting(db, db.merge(people.planning), days_from_now(-2), title="Letzte Sitzung").id
    response = send(visitor("member"), f"/meetings/{target}/invitation/send")
    assert response.status_code == 422
    assert [words(p) for p in page(response).select("main .form-error")] == [NOT_INVITED]
    assert invitations(database, target) == []


def test_a_member_who_does_not_manage_the_group_cannot_send_the_invitation(database, visitor, meeting):
    member = visitor("organiser")  # Mira: a member of the planning group, not its chair
    assert page(member.get(f"/meetings/{meeting}")).select(f"form[action$='/invitation/send']") == []
    assert send(member, f"/meetings/{meeting}/invitation/send").status_code == 403
    assert invitations(database, meeting) == []
    with database.session(write=False) as db:
        assert db.get(Meeting, meeting).status == "planned"


# The person's choice of mails ------------------------------------------------------------------

def ticked(response) -> dict[str, bool]:
    boxes = page(response).select("#mail-choices input[name=kinds]")
    return {box["value"]: box.has_attr("checked") for box in boxes}


def test_a_volunteer_unticks_a_kind_of_mail_and_ticks_it_again(database, visitor, festival):
    hanna = visitor("volunteer")
    assert all(ticked(hanna.get("/volunteer/profile")).values())
    wanted = [kind for kind in ticked(hanna.get("/volunteer/profile")) if kind != "call_for_help"]
    response = send(hanna, "/profile/reminders", kinds=wanted, back="volunteer")
    assert (response.status_code, response.headers["location"]) == (303, "/volunteer/profile#mail-choices")
    shown = hanna.get("/volunteer/profile")
    assert text_of(page(shown), ".flash") == "Ihre Auswahl der E-Mails ist gespeichert."
    assert [kind for kind, on in ticked(shown).items() if not on] == ["call_for_help"]
    with database.session(write=False) as db:
        hanna_id = person(db, "volunteer").id
    assert stops(database) == [(hanna_id, "call_for_help")]
    assert ask(database, festival.cake, "volunteer") == []  # who stopped the calls is not asked

    send(hanna, "/profile/reminders", kinds=wanted + ["call_for_help"], back="volunteer")
    assert all(ticked(hanna.get("/volunteer/profile")).values())
    assert stops(database) == []


def test_a_member_chooses_on_the_profile_and_a_stopped_shift_reminder_comes_back_when_ticked(
        database, visitor, festival):
    sign_up(database, "organiser", festival.cake)
    mira = visitor("organiser")
    kinds = list(ticked(mira.get("/profile")))
    response = send(mira, "/profile/reminders", kinds=[k for k in kinds if k != "shift_upcoming"], back="profile")
    assert response.headers["location"] == "/profile#mail-choices"
    assert [kind for kind, on in ticked(mira.get("/profile")).items() if not on] == ["shift_upcoming"]
    with database.session(write=False) as db:
        upcoming = db.scalar(select(Reminder).where(Reminder.kind == "shift_upcoming"))
    assert upcoming.state == "cancelled"
    send(mira, "/profile/reminders", kinds=kinds, back="profile")
    assert reminder(database, upcoming.id).state == "pending"
    assert stops(database) == []


# The mails, in the outbox ----------------------------------------------------------------------

def outbox(database, email: str) -> list[Mail]:
    with database.session(write=False) as db:
        return list(db.scalars(select(Mail).where(Mail.recipient == email).order_by(Mail.id)))


def test_the_scheduler_puts_a_call_for_help_into_the_outbox_with_the_help_and_stop_links(
        database, settings, visitor, festival):
    [call] = ask(database, festival.cake, "volunteer")
    Scheduler(settings, database).tick()
    assert reminder(database, call).state == "sent"
    [mail] = outbox(database, EMAILS["volunteer"])
    day = format_date(festival.day, "medium", locale="de")
    assert mail.subject == f"Hilfe gesucht: Kuchenstand – Stadtteilfest am {day}"

    coordinator = visitor("coordinator")
    listed = page(coordinator.get("/admin/outbox"))
    assert mail.subject in words(listed.select_one("main"))
    shown = page(coordinator.get(f"/admin/outbox/{mail.id}"))
    body = shown.select_one("pre.mail-body").get_text()
    assert body.startswith("Guten Tag Hanna Helfer,\n")
    base = "http://testserver"
    for action in ("help", "decline", "stop"):
        assert f"{base}{link(settings, call, action)}\n" in body, action
    assert f"{base}/shifts/{festival.cake.id}\n" in body  # the shift's page
    help_path = re.search(r"http://testserver(/reminders/\S+/help)", body)[1]
    assert press(visitor(None), help_path).status_code == 200
    assert signups_of(database, "volunteer") == [("Kuchenstand", "taken")]


def test_a_pressed_invitation_goes_out_to_every_member_with_the_meeting_as_ics(
        database, settings, visitor, meeting):
    assert send(visitor("member"), f"/meetings/{meeting}/invitation/send").status_code == 303
    scheduler = Scheduler(settings, database)
    scheduler.tick()
    subjects = {email: [mail.subject for mail in outbox(database, email)]
                for email in (EMAILS["member"], EMAILS["organiser"])}
    day = format_date(days_from_now(14, 18).date(), "medium", locale="de")
    expected = f"Einladung: Planungsgruppe (Kernteam) – Planungstreffen am {day}"
    assert subjects == {EMAILS["member"]: [expected], EMAILS["organiser"]: [expected]}
    [mail] = outbox(database, EMAILS["organiser"])
    assert "Planungstreffen" in mail.body_text and "Ort: Stadtteilbüro" in mail.body_text
    assert f"http://testserver/meetings/{meeting}" in mail.body_text

    with database.transaction() as db:
        sent = db.scalar(select(Reminder).where(Reminder.kind == "meeting_invitation", Reminder.round == 1,
                                                Reminder.recipient_id == person(db, "organiser").id))
        message = scheduler.composer.compose(db, sent, utcnow())
        sent_id, feed_token = sent.id, renew_token(db, person(db, "organiser")).token
    assert isinstance(message, EmailMessage)
    assert message["List-Unsubscribe"] == f"<http://testserver{link(settings, sent_id, 'stop')}>"
    [attachment] = list(message.iter_attachments())
    assert (attachment.get_content_type(), attachment.get_filename()) == ("text/calendar", "einladung.ics")
    assert attachment.get_param("method") == "REQUEST"
    ics = attachment.get_content()
    assert "METHOD:REQUEST" in ics.splitlines()
    uid = f"UID:meeting-{meeting}@testserver"
    assert uid in ics.splitlines()
    feed = visitor(None).get(f"/groups/{db_slug(database, meeting)}/meetings.ics?token={feed_token}")
    assert uid in feed.text.splitlines()


def db_slug(database, meeting_id: int) -> str:
    with database.session(write=False) as db:
        return db.get(Meeting, meeting_id).group.slug


# The dashboard and the fairness page ------------------------------------------------------------

def test_the_dashboard_lists_shifts_still_short_after_every_round(database, settings, visitor, festival):
    soon = make_festival(database, "Herbstmarkt", today() + timedelta(days=3), area="Süd")
    coordinator = visitor("coordinator")
    before_rounds = page(coordinator.get("/"))
    assert text_of(before_rounds, "#still-short p") == (
        "Keine: Jede Schicht, für die alle Anfragerunden gelaufen sind, ist besetzt.")
    sign_up(database, "second", soon.cake)
    Scheduler(settings, database).tick()  # the last round of each shift runs; nobody is left to ask
    listed = [words(li) for li in page(coordinator.get("/")).select("#still-short li")]
    when = {shift: short(shift.starts_at) for shift in (soon.setup, soon.cake)}
    assert listed == [f"Aufbau – Herbstmarkt, {when[soon.setup]}: 1 Platz frei",
                      f"Kuchenstand – Herbstmarkt, {when[soon.cake]}: 1 Platz frei"]
    # the festival in a month still has its rounds ahead
    assert all("Stadtteilfest" not in line for line in listed)


def test_the_fairness_page_counts_the_calls_sent_and_how_they_were_answered(database, settings, visitor, festival):
    hanna, zora = ask(database, festival.cake, "volunteer", "second")
    Scheduler(settings, database).tick()
    anonymous = visitor(None)
    press(anonymous, link(settings, hanna, "help"))
    press(anonymous, link(settings, zora, "decline"))
    period = f"from={today() - timedelta(days=7)}&to={today()}"
    shown = page(visitor("coordinator").get(f"/fairness?{period}"))
    section = shown.select_one("#calls-for-help")
    figures = dict(zip((words(dt) for dt in section.select("dt")), (words(dd) for dd in section.select("dd"))))
    assert figures == {"Verschickt": "2", "Zugesagt": "1", "Abgesagt": "1", "Angefragte Personen": "2"}
    earlier = f"from={today() - timedelta(days=60)}&to={today() - timedelta(days=30)}"
    section = page(visitor("coordinator").get(f"/fairness?{earlier}")).select_one("#calls-for-help")
    assert [words(dd) for dd in section.select("dd")] == ["0", "0", "0", "0"]


# Who may do what: coordinator / organiser (Mira) / member (Paula) / volunteer / anonymous. {call}: a call
# for help to Hanna; {token}: its token; {action}: "help"; {failed}: a reminder that failed. The mail
# links need no login: the token is the proof.
ROLES = ("coordinator", "organiser", "member", "volunteer", None)
RULES = [  # method, path, (coordinator, organiser, member, volunteer, anonymous)
    ("GET", "/reminders/{call}/{token}/{action}", (200, 200, 200, 200, 200)),
    ("POST", "/reminders/{call}/{token}/{action}", (200, 200, 200, 200, 200)),
    ("GET", "/admin/reminders", (200, 403, 403, 403, 303)),
    ("POST", "/admin/reminders/leads", (422, 403, 403, 403, 303)),
    ("POST", "/admin/reminders/{failed}/resend", (303, 403, 403, 403, 303)),
    ("POST", "/profile/reminders", (303, 303, 303, 303, 303)),  # anonymous: to the login
]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(database, settings, visitor, festival, role):
    [call] = ask(database, festival.cake, "volunteer")
    with database.transaction() as db:
        failed = db.scalar(select(Reminder.id).where(Reminder.kind == "help_round"))
        db.execute(update(Reminder).where(Reminder.id == failed).values(state="failed", last_error="550"))
    values = {"{call}": str(call), "{token}": reminder_token(settings.secret_key, call), "{action}": "help",
              "{failed}": str(failed)}
    client = visitor(role)
    token = csrf(client)
    for method, path, expected in RULES:
        url = path
        for placeholder, value in values.items():
            url = url.replace(placeholder, value)
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[ROLES.index(role)], (role, method, path)
