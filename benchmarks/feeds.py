"""/calendar.ics with 5,000 approved public events (500 of them recurring): median server time, a 304,
the same feed built naively with icalendar for comparison, the feed size, and the peak Python memory
while serving (1,000 against 5,000 events, to show it stays flat).

Targets (issue 5): < 50 ms median, a 304 < 5 ms, at least 20x faster than the naive build.
Run: `.venv/bin/python benchmarks/feeds.py`. Requests go through the whole app in-process
(httpx's ASGI transport, no network). Prints figures; asserts nothing.
"""

import asyncio
import random
import statistics
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, time as clock, timedelta, timezone
from pathlib import Path

import httpx2
from argon2 import PasswordHasher
from sqlalchemy import select

from calendars import ical
from calendars.feeds import Window, naive_feed
from calendars.listing import CalendarFilter
from calendars.models import Event, EventException
from calendars.occurrences import occurrences
from calendars.recurrence import WEEKDAY_CODES
from governance.models import Area, Organisation, TargetGroup
from governance.times import from_berlin, today
from workspace import migrate
from workspace.app import create_app
from workspace.db import Database
from workspace.demo import load_demo
from workspace.routes.feeds import CALENDAR_NAME, feed_links
from workspace.settings import Settings

SMALL, LARGE, RECURRING_SHARE = 1_000, 5_000, 10  # every tenth event recurs
ROUNDS, ROUNDS_304, NAIVE_ROUNDS = 30, 200, 3
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
DESCRIPTION = ("Offener Treff für Familien im Stadtteil: Spiele, Gespräche und ein kleiner Imbiss; "
               "bitte Hausschuhe mitbringen, Eltern, Großeltern & Kinder willkommen.\nEintritt frei.")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        with database.transaction() as db:
            load_demo(db, CHEAP)
        app = create_app(Settings(data_dir=Path(folder), database_url=url, secret_key="bench",
                                  base_url="https://werkstadt.example", password_hasher=CHEAP))
        fill(database, 0, SMALL)
        small_peak = peak_memory(app)
        fill(database, SMALL, LARGE)
        large_peak = peak_memory(app)
        served, not_modified, body = asyncio.run(serve(app))
        naive, naive_body = build_naively(database, app)
        database.dispose()
        app.state.services.database.dispose()
    recurring = LARGE // RECURRING_SHARE
    print(f"/calendar.ics with {LARGE:,} approved public events ({recurring:,} recurring, "
          f"{recurring // 10:,} of them with a moved or cancelled date) and the demo's, through the ASGI app:")
    print(f"  GET /calendar.ics, whole body    {statistics.median(served):7.1f} ms median / "
          f"{percentile(served, 95):6.1f} ms p95 of {ROUNDS}   (target < 50 ms)")
    print(f"  GET with If-None-Match -> 304    {statistics.median(not_modified):7.2f} ms median of {ROUNDS_304}"
          f"   (target < 5 ms)")
    print(f"  naive: load, icalendar, to_ical  {statistics.median(naive):7.0f} ms median of {NAIVE_ROUNDS}")
    print(f"  naive / served                   {statistics.median(naive) / statistics.median(served):7.0f}x"
          f"   (goal >= 20x)")
    print(f"  feed size                        {len(body) / 1e6:7.2f} MB, {body.count(b'BEGIN:VEVENT'):,} VEVENTs "
          f"(naive build: {naive_body.count(b'BEGIN:VEVENT'):,}), {body.count(b'EXDATE'):,} with an EXDATE "
          f"(naive: {naive_body.count(b'EXDATE'):,})")
    print(f"  peak Python memory while serving {SMALL:,} events: {small_peak / 1e6:.2f} MB, "
          f"{LARGE:,} events: {large_peak / 1e6:.2f} MB   (tracemalloc; body passed on as sent)")


