"""The reminder engine's promises with real processes: `werkstadt scheduler` processes against one SQLite
file, a real SMTP server (aiosmtpd) and SIGKILL. Every due reminder is delivered once; a crash repeats at
most the one message that was on the wire, with the same Message-ID and a line in the log; a server that is
down is tried again with growing pauses and, past the last try, the reminder is marked failed for the
coordinator; an address the server refuses fails alone; a moved meeting sends only for its new time.

Timings here only make the tests quick (a tick of 0.2 s, leases of seconds); nothing asserts a speed.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import joinedload

from calendars.events import EventDraft, create_event
from calendars.models import Reminder, Signup
from calendars.reminders import queue
from calendars.reminders.sync import sync
from calendars.shifts import ShiftDraft, add_shift
from governance.base import utcnow
from governance.groups import add_membership
from governance.meetings import MeetingDraft, schedule_meeting, update_meeting
from governance.models import Meeting, Person
from governance.people import create_person
from governance.permissions import Actor
from governance.times import from_berlin, in_berlin, today
from networks import build_groups
from smtp_inbox import REFUSAL, Inbox, free_port, smtp_server
from support import page
from workspace.db import Database
from workspace.scheduler import Scheduler
from workspace.settings import ENVIRONMENT, ROOT, Settings

PATIENCE = 60.0  # seconds a wait may take before the test gives up (a loaded machine is slow, not broken)


# --- due reminders, made by the planning code ------------------------------------------------------

def due_shift_reminders(database: Database, count: int, per_shift: int = 10) -> list[str]:
    """`count` shift reminders due now: shifts starting tomorrow (so 48 h before has passed), every place held.

    Shifts come from the domain; people and sign-ups are bulk rows, and the reminders are made by the
    same planning code a sign-up triggers (sync), so the send-time check finds them wanted. A full shift
    also gets its due round of calls for help, which asks nobody and sends no mail.
    Returns the Message-IDs of the reminders that will be mailed.
    """
    now = utcnow()
    starts = (now + timedelta(days=1)).replace(second=0, microsecond=0)
    with database.transaction() as db:
        organiser = create_person(db, "Olga Organisation", "organisation@example.org", is_coordinator=True)
        event = create_event(db, Actor(organiser), EventDraft("Stadtteilfest", "festival", starts,
                                                                starts + timedelta(hours=8), place="Marktplatz"))
        shifts = [add_shift(db, Actor(organiser), event, in_berlin(starts).date(),
                            ShiftDraft(f"Stand {n}", "setup", starts, starts + timedelta(hours=2), per_shift))
                  for n in range(count // per_shift)]
        first = db.scalar(select(func.max(Person.id))) + 1
        db.execute(insert(Person), [{"id": first + n, "name": f"Helfer {n}", "email": f"helfer{n}@example.org",
                                     "created_at": now} for n in range(count)])
        db.execute(insert(Signup), [{"shift_id": shifts[n // per_shift].id, "person_id": first + n,
                                     "state": "taken", "slot": n % per_shift + 1, "created_at": now}
                                    for n in range(count)])
        for shift in shifts:
            sync(db, "shift", shift.id, now)
        db.flush()
        return list(db.scalars(select(Reminder.message_id).where(Reminder.kind == "shift_upcoming")))


def mail_rows(database: Database) -> list[Reminder]:
    """The reminders that are mails (a round of calls for help is none)."""
    with database.session(write=False) as db:
        return list(db.scalars(select(Reminder).options(joinedload(Reminder.recipient))
                               .where(Reminder.kind != "help_round").order_by(Reminder.id)))


def states(database: Database) -> Counter:
    with database.session(write=False) as db:
        return Counter(dict(db.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all()))


def all_done(database: Database) -> bool:
    found = states(database)
    return found["pending"] == found["claimed"] == 0


# --- scheduler processes -----------------------------------------------------------------------------

@dataclass
class SchedulerProcess:
    """A `werkstadt scheduler` process; its log (stderr) goes to a file so it can never block on a pipe."""

    process: subprocess.Popen
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def sent(self) -> int:
        return self.log.count(" sent to ")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def store(database_file: Path) -> Iterator[Database]:
    """The test's own handle on the database file the scheduler processes work on (not the app's)."""
    database = Database(f"sqlite:///{database_file}")
    yield database
    database.dispose()


@pytest.fixture
def start_scheduler(tmp_path: Path, database_file: Path) -> Iterator[Callable[..., SchedulerProcess]]:
    """Start `werkstadt scheduler` processes (env: SMTP_URL and overrides); every one is killed at the end."""
    started: list[SchedulerProcess] = []

    def start(smtp_url: str, **overrides: str) -> SchedulerProcess:
        env = {name: value for name, value in os.environ.items() if name not in ENVIRONMENT}
        env.update(DATABASE_URL=f"sqlite:///{database_file}", SMTP_URL=smtp_url, SECRET_KEY="test-secret-key",
                   WERKSTADT_DATA=str(tmp_path), BASE_URL="http://testserver", SCHEDULER_TICK="0.2",
                   REMINDER_LEASE="2", REMINDER_BATCH="10", REMINDER_RETRY="0.2", REMINDER_ATTEMPTS="20")
        env.update(overrides)
        log_path = tmp_path / f"scheduler-{len(started)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "workspace.cli", "scheduler"], cwd=ROOT, env=env,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        started.append(SchedulerProcess(process, log_path))
        return started[-1]

    try:
        yield start
    finally:
        for scheduler in started:
            if scheduler.process.poll() is None:
                scheduler.kill()


def wait_for(condition: Callable[[], bool], what: str, *running: SchedulerProcess, pause: float = 0.05) -> None:
    """Poll until `condition()` holds; fail early when a scheduler that should run has died."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        for scheduler in running:
            assert scheduler.process.poll() is None, f"scheduler died:\n{scheduler.log}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(pause)


