"""Meetings: the list, a meeting's page (agenda with timetable, attendance, minutes) and its print views."""

from datetime import datetime
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.routing import Route

from calendars.reminders import invitations
from governance import agenda as ops
from governance import minutes
from governance.base import utcnow
from governance.decisions import decisions_by_agenda_item, decisions_without_item
from governance.errors import N_, Conflict, DomainError, NotFound
from governance.groups import current_members, find_group
from governance.history import histories_of, history_of
from governance.meetings import (MAX_PLACE, MAX_TITLE, MAX_URL, MeetingDraft, find_meeting, groups_to_schedule,
                                 list_meetings, schedule_meeting, set_meeting_status, update_meeting)
from governance.models import AgendaItem, AgendaTemplate, Group, Meeting, Person
from governance.models.meetings import AGENDA_KINDS, ATTENDANCE_STATES, MEETING_STATES
from governance.permissions import require
from governance.tasks import create_task, tasks_by_agenda_item
from governance.times import from_berlin, in_berlin, today
from workspace.access import MEMBER
from workspace.endpoints import Call, endpoint
from workspace.forms import Form
from workspace.routes.tasks import people_to_name, task_fields
from workspace.submission import attempt, chosen, loaded_version

WALL_TIME = "%Y-%m-%dT%H:%M"
SWAPPED = ("agenda", "attendance")  # the sections whose forms htmx sends; the others post and redirect
STYLESHEET = Path(__file__).parents[1] / "static" / "css" / "app.css"


def _meeting(call: Call) -> Meeting:
    """The meeting in the path, for someone who reads its group (everyone else gets a 403)."""
    meeting = find_meeting(call.db, call.request.path_params["meeting_id"])
    require(call.actor.can_read_group(meeting.group))
    return meeting


def _managed_meeting(call: Call) -> Meeting:
    meeting = _meeting(call)
    require(call.actor.can_manage_group(meeting.group))
    return meeting


# The list and the meeting form -----------------------------------------------------------------

@endpoint(MEMBER)
def meeting_list(call: Call) -> Response:
    return call.render("meetings/list.html", listed=list_meetings(call.db, call.actor, utcnow()),
                       groups=groups_to_schedule(call.db, call.actor))


def _managed_group(call: Call) -> Group:
    group = find_group(call.db, call.request.path_params["slug"])
    require(call.actor.can_manage_group(group))
    return group


@endpoint(MEMBER)
def new_meeting(call: Call) -> Response:
    return _render_form(call, _managed_group(call), None)


@endpoint(MEMBER)
def create_meeting(call: Call) -> Response:
    group = _managed_group(call)
    draft = _draft(call.form)
    template = chosen(call, AgendaTemplate, "template")
    if template is not None:  # one of another group is refused by the domain
        meeting = attempt(call, lambda: ops.schedule_from_template(call.db, call.actor, group, template, draft))
    else:
        meeting = attempt(call, lambda: schedule_meeting(call.db, call.actor, group, draft))
    if meeting is None:
        return _render_form(call, group, None, status=422)
    call.flash("meeting_scheduled")
    return call.redirect(call.url("meeting", meeting_id=meeting.id))


@endpoint(MEMBER)
def edit_meeting(call: Call) -> Response:
    meeting = _managed_meeting(call)
    return _render_form(call, meeting.group, meeting)


@endpoint(MEMBER)
def change_meeting(call: Call) -> Response:
    meeting = _managed_meeting(call)
    draft = _draft(call.form)
    try:
        attempt(call, lambda: update_meeting(call.db, call.actor, meeting, draft, loaded_version(call)))
    except Conflict:
        return _render_form(call, meeting.group, meeting, status=409, conflict=True)
    if call.form.errors:
        return _render_form(call, meeting.group, meeting, status=422)
    call.flash("meeting_updated")
    return call.redirect(call.url("meeting", meeting_id=meeting.id))


