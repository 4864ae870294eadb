"""A milestone's page: its status in place, dependencies, indicators, the decisions and tasks that serve it;
planning and changing milestones."""

from starlette.responses import Response
from starlette.routing import Route

from governance import indicators
from governance import milestones as ops
from governance.dashboard import indicator_share
from governance.errors import N_, Conflict, DomainError, NotFound
from governance.groups import list_groups
from governance.history import history_of
from governance.milestone_status import due_before_dependency, standing
from governance.models import Focus, Group, Indicator, Milestone, Person, Programme, Task
from governance.models.milestones import MILESTONE_STATES
from governance.people import list_people
from governance.permissions import require
from governance.programmes import find_programme
from governance.tasks import find_task, tasks_of_milestone
from governance.times import today
from workspace.access import COORDINATOR, MEMBER
from workspace.endpoints import Call, endpoint
from workspace.forms import Form
from workspace.submission import attempt, chosen, loaded_version

CHOOSE_MILESTONE = N_("Bitte wählen Sie einen Meilenstein.")


def _milestone(call: Call) -> Milestone:
    return ops.find_milestone(call.db, call.request.path_params["milestone_id"])


def _managed(call: Call) -> Milestone:
    """The milestone in the path, for the coordinator or a manager of its responsible group."""
    milestone = _milestone(call)
    require(call.actor.can_manage_milestone(milestone))
    return milestone


# The milestone's page --------------------------------------------------------------------------

@endpoint(MEMBER)
def milestone_page(call: Call) -> Response:
    return _render(call, _milestone(call))


def _render(call: Call, milestone: Milestone, status: int = 200, block: str | None = None, **extra) -> Response:
    return call.render("milestones/milestone.html", status=status, block=block,
                       **{**_context(call, milestone), **extra})


def _context(call: Call, milestone: Milestone) -> dict:
    """Everything the page shows; every block is rendered from the same context (and alone for htmx)."""
    manages, plans = call.actor.can_manage_milestone(milestone), call.actor.is_coordinator
    return {
        "milestone": milestone, "actor": call.actor, "today": today(),
        "milestone_standing": standing(milestone, today()),
        "due_before": due_before_dependency(milestone), "dependents": ops.dependents_of(call.db, milestone),
        "tasks": [task for task in tasks_of_milestone(call.db, milestone.id) if call.actor.can_read_task(task)],
        "history": history_of(call.db, "milestone", milestone.id),
        "manages": manages, "plans": plans, "statuses": MILESTONE_STATES, "progress": indicator_share,
        "choices": ops.dependency_choices(call.db, milestone, milestone.programme) if plans else [],
        "open_tasks": ops.tasks_to_link(call.db, milestone) if manages else [],
        "editing": None, "conflict": None, "answered": None,
    }


def _answer(call: Call, milestone: Milestone, section: str, **extra) -> Response:
    """After a change in one section: its block for htmx (422 with the errors), else a redirect back to it."""
    block = section if call.is_htmx else None
    if call.form.errors:
        return _render(call, milestone, 422, block, answered=section, **extra)
    if block is not None:
        return _render(call, milestone, block=block, form=Form())
    call.flash("milestone_changed")
    return call.redirect(call.url("milestone", milestone_id=milestone.id) + "#" + section)


@endpoint(MEMBER)
def set_status(call: Call) -> Response:
    """Status in place (htmx swaps the status block); a stale page is told what was saved meanwhile."""
    milestone = _managed(call)
    wanted = call.form.choice("status", MILESTONE_STATES)
    completed_on = call.form.date("completed_on")
    try:
        attempt(call, lambda: ops.set_milestone_status(call.db, call.actor, milestone, wanted, loaded_version(call),
                                                       completed_on))
    except Conflict:
        return _render(call, milestone, 409, "milestone_status" if call.is_htmx else None, conflict=wanted)
    return _answer(call, milestone, "milestone_status")


# Planning and changing a milestone (the coordinator) ------------------------------------------

@endpoint(COORDINATOR)
def new_milestone(call: Call) -> Response:
    call.form.update({"status": "planned"})
    return _render_form(call, find_programme(call.db), None)


@endpoint(COORDINATOR)
def create_milestone(call: Call) -> Response:
    programme = find_programme(call.db)
    draft, confirmed = _draft(call), call.form.get("confirm_outside") == "yes"
    prerequisite = chosen(call, Milestone, "depends_on")
    depends_on = [prerequisite] if prerequisite else []
    milestone = attempt(call, lambda: ops.create_milestone(call.db, call.actor, programme, draft, confirmed,
                                                           depends_on))
    if call.form.errors:
        return _render_form(call, programme, None, status=422)
    call.flash("milestone_created")
    return call.redirect(call.url("milestone", milestone_id=milestone.id))


