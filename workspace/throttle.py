"""Throttling: failed password logins (5 per account or address within 15 minutes), and the forms that send
links by mail, so that nobody can flood an inbox through them.

Both are counted in the login-attempt table, told apart by a key prefix, so asking for links never locks
anyone out of the password login. The mailbox is stored as a keyed digest: the count needs no readable
address, and a copy of the database alone does not tell who asked. Known and unknown addresses count alike.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from governance.base import utcnow
from workspace.models import LoginAttempt
from workspace.tokens import token_digest

WINDOW_MINUTES = 15
WINDOW = timedelta(minutes=WINDOW_MINUTES)


@dataclass(frozen=True)
class Limits:
    prefix: str
    per_mailbox: int
    per_client: int


LOGIN = Limits("", 5, 5)
LINKS = Limits("link:", 3, 20)  # per client: a community centre's Wi-Fi is one address


def _mailbox(secret_key: str, email: str, limits: Limits) -> str:
    return limits.prefix + token_digest(secret_key, email)


def _client(address: str, limits: Limits) -> str:
    return (limits.prefix + address)[:64]


def is_throttled(db: Session, secret_key: str, email: str, address: str, limits: Limits = LOGIN,
                 now: datetime | None = None) -> bool:
    """True when this mailbox or this client has reached its limit lately (checked before hashing a password)."""
    since = (now or utcnow()) - WINDOW
    mailbox, client = _mailbox(secret_key, email, limits), _client(address, limits)
    asked = select(LoginAttempt.email, LoginAttempt.address).where(
        LoginAttempt.attempted_at > since, or_(LoginAttempt.email == mailbox, LoginAttempt.address == client),
    ).subquery()
    by_mailbox = func.count().filter(asked.c.email == mailbox)
    by_client = func.count().filter(asked.c.address == client)
    counts = db.execute(select(by_mailbox, by_client).select_from(asked)).one()
    return counts[0] >= limits.per_mailbox or counts[1] >= limits.per_client


def record(db: Session, secret_key: str, email: str, address: str, limits: Limits = LOGIN,
           now: datetime | None = None) -> None:
    """Count one failed login or one link asked for (and drop what left the window)."""
    now = now or utcnow()
    db.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - WINDOW))
    db.add(LoginAttempt(email=_mailbox(secret_key, email, limits), address=_client(address, limits),
                        attempted_at=now))
