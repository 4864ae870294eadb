"""Events of the neighbourhood calendar for members: submitting, the event page, editing, moderation,
one's own submissions and the review queue. Changing one date of a series lives in event_dates."""

from datetime import datetime, time

from starlette.responses import Response
from starlette.routing import NoMatchFound, Route

from calendars.events import (MAX_TEXT, can_edit, can_moderate, create_event, is_moderator, review_event,
                              review_queue, submissions_of, update_event)
from calendars.models import Event
from calendars.occurrences import Occurrence, occurrence_on, upcoming
from calendars.recurrence import weekday_position
from governance.errors import Conflict
from governance.permissions import require
from governance.times import from_berlin, in_berlin, today
from workspace.access import MEMBER, PUBLIC
from workspace.endpoints import Call, endpoint
from workspace.forms import plausible_date
from workspace.routes import event_dates
from workspace.routes.event_form import editable_event, event_of, fill_from, new_values, read_draft, render_form
from workspace.routes.shift_mail import mail_shifts_followed
from workspace.routes.shift_parts import shift_section
from workspace.submission import attempt, loaded_version

UPCOMING = 12  # how many dates of a series the page lists
DATE_PROBLEMS = {"garbled": 400, "none": 404}  # `?date=` that is no date, or a day without one


# Submitting and editing ------------------------------------------------------------------------

@endpoint(MEMBER)
def new_event(call: Call) -> Response:
    new_values(call.form)
    return render_form(call, "new")


@endpoint(MEMBER)
def create(call: Call) -> Response:
    draft = read_draft(call)
    event = attempt(call, lambda: create_event(call.db, call.actor, draft))
    if call.form.errors:
        return render_form(call, "new", status=422)
    call.flash("event_saved" if event.review == "approved" else "event_submitted")
    return call.redirect(call.url("event", slug=event.slug))


@endpoint(MEMBER)
def edit_event(call: Call) -> Response:
    event = editable_event(call)
    fill_from(call.form, event)
    return render_form(call, "edit", event)


@endpoint(MEMBER)
def update(call: Call) -> Response:
    event = editable_event(call)
    draft = read_draft(call)
    try:
        updated = attempt(call, lambda: update_event(call.db, call.actor, event, draft, loaded_version(call)))
    except Conflict:
        return render_form(call, "edit", event, status=409, conflict=True)
    if updated is None:
        return render_form(call, "edit", event, status=422)
    _event, moves = updated
    mail_shifts_followed(call, moves)
    call.flash("event_saved")
    return call.redirect(call.url("event", slug=event.slug))


# The event's page ------------------------------------------------------------------------------

@endpoint(PUBLIC)
def event_page(call: Call) -> Response:
    return render_event(call, event_of(call))


def render_event(call: Call, event: Event, status: int = 200, block: str | None = None, answered: str = "") -> Response:
    """The page, or its review block alone; `?date=` picks one date of the event."""
    actor = call.member_actor
    picked, problem = _picked_date(call, event)
    first_day = in_berlin(event.starts_at).date()
    single = None if event.is_recurring else occurrence_on(event, first_day)
    return call.render(
        "events/event.html", status=DATE_PROBLEMS.get(problem, status), block=block,
        event=event, may_edit=actor is not None and can_edit(actor, event),
        may_moderate=actor is not None and can_moderate(actor, event.group), answered=answered,
        dates=upcoming(event, from_berlin(datetime.combine(today(), time())), UPCOMING),
        single=single, **shift_section(call, event, picked or single),
        first_day=first_day, position=weekday_position(first_day),
        picked=picked, date_problem=problem, feed_url=_feed_url(call))


def _picked_date(call: Call, event: Event) -> tuple[Occurrence | None, str]:
    """The date `?date=YYYY-MM-DD` names, or why there is none: "garbled" or "none" (no date that day)."""
    value = call.request.query_params.get("date")
    if value is None:
        return None, ""
    day = plausible_date(value)
    if day is None:
        return None, "garbled"
    picked = occurrence_on(event, day)
    return picked, "" if picked else "none"


def _feed_url(call: Call) -> str:
    """The public feed's absolute address, for the subscribe box."""
    try:
        path = call.url("calendar_feed")
    except NoMatchFound:
        path = "/calendar.ics"
    return call.settings.base_url.rstrip("/") + path


# Moderation ------------------------------------------------------------------------------------

@endpoint(MEMBER)
def review(call: Call) -> Response:
    """Approve, or reject with a reason: htmx swaps the review block; a plain form goes back to where it was sent."""
    event = event_of(call)
    require(can_moderate(call.actor, event.group))
    verdict = call.form.choice("decision", ("approve", "reject"))
    reason = call.form.text("reason", MAX_TEXT)
    attempt(call, lambda: review_event(call.db, call.actor, event, verdict == "approve", reason))
    block = "event_review" if call.is_htmx else None
    if call.form.errors:
        return render_event(call, event, 422, block)
    if block is not None:
        return render_event(call, event, block=block, answered=verdict)
    call.flash("event_approved" if verdict == "approve" else "event_rejected")
    back = call.url("event_review") if call.form.get("back") == "queue" else call.url("event", slug=event.slug)
    return call.redirect(back)


@endpoint(MEMBER)
def queue(call: Call) -> Response:
    require(is_moderator(call.db, call.actor))
    return call.render("events/review.html", events=review_queue(call.db, call.actor))


@endpoint(MEMBER)
def mine(call: Call) -> Response:
    return call.render("events/mine.html", events=submissions_of(call.db, call.actor.person))


EVENT = "/events/{slug}"

routes = [
    Route("/events/new", new_event, methods=["GET"], name="new_event"),
    Route("/events", create, methods=["POST"], name="create_event"),
    Route("/events/mine", mine, methods=["GET"], name="my_events"),
    Route("/events/review", queue, methods=["GET"], name="event_review"),
    Route(EVENT, event_page, methods=["GET"], name="event"),
    Route(EVENT + "/edit", edit_event, methods=["GET"], name="edit_event"),
    Route(EVENT + "/edit", update, methods=["POST"], name="update_event"),
    Route(EVENT + "/review", review, methods=["POST"], name="review_event"),
    *event_dates.routes,
]
