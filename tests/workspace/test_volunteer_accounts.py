"""Volunteers' light accounts as people use them: registering, confirming by a mailed link, logging in by a
one-time link, the preferences on the profile, deleting the account, and what a volunteer may open."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from calendar_world import make_event
from calendars.models import Shift, Signup, Volunteer
from calendars.signups import confirm_attendance, join_waiting_list, take_place
from calendars.volunteers import volunteer_of
from governance.base import utcnow
from governance.errors import NotFound
from governance.models import Membership, Person
from governance.organisations import create_area, create_target_group
from governance.people import create_person
from governance.permissions import Actor
from networks import build_groups
from shift_world import at, make_shift
from support import CHEAP_HASHER, csrf_of, field_error, log_in, page, text_of
from workspace.auth import accept_invitation, find_invitation, invite_account
from workspace.links import issue_link
from workspace.models import Account, LoginAttempt, LoginLink, Mail, WebSession
from workspace.volunteer_accounts import address_confirmed, register_volunteer, use_link

GONE = "Dieser Link funktioniert nicht mehr"


# Reading the outbox and following links as a person would ----------------------------------------

def mails(database) -> list[Mail]:
    with database.session(write=False) as db:
        return list(db.scalars(select(Mail).order_by(Mail.id)))


def link_in(mail: Mail) -> str:
    """The path (with its query) of the one link in a mail."""
    [link] = re.findall(r"http://testserver(/\S+)", mail.body_text)
    return link


def register(client, name="Hanna Helfer", email="hanna@example.org", **extra):
    token = csrf_of(client, "/volunteer/register")
    return client.post("/volunteer/register", data={"csrf_token": token, "name": name, "email": email, **extra})


def ask_for_link(client, email, **extra):
    token = csrf_of(client, "/login/link")
    return client.post("/login/link", data={"csrf_token": token, "email": email, **extra})


def press_button(client, path):
    """Open the page a mailed link leads to and press its button (the form sends the hidden fields)."""
    soup = page(client.get(path))
    form = soup.select_one("main form")
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    return client.post(form["action"], data=fields)


def main_text(response) -> str:
    return " ".join(page(response).select_one("main").get_text().split())


def confirmed_volunteer(client, database, email="hanna@example.org"):
    """Register and confirm through the pages; the client is then logged in as that volunteer."""
    register(client, email=email)
    assert press_button(client, link_in(mails(database)[-1])).status_code == 303
    return client


@pytest.fixture
def volunteer(client, database):
    return confirmed_volunteer(client, database)


# Who may do what ---------------------------------------------------------------------------------

ROLES = ("anonymous", "volunteer", "member", "coordinator")
RULES = [  # method, path, statuses in the order of ROLES
    ("GET", "/volunteer/register", (200, 303, 303, 303)),
    ("POST", "/volunteer/register", (422, 303, 303, 303)),
    ("GET", "/volunteer/confirm/{token}", (410, 410, 410, 410)),
    ("POST", "/volunteer/confirm/{token}", (410, 410, 410, 410)),
    ("GET", "/login/link", (200, 303, 303, 303)),
    ("POST", "/login/link", (422, 303, 303, 303)),
    ("GET", "/login/link/{token}", (410, 410, 410, 410)),
    ("POST", "/login/link/{token}", (410, 410, 410, 410)),
    ("GET", "/volunteer/profile", (303, 200, 200, 200)),
    ("POST", "/volunteer/profile", (303, 303, 303, 303)),  # nothing chosen is a valid choice
    ("POST", "/volunteer/delete", (303, 422, 403, 403)),  # members' accounts are the coordinator's to close
    ("POST", "/profile/feed-token", (303, 303, 303, 303)),  # anonymous: to the login; others: back to a profile
    ("POST", "/profile/feed-token/revoke", (303, 303, 303, 303)),
]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(client, database, member, coordinator, role):
    if role == "volunteer":
        confirmed_volunteer(client, database)
    elif role != "anonymous":
        assert log_in(client, f"{'mitglied' if role == 'member' else 'koordination'}@example.org").status_code == 303
    token = csrf_of(client, "/calendar")
    for method, path, expected in RULES:
        url = path.replace("{token}", "x" * 43)
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[ROLES.index(role)], (role, method, path)


def test_a_volunteer_sees_only_their_pages_and_is_turned_away_from_the_networks(volunteer):
    soup = page(volunteer.get("/calendar"))
    assert [a.get_text(strip=True) for a in soup.select(".main-nav a")] == [
        "Stadtteilkalender", "Wo wird Hilfe gebraucht?", "Meine Schichten"]
    assert [a.get_text(strip=True) for a in soup.select(".account-nav a, .account-nav button")] == [
        "Profil", "Abmelden"]
    assert soup.select_one(".main-nav a[href='/shifts/mine']") is not None
    for path in ("/", "/groups", "/decisions", "/tasks", "/organisations", "/profile"):
        assert volunteer.get(path).status_code == 403, path
    assert page(volunteer.get("/")).select_one("main a")["href"] == "/shifts/mine"
    assert volunteer.get("/login").headers["location"] == "/shifts/mine"


def test_members_find_the_shifts_in_their_navigation_and_the_preferences_from_their_profile(as_member):
    soup = page(as_member.get("/profile"))
    assert "Helferschichten" in [a.get_text(strip=True) for a in soup.select(".main-nav a")]
    assert soup.select_one("main a[href='/volunteer/profile']").get_text(strip=True) == "Mithelfen: mein Profil"


# Registering and confirming -------------------------------------------------------------------------

def test_a_newcomer_registers_confirms_by_mail_and_comes_back_to_the_shift_they_wanted(client, database):
    form = page(client.get("/volunteer/register?next=/shifts/12"))
    assert form.select_one("input[name=next]")["value"] == "/shifts/12"
    response = register(client, next="/shifts/12")
    assert response.status_code == 200
    assert text_of(page(response), "h1") == "Bitte schauen Sie in Ihr Postfach"
    [mail] = mails(database)
    assert (mail.recipient, mail.subject) == ("hanna@example.org", "Bitte bestätigen Sie Ihre E-Mail-Adresse")
    assert mail.body_text.startswith("Guten Tag,\n") and "30 Minuten gültig" in mail.body_text
    assert "Hanna" not in mail.body_text  # the name is what anyone typed: no text of theirs in a stranger's inbox
    link = link_in(mail)
    assert link.startswith("/volunteer/confirm/") and link.endswith("?next=%2Fshifts%2F12")

    soup = page(client.get(link))  # opening the link (or a mail scanner doing so) spends nothing
    assert text_of(soup, "h1") == "E-Mail-Adresse bestätigen"
    assert text_of(soup, "main button") == "Bestätigen und anmelden"
    with database.session(write=False) as db:
        account = db.scalar(select(Account).join(Person).where(Person.email == "hanna@example.org"))
        assert (account.kind, account.password_hash) == ("volunteer", None)
        assert db.get(Volunteer, account.person_id).email_confirmed_at is None
        assert db.scalar(select(LoginLink.used_at)) is None

    response = press_button(client, link)
    assert (response.status_code, response.headers["location"]) == (303, "/shifts/12")
    assert text_of(page(client.get("/volunteer/profile")), ".flash") == (
        "Danke! Ihre E-Mail-Adresse ist bestätigt, und Sie sind angemeldet.")
    with database.session(write=False) as db:
        assert db.get(Volunteer, account.person_id).email_confirmed_at is not None


def test_without_a_page_to_return_to_a_volunteer_lands_on_their_shifts(client, database):
    register(client, next="https://elsewhere.example/")  # only a path of this site is kept
    link = link_in(mails(database)[0])
    assert "next" not in link
    response = press_button(client, link)
    assert response.headers["location"] == "/shifts/mine"
    assert client.get("/shifts/mine").status_code == 200


def test_a_known_address_gets_the_same_page_and_a_login_link_instead(client, other_client, database, member):
    new = register(client, email="neu@example.org")
    confirmed_volunteer(other_client, database, "hanna@example.org")
    other_client.cookies.clear()
    known = register(other_client, email="hanna@example.org")
    as_member = register(other_client, email="mitglied@example.org")
    assert new.status_code == known.status_code == as_member.status_code == 200
    texts = {main_text(response).replace(address, "…") for response, address in (
        (new, "neu@example.org"), (known, "hanna@example.org"), (as_member, "mitglied@example.org"))}
    assert len(texts) == 1
    subjects = [(mail.recipient, mail.subject) for mail in mails(database)]
    assert subjects == [("neu@example.org", "Bitte bestätigen Sie Ihre E-Mail-Adresse"),
                        ("hanna@example.org", "Bitte bestätigen Sie Ihre E-Mail-Adresse"),
                        ("hanna@example.org", "Ihr Anmeldelink für die Werkstadt"),
                        ("mitglied@example.org", "Anmeldung in der Werkstadt")]
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(Account.id))) == 3
        assert db.scalar(select(Account.kind).join(Person).where(Person.email == "mitglied@example.org")) == "member"


def test_registering_again_before_confirming_sends_a_new_confirmation_and_the_old_link_stops(client, database):
    register(client)
    register(client)
    first, second = (link_in(mail) for mail in mails(database))
    assert GONE in main_text(client.get(first))
    assert press_button(client, second).status_code == 303


@pytest.mark.parametrize("name, email, field, message", [
    ("Hanna Helfer", "hanna(at)example.org", "email", "Das ist keine gültige E-Mail-Adresse."),
    ("Hanna Helfer", "a" * 9_988 + "@example.org", "email", "Die Eingabe ist zu lang (höchstens 254 Zeichen)."),
    ("Hanna Helfer", "", "email", "Bitte geben Sie Ihre E-Mail-Adresse an."),
    ("   ", "hanna@example.org", "name", "Bitte geben Sie Ihren Namen an."),
    ("H" * 201, "hanna@example.org", "name", "Die Eingabe ist zu lang (höchstens 200 Zeichen)."),
])
def test_bad_registrations_are_refused_next_to_the_field_keeping_what_was_typed(client, database, name, email,
                                                                               field, message):
    response = register(client, name=name, email=email, next="/shifts/3")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, field) == message
    assert soup.select_one("#f-email")["value"] == email
    assert soup.select_one("#f-name")["value"] == name
    assert soup.select_one("input[name=next]")["value"] == "/shifts/3"
    assert mails(database) == []
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(Account.id))) == 0


def test_the_forms_cannot_flood_an_inbox(client, database):
    for _ in range(3):
        assert register(client).status_code == 200
    refused = register(client)
    assert refused.status_code == 429
    assert text_of(page(refused), ".form-error").startswith("Sie haben in kurzer Zeit zu viele Links angefordert.")
    assert ask_for_link(client, "hanna@example.org").status_code == 429
    assert len(mails(database)) == 3
    assert ask_for_link(client, "jemand@example.org").status_code == 200  # another address is not held up


def test_asking_for_links_does_not_lock_a_member_out_of_the_password_login(client, member):
    for _ in range(4):
        ask_for_link(client, "mitglied@example.org")
    assert log_in(client, "mitglied@example.org").status_code == 303


# Used, expired and unknown links ------------------------------------------------------------------

def test_a_link_used_twice_says_so_and_offers_a_new_one(client, other_client, database):
    register(client, next="/shifts/7")
    link = link_in(mails(database)[0])
    press_button(client, link)
    again = other_client.post(link.split("?")[0], data={"csrf_token": csrf_of(other_client, link)})
    assert again.status_code == 410
    soup = page(again)
    assert text_of(soup, "h1") == GONE
    assert "gilt nur einmal und nur 30 Minuten lang" in text_of(soup, "main p")
    form = soup.select_one("main form")
    assert form["action"] == "/login/link" and form.select_one("input[name=email]") is not None
    assert other_client.get(link).status_code == 410
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(WebSession.id))) == 1  # only the first browser is logged in


def test_an_expired_link_says_the_same_as_an_unknown_one(client, database):
    register(client)
    link = link_in(mails(database)[0])
    with database.transaction() as db:
        db.execute(update(LoginLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    expired = client.get(link)
    unknown = client.get("/volunteer/confirm/" + "x" * 43)
    assert expired.status_code == unknown.status_code == 410
    assert main_text(expired) == main_text(unknown)
    assert press_button_status(client, link) == 410


def press_button_status(client, path) -> int:
    return client.post(path, data={"csrf_token": csrf_of(client, "/calendar")}).status_code


def test_the_new_link_form_on_a_dead_link_sends_a_login_link_that_keeps_the_page_to_return_to(client, database):
    register(client, next="/shifts/7")
    with database.transaction() as db:
        db.execute(update(LoginLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    soup = page(client.get(link_in(mails(database)[0])))
    assert soup.select_one("main input[name=next]")["value"] == "/shifts/7"
    ask_for_link(client, "hanna@example.org", next="/shifts/7")
    fresh = link_in(mails(database)[-1])
    assert fresh.startswith("/volunteer/confirm/")  # still unconfirmed: a new confirmation link
    assert press_button(client, fresh).headers["location"] == "/shifts/7"
    with database.session(write=False) as db:
        assert db.scalar(select(Volunteer.email_confirmed_at)) is not None


# Logging in by link -------------------------------------------------------------------------------------

def test_the_member_login_offers_the_login_without_password(client):
    link = page(client.get("/login?next=/shifts/4")).select_one("main a[href^='/login/link']")
    assert link.get_text(strip=True) == "Ehrenamtlich dabei? Anmelden ohne Passwort"
    assert link["href"] == "/login/link?next=/shifts/4"


def test_a_volunteer_logs_in_by_a_one_time_link(client, other_client, database):
    confirmed_volunteer(other_client, database)
    response = ask_for_link(client, "Hanna@Example.org ")
    assert (response.status_code, text_of(page(response), "h1")) == (200, "Bitte schauen Sie in Ihr Postfach")
    mail = mails(database)[-1]
    assert (mail.recipient, mail.subject) == ("hanna@example.org", "Ihr Anmeldelink für die Werkstadt")
    link = link_in(mail)
    assert text_of(page(client.get(link)), "main button") == "Jetzt anmelden"
    response = press_button(client, link)
    assert (response.status_code, response.headers["location"]) == (303, "/shifts/mine")
    assert text_of(page(client.get("/volunteer/profile")), "dd") == "Hanna Helfer"
    client.cookies.clear()
    assert press_button_status(client, link) == 410


def test_asking_for_a_link_answers_alike_for_every_address(client, database, member, make_account):
    make_account("ruhend@example.org", "Rita Ruhend", kind="volunteer", password=None)
    with database.transaction() as db:
        db.scalar(select(Account).join(Person).where(Person.email == "ruhend@example.org")).is_active = False
    answers = {address: ask_for_link(client, address) for address in (
        "unbekannt@example.org", "mitglied@example.org", "ruhend@example.org")}
    assert {response.status_code for response in answers.values()} == {200}
    assert len({main_text(response).replace(address, "…") for address, response in answers.items()}) == 1
    [mail] = mails(database)  # the member is pointed to the password login; no link that bypasses it
    assert (mail.recipient, link_in(mail)) == ("mitglied@example.org", "/login")


@pytest.mark.parametrize("email, message", [
    ("keine-adresse", "Das ist keine gültige E-Mail-Adresse."),
    ("x" * 10_000, "Die Eingabe ist zu lang (höchstens 254 Zeichen)."),
])
def test_a_bad_address_for_a_link_is_named(client, email, message):
    response = ask_for_link(client, email)
    assert response.status_code == 422
    assert field_error(page(response), "email") == message


def test_only_the_newest_login_link_works(client, other_client, database):
    confirmed_volunteer(other_client, database)
    ask_for_link(client, "hanna@example.org")
    ask_for_link(client, "hanna@example.org")
    older, newer = (link_in(mail) for mail in mails(database)[-2:])
    assert client.get(older).status_code == 410
    assert press_button(client, newer).status_code == 303


# Preferences ------------------------------------------------------------------------------------------------

@pytest.fixture
def choices(database):
    with database.transaction() as db:
        areas = [create_area(db, "Nord"), create_area(db, "Zentrum")]
        groups = [create_target_group(db, "Familien mit Kindern bis 6")]
        return [str(area.id) for area in areas], [str(group.id) for group in groups]


def preferences(**fields) -> dict:
    return {"max_hours_per_month": "", "lead_hours": "48", "paused_until": "", **fields}


def send_preferences(client, fields: dict):
    fields = {"csrf_token": csrf_of(client, "/volunteer/profile"), **fields}
    return client.post("/volunteer/profile", data=fields)


def test_a_volunteer_says_where_for_whom_what_and_how_much(volunteer, database, choices):
    areas, groups = choices
    soup = page(volunteer.get("/volunteer/profile"))
    assert soup.select_one("#f-lead_hours")["value"] == ""  # the network's lead time, named in the hint
    assert "Standard des Netzwerks (48 Stunden)" in soup.select_one("#f-lead_hours-hint").text
    assert [text_of(soup, f"label[for=f-task_kinds-{kind}]") for kind in ("setup", "children")] == [
        "Auf- und Abbau", "Kinderbetreuung"]
    response = send_preferences(volunteer, preferences(
        areas=areas[1], target_groups=groups, task_kinds=["catering", "children"], max_hours_per_month="6",
        lead_hours="24", paused_until="2027-06-30"))
    assert (response.status_code, response.headers["location"]) == (303, "/volunteer/profile")
    soup = page(volunteer.get("/volunteer/profile"))
    assert text_of(soup, ".flash") == "Ihre Wünsche zum Mithelfen sind gespeichert."
    assert [box["value"] for box in soup.select("form[action='/volunteer/profile'] input[type=checkbox][checked]")] == [
        areas[1], groups[0], "catering", "children"]
    numbers = ("max_hours_per_month", "lead_hours", "paused_until")
    assert [soup.select_one(f"#f-{name}")["value"] for name in numbers] == ["6", "24", "2027-06-30"]
    with database.session(write=False) as db:
        stored = db.scalar(select(Volunteer))
        assert (stored.task_kinds, stored.max_hours_per_month, stored.lead_hours) == ("catering,children", 6, 24)
        assert [area.name for area in stored.areas] == ["Zentrum"]


@pytest.mark.parametrize("fields, field, message", [
    ({"lead_hours": "-5"}, "lead_hours", "Bitte geben Sie zwischen 1 und 336 Stunden an."),
    ({"lead_hours": "0"}, "lead_hours", "Bitte geben Sie zwischen 1 und 336 Stunden an."),
    ({"lead_hours": "zwei Tage"}, "lead_hours", "Bitte geben Sie eine ganze Zahl an."),
    ({"max_hours_per_month": "201"}, "max_hours_per_month",
     "Bitte geben Sie zwischen 1 und 200 Stunden an oder lassen Sie das Feld leer."),
    ({"max_hours_per_month": "-3"}, "max_hours_per_month",
     "Bitte geben Sie zwischen 1 und 200 Stunden an oder lassen Sie das Feld leer."),
    ({"paused_until": "30.6."}, "paused_until", "Bitte geben Sie ein gültiges Datum an."),
    ({"paused_until": "2027-02-30"}, "paused_until", "Bitte geben Sie ein gültiges Datum an."),
    ({"areas": "999"}, "areas", "Bitte wählen Sie einen der angebotenen Werte."),
    ({"task_kinds": "zaubern"}, "task_kinds", "Bitte wählen Sie einen der angebotenen Werte."),
])
def test_bad_preferences_are_refused_next_to_the_field_keeping_what_was_typed(volunteer, database, choices, fields,
                                                                             field, message):
    response = send_preferences(volunteer, preferences(**{"max_hours_per_month": "8", **fields}))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, field) == message
    if field not in ("areas", "task_kinds"):
        assert soup.select_one(f"#f-{field}")["value"] == fields[field]
    assert soup.select_one("#f-max_hours_per_month")["value"] == fields.get("max_hours_per_month", "8")
    with database.session(write=False) as db:
        assert db.scalar(select(Volunteer.max_hours_per_month)) is None


def test_a_member_becomes_a_volunteer_by_saving_preferences(as_member, database, member):
    assert page(as_member.get("/volunteer/profile")).select_one("#f-lead_hours")["value"] == ""
    with database.session(write=False) as db:
        assert db.get(Volunteer, member.person_id) is None  # looking creates nothing
    assert send_preferences(as_member, preferences(lead_hours="72")).status_code == 303
    with database.session(write=False) as db:
        assert db.get(Volunteer, member.person_id).lead_hours == 72
    assert page(as_member.get("/volunteer/profile")).select_one("form[action='/volunteer/delete']") is None


# Whose address counts as confirmed (only confirmed addresses will be asked for help) -----------------------

def invited(database, settings, email="paula@example.org") -> str:
    """The coordinator invited Paula; returns the path of the link in her invitation mail."""
    with database.transaction() as db:
        _, token = invite_account(db, settings.secret_key, "Paula Planer", email, is_coordinator=False, language="de")
    return f"/invitation/{token}"


def accept(client, link):
    fields = {"password": "neues-passwort-1", "confirmation": "neues-passwort-1"}
    return client.post(link, data={"csrf_token": csrf_of(client, link), **fields})


def volunteer_row(database, email) -> Volunteer | None:
    with database.session(write=False) as db:
        return db.scalar(select(Volunteer).join(Volunteer.person).where(Person.email == email))


def test_a_member_who_accepted_the_invitation_counts_as_confirmed_when_saving_preferences(client, database,
                                                                                           settings):
    assert accept(client, invited(database, settings)).status_code == 303
    assert volunteer_row(database, "paula@example.org") is None  # a member is no volunteer until they say so
    assert send_preferences(client, preferences()).status_code == 303
    assert volunteer_row(database, "paula@example.org").email_confirmed_at is not None


def test_a_member_who_accepted_the_invitation_counts_as_confirmed_when_taking_a_shift(client, database, settings,
                                                                                       coordinator):
    with database.transaction() as db:
        boss = db.merge(coordinator.person)
        shift = make_shift(db, boss, make_event(db, boss, "Laternenumzug", "2027-11-11 17:00", "2027-11-11 19:00"),
                           starts="2027-11-11 16:00", ends="2027-11-11 17:00")
    accept(client, invited(database, settings))
    response = client.post(f"/shifts/{shift.id}/signup", data={"csrf_token": csrf_of(client, "/volunteer/profile")})
    assert response.status_code == 303
    assert volunteer_row(database, "paula@example.org").email_confirmed_at is not None


def test_accepting_the_invitation_confirms_the_address_of_someone_already_helping(database, settings):
    with database.transaction() as db:
        account, token = invite_account(db, settings.secret_key, "Paula Planer", "paula@example.org",
                                        is_coordinator=False, language="de")
        volunteer_of(db, account.person)
        link = find_invitation(db, settings.secret_key, token)
        accept_invitation(db, CHEAP_HASHER, link, "neues-passwort-1", "neues-passwort-1")
    assert volunteer_row(database, "paula@example.org").email_confirmed_at is not None


def test_a_volunteer_who_never_used_a_link_is_not_confirmed(client, database):
    register(client)
    ask_for_link(client, "hanna@example.org")
    assert volunteer_row(database, "hanna@example.org").email_confirmed_at is None
    with database.session(write=False) as db:
        account = db.scalar(select(Account).join(Person).where(Person.email == "hanna@example.org"))
        assert not address_confirmed(account)


def test_a_member_whose_invitation_is_still_open_is_not_confirmed(database, settings):
    invited(database, settings)
    with database.session(write=False) as db:
        account = db.scalar(select(Account).join(Person).where(Person.email == "paula@example.org"))
        assert not address_confirmed(account)


# Deleting the account --------------------------------------------------------------------------------------

@pytest.fixture
def helped(volunteer, database, coordinator):
    """Hanna gave two hours at last year's festival and holds the only place of a shift ahead, Ben waits for it."""
    with database.transaction() as db:
        boss = db.merge(coordinator.person)
        hanna = db.scalar(select(Person).where(Person.email == "hanna@example.org"))
        past = make_event(db, boss, "Frühjahrsputz", "2026-04-18 10:00", "2026-04-18 14:00")
        done = make_shift(db, boss, past, starts="2026-04-18 10:00", ends="2026-04-18 12:00")
        take_place(db, hanna, done, at("2026-04-01 09:00"))
        confirm_attendance(db, Actor(boss), done)
        ahead = make_event(db, boss, "Laternenumzug", "2027-11-11 17:00", "2027-11-11 19:00")
        soon = make_shift(db, boss, ahead, starts="2027-11-11 16:00", ends="2027-11-11 17:00", places=1)
        take_place(db, hanna, soon, utcnow())
        ben = create_person(db, "Ben Bauer", "ben@example.org")
        join_waiting_list(db, ben, soon, utcnow())
        return hanna.id


