"""Browser fixtures: the app with the demo data behind a real uvicorn, and Debian's chromium via Playwright."""

import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from workspace.app import create_app
from workspace.db import Database
from workspace.demo import DEMO_PASSWORD, load_demo
from workspace.settings import Settings

from support import CHEAP_HASHER

CHROMIUM = Path("/usr/bin/chromium")
# Playwright must never download a browser here; the flags keep chromium off the (closed) network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory, migrated_file: Path) -> Path:
    """The migrated database with the demo data loaded once; every server works on a copy."""
    path = tmp_path_factory.mktemp("demo") / "werkstadt.db"
    shutil.copy(migrated_file, path)
    database = Database(f"sqlite:///{path}")
    with database.transaction() as db:
        load_demo(db, CHEAP_HASHER)
    database.dispose()
    return path


@pytest.fixture
def live_server(tmp_path: Path, demo_file: Path) -> Iterator[str]:
    """A uvicorn thread serving a fresh copy of the demo data, so every test starts from the same state."""
    database_file = tmp_path / "werkstadt.db"
    shutil.copy(demo_file, database_file)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{database_file}",
                            secret_key="test-secret-key", base_url=base_url, password_hasher=CHEAP_HASHER)
        config = uvicorn.Config(create_app(settings), log_config=None, log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            while not server.started:
                if not thread.is_alive():
                    pytest.fail("the live server did not start")
                thread.join(0.01)
            yield base_url
        finally:
            server.should_exit = True
            thread.join(5)
    assert not thread.is_alive(), "the live server did not stop"


@pytest.fixture
def live_database(live_server: str, tmp_path: Path) -> Iterator[Database]:
    """The database the live server serves, for tests that add what they need through domain operations."""
    database = Database(f"sqlite:///{tmp_path / 'werkstadt.db'}")
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium for the whole run; a missing chromium fails the tests, it never skips them."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), with relative URLs resolved against the live server."""
    context = browser.new_context(base_url=live_server, locale="de-DE")
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in_as(page: Page) -> Callable[..., None]:
    """Log in through the form, as a person would; test modules cannot import from this conftest."""

    def log_in(email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")

    return log_in
