"""Decisions in a real browser: recording one and seeing its number, its status in place, escalating it."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from governance.decisions import DecisionDraft, record_decision
from governance.models import Group, Person
from governance.permissions import actor_for
from governance.times import today
from networks import add_meeting, days_from_now

pytestmark = pytest.mark.browser

NORD = "nord@example.org"  # chairs the working group Netzwerk Nord für Nord (NN) in the demo
COORDINATOR = "koordination@example.org"


def slug_of(database, code: str) -> str:
    with database.session(write=False) as db:
        return db.scalar(select(Group.slug).where(Group.code == code))


def nord_decision(database, text: str, status: str = "adopted") -> int:
    """A decision of the NN working group, recorded by its chair through the domain operation."""
    with database.transaction() as db:
        chair = actor_for(db, db.scalar(select(Person).where(Person.email == NORD)), today())
        group = db.scalar(select(Group).where(Group.code == "NN"))
        return record_decision(db, chair, group, DecisionDraft(text, status)).id


def mark_page(page: Page) -> None:
    page.evaluate("window.__marker = 1")


def test_chair_records_a_decision_and_sees_its_number(page: Page, log_in_as, live_database):
    log_in_as(NORD)
    page.goto(f"/groups/{slug_of(live_database, 'NN')}/decisions/new")
    page.get_by_label("Wortlaut des Beschlusses").fill("")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#f-text-error")).to_have_text("Bitte geben Sie den Wortlaut des Beschlusses an.")
    expect(page.get_by_label("Wortlaut des Beschlusses")).to_be_focused()

    page.get_by_label("Wortlaut des Beschlusses").fill("Wir brauchen ein Stadtteilbüro in Jena-Nord.")
    page.get_by_label("Status", exact=True).select_option(label="beschlossen")
    page.get_by_label("Beschlossen am").fill("2024-10-15")
    page.get_by_label("Ja-Stimmen").fill("12")
    page.get_by_role("button", name="Speichern").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Beschluss NN-2024-\d{3}$"))
    expect(page.get_by_role("status")).to_have_text("Der Beschluss ist erfasst.")
    expect(page.locator(".decision-text")).to_have_text("Wir brauchen ein Stadtteilbüro in Jena-Nord.")
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Beschluss ")
    page.goto("/decisions?q=Stadtteilbüro+in+Jena-Nord")
    expect(page.get_by_role("row", name=re.compile(number))).to_contain_text("beschlossen")


def test_status_changes_in_place(page: Page, log_in_as, live_database):
    decision_id = nord_decision(live_database, "Fest im Park vorbereiten.", status="proposed")
    log_in_as(NORD)
    page.goto(f"/decisions/{decision_id}")
    mark_page(page)
    page.get_by_label("Neuer Status").select_option(label="umgesetzt")
    page.get_by_role("button", name="Status ändern").click()

    expect(page.get_by_role("heading", name="Status: umgesetzt")).to_be_visible()
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    page.get_by_label("Neuer Status").select_option(label="beschlossen")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.get_by_role("heading", name="Status: beschlossen")).to_be_visible()


def test_escalated_decision_reaches_the_parents_next_meeting_and_shows_its_lineage(page: Page, log_in_as,
                                                                                   live_database):
    decision_id = nord_decision(live_database, "Bedarf für ein Stadtteilbüro festgestellt.")
    with live_database.transaction() as db:
        planning = db.scalar(select(Group).where(Group.code == "PG"))
        meeting_id = add_meeting(db, planning, days_from_now(7), title="Kernteam im nächsten Monat").id
    log_in_as(NORD)
    page.goto(f"/decisions/{decision_id}")
    page.get_by_role("button", name=re.compile("^An die Planungsgruppe geben")).click()

    expect(page.get_by_role("status")).to_have_text("Der Beschluss ist an die übergeordnete Gruppe weitergegeben.")
    outcome = page.get_by_role("region", name="Was daraus wurde")
    expect(outcome).to_contain_text("Planungsgruppe (Kernteam)")
    expect(outcome).to_contain_text("„Aus Netzwerk Nord für Nord (Sozialraumgruppe Jena-Nord): "
                                    "Bedarf für ein Stadtteilbüro festgestellt.“")
    expect(page.get_by_role("button", name=re.compile("^An die Planungsgruppe geben"))).to_have_count(0)

    page.get_by_role("button", name="Abmelden").click()
    log_in_as(COORDINATOR)
    page.goto(f"/decisions/{decision_id}")
    outcome = page.get_by_role("region", name="Was daraus wurde")
    outcome.get_by_role("link", name=re.compile("Kernteam im nächsten Monat")).click()
    expect(page).to_have_url(re.compile(f"/meetings/{meeting_id}$"))
    expect(page.get_by_text("Aus Netzwerk Nord für Nord (Sozialraumgruppe Jena-Nord): Bedarf für ein "
                            "Stadtteilbüro festgestellt.")).to_be_visible()
