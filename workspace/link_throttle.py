"""Throttling the forms that send links by mail, so that nobody can flood an inbox through them.

The requests are counted in the login-attempt table, told apart from failed password logins by a
prefix, so asking for links never locks anyone out of the password login. The mailbox is stored as a
digest: the count needs no readable address. Known and unknown addresses count alike.
"""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from governance.base import utcnow
from workspace.models import LoginAttempt

PREFIX = "link:"
PER_MAILBOX = 3  # links to one address within the window
PER_CLIENT = 20  # links asked for from one network address (a community centre's Wi-Fi) within the window
WINDOW_MINUTES = 15
WINDOW = timedelta(minutes=WINDOW_MINUTES)


def _mailbox(email: str) -> str:
    return PREFIX + hashlib.sha256(email.encode()).hexdigest()


def _client(address: str) -> str:
    return (PREFIX + address)[:64]


def links_throttled(db: Session, email: str, address: str, now: datetime | None = None) -> bool:
    """True when this mailbox or this client has asked for links too often lately."""
    since = (now or utcnow()) - WINDOW
    mailbox, client = _mailbox(email), _client(address)
    asked = select(LoginAttempt.email, LoginAttempt.address).where(
        LoginAttempt.attempted_at > since, or_(LoginAttempt.email == mailbox, LoginAttempt.address == client),
    ).subquery()
    by_mailbox = func.count().filter(asked.c.email == mailbox)
    by_client = func.count().filter(asked.c.address == client)
    counts = db.execute(select(by_mailbox, by_client).select_from(asked)).one()
    return counts[0] >= PER_MAILBOX or counts[1] >= PER_CLIENT


def record_link_request(db: Session, email: str, address: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    db.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - WINDOW))
    db.add(LoginAttempt(email=_mailbox(email), address=_client(address), attempted_at=now))
