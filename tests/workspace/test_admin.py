"""The coordinator's admin area: inviting people by mail, (de)activating accounts, the outbox."""

import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from support import PASSWORD, csrf_of, field_error, log_in, page, text_of
from workspace.models import Account, Mail, WebSession


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{port}"
    controller.stop()


@pytest.fixture
def client_with_smtp(client_with, smtp_server, coordinator):
    inbox, url = smtp_server
    client = client_with(smtp_url=url)
    log_in(client, coordinator.person.email)
    return client, inbox


def invite(client, **fields):
    data = {"name": "Paula Planer", "email": "paula@example.org", "role": "member", "language": "de", **fields}
    return client.post("/admin/users", data={"csrf_token": csrf_of(client, "/admin/users"), **data})


def test_invitation_is_sent_over_smtp_and_sets_a_password(client_with_smtp):
    client, inbox = client_with_smtp
    response = invite(client)
    assert response.status_code == 303
    [mail] = inbox.messages
    assert mail["To"] == "paula@example.org"
    assert mail["Subject"] == "Einladung in die Werkstadt der Präventionskette"
    body = mail.get_content()
    assert body.startswith("Guten Tag Paula Planer,")
    link = re.search(r"http://testserver(/invitation/\S+)", body).group(1)

    client.post("/logout", data={"csrf_token": csrf_of(client, "/profile")})
    form = page(client.get(link))
    assert text_of(form, "h1") == "Willkommen, Paula Planer"
    token = form.select_one("input[name=csrf_token]")["value"]
    response = client.post(link, data={"csrf_token": token, "password": "neues-passwort-1", "confirmation": "neues-passwort-1"})
    assert response.status_code == 303
    assert text_of(page(client.get("/")), "h1") == "Guten Tag, Paula Planer"
    assert client.get(link).status_code == 404  # single use


def test_rows_are_marked_sent(client_with_smtp, app):
    client, inbox = client_with_smtp
    invite(client)
    soup = page(client.get("/admin/outbox"))
    assert [text_of(row, "td:last-child") for row in soup.select("tbody tr")] == ["versendet"]


def test_without_smtp_the_invitation_waits_in_the_outbox(as_coordinator):
    assert invite(as_coordinator).status_code == 303
    soup = page(as_coordinator.get("/admin/outbox"))
    [row] = soup.select("tbody tr")
    assert [" ".join(cell.get_text().split()) for cell in row.select("td, th")][1:] == [
        "paula@example.org", "Einladung in die Werkstadt der Präventionskette", "im Postausgang"]
    mail = page(as_coordinator.get(row.select_one("a")["href"]))
    assert "/invitation/" in mail.select_one("pre.mail-body").get_text()


def test_invited_person_is_listed_as_invited(as_coordinator):
    invite(as_coordinator)
    soup = page(as_coordinator.get("/admin/users"))
    rows = {text_of(row, "th"): text_of(row, "td:nth-of-type(3)") for row in soup.select("tbody tr")}
    assert rows["Paula Planer"] == "eingeladen"


def test_invite_with_bad_input_keeps_what_was_typed(as_coordinator, database):
    response = invite(as_coordinator, name="", email="keine-adresse")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "name") == "Bitte geben Sie einen Namen an."
    assert field_error(soup, "email") == "Das ist keine gültige E-Mail-Adresse."
    assert soup.select_one("#f-email")["value"] == "keine-adresse"
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(Mail.id))) == 0


def test_invite_htmx_gets_only_the_form_back(as_coordinator):
    token = csrf_of(as_coordinator, "/admin/users")
    response = as_coordinator.post("/admin/users", data={"name": "P", "email": "koordination@example.org"},
                                   headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("form#invite_form") is not None and soup.select_one("main") is None
    assert field_error(soup, "email") == "Diese E-Mail-Adresse ist schon vergeben."


def test_invite_refuses_an_unknown_role(as_coordinator):
    response = invite(as_coordinator, role="kaiser")
    assert response.status_code == 422
    assert field_error(page(response), "role") == "Diese Rolle gibt es nicht."


def test_deactivation_ends_the_members_sessions(as_coordinator, other_client, member, database):
    member_client = other_client
    log_in(member_client, member.person.email)
    token = csrf_of(as_coordinator, "/admin/users")
    response = as_coordinator.post(f"/admin/users/{member.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 303
    assert member_client.get("/").status_code == 303  # back to the login
    assert log_in(member_client, member.person.email).status_code == 422
    with database.session(write=False) as db:
        assert db.scalar(select(func.count(WebSession.id)).where(WebSession.account_id == member.id)) == 0
        assert db.get(Account, member.id).is_active is False


def test_reactivated_member_can_log_in_again(as_coordinator, other_client, member):
    token = csrf_of(as_coordinator, "/admin/users")
    as_coordinator.post(f"/admin/users/{member.id}/deactivate", data={"csrf_token": token})
    as_coordinator.post(f"/admin/users/{member.id}/activate", data={"csrf_token": token})
    assert log_in(other_client, member.person.email, PASSWORD).status_code == 303
    assert text_of(page(other_client.get("/")), "h1") == "Guten Tag, Mira Mitglied"


def test_coordinator_cannot_deactivate_themselves(as_coordinator, coordinator, database):
    token = csrf_of(as_coordinator, "/admin/users")
    response = as_coordinator.post(f"/admin/users/{coordinator.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 403
    assert text_of(page(response), "h1") == "Kein Zugriff"
    with database.session(write=False) as db:
        assert db.get(Account, coordinator.id).is_active is True


def test_unknown_or_absurd_ids_are_404(as_coordinator):
    token = csrf_of(as_coordinator, "/admin/users")
    for response in (as_coordinator.post("/admin/users/999/deactivate", data={"csrf_token": token}),
                     as_coordinator.get("/admin/outbox/999"),
                     as_coordinator.get("/admin/outbox/99999999999999999999999999")):
        assert response.status_code == 404
        assert text_of(page(response), "h1") == "Seite nicht gefunden"


def test_invitation_can_be_sent_again_and_the_old_link_stops_working(as_coordinator, database):
    invite(as_coordinator)
    first_link = _links_in_outbox(database)[0]
    with database.session(write=False) as db:
        paula = db.scalars(select(Account).order_by(Account.id.desc())).first()
    token = csrf_of(as_coordinator, "/admin/users")
    response = as_coordinator.post(f"/admin/users/{paula.id}/invitation", data={"csrf_token": token})
    assert response.status_code == 303
    old, new = _links_in_outbox(database)
    assert old == first_link and new != old
    assert as_coordinator.get(old).status_code == 404
    assert text_of(page(as_coordinator.get(new)), "h1") == "Willkommen, Paula Planer"


def test_invitation_of_a_deactivated_account_does_not_work(as_coordinator, database):
    invite(as_coordinator)
    [link] = _links_in_outbox(database)
    with database.transaction() as db:
        db.scalars(select(Account).order_by(Account.id.desc())).first().is_active = False
    assert as_coordinator.get(link).status_code == 404


def _links_in_outbox(database) -> list[str]:
    with database.session(write=False) as db:
        bodies = db.scalars(select(Mail.body_text).order_by(Mail.id))
        return [re.search(r"http://testserver(/invitation/\S+)", body).group(1) for body in bodies]


def test_expired_or_unknown_invitation_is_404(client):
    response = client.get("/invitation/not-a-token")
    assert response.status_code == 404
    assert text_of(page(response), "h1") == "Seite nicht gefunden"
