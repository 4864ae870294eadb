"""Groups (Gremien) on the three levels, and who belongs to them in which role."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of, utcnow
from governance.models.organisations import Organisation
from governance.models.people import Person
from governance.models.programmes import Focus

LEVELS = ("steering", "planning", "working")
# The level a group's parent must have: working → planning → steering; a steering group has none.
PARENT_LEVEL = {"steering": None, "planning": "steering", "working": "planning"}
ROLES = ("chair", "deputy", "member", "guest", "minute_taker")
MANAGING_ROLES = frozenset({"chair", "deputy", "minute_taker"})


class Group(Base):
    __tablename__ = "group"
    __table_args__ = (one_of("level", LEVELS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="RESTRICT"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    focus_id: Mapped[int | None] = mapped_column(ForeignKey("focus.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Group | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Group"]] = relationship(back_populates="parent", order_by="Group.name")
    focus: Mapped[Focus | None] = relationship()
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Membership.id"
    )


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("group_id", "person_id"),
        one_of("role", ROLES),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    group: Mapped[Group] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def is_current(self, today: date) -> bool:
        return (self.starts_on is None or self.starts_on <= today) and (self.ends_on is None or self.ends_on >= today)
