"""The `werkstadt` command as an operator uses it."""

import io
import shutil

import pytest
from sqlalchemy import select

from workspace.cli import main
from workspace.db import Database
from workspace.models import Account


@pytest.fixture
def data_dir(tmp_path, monkeypatch, migrated_file):
    shutil.copy(migrated_file, tmp_path / "werkstadt.db")
    monkeypatch.setenv("WERKSTADT_DATA", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return tmp_path


def accounts(data_dir) -> dict[str, bool]:
    """The accounts that log in with a password (the demo's volunteers log in by link)."""
    database = Database(f"sqlite:///{data_dir / 'werkstadt.db'}")
    with database.session(write=False) as db:
        found = {account.person.email: account.person.is_coordinator
                 for account in db.scalars(select(Account).where(Account.kind == "member"))}
    database.dispose()
    return found


def test_db_upgrade_migrates_a_new_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WERKSTADT_DATA", str(tmp_path / "neu"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert "Datenbank ist auf dem neuesten Stand." in capsys.readouterr().out
    assert (tmp_path / "neu" / "werkstadt.db").exists()
    assert (tmp_path / "neu" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_demo_loads_and_prints_the_logins(data_dir, capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "koordination@example.org" in out and "werkstadt-demo" in out
    assert accounts(data_dir) == {
        "koordination@example.org": True, "steuerung@example.org": False,
        "planung@example.org": False, "nord@example.org": False,
    }


def test_demo_refuses_a_database_with_data_unless_forced(data_dir, capsys):
    main(["demo"])
    capsys.readouterr()
    assert main(["demo"]) == 1
    assert "nicht leer" in capsys.readouterr().err
    assert main(["demo", "--if-empty"]) == 0
    assert "koordination@example.org" in capsys.readouterr().out
    assert main(["demo", "--force"]) == 0
    assert len(accounts(data_dir)) == 4


def test_create_admin_reads_the_password_from_standard_input(data_dir, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-sicheres-passwort\n"))
    assert main(["create-admin", "--email", "Chefin@Example.org"]) == 0
    assert accounts(data_dir) == {"chefin@example.org": True}


def test_create_admin_refuses_a_short_password(data_dir, capsys):
    assert main(["create-admin", "--email", "a@example.org", "--password", "kurz"]) == 1
    assert "mindestens 10 Zeichen" in capsys.readouterr().err
    assert accounts(data_dir) == {}


def test_create_admin_refuses_a_taken_address(data_dir, capsys):
    main(["create-admin", "--email", "a@example.org", "--password", "lang-genug-1"])
    assert main(["create-admin", "--email", "a@example.org", "--password", "lang-genug-1"]) == 1
    assert "schon vergeben" in capsys.readouterr().err
