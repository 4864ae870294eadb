"""Logging in and out: what a person sees for right and wrong input."""

from support import PASSWORD, csrf_of, field_error, log_in, page, text_of
from sqlalchemy import func, select

from workspace.models import LoginAttempt, WebSession


def test_login_page_is_german_with_labelled_fields(client):
    soup = page(client.get("/login"))
    assert soup.html["lang"] == "de"
    assert text_of(soup, "h1") == "Anmelden"
    assert text_of(soup, "label[for=f-email]") == "E-Mail-Adresse (Pflichtfeld)"
    assert text_of(soup, "label[for=f-password]") == "Passwort (Pflichtfeld)"


def test_member_logs_in_and_sees_the_dashboard(client, member):
    response = log_in(client, "Mitglied@Example.org ")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    soup = page(client.get("/"))
    assert text_of(soup, "h1") == "Guten Tag, Mira Mitglied"
    assert text_of(soup, ".flash") == "Sie sind angemeldet."


def test_session_cookie_is_httponly_and_lax(client, member):
    response = log_in(client, member.person.email)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("werkstadt_session=s.")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # BASE_URL is http in tests


def test_login_rotates_the_session_token(client, member):
    client.get("/login")
    before = client.cookies["werkstadt_session"]
    log_in(client, member.person.email)
    assert client.cookies["werkstadt_session"] != before


def test_wrong_password_is_refused_next_to_the_field(client, member, database):
    response = log_in(client, member.person.email, "falsches-passwort")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "password") == "E-Mail-Adresse oder Passwort ist nicht richtig."
    assert soup.select_one("#f-email")["value"] == member.person.email
    assert soup.select_one("#f-password")["value"] == ""
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(WebSession.id))) == 0


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    response = log_in(client, "niemand@example.org")
    assert response.status_code == 422
    assert field_error(page(response), "password") == "E-Mail-Adresse oder Passwort ist nicht richtig."


def test_empty_fields_are_named(client):
    response = client.post("/login", data={"csrf_token": csrf_of(client), "email": " ", "password": ""})
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "email") == "Bitte geben Sie Ihre E-Mail-Adresse an."
    assert field_error(soup, "password") == "Bitte geben Sie Ihr Passwort ein."


def test_overlong_input_is_refused_and_kept(client, database):
    long_text = "x" * 10_000
    response = client.post("/login", data={"csrf_token": csrf_of(client), "email": long_text, "password": long_text})
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "email") == "Die Eingabe ist zu lang (höchstens 254 Zeichen)."
    assert soup.select_one("#f-email")["value"] == long_text
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(LoginAttempt.id))) == 0


def test_overlong_password_is_refused(client, member):
    response = log_in(client, member.person.email, "p" * 10_000)
    assert response.status_code == 422
    assert field_error(page(response), "password") == "Das Passwort darf höchstens 1000 Zeichen lang sein."


def test_non_utf8_bytes_are_an_error_on_their_field(client):
    token = csrf_of(client)
    body = f"csrf_token={token}&email=a%FF%FEb%40example.org&password=x".encode()
    response = client.post("/login", content=body,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    assert field_error(page(response), "email") == "Die Eingabe enthält ungültige Zeichen (kein UTF-8)."


def test_raw_non_utf8_body_never_fails(client):
    token = csrf_of(client)
    body = b"csrf_token=" + token.encode() + b"&email=\xff\xfe&password=\xc3"
    response = client.post("/login", content=body,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "email") == "Die Eingabe enthält ungültige Zeichen (kein UTF-8)."
    assert field_error(soup, "password") == "Die Eingabe enthält ungültige Zeichen (kein UTF-8)."


def test_after_five_failures_the_account_waits(client, member, make_account):
    for _ in range(5):
        assert log_in(client, member.person.email, "falsch-falsch").status_code == 422
    response = log_in(client, member.person.email, PASSWORD)  # right password, still throttled
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in text_of(page(response), ".form-error")


def test_throttling_one_account_does_not_lock_out_another(client, member, make_account, app):
    other = make_account("andere@example.org", "Otto Anders")
    for _ in range(5):
        log_in(client, member.person.email, "falsch-falsch")
    with_other_address = _client_from(app, "10.0.0.7")
    assert log_in(with_other_address, other.person.email).status_code == 303


def test_throttling_counts_per_address_across_accounts(app, make_account):
    target = make_account("ziel@example.org", "Zora Ziel")
    attacker = _client_from(app, "192.0.2.1")
    for number in range(5):
        log_in(attacker, f"rate{number}@example.org", "falsch-falsch")
    assert log_in(attacker, target.person.email).status_code == 429
    assert log_in(_client_from(app, "192.0.2.2"), target.person.email).status_code == 303


def _client_from(app, address: str):
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://testserver", follow_redirects=False, client=(address, 50000))


def test_logout_ends_the_session_on_the_server(as_member, database):
    cookie = as_member.cookies["werkstadt_session"]
    token = csrf_of(as_member, "/profile")
    response = as_member.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(WebSession.id))) == 0
    as_member.cookies.set("werkstadt_session", cookie)  # replaying the old cookie does not help
    assert as_member.get("/profile").status_code == 303


def test_next_parameter_only_leads_to_this_site(client, member):
    token = csrf_of(client)
    data = {"csrf_token": token, "email": member.person.email, "password": PASSWORD}
    response = client.post("/login", data={**data, "next": "//evil.example/"})
    assert response.headers["location"] == "/"


def test_member_pages_send_anonymous_visitors_to_login(client):
    response = client.get("/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/profile"
