"""Volunteers' light accounts: registering by name and e-mail, confirming by a mailed link, logging in by a
one-time link, the preferences on the profile, and deleting the account.

Links in mails only show a page with a button: mail scanners follow links, so a GET never spends one.
"""

from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from calendars.models import TASK_KINDS, Volunteer
from calendars.reminders.leads import leads
from calendars.volunteers import task_kinds_of, update_preferences
from governance.errors import N_, DomainError, NotAllowed
from governance.models import Area, TargetGroup
from governance.organisations import list_areas, list_target_groups
from governance.people import MAX_EMAIL, MAX_NAME, check_email
from governance.times import today
from workspace.access import PUBLIC, VOLUNTEER
from workspace.auth import find_account_by_email
from workspace.endpoints import Call, endpoint
from workspace.forms import Form
from workspace.links import LINK_MINUTES, find_link, issue_link
from workspace.throttle import LINKS, WINDOW_MINUTES, is_throttled, record
from workspace.mail import queue_mail
from workspace.models import Account
from workspace.routes.account import landing, safe_next
from workspace.routes.feeds import subscriptions
from workspace.routes.reminders import mail_choices
from workspace.routes.shift_mail import mail_moved_up
from workspace.submission import attempt, chosen_all
from workspace.volunteer_accounts import (CONFIRMATION, PASSWORD, delete_volunteer_account, link_mail_for,
                                          note_confirmed_address, register_volunteer, use_link)

MAX_NEXT = 300
LINK_GONE = 410  # used, expired or unknown: the same answer for all three
MAIL_TEMPLATES = {CONFIRMATION: "mail/volunteer_confirmation.txt", "login": "mail/login_link.txt",
                  PASSWORD: "mail/login_with_password.txt"}
LINK_ROUTES = {CONFIRMATION: "volunteer_confirm", "login": "login_link_use"}
TOO_MANY = N_("Sie haben in kurzer Zeit zu viele Links angefordert. Bitte warten Sie %(minutes)s Minuten "
              "und versuchen Sie es dann erneut.")


def next_path(value: str | None) -> str | None:
    """A page of this site to come back to (the shift a newcomer wanted to take); anything else is dropped."""
    target = safe_next(value)
    return target if target != "/" and len(target) <= MAX_NEXT else None


def _requested_email(form: Form) -> str:
    email = form.text("email", MAX_EMAIL, N_("Bitte geben Sie Ihre E-Mail-Adresse an."))
    if "email" not in form.errors:
        try:
            return check_email(email)
        except DomainError as error:
            form.add_error(error)
    return email


def _throttled(call: Call, email: str) -> bool:
    """Refuse when this mailbox or this client asked too often; otherwise count this request."""
    client = call.request.client.host if call.request.client else "unknown"
    if is_throttled(call.db, call.settings.secret_key, email, client, LINKS):
        call.form.add_error(DomainError("form", TOO_MANY, minutes=WINDOW_MINUTES))
        return True
    record(call.db, call.settings.secret_key, email, client, LINKS)
    return False


def _send(call: Call, account: Account | None, mail: str | None, next_url: str | None) -> None:
    """Queue the mail this address gets; None sends nothing (the visitor sees the same page either way)."""
    if account is None or mail is None:
        return
    base = call.settings.base_url
    if mail == PASSWORD:
        link = base + call.url("login")
    else:
        link = base + call.url(LINK_ROUTES[mail], token=issue_link(call.db, call.settings.secret_key, account, mail))
        link += "?" + urlencode({"next": next_url}) if next_url else ""
    queue_mail(call.db, call.services.renderer, account.language, account.person.email, MAIL_TEMPLATES[mail],
               {"person": account.person, "link": link, "minutes": LINK_MINUTES})


def _sent(call: Call, email: str) -> Response:
    return call.render("volunteers/sent.html", email=email, minutes=LINK_MINUTES)


# Registering ----------------------------------------------------------------------------------

@endpoint(PUBLIC)
def register_form(call: Call) -> Response:
    next_url = next_path(call.request.query_params.get("next"))
    if call.account is not None:
        return call.redirect(next_url or call.url("volunteer_profile"))
    return call.render("volunteers/register.html", next=next_url)


@endpoint(PUBLIC)
def register(call: Call) -> Response:
    form = call.form
    next_url = next_path(form.get("next"))
    form.errors.pop("next", None)  # a broken hidden field just means: no page to come back to
    if call.account is not None:
        return call.redirect(next_url or call.url("volunteer_profile"))
    name = form.text("name", MAX_NAME, N_("Bitte geben Sie Ihren Namen an."))
    email = _requested_email(form)
    if form.errors:
        return call.render("volunteers/register.html", status=422, next=next_url)
    if _throttled(call, email):
        return call.render("volunteers/register.html", status=429, next=next_url)
    account, mail = register_volunteer(call.db, name, email, call.visitor.language)
    _send(call, account, mail, next_url)
    return _sent(call, email)


# Using a link ----------------------------------------------------------------------------------

def _link_page(call: Call, purpose: str) -> Response:
    """The page a mailed link opens: a button that spends it, or how to get a new one."""
    next_url = next_path(call.request.query_params.get("next"))
    if find_link(call.db, call.settings.secret_key, call.request.path_params["token"], purpose) is None:
        return _gone(call, next_url)
    return call.render("volunteers/link.html", purpose=purpose, next=next_url)


def _use_link(call: Call, purpose: str) -> Response:
    next_url = next_path(call.form.get("next"))
    link = find_link(call.db, call.settings.secret_key, call.request.path_params["token"], purpose)
    if link is None:
        return _gone(call, next_url)
    account = use_link(call.db, link)
    if account is None:  # another request spent it a moment ago
        return _gone(call, next_url)
    call.log_in(account)
    call.flash("email_confirmed" if purpose == CONFIRMATION else "logged_in")
    return call.redirect(next_url or landing(call, account))