def _render_form(call: Call, group: Group, meeting: Meeting | None, status: int = 200, conflict: bool = False):
    values = call.form if call.form else _stored_values(meeting)
    templates = [] if meeting else ops.list_agenda_templates(call.db, group)
    return call.render("meetings/form.html", status=status, group=group, meeting=meeting, values=values,
                       templates=templates, conflict=conflict)


def _stored_values(meeting: Meeting | None) -> dict[str, str]:
    """A meeting as its form shows it: Berlin wall time, the planned end as a time of the same day."""
    if meeting is None:
        return {}
    end = in_berlin(meeting.planned_end_at).strftime("%H:%M") if meeting.planned_end_at else ""
    return {"title": meeting.title, "starts_at": in_berlin(meeting.starts_at).strftime(WALL_TIME),
            "planned_end_at": end, "place": meeting.place, "online_url": meeting.online_url,
            "version": str(meeting.version_id)}


def _draft(form: Form) -> MeetingDraft | None:
    title = form.text("title", MAX_TITLE, N_("Bitte geben Sie einen Titel an."))
    starts_at = form.instant("starts_at", N_("Bitte geben Sie an, wann die Sitzung beginnt."))
    end = form.clock("planned_end_at")
    place, online_url = form.text("place", MAX_PLACE), form.text("online_url", MAX_URL)
    if form.errors:
        return None
    planned_end_at = from_berlin(datetime.combine(in_berlin(starts_at).date(), end)) if end else None
    return MeetingDraft(title, starts_at, place, online_url, planned_end_at)


# The meeting's page ----------------------------------------------------------------------------

@endpoint(MEMBER)
def meeting_page(call: Call) -> Response:
    return _render_meeting(call, _meeting(call))


@endpoint(MEMBER)
def agenda_block(call: Call) -> Response:
    """The agenda as it is now: "Abbrechen" of an edit swaps it back in; without htmx, the whole page."""
    return _render_meeting(call, _meeting(call), block="agenda" if call.is_htmx else None)


def _render_meeting(call: Call, meeting: Meeting, status: int = 200, block: str | None = None, **extra) -> Response:
    return call.render("meetings/meeting.html", status=status, block=block,
                       **{**_meeting_context(call, meeting), **extra})


def _meeting_context(call: Call, meeting: Meeting) -> dict:
    """Everything the page shows; every block is rendered from the same context (and alone for htmx)."""
    items = ops.agenda_of(meeting)
    manages = call.actor.can_manage_group(meeting.group)
    return {
        "meeting": meeting, "actor": call.actor, "timetable": ops.timetable(meeting), "minutes_items": items,
        "proposals": ops.proposals_for(call.db, meeting), "attendance": minutes.attendance_list(call.db, meeting),
        "corrections": minutes.corrections_of(call.db, meeting),
        "decisions": decisions_by_agenda_item(call.db, meeting), "presenters": _presenters(call, meeting),
        "histories": histories_of(call.db, "agenda_item", [item.id for item in meeting.agenda_items]),
        "history": history_of(call.db, "meeting", meeting.id),
        "item_tasks": tasks_by_agenda_item(call.db, meeting),
        "people": people_to_name(call, meeting.group) if manages else [],
        "kinds": AGENDA_KINDS, "states": ATTENDANCE_STATES, "statuses": MEETING_STATES,
        "editing": None, "conflict": None, "answered": None, "form_item": None, "saved": None,
        "task_item": None, "task_saved": None,
    }


def _presenters(call: Call, meeting: Meeting) -> list[Person]:
    """The group's members, and whoever already presents an item (a guest speaker, say)."""
    people = {m.person.id: m.person for m in current_members(call.db, meeting.group, today())}
    for item in meeting.agenda_items:
        if item.presenter is not None:
            people.setdefault(item.presenter.id, item.presenter)
    return sorted(people.values(), key=lambda person: person.name)


def _answer(call: Call, meeting: Meeting, section: str, **extra) -> Response:
    """After a change in one section: its block for htmx (422 with the errors), else the page or a redirect
    back to the section; `answered` tells the page which section's form the errors belong to."""
    block = section if call.is_htmx and section in SWAPPED else None
    if call.form.errors:
        return _render_meeting(call, meeting, 422, block, answered=section, **extra)
    if block is not None:
        return _render_meeting(call, meeting, block=block, form=Form(), saved=section)
    return call.redirect(call.url("meeting", meeting_id=meeting.id) + "#" + section)