def ready(scheduler: SchedulerProcess) -> bool:
    return "looking for due reminders" in scheduler.log


# --- two schedulers ----------------------------------------------------------------------------------

def test_two_schedulers_deliver_every_due_reminder_exactly_once(store, start_scheduler):
    inbox = Inbox()
    with smtp_server(inbox) as smtp:
        # Both look for work before there is any, so both compete for the same rows.
        first, second = start_scheduler(smtp, REMINDER_LEASE="60"), start_scheduler(smtp, REMINDER_LEASE="60")
        wait_for(lambda: ready(first) and ready(second), "both schedulers to start", first, second)
        expected = due_shift_reminders(store, 300)
        wait_for(lambda: all_done(store), "every reminder to be handled", first, second)
        wait_for(lambda: first.sent() + second.sent() >= 300, "the log lines of the last ones", first, second)

    assert len(expected) == 300
    assert inbox.message_ids() == Counter(dict.fromkeys(expected, 1))
    assert {row.state for row in mail_rows(store)} == {"sent"}
    assert first.sent() + second.sent() == 300
    assert first.sent() > 0 and second.sent() > 0  # both took part
    assert "possibly a repeat" not in first.log + second.log


# --- a crash ------------------------------------------------------------------------------------------

def test_a_scheduler_killed_mid_batch_loses_nothing_and_repeats_at_most_the_message_on_the_wire(
        store, start_scheduler):
    # The server keeps each message, then waits before its "250 OK": a kill in that pause leaves a
    # message that arrived but was never confirmed to the sender.
    inbox = Inbox(delay=0.2)
    expected = due_shift_reminders(store, 60)
    with smtp_server(inbox) as smtp:
        victim = start_scheduler(smtp)
        wait_for(lambda: inbox.count >= 15, "the first messages", victim, pause=0.002)
        victim.kill()
        inbox.delay = 0
        assert states(store)["claimed"] > 0  # killed in the middle of a batch
        restarted = start_scheduler(smtp)
        wait_for(lambda: all_done(store), "every reminder to be handled", restarted)

    received = inbox.message_ids()
    assert set(received) == set(expected)  # nothing lost, nothing foreign
    assert {row.state for row in mail_rows(store)} == {"sent"}
    repeats = [message_id for message_id, times in received.items() if times > 1]
    assert len(repeats) <= 1 and sum(received.values()) <= len(expected) + 1
    for message_id in repeats:
        assert f"possibly a repeat, Message-ID {message_id}" in restarted.log


