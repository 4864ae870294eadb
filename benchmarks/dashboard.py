"""Dashboard and milestone plan with 500 milestones and 5,000 tasks: median server-side time.

Target (issue 4): each under 50 ms median. Run: `.venv/bin/python benchmarks/dashboard.py`.
Requests go through the whole app in-process (Starlette's TestClient, no network).
"""

import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import select
from starlette.testclient import TestClient

from governance.models import Group, Indicator, Milestone, Person, Programme, Task
from governance.times import today
from workspace import migrate
from workspace.app import create_app
from workspace.db import Database
from workspace.demo import DEMO_PASSWORD, load_demo
from workspace.settings import Settings

MILESTONES, TASKS, ROUNDS = 500, 5_000, 100
PATHS = ("/", "/milestones")
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        with database.transaction() as db:
            load_demo(db, CHEAP)
            fill(db)
        database.dispose()
        app = create_app(Settings(data_dir=Path(folder), database_url=url, secret_key="bench", password_hasher=CHEAP))
        with TestClient(app, base_url="http://127.0.0.1:8000") as client:
            log_in(client)
            print(f"{MILESTONES} milestones, {TASKS} tasks, {ROUNDS} requests each (median / 95th percentile):")
            for path in PATHS:
                median, p95 = timings(client, path)
                print(f"  GET {path:12} {median:6.1f} ms / {p95:6.1f} ms")
        app.state.services.database.dispose()


def fill(db) -> None:
    """Milestones spread over focuses, groups and the programme's years, each maybe depending on an earlier one."""
    rng = random.Random(7)
    programme = db.scalars(select(Programme)).one()
    groups, people = list(db.scalars(select(Group))), list(db.scalars(select(Person)))
    made: list[Milestone] = []
    for number in range(MILESTONES):
        milestone = Milestone(
            programme=programme, title=f"Meilenstein {number}", focus=rng.choice(programme.focuses + [None]),
            group=rng.choice(groups), due_on=today() + timedelta(days=rng.randint(-700, 700)),
            status=rng.choice(["planned", "in_progress", "done", "missed"]),
            depends_on=rng.sample(made[-20:], k=min(len(made), rng.randint(0, 2))),
        )
        if number % 5 == 0:
            milestone.indicators = [Indicator(name="Anzahl", baseline=0, target=100, current=rng.randint(0, 100))]
        made.append(milestone)
    db.add_all(made)
    db.add_all(Task(title=f"Aufgabe {number}", group=rng.choice(groups), owner=rng.choice(people),
                    due_on=today() + timedelta(days=rng.randint(-200, 200)),
                    status=rng.choice(["open", "in_progress", "done"]))
               for number in range(TASKS))
    db.flush()


def log_in(client: TestClient) -> None:
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": token, "email": "koordination@example.org", "password": DEMO_PASSWORD})


def timings(client: TestClient, path: str) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * len(samples)) - 1]


if __name__ == "__main__":
    main()