def test_deleting_needs_the_tick(volunteer, helped):
    response = volunteer.post("/volunteer/delete", data={"csrf_token": csrf_of(volunteer, "/volunteer/profile")})
    assert response.status_code == 422
    assert field_error(page(response), "confirm") == "Bitte bestätigen Sie, dass Ihr Konto gelöscht werden soll."


def test_a_volunteer_deletes_their_account_and_their_hours_stay_counted_without_their_name(volunteer, database,
                                                                                         helped):
    token = csrf_of(volunteer, "/volunteer/profile")
    response = volunteer.post("/volunteer/delete", data={"csrf_token": token, "confirm": "yes"})
    assert (response.status_code, response.headers["location"]) == (303, "/calendar")
    assert text_of(page(volunteer.get("/calendar")), ".flash") == "Ihr Konto ist gelöscht. Danke für Ihre Hilfe!"
    assert volunteer.get("/volunteer/profile").status_code == 303  # logged out
    with database.session(write=False) as db:
        person = db.get(Person, helped)
        assert (person.name, person.email) == ("Gelöschte Person", None)
        assert db.scalar(select(func.count(Account.id)).where(Account.person_id == helped)) == 0
        assert db.scalar(select(func.count(LoginLink.id))) == 0
        assert db.scalar(select(func.count(WebSession.id))) == 0
        assert db.get(Volunteer, helped) is None
        assert db.scalar(select(func.sum(Signup.minutes)).where(Signup.person_id == helped)) == 120
        ben = db.scalar(select(Signup).join(Person).where(Person.name == "Ben Bauer"))
        assert (ben.state, ben.slot) == ("taken", 1)
    assert mails(database)[-1].recipient == "ben@example.org"  # he moved up and is told so


