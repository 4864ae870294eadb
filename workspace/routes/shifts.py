"""Helper shifts for volunteers: a shift's page (and its block on the event page), taking a place, the
waiting list, cancelling, and "Meine Schichten". Managing shifts is in shift_forms, the board in shift_board.

Every answer about one shift is the same block (`shift_row`): htmx swaps it in place wherever the shift is
shown; a plain form goes back to the page it was sent from (`next`). A shift that filled up a moment ago
answers 409 with the offer of the waiting list; a refusal (past, overlapping, after the cut-off) 422.
"""

from starlette.responses import Response
from starlette.routing import Route

from calendars.models import Shift, Signup
from calendars.signups import ShiftFull, cancel_signup, join_waiting_list, my_shifts, take_place
from governance.base import utcnow
from governance.errors import NotFound
from governance.permissions import require
from governance.times import in_berlin
from workspace.access import PUBLIC, VOLUNTEER
from workspace.endpoints import Call, endpoint
from workspace.routes import shift_board, shift_forms
from workspace.routes.shift_mail import mail_moved_up
from workspace.routes.shift_parts import back_to, render_shift, sent, shift_of
from workspace.submission import attempt
from workspace.volunteer_accounts import note_confirmed_address


# The shift's page ------------------------------------------------------------------------------

@endpoint(PUBLIC)
def shift_page(call: Call) -> Response:
    return render_shift(call, shift_of(call))


# Taking a place, waiting, cancelling ----------------------------------------------------------

@endpoint(VOLUNTEER)
def take_shift(call: Call) -> Response:
    sent(call)
    shift = shift_of(call)
    try:
        attempt(call, lambda: take_place(call.db, call.account.person, shift, utcnow()))
    except ShiftFull:
        return render_shift(call, shift, 409, answered="full")
    note_confirmed_address(call.db, call.account)
    return _answer(call, shift, "taken", "shift_taken")


@endpoint(VOLUNTEER)
def join_waiting(call: Call) -> Response:
    sent(call)
    shift = shift_of(call)
    attempt(call, lambda: join_waiting_list(call.db, call.account.person, shift, utcnow()))
    note_confirmed_address(call.db, call.account)
    return _answer(call, shift, "waiting", "shift_waiting")


@endpoint(VOLUNTEER)
def cancel(call: Call) -> Response:
    """Give one's place back (a waiting person moves up and is told by mail) or leave the waiting list."""
    sent(call)
    signup = call.db.get(Signup, call.request.path_params["signup_id"])
    if signup is None:
        raise NotFound("signup")
    require(signup.person_id == call.account.person_id)
    left = "left" if signup.state == "waiting" else "cancelled"
    moved = attempt(call, lambda: cancel_signup(call.db, call.account.person, signup, utcnow()))
    if moved is not None:
        mail_moved_up(call, moved)
    return _answer(call, signup.shift, left, "waiting_left" if left == "left" else "signup_cancelled")


def _answer(call: Call, shift: Shift, answered: str, flash: str) -> Response:
    """htmx: the block with what happened; a plain form: back where it came from (or the page with the error)."""
    if call.form.errors:
        return render_shift(call, shift, 422, answered="refused")
    if call.is_htmx:
        return render_shift(call, shift, answered=answered)
    call.flash(flash)
    return call.redirect(back_to(call) if call.form.get("next") else call.url("shift", shift_id=shift.id))


# Meine Schichten -------------------------------------------------------------------------------

@endpoint(VOLUNTEER)
def mine(call: Call) -> Response:
    now = utcnow()
    return call.render("shifts/mine.html", mine=my_shifts(call.db, call.account.person, now), now=now,
                       year=in_berlin(now).year)


SHIFT = "/shifts/{shift_id:int}"

routes = [
    *shift_board.routes,  # /shifts and /shifts.ics
    Route("/shifts/mine", mine, methods=["GET"], name="my_shifts"),
    Route(SHIFT, shift_page, methods=["GET"], name="shift"),
    Route(SHIFT + "/signup", take_shift, methods=["POST"], name="take_shift"),
    Route(SHIFT + "/waiting", join_waiting, methods=["POST"], name="join_waiting_list"),
    Route("/signups/{signup_id:int}/cancel", cancel, methods=["POST"], name="cancel_signup"),
    *shift_forms.routes,
]