def fill(database: Database, first: int, last: int) -> None:
    """Events built in bulk; their kept VEVENT text comes from calendars.ical as in a real change."""
    rng = random.Random(first)
    with database.transaction() as db:
        areas, organisers = list(db.scalars(select(Area))), list(db.scalars(select(Organisation)))
        target_groups = list(db.scalars(select(TargetGroup)))
        now = datetime.now(timezone.utc).replace(microsecond=0)
        for number in range(first, last):
            event = make(number, rng, now, areas, organisers, target_groups)
            if event.frequency and number % 100 == 0:
                change_one_date(event, rng, now)
            ical.refresh(event)
            db.add(event)
    connection = database.engine.raw_connection()  # a settled database, as after SQLite's own checkpoints
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def make(number: int, rng: random.Random, now: datetime, areas, organisers, target_groups) -> Event:
    recurring = number % RECURRING_SHARE == 0
    day = today() + timedelta(days=rng.randint(-300, 0) if recurring else rng.randint(-300, 700))
    all_day = not recurring and number % 10 == 5
    if all_day:
        starts_at = from_berlin(datetime.combine(day, clock()))
        ends_at = starts_at + timedelta(days=rng.choice((1, 1, 2)))
    else:
        starts_at = from_berlin(datetime.combine(day, clock(rng.randint(8, 19), rng.choice((0, 15, 30)))))
        ends_at = starts_at + timedelta(minutes=rng.choice((60, 90, 120)))
    frequency = rng.choice(("weekly", "weekly", "weekly", "monthly", "yearly")) if recurring else None
    return Event(
        uid=f"{uuid.uuid4()}@werkstadt", slug=f"termin-{number}", title=f"Veranstaltung Nummer {number} im Stadtteil",
        description=DESCRIPTION, kind=rng.choice(("festival", "tradition", "event", "offer")), all_day=all_day,
        starts_at=starts_at, ends_at=ends_at, frequency=frequency, repeat_interval=1,
        weekdays=WEEKDAY_CODES[day.weekday()] if frequency == "weekly" else "",
        repeat_on="weekday" if frequency == "monthly" else "date", last_ends_at=None if recurring else ends_at,
        help_needed="", place=f"Stadtteilbüro, Raum {number % 7}", online_url="https://meet.example/treff" if number % 4 == 0 else "",
        area=rng.choice(areas), organiser=rng.choice(organisers), partners=rng.sample(organisers, 2),
        target_groups=rng.sample(target_groups, 2), visibility="public", status="confirmed", review="approved",
        sequence=rng.randint(0, 3), created_at=now - timedelta(days=30), updated_at=now - timedelta(days=rng.randint(1, 29)),
    )


def change_one_date(event: Event, rng: random.Random, now: datetime) -> None:
    """Move or cancel one of the series' coming dates ("nur dieser Termin"), two days or 45 days ago
    (a cancellation that old is an EXDATE added when the feed is assembled, no longer an override)."""
    coming = rng.choice(occurrences(event, now, now + timedelta(days=400))[:4])
    cancelled = rng.random() < 0.5
    shift = timedelta(hours=0 if cancelled else 2)
    event.exceptions.append(EventException(recurrence_id=coming.recurrence_id, cancelled=cancelled, sequence=0, place="", note="",
                                           starts_at=coming.starts_at + shift, ends_at=coming.ends_at + shift,
                                           updated_at=now - timedelta(days=rng.choice((2, 45)))))


async def serve(app) -> tuple[list[float], list[float], bytes]:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="https://werkstadt.example") as client:
        first = await client.get("/calendar.ics")  # warm-up
        assert first.status_code == 200, first.status_code
        served = [await timed(client, {}, 200) for _ in range(ROUNDS)]
        etag = {"If-None-Match": first.headers["etag"]}
        not_modified = [await timed(client, etag, 304) for _ in range(ROUNDS_304)]
    return served, not_modified, first.content


async def timed(client, headers: dict, status: int) -> float:
    started = time.perf_counter()
    response = await client.get("/calendar.ics", headers=headers)
    body = response.content
    elapsed = 1000 * (time.perf_counter() - started)
    assert response.status_code == status and (status == 304 or body.endswith(b"END:VCALENDAR\r\n"))
    return elapsed


def build_naively(database: Database, app) -> tuple[list[float], bytes]:
    """The same feed loaded as objects, built component by component with icalendar and serialised."""
    links, window = feed_links(app.state.services), Window(datetime.now(timezone.utc))
    timings, body = [], b""
    for _ in range(NAIVE_ROUNDS):
        with database.session(write=False) as db:
            started = time.perf_counter()
            body = naive_feed(db, CalendarFilter(), window, links, CALENDAR_NAME)
            timings.append(1000 * (time.perf_counter() - started))
    return timings, body


def peak_memory(app) -> int:
    """Peak Python allocation while the app serves the feed once, the body passed on chunk by chunk."""
    asyncio.run(_call(app))  # warm caches (templates, router, SQL compilation) outside the measurement
    tracemalloc.start()
    tracemalloc.reset_peak()
    sent = asyncio.run(_call(app))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sent > 0
    return peak


async def _call(app) -> int:
    """One GET /calendar.ics straight through the ASGI interface, counting the body's bytes as they go."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "https",
             "path": "/calendar.ics", "raw_path": b"/calendar.ics", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"werkstadt.example")], "client": ("127.0.0.1", 50000),
             "server": ("werkstadt.example", 443)}
    sent, done = 0, asyncio.Event()

    async def receive() -> dict:
        if not done.is_set():
            done.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected

    async def send(message: dict) -> None:
        nonlocal sent
        if message["type"] == "http.response.body":
            sent += len(message.get("body", b""))

    await app(scope, receive, send)
    return sent


def percentile(samples: list[float], share: int) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share / 100) - 1)]


if __name__ == "__main__":
    main()
