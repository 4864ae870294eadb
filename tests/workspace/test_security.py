"""Security promises every page keeps: CSRF on unsafe requests, strict headers, escaping."""

from sqlalchemy import delete

from support import PASSWORD, csrf_of, field_error, page, text_of


CSRF_MESSAGE = ("Die Sicherheitsprüfung des Formulars ist fehlgeschlagen. "
                "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.")


def test_post_without_csrf_token_is_refused(client, member):
    client.get("/login")
    response = client.post("/login", data={"email": member.person.email, "password": PASSWORD})
    assert response.status_code == 403
    assert text_of(page(response), "main p") == CSRF_MESSAGE
    assert "werkstadt_session=s." not in response.headers.get("set-cookie", "")


def test_post_with_a_foreign_token_is_refused(client, other_client, member):
    foreign_token = csrf_of(other_client)
    client.get("/login")
    response = client.post("/login", data={"csrf_token": foreign_token, "email": member.person.email,
                                           "password": PASSWORD})
    assert response.status_code == 403
    assert text_of(page(response), "main p") == CSRF_MESSAGE


def test_htmx_post_carries_the_token_in_a_header(as_coordinator, member):
    token = csrf_of(as_coordinator, "/admin/users")
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    response = as_coordinator.post(f"/admin/users/{member.id}/deactivate", headers=headers)
    assert response.status_code == 200
    assert "deaktiviert" in response.text


def test_htmx_post_without_header_token_is_refused(as_coordinator, member):
    response = as_coordinator.post(f"/admin/users/{member.id}/deactivate", headers={"HX-Request": "true"})
    assert response.status_code == 403


def test_cross_site_post_with_valid_token_is_refused(client, member):
    token = csrf_of(client)
    data = {"csrf_token": token, "email": member.person.email, "password": PASSWORD}
    response = client.post("/login", data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert text_of(page(response), "main p") == CSRF_MESSAGE


def test_origin_of_the_public_address_passes_behind_a_proxy(client_with, member):
    proxied = client_with(base_url="https://werkstadt.example")
    token = csrf_of(proxied)
    data = {"csrf_token": token, "email": member.person.email, "password": PASSWORD}
    response = proxied.post("/login", data=data, headers={"Origin": "https://werkstadt.example",
                                                           "Host": "127.0.0.1:8000"})
    assert response.status_code == 303


def test_a_form_from_an_ended_session_leads_to_the_login(as_member, database):
    from workspace.models import WebSession

    token = csrf_of(as_member, "/profile")
    with database.transaction() as db:
        db.execute(delete(WebSession))
    response = as_member.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/"
    assert text_of(page(as_member.get("/login")), ".flash") == (
        "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")


def test_control_characters_are_refused_next_to_the_field(client):
    token = csrf_of(client)
    response = client.post("/login", data={"csrf_token": token, "email": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 422
    assert field_error(page(response), "email") == "Die Eingabe enthält unzulässige Steuerzeichen."


def test_a_header_breaking_next_is_ignored(as_member):
    token = csrf_of(as_member, "/profile")
    response = as_member.post("/language", data={"csrf_token": token, "language": "de",
                                                 "next": "/x\r\nSet-Cookie: evil=1"},
                              headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["hx-redirect"] == "/"


def test_an_oversized_body_is_refused_before_reading(client):
    token = csrf_of(client)
    response = client.post("/login", content=b"csrf_token=" + token.encode() + b"&email=" + b"a" * 1_100_000,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 403  # without a readable token the form is refused as a whole
    assert text_of(page(response), "main p") == CSRF_MESSAGE


def test_every_response_has_the_security_headers(client):
    for path in ("/login", "/gibt-es-nicht", "/static/css/app.css", "/healthz"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_scripts_styles_or_handlers(as_coordinator):
    for path in ("/", "/profile", "/admin/users", "/admin/outbox", "/organisations", "/login"):
        soup = page(as_coordinator.get(path))
        assert soup.select("style") == []
        assert all(script.get("src") for script in soup.select("script"))
        for element in soup.find_all(True):
            assert "style" not in element.attrs
            assert not [name for name in element.attrs if name.startswith("on")], element.name


def test_user_text_is_escaped(as_coordinator, make_account):
    make_account("xss@example.org", "<script>alert(1)</script>")
    response = as_coordinator.get("/admin/users")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_secure_cookie_when_base_url_is_https(client_with):
    cookie = client_with(base_url="https://werkstadt.example").get("/login").headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
