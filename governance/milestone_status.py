"""How a milestone stands today: the stored status plus what follows from dates and dependencies.

One place for these rules, so that the milestone plan, the dashboard and the reminders agree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, not_, or_
from sqlalchemy.orm import aliased

from governance.models import Milestone
from governance.models.milestones import milestone_dependency

# "The due date is near and nothing has started": planned, and due within this many days.
NEAR = timedelta(days=14)
# "Due soon" on the dashboard and in the plan's filter: open, and due today or within this many days.
DUE_SOON = timedelta(days=30)
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


def is_due_soon(milestone: Milestone, today: date) -> bool:
    return milestone.status not in CLOSED and today <= milestone.due_on <= today + DUE_SOON


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


# The same rules as SQL conditions, for counting and filtering hundreds of milestones in the database.
# tests/governance/test_milestone_status.py checks that both forms agree.

def overdue_condition(today: date, milestone=Milestone) -> ColumnElement[bool]:
    return and_(milestone.status.not_in(CLOSED), milestone.due_on < today)


def due_soon_condition(today: date) -> ColumnElement[bool]:
    return and_(Milestone.status.not_in(CLOSED), Milestone.due_on >= today, Milestone.due_on <= today + DUE_SOON)


def _late_dependency(today: date) -> ColumnElement[bool]:
    dependency = aliased(Milestone)
    return exists().where(
        milestone_dependency.c.milestone_id == Milestone.id,
        milestone_dependency.c.depends_on_id == dependency.id,
        or_(dependency.status == "missed", overdue_condition(today, dependency)),
    )


def standing_condition(state: str, today: date) -> ColumnElement[bool]:
    """SQL for `standing(m, today).state == state`."""
    if state in CLOSED:
        return Milestone.status == state
    if state == "overdue":
        return overdue_condition(today)
    open_ahead = and_(Milestone.status.not_in(CLOSED), Milestone.due_on >= today)
    at_risk = or_(_late_dependency(today), and_(Milestone.status == "planned", Milestone.due_on <= today + NEAR))
    if state == "at_risk":
        return and_(open_ahead, at_risk)
    return and_(open_ahead, Milestone.status == state, not_(at_risk))
