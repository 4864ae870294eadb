"""Volunteers in a real browser: log in by a one-time link, take a place on the event page without the
page reloading, give it back on "Meine Schichten", and move up from the waiting list."""

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from calendar_world import make_event
from calendars.shifts import ShiftDraft, add_shift
from calendars.signups import take_place
from governance.base import utcnow
from governance.models import Person
from governance.permissions import Actor
from governance.times import from_berlin, today
from workspace.auth import create_account
from workspace.links import issue_link

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


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[Callable[[], Page]]:
    """One more browser (its own cookies) for each person of a test that needs several at once."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server, locale="de-DE")
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in_by_link(page: Page, token: str) -> None:
    page.goto(f"/login/link/{token}")
    page.get_by_role("button", name="Jetzt anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Schichten")


def test_a_place_given_back_goes_to_the_one_waiting_who_sees_it_and_gets_a_mail(page: Page, new_page, log_in_as,
                                                                                  live_database):
    day = today() + timedelta(days=40)
    with live_database.transaction() as db:
        coordinator = db.scalar(select(Person).where(Person.email == COORDINATOR))
        event = make_event(db, coordinator, "Hoffest am Nordplatz", f"{day} 11:00", f"{day} 18:00", kind="festival")
        shift = add_shift(db, Actor(coordinator), event, day, ShiftDraft(
            "Waffelstand", "catering", from_berlin(datetime.fromisoformat(f"{day} 12:00")),
            from_berlin(datetime.fromisoformat(f"{day} 14:00")), 1))
        anna = create_account(db, "Anna Aufbau", "anna@example.org", kind="volunteer")
        ben = create_account(db, "Ben Bauer", "ben@example.org", kind="volunteer")
        take_place(db, anna.person, shift, utcnow())
        anna_token, ben_token = (issue_link(db, SECRET_KEY, account, "login") for account in (anna, ben))
        event_path, shift_id = f"/events/{event.slug}?date={day}", shift.id

    ben_sees = new_page()
    log_in_by_link(ben_sees, ben_token)
    ben_sees.goto(event_path)
    block = ben_sees.locator(f"#shift_row-{shift_id}")
    expect(block.locator(".shift__places")).to_have_text("1 von 1 Platz belegt – voll")
    ben_sees.evaluate("window.stillTheSamePage = true")  # gone if the page reloads
    block.get_by_role("button", name="Auf die Warteliste").click()
    expect(block.get_by_role("status")).to_have_text(
        "Sie stehen auf der Warteliste. Wir schreiben Ihnen, sobald ein Platz frei wird.")
    expect(block.locator(".shift__places")).to_have_text("1 von 1 Platz belegt – voll · 1 Person auf der Warteliste")
    assert ben_sees.evaluate("window.stillTheSamePage") is True

    anna_sees = new_page()
    log_in_by_link(anna_sees, anna_token)
    held = anna_sees.get_by_role("listitem").filter(has=anna_sees.get_by_role("link", name="Waffelstand"))
    expect(held).to_contain_text("Sie sind eingetragen.")
    held.get_by_role("button", name="Absagen").click()
    expect(anna_sees.get_by_role("status")).to_have_text("Ihre Zusage ist zurückgenommen.")
    expect(anna_sees.locator("main")).to_contain_text("Sie haben zurzeit keine Schichten übernommen.")

    ben_sees.goto("/shifts/mine")
    moved_up = ben_sees.get_by_role("listitem").filter(has=ben_sees.get_by_role("link", name="Waffelstand"))
    expect(moved_up.locator(".my-shift__state")).to_have_text("Sie sind eingetragen.")
    expect(moved_up.get_by_role("button", name=re.compile("^Absagen"))).to_be_visible()

    log_in_as(COORDINATOR)
    page.goto("/admin/outbox")
    mail = page.get_by_role("row", name=re.compile("ben@example.org"))
    expect(mail).to_have_count(1)
    subject = "Ein Platz ist frei geworden: Waffelstand – Hoffest am Nordplatz"
    expect(mail.get_by_role("rowheader")).to_have_text(subject)
    expect(mail).to_contain_text("im Postausgang")
    mail.get_by_role("link", name=subject).click()
    expect(page.locator(".mail-body")).to_contain_text("Guten Tag Ben Bauer,")
    expect(page.locator(".mail-body")).to_contain_text(f"/shifts/{shift_id}")
