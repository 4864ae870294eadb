"""The milestone plan in a real browser: planning a milestone that depends on another, marking it done in
place, and the plan saying so; a due date outside the programme asks for a confirmation first."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from governance.times import today

pytestmark = pytest.mark.browser

COORDINATOR = "koordination@example.org"
SURVEY = "Adressat*innen-Beteiligung nachgeholt: Familienbefragung Jena-Nord"


def due_within_the_programme() -> str:
    return min(today() + timedelta(days=60), date(2027, 12, 31)).isoformat()


def focus_progress(page: Page) -> str:
    """What the dashboard says of focus 2 ("reached of all")."""
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Übersicht").click()
    row = page.get_by_role("row", name=re.compile("^2. Abbau von Barrieren"))
    return row.get_by_role("link").inner_text()


def test_plan_a_milestone_with_a_dependency_mark_it_done_and_see_the_plan_change(page: Page, log_in_as):
    log_in_as(COORDINATOR)
    before = focus_progress(page)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Meilensteine").click()
    page.get_by_role("link", name="Meilenstein anlegen").click()
    page.get_by_label("Titel").fill("Ergebnisse der Familienbefragung vorgestellt")
    page.get_by_label("Fällig am").fill(due_within_the_programme())
    page.get_by_label("Themenschwerpunkt").select_option(label="2. Abbau von Barrieren im Leistungsbezug")
    page.get_by_label("Hängt ab von").select_option(label=SURVEY)
    page.get_by_role("button", name="Speichern").click()

    expect(page.get_by_role("status")).to_have_text("Der Meilenstein ist angelegt.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnisse der Familienbefragung vorgestellt")
    expect(page.locator("[aria-labelledby=prerequisites-heading]")).to_contain_text(SURVEY)
    expect(page.get_by_role("heading", name=re.compile("^Stand:"))).to_have_text("Stand: ○ geplant")

    page.evaluate("window.__marker = 1")
    page.get_by_label("Neuer Status").select_option(label="erreicht")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.get_by_role("heading", name=re.compile("^Stand:"))).to_have_text("Stand: ✓ erreicht")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    page.get_by_role("link", name="Meilensteinplan").click()
    row = page.locator(".timeline__rows li", has_text="Ergebnisse der Familienbefragung vorgestellt")
    expect(row.locator(".standing")).to_have_text("✓ erreicht")
    expect(row).to_contain_text(f"hängt ab von: {SURVEY}")
    page.get_by_label("Stand").select_option(label="erreicht")
    page.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"status=done"))
    expect(page.locator(".timeline__rows li", has_text="Ergebnisse der Familienbefragung vorgestellt")).to_be_visible()

    done, total = map(int, re.match(r"(\d+) von (\d+)", before).groups())
    assert focus_progress(page) == f"{done + 1} von {total + 1}"  # the dashboard counts it as reached


def test_a_due_date_outside_the_programme_needs_a_confirmation(page: Page, log_in_as):
    log_in_as(COORDINATOR)
    page.goto("/milestones/new")
    page.get_by_label("Titel").fill("Nachbereitung nach dem Programmende")
    page.get_by_label("Fällig am").fill("2028-06-30")
    page.get_by_role("button", name="Speichern").click()
    confirm = page.get_by_label("Ja, dieses Datum außerhalb der Programmlaufzeit soll gelten.")
    expect(page.locator("#f-confirm_outside-error")).to_contain_text("außerhalb der Programmlaufzeit")
    expect(page.get_by_label("Titel")).to_have_value("Nachbereitung nach dem Programmende")
    confirm.check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_have_text("Der Meilenstein ist angelegt.")
    expect(page.locator("dl.facts")).to_contain_text("30.06.2028")


def test_plan_pages_raise_no_console_errors_or_csp_violations(page: Page, log_in_as):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_as(COORDINATOR)
    page.goto("/milestones")
    milestone = page.locator(".timeline__rows a").first.get_attribute("href")
    for path in ("/milestones", "/milestones?view=table", "/milestones/print", milestone, "/programme"):
        page.goto(path)
        page.wait_for_load_state("load")
    page.goto(milestone)
    page.get_by_label("Was wird gemessen?").fill("Teilnehmende Familien")
    page.get_by_label("Zielwert").fill("40")
    page.get_by_label("Aktueller Wert").fill("12,5")
    page.get_by_role("button", name="Indikator hinzufügen").click()
    expect(page.locator("#milestone_indicators tbody tr")).to_contain_text("12,5")
    assert errors == []
