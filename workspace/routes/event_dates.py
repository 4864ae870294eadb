"""One date of a recurring event: change or cancel only this date, change this and all following
dates (the series is split), or undo a change of one date. People on shifts that moved or lost their
date are told by mail."""

from datetime import date

from starlette.responses import Response
from starlette.routing import Route

from calendars.events import MAX_PLACE, MAX_TEXT, change_date, restore_date, split_series
from calendars.models import Event
from calendars.occurrences import Occurrence, occurrence_on
from governance.errors import Conflict, NotFound
from governance.times import in_berlin
from workspace.access import MEMBER
from workspace.endpoints import Call, endpoint
from workspace.forms import plausible_date
from workspace.routes.event_form import editable_event, fill_from, read_draft, read_span, render_form
from workspace.routes.shift_mail import mail_shifts_followed
from workspace.submission import attempt, loaded_version

SCOPES = ("only", "following")


def _date_of(call: Call) -> tuple[Event, Occurrence, date]:
    """The event, and its date on the day in the path; 404 for a day the series does not have."""
    event = editable_event(call)
    day = plausible_date(call.request.path_params["day"])
    occurrence = occurrence_on(event, day) if day and event.is_recurring else None
    if occurrence is None:
        raise NotFound(call.request.path_params["day"])
    return event, occurrence, day


@endpoint(MEMBER)
def date_page(call: Call) -> Response:
    """"Only this date" by default; `?scope=following` shows the whole event form starting on this date."""
    event, occurrence, day = _date_of(call)
    if call.request.query_params.get("scope") == "following":
        fill_from(call.form, event, day)
        return render_form(call, "following", event, day)
    _fill_date(call, occurrence)
    return _render_date(call, event, occurrence, day)


@endpoint(MEMBER)
def change(call: Call) -> Response:
    event, occurrence, day = _date_of(call)
    if call.form.choice("scope", SCOPES) == "following":
        return _split(call, event, day)
    starts_at, ends_at = read_span(call.form, event.all_day)
    place, note = call.form.text("place", MAX_PLACE), call.form.text("note", MAX_TEXT)
    cancelled = call.form.get("cancelled") == "yes"
    changed = attempt(call, lambda: change_date(call.db, call.actor, event, day, starts_at, ends_at, place, note,
                                                cancelled))
    if changed is None:
        return _render_date(call, event, occurrence, day, 422)
    _exception, moves = changed
    mail_shifts_followed(call, moves)
    call.flash("event_date_changed")
    return call.redirect(_date_url(call, event, day))


def _split(call: Call, event: Event, day: date) -> Response:
    draft = read_draft(call)
    try:
        split = attempt(call, lambda: split_series(call.db, call.actor, event, day, draft, loaded_version(call)))
    except Conflict:
        return render_form(call, "following", event, day, status=409, conflict=True)
    if split is None:
        call.db.rollback()  # the old series may already end before `day` when the new one is refused
        return render_form(call, "following", event, day, status=422)
    successor, moves = split
    mail_shifts_followed(call, moves)
    call.flash("event_saved" if successor is event else "event_series_split")
    return call.redirect(call.url("event", slug=successor.slug))


@endpoint(MEMBER)
def restore(call: Call) -> Response:
    event, _, day = _date_of(call)
    mail_shifts_followed(call, restore_date(call.db, call.actor, event, day))
    call.flash("event_date_restored")
    return call.redirect(_date_url(call, event, day))


def _date_url(call: Call, event: Event, day: date) -> str:
    return call.url("event", slug=event.slug) + "?date=" + day.isoformat()


def _fill_date(call: Call, occurrence: Occurrence) -> None:
    """The date as it stands now (moved or not); an empty place means the series' place."""
    starts, ends = in_berlin(occurrence.starts_at), in_berlin(occurrence.ends_at)
    timed = not occurrence.event.all_day
    exception = occurrence.exception
    call.form.update({
        "scope": "only", "start_date": f"{starts:%Y-%m-%d}",
        "end_date": f"{ends:%Y-%m-%d}" if timed else occurrence.last_day.isoformat(),
        "start_time": f"{starts:%H:%M}" if timed else "", "end_time": f"{ends:%H:%M}" if timed else "",
        "place": exception.place if exception else "", "note": exception.note if exception else "",
        "cancelled": "yes" if exception and exception.cancelled else "",
    })


def _render_date(call: Call, event: Event, occurrence: Occurrence, day: date, status: int = 200) -> Response:
    return call.render("events/date.html", status=status, block="event_date_form" if call.is_htmx else None,
                       event=event, occurrence=occurrence, day=day)


DATE = "/events/{slug}/dates/{day}"

routes = [
    Route(DATE, date_page, methods=["GET"], name="event_date"),
    Route(DATE, change, methods=["POST"], name="change_event_date"),
    Route(DATE + "/restore", restore, methods=["POST"], name="restore_event_date"),
]
