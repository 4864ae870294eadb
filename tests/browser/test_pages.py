"""What a person sees in a real browser: login, htmx swaps in place, language switch, CSP, keyboard use."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser

COORDINATOR = "koordination@example.org"


def mark_page(page: Page) -> None:
    """A marker on `window` that only a full page load can remove."""
    page.evaluate("window.__marker = 1")


def expect_no_reload(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def test_coordinator_logs_in_sees_dashboard_and_logs_out(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    page.get_by_label("E-Mail-Adresse").fill(COORDINATOR)
    page.get_by_label("Passwort").fill("werkstadt-demo")
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Guten Tag, Netzwerkkoordinatorin Präventionskette")
    expect(page.get_by_role("heading", name="Präventionskette Jena – Gelingendes Aufwachsen für alle Kinder")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Sie sind angemeldet.")

    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_role("status")).to_have_text("Sie sind abgemeldet.")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))


def invite(page: Page, name: str, email: str) -> None:
    form = page.locator("#invite_form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("E-Mail-Adresse").fill(email)
    form.get_by_role("button", name="Einladung senden").click()


def test_invite_form_shows_errors_in_place_without_reload(page: Page, log_in_as):
    log_in_as(COORDINATOR)
    page.goto("/admin/users")
    mark_page(page)
    invite(page, "", "keine-adresse")

    expect(page.locator("#f-name-error")).to_have_text("Bitte geben Sie einen Namen an.")
    expect(page.locator("#f-email-error")).to_have_text("Das ist keine gültige E-Mail-Adresse.")
    expect(page.get_by_label("E-Mail-Adresse")).to_have_attribute("aria-describedby", "f-email-error")
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value("keine-adresse")
    expect_no_reload(page)

    invite(page, "Paula Planer", "paula@example.org")
    expect(page.get_by_role("status")).to_have_text("Die Einladung wurde verschickt.")
    expect(page.get_by_role("row", name=re.compile("^Paula Planer"))).to_contain_text("eingeladen")

    page.goto("/admin/outbox")
    mail = page.get_by_role("row", name=re.compile("paula@example.org"))
    expect(mail).to_contain_text("Einladung in die Werkstadt der Präventionskette")


def test_deactivate_swaps_the_row_in_place(page: Page, log_in_as):
    log_in_as(COORDINATOR)
    page.goto("/admin/users")
    mark_page(page)
    page.get_by_role("button", name="Deaktivieren: Jugendhilfeplanerin", exact=True).click()

    row = page.get_by_role("row", name=re.compile("^Jugendhilfeplanerin"))
    expect(row.get_by_role("button", name="Aktivieren: Jugendhilfeplanerin", exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="deaktiviert", exact=True)).to_be_visible()
    expect_no_reload(page)


def test_language_switch_to_english_and_back(page: Page):
    page.goto("/login")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "de")
    page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Deutsch")).not_to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="Deutsch").click()
    expect(html).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_role("button", name="Deutsch")).to_have_attribute("aria-pressed", "true")


def test_no_console_errors_or_csp_violations(page: Page, log_in_as):
    errors: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.location['url']}: {message.text}")

    page.on("console", collect)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_as(COORDINATOR)
    for path in ("/", "/profile", "/admin/users", "/admin/outbox", "/organisations"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.htmx") == "object", f"htmx is not loaded on {path}"
    assert errors == []


def test_keyboard_only_login(page: Page):
    page.goto("/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()
    page.keyboard.type("nord@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Passwort")).to_be_focused()
    page.keyboard.type("werkstadt-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guten Tag, Ortsteilbürgermeister Jena-Nord")
