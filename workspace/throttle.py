"""Login throttling: after 5 failures per account or per address within 15 minutes, wait."""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from governance.base import utcnow
from workspace.models import LoginAttempt

LIMIT = 5
WINDOW_MINUTES = 15
WINDOW = timedelta(minutes=WINDOW_MINUTES)


def is_throttled(db: Session, email: str, address: str, now: datetime | None = None) -> bool:
    """True when this e-mail or this address has failed too often lately (checked before hashing)."""
    since = (now or utcnow()) - WINDOW
    failures = select(LoginAttempt.email, LoginAttempt.address).where(
        LoginAttempt.attempted_at > since,
        or_(LoginAttempt.email == email, LoginAttempt.address == address),
    ).subquery()
    by_email = func.count().filter(failures.c.email == email)
    by_address = func.count().filter(failures.c.address == address)
    counts = db.execute(select(by_email, by_address).select_from(failures)).one()
    return max(counts) >= LIMIT


def record_failure(db: Session, email: str, address: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    db.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - WINDOW))
    db.add(LoginAttempt(email=email[:254], address=address[:64], attempted_at=now))
