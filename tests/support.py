"""Helpers the tests share: reading pages as a person would, logging in through the form."""

import re
from datetime import datetime

from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from governance.groups import add_membership, create_group
from governance.models import Group, Person
from governance.times import from_berlin

PASSWORD = "richtig-geheim-42"
# Argon2 with the library's defaults costs ~145 ms a hash; tests use cheap parameters.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token a page hands out to this client (it also sets the session cookie)."""
    soup = page(client.get(path))
    return soup.select_one("input[name=csrf_token]")["value"]


def log_in(client: TestClient, email: str, password: str = PASSWORD):
    token = csrf_of(client)
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def field_error(soup: BeautifulSoup, name: str) -> str | None:
    """The error text shown next to a field, as a screen reader reaches it (aria-describedby)."""
    error = soup.select_one(f"#f-{name}-error")
    return " ".join(error.get_text().split()) if error else None


def text_of(soup: BeautifulSoup, selector: str) -> str:
    return re.sub(r"\s+", " ", soup.select_one(selector).get_text()).strip()


def berlin(wall_time: str) -> datetime:
    """'2023-10-25 09:00' read as Europe/Berlin wall time, as the aware UTC instant the database keeps."""
    return from_berlin(datetime.fromisoformat(wall_time))


def planning_team(db: Session, chair: Person, minute_taker: Person, member: Person, outsider: Person) -> Group:
    """A planning group under a steering group: the three in their roles, the outsider only in the steering group."""
    steering = create_group(db, "Steuerungsgruppe", "SG", "steering")
    planning = create_group(db, "Planungsgruppe", "PG", "planning", parent=steering)
    for person, role in ((chair, "chair"), (minute_taker, "minute_taker"), (member, "member")):
        add_membership(db, planning, person, role)
    add_membership(db, steering, outsider, "member")
    return planning


def count_queries(engine, action) -> int:
    """How many SQL statements `action()` sends through `engine` (for N+1 guards on list pages)."""
    statements: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def as_person(client: TestClient, email: str) -> TestClient:
    """The client, logged in as `email` through the login form."""
    assert log_in(client, email).status_code == 303
    return client


def post(client: TestClient, path: str, htmx: bool = False, **fields):
    """A form sent as the page sends it: with its hidden token, and by htmx also with the token header."""
    token = csrf_of(client, "/profile")
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else None
    return client.post(path, data={"csrf_token": token, **fields}, headers=headers)