# --- the server down ----------------------------------------------------------------------------------

def test_while_the_server_is_down_reminders_wait_and_are_all_sent_once_it_is_back(store, start_scheduler):
    port = free_port()  # nothing listens here yet
    expected = due_shift_reminders(store, 20)
    scheduler = start_scheduler(f"smtp://127.0.0.1:{port}")

    def all_tried_again() -> bool:
        rows = mail_rows(store)
        return all(row.attempts > 1 and row.state == "pending" and row.last_error for row in rows)

    wait_for(all_tried_again, "a second try of every reminder", scheduler)
    errors = {row.last_error for row in mail_rows(store)}
    assert all(error.startswith("ConnectionRefusedError") for error in errors), errors
    assert "will retry" in scheduler.log

    inbox = Inbox()
    with smtp_server(inbox, port):
        wait_for(lambda: all_done(store), "every reminder to be handled", scheduler)

    assert inbox.message_ids() == Counter(dict.fromkeys(expected, 1))
    rows = mail_rows(store)
    assert {row.state for row in rows} == {"sent"}
    assert all(row.attempts > 1 and row.last_error is None for row in rows)


def test_past_the_last_try_reminders_are_failed_and_the_coordinator_sees_why(store, start_scheduler,
                                                                               as_coordinator):
    due_shift_reminders(store, 5, per_shift=5)
    scheduler = start_scheduler(f"smtp://127.0.0.1:{free_port()}", REMINDER_ATTEMPTS="2")
    wait_for(lambda: all_done(store), "every reminder to be given up", scheduler)
    wait_for(lambda: scheduler.log.count("given up after try 2") == 5, "the log lines", scheduler)
    rows = mail_rows(store)
    assert {(row.state, row.attempts) for row in rows} == {("failed", 2)}

    soup = page(as_coordinator.get("/admin/reminders?state=failed"))
    listed = [[" ".join(cell.get_text().split()) for cell in tr.select("th, td")][:5]
              for tr in soup.select("tbody tr")]
    assert len(listed) == 5
    assert {(kind, sent, attempts) for kind, _, sent, attempts, _ in listed} == {
        ("Erinnerung an eine Schicht", "–", "2")}
    assert sorted(name for _, name, *_ in listed) == [f"Helfer {n}" for n in range(5)]
    assert all(error.startswith("ConnectionRefusedError: [Errno 111]") for *_, error in listed)
    assert len(soup.select("tbody form button")) == 5  # each can be sent again


# --- an address the server refuses ------------------------------------------------------------------------

@pytest.fixture
def sender(settings: Settings) -> Iterator[Callable[[str], Scheduler]]:
    """An in-process scheduler on the test's database with SMTP_URL set."""
    made: list[Scheduler] = []

    def make(smtp_url: str) -> Scheduler:
        made.append(Scheduler(replace(settings, smtp_url=smtp_url)))
        return made[-1]

    yield make
    for scheduler in made:
        scheduler.database.dispose()


def test_a_refused_address_fails_with_the_servers_answer_and_the_others_are_sent(store, sender):
    expected = due_shift_reminders(store, 10)
    inbox = Inbox(refused=("helfer3@example.org",))
    with smtp_server(inbox) as smtp:
        sender(smtp).tick()

    rows = {row.recipient.email: row for row in mail_rows(store)}
    refused = rows.pop("helfer3@example.org")
    assert (refused.state, refused.attempts, refused.last_error) == ("failed", 1, REFUSAL)
    assert {row.state for row in rows.values()} == {"sent"}
    assert sorted(inbox.message_ids()) == sorted(set(expected) - {refused.message_id})
    assert sorted(message["To"] for message in inbox.messages) == sorted(rows)


