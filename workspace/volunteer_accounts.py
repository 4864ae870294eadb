"""Volunteers' light accounts: registering by name and e-mail, which link a mail carries, using it, whose
address counts as confirmed, deleting.

Whether an address was new or known never changes the answer a visitor sees; it only decides which
mail goes to that address. Members keep logging in with their password: a mailed link would make
their access to the network's internal pages only as strong as their mailbox.
"""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from calendars.models import Signup
from calendars.volunteers import confirm_email, forget_person, volunteer_of
from governance.base import utcnow
from governance.models import Membership, Person
from governance.people import check_name, find_person_by_email
from workspace.auth import create_account
from workspace.links import spend_link
from workspace.models import Account, LoginLink, Mail
from workspace.sessions import end_sessions

# Which mail an address gets: a link to confirm it, a link to log in, a pointer to the password login.
CONFIRMATION, LOGIN, PASSWORD = "confirmation", "login", "password"


def register_volunteer(db: Session, name: str, email: str, language: str) -> tuple[Account | None, str | None]:
    """The account behind the address (created when new) and the mail it gets; (None, None): send nothing."""
    person = find_person_by_email(db, email)
    if person is None:
        account = create_account(db, check_name(name), email, language=language, kind="volunteer")
        volunteer_of(db, account.person)
        return account, CONFIRMATION
    account = db.scalar(select(Account).where(Account.person_id == person.id))
    if account is None and _belongs_to_network(db, person):
        return None, None  # the coordinator invites them as a member; a light account would take them over
    if account is None:  # a person the network names (a contact), not yet able to log in
        account = Account(person=person, kind="volunteer", language=language)
        db.add(account)
        db.flush()
    return account, link_mail_for(db, account)


def _belongs_to_network(db: Session, person: Person) -> bool:
    """A coordinator or someone in a group (past or present): their access is a member's account."""
    return person.is_coordinator or db.scalar(
        select(Membership.id).where(Membership.person_id == person.id).limit(1)) is not None


def link_mail_for(db: Session, account: Account | None) -> str | None:
    """What a request for a link sends to this account's address: nothing for unknown or deactivated ones."""
    if account is None or not account.is_active:
        return None
    if account.kind != "volunteer":
        return PASSWORD
    return LOGIN if volunteer_of(db, account.person).email_confirmed_at else CONFIRMATION


def use_link(db: Session, link: LoginLink, now: datetime | None = None) -> Account | None:
    """Spend a confirmation or login link and log its account in; opening it proves the address, so the
    volunteer's e-mail counts as confirmed. None when another request spent it a moment ago."""
    now = now or utcnow()
    if not spend_link(db, link, now):
        return None
    account = link.account
    account.last_login_at = now
    volunteer_of(db, account.person, confirmed_at=now)
    db.flush()
    return account


def address_confirmed(account: Account) -> bool:
    """Whether the account proved its address: a member's password is set only through the invitation
    mailed there (or by the operator on the command line), a volunteer logs in only by mailed links."""
    return account.password_hash is not None or account.last_login_at is not None


def note_confirmed_address(db: Session, account: Account) -> None:
    """After the account acted as a volunteer (saved preferences, took a shift): a proven address shows
    on its volunteer row, so calls for help reach it."""
    if address_confirmed(account):
        confirm_email(db, account.person, utcnow())


def delete_volunteer_account(db: Session, account: Account) -> list[Signup]:
    """Forget the person (confirmed hours stay, anonymously) and remove the account with everything that
    let it in and the mails to them (the outbox keeps address and name); returns the sign-ups moved up
    from a waiting list into a place this person held."""
    email = account.person.email
    moved_up = forget_person(db, account.person)
    if email:
        db.execute(delete(Mail).where(Mail.recipient == email))
    end_sessions(db, account)
    db.execute(delete(LoginLink).where(LoginLink.account_id == account.id))
    db.delete(account)
    db.flush()
    return moved_up
