"""What the start pages show: the coordinator's view of the whole programme, a member's of their groups.

A fixed handful of queries whatever the size: figures are counted in SQL with the rules of
governance.milestone_status, and only the first few milestones of each list are loaded.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.milestone_status import CLOSED, due_soon_condition, standing_condition
from governance.models import Decision, Focus, Group, Indicator, Meeting, Milestone, Programme, Task
from governance.models.groups import LEVELS
from governance.permissions import PUBLIC_DECISION_STATES, Actor
from governance.programmes import current_programme

LISTED = 10  # milestones named per kind on the dashboard; the plan has them all
RECENT_DECISIONS = 5


@dataclass
class FocusProgress:
    """Milestones of one focus (None: without a focus): done of total, and the indicators' progress (0–1)."""

    focus: Focus | None
    done: int
    total: int
    indicator_progress: float | None


@dataclass
class MilestoneOverview:
    """How many milestones are overdue, at risk or due soon, the first few of each, progress per focus."""

    counts: dict[str, int]
    lists: dict[str, list[Milestone]]
    by_focus: list[FocusProgress]


@dataclass
class Dashboard:
    programme: Programme | None
    days_left: int | None
    milestones: MilestoneOverview
    overdue_tasks: list[tuple[Group, int]]
    next_meetings: list[tuple[str, Meeting | None]]
    recent_decisions: list[Decision]


def coordinator_dashboard(db: Session, today: date, now: datetime) -> Dashboard:
    programme = current_programme(db)
    return Dashboard(
        programme=programme,
        days_left=(programme.ends_on - today).days if programme else None,
        milestones=milestone_overview(db, today, programme),
        overdue_tasks=overdue_tasks_by_group(db, today),
        next_meetings=next_meeting_per_level(db, now),
        recent_decisions=recent_decisions(db),
    )


def _attention(today: date, programme: Programme | None) -> dict[str, ColumnElement[bool]]:
    """Of the current programme only, as the plan the dashboard links to (no programme: none)."""
    ours = Milestone.programme_id == (programme.id if programme else None)
    return {"overdue": and_(ours, standing_condition("overdue", today)),
            "at_risk": and_(ours, standing_condition("at_risk", today)),
            "due_soon": and_(ours, due_soon_condition(today))}


def milestone_overview(db: Session, today: date, programme: Programme | None) -> MilestoneOverview:
    """Counted in SQL; only the first few milestones of each kind are loaded (the plan lists them all)."""
    conditions = _attention(today, programme)
    counted = db.execute(select(*(func.count().filter(c) for c in conditions.values())).select_from(Milestone)).one()
    lists = {name: list(db.scalars(select(Milestone).where(condition)
                                   .options(selectinload(Milestone.depends_on), joinedload(Milestone.group))
                                   .order_by(Milestone.due_on, Milestone.id).limit(LISTED)))
             for name, condition in conditions.items()}
    return MilestoneOverview(dict(zip(conditions, counted)), lists, progress_by_focus(db, programme))


def progress_by_focus(db: Session, programme: Programme | None) -> list[FocusProgress]:
    if programme is None:
        return []
    ours = Milestone.programme_id == programme.id
    done = func.count().filter(Milestone.status == "done")
    counts = {focus_id: (d, t) for focus_id, d, t in
              db.execute(select(Milestone.focus_id, done, func.count()).where(ours).group_by(Milestone.focus_id))}
    shares = dict(db.execute(select(Milestone.focus_id, func.avg(_share())).join(Milestone.indicators)
                             .where(ours, Indicator.current.is_not(None), Indicator.target != Indicator.baseline)
                             .group_by(Milestone.focus_id)).all())
    by_id = {focus.id: focus for focus in programme.focuses}
    rows = [FocusProgress(by_id.get(focus_id), d, t, shares.get(focus_id)) for focus_id, (d, t) in counts.items()]
    return sorted(rows, key=lambda row: (row.focus is None, row.focus.number if row.focus else 0))


def _share() -> ColumnElement[float]:
    """How far the current value has come from baseline to target, clipped to 0–1 (as indicator_share)."""
    share = (Indicator.current - Indicator.baseline) / (Indicator.target - Indicator.baseline)
    return case((share < 0, 0.0), (share > 1, 1.0), else_=share)


def indicator_share(indicator: Indicator) -> float | None:
    """How far the current value has come from baseline to target (0–1), if it can be said."""
    if indicator.current is None or indicator.target == indicator.baseline:
        return None
    share = (indicator.current - indicator.baseline) / (indicator.target - indicator.baseline)
    return min(max(share, 0.0), 1.0)


def overdue_tasks_by_group(db: Session, today: date) -> list[tuple[Group, int]]:
    """Open tasks past their due date, counted per group in SQL, the most first."""
    late = func.count(Task.id)
    query = (select(Group, late).join(Task, Task.group_id == Group.id)
             .where(Task.status != "done", Task.due_on < today)
             .group_by(Group.id).order_by(late.desc(), Group.name))
    return [(group, count) for group, count in db.execute(query)]


def next_meeting_per_level(db: Session, now: datetime, group_ids: list[int] | None = None) -> list[tuple[str, Meeting | None]]:
    """The next planned or invited meeting on each level (steering, planning, working)."""
    found = {}
    for level in LEVELS:
        query = (select(Meeting).join(Meeting.group).options(joinedload(Meeting.group))
                 .where(Group.level == level, Meeting.starts_at >= now, Meeting.status.in_(("planned", "invited")))
                 .order_by(Meeting.starts_at).limit(1))
        if group_ids is not None:
            query = query.where(Meeting.group_id.in_(group_ids))
        found[level] = db.scalar(query)
    return list(found.items())


def recent_decisions(db: Session, group_ids: list[int] | None = None) -> list[Decision]:
    """The latest adopted decisions (of the given groups, or of all)."""
    query = (select(Decision).options(joinedload(Decision.group))
             .where(Decision.status.in_(PUBLIC_DECISION_STATES))
             .order_by(Decision.decided_on.desc().nulls_last(), Decision.id.desc()).limit(RECENT_DECISIONS))
    if group_ids is not None:
        query = query.where(Decision.group_id.in_(group_ids))
    return list(db.scalars(query))


@dataclass
class StartPage:
    """A member's start page: the open milestones, next meetings and decisions of their own groups."""

    milestones: list[Milestone]
    next_meetings: list[tuple[str, Meeting | None]]
    recent_decisions: list[Decision]


def member_start_page(db: Session, actor: Actor, today: date, now: datetime) -> StartPage:
    groups = list(actor.roles)
    query = (select(Milestone).where(Milestone.group_id.in_(groups), Milestone.status.not_in(CLOSED))
             .options(selectinload(Milestone.depends_on), joinedload(Milestone.group))
             .order_by(Milestone.due_on, Milestone.id))
    return StartPage(list(db.scalars(query)), next_meeting_per_level(db, now, groups), recent_decisions(db, groups))