def test_a_member_cannot_delete_their_account_here(as_member, database, member):
    token = csrf_of(as_member, "/volunteer/profile")
    assert as_member.post("/volunteer/delete", data={"csrf_token": token, "confirm": "yes"}).status_code == 403
    with database.session(write=False) as db:
        assert db.get(Person, member.person_id).email == "mitglied@example.org"


# What a volunteer does not see: internal events, contact persons ----------------------------------------------

@pytest.fixture
def internal(database, coordinator):
    """An internal members' event and a public one with a contact person and a shift with one, next year."""
    year = utcnow().year + 1
    with database.transaction() as db:
        boss = db.merge(coordinator.person)
        hidden = make_event(db, boss, "Klausur der Koordination", f"{year}-03-02 10:00", f"{year}-03-02 16:00",
                            visibility="internal")
        fest = make_event(db, boss, "Frühlingsfest", f"{year}-03-03 14:00", f"{year}-03-03 18:00", contact=boss)
        make_shift(db, boss, fest, starts=f"{year}-03-03 13:00", ends=f"{year}-03-03 14:00", contact=boss)
        return {"hidden": hidden.slug, "fest": fest.slug, "month": f"{year}-03", "year": str(year)}


def _calendar_texts(client, internal) -> list[str]:
    return [main_text(client.get(path)) for path in (
        "/calendar", f"/calendar/month?month={internal['month']}", f"/calendar/year?year={internal['year']}")]


