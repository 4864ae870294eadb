"""Fixtures: a fresh copy of an Alembic-migrated SQLite file per test, the app, a client, accounts."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from workspace import migrate
from workspace.app import create_app
from workspace.auth import create_account
from workspace.db import Database
from workspace.models import Account
from workspace.settings import Settings

from support import CHEAP_HASHER, PASSWORD, log_in



@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory) -> Path:
    """One SQLite file migrated by Alembic; every test works on a copy of it."""
    path = tmp_path_factory.mktemp("template") / "werkstadt.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def make_settings(data_dir: Path, database_file: Path, **overrides) -> Settings:
    values = dict(
        data_dir=data_dir,
        database_url=f"sqlite:///{database_file}",
        secret_key="test-secret-key",
        base_url="http://testserver",
        password_hasher=CHEAP_HASHER,
    )
    return Settings(**{**values, **overrides})


@pytest.fixture
def database_file(tmp_path: Path, migrated_file: Path) -> Path:
    path = tmp_path / "werkstadt.db"
    shutil.copy(migrated_file, path)
    return path


@pytest.fixture
def settings(tmp_path: Path, database_file: Path) -> Settings:
    return make_settings(tmp_path, database_file)


@pytest.fixture
def app(settings: Settings) -> Iterator[Starlette]:
    app = create_app(settings)
    yield app
    app.state.services.database.dispose()


@pytest.fixture
def client_with(tmp_path: Path, database_file: Path) -> Iterator[Callable[..., TestClient]]:
    """A client of an app with other settings (e.g. `smtp_url=…`, `base_url="https://…"`)."""
    apps: list[Starlette] = []

    def make(base_url: str = "http://testserver", **overrides) -> TestClient:
        app = create_app(make_settings(tmp_path, database_file, base_url=base_url, **overrides))
        apps.append(app)
        return TestClient(app, base_url=base_url, follow_redirects=False)

    yield make
    for app in apps:
        app.state.services.database.dispose()


@pytest.fixture
def other_client(app: Starlette) -> TestClient:
    """A second browser on the same app (its own cookies)."""
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


@pytest.fixture
def database(app: Starlette) -> Database:
    return app.state.services.database


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield client


@pytest.fixture
def make_account(database: Database) -> Callable[..., Account]:
    """Create an account through the domain operation, with PASSWORD unless told otherwise."""

    def make(email: str = "mitglied@example.org", name: str = "Mira Mitglied",
             is_coordinator: bool = False, password: str | None = PASSWORD, language: str = "de",
             kind: str = "member") -> Account:
        with database.transaction() as db:
            password_hash = CHEAP_HASHER.hash(password) if password else None
            account = create_account(db, name, email, password_hash=password_hash,
                                     is_coordinator=is_coordinator, language=language, kind=kind)
            account.person  # loaded while the session is open
        return account

    return make


@pytest.fixture
def coordinator(make_account) -> Account:
    return make_account("koordination@example.org", "Kim Koordination", is_coordinator=True)


@pytest.fixture
def member(make_account) -> Account:
    return make_account("mitglied@example.org", "Mira Mitglied")


@pytest.fixture
def as_member(client: TestClient, member: Account) -> TestClient:
    assert log_in(client, member.person.email).status_code == 303
    return client


@pytest.fixture
def as_coordinator(client: TestClient, coordinator: Account) -> TestClient:
    assert log_in(client, coordinator.person.email).status_code == 303
    return client


