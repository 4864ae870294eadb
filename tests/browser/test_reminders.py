"""A call for help in a real browser: the mail's "Ich helfe" link, opened without logging in, signs the
volunteer up with one click, and the shift's page then counts one more place taken."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from calendar_world import make_event
from calendars.models import Reminder, Volunteer
from calendars.reminders.calls import run_round
from calendars.shifts import ShiftDraft, add_shift
from calendars.volunteers import volunteer_of
from governance.base import utcnow
from governance.models import Person
from governance.permissions import Actor
from governance.times import from_berlin, today
from support import CHEAP_HASHER
from workspace.auth import create_account
from workspace.models import Mail
from workspace.scheduler import Scheduler
from workspace.settings import Settings

pytestmark = pytest.mark.browser

COORDINATOR = "koordination@example.org"
SECRET_KEY = "test-secret-key"  # the live server's
VERA = "vera@example.org"


def test_ich_helfe_from_the_mail_signs_the_volunteer_up(page: Page, live_server: str, live_database, tmp_path: Path):
    day = today() + timedelta(days=10)
    with live_database.transaction() as db:
        coordinator = db.scalar(select(Person).where(Person.email == COORDINATOR))
        event = make_event(db, coordinator, "Hoffest am Südplatz", f"{day} 11:00", f"{day} 18:00", kind="festival")
        shift = add_shift(db, Actor(coordinator), event, day, ShiftDraft(
            "Waffelstand", "catering", from_berlin(datetime.fromisoformat(f"{day} 12:00")),
            from_berlin(datetime.fromisoformat(f"{day} 14:00")), 2))
        vera = create_account(db, "Vera Freiwillig", VERA, kind="volunteer").person
        volunteer_of(db, vera, confirmed_at=utcnow() - timedelta(days=30))
        # everyone else in the demo was asked yesterday, so this round asks Vera alone
        db.execute(update(Volunteer).where(Volunteer.person_id != vera.id)
                   .values(last_asked_at=utcnow() - timedelta(days=1)))
        shift_id, vera_id = shift.id, vera.id
    with live_database.transaction() as db:  # the shift's first round of calls is due: the scheduler would run it
        first_round = db.scalar(select(Reminder).where(Reminder.kind == "help_round", Reminder.subject_id == shift_id,
                                                       Reminder.round == 1))
        assert [call.recipient_id for call in run_round(db, first_round, utcnow())] == [vera_id]
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'werkstadt.db'}",
                        secret_key=SECRET_KEY, base_url=live_server, password_hasher=CHEAP_HASHER)
    Scheduler(settings, live_database).tick()  # without SMTP_URL the mail lands in the outbox
    with live_database.session(write=False) as db:
        [body] = db.scalars(select(Mail.body_text).where(Mail.recipient == VERA))
    help_link = re.search(rf"^{re.escape(live_server)}(/reminders/\S+/help)$", body, re.MULTILINE)[1]

    page.goto(f"/shifts/{shift_id}")
    expect(page.locator(".shift__places")).to_have_text("0 von 2 Plätzen belegt – noch 2 frei")
    page.goto(help_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ich helfe")
    expect(page.locator("main")).to_contain_text("Waffelstand – Hoffest am Südplatz")
    page.get_by_role("button", name="Ja, ich helfe").click()
    expect(page.get_by_role("status")).to_have_text("Danke! Sie sind für die Schicht eingetragen.")

    page.goto(f"/shifts/{shift_id}")
    expect(page.locator(".shift__places")).to_have_text("1 von 2 Plätzen belegt – noch 1 frei")
    page.goto(help_link)  # the link used once more changes nothing
    expect(page.get_by_role("status")).to_have_text("Sie haben schon zugesagt; es hat sich nichts geändert.")
    expect(page.get_by_role("button", name="Ja, ich helfe")).to_have_count(0)