def test_a_volunteer_sees_neither_internal_events_nor_contact_names(volunteer, internal):
    assert volunteer.get(f"/events/{internal['hidden']}").status_code == 404
    for text in _calendar_texts(volunteer, internal):
        assert "Klausur der Koordination" not in text
    assert "Frühlingsfest" in _calendar_texts(volunteer, internal)[1]
    fest = main_text(volunteer.get(f"/events/{internal['fest']}?date={internal['month']}-03"))
    assert "Aufbau" in fest and "Ansprechperson" not in fest and "Kim Koordination" not in fest


def test_a_member_still_sees_internal_events_and_contact_names(as_member, internal):
    assert as_member.get(f"/events/{internal['hidden']}").status_code == 200
    assert "Klausur der Koordination" in _calendar_texts(as_member, internal)[1]
    fest = main_text(as_member.get(f"/events/{internal['fest']}?date={internal['month']}-03"))
    assert "Ansprechperson" in fest and fest.count("Kim Koordination") >= 2  # the event's and the shift's


# A volunteer's own calendar link --------------------------------------------------------------------------------

def test_a_volunteer_creates_their_calendar_link_and_the_feed_shows_their_shift(volunteer, database, internal):
    with database.transaction() as db:
        hanna = db.scalar(select(Person).where(Person.email == "hanna@example.org"))
        shift = db.scalar(select(Shift))
        take_place(db, hanna, shift, utcnow())
    soup = page(volunteer.get("/volunteer/profile"))
    assert soup.select_one("#group-feeds-label") is None
    form = soup.select_one("form[action='/profile/feed-token']")
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    response = volunteer.post(form["action"], data=fields)
    assert (response.status_code, response.headers["location"]) == (303, "/volunteer/profile#feeds-heading")
    soup = page(volunteer.get("/volunteer/profile"))
    feed_url = soup.select_one("#personal-feed-url")["value"]
    assert soup.select_one("#group-feeds-label") is None
    feed = volunteer.get(feed_url.removeprefix("http://testserver"))
    assert feed.status_code == 200 and "Aufbau" in feed.text