def _gone(call: Call, next_url: str | None) -> Response:
    call.form = Form()  # the button's fields are not the new-link form's
    return call.render("volunteers/link_gone.html", status=LINK_GONE, next=next_url, minutes=LINK_MINUTES)


@endpoint(PUBLIC)
def confirm_page(call: Call) -> Response:
    return _link_page(call, CONFIRMATION)


@endpoint(PUBLIC)
def confirm(call: Call) -> Response:
    return _use_link(call, CONFIRMATION)


@endpoint(PUBLIC)
def login_link_page(call: Call) -> Response:
    return _link_page(call, "login")


@endpoint(PUBLIC)
def use_login_link(call: Call) -> Response:
    return _use_link(call, "login")


# Asking for a login link ------------------------------------------------------------------------

@endpoint(PUBLIC)
def login_link_form(call: Call) -> Response:
    next_url = next_path(call.request.query_params.get("next"))
    if call.account is not None:
        return call.redirect(next_url or landing(call, call.account))
    return call.render("volunteers/login_link.html", next=next_url)


@endpoint(PUBLIC)
def send_login_link(call: Call) -> Response:
    """A login link for an active volunteer's address, a pointer to the password login for a member's,
    nothing for any other; the page says the same in every case."""
    form = call.form
    next_url = next_path(form.get("next"))
    form.errors.pop("next", None)
    if call.account is not None:
        return call.redirect(next_url or landing(call, call.account))
    email = _requested_email(form)
    if form.errors:
        return call.render("volunteers/login_link.html", status=422, next=next_url)
    if _throttled(call, email):
        return call.render("volunteers/login_link.html", status=429, next=next_url)
    account = find_account_by_email(call.db, email)
    _send(call, account, link_mail_for(call.db, account), next_url)
    return _sent(call, email)


# Preferences and deleting ------------------------------------------------------------------------

def _prefill(form: Form, volunteer: Volunteer | None) -> None:
    """Show what is stored (the defaults before the first save)."""
    volunteer = volunteer or Volunteer(task_kinds="")
    form.setlist("areas", [str(area.id) for area in volunteer.areas])
    form.setlist("target_groups", [str(group.id) for group in volunteer.target_groups])
    form.setlist("task_kinds", task_kinds_of(volunteer))
    form.update(max_hours_per_month=str(volunteer.max_hours_per_month or ""), lead_hours=str(volunteer.lead_hours or ""),
                paused_until=volunteer.paused_until.isoformat() if volunteer.paused_until else "")


def _profile(call: Call, status: int = 200) -> Response:
    return call.render("volunteers/profile.html", status=status, areas=list_areas(call.db),
                       network_lead=leads(call.db)["shift_upcoming", 0],
                       target_groups=list_target_groups(call.db), task_kinds=TASK_KINDS, today=today(),
                       volunteer=call.db.get(Volunteer, call.account.person_id), **subscriptions(call),
                       **mail_choices(call))


@endpoint(VOLUNTEER)
def profile(call: Call) -> Response:
    _prefill(call.form, call.db.get(Volunteer, call.account.person_id))
    return _profile(call)


@endpoint(VOLUNTEER)
def save_profile(call: Call) -> Response:
    form = call.form
    areas, groups = chosen_all(call, Area, "areas"), chosen_all(call, TargetGroup, "target_groups")
    kinds = tuple(form.choices("task_kinds", TASK_KINDS))
    most, lead, paused = form.integer("max_hours_per_month"), form.integer("lead_hours"), form.date("paused_until")
    attempt(call, lambda: update_preferences(call.db, call.account.person, areas, groups, kinds, most, lead, paused))
    note_confirmed_address(call.db, call.account)
    if form.errors:
        return _profile(call, 422)
    call.flash("preferences_saved")
    return call.redirect(call.url("volunteer_profile"))


@endpoint(VOLUNTEER)
def delete_account(call: Call) -> Response:
    """A volunteer deletes their light account; members' accounts are the coordinator's to close."""
    account = call.account
    if account.kind != "volunteer":
        raise NotAllowed("only a volunteer's light account is deleted by its owner")
    if call.form.get("confirm") != "yes":
        call.form.add_error(DomainError("confirm", N_("Bitte bestätigen Sie, dass Ihr Konto gelöscht werden soll.")))
        _prefill(call.form, call.db.get(Volunteer, account.person_id))
        return _profile(call, 422)
    call.log_out()
    for signup in delete_volunteer_account(call.db, account):
        mail_moved_up(call, signup)
    call.flash("volunteer_account_deleted")
    return call.redirect(call.url("calendar"))


routes = [
    Route("/volunteer/register", register_form, methods=["GET"], name="volunteer_register"),
    Route("/volunteer/register", register, methods=["POST"], name="volunteer_register_submit"),
    Route("/volunteer/confirm/{token}", confirm_page, methods=["GET"], name="volunteer_confirm"),
    Route("/volunteer/confirm/{token}", confirm, methods=["POST"], name="volunteer_confirm_submit"),
    Route("/login/link", login_link_form, methods=["GET"], name="login_link"),
    Route("/login/link", send_login_link, methods=["POST"], name="login_link_submit"),
    Route("/login/link/{token}", login_link_page, methods=["GET"], name="login_link_use"),
    Route("/login/link/{token}", use_login_link, methods=["POST"], name="login_link_use_submit"),
    Route("/volunteer/profile", profile, methods=["GET"], name="volunteer_profile"),
    Route("/volunteer/profile", save_profile, methods=["POST"], name="volunteer_profile_submit"),
    Route("/volunteer/delete", delete_account, methods=["POST"], name="volunteer_delete"),
]
