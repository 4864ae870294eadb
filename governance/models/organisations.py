"""Organisations of the network and the vocabularies they share: areas and target groups."""

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, one_of

ORGANISATION_KINDS = ("administration", "association", "daycare", "youth", "council", "funder", "other")


class Area(Base):
    """A part of the district (Sozialraum, Ortsteil)."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class TargetGroup(Base):
    """Who an offer or event reaches (Zielgruppe)."""

    __tablename__ = "target_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class Organisation(Base):
    """An actor of the network (Akteur*in, Träger, Einrichtung)."""

    __tablename__ = "organisation"
    __table_args__ = (
        one_of("kind", ORGANISATION_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")

    area: Mapped[Area | None] = relationship()