def test_a_member_renewing_the_link_comes_back_to_their_profile(as_member):
    token = csrf_of(as_member, "/profile")
    response = as_member.post("/profile/feed-token", data={"csrf_token": token, "next": "https://evil.example/"})
    assert response.headers["location"] == "/profile#feeds-heading"


# Deleting leaves no trace of the address --------------------------------------------------------------------------

def test_after_deleting_no_mail_and_no_throttle_row_names_the_volunteer(volunteer, other_client, database, helped):
    ask_for_link(other_client, "hanna@example.org")
    token = csrf_of(volunteer, "/volunteer/profile")
    assert volunteer.post("/volunteer/delete", data={"csrf_token": token, "confirm": "yes"}).status_code == 303
    ask_for_link(other_client, "hanna@example.org")  # nothing goes out for a deleted address, but it is counted
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(LoginAttempt.id))) >= 2
        for row in db.scalars(select(LoginAttempt)):
            assert "hanna" not in row.email.lower()
        for mail in db.scalars(select(Mail)):
            assert "hanna" not in (mail.recipient + mail.subject + mail.body_text).lower()


# Registering never takes over a person the network already knows --------------------------------------------------

@pytest.mark.parametrize("who", ["group member", "coordinator"])
def test_registering_with_the_address_of_a_member_without_account_creates_no_account(client, database, who):
    with database.transaction() as db:
        person = create_person(db, "Gero Gruppe", "gero@example.org")
        if who == "coordinator":
            person.is_coordinator = True
        else:
            db.add(Membership(group=build_groups(db).working, person=person, role="member"))
    response = register(client, name="Eve Angreiferin", email="gero@example.org")
    assert response.status_code == 200
    assert text_of(page(response), "h1") == "Bitte schauen Sie in Ihr Postfach"
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(Account.id))) == 0
        assert db.scalar(select(Person).where(Person.email == "gero@example.org")).name == "Gero Gruppe"
    assert mails(database) == []


