"""Milestones (Meilensteine): planning them, moving them along, dependencies that never run in a circle."""

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.errors import N_, Conflict, DomainError, NotFound
from governance.history import changed_fields, record_change
from governance.models import Decision, Focus, Group, Milestone, Person, Programme, Task
from governance.models.milestones import MILESTONE_STATES, milestone_dependency
from governance.permissions import Actor, require
from governance.times import today

MAX_TITLE = 300
MAX_DESCRIPTION = 10_000
TITLE_REQUIRED = N_("Bitte geben Sie einen Titel an.")
DUE_REQUIRED = N_("Bitte geben Sie an, bis wann der Meilenstein erreicht sein soll.")
OUTSIDE_PERIOD = N_("Das Fälligkeitsdatum liegt außerhalb der Programmlaufzeit. "
                    "Bestätigen Sie es, wenn es trotzdem gelten soll.")
OTHER_PROGRAMME = N_("Dieser Meilenstein gehört zu einem anderen Programm.")
# What update_milestone may change; the programme stays.
EDITABLE = ("title", "description", "focus_id", "group_id", "responsible_id", "due_on", "status", "completed_on")


@dataclass(frozen=True)
class MilestoneDraft:
    """What the coordinator enters for a milestone: the same for planning it and for changing it."""

    title: str
    description: str = ""
    focus: Focus | None = None
    group: Group | None = None
    responsible: Person | None = None
    due_on: date | None = None
    status: str = "planned"
    completed_on: date | None = None


def create_milestone(db: Session, actor: Actor, programme: Programme, draft: MilestoneDraft,
                     confirm_outside: bool = False, depends_on: Sequence[Milestone] = ()) -> Milestone:
    """Plan a milestone; a due date outside the programme's period needs `confirm_outside`.

    A new milestone has nothing waiting for it yet, so its first dependencies cannot close a circle.
    """
    require(actor.is_coordinator)
    _check_draft(programme, draft)
    _check_period(programme, draft.due_on, confirm_outside)
    if any(prerequisite.programme_id != programme.id for prerequisite in depends_on):
        raise DomainError("depends_on", OTHER_PROGRAMME)
    milestone = Milestone(programme_id=programme.id, depends_on=list(depends_on))
    _apply(milestone, draft)
    db.add(milestone)
    _flush(db, milestone)
    record_change(db, actor.person, "milestone", milestone.id, "created",
                  {"title": [None, milestone.title], **_prerequisites(depends_on)})
    return milestone


def _prerequisites(depends_on: Sequence[Milestone]) -> dict[str, list]:
    return {"depends_on": [None, ", ".join(m.title for m in depends_on)]} if depends_on else {}


def update_milestone(db: Session, actor: Actor, milestone: Milestone, draft: MilestoneDraft,
                     expected_version: int | None, confirm_outside: bool = False) -> Milestone:
    """Change what a milestone says; a page loaded before someone else's change gets a Conflict.

    A due date already confirmed outside the period needs no new confirmation while it stays.
    """
    require(actor.is_coordinator)
    _check_version(milestone, expected_version)
    _check_draft(milestone.programme, draft)
    if draft.due_on != milestone.due_on:
        _check_period(milestone.programme, draft.due_on, confirm_outside)
    _apply(milestone, draft)
    changes = changed_fields(milestone, EDITABLE)
    if changes:
        _flush(db, milestone)
        record_change(db, actor.person, "milestone", milestone.id, "updated", changes)
    return milestone


def set_milestone_status(db: Session, actor: Actor, milestone: Milestone, status: str,
                         expected_version: int | None, completed_on: date | None = None) -> Milestone:
    """Planned, in progress, done or missed; done is dated today unless another day is given."""
    require(actor.can_manage_milestone(milestone))
    _check_version(milestone, expected_version)
    _check_status(status, completed_on)
    milestone.status = status
    milestone.completed_on = _completion(status, completed_on, milestone.completed_on)
    changes = changed_fields(milestone, ("status", "completed_on"))
    if changes:
        db.flush()
        record_change(db, actor.person, "milestone", milestone.id, "status", changes)
    return milestone


def _check_version(milestone: Milestone, expected_version: int | None) -> None:
    if expected_version != milestone.version_id:
        raise Conflict(milestone)


