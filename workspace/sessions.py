"""Server-side sessions: a random token in an HttpOnly cookie, its digest in the database."""

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from governance.base import utcnow
from workspace.models import Account, WebSession
from workspace.tokens import new_token, token_digest

COOKIE = "werkstadt_session"
LIFETIME = timedelta(days=14)
# Tokens of logged-in sessions and of anonymous visitors look different, so anonymous
# requests (public pages, feeds) never need a database look-up.
SESSION_PREFIX = "s."
ANONYMOUS_PREFIX = "a."


def new_anonymous_token() -> str:
    return ANONYMOUS_PREFIX + new_token()


def start_session(db: Session, secret_key: str, account: Account) -> str:
    """Open a session for the account and return the token for the cookie (a new one on every login)."""
    token = SESSION_PREFIX + new_token()
    db.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))  # expired ones, anyone's
    db.add(WebSession(
        token_digest=token_digest(secret_key, token), account=account, expires_at=utcnow() + LIFETIME
    ))
    db.flush()
    return token


def find_session(db: Session, secret_key: str, token: str) -> WebSession | None:
    """The live session behind a cookie token, if it exists, has not expired and its account is active."""
    if not token.startswith(SESSION_PREFIX):
        return None
    query = select(WebSession).where(
        WebSession.token_digest == token_digest(secret_key, token),
        WebSession.expires_at > utcnow(),
    )
    session = db.scalar(query)
    if session is None or not session.account.is_active:
        return None
    return session


def end_session(db: Session, session: WebSession) -> None:
    db.delete(session)
    db.flush()


def end_sessions(db: Session, account: Account, keep: WebSession | None = None) -> None:
    """End every session of the account (but `keep`): after a password change or deactivation."""
    query = delete(WebSession).where(WebSession.account_id == account.id)
    if keep is not None:
        query = query.where(WebSession.id != keep.id)
    db.execute(query)