# The agenda ------------------------------------------------------------------------------------

def _item(call: Call, meeting: Meeting) -> AgendaItem | None:
    """The item in the path; one removed meanwhile (a stale page) is an error the agenda shows."""
    return attempt(call, lambda: ops.find_agenda_item(call.db, meeting, call.request.path_params["item_id"]))


def _item_draft(call: Call) -> ops.ItemDraft | None:
    form = call.form
    title = form.text("title", ops.MAX_TITLE, N_("Bitte geben Sie einen Titel an."))
    kind = form.choice("kind", AGENDA_KINDS, "information")
    duration = form.integer("duration_minutes")
    if duration is None and "duration_minutes" not in form.errors:
        form.add_error(DomainError("duration_minutes", N_("Bitte geben Sie die Dauer in Minuten an.")))
    presenter = chosen(call, Person, "presenter")
    notes = form.text("notes", ops.MAX_NOTES)
    return None if form.errors else ops.ItemDraft(title, kind, duration, presenter, notes)


@endpoint(MEMBER)
def add_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    draft = _item_draft(call)
    attempt(call, lambda: ops.add_agenda_item(call.db, call.actor, meeting, draft))
    return _answer(call, meeting, "agenda")


@endpoint(MEMBER)
def edit_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    if item is None:
        return _answer(call, meeting, "agenda")
    return _render_meeting(call, meeting, block="agenda" if call.is_htmx else None, editing=item)


@endpoint(MEMBER)
def change_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    draft = _item_draft(call)
    try:
        attempt(call, lambda: ops.update_agenda_item(call.db, call.actor, item, draft, loaded_version(call)))
    except Conflict:
        block = "agenda" if call.is_htmx else None
        return _render_meeting(call, meeting, 409, block, editing=item, conflict=item, answered="agenda")
    return _answer(call, meeting, "agenda", editing=item)


@endpoint(MEMBER)
def remove_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    attempt(call, lambda: ops.remove_agenda_item(call.db, call.actor, item))
    return _answer(call, meeting, "agenda")


@endpoint(MEMBER)
def move_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    attempt(call, lambda: ops.move_agenda_item(call.db, call.actor, item, call.form.get("direction", "")))
    return _answer(call, meeting, "agenda")


@endpoint(MEMBER)
def defer_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    attempt(call, lambda: ops.defer_agenda_item(call.db, call.actor, item))
    return _answer(call, meeting, "agenda")


@endpoint(MEMBER)
def propose_item(call: Call) -> Response:
    meeting = _meeting(call)
    draft = _item_draft(call)
    attempt(call, lambda: ops.propose_agenda_item(call.db, call.actor, meeting.group, draft, meeting))
    return _answer(call, meeting, "agenda")


