"""The secret behind a person's own feeds."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, utcnow
from governance.models import Person


class FeedToken(Base):
    """A person's secret for their personal feed and their groups' meeting feeds; one at a time."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
