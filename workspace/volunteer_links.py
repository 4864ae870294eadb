"""One-time links sent by mail: confirming a volunteer's address and logging in without a password.

A link is random (workspace.tokens), only its keyed digest is stored, it works once and for 30 minutes.
Every reason a link does not work (unknown, used, expired, account gone) looks the same to the visitor.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from calendars.volunteers import volunteer_of
from governance.base import utcnow
from workspace.models import Account, LoginLink
from workspace.tokens import new_token, token_digest

LINK_LIFETIME = timedelta(minutes=30)
LINK_MINUTES = int(LINK_LIFETIME.total_seconds() // 60)


def issue_link(db: Session, secret_key: str, account: Account, purpose: str, now: datetime | None = None) -> str:
    """A fresh link of `purpose` (confirmation or login); the account's earlier ones of that purpose stop working."""
    now = now or utcnow()
    db.execute(delete(LoginLink).where(LoginLink.account_id == account.id, LoginLink.purpose == purpose))
    token = new_token()
    db.add(LoginLink(account=account, purpose=purpose, token_digest=token_digest(secret_key, token),
                     created_at=now, expires_at=now + LINK_LIFETIME))
    db.flush()
    return token


def find_link(db: Session, secret_key: str, token: str, purpose: str, now: datetime | None = None) -> LoginLink | None:
    """The unused, unexpired link of an active account behind `token`; None for every other case alike."""
    if len(token) > 100:  # ours are 43 characters; no need to hash a megabyte
        return None
    link = db.scalar(select(LoginLink).where(LoginLink.token_digest == token_digest(secret_key, token),
                                             LoginLink.purpose == purpose))
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    return link if link.account.is_active else None


def use_link(db: Session, link: LoginLink, now: datetime | None = None) -> Account | None:
    """Spend the link; opening it proves the address, so a volunteer's e-mail counts as confirmed.

    One conditional UPDATE spends it, so of two requests racing with the same link only one logs in;
    None for the one that lost (or a link that expired meanwhile).
    """
    now = now or utcnow()
    spent = db.execute(update(LoginLink).where(
        LoginLink.id == link.id, LoginLink.used_at.is_(None), LoginLink.expires_at > now,
    ).values(used_at=now).execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        return None
    db.refresh(link)
    account = link.account
    account.last_login_at = now
    volunteer = volunteer_of(db, account.person)
    if volunteer.email_confirmed_at is None:
        volunteer.email_confirmed_at = now
    db.flush()
    return account