@endpoint(MEMBER)
def accept_item(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    attempt(call, lambda: ops.accept_proposal(call.db, call.actor, item, meeting))
    return _answer(call, meeting, "agenda")


@endpoint(MEMBER)
def save_template(call: Call) -> Response:
    meeting = _managed_meeting(call)
    name = call.form.get("name", "")
    attempt(call, lambda: ops.save_agenda_template(call.db, call.actor, meeting, name))
    if not call.form.errors:
        call.flash("agenda_template_saved")
    return _answer(call, meeting, "agenda_template")


# Attendance and minutes ------------------------------------------------------------------------

@endpoint(MEMBER)
def record_attendance(call: Call) -> Response:
    meeting = _managed_meeting(call)
    states = {int(name.removeprefix("attendance-")): state for name, state in call.form.items()
              if name.startswith("attendance-") and name.removeprefix("attendance-").isdecimal()}
    attempt(call, lambda: minutes.record_attendances(call.db, call.actor, meeting, states))
    return _answer(call, meeting, "attendance")


@endpoint(MEMBER)
def write_minutes(call: Call) -> Response:
    meeting = _managed_meeting(call)
    item = _item(call, meeting)
    if item is None:  # its own block went with it: the message shows where the agenda is
        return _retarget_agenda(call, meeting) if call.is_htmx else _answer(call, meeting, "agenda")
    text, loaded = call.form.get("minutes", ""), call.form.get("loaded_minutes")
    block = "minutes_item_row" if call.is_htmx else None
    try:
        attempt(call, lambda: minutes.write_minutes(call.db, call.actor, item, text, loaded))
    except Conflict:
        return _render_meeting(call, meeting, 409, block, item=item, form_item=item.id, conflict=item)
    if call.form.errors:
        return _render_meeting(call, meeting, 422, block, item=item, form_item=item.id)
    if call.is_htmx:
        return _render_meeting(call, meeting, block=block, item=item, form=Form(), saved=item.id)
    return call.redirect(call.url("meeting", meeting_id=meeting.id) + f"#minutes_item_row-{item.id}")


@endpoint(MEMBER)
def create_item_task(call: Call) -> Response:
    """A task that follows from an agenda item, created beside the item's minutes (htmx swaps that part)."""
    item = call.db.get(AgendaItem, call.request.path_params["item_id"])
    if item is None or item.meeting_id is None or item.is_proposal:
        raise NotFound("agenda item")
    require(call.actor.can_manage_group(item.group))
    meeting = find_meeting(call.db, item.meeting_id)
    fields = task_fields(call)
    attempt(call, lambda: create_task(call.db, call.actor, item.group, **fields, agenda_item=item))
    block = "minutes_item_row" if call.is_htmx else None
    if call.form.errors:
        return _render_meeting(call, meeting, 422, block, item=item, task_item=item.id)
    if call.is_htmx:
        return _render_meeting(call, meeting, block=block, item=item, form=Form(), task_saved=item.id)
    call.flash("task_created")
    return call.redirect(call.url("meeting", meeting_id=meeting.id) + f"#minutes_item_row-{item.id}")


def _retarget_agenda(call: Call, meeting: Meeting) -> Response:
    response = _render_meeting(call, meeting, 422, "agenda", answered="agenda")
    response.headers.update({"HX-Retarget": "#agenda", "HX-Reswap": "outerHTML"})
    return response


@endpoint(MEMBER)
def approve_minutes(call: Call) -> Response:
    meeting = _meeting(call)
    require(call.actor.can_approve_minutes(meeting.group))
    attempt(call, lambda: minutes.approve_minutes(call.db, call.actor, meeting))
    if not call.form.errors:
        call.flash("minutes_approved")
    return _answer(call, meeting, "minutes")


@endpoint(MEMBER)
def correct_minutes(call: Call) -> Response:
    meeting = _meeting(call)
    require(call.actor.can_approve_minutes(meeting.group))
    item = chosen(call, AgendaItem, "correction_item")
    text = call.form.get("correction", "")
    attempt(call, lambda: minutes.correct_minutes(call.db, call.actor, meeting, text, item))
    if not call.form.errors:
        call.flash("minutes_corrected")
    return _answer(call, meeting, "minutes")


@endpoint(MEMBER)
def change_status(call: Call) -> Response:
    meeting = _managed_meeting(call)
    status = call.form.choice("status", MEETING_STATES)
    attempt(call, lambda: set_meeting_status(call.db, call.actor, meeting, status))
    if not call.form.errors:
        call.flash("meeting_status_changed")
    return _answer(call, meeting, "meeting_status")


@endpoint(MEMBER)
def send_invitation(call: Call) -> Response:
    """"Einladung senden": the scheduler mails every member within a minute, the .ics attached."""
    meeting = _managed_meeting(call)
    attempt(call, lambda: invitations.send_invitation(call.db, call.actor, meeting, utcnow()))
    if not call.form.errors:
        call.flash("invitations_queued")
    return _answer(call, meeting, "meeting_status")


# Print views and downloads ---------------------------------------------------------------------

def _document(call: Call, template: str, as_file: str | None = None) -> Response:
    """A print view: a page of the site, or (`as_file`) one self-contained HTML file to keep or send on,
    its stylesheet inside, so that it prints the same when opened from disk without the site."""
    meeting = _meeting(call)
    context = {**_meeting_context(call, meeting), "other_decisions": decisions_without_item(call.db, meeting)}
    if as_file is None:
        return call.render(template, layout="base.html", **context)
    response = call.render(template, layout="meetings/document.html", stylesheet=_stylesheet(), **context)
    name = f"{as_file}-{meeting.group.slug}-{in_berlin(meeting.starts_at):%Y-%m-%d}.html"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


@endpoint(MEMBER)
def invitation(call: Call) -> Response:
    return _document(call, "meetings/invitation.html")


@endpoint(MEMBER)
def invitation_download(call: Call) -> Response:
    return _document(call, "meetings/invitation.html", "einladung")


@endpoint(MEMBER)
def minutes_document(call: Call) -> Response:
    return _document(call, "meetings/minutes.html")


@endpoint(MEMBER)
def minutes_download(call: Call) -> Response:
    return _document(call, "meetings/minutes.html", "protokoll")


MEETING = "/meetings/{meeting_id:int}"
ITEM = MEETING + "/agenda/{item_id:int}"

routes = [
    Route("/meetings", meeting_list, methods=["GET"], name="meetings"),
    Route("/groups/{slug}/meetings/new", new_meeting, methods=["GET"], name="new_meeting"),
    Route("/groups/{slug}/meetings/new", create_meeting, methods=["POST"], name="create_meeting"),
    Route(MEETING, meeting_page, methods=["GET"], name="meeting"),
    Route(MEETING + "/edit", edit_meeting, methods=["GET"], name="edit_meeting"),
    Route(MEETING + "/edit", change_meeting, methods=["POST"], name="update_meeting"),
    Route(MEETING + "/status", change_status, methods=["POST"], name="set_meeting_status"),
    Route(MEETING + "/agenda", agenda_block, methods=["GET"], name="meeting_agenda"),
    Route(MEETING + "/agenda", add_item, methods=["POST"], name="add_agenda_item"),
    Route(ITEM + "/edit", edit_item, methods=["GET"], name="edit_agenda_item"),
    Route(ITEM + "/edit", change_item, methods=["POST"], name="update_agenda_item"),
    Route(ITEM + "/remove", remove_item, methods=["POST"], name="remove_agenda_item"),
    Route(ITEM + "/move", move_item, methods=["POST"], name="move_agenda_item"),
    Route(ITEM + "/defer", defer_item, methods=["POST"], name="defer_agenda_item"),
    Route(ITEM + "/accept", accept_item, methods=["POST"], name="accept_proposal"),
    Route(ITEM + "/minutes", write_minutes, methods=["POST"], name="write_minutes"),
    Route(MEETING + "/proposals", propose_item, methods=["POST"], name="propose_agenda_item"),
    Route(MEETING + "/template", save_template, methods=["POST"], name="save_agenda_template"),
    Route(MEETING + "/attendance", record_attendance, methods=["POST"], name="record_attendance"),
    Route(MEETING + "/minutes/approve", approve_minutes, methods=["POST"], name="approve_minutes"),
    Route(MEETING + "/minutes/corrections", correct_minutes, methods=["POST"], name="correct_minutes"),
    Route(MEETING + "/invitation", invitation, methods=["GET"], name="meeting_invitation"),
    Route(MEETING + "/invitation/send", send_invitation, methods=["POST"], name="send_meeting_invitation"),
    Route(MEETING + "/invitation/download", invitation_download, methods=["GET"], name="meeting_invitation_download"),
    Route(MEETING + "/minutes", minutes_document, methods=["GET"], name="meeting_minutes"),
    Route(MEETING + "/minutes/download", minutes_download, methods=["GET"], name="meeting_minutes_download"),
    Route("/agenda-items/{item_id:int}/tasks", create_item_task, methods=["POST"], name="create_item_task"),
]
