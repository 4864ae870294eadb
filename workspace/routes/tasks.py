"""Tasks: "Meine Aufgaben", a group's tasks, creating and changing them, moving them along in place."""

from starlette.responses import Response
from starlette.routing import Route

from governance import tasks as ops
from governance.groups import current_members, find_group
from governance.models import Group, Person, Task
from governance.models.decisions import TASK_STATES
from governance.permissions import require
from governance.times import today
from workspace.access import MEMBER
from workspace.endpoints import Call, endpoint
from workspace.routes.account import safe_next
from workspace.submission import attempt, chosen


def task_fields(call: Call) -> dict:
    """Title, owner and due date as the task forms send them (shared with the decision page's form)."""
    form = call.form
    return {"title": form.text("title", ops.MAX_TITLE, ops.TITLE_REQUIRED),
            "owner": chosen(call, Person, "owner"), "due_on": form.date("due_on")}


def people_to_name(call: Call, group: Group | None, named: Person | None = None) -> list[Person]:
    """Who a form offers to name: the group's current members, and whoever is named already."""
    people = [membership.person for membership in current_members(call.db, group, today())] if group else []
    if named is not None and named not in people:
        people.append(named)
    return people


def _task(call: Call) -> Task:
    return ops.find_task(call.db, call.request.path_params["task_id"])


@endpoint(MEMBER)
def my_tasks(call: Call) -> Response:
    tasks, on = ops.my_tasks(call.db, call.actor.person), today()
    return call.render("tasks/list.html", tasks=tasks, overdue=sum(task.is_overdue(on) for task in tasks),
                       actor=call.actor, today=on)


@endpoint(MEMBER)
def group_tasks(call: Call) -> Response:
    group = find_group(call.db, call.request.path_params["slug"])
    require(call.actor.can_read_group(group))
    return _render_group(call, group)


def _render_group(call: Call, group: Group, status: int = 200) -> Response:
    manages = call.actor.can_manage_group(group)
    return call.render("tasks/group.html", status=status, block="task_form" if status == 422 and call.is_htmx else None,
                       group=group, tasks=ops.group_tasks(call.db, group), actor=call.actor, today=today(),
                       manages=manages, people=people_to_name(call, group) if manages else [])


@endpoint(MEMBER)
def create_task(call: Call) -> Response:
    group = find_group(call.db, call.request.path_params["slug"])
    require(call.actor.can_manage_group(group))
    fields = task_fields(call)
    attempt(call, lambda: ops.create_task(call.db, call.actor, group, **fields))
    if call.form.errors:
        return _render_group(call, group, status=422)
    call.flash("task_created")
    return call.redirect(call.url("group_tasks", slug=group.slug))


@endpoint(MEMBER)
def edit_task(call: Call) -> Response:
    task = _task(call)
    require(call.actor.can_change_task(task))
    call.form.update({"title": task.title, "owner": str(task.owner_id or ""),
                      "due_on": task.due_on.isoformat() if task.due_on else ""})
    return _render_edit(call, task)


@endpoint(MEMBER)
def update_task(call: Call) -> Response:
    task = _task(call)
    require(call.actor.can_change_task(task))
    fields = task_fields(call)
    attempt(call, lambda: ops.update_task(call.db, call.actor, task, **fields))
    if call.form.errors:
        return _render_edit(call, task, status=422)
    call.flash("task_saved")
    return call.redirect(call.url("group_tasks", slug=task.group.slug) if task.group else call.url("tasks"))


def _render_edit(call: Call, task: Task, status: int = 200) -> Response:
    return call.render("tasks/edit.html", status=status, block="task_form" if status == 422 and call.is_htmx else None,
                       task=task, people=people_to_name(call, task.group, task.owner))


@endpoint(MEMBER)
def set_status(call: Call) -> Response:
    """Open, in progress, done: htmx swaps the task's row; a plain form returns to the page it came from."""
    task = _task(call)
    require(call.actor.can_set_task_status(task))
    status = call.form.choice("status", TASK_STATES)
    attempt(call, lambda: ops.set_task_status(call.db, call.actor, task, status))
    if call.is_htmx or call.form.errors:
        return call.render("tasks/list.html", status=422 if call.form.errors else 200,
                           block="task_row" if call.is_htmx else None, item=task, tasks=[task], overdue=0,
                           actor=call.actor, today=today())
    call.flash("task_status_changed")
    return call.redirect(safe_next(call.form.get("next") or call.url("tasks")))


routes = [
    Route("/tasks", my_tasks, methods=["GET"], name="tasks"),
    Route("/tasks/{task_id:int}/edit", edit_task, methods=["GET"], name="edit_task"),
    Route("/tasks/{task_id:int}/edit", update_task, methods=["POST"], name="update_task"),
    Route("/tasks/{task_id:int}/status", set_status, methods=["POST"], name="set_task_status"),
    Route("/groups/{slug}/tasks", group_tasks, methods=["GET"], name="group_tasks"),
    Route("/groups/{slug}/tasks", create_task, methods=["POST"], name="create_task"),
]
