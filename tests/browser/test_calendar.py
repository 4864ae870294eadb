"""The public calendar in a real browser: an anonymous visitor filters by area."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from calendar_world import make_event
from governance.models import Area, Person
from governance.times import today

pytestmark = pytest.mark.browser


def add_event(database, title: str, area_name: str, days: int) -> None:
    """An approved public event of the demo coordinator, `days` from today at 16:00."""
    day = (today() + timedelta(days=days)).isoformat()
    with database.transaction() as db:
        coordinator = db.scalar(select(Person).where(Person.email == "koordination@example.org"))
        area = db.scalar(select(Area).where(Area.name == area_name))
        make_event(db, coordinator, title, f"{day} 16:00", f"{day} 17:00", area=area)


def test_an_anonymous_visitor_filters_the_calendar_by_area(page: Page, live_database):
    add_event(live_database, "Spielplatzfest Löbstedt", "Löbstedt", 2)
    add_event(live_database, "Bücherflohmarkt Zwätzen", "Zwätzen", 3)
    page.goto("/calendar")
    results = page.locator("#calendar_results")
    expect(results.get_by_role("link", name="Bücherflohmarkt Zwätzen")).to_be_visible()

    page.get_by_role("group", name="Ortsteil").get_by_label("Löbstedt").check()
    page.get_by_role("button", name="Filtern").click()

    expect(page).to_have_url(re.compile(r"/calendar\?area=loebstedt$"))
    expect(results.get_by_role("link", name="Spielplatzfest Löbstedt")).to_be_visible()
    expect(results.get_by_role("link", name="Bücherflohmarkt Zwätzen")).to_have_count(0)
    entries = results.locator(".calendar-entry")
    expect(entries.locator(".calendar-entry__area")).to_have_count(entries.count())
    assert set(entries.locator(".calendar-entry__area").all_inner_texts()) == {"Löbstedt"}

    page.reload()  # the pushed URL is a whole page of its own
    expect(page.get_by_role("group", name="Ortsteil").get_by_label("Löbstedt")).to_be_checked()
    expect(page.get_by_role("link", name="Bücherflohmarkt Zwätzen")).to_have_count(0)
    expect(page.get_by_role("link", name="Spielplatzfest Löbstedt")).to_be_visible()
