"""The decisions register: the lists, a decision's page, recording and changing, escalation to the parent group."""

from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from governance import decisions as ops
from governance import escalation
from governance.errors import Conflict, NotFound
from governance.groups import find_group
from governance.history import history_of
from governance.models import AgendaItem, Decision, Group, Meeting, Person
from governance.models.decisions import DECISION_STATES
from governance.permissions import require
from governance.tasks import create_task, tasks_of_decision
from governance.times import in_berlin, today
from workspace.access import COORDINATOR, MEMBER
from workspace.endpoints import Call, endpoint
from workspace.routes.tasks import people_to_name, task_fields
from workspace.submission import attempt, chosen, loaded_version, whole


def _group(call: Call) -> Group:
    return find_group(call.db, call.request.path_params["slug"])


def _decision(call: Call) -> Decision:
    return ops.find_decision(call.db, call.request.path_params["decision_id"])


@endpoint(MEMBER)
def register(call: Call) -> Response:
    groups = ops.register_groups(call.db, call.actor)
    slug = call.request.query_params.get("group")
    return _render_register(call, None, groups, next((g for g in groups if g.slug == slug), None))


@endpoint(MEMBER)
def group_register(call: Call) -> Response:
    """A group's own register; other members see the steering group's adopted decisions here too."""
    group = _group(call)
    require(call.actor.can_read_group(group) or group.level == "steering")
    return _render_register(call, group, [], group)


def _render_register(call: Call, group: Group | None, groups: list[Group], chosen_group: Group | None) -> Response:
    params = call.request.query_params
    status = params.get("status") if params.get("status") in DECISION_STATES else None
    filters = ops.DecisionFilter(status, chosen_group, whole(params.get("year"), 4), params.get("q", "").strip()[:200])
    found = ops.list_decisions(call.db, call.actor, filters, whole(params.get("page"), 6) or 1)
    return call.render("decisions/register.html", group=group, groups=groups, filters=filters, found=found,
                       years=ops.register_years(call.db, call.actor, group), statuses=DECISION_STATES, actor=call.actor,
                       page_url=lambda number: _page_url(call, number))


def _page_url(call: Call, number: int) -> str:
    """The same filters on another page."""
    params = {**call.request.query_params, "page": str(number)}
    return call.request.url.path + "?" + urlencode(params)


@endpoint(MEMBER)
def decision_page(call: Call) -> Response:
    decision = _decision(call)
    require(call.actor.can_read_decision(decision))
    return _render_decision(call, decision)


def _render_decision(call: Call, decision: Decision, status: int = 200, block: str | None = None,
                     conflict: str | None = None) -> Response:
    """The page (or one of its blocks); `conflict` is the status someone wanted when another was saved first.

    Members of the decision's group see everything; others who may read it (an adopted decision of the
    steering group) see what was decided, not the group's tasks, meeting or history (earlier wordings).
    """
    manages = decision.group is not None and call.actor.can_manage_group(decision.group)
    insider = decision.group is None or call.actor.can_read_group(decision.group)
    return call.render(
        "decisions/decision.html", status=status, block=block, decision=decision, actor=call.actor,
        manages=manages, insider=insider, may_set_status=_may_set_status(call, decision), statuses=DECISION_STATES,
        conflict=conflict, tasks=tasks_of_decision(call.db, decision) if insider else [], today=today(),
        lineage=escalation.lineage(call.db, decision),
        history=history_of(call.db, "decision", decision.id) if insider else [],
        people=people_to_name(call, decision.group) if manages else [])


def _may_set_status(call: Call, decision: Decision) -> bool:
    """A group's managers; for an outside body's decision, the coordinator who recorded it."""
    if decision.group is None:
        return call.actor.is_coordinator
    return call.actor.can_manage_group(decision.group)


