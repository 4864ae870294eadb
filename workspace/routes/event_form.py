"""The event form that submitting, editing and "this and all following dates" share: its choices,
reading it into an EventDraft, and filling it from a stored event. No routes of its own."""

from datetime import date, datetime, time, timedelta

from starlette.responses import Response

from calendars.events import (MAX_PLACE, MAX_TEXT, MAX_TITLE, MAX_URL, EventDraft, all_day_span, can_edit,
                              can_see, find_event, remaining_count)
from calendars.models import EVENT_KINDS, EVENT_STATES, FREQUENCIES, REPEAT_ON, VISIBILITIES, Event
from calendars.recurrence import WEEKDAY_CODES, Recurrence, weekday_position
from governance.errors import N_, DomainError, NotFound
from governance.groups import list_groups
from governance.models import Area, Group, Organisation, Person, TargetGroup
from governance.organisations import list_areas, list_organisations, list_target_groups
from governance.people import list_people
from governance.permissions import require
from governance.times import from_berlin, in_berlin
from workspace.endpoints import Call
from workspace.forms import Form
from workspace.submission import NOT_OFFERED, chosen, chosen_all

TITLE_REQUIRED = N_("Bitte geben Sie einen Titel an.")
DATE_REQUIRED = N_("Bitte geben Sie das Datum an.")
TIME_REQUIRED = N_("Bitte geben Sie eine Uhrzeit an – oder kreuzen Sie „ganztägig“ an.")
ONE_END = N_("Bitte geben Sie nur ein Ende an: ein Datum oder eine Anzahl.")
NO_SUCH_TIME = N_("Diese Uhrzeit gibt es am %(date)s wegen der Zeitumstellung nicht.")


def event_of(call: Call) -> Event:
    """The event in the path; 404 also for one the visitor may not see, so its existence stays hidden."""
    event = find_event(call.db, call.request.path_params["slug"])
    if not can_see(call.member_actor, event):
        raise NotFound(event.slug)
    return event


def editable_event(call: Call) -> Event:
    """The event in the path for someone who may change it: 404 when hidden from them, else 403."""
    event = event_of(call)
    require(can_edit(call.actor, event))
    return event


# Reading the form ------------------------------------------------------------------------------

def read_draft(call: Call) -> EventDraft | None:
    """The draft the form describes; None when a field is wrong (its error is on the form)."""
    form = call.form
    all_day = form.get("all_day") == "yes"
    fields = dict(
        title=form.text("title", MAX_TITLE, TITLE_REQUIRED), kind=form.choice("kind", EVENT_KINDS),
        all_day=all_day, recurrence=_recurrence(form),
        description=form.text("description", MAX_TEXT), place=form.text("place", MAX_PLACE),
        online_url=form.text("online_url", MAX_URL),
        area=chosen(call, Area, "area"), organiser=chosen(call, Organisation, "organiser"),
        partners=tuple(chosen_all(call, Organisation, "partners")),
        target_groups=tuple(chosen_all(call, TargetGroup, "target_groups")),
        contact=chosen(call, Person, "contact"), group=_working_group(call),
        visibility=form.choice("visibility", VISIBILITIES, "public"),
        status=form.choice("status", EVENT_STATES, "confirmed"),
        help_needed=form.text("help_needed", MAX_TEXT),
    )
    starts_at, ends_at = read_span(form, all_day)
    if form.errors:
        return None
    return EventDraft(starts_at=starts_at, ends_at=ends_at, **fields)


def read_span(form: Form, all_day: bool) -> tuple[datetime | None, datetime | None]:
    """Start and end from the date and time fields (Berlin); an all-day event's dates are its first and last day."""
    first, last = form.date("start_date", DATE_REQUIRED), form.date("end_date")
    if all_day:
        return all_day_span(first, last or first) if first else (None, None)
    start, end = _time(form, "start_time"), _time(form, "end_time")
    if first is None or start is None or end is None:
        return None, None
    return _instant(form, "start_time", first, start), _instant(form, "end_time", last or first, end)


def _instant(form: Form, name: str, day: date, clock: time) -> datetime | None:
    """Berlin wall time as an instant; a time in the spring-forward gap (02:30 on the last Sunday of
    March) does not exist, and is an error on its field rather than silently an hour later."""
    wall = datetime.combine(day, clock)
    instant = from_berlin(wall)
    if in_berlin(instant).replace(tzinfo=None) != wall:
        form.add_error(DomainError(name, NO_SUCH_TIME, date=f"{day:%d.%m.%Y}"))
        return None
    return instant


