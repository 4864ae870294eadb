"""The shell every page shares, error pages in German, the health check, the language switch."""

from sqlalchemy import text

from support import csrf_of, page, text_of


def test_layout_has_landmarks_and_skip_link(as_member):
    soup = page(as_member.get("/"))
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#main" and text_of(soup, "a.skip-link") == "Zum Inhalt springen"
    assert soup.select_one("main#main") is not None
    assert soup.select_one("header") is not None and soup.select_one("footer") is not None
    labels = [nav["aria-label"] for nav in soup.select("header nav")]
    assert labels == ["Hauptnavigation", "Konto"]


def test_navigation_names_the_areas(as_member):
    soup = page(as_member.get("/"))
    items = [" ".join(li.get_text().split()) for li in soup.select("nav[aria-label=Hauptnavigation] li")]
    assert items == ["Übersicht", "Gremien", "Sitzungen", "Beschlüsse", "Meine Aufgaben",
                     "Meilensteine", "Stadtteilkalender", "Helferschichten", "Akteure"]


def test_member_sees_no_admin_link(as_member):
    assert page(as_member.get("/")).select_one("a[href='/admin/users']") is None
    assert [a.get_text() for a in page(as_member.get("/")).select("nav[aria-label=Konto] a")] == ["Mira Mitglied"]


def test_coordinator_sees_admin_link(as_coordinator):
    assert text_of(page(as_coordinator.get("/")), "a[href='/admin/users']") == "Verwaltung"


def test_unknown_page_is_404_in_german(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    soup = page(response)
    assert soup.html["lang"] == "de"
    assert text_of(soup, "h1") == "Seite nicht gefunden"


def test_unknown_page_keeps_the_logged_in_navigation(as_member):
    soup = page(as_member.get("/gibt-es-nicht"))
    assert text_of(soup, "nav[aria-label=Konto] a") == "Mira Mitglied"


def test_wrong_method_is_a_german_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert text_of(page(response), "h1") == "Nicht möglich"


def test_member_cannot_open_the_admin_area(as_member):
    for path in ("/admin", "/admin/users", "/admin/outbox"):
        response = as_member.get(path)
        assert response.status_code == 403
        assert text_of(page(response), "h1") == "Kein Zugriff"


def test_healthz_says_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"
    assert "set-cookie" not in response.headers


def test_healthz_says_503_when_the_database_is_gone(client_with, tmp_path):
    missing = tmp_path / "no-such-folder" / "sub"
    client = client_with(database_url=f"sqlite:///{missing / 'db.sqlite'}")
    missing.rmdir()  # the engine created the folder; without it SQLite cannot open the file
    response = client.get("/healthz")
    assert response.status_code == 503 and response.text == "database unavailable"


def test_healthz_says_503_on_an_unmigrated_database(client_with, tmp_path):
    response = client_with(database_url=f"sqlite:///{tmp_path / 'empty.db'}").get("/healthz")
    assert response.status_code == 503


def test_a_first_visit_to_an_unknown_page_gets_a_usable_language_switch(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert response.headers["set-cookie"].startswith("werkstadt_session=a.")
    token = page(response).select_one("footer input[name=csrf_token]")["value"]
    switched = client.post("/language", data={"csrf_token": token, "language": "en", "next": "/login"})
    assert switched.status_code == 303


def test_language_switch_to_english_for_a_visitor(client):
    token = csrf_of(client)
    response = client.post("/language", data={"csrf_token": token, "language": "en", "next": "/login"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    soup = page(client.get("/login"))
    assert soup.html["lang"] == "en"
    assert text_of(soup, "h1") == "Log in"
    assert text_of(soup, "a.skip-link") == "Skip to content"


def test_language_choice_is_kept_on_the_account(as_member, database, member):
    from workspace.models import Account

    token = csrf_of(as_member, "/profile")
    as_member.post("/language", data={"csrf_token": token, "language": "en", "next": "/profile"})
    assert text_of(page(as_member.get("/profile")), "h1") == "My profile"
    with database.session(write=False) as db:
        assert db.get(Account, member.id).language == "en"


def test_unknown_language_is_refused(client):
    token = csrf_of(client)
    response = client.post("/language", data={"csrf_token": token, "language": "xx"})
    assert response.status_code == 422
    assert "Diese Sprache gibt es nicht." in text_of(page(response), ".form-error")


def test_dashboard_shows_the_programme(as_member, database):
    from datetime import date

    from governance.programmes import add_focus, create_programme

    with database.transaction() as db:
        programme = create_programme(db, "Präventionskette Jena", date(2022, 9, 1), date(2025, 12, 31))
        add_focus(db, programme, 1, "Wirkungsorientierung")
    soup = page(as_member.get("/"))
    assert text_of(soup, "main h1 + p") == "Präventionskette Jena · Laufzeit: 01.09.2022 – 31.12.2025"


def test_database_answers_sqlite_pragmas(database):
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_an_internal_error_shows_a_german_page_and_no_details(app):
    from starlette.routing import Route
    from starlette.testclient import TestClient

    def broken(request):
        raise RuntimeError("geheimes Detail")

    app.router.routes.append(Route("/kaputt", broken))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/kaputt")
    assert response.status_code == 500
    soup = page(response)
    assert text_of(soup, "h1") == "Interner Fehler"
    assert "geheimes Detail" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_clash_found_only_at_commit_is_a_409_page_not_a_500(app, as_member):
    """Say two requests create the same unique row at once: the later commit fails, the page says why."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from governance.models import Area
    from workspace.access import MEMBER
    from workspace.endpoints import endpoint

    @endpoint(MEMBER)
    def add_twice(call):
        call.db.add_all([Area(name="Löbstedt", slug="a"), Area(name="Löbstedt", slug="b")])
        return PlainTextResponse("gespeichert")

    app.router.routes.append(Route("/doppelt", add_twice, methods=["POST"]))
    response = as_member.post("/doppelt", data={"csrf_token": csrf_of(as_member, "/profile")})
    assert response.status_code == 409
    assert text_of(page(response), "h1") == "Gleichzeitige Änderung"
