"""Helpers the tests share: reading pages as a person would, logging in through the form."""

import re

from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

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
