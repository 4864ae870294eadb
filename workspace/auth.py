"""Accounts: creating, inviting, authenticating, changing passwords, deactivating."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.volunteers import confirm_email
from governance.base import utcnow
from governance.errors import N_, DomainError, NotAllowed, NotFound
from governance.people import create_person, find_person_by_email
from workspace.links import find_link, issue_link, spend_link
from workspace.models import Account, LoginLink
from workspace.sessions import end_sessions

MIN_PASSWORD = 10
MAX_PASSWORD = 1000
BAD_CREDENTIALS = N_("E-Mail-Adresse oder Passwort ist nicht richtig.")


def check_new_password(password: str, confirmation: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD:
        raise DomainError(field, N_("Das Passwort muss mindestens %(min)s Zeichen lang sein."), min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise DomainError(field, N_("Das Passwort darf höchstens %(max)s Zeichen lang sein."), max=MAX_PASSWORD)
    if password != confirmation:
        raise DomainError("confirmation", N_("Die beiden Passwörter stimmen nicht überein."))
    return password


def create_account(
    db: Session, name: str, email: str, password_hash: str | None = None,
    is_coordinator: bool = False, language: str = "de", kind: str = "member",
) -> Account:
    """Create a person with an account; without a password hash the account waits for its invitation."""
    person = create_person(db, name, email, is_coordinator=is_coordinator)
    account = Account(person=person, password_hash=password_hash, language=language, kind=kind)
    db.add(account)
    db.flush()
    return account


def find_account_by_email(db: Session, email: str) -> Account | None:
    person = find_person_by_email(db, email)
    if person is None:
        return None
    return db.scalar(select(Account).where(Account.person_id == person.id))


@cache
def _dummy_hash() -> str:
    """Verified when the address is unknown, so that a wrong address costs as long as a wrong password."""
    return PasswordHasher().hash("not a password of anybody")


def authenticate(db: Session, hasher: PasswordHasher, email: str, password: str) -> Account:
    """The active account with this e-mail and password; one message for every failure."""
    if len(password) > MAX_PASSWORD:
        raise DomainError("password", N_("Das Passwort darf höchstens %(max)s Zeichen lang sein."), max=MAX_PASSWORD)
    account = find_account_by_email(db, email)
    stored = account.password_hash if account and account.password_hash else _dummy_hash()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise DomainError("password", BAD_CREDENTIALS) from None
    if account is None or account.password_hash is None or not account.is_active:
        raise DomainError("password", BAD_CREDENTIALS)
    return account


def record_login(account: Account, hasher: PasswordHasher, password: str) -> None:
    """Note the login, and upgrade the stored hash when the hasher's parameters have grown."""
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    account.last_login_at = utcnow()


def change_password(
    db: Session, hasher: PasswordHasher, account: Account, current: str, new: str, confirmation: str
) -> None:
    try:
        hasher.verify(account.password_hash or _dummy_hash(), current)
    except (VerificationError, InvalidHashError):
        raise DomainError("current", N_("Das bisherige Passwort ist nicht richtig.")) from None
    account.password_hash = hasher.hash(check_new_password(new, confirmation, field="new"))
    db.flush()


def set_language(account: Account, language: str) -> None:
    if language not in ("de", "en"):
        raise DomainError("language", N_("Diese Sprache gibt es nicht."))
    account.language = language


def set_active(db: Session, account: Account, is_active: bool, acting: Account) -> None:
    """(De)activate an account; deactivation ends its sessions at once."""
    if account.id == acting.id:
        raise NotAllowed("nobody deactivates their own account")
    account.is_active = is_active
    if not is_active:
        end_sessions(db, account)
    db.flush()


def invite_account(
    db: Session, secret_key: str, name: str, email: str, is_coordinator: bool, language: str
) -> tuple[Account, str]:
    """Create an account without password and a link to set it; returns the account and the link's token."""
    account = create_account(db, name, email, is_coordinator=is_coordinator, language=language)
    return account, new_invitation(db, secret_key, account)


def new_invitation(db: Session, secret_key: str, account: Account) -> str:
    """A fresh invitation link for an account that has no password yet; earlier links stop working."""
    if account.password_hash is not None or not account.is_active:
        raise NotAllowed("only invited, active accounts get a new link")
    return issue_link(db, secret_key, account, "invitation")


def find_invitation(db: Session, secret_key: str, token: str) -> LoginLink:
    """The unused, unexpired invitation behind a link, or NotFound."""
    link = find_link(db, secret_key, token, "invitation")
    if link is None:
        raise NotFound("invitation")
    return link


def accept_invitation(
    db: Session, hasher: PasswordHasher, link: LoginLink, password: str, confirmation: str
) -> Account:
    """Set the password; the invitation came by mail, so the address counts as confirmed from now on.
    NotFound when another request accepted the same invitation a moment ago."""
    password_hash = hasher.hash(check_new_password(password, confirmation))
    now = utcnow()
    if not spend_link(db, link, now):
        raise NotFound("invitation")
    link.account.password_hash = password_hash
    confirm_email(db, link.account.person, now)
    db.flush()
    return link.account