@endpoint(MEMBER)
def set_status(call: Call) -> Response:
    """Change the status in place (htmx swaps the status block); a plain form comes back to the page."""
    decision = _decision(call)
    require(_may_set_status(call, decision))
    wanted = call.form.choice("status", DECISION_STATES)
    try:
        attempt(call, lambda: ops.set_decision_status(call.db, call.actor, decision, wanted, loaded_version(call)))
    except Conflict:
        return _render_decision(call, decision, 409, "decision_status" if call.is_htmx else None, conflict=wanted)
    if call.form.errors:
        return _render_decision(call, decision, 422, "decision_status" if call.is_htmx else None)
    if call.is_htmx:
        return _render_decision(call, decision, block="decision_status")
    call.flash("status_changed")
    return call.redirect(call.url("decision", decision_id=decision.id))


@endpoint(MEMBER)
def new_decision(call: Call) -> Response:
    group = _group(call)
    require(call.actor.can_manage_group(group))
    call.form.update({"status": "proposed", **_origin_from_query(call, group)})
    return _render_form(call, group, None)


def _origin_from_query(call: Call, group: Group) -> dict[str, str]:
    """`?agenda_item=<id>` (the link beside an agenda item) fills in the item, its meeting and date."""
    item_id = whole(call.request.query_params.get("agenda_item"), 18)
    item = call.db.get(AgendaItem, item_id) if item_id else None
    if item is None or item.group_id != group.id or item.meeting is None:
        return {}
    return {"agenda_item": str(item.id), "meeting": str(item.meeting_id), "status": "adopted",
            "decided_on": in_berlin(item.meeting.starts_at).date().isoformat()}


@endpoint(MEMBER)
def create_decision(call: Call) -> Response:
    group = _group(call)
    require(call.actor.can_manage_group(group))
    draft = _draft(call)
    decision = attempt(call, lambda: ops.record_decision(call.db, call.actor, group, draft))
    if call.form.errors:
        return _render_form(call, group, None, status=422)
    call.flash("decision_recorded")
    return call.redirect(call.url("decision", decision_id=decision.id))


@endpoint(MEMBER)
def edit_decision(call: Call) -> Response:
    decision = _decision(call)
    group = _managed_group(call, decision)
    call.form.update(_values(decision))
    return _render_form(call, group, decision)


@endpoint(MEMBER)
def update_decision(call: Call) -> Response:
    decision = _decision(call)
    group = _managed_group(call, decision)
    draft = _draft(call)
    try:
        attempt(call, lambda: ops.update_decision(call.db, call.actor, decision, draft, loaded_version(call)))
    except Conflict:
        return _render_form(call, group, decision, status=409, conflict=True)
    if call.form.errors:
        return _render_form(call, group, decision, status=422)
    call.flash("decision_saved")
    return call.redirect(call.url("decision", decision_id=decision.id))


def _managed_group(call: Call, decision: Decision) -> Group:
    if decision.group is None:
        raise NotFound("decisions of outside bodies are not edited here")
    require(call.actor.can_manage_group(decision.group))
    return decision.group


def _render_form(call: Call, group: Group, decision: Decision | None, status: int = 200,
                 conflict: bool = False) -> Response:
    meetings, items = ops.decision_choices(call.db, group)
    return call.render("decisions/form.html", status=status, block="decision_form" if call.is_htmx else None,
                       group=group, decision=decision, conflict=conflict, meetings=meetings, items=items,
                       people=people_to_name(call, group, decision and decision.responsible), statuses=DECISION_STATES)


def _draft(call: Call) -> ops.DecisionDraft:
    form = call.form
    return ops.DecisionDraft(
        text=form.text("text", ops.MAX_TEXT, ops.TEXT_REQUIRED),
        status=form.choice("status", DECISION_STATES),
        decided_on=form.date("decided_on"),
        meeting=chosen(call, Meeting, "meeting"),
        agenda_item=chosen(call, AgendaItem, "agenda_item"),
        responsible=chosen(call, Person, "responsible"),
        due_on=form.date("due_on"),
        **{field: form.integer(field) for field in ops.VOTE_FIELDS},
    )


def _values(decision: Decision) -> dict[str, str]:
    """A decision as the form's fields show it."""
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {"text": decision.text, "status": decision.status, "version": str(decision.version_id),
            **{field: text(getattr(decision, field)) for field in ("decided_on", "due_on", *ops.VOTE_FIELDS)},
            "meeting": text(decision.meeting_id), "agenda_item": text(decision.agenda_item_id),
            "responsible": text(decision.responsible_id)}


