"""Reminders on the web: the one-click links in the mails ("Ich helfe", "Diesmal nicht", stop mails of
this kind) and the coordinator's view at /admin/reminders (pending, sent, failed; resend; lead times).

A link's token is a keyed digest of the reminder's id (workspace.reminder_mail.reminder_token): a
forged or altered link finds nothing. Opening a link changes nothing; its page has one button, so a
mail scanner that follows links cannot sign anyone up. A link used twice says so and changes nothing.
"""

from sqlalchemy import func, select
from starlette.responses import Response
from starlette.routing import Route

from calendars.models import REMINDER_STATES, Reminder, Shift
from calendars.reminders import calls, leads, queue, stops
from calendars.reminders.sync import replan
from calendars.signups import ShiftFull, take_place
from governance.base import utcnow
from governance.errors import DomainError, NotFound
from workspace.access import COORDINATOR, MAIL_LINK, VOLUNTEER
from workspace.endpoints import Call, endpoint
from workspace.reminder_mail import reminder_token
from workspace.tokens import same

ACTIONS = ("help", "decline", "stop")
LISTED = 100
SHOWN_STATES = ("pending", "sent", "failed", "cancelled")


# The links in the mails ---------------------------------------------------------------------------

def _linked(call: Call) -> tuple[Reminder, str]:
    params = call.request.path_params
    reminder = call.db.get(Reminder, params["reminder_id"])
    action = params["action"]
    token = params["token"][:100]
    if (reminder is None or reminder.recipient is None or action not in ACTIONS
            or not same(token, reminder_token(call.settings.secret_key, reminder.id))
            or (action != "stop" and reminder.kind != "call_for_help")):
        raise NotFound("reminder")
    return reminder, action


@endpoint(MAIL_LINK)
def link_page(call: Call) -> Response:
    reminder, action = _linked(call)
    return _render_link(call, reminder, action, _already(call, reminder, action))


@endpoint(MAIL_LINK)
def use_link(call: Call) -> Response:
    reminder, action = _linked(call)
    if (outcome := _already(call, reminder, action)) is not None:  # nothing done: a full shift is a conflict
        return _render_link(call, reminder, action, outcome, status=409 if outcome == "not_needed" else 200)
    now = utcnow()
    if action == "stop":
        stops.stop(call.db, reminder.recipient, reminder.kind, now)
        return _render_link(call, reminder, action, "done")
    if action == "decline":
        calls.answer(call.db, reminder, accepted=False, now=now)
        return _render_link(call, reminder, action, "done")
    shift = call.db.get(Shift, reminder.subject_id)
    try:
        take_place(call.db, reminder.recipient, shift, now)
    except ShiftFull:
        return _render_link(call, reminder, action, "full", status=409)
    except DomainError as error:
        return _render_link(call, reminder, action, "refused", status=422, error=error)
    calls.answer(call.db, reminder, accepted=True, now=now)
    return _render_link(call, reminder, action, "done")


def _already(call: Call, reminder: Reminder, action: str) -> str | None:
    """What makes the link's action moot: it was used already, or the shift needs nobody now."""
    if action == "stop":
        return "already" if reminder.kind in stops.stopped_kinds(call.db, reminder.recipient) else None
    if reminder.answer is not None:
        return "already"
    shift = call.db.get(Shift, reminder.subject_id)
    return None if action == "decline" or calls.still_short(call.db, shift, utcnow()) else "not_needed"


def _render_link(call: Call, reminder: Reminder, action: str, outcome: str | None, status: int = 200,
                 error: DomainError | None = None) -> Response:
    shift = call.db.get(Shift, reminder.subject_id) if reminder.subject_type == "shift" else None
    return call.render("reminders/link.html", status=status, reminder=reminder, action=action, outcome=outcome,
                       shift=shift, error=error)


# The person's own choice --------------------------------------------------------------------------

