"""Helper shifts at scale: 2,000 events, 10,000 shifts, 100,000 confirmed sign-ups over 5,000 volunteers;
median server-side time of the board /shifts, the coordinator's /fairness and a volunteer's personal feed.

Target (issue 7): each under 100 ms median. Run: `.venv/bin/python benchmarks/shifts.py`.
Requests go through the whole app in-process (Starlette's TestClient, no network). Rows are bulk
inserted with Core but keep the models' promises: one slot per place and shift, one live sign-up per
person and shift, minutes (the shift's length) and worked_at (its start) only where attendance was
confirmed. The load is skewed as in the network (a few carry much), so the busiest volunteer's feed
is the worst case.
Prints figures; asserts nothing.
"""

import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, time as clock, timedelta, timezone
from itertools import accumulate
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select
from starlette.routing import NoMatchFound
from starlette.testclient import TestClient

from calendars import ical
from calendars.feeds import renew_token
from calendars.models import Event, Shift, Signup, TASK_KINDS, Volunteer
from governance.models import Area, Organisation, Person
from governance.times import from_berlin, today
from workspace import migrate
from workspace.app import create_app
from workspace.db import Database
from workspace.demo import DEMO_PASSWORD, load_demo
from workspace.models import Account
from workspace.settings import Settings

EVENTS, PAST_EVENTS, SHIFTS_PER_EVENT = 2_000, 1_500, 5  # 10,000 shifts, 7,500 of them behind us
CONFIRMED, VOLUNTEERS = 100_000, 5_000
ROUNDS = 50
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TASKS = ("Aufbau", "Kuchenstand", "Kinderschminken", "Ordnerdienst", "Abbau")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        with database.transaction() as db:
            load_demo(db, CHEAP)
        started = time.perf_counter()
        with database.transaction() as db:
            busiest, typical = fill(db, random.Random(7))
        built = time.perf_counter() - started
        checkpoint(database)
        database.dispose()
        app = create_app(Settings(data_dir=Path(folder), database_url=url, secret_key="bench",
                                  base_url="https://werkstadt.example", password_hasher=CHEAP))
        with TestClient(app, base_url="https://werkstadt.example") as visitor, \
                TestClient(app, base_url="https://werkstadt.example") as coordinator:
            log_in(coordinator)
            print(f"{EVENTS:,} events, {EVENTS * SHIFTS_PER_EVENT:,} shifts, {CONFIRMED:,} confirmed sign-ups "
                  f"over {VOLUNTEERS:,} volunteers (built in {built:.1f} s); median / 95th percentile "
                  f"of {ROUNDS} requests, target < 100 ms:")
            report(app, visitor, "shifts", "GET /shifts (anonymous)", "/shifts")
            report(app, coordinator, "fairness", "GET /fairness (coordinator)", "/fairness")
            for label, (token, shifts) in (("busiest", busiest), ("typical", typical)):
                report(app, visitor, "personal_feed", f"GET /feeds/…ics ({label}, {shifts} shifts)",
                       f"/feeds/{token}.ics")
        app.state.services.database.dispose()


# --- the data -------------------------------------------------------------------------------------

