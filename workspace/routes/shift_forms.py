"""Managing a date's helper shifts: adding, changing and cancelling them, and confirming after a shift
who came. For the people calendars.shifts.can_manage_shifts names (submitter, organiser, chair, coordinator).

Times are entered on the date of the event (Berlin); a shift that ends after midnight gets the end date
too (empty: the same day). The day a new shift's times belong to is the day the date takes place on,
which differs from the date's key when the date was moved.
"""

from datetime import date, datetime, timedelta

from starlette.responses import Response
from starlette.routing import Route

from calendars.events import MAX_TEXT
from calendars.models import TASK_KINDS, Event, Shift
from calendars.occurrences import Occurrence, occurrence_on
from calendars.shifts import (MAX_NOTES, MAX_TASK, ShiftDraft, add_shift, can_manage_shifts, cancel_shift, holders,
                              update_shift)
from calendars.signups import confirm_attendance, fill_places
from governance.base import utcnow
from governance.errors import N_, Conflict, DomainError, NotFound
from governance.models import Person
from governance.people import list_people
from governance.permissions import require
from governance.times import from_berlin, in_berlin
from workspace.access import MEMBER
from workspace.endpoints import Call, endpoint
from workspace.forms import Form, plausible_date
from workspace.routes.event_form import event_of
from workspace.routes.shift_mail import mail_moved_up, mail_shift_cancelled
from workspace.routes.shift_parts import date_of, shift_of
from workspace.submission import attempt, chosen, loaded_version

TASK_REQUIRED = N_("Bitte geben Sie an, was zu tun ist.")
START_REQUIRED = N_("Bitte geben Sie an, wann die Schicht beginnt.")
END_REQUIRED = N_("Bitte geben Sie an, wann die Schicht endet.")
PLACES_REQUIRED = N_("Bitte geben Sie an, wie viele Helfende gebraucht werden.")
END_DAY = N_("Eine Schicht endet am selben oder am folgenden Tag.")
NO_SUCH_TIME = N_("Diese Uhrzeit gibt es am %(date)s wegen der Zeitumstellung nicht.")


# Finding what is managed -----------------------------------------------------------------------

def _managed_date(call: Call) -> tuple[Event, Occurrence]:
    """The event and its date in the path, for someone who manages its shifts (404 for a day without one)."""
    event = event_of(call)
    require(can_manage_shifts(call.db, call.actor, event))
    day = plausible_date(call.request.path_params["day"])
    occurrence = occurrence_on(event, day) if day else None
    if occurrence is None:
        raise NotFound(call.request.path_params["day"])
    return event, occurrence


def managed_shift(call: Call) -> Shift:
    shift = shift_of(call)
    require(can_manage_shifts(call.db, call.actor, shift.event))
    return shift


def date_url(call: Call, shift_or_event: Shift | Event, key: str | None = None) -> str:
    """The event page on the shift's date, where the shifts are listed."""
    if isinstance(shift_or_event, Shift):
        event, key = shift_or_event.event, in_berlin(shift_or_event.occurrence_start).date().isoformat()
    else:
        event = shift_or_event
    return call.url("event", slug=event.slug) + f"?date={key}#shifts"


# Adding, changing, cancelling -----------------------------------------------------------------

@endpoint(MEMBER)
def new_shift(call: Call) -> Response:
    event, occurrence = _managed_date(call)
    _fill_new(call.form, occurrence)
    return _render_form(call, event, occurrence)


@endpoint(MEMBER)
def create_shift(call: Call) -> Response:
    event, occurrence = _managed_date(call)
    draft = read_draft(call, in_berlin(occurrence.starts_at).date())
    day = date.fromisoformat(occurrence.key)
    attempt(call, lambda: add_shift(call.db, call.actor, event, day, draft))
    if call.form.errors:
        return _render_form(call, event, occurrence, status=422)
    call.flash("shift_added")
    return call.redirect(date_url(call, event, occurrence.key))


@endpoint(MEMBER)
def edit_shift(call: Call) -> Response:
    shift = managed_shift(call)
    _fill_from(call.form, shift)
    return _render_form(call, shift.event, date_of(shift), shift)


@endpoint(MEMBER)
def update(call: Call) -> Response:
    """Save the changes; when places grew, the first on the waiting list move up and are told by mail."""
    shift = managed_shift(call)
    draft = read_draft(call, in_berlin(shift.starts_at).date())
    try:
        attempt(call, lambda: update_shift(call.db, call.actor, shift, draft, loaded_version(call)))
    except Conflict:
        return _render_form(call, shift.event, date_of(shift), shift, status=409, conflict=True)
    if call.form.errors:
        return _render_form(call, shift.event, date_of(shift), shift, status=422)
    for moved in fill_places(call.db, shift, utcnow()):
        mail_moved_up(call, moved)
    call.flash("shift_saved")
    return call.redirect(date_url(call, shift))


@endpoint(MEMBER)
def cancel(call: Call) -> Response:
    """Call the shift off; everyone signed up or waiting is told by mail."""
    shift = managed_shift(call)
    mail_shift_cancelled(call, shift, cancel_shift(call.db, call.actor, shift))
    call.flash("shift_cancelled")
    return call.redirect(date_url(call, shift))


