"""A volunteer in a real browser: logs in by a one-time link, takes a place on the event page without the
page reloading, and gives it back on "Meine Schichten"."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from calendar_world import make_event
from calendars.shifts import ShiftDraft, add_shift
from governance.models import Person
from governance.permissions import Actor
from governance.times import from_berlin, today
from workspace.auth import create_account
from workspace.volunteer_links import issue_link

pytestmark = pytest.mark.browser

COORDINATOR = "koordination@example.org"
SECRET_KEY = "test-secret-key"  # the live server's


def test_a_volunteer_takes_a_place_without_a_reload_and_cancels_it_on_my_shifts(page: Page, live_database):
    day = today() + timedelta(days=40)
    with live_database.transaction() as db:
        coordinator = db.scalar(select(Person).where(Person.email == COORDINATOR))
        event = make_event(db, coordinator, "Hoffest am Nordplatz", f"{day} 11:00", f"{day} 18:00", kind="festival")
        shift = add_shift(db, Actor(coordinator), event, day, ShiftDraft(
            "Waffelstand", "catering", from_berlin(datetime.fromisoformat(f"{day} 12:00")),
            from_berlin(datetime.fromisoformat(f"{day} 14:00")), 2))
        volunteer = create_account(db, "Vera Freiwillig", "vera@example.org", kind="volunteer")
        token = issue_link(db, SECRET_KEY, volunteer, "login")
        event_path, shift_id = f"/events/{event.slug}?date={day}", shift.id

    page.goto(f"/login/link/{token}")
    page.get_by_role("button", name="Jetzt anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Schichten")

    page.goto(event_path)
    block = page.locator(f"#shift_row-{shift_id}")
    expect(block.locator(".shift__places")).to_have_text("0 von 2 Plätzen belegt – noch 2 frei")
    address = page.url
    page.evaluate("window.stillTheSamePage = true")  # gone if the page reloads
    block.get_by_role("button", name="Ich helfe mit").click()
    expect(block.get_by_role("status")).to_have_text("Danke! Sie sind eingetragen.")
    expect(block.locator(".shift__places")).to_have_text("1 von 2 Plätzen belegt – noch 1 frei")
    assert page.url == address
    assert page.evaluate("window.stillTheSamePage") is True

    page.goto("/shifts/mine")
    mine = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Waffelstand"))
    expect(mine).to_contain_text("Sie sind eingetragen.")
    mine.get_by_role("button", name="Absagen").click()
    expect(page.get_by_role("status")).to_have_text("Ihre Zusage ist zurückgenommen.")
    expect(page.locator("main")).to_contain_text("Sie haben zurzeit keine Schichten übernommen.")
    page.goto(event_path)
    expect(page.locator(f"#shift_row-{shift_id} .shift__places")).to_have_text(
        "0 von 2 Plätzen belegt – noch 2 frei")