@endpoint(COORDINATOR)
def new_external_decision(call: Call) -> Response:
    call.form.update({"status": "adopted"})
    return call.render("decisions/external.html", statuses=DECISION_STATES)


@endpoint(COORDINATOR)
def create_external_decision(call: Call) -> Response:
    form = call.form
    body = form.text("body", ops.MAX_BODY, ops.BODY_REQUIRED)
    number = form.text("number", ops.MAX_NUMBER)
    text = form.text("text", ops.MAX_TEXT, ops.TEXT_REQUIRED)
    decided_on, status = form.date("decided_on"), form.choice("status", DECISION_STATES)
    decision = attempt(call, lambda: ops.record_external_decision(call.db, call.actor, body, number, text,
                                                                   decided_on, status))
    if form.errors:
        return call.render("decisions/external.html", status=422, block="external_form" if call.is_htmx else None,
                           statuses=DECISION_STATES)
    call.flash("decision_recorded")
    return call.redirect(call.url("decision", decision_id=decision.id))


@endpoint(MEMBER)
def create_decision_task(call: Call) -> Response:
    decision = _decision(call)
    group = _managed_group(call, decision)
    fields = task_fields(call)
    attempt(call, lambda: create_task(call.db, call.actor, group, **fields, decision=decision))
    block = "decision_tasks" if call.is_htmx else None
    if call.form.errors:
        return _render_decision(call, decision, 422, block)
    if call.is_htmx:
        call.form.clear()  # an empty form for the next task
        return _render_decision(call, decision, block=block)
    call.flash("task_created")
    return call.redirect(call.url("decision", decision_id=decision.id))


@endpoint(MEMBER)
def escalate_decision(call: Call) -> Response:
    decision = _decision(call)
    _managed_group(call, decision)
    escalation.escalate_decision(call.db, call.actor, decision)
    call.flash("decision_escalated")
    return call.redirect(call.url("decision", decision_id=decision.id))


@endpoint(MEMBER)
def escalate_agenda_item(call: Call) -> Response:
    """From the meeting page: back there, with the item now also on the parent group's agenda."""
    item = call.db.get(AgendaItem, call.request.path_params["item_id"])
    if item is None:
        raise NotFound("agenda item")
    require(call.actor.can_manage_group(item.group))
    escalation.escalate_agenda_item(call.db, call.actor, item)
    call.flash("agenda_item_escalated")
    back = f"/meetings/{item.meeting_id}" if item.meeting_id else call.url("group", slug=item.group.slug)
    return call.redirect(back)


routes = [
    Route("/decisions", register, methods=["GET"], name="decisions"),
    Route("/decisions/external", new_external_decision, methods=["GET"], name="new_external_decision"),
    Route("/decisions/external", create_external_decision, methods=["POST"], name="create_external_decision"),
    Route("/decisions/{decision_id:int}", decision_page, methods=["GET"], name="decision"),
    Route("/decisions/{decision_id:int}/edit", edit_decision, methods=["GET"], name="edit_decision"),
    Route("/decisions/{decision_id:int}/edit", update_decision, methods=["POST"], name="update_decision"),
    Route("/decisions/{decision_id:int}/status", set_status, methods=["POST"], name="set_decision_status"),
    Route("/decisions/{decision_id:int}/tasks", create_decision_task, methods=["POST"], name="create_decision_task"),
    Route("/decisions/{decision_id:int}/escalate", escalate_decision, methods=["POST"], name="escalate_decision"),
    Route("/groups/{slug}/decisions", group_register, methods=["GET"], name="group_decisions"),
    Route("/groups/{slug}/decisions/new", new_decision, methods=["GET"], name="new_decision"),
    Route("/groups/{slug}/decisions/new", create_decision, methods=["POST"], name="create_decision"),
    Route("/agenda-items/{item_id:int}/escalate", escalate_agenda_item, methods=["POST"], name="escalate_agenda_item"),
]