def _time(form: Form, name: str) -> time | None:
    value = form.clock(name)
    if value is None and name not in form.errors:
        form.add_error(DomainError(name, TIME_REQUIRED))
    return value


def _recurrence(form: Form) -> Recurrence | None:
    frequency = form.choice("frequency", ("", *FREQUENCIES))
    interval = form.integer("repeat_interval")
    weekdays = tuple(WEEKDAY_CODES.index(code) for code in form.choices("weekdays", WEEKDAY_CODES))
    on = form.choice("repeat_on", REPEAT_ON, "date")
    until, count = form.date("repeat_until"), form.integer("repeat_count")
    if not frequency:
        return None
    if until is not None and count is not None:
        form.add_error(DomainError("repeat_count", ONE_END))
    return Recurrence(frequency, 1 if interval is None else interval, weekdays, on, until, count)


def _working_group(call: Call) -> Group | None:
    """Only a working group's chair moderates its events, so only working groups are offered."""
    group = chosen(call, Group, "group")
    if group is not None and group.level != "working":
        call.form.add_error(DomainError("group", NOT_OFFERED))
    return group


# Filling the form ------------------------------------------------------------------------------

def new_values(form: Form) -> None:
    """A new event starts as a public, confirmed, single event."""
    form.update({"kind": "event", "visibility": "public", "status": "confirmed", "frequency": "",
                 "repeat_interval": "1", "repeat_on": "date"})


def fill_from(form: Form, event: Event, day: date | None = None) -> None:
    """The stored event as the form shows it; with `day`, its dates moved to start on that day."""
    starts, ends = in_berlin(event.starts_at), in_berlin(event.ends_at)
    last = ends.date() - timedelta(days=1) if event.all_day else ends.date()
    shift = day - starts.date() if day else timedelta()
    form.update({
        "title": event.title, "kind": event.kind, "all_day": "yes" if event.all_day else "",
        "start_date": (starts.date() + shift).isoformat(), "end_date": (last + shift).isoformat(),
        "start_time": "" if event.all_day else f"{starts:%H:%M}", "end_time": "" if event.all_day else f"{ends:%H:%M}",
        "frequency": event.frequency or "", "repeat_interval": str(event.repeat_interval),
        "repeat_on": event.repeat_on, "repeat_until": _text(event.repeat_until),
        "repeat_count": _text(remaining_count(event, day) if day else event.repeat_count),
        "description": event.description, "place": event.place, "online_url": event.online_url,
        "area": _text(event.area_id), "organiser": _text(event.organiser_id), "contact": _text(event.contact_id),
        "group": _text(event.group_id), "visibility": event.visibility, "status": event.status,
        "help_needed": event.help_needed, "version": str(event.version_id),
    })
    form.setlist("weekdays", [code for code in event.weekdays.split(",") if code])
    form.setlist("partners", [str(organisation.id) for organisation in event.partners])
    form.setlist("target_groups", [str(group.id) for group in event.target_groups])


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


# Showing the form ------------------------------------------------------------------------------

def render_form(call: Call, mode: str, event: Event | None = None, day: date | None = None, status: int = 200,
                conflict: bool = False) -> Response:
    """`mode`: "new", "edit", or "following" (this date of the series and all after it)."""
    db = call.db
    return call.render(
        "events/form.html", status=status, block="event_form" if call.is_htmx else None,
        mode=mode, event=event, day=day, conflict=conflict,
        kinds=EVENT_KINDS, frequencies=FREQUENCIES, weekday_codes=WEEKDAY_CODES,
        visibilities=VISIBILITIES, states=EVENT_STATES, example=_repeat_example(call.form),
        areas=list_areas(db), organisations=list_organisations(db), target_groups=list_target_groups(db),
        people=list_people(db), groups=[group for group in list_groups(db) if group.level == "working"])


def _repeat_example(form: Form) -> dict | None:
    """The first date and its weekday position, to say what "on the same weekday" means ("2. Samstag im Juni")."""
    try:
        first = date.fromisoformat(form.get("start_date", ""))
    except ValueError:
        return None
    return {"day": first, "position": weekday_position(first)}
