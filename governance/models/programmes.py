"""The programme (Präventionskette) with its period and thematic focuses."""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base


class Programme(Base):
    __tablename__ = "programme"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    core_target_group: Mapped[str] = mapped_column(Text, default="")

    focuses: Mapped[list["Focus"]] = relationship(
        back_populates="programme", order_by="Focus.number", cascade="all, delete-orphan"
    )


class Focus(Base):
    """A thematic focus (Themenschwerpunkt), numbered within its programme."""

    __tablename__ = "focus"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))

    programme: Mapped[Programme] = relationship(back_populates="focuses")
