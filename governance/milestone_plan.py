"""The milestone plan: every milestone with how it stands today, filtered, grouped by focus.

Three queries whatever the number of milestones (the milestones with their group's and person's
names, the dependencies, the indicators), read as plain rows rather than ORM objects and sorted in
one pass in Python, so that the plan of a long programme (hundreds of milestones) stays fast. The
page shows it a hundred rows at a time; the CSV and the print view take it whole.
"""

from dataclasses import dataclass, field
from datetime import date
from math import ceil

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, aliased

from governance.milestone_status import Standing, due_before_dependency, is_due_soon, standing
from governance.models import Focus, Group, Indicator, Milestone, Person, Programme
from governance.models.milestones import milestone_dependency

# The standings, and "due_soon" (due within DUE_SOON, whatever its standing), which the dashboard links to.
STANDINGS = ("overdue", "at_risk", "due_soon", "planned", "in_progress", "done", "missed")
PAGE_SIZE = 100  # rows of the timeline or table per page: the HTML of a row costs the most


@dataclass(frozen=True)
class PlanFilter:
    """The plan's filters; each is optional and they combine. `without_focus` picks those without one."""

    focus: Focus | None = None
    without_focus: bool = False
    group: Group | None = None
    state: str | None = None

    def admits(self, milestone: "PlannedMilestone", state: str, today: date) -> bool:
        if self.focus is not None and (milestone.focus is None or milestone.focus.id != self.focus.id):
            return False
        if self.without_focus and milestone.focus is not None:
            return False
        if self.group is not None and milestone.group_id != self.group.id:
            return False
        if self.state == "due_soon":
            return is_due_soon(milestone, today)
        return self.state is None or state == self.state


@dataclass(slots=True, eq=False)
class PlannedMilestone:
    """A milestone as the plan shows it. It has what milestone_status reads (status, due_on,
    depends_on), so the same rules judge it as they judge a Milestone."""

    id: int
    title: str
    due_on: date
    status: str
    completed_on: date | None
    focus: Focus | None
    group_id: int | None
    group_name: str | None
    responsible_name: str | None
    depends_on: list["PlannedMilestone"] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)  # name, unit, current, target


@dataclass(frozen=True)
class PlanRow:
    milestone: PlannedMilestone
    standing: Standing
    due_before: list[PlannedMilestone]  # prerequisites due after it: allowed, shown as a warning


@dataclass
class FocusSection:
    focus: Focus | None  # None: the milestones without a focus ("Ohne Schwerpunkt")
    rows: list[PlanRow] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    sections: list[FocusSection]
    number: int = 1  # of the page, when the plan is shown a page at a time
    pages: int = 1
    total: int = 0  # rows of the whole plan

    @property
    def rows(self) -> list[PlanRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def days(self) -> list[date]:
        return [row.milestone.due_on for row in self.rows]

    def page(self, number: int, size: int = PAGE_SIZE) -> "Plan":
        """One page of rows in the plan's order, still grouped by focus (a focus may go on over the next)."""
        rows = self.rows
        pages = max(1, ceil(len(rows) / size))
        number = min(max(number, 1), pages)
        return Plan(_grouped(rows[(number - 1) * size:number * size]), number, pages, len(rows))


def milestone_plan(db: Session, programme: Programme, chosen: PlanFilter, today: date) -> Plan:
    """Every milestone is read (a dependency may lie outside the filter); the filter then picks the rows."""
    rows = []
    for milestone in _planned_milestones(db, programme).values():
        row = PlanRow(milestone, standing(milestone, today), due_before_dependency(milestone))
        if chosen.admits(milestone, row.standing.state, today):
            rows.append(row)
    return Plan(_grouped(rows), total=len(rows))


def _grouped(rows: list[PlanRow]) -> list[FocusSection]:
    """By the focus's number, the milestones without a focus last; each section keeps the rows' order."""
    sections: dict[int | None, FocusSection] = {}
    for row in rows:
        focus = row.milestone.focus
        sections.setdefault(focus.id if focus else None, FocusSection(focus)).rows.append(row)
    return sorted(sections.values(), key=lambda section: (section.focus is None,
                                                           section.focus.number if section.focus else 0))


def _planned_milestones(db: Session, programme: Programme) -> dict[int, PlannedMilestone]:
    """Id → milestone, soonest due first, with dependencies (soonest first) and indicators attached."""
    focuses = {focus.id: focus for focus in programme.focuses}
    responsible = aliased(Person)
    query = (select(Milestone.id, Milestone.title, Milestone.due_on, Milestone.status, Milestone.completed_on,
                    Milestone.focus_id, Milestone.group_id, Group.name.label("group_name"),
                    responsible.name.label("responsible_name"))
             .outerjoin(Group, Group.id == Milestone.group_id)
             .outerjoin(responsible, responsible.id == Milestone.responsible_id)
             .where(Milestone.programme_id == programme.id).order_by(Milestone.due_on, Milestone.id))
    milestones = {row.id: PlannedMilestone(row.id, row.title, row.due_on, row.status, row.completed_on,
                                           focuses.get(row.focus_id), row.group_id, row.group_name,
                                           row.responsible_name)
                  for row in db.execute(query)}
    for milestone_id, prerequisite_id in db.execute(select(milestone_dependency)):
        if milestone_id in milestones and prerequisite_id in milestones:
            milestones[milestone_id].depends_on.append(milestones[prerequisite_id])
    for milestone in milestones.values():
        milestone.depends_on.sort(key=lambda prerequisite: (prerequisite.due_on, prerequisite.id))
    indicators = select(Indicator.milestone_id, Indicator.name, Indicator.unit, Indicator.current, Indicator.target)
    for indicator in db.execute(indicators.order_by(Indicator.id)):
        if indicator.milestone_id in milestones:
            milestones[indicator.milestone_id].indicators.append(indicator)
    return milestones


def responsible_groups(db: Session, programme: Programme) -> list[Group]:
    """The groups responsible for at least one milestone, for the group filter."""
    query = (select(Group).where(Group.id.in_(select(Milestone.group_id).where(Milestone.programme_id == programme.id)))
             .order_by(Group.name))
    return list(db.scalars(query))
