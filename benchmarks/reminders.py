"""10,000 due reminders sent by two `werkstadt scheduler --once` processes to a local SMTP server (aiosmtpd
in this process): wall time from starting the schedulers until both are done, and how many Message-IDs
arrived once, more than once or never.

Target (issue 8): 0 duplicates, 0 lost, at least 200 reminders per second on a 2-core machine.
Run: `.venv/bin/python benchmarks/reminders.py [count]`. The reminders are the real thing: 1,000 shifts
starting tomorrow with every place held (people and sign-ups bulk inserted with Core), their reminders made
by the planning code (calendars.reminders.sync), so each passes the send-time check and is composed from
its template like any other. Each full shift also has its due round of calls for help, which the
schedulers handle without a mail. Prints figures and ends with one line:
`reminders: <sent> sent, <duplicates> duplicates, <lost> lost, <rate>/s`
"""

import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select

from calendars.events import EventDraft, create_event
from calendars.models import Reminder, Shift, Signup
from calendars.reminders.sync import sync
from governance.models import Person
from governance.people import create_person
from governance.permissions import Actor
from workspace import migrate
from workspace.db import Database
from workspace.settings import ENVIRONMENT

REMINDERS, PER_SHIFT, SCHEDULERS = 10_000, 10, 2
ROOT = Path(__file__).resolve().parent.parent
PATIENCE = 600  # seconds before the benchmark gives up on the schedulers


class Inbox:
    """Keeps the Message-ID of every message received (the header is enough; no full parse)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = [line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                 if line.lower().startswith(b"message-id:")]
        with self.lock:
            self.ids.append(found[0] if found else "")
        return "250 OK"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else REMINDERS
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        started = time.perf_counter()
        expected = make_due_reminders(database, count)
        print(f"{len(expected):,} due reminders on {count // PER_SHIFT:,} shifts "
              f"(made in {time.perf_counter() - started:.1f} s)")
        database.dispose()
        inbox, port = Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        before = resource.getrusage(resource.RUSAGE_SELF)
        try:
            seconds = run_schedulers(folder, url, f"smtp://127.0.0.1:{port}")
        finally:
            controller.stop()
        server = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - cpu_seconds(before)
        schedulers = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))
        print(f"CPU per reminder: schedulers {1000 * schedulers / len(expected):.1f} ms, "
              f"SMTP server {1000 * server / len(expected):.1f} ms ({os.cpu_count()} cores)")
        report(Database(url), expected, Counter(inbox.ids), seconds)


def make_due_reminders(database: Database, count: int) -> set[str]:
    """Shifts starting tomorrow, every place held; returns the Message-IDs of the mails to come."""
    now = datetime.now(timezone.utc)
    starts = (now + timedelta(days=1)).replace(second=0, microsecond=0)
    with database.transaction() as db:
        organiser = create_person(db, "Olga Organisation", "organisation@example.org", is_coordinator=True)
        event = create_event(db, Actor(organiser), EventDraft("Stadtteilfest", "festival", starts,
                                                                starts + timedelta(hours=8), place="Marktplatz"))
        shifts = count // PER_SHIFT
        db.execute(insert(Shift), [{"event_id": event.id, "occurrence_start": event.starts_at, "task": f"Stand {n}",
                                    "task_kind": "setup", "starts_at": starts, "ends_at": starts + timedelta(hours=2),
                                    "places": PER_SHIFT, "notes": "", "cancelled": False, "created_at": now,
                                    "updated_at": now, "version_id": 1} for n in range(shifts)])
        shift_ids = db.scalars(select(Shift.id).order_by(Shift.id)).all()
        first = db.scalar(select(func.max(Person.id))) + 1
        db.execute(insert(Person), [{"id": first + n, "name": f"Helfer {n}", "email": f"helfer{n}@example.org",
                                     "created_at": now} for n in range(count)])
        db.execute(insert(Signup), [{"shift_id": shift_ids[n // PER_SHIFT], "person_id": first + n, "state": "taken",
                                     "slot": n % PER_SHIFT + 1, "created_at": now} for n in range(count)])
        for shift_id in shift_ids:
            sync(db, "shift", shift_id, now)
        db.flush()
        return set(db.scalars(select(Reminder.message_id).where(Reminder.kind == "shift_upcoming")))


def run_schedulers(folder: str, url: str, smtp_url: str) -> float:
    """Start the schedulers together and wait until each has sent all it could; returns the seconds."""
    env = {name: value for name, value in os.environ.items() if name not in ENVIRONMENT}
    env.update(DATABASE_URL=url, SMTP_URL=smtp_url, SECRET_KEY="bench", WERKSTADT_DATA=folder,
               BASE_URL="https://werkstadt.example")
    logs = [open(Path(folder) / f"scheduler-{n}.log", "wb") for n in range(SCHEDULERS)]
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-m", "workspace.cli", "scheduler", "--once"], cwd=ROOT, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log) for log in logs]
    try:
        for process in processes:
            process.wait(timeout=PATIENCE)
        return time.perf_counter() - started
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
        for n, process in enumerate(processes):
            if process.returncode != 0:
                print(f"scheduler {n} ended with {process.returncode}:\n"
                      + (Path(folder) / f"scheduler-{n}.log").read_text()[-2000:], file=sys.stderr)


def report(database: Database, expected: set[str], received: Counter, seconds: float) -> None:
    with database.session(write=False) as db:
        states = dict(db.execute(select(Reminder.state, func.count()).where(Reminder.kind == "shift_upcoming")
                                 .group_by(Reminder.state)).all())
    database.dispose()
    sent = len(received)
    duplicates = sum(received.values()) - len(received)
    lost = len(expected - set(received))
    print(f"{SCHEDULERS} schedulers (--once) in {seconds:.1f} s; rows: "
          + ", ".join(f"{n:,} {state}" for state, n in sorted(states.items())))
    print(f"reminders: {sent} sent, {duplicates} duplicates, {lost} lost, {round(sent / seconds)}/s")


def cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
