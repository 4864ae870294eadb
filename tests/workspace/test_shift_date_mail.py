"""When an editor moves, cancels or restores a date, or changes the whole series, the people on its shifts
read in the outbox what became of their shift."""

from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from calendars.recurrence import WEEKDAY_CODES, Recurrence
from event_pages import event_form
from shift_pages import EMAILS, SOON, Festival, make_festival, people, send, sign_up, visitor
from support import page
from workspace.models import Mail

__all__ = ["people", "visitor"]  # fixtures
NEXT_DAY = SOON + timedelta(days=1)


@pytest.fixture
def lunch(database, people) -> Festival:
    """A weekly series from SOON, 10:00–20:00, with the setup (10–12, one place) and a cake stand on SOON;
    Hanna holds the setup's place and Zora waits for one."""
    series = make_festival(database, "Mittagstisch", SOON, recurrence=Recurrence("weekly"))
    sign_up(database, "volunteer", series.setup)
    sign_up(database, "second", series.setup, waiting=True)
    return series


def only_this(**fields) -> dict:
    return {"scope": "only", "start_date": SOON.isoformat(), "start_time": "10:00", "end_date": "",
            "end_time": "20:00", "place": "", "note": "", **fields}


def outbox(database, subject: str) -> dict[str, list[str]]:
    """The mails with this subject, by recipient, as lines of text."""
    with database.session(write=False) as db:
        mails = db.scalars(select(Mail).where(Mail.subject == subject).order_by(Mail.id))
        return {mail.recipient: mail.body_text.splitlines() for mail in mails}


def full(day) -> str:
    return format_date(day, "full", locale="de")


def test_moving_a_date_tells_who_holds_a_place_or_waits_when_the_shift_is_now(database, visitor, lunch):
    coordinator = visitor("coordinator")
    response = send(coordinator, f"/events/{lunch.event.slug}/dates/{SOON}",
                    **only_this(start_date=NEXT_DAY.isoformat(), start_time="11:00", end_time="21:00"))
    assert response.status_code == 303
    mails = outbox(database, "Verschoben: Aufbau – Mittagstisch")
    assert set(mails) == {EMAILS["volunteer"], EMAILS["second"]}
    held, waiting = mails[EMAILS["volunteer"]], mails[EMAILS["second"]]
    assert "Guten Tag Hanna Helfer," in held and "für die Sie sich eingetragen haben" in " ".join(held)
    assert "für die Sie auf der Warteliste stehen" in " ".join(waiting)
    assert f"{full(NEXT_DAY)}, 11:00–13:00 Uhr" in held
    assert f"bisher: {full(SOON)}, 10:00–12:00 Uhr" in held
    assert outbox(database, "Verschoben: Kuchenstand – Mittagstisch") == {}  # nobody on it


def test_undoing_the_move_tells_them_again(database, visitor, lunch):
    coordinator = visitor("coordinator")
    send(coordinator, f"/events/{lunch.event.slug}/dates/{SOON}", **only_this(start_time="12:00", end_time="22:00"))
    assert send(coordinator, f"/events/{lunch.event.slug}/dates/{SOON}/restore").status_code == 303
    lines = [mail for mail in outbox(database, "Verschoben: Aufbau – Mittagstisch")[EMAILS["volunteer"]]
             if "Uhr" in mail]
    assert lines == [f"{full(SOON)}, 10:00–12:00 Uhr", f"bisher: {full(SOON)}, 12:00–14:00 Uhr"]


def test_cancelling_a_date_tells_them_their_shift_is_cancelled(database, visitor, lunch):
    response = send(visitor("coordinator"), f"/events/{lunch.event.slug}/dates/{SOON}",
                    **only_this(cancelled="yes", note="Ferien"))
    assert response.status_code == 303
    mails = outbox(database, "Abgesagt: Aufbau – Mittagstisch")
    assert set(mails) == {EMAILS["volunteer"], EMAILS["second"]}
    assert "die Schicht, für die Sie auf der Warteliste standen, ist abgesagt:" in mails[EMAILS["second"]]
    assert outbox(database, "Verschoben: Aufbau – Mittagstisch") == {}


def test_a_new_time_for_the_whole_series_moves_the_shift_and_tells_them(database, visitor, lunch):
    coordinator = visitor("coordinator")
    path = f"/events/{lunch.event.slug}/edit"
    version = page(coordinator.get(path)).select_one("input[name=version]")["value"]
    response = send(coordinator, path, version=version, **event_form(
        title="Mittagstisch", start_date=SOON.isoformat(), start_time="09:00", end_time="19:00",
        frequency="weekly", weekdays=WEEKDAY_CODES[SOON.weekday()]))
    assert response.status_code == 303
    mails = outbox(database, "Verschoben: Aufbau – Mittagstisch")
    assert set(mails) == {EMAILS["volunteer"], EMAILS["second"]}
    assert f"{full(SOON)}, 09:00–11:00 Uhr" in mails[EMAILS["volunteer"]]
    shown = page(coordinator.get(lunch.path))
    assert " ".join(shown.select_one(f"#shift_row-{lunch.setup.id} .shift__when").get_text().split()).endswith(
        "09:00–11:00 Uhr")
