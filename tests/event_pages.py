"""Shared by the tests of the event pages: who is who, events made through the domain, the form as sent."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from calendar_world import make_event
from calendars.models import Event
from calendars.recurrence import Recurrence
from governance.models import Group, Person
from governance.times import today
from networks import network_with
from support import as_person, page

NEXT_YEAR = today().year + 1
# A Wednesday some weeks ahead, so that a weekly series' first dates are all still to come.
WEDNESDAY = today() + timedelta(days=(2 - today().weekday()) % 7 + 28)
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
EMAILS = {"coordinator": "koordination@example.org", "chair": "nord@example.org",
          "submitter": "mitglied@example.org", "outsider": "planung@example.org"}


@pytest.fixture
def groups(database, make_account, coordinator, member):
    """Otto chairs the working group NN; Paula chairs the planning group (no events to moderate); Mira submits."""
    chair = make_account(EMAILS["chair"], "Otto Ortsteil")
    outsider = make_account(EMAILS["outsider"], "Paula Planung")
    return network_with(database, ((chair, "working", "chair"), (outsider, "planning", "chair")))


@pytest.fixture
def browser_as(app, groups):
    """A new browser (own cookies), logged in as the given role, or anonymous for None."""

    def make(role: str | None) -> TestClient:
        browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
        return as_person(browser, EMAILS[role]) if role else browser

    return make


@pytest.fixture
def given(database, groups):
    """An event made through the domain by `role` (the coordinator's is approved at once)."""

    def make(role: str, title: str, starts: str, ends: str, group: Group | None = None, **fields) -> Event:
        with database.transaction() as db:
            person = db.scalar(select(Person).where(Person.email == EMAILS[role]))
            return make_event(db, person, title, starts, ends, group=db.merge(group) if group else None, **fields)

    return make


def weekly(first: date = WEDNESDAY, **fields) -> dict:
    """Arguments for `given`: a weekly lunch at 12:00 from `first`."""
    return {"starts": f"{first} 12:00", "ends": f"{first} 13:00", "recurrence": Recurrence("weekly"), **fields}


def event_form(**fields) -> dict:
    """The event form as a browser sends it, with only the title, kind and time filled in."""
    return {"title": "Kinderfest am Nordplatz", "kind": "festival", "start_date": f"{NEXT_YEAR}-06-13",
            "start_time": "14:00", "end_date": "", "end_time": "18:00", "frequency": "", "repeat_interval": "1",
            "repeat_on": "date", "repeat_until": "", "repeat_count": "", "description": "", "place": "Nordplatz",
            "online_url": "", "area": "", "organiser": "", "contact": "", "group": "", "visibility": "public",
            "status": "confirmed", "help_needed": "", **fields}


def dates_listed(response) -> list[str]:
    """The dates of a series as its page lists them, each line's words."""
    return [" ".join(item.get_text().split()) for item in page(response).select(".event-dates li")]
