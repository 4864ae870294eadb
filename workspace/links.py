"""One-time links sent by mail: an invitation to set a password, a volunteer's confirmation and login links.

A link is random (workspace.tokens), only its keyed digest is stored, it works once and for as long as its
purpose allows. Every reason a link does not work (unknown, used, expired, account gone) is the same None.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from governance.base import utcnow
from workspace.models import Account, LoginLink
from workspace.tokens import new_token, token_digest

INVITATION_LIFETIME = timedelta(days=7)  # an invitation may wait in the mailbox over a week's absence
VOLUNTEER_LINK_LIFETIME = timedelta(minutes=30)  # asked for a moment ago, used at once
LIFETIMES = {"invitation": INVITATION_LIFETIME, "confirmation": VOLUNTEER_LINK_LIFETIME,
             "login": VOLUNTEER_LINK_LIFETIME}
LINK_MINUTES = VOLUNTEER_LINK_LIFETIME // timedelta(minutes=1)
MAX_TOKEN = 100  # ours are 43 characters; no need to hash a megabyte


def issue_link(db: Session, secret_key: str, account: Account, purpose: str, now: datetime | None = None) -> str:
    """A fresh link of `purpose`; the account's earlier ones of that purpose stop working. Returns its token."""
    now = now or utcnow()
    db.execute(delete(LoginLink).where(LoginLink.account_id == account.id, LoginLink.purpose == purpose))
    token = new_token()
    db.add(LoginLink(account=account, purpose=purpose, token_digest=token_digest(secret_key, token),
                     created_at=now, expires_at=now + LIFETIMES[purpose]))
    db.flush()
    return token


def find_link(db: Session, secret_key: str, token: str, purpose: str, now: datetime | None = None) -> LoginLink | None:
    """The unused, unexpired link of `purpose` of an active account behind `token`; None for every other case."""
    if len(token) > MAX_TOKEN:
        return None
    link = db.scalar(select(LoginLink).where(LoginLink.token_digest == token_digest(secret_key, token),
                                             LoginLink.purpose == purpose))
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    return link if link.account.is_active else None


def spend_link(db: Session, link: LoginLink, now: datetime | None = None) -> bool:
    """Mark the link used; False when another request spent it meanwhile (or it expired since it was found).

    One conditional UPDATE spends it, so of two requests racing with the same link only one gets True.
    """
    now = now or utcnow()
    spent = db.execute(update(LoginLink).where(
        LoginLink.id == link.id, LoginLink.used_at.is_(None), LoginLink.expires_at > now,
    ).values(used_at=now).execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        return False
    db.refresh(link)
    return True
