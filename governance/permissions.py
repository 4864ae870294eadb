"""Who may do what in the groups: one Actor per request, pure predicates over it.

The coordinator manages everything; a group's chair, deputy and minute-taker manage its meetings,
minutes and decisions; members read their groups and propose agenda items; every logged-in person
reads the steering group's adopted decisions and the whole milestone plan; the coordinator plans the
milestones, and the managers of a milestone's responsible group move it along.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.errors import NotAllowed
from governance.models import Decision, Group, Membership, Milestone, Person, Task
from governance.models.groups import MANAGING_ROLES

PUBLIC_DECISION_STATES = frozenset({"adopted", "implemented"})


@dataclass(frozen=True)
class Actor:
    """The acting person with their current role in each group (group id → role)."""

    person: Person
    roles: Mapping[int, str] = field(default_factory=dict)

    @property
    def is_coordinator(self) -> bool:
        return self.person.is_coordinator

    def role_in(self, group: Group) -> str | None:
        return self.roles.get(group.id)

    def can_read_group(self, group: Group) -> bool:
        return self.is_coordinator or group.id in self.roles

    def can_manage_group(self, group: Group) -> bool:
        """Meetings, agenda, minutes and decisions of the group."""
        return self.is_coordinator or self.roles.get(group.id) in MANAGING_ROLES

    def can_approve_minutes(self, group: Group) -> bool:
        return self.is_coordinator or self.roles.get(group.id) == "chair"

    def can_propose(self, group: Group) -> bool:
        return self.can_read_group(group)

    def can_read_decision(self, decision: Decision) -> bool:
        if decision.group is None:  # an outside body's decision, public record
            return True
        if self.can_read_group(decision.group):
            return True
        return decision.group.level == "steering" and decision.status in PUBLIC_DECISION_STATES

    def can_read_task(self, task: Task) -> bool:
        return task.owner_id == self.person.id or self._in_group(task, self.can_read_group)

    def can_change_task(self, task: Task) -> bool:
        """Title, owner and due date: the group's managers."""
        return self._in_group(task, self.can_manage_group)

    def can_set_task_status(self, task: Task) -> bool:
        """The owner moves their own task along; the group's managers may too."""
        return task.owner_id == self.person.id or self.can_change_task(task)

    def can_manage_milestone(self, milestone: Milestone) -> bool:
        """Status, indicators and links: the coordinator, and the managers of the responsible group."""
        return self.is_coordinator or (milestone.group_id is not None
                                       and self.roles.get(milestone.group_id) in MANAGING_ROLES)

    def _in_group(self, task: Task, predicate) -> bool:
        return self.is_coordinator or (task.group is not None and predicate(task.group))


def actor_for(db: Session, person: Person, today: date) -> Actor:
    """Load the person's current memberships once; every predicate then answers without a query."""
    memberships = db.scalars(select(Membership).where(Membership.person_id == person.id))
    roles = {m.group_id: m.role for m in memberships if m.is_current(today)}
    return Actor(person, roles)


def require(allowed: bool) -> None:
    """Raise NotAllowed (a 403 in the web layer) unless `allowed`."""
    if not allowed:
        raise NotAllowed()