def test_a_contact_without_group_still_becomes_a_volunteer(client, database):
    with database.transaction() as db:
        create_person(db, "Clara Kontakt", "clara@example.org")
    register(client, name="Clara Kontakt", email="clara@example.org")
    assert [mail.recipient for mail in mails(database)] == ["clara@example.org"]


# A login link works once, even for two requests at the same moment ------------------------------------------------

def test_a_link_another_request_spent_meanwhile_logs_no_one_in(database):
    """SQLite serialises writers, so the race is staged: the link was read unused, then another request
    spends it before this one's UPDATE runs (on PostgreSQL both could have read it unused)."""
    with database.transaction() as db:
        account, _ = register_volunteer(db, "Hanna Helfer", "hanna@example.org", "de")
        issue_link(db, "geheim", account, "login")
    with database.transaction() as db:
        link = db.scalar(select(LoginLink))
        db.execute(update(LoginLink).values(used_at=utcnow()).execution_options(synchronize_session=False))
        assert link.used_at is None  # what this request read
        assert use_link(db, link) is None
    with database.transaction() as db:
        link = db.scalar(select(LoginLink))
        assert use_link(db, link) is None  # spent, also for a fresh read


def test_an_invitation_another_request_accepted_meanwhile_sets_no_second_password(database, settings):
    """Staged like the race above: the invitation was read unused, then another request accepted it."""
    with database.transaction() as db:
        _, token = invite_account(db, settings.secret_key, "Paula Planer", "paula@example.org",
                                  is_coordinator=False, language="de")
    with database.transaction() as db:
        link = find_invitation(db, settings.secret_key, token)
        db.execute(update(LoginLink).values(used_at=utcnow()).execution_options(synchronize_session=False))
        with pytest.raises(NotFound):
            accept_invitation(db, CHEAP_HASHER, link, "neues-passwort-1", "neues-passwort-1")
        assert link.account.password_hash is None
