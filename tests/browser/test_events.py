"""Events in a real browser: a member submits one, the coordinator approves it, the public then sees it."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from governance.times import today

pytestmark = pytest.mark.browser

MEMBER = "nord@example.org"
COORDINATOR = "koordination@example.org"
TITLE = "Vorlesefest im Nordpark"


def test_a_submitted_event_is_public_after_the_coordinator_approves_it(page: Page, log_in_as, browser: Browser,
                                                                       live_server: str):
    year = today().year + 1
    log_in_as(MEMBER)
    page.goto("/events/new")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Art", exact=True).select_option(label="Fest")
    page.get_by_label("Beginnt am").fill(f"{year}-06-13")
    page.get_by_label("Beginnt um").fill("15:00")
    page.get_by_label("Endet um").fill("14:00")
    page.get_by_label("Ort", exact=True).fill("Nordpark, an der Linde")
    page.get_by_role("button", name="Termin einreichen").click()
    expect(page.locator("#f-ends_at-error")).to_have_text("Das Ende liegt vor dem Beginn.")
    expect(page.get_by_label("Endet am")).to_be_focused()

    page.get_by_label("Endet um").fill("17:30")
    page.get_by_role("button", name="Termin einreichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_have_text("Der Termin ist eingereicht – er wartet auf Freigabe.")
    expect(page.locator("#event_review h2")).to_have_text("Freigabe: eingereicht")
    event_path = re.sub(r"^https?://[^/]+", "", page.url)

    anonymous = browser.new_context(base_url=live_server, locale="de-DE")
    try:
        visitor = anonymous.new_page()
        assert visitor.goto(event_path).status == 404

        page.get_by_role("button", name="Abmelden").click()
        log_in_as(COORDINATOR)
        page.goto("/events/review")
        queued = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=TITLE))
        queued.get_by_role("button", name="Freigeben").click()
        expect(page.get_by_role("status")).to_have_text("Der Termin ist freigegeben.")
        expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

        assert visitor.goto(event_path).status == 200
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(visitor.locator(".event-when")).to_contain_text("15:00–17:30 Uhr")
        expect(visitor.locator("dl.facts")).to_contain_text("Nordpark, an der Linde")
    finally:
        anonymous.close()
