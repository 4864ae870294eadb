"""What every page showing a helper shift needs: the shift in the path, who looks at it, and the shift's
block (`shift_row`), which htmx swaps in place on the event page, the shift's page and after each answer.
No routes of its own."""

from starlette.responses import Response

from calendars.events import can_see
from calendars.models import Event, Shift, Signup
from calendars.occurrences import Occurrence
from calendars.shifts import ShiftView, can_manage_shifts, find_shift, shift_date, shifts_on, takes_place
from calendars.signups import too_late_to_cancel
from governance.base import utcnow
from governance.errors import NotFound
from governance.models import Person
from governance.times import in_berlin
from workspace.endpoints import Call
from workspace.routes.account import safe_next

BLOCK = "shift_row"


# What the shift block needs, on the event page and on the shift's own page ----------------------

def shift_section(call: Call, event: Event, occurrence: Occurrence | None) -> dict:
    """The event page's "Helferschichten" for one date; none without a date (a series lists many)."""
    views = shifts_on(call.db, event, occurrence.recurrence_id) if occurrence else []
    return {"shifts": views, "shift_date": occurrence, **viewer(call, event, views)}


def viewer(call: Call, event: Event, views: list[ShiftView]) -> dict:
    """Who looks at the shifts: names only for members, buttons for the logged-in, links for managers."""
    account = call.account
    person = account.person if account else None
    now = utcnow()
    return {
        "may_manage": account is not None and can_manage_shifts(call.db, call.actor, event),
        "sees_names": call.is_member,
        "mine": own_signups(views, person), "now": now, "back": back_to(call),
        "shift_answer": None, "answered_shift": None,
        # The domain's rules, so the block does not make its own: does it take place, may a place go back.
        "happening": {view.shift.id: takes_place(view.shift) for view in views},
        "too_late": {view.shift.id: too_late_to_cancel(view.shift, now) for view in views},
    }


def own_signups(views: list[ShiftView], person: Person | None) -> dict[int, Signup]:
    """The person's live sign-up on each shown shift, by shift id (the shifts' sign-ups are loaded)."""
    if person is None:
        return {}
    return {view.shift.id: signup for view in views for signup in view.shift.signups
            if signup.person_id == person.id and signup.state != "cancelled"}


def back_to(call: Call) -> str:
    """Where a plain form returns to: the page it was sent from (a POST carries it as `next`)."""
    if call.request.method == "POST":
        return safe_next(call.form.get("next"))
    query = call.request.url.query
    return call.request.url.path + ("?" + query if query else "")


def sent(call: Call) -> None:
    """A garbled hidden `next` is no error of the person's: it just means the shift's own page."""
    if call.form.errors.pop("next", None) is not None:
        call.form["next"] = ""


def shift_of(call: Call) -> Shift:
    """The shift in the path; 404 also when its event is hidden from the visitor."""
    shift = find_shift(call.db, call.request.path_params["shift_id"])
    if not can_see(call.member_actor, shift.event):
        raise NotFound(shift.id)
    return shift


def view_of(call: Call, shift: Shift) -> ShiftView:
    return next(view for view in shifts_on(call.db, shift.event, shift.occurrence_start) if view.shift.id == shift.id)


def date_of(shift: Shift) -> Occurrence | None:
    """The event's date the shift belongs to (None when that date left the series)."""
    return shift_date(shift)


def render_shift(call: Call, shift: Shift, status: int = 200, answered: str | None = None) -> Response:
    """The shift's page, or for htmx its block alone (to swap where the button was pressed)."""
    view = view_of(call, shift)
    context = viewer(call, shift.event, [view])
    context.update(shift_answer=answered, answered_shift=shift.id if answered or call.form.errors else None)
    if call.request.method == "POST" and not call.form.get("next"):
        context["back"] = call.url("shift", shift_id=shift.id)
    occurrence = date_of(shift)
    return call.render("shifts/shift.html", status=status, block=BLOCK if call.is_htmx else None,
                       event=shift.event, shift=shift, occurrence=occurrence, shifts=[view], item=view,
                       date_cancelled=occurrence is None or occurrence.cancelled,
                       day=in_berlin(shift.occurrence_start).date(), **context)
