"""The demo seed: facts of the Präventionskette Jena (demo.yaml), loaded through domain operations."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from governance.groups import add_membership, create_group
from governance.models import Group, Person, Programme
from governance.organisations import create_area, create_organisation, create_target_group
from governance.people import create_person
from governance.programmes import add_focus, create_programme
from workspace.auth import create_account
from workspace.demo_calendar import load_calendar
from workspace.demo_governance import load_governance
from workspace.demo_milestones import load_milestones
from workspace.demo_shifts import load_shifts
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
    """Delete every row of every table; the schema stays as migrated.

    Self-references (group → parent) and the one cycle (agenda item ↔ decision) are cleared first;
    then tables go children first.
    """
    for table in metadata.sorted_tables:
        nullable = {key.parent.name: None for key in table.foreign_keys
                    if key.column.table is table or key.constraint.use_alter}
        if nullable:
            db.execute(update(table).values(nullable))
    for table in reversed(metadata.sorted_tables):
        db.execute(delete(table))


def load_demo(db: Session, hasher: PasswordHasher) -> list[DemoLogin]:
    seed = read_seed()
    programme = _load_programme(db, seed["programme"])
    areas = {name: create_area(db, name) for name in seed["areas"]}
    for name in seed["target_groups"]:
        create_target_group(db, name)
    for item in seed["organisations"]:
        create_organisation(db, item["name"], item["kind"], areas.get(item.get("area")), item.get("role", ""))
    password_hash = hasher.hash(DEMO_PASSWORD)
    logins = demo_logins(seed)
    people = {
        login.person: create_account(db, login.person, login.email, password_hash=password_hash,
                                     is_coordinator=login.role == "coordinator").person
        for login in logins
    }
    groups = _load_groups(db, seed["groups"], programme, people)
    for login in seed["demo_logins"]:
        for group_name, role in login["groups"].items():
            _join(db, groups[group_name], people[login["person"]], role.replace("-", "_"))
    coordinator = next(people[login.person] for login in logins if login.role == "coordinator")
    load_governance(db, seed, groups, coordinator, people)
    load_milestones(db, seed, programme, groups, coordinator, people)
    load_calendar(db, seed, groups, coordinator, people)
    load_shifts(db, seed, coordinator)
    return logins


def _load_programme(db: Session, facts: dict) -> Programme:
    programme = create_programme(db, facts["name"], facts["start"], facts["end"], facts["core_target_group"])
    for focus in facts["focuses"]:
        add_focus(db, programme, focus["number"], focus["title"])
    return programme


def _load_groups(db: Session, facts: list[dict], programme: Programme, people: dict[str, Person]) -> dict:
    """The groups in seed order (parents first) with their listed members; "(Vorsitz)" marks the chair."""
    focuses = {focus.number: focus for focus in programme.focuses}
    groups: dict[str, Group] = {}
    for item in facts:
        groups[item["name"]] = group = create_group(
            db, item["name"], item["code"], item["level"], groups.get(item.get("parent")),
            item.get("purpose", ""), focuses.get(item.get("focus")),
        )
        for entry in item.get("members", []):
            name = entry.removesuffix(" (Vorsitz)")
            if name not in people:
                people[name] = create_person(db, name)
            _join(db, group, people[name], "chair" if name != entry else "member")
    return groups


def _join(db: Session, group: Group, person: Person, role: str) -> None:
    """Add the membership, or set the role where the person is already listed (demo logins win)."""
    existing = next((m for m in group.memberships if m.person_id == person.id), None)
    if existing is None:
        add_membership(db, group, person, role)
    else:
        existing.role = role
