"""Shared by the tests of the shift pages: who is who, an approved festival with shifts made through the
domain, browsers logged in as each, and forms sent as the pages send them (volunteers have no /profile)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from calendar_world import make_event
from calendars.events import review_event
from calendars.models import Event, Shift, Signup
from calendars.shifts import ShiftDraft, add_shift
from calendars.signups import join_waiting_list, take_place
from governance.base import utcnow
from governance.models import Person
from governance.organisations import create_area
from governance.permissions import Actor
from governance.times import from_berlin, today
from networks import network_with
from support import as_person, page

SOON = today() + timedelta(days=30)
LATER = today() + timedelta(days=45)
EMAILS = {"coordinator": "koordination@example.org", "organiser": "mitglied@example.org",
          "member": "planung@example.org", "volunteer": "helfer@example.org", "second": "zweite@example.org"}
NAMES = {"volunteer": "Hanna Helfer", "second": "Zora Zweite"}


@pytest.fixture
def people(database, make_account, coordinator, member):
    """Mira (the organiser: she submits the festival), Paula (a member in another group), two volunteers."""
    paula = make_account(EMAILS["member"], "Paula Planung")
    for role, name in NAMES.items():
        make_account(EMAILS[role], name, kind="volunteer")
    return network_with(database, ((paula, "planning", "chair"),))


@pytest.fixture
def visitor(app, people):
    """A new browser (own cookies), logged in as the given role, or anonymous for None."""

    def make(role: str | None) -> TestClient:
        browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
        return as_person(browser, EMAILS[role]) if role else browser

    return make


def person(db, role: str) -> Person:
    return db.scalar(select(Person).where(Person.email == EMAILS[role]))


def at(day: date, clock: str) -> datetime:
    return from_berlin(datetime.fromisoformat(f"{day} {clock}"))


@dataclass(frozen=True)
class Festival:
    event: Event
    day: date
    cake: Shift  # Kuchenstand 14–16, two places
    setup: Shift  # Aufbau 10–12, one place

    @property
    def path(self) -> str:
        return f"/events/{self.event.slug}?date={self.day}"


@pytest.fixture
def festival(database, people) -> Festival:
    """Mira's Stadtteilfest in Nord on SOON, approved, with a cake stand (2 places) and the setup (1 place)."""
    return make_festival(database, "Stadtteilfest", SOON)


def make_festival(database, title: str, day: date, area: str = "Nord", **fields) -> Festival:
    with database.transaction() as db:
        organiser = person(db, "organiser")
        event = make_event(db, organiser, title, f"{day} 10:00", f"{day} 20:00", kind="festival",
                           place="Nordplatz", area=create_area(db, area), **fields)
        review_event(db, Actor(person(db, "coordinator")), event, True)
        cake = add_shift(db, Actor(organiser), event, day, ShiftDraft(
            "Kuchenstand", "catering", at(day, "14:00"), at(day, "16:00"), 2, notes="Bitte Kuchen mitbringen.",
            contact=organiser))
        setup = add_shift(db, Actor(organiser), event, day, ShiftDraft(
            "Aufbau", "setup", at(day, "10:00"), at(day, "12:00"), 1))
    return Festival(event, day, cake, setup)


def sign_up(database, role: str, shift: Shift, waiting: bool = False) -> Signup:
    """A sign-up made through the domain, as if the person had pressed the button earlier."""
    with database.transaction() as db:
        operation = join_waiting_list if waiting else take_place
        return operation(db, person(db, role), db.merge(shift), utcnow())


def csrf(client: TestClient) -> str:
    """The page token any visitor gets (/shifts is public; a volunteer has no /profile)."""
    return page(client.get("/shifts")).select_one("input[name=csrf_token]")["value"]


def send(client: TestClient, path: str, htmx: bool = False, **fields):
    """A form sent as the page sends it: with its hidden token, and by htmx also with the token header."""
    token = csrf(client)
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else None
    return client.post(path, data={"csrf_token": token, **fields}, headers=headers)


def words(node) -> str:
    return " ".join(node.get_text().split())


def card(response, shift: Shift):
    """The shift's block as the page (or an htmx answer) shows it."""
    return page(response).select_one(f"#shift_row-{shift.id}")
