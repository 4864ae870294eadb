"""Tasks (Aufgaben): who does what by when, where it came from, and each person's own list."""

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from governance.base import utcnow
from governance.errors import N_, DomainError, NotFound
from governance.models import AgendaItem, Decision, Group, Meeting, Person, Task
from governance.models.decisions import TASK_STATES
from governance.permissions import Actor, require

MAX_TITLE = 300
TITLE_REQUIRED = N_("Bitte geben Sie an, was zu tun ist.")
OWNER_REQUIRED = N_("Bitte wählen Sie, wer die Aufgabe übernimmt.")


def create_task(
    db: Session, actor: Actor, group: Group, title: str, owner: Person | None, due_on: date | None = None,
    agenda_item: AgendaItem | None = None, decision: Decision | None = None,
) -> Task:
    """A task of a group, optionally following from one of its agenda items or decisions."""
    require(actor.can_manage_group(group))
    _check_task(title, owner)
    _check_origin(group, agenda_item, decision)
    task = Task(title=title.strip(), owner=owner, due_on=due_on, group=group,
                agenda_item=agenda_item, decision=decision)
    db.add(task)
    db.flush()
    return task


def update_task(db: Session, actor: Actor, task: Task, title: str, owner: Person | None,
                due_on: date | None) -> Task:
    require(actor.can_change_task(task))
    _check_task(title, owner)
    task.title, task.owner, task.due_on = title.strip(), owner, due_on
    db.flush()
    return task


def set_task_status(db: Session, actor: Actor, task: Task, status: str) -> Task:
    """Open, in progress or done; `completed_at` records when it was done (and clears on reopening)."""
    require(actor.can_set_task_status(task))
    if status not in TASK_STATES:
        raise DomainError("status", N_("Diesen Status gibt es nicht."))
    if status != task.status:
        task.status = status
        task.completed_at = utcnow() if status == "done" else None
        db.flush()
    return task


def _check_task(title: str, owner: Person | None) -> None:
    if not title.strip():
        raise DomainError("title", TITLE_REQUIRED)
    if len(title.strip()) > MAX_TITLE:
        raise DomainError("title", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_TITLE)
    if owner is None:
        raise DomainError("owner", OWNER_REQUIRED)


def _check_origin(group: Group, agenda_item: AgendaItem | None, decision: Decision | None) -> None:
    if agenda_item is not None and agenda_item.group_id != group.id:
        raise DomainError("agenda_item", N_("Dieser Tagesordnungspunkt gehört zu einer anderen Gruppe."))
    if decision is not None and decision.group_id != group.id:
        raise DomainError("decision", N_("Dieser Beschluss gehört zu einer anderen Gruppe."))


def _with_origin(query: Select) -> Select:
    """Load what a task row shows with the task itself (no query per row)."""
    return query.options(joinedload(Task.owner), joinedload(Task.group), joinedload(Task.decision),
                         joinedload(Task.agenda_item).joinedload(AgendaItem.meeting).joinedload(Meeting.group))


def _by_due_date(query: Select) -> Select:
    return query.order_by(Task.due_on.is_(None), Task.due_on, Task.id)


def find_task(db: Session, task_id: int) -> Task:
    task = db.scalar(_with_origin(select(Task).where(Task.id == task_id)))
    if task is None:
        raise NotFound("task")
    return task


def my_tasks(db: Session, person: Person) -> list[Task]:
    """The person's unfinished tasks, the most urgent first (`Task.is_overdue` marks the late ones)."""
    query = select(Task).where(Task.owner_id == person.id, Task.status != "done")
    return list(db.scalars(_by_due_date(_with_origin(query))))


def group_tasks(db: Session, group: Group) -> list[Task]:
    """The group's tasks: unfinished ones first, by due date."""
    query = _with_origin(select(Task).where(Task.group_id == group.id))
    return list(db.scalars(_by_due_date(query.order_by(Task.status == "done"))))


def tasks_of_decision(db: Session, decision: Decision) -> list[Task]:
    query = _with_origin(select(Task).where(Task.decision_id == decision.id))
    return list(db.scalars(_by_due_date(query)))


def tasks_by_agenda_item(db: Session, meeting: Meeting) -> dict[int, list[Task]]:
    """Agenda item id → the tasks that follow from it, for a meeting's page (one query for all items)."""
    items = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    query = select(Task).where(Task.agenda_item_id.in_(items)).options(joinedload(Task.owner))
    found: dict[int, list[Task]] = {}
    for task in db.scalars(_by_due_date(query)):
        found.setdefault(task.agenda_item_id, []).append(task)
    return found


def tasks_of_milestone(db: Session, milestone_id: int) -> list[Task]:
    query = _with_origin(select(Task).where(Task.milestone_id == milestone_id))
    return list(db.scalars(_by_due_date(query.order_by(Task.status == "done"))))
