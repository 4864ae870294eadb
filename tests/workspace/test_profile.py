"""The profile: changing the password ends the other sessions; bad input stays in place."""

from support import PASSWORD, csrf_of, field_error, log_in, page, text_of


def change(client, current=PASSWORD, new="ganz-neues-passwort", confirmation=None, htmx=False):
    token = csrf_of(client, "/profile")
    data = {"csrf_token": token, "current": current, "new": new,
            "confirmation": new if confirmation is None else confirmation}
    return client.post("/profile/password", data=data, headers={"HX-Request": "true"} if htmx else {})


def test_profile_shows_name_email_and_role(as_member):
    soup = page(as_member.get("/profile"))
    facts = [" ".join(dd.get_text().split()) for dd in soup.select("dl.facts dd")]
    assert facts == ["Mira Mitglied", "mitglied@example.org", "Mitglied"]


def test_password_change_ends_other_sessions_but_not_this_one(as_member, other_client, member):
    other = other_client
    log_in(other, member.person.email)
    assert change(as_member).status_code == 303
    assert text_of(page(as_member.get("/profile")), ".flash") == (
        "Ihr Passwort wurde geändert. Andere Sitzungen wurden beendet.")
    assert other.get("/profile").status_code == 303
    assert log_in(other, member.person.email, "ganz-neues-passwort").status_code == 303


def test_wrong_current_password(as_member):
    response = change(as_member, current="falsch-falsch")
    assert response.status_code == 422
    assert field_error(page(response), "current") == "Das bisherige Passwort ist nicht richtig."


def test_short_and_mismatched_passwords(as_member):
    assert field_error(page(change(as_member, new="kurz")), "new") == (
        "Das Passwort muss mindestens 10 Zeichen lang sein.")
    response = change(as_member, confirmation="etwas-anderes-1")
    assert field_error(page(response), "confirmation") == "Die beiden Passwörter stimmen nicht überein."


def test_htmx_change_returns_only_the_form(as_member):
    response = change(as_member, current="", htmx=True)
    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("form#password_form") is not None and soup.select_one("main") is None
    assert field_error(soup, "current") == "Bitte geben Sie Ihr bisheriges Passwort ein."
