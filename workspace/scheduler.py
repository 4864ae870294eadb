"""`werkstadt scheduler`: every tick, claim due reminders in small batches and send them.

APScheduler only ticks (an interval job in a memory store); the reminder rows are the truth, so any
number of schedulers and web workers can run side by side (calendars.reminders.queue decides who sends
what). Each message is marked sent in its own transaction right after the server accepted it, so a crash
can repeat at most the one message that was on the wire — sent again with the same Message-ID and logged.
"""

import logging
import os
import signal
import smtplib
import socket
import time
from datetime import datetime, timedelta
from email.message import EmailMessage

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import Route, Router

from calendars.models import Reminder, Shift
from calendars.reminders import calls, digests, queue
from calendars.reminders.checks import OUTDATED, reason_to_skip
from calendars.reminders.sync import sync
from governance.base import utcnow
from workspace.app import app_routes
from workspace.db import Database
from workspace.endpoints import Services
from workspace.mail import smtp_client
from workspace.models import Mail
from workspace.reminder_mail import Composer
from workspace.rendering import Renderer
from workspace.routes.feeds import feed_links
from workspace.settings import Settings

log = logging.getLogger("werkstadt.scheduler")
LEASE_MARGIN = timedelta(seconds=1)  # a row is not sent this close to the end of its claim's lease
FRESH = 1.0  # seconds one look at the database serves the next rows of a batch (see Scheduler._send_batch)


class TemporaryFailure(Exception):
    """Worth another try later: the server said 4xx, refused the connection or did not answer."""


class PermanentFailure(Exception):
    """No retry helps: the server refused the address or the message (5xx)."""


class Postman:
    """Delivers through one SMTP connection kept open for a batch, or into the local outbox."""

    def __init__(self, settings: Settings) -> None:
        self.smtp_url = settings.smtp_url
        self.client: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self.client is None:
                self.client = smtp_client(self.smtp_url)
            self.client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()))
            raise _failure(code, f"{code} {answer.decode(errors='replace')}") from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _failure(error.smtp_code, f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}") from error
        except (smtplib.SMTPException, OSError) as error:  # OSError: refused, time-out
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.client = None


def _failure(code: int, text: str) -> Exception:
    return TemporaryFailure(text) if 400 <= code < 500 else PermanentFailure(text)