def _check_draft(programme: Programme, draft: MilestoneDraft) -> None:
    if not draft.title.strip():
        raise DomainError("title", TITLE_REQUIRED)
    if len(draft.title.strip()) > MAX_TITLE:
        raise DomainError("title", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_TITLE)
    if len(draft.description.strip()) > MAX_DESCRIPTION:
        raise DomainError("description", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."),
                          max=MAX_DESCRIPTION)
    if draft.focus is not None and draft.focus.programme_id != programme.id:
        raise DomainError("focus", N_("Dieser Schwerpunkt gehört zu einem anderen Programm."))
    if draft.due_on is None:
        raise DomainError("due_on", DUE_REQUIRED)
    _check_status(draft.status, draft.completed_on)


def _check_status(status: str, completed_on: date | None) -> None:
    if status not in MILESTONE_STATES:
        raise DomainError("status", N_("Diesen Status gibt es nicht."))
    if completed_on is not None and completed_on > today():
        raise DomainError("completed_on", N_("Das Datum liegt in der Zukunft."))


def _check_period(programme: Programme, due_on: date, confirmed: bool) -> None:
    """Outside start … current end is allowed, but only when the person says so (a typo is likelier)."""
    if not confirmed and not programme.starts_on <= due_on <= programme.ends_on:
        raise DomainError("confirm_outside", OUTSIDE_PERIOD)


def _completion(status: str, given: date | None, before: date | None) -> date | None:
    """Only a done milestone has a completion date: the given day, the day it was done already, or today."""
    if status != "done":
        return None
    return given or before or today()


def _apply(milestone: Milestone, draft: MilestoneDraft) -> None:
    """Copy the draft onto the milestone; ids rather than relationships, so the history sees each change."""
    milestone.title, milestone.description = draft.title.strip(), draft.description.strip()
    milestone.focus_id = draft.focus.id if draft.focus else None
    milestone.group_id = draft.group.id if draft.group else None
    milestone.responsible_id = draft.responsible.id if draft.responsible else None
    milestone.due_on, milestone.status = draft.due_on, draft.status
    milestone.completed_on = _completion(draft.status, draft.completed_on, milestone.completed_on)


def _flush(db: Session, milestone: Milestone) -> None:
    """Write now and let the relationships follow the changed ids on their next read."""
    db.flush()
    db.expire(milestone, ["focus", "group", "responsible"])


# Dependencies ----------------------------------------------------------------------------------

def add_dependency(db: Session, actor: Actor, milestone: Milestone, prerequisite: Milestone) -> None:
    """`milestone` can only be reached after `prerequisite`; refused when that would close a circle.

    Being due before a prerequisite is allowed: the plan shows it as a warning (milestone_status).
    """
    require(actor.is_coordinator)
    if prerequisite.programme_id != milestone.programme_id:
        raise DomainError("depends_on", OTHER_PROGRAMME)
    if prerequisite in milestone.depends_on:
        raise DomainError("depends_on", N_("Diese Abhängigkeit besteht schon."))
    circle = _path(db, prerequisite.id, milestone.id)
    if circle is not None:
        titles = _titles(db, circle)
        cycle = " → ".join([milestone.title, *(titles[milestone_id] for milestone_id in circle)])
        raise DomainError("depends_on", N_("Abhängigkeit im Kreis: %(cycle)s"), cycle=cycle)
    milestone.depends_on.append(prerequisite)
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "linked", {"depends_on": [None, prerequisite.title]})


def remove_dependency(db: Session, actor: Actor, milestone: Milestone, prerequisite: Milestone) -> None:
    require(actor.is_coordinator)
    if prerequisite not in milestone.depends_on:
        raise DomainError("depends_on", N_("Diese Abhängigkeit besteht nicht (mehr)."))
    milestone.depends_on.remove(prerequisite)
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "unlinked",
                  {"depends_on": [prerequisite.title, None]})


def _path(db: Session, start: int, goal: int) -> list[int] | None:
    """The ids along the dependencies from `start` to `goal` (both included), or None: one query, then a
    breadth-first walk, so the shortest circle is the one named."""
    edges: dict[int, list[int]] = {}
    for source, target in db.execute(select(milestone_dependency.c.milestone_id, milestone_dependency.c.depends_on_id)):
        edges.setdefault(source, []).append(target)
    came_from: dict[int, int | None] = {start: None}
    waiting = deque([start])
    while waiting:
        current = waiting.popleft()
        if current == goal:
            return _walk_back(came_from, goal)
        for following in edges.get(current, ()):
            if following not in came_from:
                came_from[following] = current
                waiting.append(following)
    return None


def _walk_back(came_from: dict[int, int | None], goal: int) -> list[int]:
    path: list[int] = []
    step: int | None = goal
    while step is not None:
        path.append(step)
        step = came_from[step]
    return path[::-1]