# --- a moved meeting ------------------------------------------------------------------------------------------

def berlin_day(days: int, hour: int) -> datetime:
    return from_berlin(datetime.combine(today() + timedelta(days=days), datetime.min.time()).replace(hour=hour))


@pytest.fixture
def meeting_id(store: Database) -> int:
    """A meeting in three days at 18:00 with two members: their invitations (7 days before) are due now."""
    with store.transaction() as db:
        kim = create_person(db, "Kim Koordination", "kim@example.org", is_coordinator=True)
        groups = build_groups(db)
        for name in ("Clara Vorsitz", "Max Mitglied"):
            person = create_person(db, name, f"{name.split()[0].lower()}@example.org")
            add_membership(db, groups.working, person, "chair" if name.startswith("Clara") else "member")
        meeting = schedule_meeting(db, Actor(kim), groups.working, MeetingDraft(
            "Netzwerktreffen", berlin_day(3, 18), planned_end_at=berlin_day(3, 20)))
        return meeting.id


def move_meeting(database: Database, meeting_id: int, starts_at: datetime) -> None:
    """Change the start in a committed write transaction, as a request would (the session hook re-plans)."""
    with database.transaction() as db:
        meeting = db.get(Meeting, meeting_id)
        kim = db.scalar(select(Person).where(Person.email == "kim@example.org"))
        update_meeting(db, Actor(kim), meeting, MeetingDraft(meeting.title, starts_at,
                                                             planned_end_at=starts_at + timedelta(hours=2)),
                       meeting.version_id)


def invitations(database: Database) -> list[Reminder]:
    return [row for row in mail_rows(database) if row.kind == "meeting_invitation"]


def test_a_meeting_moved_further_away_sends_no_invitation_for_the_old_time(store, meeting_id, sender):
    assert {row.due_at <= utcnow() for row in invitations(store)} == {True}  # due, as made
    move_meeting(store, meeting_id, berlin_day(30, 18))
    inbox = Inbox()
    with smtp_server(inbox) as smtp:
        sender(smtp).tick()

    assert inbox.messages == []
    rows = invitations(store)
    assert {(row.state, row.due_at) for row in rows} == {("pending", berlin_day(23, 18))}


def test_a_meeting_moved_to_another_day_is_announced_for_its_new_time_only(store, meeting_id, sender):
    move_meeting(store, meeting_id, berlin_day(4, 17))
    inbox = Inbox()
    with smtp_server(inbox) as smtp:
        sender(smtp).tick()

    assert sorted(message["To"] for message in inbox.messages) == ["clara@example.org", "max@example.org"]
    new_day = in_berlin(berlin_day(4, 17)).strftime("%d.%m.%Y")
    for message in inbox.messages:
        assert message["Subject"] == f"Einladung: Netzwerk Nord für Nord – Netzwerktreffen am {new_day}"
        body = message.get_body(("plain",)).get_content()
        assert "17:00 Uhr" in body and "18:00" not in body
    assert {row.state for row in invitations(store)} == {"sent"}


def test_a_meeting_moved_while_its_invitations_are_claimed_is_still_announced_for_its_new_time(
        store, meeting_id, sender):
    with store.transaction() as db:  # another scheduler claimed the due invitations, then died
        claimed = queue.claim(db, "elsewhere:1", utcnow(), timedelta(0), 10)[1]
    assert {row.kind for row in claimed} == {"meeting_invitation"}
    move_meeting(store, meeting_id, berlin_day(4, 17))
    inbox = Inbox()
    with smtp_server(inbox) as smtp:
        sender(smtp).tick()

    assert sorted(message["To"] for message in inbox.messages) == ["clara@example.org", "max@example.org"]
