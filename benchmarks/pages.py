"""Server-side time of the foundation's pages (median of many requests) on the demo data.

Run: `make benchmarks` or `.venv/bin/python benchmarks/pages.py`. Prints figures; asserts nothing.
"""

import statistics
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from starlette.testclient import TestClient

from workspace import migrate
from workspace.app import create_app
from workspace.db import Database
from workspace.demo import DEMO_PASSWORD, load_demo
from workspace.settings import Settings

ROUNDS = 300


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        with database.transaction() as db:
            load_demo(db, PasswordHasher())
        database.dispose()
        settings = Settings(data_dir=Path(folder), database_url=url, secret_key="benchmark")
        app = create_app(settings)
        with TestClient(app, base_url="http://127.0.0.1:8000") as client:
            print(f"GET /login (anonymous)      {median_ms(client, '/login'):6.2f} ms median")
            token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
            started = time.perf_counter()
            client.post("/login", data={"csrf_token": token, "email": "koordination@example.org",
                                        "password": DEMO_PASSWORD})
            print(f"POST /login (Argon2 verify) {1000 * (time.perf_counter() - started):6.2f} ms once")
            for path in ("/", "/organisations", "/admin/users", "/profile", "/healthz"):
                print(f"GET {path:23} {median_ms(client, path):6.2f} ms median")
        app.state.services.database.dispose()


def median_ms(client: TestClient, path: str) -> float:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


if __name__ == "__main__":
    main()
