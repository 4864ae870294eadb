"""Tables of the web layer: accounts, their sessions, login attempts, one-time links, mail."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models import Person

LINK_PURPOSES = ("invitation", "confirmation", "login")
ACCOUNT_KINDS = ("member", "volunteer")
MAIL_STATES = ("queued", "sent", "failed")


class Account(Base):
    """A person's way to log in; the person holds name, e-mail and the coordinator flag.

    Members of the network log in with a password; volunteers (`kind` volunteer) only by a link sent by mail.
    """

    __tablename__ = "account"
    __table_args__ = (CheckConstraint("language IN ('de', 'en')", name="language"), one_of("kind", ACCOUNT_KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10), default="member")
    language: Mapped[str] = mapped_column(String(2), default="de")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class WebSession(Base):
    """A logged-in browser; the cookie holds a token, the table only its digest."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    account: Mapped[Account] = relationship(lazy="joined", innerjoin=True)


class LoginAttempt(Base):
    """A failed login, counted per e-mail and per address for throttling."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginLink(Base):
    """A random, single-use, expiring link sent by mail (invitation, e-mail confirmation, login)."""

    __tablename__ = "login_link"
    __table_args__ = (one_of("purpose", LINK_PURPOSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    account: Mapped[Account] = relationship()


class Mail(Base):
    """An outgoing mail, written in the transaction that causes it and sent after the commit."""

    __tablename__ = "mail"
    __table_args__ = (one_of("state", MAIL_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
