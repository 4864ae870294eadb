"""Logging in and out, the profile (password, language), accepting an invitation."""

from starlette.responses import Response
from starlette.routing import Route

from governance.errors import N_, DomainError
from governance.people import MAX_EMAIL, normalise_email
from workspace import auth, throttle
from workspace.access import MEMBER, PUBLIC
from workspace.endpoints import Call, endpoint
from workspace.models import Account
from workspace.routes.feeds import subscriptions
from workspace.routes.reminders import mail_choices
from workspace.settings import LANGUAGES
from workspace.sessions import end_sessions

THROTTLED = N_("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(minutes)s Minuten und versuchen Sie es dann erneut.")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect, never a header-breaking character."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and target.isprintable()):
        return target
    return "/"


def landing(call: Call, account: Account) -> str:
    """Where a login leads when no page was asked for: volunteers have their shifts, not the dashboard."""
    return call.url("my_shifts") if account.kind == "volunteer" else "/"


@endpoint(PUBLIC)
def login_form(call: Call) -> Response:
    if call.account is not None:
        return call.redirect(landing(call, call.account))
    return call.render("account/login.html", next=safe_next(call.request.query_params.get("next")))


@endpoint(PUBLIC)
def login(call: Call) -> Response:
    form = call.form
    email = normalise_email(form.text("email", MAX_EMAIL, N_("Bitte geben Sie Ihre E-Mail-Adresse an.")))
    password = form.secret("password", N_("Bitte geben Sie Ihr Passwort ein."))
    next_url = safe_next(form.get("next"))
    form.errors.pop("next", None)  # a broken hidden field just means: go to the start page
    if form.errors:
        return call.render("account/login.html", status=422, next=next_url)
    address = call.request.client.host if call.request.client else "unknown"
    hasher = call.settings.password_hasher
    # Read-only, so that Argon2 (~145 ms) never runs while SQLite's write lock is held.
    with call.services.database.session(write=False) as reader:
        if throttle.is_throttled(reader, call.settings.secret_key, email, address):
            form.add_error(DomainError("form", THROTTLED, minutes=throttle.WINDOW_MINUTES))
            return call.render("account/login.html", status=429, next=next_url)
        try:
            account_id = auth.authenticate(reader, hasher, email, password).id
        except DomainError as error:
            form.add_error(error)
            call.keep(lambda db: throttle.record(db, call.settings.secret_key, email, address))
            return call.render("account/login.html", status=422, next=next_url)
    account = call.db.get(Account, account_id)
    auth.record_login(account, hasher, password)
    call.log_in(account)
    call.flash("logged_in")
    return call.redirect(landing(call, account) if next_url == "/" else next_url)


@endpoint(PUBLIC)
def logout(call: Call) -> Response:
    call.log_out()
    call.flash("logged_out")
    return call.redirect(call.url("login"))


@endpoint(MEMBER)
def profile(call: Call) -> Response:
    return call.render("account/profile.html", **subscriptions(call), **mail_choices(call))


@endpoint(MEMBER)
def change_password(call: Call) -> Response:
    form = call.form
    current = form.secret("current", N_("Bitte geben Sie Ihr bisheriges Passwort ein."))
    new = form.secret("new", N_("Bitte geben Sie ein neues Passwort ein."))
    if not form.errors:
        try:
            auth.change_password(call.db, call.settings.password_hasher, call.account, current, new,
                                 form.get("confirmation", ""))
        except DomainError as error:
            form.add_error(error)
    if form.errors:
        return call.render("account/profile.html", status=422, block="password_form" if call.is_htmx else None,
                           **subscriptions(call), **mail_choices(call))
    end_sessions(call.db, call.account, keep=call.visitor.session)
    call.flash("password_changed")
    return call.redirect(call.url("profile"))


@endpoint(PUBLIC)
def choose_language(call: Call) -> Response:
    language = call.form.get("language", "")
    if language not in LANGUAGES:
        call.form.add_error(DomainError("language", N_("Diese Sprache gibt es nicht.")))
        return call.render("errors/422.html", status=422, reason="")
    if call.account is not None:
        auth.set_language(call.account, language)
    call.choose_language(language)
    call.flash("language_changed")
    return call.redirect(safe_next(call.form.get("next")))


@endpoint(PUBLIC)
def invitation_form(call: Call) -> Response:
    link = auth.find_invitation(call.db, call.settings.secret_key, call.request.path_params["token"])
    return call.render("account/invitation.html", link=link)


@endpoint(PUBLIC)
def accept_invitation(call: Call) -> Response:
    link = auth.find_invitation(call.db, call.settings.secret_key, call.request.path_params["token"])
    password = call.form.secret("password", N_("Bitte wählen Sie ein Passwort."))
    if not call.form.errors:
        try:
            account = auth.accept_invitation(call.db, call.settings.password_hasher, link, password,
                                             call.form.get("confirmation", ""))
        except DomainError as error:
            call.form.add_error(error)
    if call.form.errors:
        return call.render("account/invitation.html", status=422, link=link)
    call.log_in(account)
    call.flash("invitation_accepted")
    return call.redirect("/")


routes = [
    Route("/login", login_form, methods=["GET"], name="login"),
    Route("/login", login, methods=["POST"], name="login_submit"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route("/profile", profile, methods=["GET"], name="profile"),
    Route("/profile/password", change_password, methods=["POST"], name="change_password"),
    Route("/language", choose_language, methods=["POST"], name="choose_language"),
    Route("/invitation/{token}", invitation_form, methods=["GET"], name="invitation"),
    Route("/invitation/{token}", accept_invitation, methods=["POST"], name="accept_invitation"),
]