BACK = {"profile": "profile", "volunteer": "volunteer_profile"}


def mail_choices(call: Call) -> dict:
    """What the profile pages need for the partial account/_reminders.html."""
    stopped = stops.stopped_kinds(call.db, call.account.person)
    return {"mail_kinds": stops.STOPPABLE, "mails_wanted": [k for k in stops.STOPPABLE if k not in stopped]}


@endpoint(VOLUNTEER)
def choose_reminders(call: Call) -> Response:
    wanted = call.form.choices("kinds", stops.STOPPABLE)
    back = BACK.get(call.form.get("back", ""), "volunteer_profile")
    if not call.form.errors:
        stops.choose(call.db, call.account.person, set(wanted), utcnow())
        call.flash("mail_choices_saved")
    return call.redirect(call.url(back) + "#mail-choices")


# The coordinator's view -------------------------------------------------------------------------

@endpoint(COORDINATOR)
def admin_reminders(call: Call) -> Response:
    state = call.request.query_params.get("state", "pending")
    if state not in SHOWN_STATES:
        state = "pending"
    return _render_admin(call, state)


def _render_admin(call: Call, state: str, status: int = 200) -> Response:
    db = call.db
    counts = dict(db.execute(select(Reminder.state, func.count()).where(Reminder.kind != "help_round")
                             .group_by(Reminder.state)).all())  # as listed: a round of calls is no mail
    shown = ("pending", "claimed") if state == "pending" else (state,)  # one being sent is still pending
    order = Reminder.try_at.asc() if state == "pending" else Reminder.id.desc()
    rows = db.scalars(select(Reminder).where(Reminder.state.in_(shown), Reminder.kind != "help_round")
                      .order_by(order).limit(LISTED))
    current = leads.leads(db)
    if not call.form:
        for (kind, round), hours in current.items():
            call.form[f"lead-{kind}-{round}"] = str(hours)
    return call.render("admin/reminders.html", status=status, state=state, rows=list(rows),
                       counts={s: counts.get(s, 0) for s in REMINDER_STATES}, leads=current)


@endpoint(COORDINATOR)
def resend(call: Call) -> Response:
    reminder = call.db.get(Reminder, call.request.path_params["reminder_id"])
    if reminder is None:
        raise NotFound("reminder")
    queue.resend(call.db, reminder, utcnow())
    call.flash("reminder_resent")
    return call.redirect(call.url("admin_reminders") + "?state=failed")


@endpoint(COORDINATOR)
def change_leads(call: Call) -> Response:
    """The network's lead times, in hours; whole days keep the wall-clock time."""
    chosen = {}
    for kind, round in leads.DEFAULT_LEADS:
        field = f"lead-{kind}-{round}"
        hours = call.form.integer(field)
        if field in call.form.errors:
            continue
        try:
            leads.check_lead(hours or 0, field)
        except DomainError as error:
            call.form.add_error(error)
            continue
        chosen[kind, round] = hours
    if call.form.errors:
        return _render_admin(call, "pending", status=422)
    for (kind, round), hours in chosen.items():
        leads.set_lead(call.db, kind, round, hours)
    replan(call.db, utcnow())
    call.flash("leads_saved")
    return call.redirect(call.url("admin_reminders"))


LINK = "/reminders/{reminder_id:int}/{token}/{action}"

routes = [
    Route(LINK, link_page, methods=["GET"], name="reminder_link"),
    Route(LINK, use_link, methods=["POST"], name="use_reminder_link"),
    Route("/profile/reminders", choose_reminders, methods=["POST"], name="choose_reminders"),
    Route("/admin/reminders", admin_reminders, methods=["GET"], name="admin_reminders"),
    Route("/admin/reminders/leads", change_leads, methods=["POST"], name="change_reminder_leads"),
    Route("/admin/reminders/{reminder_id:int}/resend", resend, methods=["POST"], name="resend_reminder"),
]
