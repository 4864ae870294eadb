"""The coordinator's admin area: invite and (de)activate accounts, read the local mail outbox."""

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from governance.errors import N_, DomainError, NotFound
from governance.people import MAX_EMAIL, MAX_NAME, check_email
from workspace import auth
from workspace.access import COORDINATOR
from workspace.endpoints import Call, endpoint
from workspace.mail import list_mails, queue_mail
from workspace.models import Account, Mail
from workspace.settings import LANGUAGES


def _accounts(call: Call) -> list[Account]:
    return list(call.db.scalars(select(Account).order_by(Account.id)))


def _account(call: Call) -> Account:
    account = call.db.get(Account, call.request.path_params["account_id"])
    if account is None:
        raise NotFound("account")
    return account


@endpoint(COORDINATOR)
def admin_home(call: Call) -> Response:
    return call.redirect(call.url("admin_users"))


@endpoint(COORDINATOR)
def users(call: Call) -> Response:
    return call.render("admin/users.html", accounts=_accounts(call))


@endpoint(COORDINATOR)
def invite_user(call: Call) -> Response:
    form = call.form
    name = form.text("name", MAX_NAME, N_("Bitte geben Sie einen Namen an."))
    email = form.text("email", MAX_EMAIL, N_("Bitte geben Sie eine E-Mail-Adresse an."))
    if "email" not in form.errors:
        try:
            check_email(email)
        except DomainError as error:
            form.add_error(error)
    language, role = form.get("language", "de"), form.get("role", "member")
    if language not in LANGUAGES:
        form.add_error(DomainError("language", N_("Diese Sprache gibt es nicht.")))
    if role not in ("member", "coordinator"):
        form.add_error(DomainError("role", N_("Diese Rolle gibt es nicht.")))
    if not form.errors:
        try:
            account, token = auth.invite_account(
                call.db, call.settings.secret_key, name, email,
                is_coordinator=role == "coordinator", language=language,
            )
        except DomainError as error:
            form.add_error(error)
    if form.errors:
        block = "invite_form" if call.is_htmx else None
        return call.render("admin/users.html", status=422, block=block, accounts=_accounts(call))
    _send_invitation(call, account, token)
    return call.redirect(call.url("admin_users"))


@endpoint(COORDINATOR)
def reinvite_user(call: Call) -> Response:
    account = _account(call)
    _send_invitation(call, account, auth.new_invitation(call.db, call.settings.secret_key, account))
    return call.redirect(call.url("admin_users"))


def _send_invitation(call: Call, account: Account, token: str) -> None:
    link = call.settings.base_url + call.url("invitation", token=token)
    queue_mail(call.db, call.services.renderer, account.language, account.person.email, "mail/invitation.txt",
               {"person": account.person, "inviter": call.account.person, "link": link})
    call.flash("invitation_sent")


def _set_active(call: Call, is_active: bool) -> Response:
    account = _account(call)
    auth.set_active(call.db, account, is_active, acting=call.account)
    if call.is_htmx:
        return call.render("admin/users.html", block="account_row", item=account)
    call.flash("account_activated" if is_active else "account_deactivated")
    return call.redirect(call.url("admin_users"))


@endpoint(COORDINATOR)
def deactivate_user(call: Call) -> Response:
    return _set_active(call, False)


@endpoint(COORDINATOR)
def activate_user(call: Call) -> Response:
    return _set_active(call, True)


@endpoint(COORDINATOR)
def outbox(call: Call) -> Response:
    return call.render("admin/outbox.html", mails=list_mails(call.db))


@endpoint(COORDINATOR)
def outbox_mail(call: Call) -> Response:
    mail = call.db.get(Mail, call.request.path_params["mail_id"])
    if mail is None:
        raise NotFound("mail")
    return call.render("admin/mail.html", mail=mail)


routes = [
    Route("/admin", admin_home, methods=["GET"], name="admin"),
    Route("/admin/users", users, methods=["GET"], name="admin_users"),
    Route("/admin/users", invite_user, methods=["POST"], name="invite_user"),
    Route("/admin/users/{account_id:int}/deactivate", deactivate_user, methods=["POST"], name="deactivate_user"),
    Route("/admin/users/{account_id:int}/activate", activate_user, methods=["POST"], name="activate_user"),
    Route("/admin/users/{account_id:int}/invitation", reinvite_user, methods=["POST"], name="reinvite_user"),
    Route("/admin/outbox", outbox, methods=["GET"], name="admin_outbox"),
    Route("/admin/outbox/{mail_id:int}", outbox_mail, methods=["GET"], name="admin_mail"),
]