def _render_form(call: Call, event: Event, occurrence: Occurrence | None, shift: Shift | None = None,
                 status: int = 200, conflict: bool = False) -> Response:
    day = in_berlin(shift.starts_at).date() if shift else in_berlin(occurrence.starts_at).date()
    return call.render("shifts/form.html", status=status, block="shift_form" if call.is_htmx else None,
                       event=event, occurrence=occurrence, shift=shift, day=day, conflict=conflict,
                       kinds=TASK_KINDS, people=list_people(call.db),
                       key=occurrence.key if occurrence else in_berlin(shift.occurrence_start).date().isoformat())


# Reading and filling the form -----------------------------------------------------------------

def read_draft(call: Call, day: date) -> ShiftDraft | None:
    """The shift the form describes, its times on `day` (the end perhaps on the next); None when a field is wrong."""
    form = call.form
    task = form.text("task", MAX_TASK, TASK_REQUIRED)
    kind = form.choice("task_kind", TASK_KINDS)
    starts_at = _instant(form, "start_time", day, START_REQUIRED)
    end_day = form.date("end_date") or day
    if end_day not in (day, day + timedelta(days=1)) and "end_date" not in form.errors:
        form.add_error(DomainError("end_date", END_DAY))
    ends_at = _instant(form, "end_time", end_day, END_REQUIRED)
    places = form.integer("places")
    if places is None and "places" not in form.errors:
        form.add_error(DomainError("places", PLACES_REQUIRED))
    notes = form.text("notes", min(MAX_NOTES, MAX_TEXT))
    contact = chosen(call, Person, "contact")
    if form.errors:
        return None
    return ShiftDraft(task, kind, starts_at, ends_at, places, notes, contact)


def _instant(form: Form, name: str, day: date, required: str) -> datetime | None:
    """Berlin wall time on `day`; a time in the spring-forward gap is an error, not an hour later."""
    clock = form.clock(name)
    if clock is None:
        if name not in form.errors:
            form.add_error(DomainError(name, required))
        return None
    wall = datetime.combine(day, clock)
    instant = from_berlin(wall)
    if in_berlin(instant).replace(tzinfo=None) != wall:
        form.add_error(DomainError(name, NO_SUCH_TIME, date=f"{day:%d.%m.%Y}"))
        return None
    return instant


def _fill_new(form: Form, occurrence: Occurrence) -> None:
    """A new shift starts as long as the date (all-day dates: no times yet), with one place."""
    timed = not occurrence.event.all_day and occurrence.first_day == occurrence.last_day
    starts, ends = in_berlin(occurrence.starts_at), in_berlin(occurrence.ends_at)
    form.update({"task": "", "task_kind": "other", "places": "1", "notes": "", "contact": "", "end_date": "",
                 "start_time": f"{starts:%H:%M}" if timed else "", "end_time": f"{ends:%H:%M}" if timed else ""})


def _fill_from(form: Form, shift: Shift) -> None:
    starts, ends = in_berlin(shift.starts_at), in_berlin(shift.ends_at)
    form.update({"task": shift.task, "task_kind": shift.task_kind, "places": str(shift.places),
                 "notes": shift.notes, "contact": str(shift.contact_id or ""),
                 "start_time": f"{starts:%H:%M}", "end_time": f"{ends:%H:%M}",
                 "end_date": ends.date().isoformat() if ends.date() != starts.date() else "",
                 "version": str(shift.version_id)})


# Who came ------------------------------------------------------------------------------------

@endpoint(MEMBER)
def attendance(call: Call) -> Response:
    """After the shift: everyone who held a place is ticked, unless attendance was confirmed before."""
    shift = managed_shift(call)
    taken = holders(shift)
    confirmed = any(signup.attended is not None for signup in taken)
    call.form.setlist("came", [str(s.id) for s in taken if s.attended or not confirmed])
    return _render_attendance(call, shift)


@endpoint(MEMBER)
def confirm(call: Call) -> Response:
    shift = managed_shift(call)
    offered = [str(signup.id) for signup in holders(shift)]
    came = {int(value) for value in call.form.choices("came", offered)}
    attempt(call, lambda: confirm_attendance(call.db, call.actor, shift, came))
    if call.form.errors:
        return _render_attendance(call, shift, 422)
    call.flash("attendance_confirmed")
    return call.redirect(date_url(call, shift))


def _render_attendance(call: Call, shift: Shift, status: int = 200) -> Response:
    return call.render("shifts/attendance.html", status=status, block="attendance_form" if call.is_htmx else None,
                       shift=shift, event=shift.event, taken=holders(shift), ended=shift.ends_at <= utcnow(),
                       key=in_berlin(shift.occurrence_start).date().isoformat())


DATE_SHIFTS = "/events/{slug}/dates/{day}/shifts"
SHIFT = "/shifts/{shift_id:int}"

routes = [
    Route(DATE_SHIFTS, new_shift, methods=["GET"], name="new_shift"),
    Route(DATE_SHIFTS, create_shift, methods=["POST"], name="create_shift"),
    Route(SHIFT + "/edit", edit_shift, methods=["GET"], name="edit_shift"),
    Route(SHIFT + "/edit", update, methods=["POST"], name="update_shift"),
    Route(SHIFT + "/cancel", cancel, methods=["POST"], name="cancel_shift"),
    Route(SHIFT + "/attendance", attendance, methods=["GET"], name="shift_attendance"),
    Route(SHIFT + "/attendance", confirm, methods=["POST"], name="confirm_attendance"),
]