@endpoint(COORDINATOR)
def edit_milestone(call: Call) -> Response:
    milestone = _milestone(call)
    call.form.update(_values(milestone))
    return _render_form(call, milestone.programme, milestone)


@endpoint(COORDINATOR)
def update_milestone(call: Call) -> Response:
    milestone = _milestone(call)
    draft, confirmed = _draft(call), call.form.get("confirm_outside") == "yes"
    try:
        attempt(call, lambda: ops.update_milestone(call.db, call.actor, milestone, draft, loaded_version(call),
                                                   confirmed))
    except Conflict:
        return _render_form(call, milestone.programme, milestone, status=409, conflict=True)
    if call.form.errors:
        return _render_form(call, milestone.programme, milestone, status=422)
    call.flash("milestone_saved")
    return call.redirect(call.url("milestone", milestone_id=milestone.id))


def _render_form(call: Call, programme: Programme, milestone: Milestone | None, status: int = 200,
                 conflict: bool = False) -> Response:
    return call.render("milestones/form.html", status=status, block="milestone_form" if call.is_htmx else None,
                       programme=programme, milestone=milestone, conflict=conflict, statuses=MILESTONE_STATES,
                       groups=list_groups(call.db), people=list_people(call.db),
                       choices=[] if milestone else ops.dependency_choices(call.db, None, programme))


def _draft(call: Call) -> ops.MilestoneDraft:
    form = call.form
    return ops.MilestoneDraft(
        title=form.text("title", ops.MAX_TITLE, ops.TITLE_REQUIRED),
        description=form.text("description", ops.MAX_DESCRIPTION),
        focus=chosen(call, Focus, "focus"), group=chosen(call, Group, "group"),
        responsible=chosen(call, Person, "responsible"),
        due_on=form.date("due_on", ops.DUE_REQUIRED), status=form.choice("status", MILESTONE_STATES),
        completed_on=form.date("completed_on"),
    )


def _values(milestone: Milestone) -> dict[str, str]:
    """A milestone as the form's fields show it."""
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {"title": milestone.title, "description": milestone.description, "focus": text(milestone.focus_id),
            "group": text(milestone.group_id), "responsible": text(milestone.responsible_id),
            "due_on": milestone.due_on.isoformat(), "status": milestone.status,
            "completed_on": milestone.completed_on.isoformat() if milestone.completed_on else "",
            "version": str(milestone.version_id)}


# Dependencies (the coordinator) ----------------------------------------------------------------

@endpoint(COORDINATOR)
def add_dependency(call: Call) -> Response:
    milestone = _milestone(call)
    prerequisite = chosen(call, Milestone, "depends_on")
    if prerequisite is None and not call.form.errors:
        call.form.add_error(DomainError("depends_on", CHOOSE_MILESTONE))
    attempt(call, lambda: ops.add_dependency(call.db, call.actor, milestone, prerequisite))
    return _answer(call, milestone, "milestone_dependencies")


@endpoint(COORDINATOR)
def remove_dependency(call: Call) -> Response:
    milestone = _milestone(call)
    prerequisite = call.db.get(Milestone, call.request.path_params["prerequisite_id"])
    if prerequisite is None:
        raise NotFound("milestone")
    attempt(call, lambda: ops.remove_dependency(call.db, call.actor, milestone, prerequisite))
    return _answer(call, milestone, "milestone_dependencies")


# Indicators (the coordinator and the responsible group's managers) -----------------------------

def _indicator_draft(call: Call) -> indicators.IndicatorDraft:
    form = call.form
    return indicators.IndicatorDraft(
        name=form.text("name", indicators.MAX_NAME, indicators.NAME_REQUIRED),
        unit=form.text("unit", indicators.MAX_UNIT),
        baseline=form.decimal("baseline") or 0.0,
        target=form.decimal("target", indicators.TARGET_REQUIRED),
        current=form.decimal("current"), current_on=form.date("current_on"),
    )


def _indicator(call: Call, milestone: Milestone) -> Indicator:
    return indicators.find_indicator(milestone, call.request.path_params["indicator_id"])


@endpoint(MEMBER)
def add_indicator(call: Call) -> Response:
    milestone = _managed(call)
    draft = _indicator_draft(call)
    attempt(call, lambda: indicators.add_indicator(call.db, call.actor, milestone, draft))
    return _answer(call, milestone, "milestone_indicators")


@endpoint(MEMBER)
def edit_indicator(call: Call) -> Response:
    """The indicator's form in place of its row (htmx), or on the whole page."""
    milestone = _managed(call)
    indicator = _indicator(call, milestone)
    call.form.update(_indicator_values(indicator))
    return _render(call, milestone, block="milestone_indicators" if call.is_htmx else None, editing=indicator)


