"""A newcomer in a real browser: registers to help, opens the confirmation link from the mail, confirms,
lands on "Meine Schichten" with the volunteer's navigation, and later logs in again by a one-time link."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from workspace.models import Mail

pytestmark = pytest.mark.browser


def last_link_to(live_database, recipient: str) -> str:
    with live_database.session(write=False) as db:
        body = db.scalar(select(Mail.body_text).where(Mail.recipient == recipient).order_by(Mail.id.desc()))
    return re.search(r"https?://\S+", body).group(0)


def test_a_newcomer_registers_confirms_and_lands_on_their_shifts(page: Page, live_database):
    page.goto("/login")
    page.get_by_role("link", name="Ehrenamtlich dabei? Anmelden ohne Passwort").click()
    page.get_by_role("link", name="Zum Mithelfen anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mithelfen im Stadtteil")
    page.get_by_label("Ihr Name").fill("Nora Neu")
    page.get_by_label("E-Mail-Adresse").fill("nora.neu@example.org")
    page.get_by_role("button", name="Link zum Bestätigen schicken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte schauen Sie in Ihr Postfach")

    page.goto(last_link_to(live_database, "nora.neu@example.org"))
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigen")
    page.get_by_role("button", name="Bestätigen und anmelden").click()
    expect(page).to_have_url(re.compile(r"/shifts/mine$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Schichten")
    expect(page.get_by_role("status")).to_have_text(
        "Danke! Ihre E-Mail-Adresse ist bestätigt, und Sie sind angemeldet.")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation.get_by_role("link")).to_have_text(["Stadtteilkalender", "Wo wird Hilfe gebraucht?",
                                                         "Meine Schichten"])

    page.get_by_role("button", name="Abmelden").click()
    page.goto("/login/link")
    page.get_by_label("E-Mail-Adresse").fill("nora.neu@example.org")
    page.get_by_role("button", name="Anmeldelink schicken").click()
    page.goto(last_link_to(live_database, "nora.neu@example.org"))
    page.get_by_role("button", name="Jetzt anmelden").click()
    expect(page).to_have_url(re.compile(r"/shifts/mine$"))
