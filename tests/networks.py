"""A three-level network for the tests of decisions, tasks and escalation: groups, people, meetings.

Groups and memberships come from the domain operations. Meetings and agenda items are plain rows
here because scheduling them is the meetings module's business; these tests only need them to exist.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from governance.groups import add_membership, create_group
from governance.models import AgendaItem, Group, Meeting, Person
from governance.people import create_person
from governance.permissions import Actor, actor_for
from governance.times import from_berlin, today


@dataclass(frozen=True)
class Groups:
    steering: Group
    planning: Group
    working: Group


def build_groups(db: Session) -> Groups:
    steering = create_group(db, "Steuerungsgruppe Präventionskette", "SG", "steering")
    planning = create_group(db, "Planungsgruppe (Kernteam)", "PG", "planning", parent=steering)
    working = create_group(db, "Netzwerk Nord für Nord", "NN", "working", parent=planning)
    return Groups(steering, planning, working)


def person_in(db: Session, group: Group, role: str, name: str) -> Person:
    person = create_person(db, name)
    add_membership(db, group, person, role)
    return person


def actor_of(db: Session, person: Person) -> Actor:
    return actor_for(db, person, today())


def add_meeting(db: Session, group: Group, starts: datetime, status: str = "planned", title: str = "Sitzung") -> Meeting:
    """A meeting starting at `starts` (Berlin wall time)."""
    meeting = Meeting(group=group, title=title, starts_at=from_berlin(starts), status=status)
    db.add(meeting)
    db.flush()
    return meeting


def add_item(db: Session, meeting: Meeting, title: str, position: int = 0, kind: str = "decision") -> AgendaItem:
    item = AgendaItem(group=meeting.group, meeting=meeting, title=title, kind=kind, position=position)
    db.add(item)
    db.flush()
    return item


def days_from_now(days: int, hour: int = 17) -> datetime:
    """A Berlin wall time `days` from today, for meetings that must lie in the past or the future."""
    return datetime.combine(today() + timedelta(days=days), datetime.min.time()).replace(hour=hour)


def network_with(database, memberships) -> Groups:
    """The three groups, committed, with (account, level, role) memberships, for route tests."""
    with database.transaction() as db:
        groups = build_groups(db)
        for account, level, role in memberships:
            add_membership(db, getattr(groups, level), db.merge(account.person), role)
    return groups