@endpoint(MEMBER)
def update_indicator(call: Call) -> Response:
    milestone = _managed(call)
    indicator = _indicator(call, milestone)
    draft = _indicator_draft(call)
    attempt(call, lambda: indicators.update_indicator(call.db, call.actor, indicator, draft))
    return _answer(call, milestone, "milestone_indicators", editing=indicator)


@endpoint(MEMBER)
def remove_indicator(call: Call) -> Response:
    milestone = _managed(call)
    indicator = _indicator(call, milestone)
    indicators.remove_indicator(call.db, call.actor, indicator)
    return _answer(call, milestone, "milestone_indicators")


def _indicator_values(indicator: Indicator) -> dict[str, str]:
    """An indicator as its form shows it: numbers with a decimal comma and no exponent (1e+06)."""
    def number(value: float | None) -> str:
        return "" if value is None else f"{value:f}".rstrip("0").rstrip(".").replace(".", ",")

    return {"name": indicator.name, "unit": indicator.unit, "baseline": number(indicator.baseline),
            "target": number(indicator.target), "current": number(indicator.current),
            "current_on": indicator.current_on.isoformat() if indicator.current_on else ""}


# Decisions and tasks that serve the milestone --------------------------------------------------

@endpoint(MEMBER)
def link_decision(call: Call) -> Response:
    milestone = _managed(call)
    number = call.form.text("decision", 60, N_("Bitte geben Sie die Nummer des Beschlusses an."))
    attempt(call, lambda: ops.link_decision(call.db, call.actor, milestone, ops.decision_numbered(call.db, number)))
    return _answer(call, milestone, "milestone_links")


@endpoint(MEMBER)
def unlink_decision(call: Call) -> Response:
    milestone = _managed(call)
    decision = next((d for d in milestone.decisions if d.id == call.request.path_params["decision_id"]), None)
    if decision is None:
        raise NotFound("decision")
    ops.unlink_decision(call.db, call.actor, milestone, decision)
    return _answer(call, milestone, "milestone_links")


@endpoint(MEMBER)
def link_task(call: Call) -> Response:
    milestone = _managed(call)
    task = chosen(call, Task, "task")
    if task is None and not call.form.errors:
        call.form.add_error(DomainError("task", N_("Bitte wählen Sie eine Aufgabe.")))
    attempt(call, lambda: ops.link_task(call.db, call.actor, milestone, task))
    return _answer(call, milestone, "milestone_links")


@endpoint(MEMBER)
def unlink_task(call: Call) -> Response:
    milestone = _managed(call)
    task = find_task(call.db, call.request.path_params["task_id"])
    attempt(call, lambda: ops.unlink_task(call.db, call.actor, milestone, task))
    return _answer(call, milestone, "milestone_links")


MILESTONE = "/milestones/{milestone_id:int}"
INDICATOR = MILESTONE + "/indicators/{indicator_id:int}"

routes = [
    Route("/milestones/new", new_milestone, methods=["GET"], name="new_milestone"),
    Route("/milestones/new", create_milestone, methods=["POST"], name="create_milestone"),
    Route(MILESTONE, milestone_page, methods=["GET"], name="milestone"),
    Route(MILESTONE + "/edit", edit_milestone, methods=["GET"], name="edit_milestone"),
    Route(MILESTONE + "/edit", update_milestone, methods=["POST"], name="update_milestone"),
    Route(MILESTONE + "/status", set_status, methods=["POST"], name="set_milestone_status"),
    Route(MILESTONE + "/dependencies", add_dependency, methods=["POST"], name="add_milestone_dependency"),
    Route(MILESTONE + "/dependencies/{prerequisite_id:int}/remove", remove_dependency, methods=["POST"],
          name="remove_milestone_dependency"),
    Route(MILESTONE + "/indicators", add_indicator, methods=["POST"], name="add_indicator"),
    Route(INDICATOR + "/edit", edit_indicator, methods=["GET"], name="edit_indicator"),
    Route(INDICATOR + "/edit", update_indicator, methods=["POST"], name="update_indicator"),
    Route(INDICATOR + "/remove", remove_indicator, methods=["POST"], name="remove_indicator"),
    Route(MILESTONE + "/decisions", link_decision, methods=["POST"], name="link_milestone_decision"),
    Route(MILESTONE + "/decisions/{decision_id:int}/remove", unlink_decision, methods=["POST"],
          name="unlink_milestone_decision"),
    Route(MILESTONE + "/tasks", link_task, methods=["POST"], name="link_milestone_task"),
    Route(MILESTONE + "/tasks/{task_id:int}/remove", unlink_task, methods=["POST"], name="unlink_milestone_task"),
]
