"""Indicators of a milestone: how its target is measured, and the current value with the day it was taken."""

import math
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from governance.errors import N_, DomainError, NotFound
from governance.history import changed_fields, record_change
from governance.models import Indicator, Milestone
from governance.permissions import Actor, require
from governance.times import today

MAX_NAME = 200
MAX_UNIT = 40
LARGEST = 1e12  # far beyond any count or share a network reports; keeps typos like 1e300 out
NAME_REQUIRED = N_("Bitte geben Sie an, was gemessen wird.")
TARGET_REQUIRED = N_("Bitte geben Sie den Zielwert an.")
FIELDS = ("unit", "baseline", "target", "current", "current_on")  # the name is recorded with every change


@dataclass(frozen=True)
class IndicatorDraft:
    """What a person enters for an indicator; a current value without a date is dated today."""

    name: str
    target: float | None
    unit: str = ""
    baseline: float = 0.0
    current: float | None = None
    current_on: date | None = None


def add_indicator(db: Session, actor: Actor, milestone: Milestone, draft: IndicatorDraft) -> Indicator:
    require(actor.can_manage_milestone(milestone))
    _check(draft)
    indicator = Indicator(milestone=milestone)
    _apply(indicator, draft)
    db.add(indicator)
    db.flush()
    record_change(db, actor.person, "milestone", milestone.id, "indicator_added", {"indicator": [None, indicator.name]})
    return indicator


def update_indicator(db: Session, actor: Actor, indicator: Indicator, draft: IndicatorDraft) -> Indicator:
    """Most often a new current value; the history keeps the one before."""
    require(actor.can_manage_milestone(indicator.milestone))
    _check(draft)
    if draft.current != indicator.current and draft.current_on == indicator.current_on:
        draft = replace(draft, current_on=None)  # the form still held the old value's day: the new one is today's
    name = indicator.name
    _apply(indicator, draft)
    changes = changed_fields(indicator, FIELDS)
    if changes:
        db.flush()
        record_change(db, actor.person, "milestone", indicator.milestone_id, "indicator_updated",
                      {"indicator": [name, indicator.name], **changes})
    return indicator


def remove_indicator(db: Session, actor: Actor, indicator: Indicator) -> None:
    require(actor.can_manage_milestone(indicator.milestone))
    record_change(db, actor.person, "milestone", indicator.milestone_id, "indicator_removed",
                  {"indicator": [indicator.name, None]})
    indicator.milestone.indicators.remove(indicator)
    db.flush()


def find_indicator(milestone: Milestone, indicator_id: int) -> Indicator:
    """One of the milestone's indicators (one removed meanwhile, or of another milestone, is not found)."""
    found = next((indicator for indicator in milestone.indicators if indicator.id == indicator_id), None)
    if found is None:
        raise NotFound("indicator")
    return found


def _check(draft: IndicatorDraft) -> None:
    if not draft.name.strip():
        raise DomainError("name", NAME_REQUIRED)
    if len(draft.name.strip()) > MAX_NAME:
        raise DomainError("name", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_NAME)
    if len(draft.unit.strip()) > MAX_UNIT:
        raise DomainError("unit", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_UNIT)
    if draft.target is None:
        raise DomainError("target", TARGET_REQUIRED)
    for field in ("baseline", "target", "current"):
        value = getattr(draft, field)
        if value is not None and not (math.isfinite(value) and abs(value) <= LARGEST):
            raise DomainError(field, N_("Diese Zahl ist zu groß."))
    if draft.current_on is not None and draft.current_on > today():
        raise DomainError("current_on", N_("Das Datum liegt in der Zukunft."))


def _apply(indicator: Indicator, draft: IndicatorDraft) -> None:
    indicator.name, indicator.unit = draft.name.strip(), draft.unit.strip()
    indicator.baseline, indicator.target = draft.baseline, draft.target
    indicator.current = draft.current
    indicator.current_on = (draft.current_on or today()) if draft.current is not None else None