def _titles(db: Session, ids: list[int]) -> dict[int, str]:
    return dict(db.execute(select(Milestone.id, Milestone.title).where(Milestone.id.in_(ids))).all())


def dependents_of(db: Session, milestone: Milestone) -> list[Milestone]:
    """The milestones that wait for this one, soonest due first."""
    query = (select(Milestone).join(milestone_dependency, milestone_dependency.c.milestone_id == Milestone.id)
             .where(milestone_dependency.c.depends_on_id == milestone.id).order_by(Milestone.due_on, Milestone.id))
    return list(db.scalars(query))


def dependency_choices(db: Session, milestone: Milestone | None, programme: Programme) -> list[Milestone]:
    """The milestones one may make this one wait for (itself and those it waits for already left out)."""
    taken = {milestone.id, *(m.id for m in milestone.depends_on)} if milestone else set()
    query = select(Milestone).where(Milestone.programme_id == programme.id).order_by(Milestone.due_on, Milestone.id)
    return [choice for choice in db.scalars(query) if choice.id not in taken]


# What serves a milestone: decisions and tasks ------------------------------------------------

def link_decision(db: Session, actor: Actor, milestone: Milestone, decision: Decision) -> None:
    require(actor.can_manage_milestone(milestone) and actor.can_read_decision(decision))
    if decision in milestone.decisions:
        raise DomainError("decision", N_("Dieser Beschluss ist schon verknüpft."))
    milestone.decisions.append(decision)
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "linked", {"decision": [None, _named(decision)]})


def unlink_decision(db: Session, actor: Actor, milestone: Milestone, decision: Decision) -> None:
    require(actor.can_manage_milestone(milestone))
    if decision not in milestone.decisions:
        raise DomainError("decision", N_("Dieser Beschluss ist nicht (mehr) verknüpft."))
    milestone.decisions.remove(decision)
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "unlinked", {"decision": [_named(decision), None]})


def _named(decision: Decision) -> str:
    return decision.number or decision.text[:80]


def decision_numbered(db: Session, number: str) -> Decision:
    """The decision a person names by its number (PG-2025-004, or an outside body's 23/1825-BV)."""
    found = db.scalars(select(Decision).where(Decision.number == number.strip()).order_by(Decision.id)).first()
    if found is None or not number.strip():
        raise DomainError("decision", N_("Einen Beschluss mit dieser Nummer gibt es nicht."))
    return found


def link_task(db: Session, actor: Actor, milestone: Milestone, task: Task) -> None:
    """A task serves one milestone at most; linking it here moves it from any other."""
    require(actor.can_manage_milestone(milestone) and actor.can_read_task(task))
    if task.milestone_id not in (None, milestone.id):  # taking it off another milestone is that one's business too
        require(actor.can_manage_milestone(db.get(Milestone, task.milestone_id)))
    if task.milestone_id == milestone.id:
        raise DomainError("task", N_("Diese Aufgabe ist schon verknüpft."))
    task.milestone_id = milestone.id
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "linked", {"task": [None, task.title]})


def unlink_task(db: Session, actor: Actor, milestone: Milestone, task: Task) -> None:
    require(actor.can_manage_milestone(milestone))
    if task.milestone_id != milestone.id:
        raise DomainError("task", N_("Diese Aufgabe ist nicht (mehr) verknüpft."))
    task.milestone_id = None
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "unlinked", {"task": [task.title, None]})


def tasks_to_link(db: Session, milestone: Milestone, limit: int = 200) -> list[Task]:
    """Unfinished tasks that serve no milestone yet: of the responsible group, or of any group when the
    milestone has none (then only the coordinator manages it)."""
    query = select(Task).where(Task.milestone_id.is_(None), Task.status != "done", Task.group_id.is_not(None))
    if milestone.group_id is not None:
        query = query.where(Task.group_id == milestone.group_id)
    query = query.options(joinedload(Task.group)).order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    return list(db.scalars(query.limit(limit)))


# Finding ---------------------------------------------------------------------------------------

def find_milestone(db: Session, milestone_id: int) -> Milestone:
    """One milestone with what its page shows loaded."""
    query = (select(Milestone).where(Milestone.id == milestone_id)
             .options(joinedload(Milestone.programme), joinedload(Milestone.focus), joinedload(Milestone.group),
                      joinedload(Milestone.responsible), selectinload(Milestone.depends_on),
                      selectinload(Milestone.indicators),
                      selectinload(Milestone.decisions).joinedload(Decision.group)))
    milestone = db.scalar(query)
    if milestone is None:
        raise NotFound("milestone")
    return milestone
