"""Security promises every page keeps: CSRF on unsafe requests, strict headers, escaping."""

from support import csrf_of, page, text_of


def test_post_without_csrf_token_is_refused(client, member):
    client.get("/login")
    response = client.post("/login", data={"email": member.person.email, "password": "egal"})
    assert response.status_code == 403
    assert "Sicherheitsprüfung des Formulars ist fehlgeschlagen" in text_of(page(response), "main")


def test_post_with_a_foreign_token_is_refused(client, app, member):
    from starlette.testclient import TestClient

    other = TestClient(app, base_url="http://testserver")
    foreign_token = csrf_of(other)
    client.get("/login")
    response = client.post("/login", data={"csrf_token": foreign_token, "email": member.person.email})
    assert response.status_code == 403


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
    response = client.post("/login", data={"csrf_token": token, "email": member.person.email, "password": "x"},
                           headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


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


def test_secure_cookie_when_base_url_is_https(tmp_path, database_file):
    from conftest import make_settings
    from starlette.testclient import TestClient

    from workspace.app import create_app

    app = create_app(make_settings(tmp_path, database_file, base_url="https://werkstadt.example"))
    with TestClient(app, base_url="https://werkstadt.example") as client:
        cookie = client.get("/login").headers["set-cookie"]
    app.state.services.database.dispose()
    assert "Secure" in cookie and "HttpOnly" in cookie
