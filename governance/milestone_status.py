"""How a milestone stands today: the stored status plus what follows from dates and dependencies.

One place for these rules, so that the milestone plan, the dashboard and the reminders agree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from governance.models import Milestone

# "The due date is near and nothing has started": planned, and due within this many days.
NEAR = timedelta(days=14)
CLOSED = frozenset({"done", "missed"})


@dataclass(frozen=True)
class Standing:
    """`state` is one of planned, in_progress, done, missed, overdue, at_risk."""

    state: str
    late_dependencies: tuple[Milestone, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return self.state in ("overdue", "at_risk")


def is_overdue(milestone: Milestone, today: date) -> bool:
    return milestone.status not in CLOSED and milestone.due_on < today


def standing(milestone: Milestone, today: date) -> Standing:
    """Overdue beats at risk; at risk when a dependency is late, or when it is near and not started."""
    if milestone.status in CLOSED:
        return Standing(milestone.status)
    if is_overdue(milestone, today):
        return Standing("overdue")
    late = tuple(d for d in milestone.depends_on if d.status == "missed" or is_overdue(d, today))
    if late or (milestone.status == "planned" and milestone.due_on - today <= NEAR):
        return Standing("at_risk", late)
    return Standing(milestone.status)


def due_before_dependency(milestone: Milestone) -> list[Milestone]:
    """The milestones it depends on that are due after it: allowed, but shown as a warning."""
    return [dependency for dependency in milestone.depends_on if dependency.due_on > milestone.due_on]