def fill(db, rng: random.Random) -> tuple[tuple[str, int], tuple[str, int]]:
    """Everything in bulk; returns the feed tokens (and shift counts in the feed) of the busiest and of a
    typical volunteer."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    people = volunteers(db, now)
    shifts = make_shifts(rng, make_events(db, rng, now))
    holders = choose_holders(rng, shifts, people, now)
    ids = insert_shifts(db, shifts)
    db.execute(insert(Signup), [held(shift, shift_id, person, slot, now, came)
                                for shift, shift_id, (people_on, came) in zip(shifts, ids, holders)
                                for slot, person in enumerate(people_on, start=1)])
    return feed_of(db, people, now, rank=0), feed_of(db, people, now, rank=len(people) // 2)


def volunteers(db, now: datetime) -> list[int]:
    """Person, volunteer account (no password) and preferences, ordered from the busiest to the idlest."""
    start = db.scalar(select(func.max(Person.id))) + 1
    ids = list(range(start, start + VOLUNTEERS))
    db.execute(insert(Person), [{"id": pid, "name": f"Ehrenamt {n:04d}", "email": f"bench{n:04d}@example.org",
                                 "created_at": now} for n, pid in enumerate(ids)])
    db.execute(insert(Account), [{"person_id": pid, "kind": "volunteer", "password_hash": None} for pid in ids])
    db.execute(insert(Volunteer), [{"person_id": pid, "email_confirmed_at": now - timedelta(days=400),
                                    "last_asked_at": now - timedelta(days=n % 400), "task_kinds": "",
                                    "lead_hours": 48} for n, pid in enumerate(ids)])
    return ids


def make_events(db, rng: random.Random, now: datetime) -> list[Event]:
    """Single-date approved public events: three quarters in the past year, the rest in the next half year."""
    areas, organisers = list(db.scalars(select(Area))), list(db.scalars(select(Organisation)))
    events = []
    for number in range(EVENTS):
        ahead = rng.randint(-360, -2) if number < PAST_EVENTS else rng.randint(2, 180)
        starts_at = from_berlin(datetime.combine(today() + timedelta(days=ahead), clock(rng.randint(9, 16))))
        event = Event(
            uid=f"{uuid.uuid4()}@werkstadt", slug=f"fest-{number}", title=f"Stadtteilaktion {number}",
            description="Mit Helfer*innen aus dem Stadtteil.", kind=rng.choice(("festival", "tradition", "event")),
            all_day=False, starts_at=starts_at, ends_at=starts_at + timedelta(hours=4), frequency=None,
            repeat_interval=1, weekdays="", repeat_on="date", last_ends_at=starts_at + timedelta(hours=4),
            help_needed="Helfer*innen gesucht", place=f"Platz {number % 40}", online_url="", area=rng.choice(areas),
            organiser=rng.choice(organisers), visibility="public", status="confirmed", review="approved",
            sequence=0, created_at=now - timedelta(days=400), updated_at=now - timedelta(days=400))
        ical.refresh(event)
        events.append(event)
    db.add_all(events)
    db.flush()
    return events


def make_shifts(rng: random.Random, events: list[Event]) -> list[dict]:
    """Five shifts per event date, staggered over it (places are set once the holders are known)."""
    rows = []
    for event in events:
        for index, task in enumerate(TASKS):
            starts_at = event.starts_at + timedelta(hours=index - 1)
            rows.append({"event_id": event.id, "occurrence_start": event.starts_at, "task": task,
                         "task_kind": TASK_KINDS[index % len(TASK_KINDS)], "starts_at": starts_at,
                         "ends_at": starts_at + timedelta(hours=rng.choice((2, 2, 3))), "places": 1,
                         "notes": "", "cancelled": False, "created_at": event.created_at,
                         "updated_at": event.updated_at, "version_id": 1})
    return rows


def choose_holders(rng: random.Random, shifts: list[dict], people: list[int],
                   now: datetime) -> list[tuple[list[int], int]]:
    """Per shift: who holds a place and how many of them came. Past shifts: exactly CONFIRMED who came
    (13 or 14 a shift), now and then one more who did not; coming shifts: partly taken. Who signs up
    follows a long-tailed weight: the volunteer of rank r has weight 1 / (r + 200)."""
    weights = list(accumulate(1 / (rank + 200) for rank in range(len(people))))
    past = sum(1 for shift in shifts if shift["starts_at"] < now)
    found, index = [], 0
    for shift in shifts:
        if shift["starts_at"] < now:
            came = CONFIRMED // past + (index < CONFIRMED % past)
            index += 1
            holders = distinct(rng, people, weights, came + rng.choice((0, 0, 0, 1)))
            shift["places"] = len(holders) + rng.randint(0, 3)
        else:
            shift["places"] = rng.randint(2, 10)
            holders, came = distinct(rng, people, weights, rng.randint(0, shift["places"])), 0
        found.append((holders, came))
    return found


def insert_shifts(db, shifts: list[dict]) -> list[int]:
    """The rows in one executemany; SQLite numbers them in that order."""
    db.execute(insert(Shift), shifts)
    return db.scalars(select(Shift.id).order_by(Shift.id)).all()[-len(shifts):]


def distinct(rng: random.Random, people: list[int], weights: list[float], count: int) -> list[int]:
    """`count` different people drawn by weight (one live sign-up per person and shift)."""
    chosen: dict[int, None] = {}
    while len(chosen) < count:
        chosen.update(dict.fromkeys(rng.choices(people, cum_weights=weights, k=count - len(chosen))))
    return list(chosen)


def held(shift: dict, shift_id: int, person: int, slot: int, now: datetime, came: int) -> dict:
    """A taken place; on a past shift confirmed: the first `came` holders with the shift's minutes and start."""
    confirmed = shift["starts_at"] < now
    attended = slot <= came if confirmed else None
    minutes = int((shift["ends_at"] - shift["starts_at"]).total_seconds() // 60) if attended else None
    return {"shift_id": shift_id, "person_id": person, "state": "taken", "slot": slot,
            "created_at": shift["starts_at"] - timedelta(days=7), "cancelled_at": None,
            "attended": attended, "minutes": minutes, "worked_at": shift["starts_at"] if attended else None}


def feed_of(db, people: list[int], now: datetime, rank: int) -> tuple[str, int]:
    """A feed token for the volunteer of this rank, and how many of their shifts the feed carries."""
    person = db.get(Person, people[rank])
    shifts = db.scalar(select(func.count()).select_from(Signup).join(Signup.shift).where(
        Signup.person_id == person.id, Signup.state == "taken", Shift.ends_at >= now - timedelta(days=366)))
    return renew_token(db, person).token, shifts


def checkpoint(database: Database) -> None:
    """A settled database, as after SQLite's own checkpoints."""
    connection = database.engine.raw_connection()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


# --- the requests ---------------------------------------------------------------------------------

def log_in(client: TestClient) -> None:
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": token, "email": "koordination@example.org", "password": DEMO_PASSWORD})


def report(app, client: TestClient, route: str, label: str, path: str) -> None:
    """The figures for one route, or a note when the route is not built yet."""
    try:
        app.url_path_for(route, **({"token": "x"} if route == "personal_feed" else {}))
    except NoMatchFound:
        print(f"  {label:40} not available yet")
        return
    samples = timings(client, path)
    if samples is None:
        print(f"  {label:40} not available yet (no 200 answer)")
        return
    print(f"  {label:40} {statistics.median(samples):7.1f} ms / {percentile(samples, 95):7.1f} ms")


def timings(client: TestClient, path: str) -> list[float] | None:
    if client.get(path).status_code != 200:  # warm-up (templates, SQL compilation)
        return None
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(1000 * (time.perf_counter() - started))
        if response.status_code != 200:
            return None
    return samples


def percentile(samples: list[float], share: int) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share / 100) - 1)]


if __name__ == "__main__":
    main()
