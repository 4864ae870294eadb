"""The claim protocol: of several senders exactly one gets each due reminder, a dead sender's claim is taken
over after its lease, temporary failures are retried with a doubling pause, and a failed one can be sent again."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from calendars.models import Reminder
from calendars.reminders.plans import Wanted
from calendars.reminders.queue import claim, mark_failed, mark_retry, mark_sent, mark_skipped, resend
from calendars.reminders.sync import new_reminder
from governance.people import create_person
from shift_world import NOW
from workspace.db import Database

LEASE = timedelta(minutes=5)


@pytest.fixture
def database(database_file):
    """The test's database file, opened the way every scheduler process opens it."""
    database = Database(f"sqlite:///{database_file}")
    yield database
    database.dispose()


def digests(db, count: int, due_at=NOW) -> list[Reminder]:
    """`count` weekly digests for one organiser, the first due `count` minutes before `due_at`, the last 1 minute."""
    person = create_person(db, "Olga Organisation", "olga@example.org")
    rows = [new_reminder(Wanted("organiser_digest", person.id, due_at - timedelta(minutes=count - n)), "person",
                         person.id, 1, occurrence=f"2026-W{40 + n}") for n in range(count)]
    db.add_all(rows)
    db.flush()
    return rows


@pytest.fixture
def due(database) -> list[int]:
    """Six reminders due by NOW, committed, soonest first."""
    with database.transaction() as db:
        return [row.id for row in digests(db, 6)]


def claim_in(database: Database, worker: str, now=NOW, limit: int = 4) -> tuple[str, list[int]]:
    """One claim in a transaction of its own, as a scheduler makes it."""
    with database.transaction() as db:
        token, rows = claim(db, worker, now, LEASE, limit)
        return token, [row.id for row in rows]


def stored(database: Database, reminder_id: int) -> Reminder:
    with database.session(write=False) as db:
        return db.get(Reminder, reminder_id)


# --- claiming ----------------------------------------------------------------------------------

def test_two_claims_never_get_the_same_reminder(database, due):
    _, first = claim_in(database, "scheduler-1")
    _, second = claim_in(database, "scheduler-2")
    assert first == due[:4] and second == due[4:]  # soonest first
    assert claim_in(database, "scheduler-1")[1] == []


def test_two_databases_claiming_at_once_share_the_reminders_without_overlap(database, database_file):
    with database.transaction() as db:
        every = {row.id for row in digests(db, 40)}
    other = Database(f"sqlite:///{database_file}")  # a second process's view of the same file

    def drain(store: Database, worker: str) -> list[int]:
        got: list[int] = []
        while batch := claim_in(store, worker, limit=3)[1]:
            got += batch
        return got

    try:
        with ThreadPoolExecutor(2) as pool:
            first, second = pool.map(drain, (database, other), ("scheduler-1", "scheduler-2"))
    finally:
        other.dispose()
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(every)


def test_a_claimed_reminder_carries_its_claim(database, due):
    token, claimed = claim_in(database, "scheduler-1", limit=1)
    row = stored(database, claimed[0])
    assert (row.state, row.claimed_by, row.lease_until, row.attempts, row.recovered) == (
        "claimed", token, NOW + LEASE, 1, False)
    assert token.startswith("scheduler-1/")


def test_nothing_is_claimed_before_it_is_due(database):
    with database.transaction() as db:
        later = digests(db, 1, due_at=NOW + timedelta(hours=1))[0].id
    assert claim_in(database, "scheduler-1")[1] == []
    assert claim_in(database, "scheduler-1", now=NOW + timedelta(hours=1))[1] == [later]


def test_cancelled_sent_and_failed_reminders_are_never_claimed(database, due):
    with database.transaction() as db:
        for reminder_id, state in zip(due, ("cancelled", "sent", "failed")):
            db.get(Reminder, reminder_id).state = state
    assert claim_in(database, "scheduler-1", limit=10)[1] == due[3:]


