"""The demo seed: facts of the Präventionskette Jena (demo.yaml), loaded through domain operations."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from governance.models import Person, Programme
from governance.organisations import create_area, create_organisation, create_target_group
from governance.programmes import add_focus, create_programme
from workspace.auth import create_account
from workspace.metadata import metadata

SEED = Path(__file__).with_name("demo.yaml")
DEMO_PASSWORD = "werkstadt-demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    person: str


def read_seed() -> dict:
    with SEED.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def demo_logins(seed: dict | None = None) -> list[DemoLogin]:
    seed = seed or read_seed()
    return [DemoLogin(item["email"], item["role"], item["person"]) for item in seed["demo_logins"]]


def is_empty(db: Session) -> bool:
    people = db.scalar(select(func.count(Person.id)))
    programmes = db.scalar(select(func.count(Programme.id)))
    return not people and not programmes


def wipe(db: Session) -> None:
    """Delete every row of every table (children first); the schema stays as migrated."""
    for table in reversed(metadata.sorted_tables):
        db.execute(delete(table))


def load_demo(db: Session, hasher: PasswordHasher) -> list[DemoLogin]:
    seed = read_seed()
    _load_programme(db, seed["programme"])
    areas = {name: create_area(db, name) for name in seed["areas"]}
    for name in seed["target_groups"]:
        create_target_group(db, name)
    for item in seed["organisations"]:
        create_organisation(db, item["name"], item["kind"], areas.get(item.get("area")), item.get("role", ""))
    password_hash = hasher.hash(DEMO_PASSWORD)
    logins = demo_logins(seed)
    for login in logins:
        create_account(db, login.person, login.email, password_hash=password_hash,
                       is_coordinator=login.role == "coordinator")
    return logins


def _load_programme(db: Session, facts: dict) -> None:
    programme = create_programme(db, facts["name"], facts["start"], facts["end"], facts["core_target_group"])
    for focus in facts["focuses"]:
        add_focus(db, programme, focus["number"], focus["title"])