class Scheduler:
    """One process's sender: claims due reminders until none is left, then waits for the next tick."""

    def __init__(self, settings: Settings, database: Database | None = None) -> None:
        self.settings, self.options = settings, settings.reminders
        self.database = database or Database(settings.database_url)
        services = Services(settings, self.database, Renderer(), Router(app_routes()))
        self.composer = Composer(settings, services.renderer, feed_links(services), _route_paths(services))
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        # An outcome is one UPDATE of a reminder row: a plain connection writes it, as a write session and its
        # reminder hooks cost more than the UPDATE (sqlite_write: take the write lock up front, see workspace.db).
        self.outcomes = self.database.engine.execution_options(sqlite_write=True)

    def tick(self) -> int:
        """Send everything due now; returns how many reminders were handled."""
        handled = 0
        postman = Postman(self.settings)
        with self.database.transaction() as db:
            if made := digests.plan_week(db, utcnow()):
                log.info("%s weekly digests for organisers made", made)
        try:
            while batch := self._claim():
                token, rows = batch
                self._send_batch(rows, token, postman)
                handled += len(rows)
        finally:
            postman.close()
        return handled

    def _claim(self) -> tuple[str, list[Reminder]] | None:
        lease = timedelta(seconds=self.options.lease)
        with self.database.transaction() as db:
            token, rows = queue.claim(db, self.worker, utcnow(), lease, self.options.batch)
            for row in rows:
                row.recipient  # loaded now: the rows outlive their session
        return (token, rows) if rows else None

    def _send_batch(self, rows: list[Reminder], token: str, postman: Postman) -> None:
        """Check and compose the rows through one read session, so that the rows of one subject (the holders
        of a shift) share its load and its plan; a look older than FRESH seconds is taken anew, so no row is
        checked against older data however slow the mail server. Each outcome is still written on its own."""
        with self.database.session(write=False) as db:
            seen, since = {}, time.monotonic()
            for row in rows:
                if time.monotonic() - since > FRESH:
                    db.rollback()  # ends the read transaction: the next query sees the database as it is now
                    seen, since = {}, time.monotonic()
                self._handle(db, seen, row, token, postman)

    def _handle(self, db: Session, seen: dict, row: Reminder, token: str, postman: Postman) -> None:
        if utcnow() >= row.lease_until - LEASE_MARGIN:  # a slow server ate the lease: leave it to a new claim
            log.warning("reminder %s (%s) left for a later claim: its lease is running out", row.id, row.kind)
            return
        if row.kind == "help_round":
            self._run_round(row, token)
            return
        now = utcnow()
        row = db.merge(row, load=False)  # as claimed a moment ago, its recipient included
        reason = reason_to_skip(db, row, now, seen)
        message = None if reason else self.composer.compose(db, row, now)
        if reason == OUTDATED:  # the subject changed while the row was claimed: plan it anew, at once
            self._write(lambda db: (queue.mark_skipped(db, row.id, token, reason),
                                    sync(db, row.subject_type, row.subject_id, utcnow())))
            log.info("reminder %s (%s) planned anew: its subject changed", row.id, row.kind)
            return
        if reason:
            self._record(lambda db: queue.mark_skipped(db, row.id, token, reason))
            log.info("reminder %s (%s) not sent: %s", row.id, row.kind, reason)
            return
        self._deliver(row, token, message, postman)

    def _deliver(self, row: Reminder, token: str, message: EmailMessage, postman: Postman) -> None:
        if row.recovered:
            log.warning("reminder %s (%s) sent again after a lost claim: possibly a repeat, Message-ID %s",
                        row.id, row.kind, row.message_id)
        try:
            if self.settings.smtp_url:
                postman.send(message)
            else:
                self._write(lambda db: _to_outbox(db, message))
        except PermanentFailure as error:
            self._record(lambda db: queue.mark_failed(db, row.id, token, str(error)))
            log.error("reminder %s (%s) to %s failed: %s", row.id, row.kind, message["To"], error)
            return
        except TemporaryFailure as error:
            outcome = self._record(lambda db: queue.mark_retry(
                db, row, token, str(error), utcnow(), timedelta(seconds=self.options.first_retry),
                self.options.attempts))
            log.warning("reminder %s (%s) to %s: %s after try %s: %s", row.id, row.kind, message["To"],
                        "given up" if outcome == "failed" else "will retry", row.attempts, error)
            return
        if self._record(lambda db: queue.mark_sent(db, row.id, token, utcnow())):
            log.info("reminder %s (%s) sent to %s, Message-ID %s", row.id, row.kind, message["To"], row.message_id)
        else:
            log.warning("reminder %s (%s) sent, but its claim had moved on (rescheduled or lease ran out)",
                        row.id, row.kind)

    def _run_round(self, row: Reminder, token: str) -> None:
        """A round of calls for help: ask the next batch, then wait for answers or end the round."""
        now = utcnow()
        with self.database.transaction() as db:
            made = calls.run_round(db, db.merge(row, load=True), now)
            shift = db.get(Shift, row.subject_id)
            later = calls.next_batch_at(shift.starts_at, now) if made and shift else None
            if later:
                queue.mark_next_batch(db, row.id, token, later)
            else:
                queue.mark_sent(db, row.id, token, now)
        log.info("round %s of calls for help on shift %s: %s asked", row.round, row.subject_id, len(made))

    def _write(self, change):
        with self.database.transaction() as db:
            return change(db)

    def _record(self, change):
        """Write an outcome (calendars.reminders.queue.mark_…) in a short transaction of its own."""
        with self.outcomes.begin() as connection:
            return change(connection)

    def run(self) -> None:
        """Tick forever (until SIGTERM or Ctrl+C)."""
        scheduler = BlockingScheduler(timezone="UTC")
        scheduler.add_job(self.tick, "interval", seconds=self.options.tick, next_run_time=datetime.now(),
                          max_instances=1, coalesce=True, id="reminders")
        signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
        log.info("scheduler %s: looking for due reminders every %s s", self.worker, self.options.tick)
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass


def _route_paths(services: Services):
    """`url_path` for the composer. A reminder's links carry its own id and token, so they always miss
    Services' cache, and Starlette tries every route in turn (~0.3 ms a link); by name it is one route."""
    routes: dict[str, Route] = {}
    for route in services.router.routes:
        if isinstance(route, Route):
            routes.setdefault(route.name, route)

    def url_path(name: str, **params: object) -> str:
        route = routes.get(name)
        return str(route.url_path_for(name, **params)) if route else services.url_path(name, **params)

    return url_path


def _to_outbox(db, message: EmailMessage) -> None:
    """Without SMTP_URL the coordinator reads reminders in /admin/outbox like every other mail."""
    if db.scalar(select(Mail.id).where(Mail.message_id == message["Message-ID"])) is None:
        db.add(Mail(recipient=message["To"], subject=message["Subject"], message_id=message["Message-ID"],
                    body_text=message.get_body(("plain",)).get_content()))