def test_a_claim_whose_lease_ran_out_is_taken_over_and_the_old_token_is_void(database, due):
    dead, claimed = claim_in(database, "scheduler-1", limit=1)
    assert claim_in(database, "scheduler-2", now=NOW + LEASE - timedelta(seconds=1), limit=1)[1] == [due[1]]
    token, again = claim_in(database, "scheduler-2", now=NOW + LEASE + timedelta(seconds=1), limit=1)
    assert again == claimed
    row = stored(database, claimed[0])
    assert (row.state, row.claimed_by, row.attempts, row.recovered) == ("claimed", token, 2, True)
    with database.transaction() as db:
        assert mark_sent(db, claimed[0], dead, NOW + LEASE) is False
        assert mark_sent(db, claimed[0], token, NOW + LEASE + timedelta(seconds=2)) is True
    row = stored(database, claimed[0])
    assert (row.state, row.claimed_by, row.sent_at, row.lease_until) == (
        "sent", token, NOW + LEASE + timedelta(seconds=2), None)


def test_a_skipped_reminder_is_kept_as_cancelled_with_the_reason(database, due):
    token, claimed = claim_in(database, "scheduler-1", limit=1)
    with database.transaction() as db:
        assert mark_skipped(db, claimed[0], token, "Die Schicht ist voll.") is True
    row = stored(database, claimed[0])
    assert (row.state, row.last_error) == ("cancelled", "Die Schicht ist voll.")


# --- failures ----------------------------------------------------------------------------------

def test_a_temporary_failure_pauses_twice_as_long_each_time_then_gives_up(db):
    reminder_id = digests(db, 1)[0].id
    now, pauses, outcomes = NOW, [], []
    for _ in range(4):
        token, rows = claim(db, "scheduler-1", now, LEASE, 10)
        assert [row.id for row in rows] == [reminder_id]
        outcomes.append(mark_retry(db, rows[0], token, "421 Service not available", now,
                                   first_pause=timedelta(minutes=1), max_attempts=4))
        row = db.scalars(select(Reminder).execution_options(populate_existing=True)).one()
        pauses.append(row.try_at - now)
        assert claim(db, "scheduler-1", row.try_at - timedelta(seconds=1), LEASE, 10)[1] == []
        now = row.try_at
    assert outcomes == ["retry", "retry", "retry", "failed"]
    assert pauses[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert (row.state, row.attempts, row.last_error) == ("failed", 4, "421 Service not available")


def test_a_claim_in_a_session_that_already_holds_the_row_sees_it_claimed(db):
    made = digests(db, 1)[0]
    token, rows = claim(db, "scheduler-1", NOW, LEASE, 10)
    assert rows == [made]
    assert (made.state, made.claimed_by, made.attempts) == ("claimed", token, 1)


def test_a_refused_address_fails_at_once_and_resending_starts_afresh(database, due):
    token, claimed = claim_in(database, "scheduler-1", limit=1)
    with database.transaction() as db:
        assert mark_failed(db, claimed[0], token, "550 No such user") is True
    row = stored(database, claimed[0])
    assert (row.state, row.last_error) == ("failed", "550 No such user")
    later = NOW + timedelta(hours=3)
    with database.transaction() as db:
        resend(db, db.get(Reminder, claimed[0]), later)
    row = stored(database, claimed[0])
    assert (row.state, row.attempts, row.try_at, row.claimed_by) == ("pending", 0, later, None)
    assert claimed[0] in claim_in(database, "scheduler-2", now=later, limit=10)[1]


def test_resending_leaves_a_reminder_that_did_not_fail_alone(database, due):
    token, claimed = claim_in(database, "scheduler-1", limit=1)
    with database.transaction() as db:
        mark_sent(db, claimed[0], token, NOW)
    with database.transaction() as db:
        resend(db, db.get(Reminder, claimed[0]), NOW + timedelta(hours=1))
    assert stored(database, claimed[0]).state == "sent"
