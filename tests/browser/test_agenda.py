"""Building an agenda in a real browser: the timetable follows in place, reordering by keyboard, attendance."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from governance.agenda import ItemDraft, add_agenda_item
from governance.groups import add_membership, create_group
from governance.meetings import MeetingDraft, schedule_meeting
from governance.models import Person
from governance.people import create_person
from governance.permissions import Actor
from support import berlin

pytestmark = pytest.mark.browser

COORDINATOR = "koordination@example.org"


def a_meeting(database, *titles: tuple[str, int]) -> int:
    """A group of its own (so the demo's groups never get in the way) with one meeting, 09:00 to 10:00."""
    with database.transaction() as db:
        actor = Actor(db.scalar(select(Person).where(Person.email == COORDINATOR)))
        group = create_group(db, "Testgruppe Tagesordnung", "TTO", "steering")
        for name in ("Anna Anwesend", "Erik Entschuldigt"):
            add_membership(db, group, create_person(db, name), "member")
        meeting = schedule_meeting(db, actor, group, MeetingDraft(
            "Regelsitzung", berlin("2030-03-13 09:00"), place="Rathaus", planned_end_at=berlin("2030-03-13 10:00")))
        for title, minutes in titles:
            add_agenda_item(db, actor, meeting, ItemDraft(title, duration_minutes=minutes))
        return meeting.id


def mark_page(page: Page) -> None:
    """A marker on `window` that only a full page load can remove."""
    page.evaluate("window.__marker = 1")


def expect_no_reload(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def timetable(page: Page) -> list[str]:
    rows = page.locator("#agenda table.timetable tbody tr")
    cells = [[rows.nth(i).locator("td, th").nth(n).inner_text() for n in (0, 2)] for i in range(rows.count())]
    return [" ".join(" ".join(cell.split()) for cell in row) for row in cells]


def press(page: Page, key: str) -> None:
    """Press a key that sends an htmx request, and wait until its answer is swapped in."""
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press(key)
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def add_item(page: Page, title: str, minutes: str) -> None:
    form = page.locator("#item-form")
    form.get_by_label("Thema").fill(title)
    form.get_by_label("Dauer in Minuten").fill(minutes)
    form.get_by_role("button", name="Hinzufügen").click()


def test_chair_builds_an_agenda_and_the_timetable_follows_in_place(page: Page, log_in_as, live_database):
    errors: list[str] = []  # script errors and CSP violations; a 422 answer is logged too, and is expected
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    meeting_id = a_meeting(live_database)
    log_in_as(COORDINATOR)
    page.goto(f"/meetings/{meeting_id}")
    mark_page(page)
    expect(page.locator("#agenda")).to_contain_text("Die Tagesordnung ist noch leer.")

    add_item(page, "Begrüßung", "15")
    expect(page.locator("#agenda .timetable__end")).to_contain_text("Ende laut Zeitplan: 09:15 Uhr")
    assert timetable(page) == ["09:00–09:15 Begrüßung"]
    expect(page.get_by_label("Thema")).to_have_value("")

    add_item(page, "Bericht aus den Arbeitsgruppen", "0")
    expect(page.locator("#f-duration_minutes-error")).to_have_text("Die Dauer muss mindestens 1 Minute betragen.")
    expect(page.get_by_label("Dauer in Minuten")).to_be_focused()
    expect(page.get_by_label("Thema")).to_have_value("Bericht aus den Arbeitsgruppen")

    page.get_by_label("Dauer in Minuten").fill("60")
    page.locator("#item-form").get_by_role("button", name="Hinzufügen").click()
    expect(page.locator("#agenda .timetable__end")).to_contain_text("Ende laut Zeitplan: 10:15 Uhr")
    assert timetable(page) == ["09:00–09:15 Begrüßung", "09:15–10:15 Bericht aus den Arbeitsgruppen"]
    expect(page.locator("#agenda .warning")).to_have_text(
        "Der Zeitplan endet um 10:15 Uhr, 15 Minuten nach dem geplanten Ende (10:00 Uhr).")
    expect_no_reload(page)

    page.get_by_role("link", name="TOP 2 bearbeiten").click()
    expect(page.get_by_role("heading", name="TOP 2 bearbeiten")).to_be_focused()
    page.get_by_label("Dauer in Minuten").fill("45")
    page.locator("#item-form").get_by_role("button", name="Speichern").click()
    expect(page.locator("#agenda .warning")).to_have_count(0)
    assert timetable(page) == ["09:00–09:15 Begrüßung", "09:15–10:00 Bericht aus den Arbeitsgruppen"]
    expect_no_reload(page)
    assert errors == []


def test_reordering_with_the_keyboard_keeps_the_focus_on_the_moved_item(page: Page, log_in_as, live_database):
    meeting_id = a_meeting(live_database, ("Begrüßung", 10), ("Haushalt", 30), ("Termine", 5))
    log_in_as(COORDINATOR)
    page.goto(f"/meetings/{meeting_id}")
    mark_page(page)

    page.get_by_role("button", name="TOP 3 nach oben").focus()
    press(page, "Enter")
    expect(page.get_by_role("button", name="TOP 2 nach oben")).to_be_focused()
    assert timetable(page) == ["09:00–09:10 Begrüßung", "09:10–09:15 Termine", "09:15–09:45 Haushalt"]

    press(page, "Enter")
    expect(page.get_by_role("button", name="TOP 1 nach oben")).to_be_focused()
    expect(page.get_by_role("button", name="TOP 1 nach oben")).to_have_attribute("aria-disabled", "true")
    assert timetable(page) == ["09:00–09:05 Termine", "09:05–09:15 Begrüßung", "09:15–09:45 Haushalt"]

    press(page, "Enter")  # already first: nothing moves, nothing breaks
    expect(page.get_by_role("button", name="TOP 1 nach oben")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="TOP 1 nach unten")).to_be_focused()
    press(page, "Enter")
    expect(page.get_by_role("button", name="TOP 2 nach unten")).to_be_focused()
    assert timetable(page) == ["09:00–09:10 Begrüßung", "09:10–09:15 Termine", "09:15–09:45 Haushalt"]
    expect_no_reload(page)

    page.reload()
    assert timetable(page) == ["09:00–09:10 Begrüßung", "09:10–09:15 Termine", "09:15–09:45 Haushalt"]


def test_attendance_is_recorded_in_place(page: Page, log_in_as, live_database):
    meeting_id = a_meeting(live_database, ("Begrüßung", 10))
    log_in_as(COORDINATOR)
    page.goto(f"/meetings/{meeting_id}")
    mark_page(page)
    page.get_by_role("group", name=re.compile("^Anna Anwesend")).get_by_label("anwesend").check()
    page.get_by_role("group", name=re.compile("^Erik Entschuldigt")).get_by_label("entschuldigt").check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(page.locator("#attendance [role=status]")).to_have_text("Die Anwesenheit ist gespeichert.")
    expect_no_reload(page)

    page.reload()
    expect(page.get_by_role("group", name=re.compile("^Anna Anwesend")).get_by_label("anwesend")).to_be_checked()
    expect(page.get_by_role("group", name=re.compile("^Erik Entschuldigt")).get_by_label("entschuldigt")).to_be_checked()
    page.goto(f"/meetings/{meeting_id}/minutes")
    expect(page.locator(".print-document")).to_contain_text("anwesend")
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll: Regelsitzung")
