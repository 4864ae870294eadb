"""Escalation (nach oben geben): a matter travels to the parent group, and its lineage both ways."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from governance.base import utcnow
from governance.errors import N_, DomainError
from governance.history import record_change
from governance.decisions import decisions_on
from governance.meetings import next_meeting
from governance.models import AgendaItem, Decision, Group
from governance.permissions import Actor, require

MAX_TITLE = 300
# Lineage never runs deeper than the three levels; the bound guards against a cycle in bad data.
MAX_DEPTH = 10


@dataclass(frozen=True)
class Station:
    """One stop on a matter's way between groups: an agenda item and the decisions taken on it."""

    group: Group
    item: AgendaItem | None
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class Lineage:
    """Where a decision came from (nearest first, down to where it was raised) and what came of it."""

    origins: list[Station]
    outcomes: list[Station]


def escalate_agenda_item(db: Session, actor: Actor, item: AgendaItem) -> AgendaItem:
    """Give an agenda item to the parent group: it becomes a proposal there, linked back to this item."""
    parent = _parent_to_escalate_to(actor, item.group)
    if _already_referred(db, AgendaItem.referred_from_item_id == item.id):
        raise DomainError("form", N_("Dieser Punkt wurde schon an %(group)s gegeben."), group=parent.name)
    proposal = _propose(db, actor, parent, f"Aus {item.group.name}: {item.title}", referred_from_item=item)
    record_change(db, actor.person, "agenda_item", item.id, "escalated", {"referred_to": [None, parent.name]})
    return proposal


def escalate_decision(db: Session, actor: Actor, decision: Decision) -> AgendaItem:
    """Give a decision to the parent group (a recommendation it should take up), linked back to it."""
    if decision.group is None:
        raise DomainError("form", N_("Beschlüsse anderer Stellen können nicht weitergegeben werden."))
    parent = _parent_to_escalate_to(actor, decision.group)
    if _already_referred(db, AgendaItem.referred_from_decision_id == decision.id):
        raise DomainError("form", N_("Dieser Beschluss wurde schon an %(group)s gegeben."), group=parent.name)
    title = f"Aus {decision.group.name}: {decision.text}"
    proposal = _propose(db, actor, parent, title, referred_from_decision=decision)
    record_change(db, actor.person, "decision", decision.id, "escalated", {"referred_to": [None, parent.name]})
    return proposal


def _parent_to_escalate_to(actor: Actor, group: Group) -> Group:
    require(actor.can_manage_group(group))
    if group.parent is None:
        raise DomainError("form", N_("Diese Gruppe hat keine übergeordnete Gruppe."))
    return group.parent


def _already_referred(db: Session, condition) -> bool:
    return db.scalar(select(AgendaItem.id).where(condition).limit(1)) is not None


def _propose(db: Session, actor: Actor, parent: Group, title: str, **referred_from) -> AgendaItem:
    """A proposal for the parent's next upcoming meeting, or in its inbox when none is planned.

    Like any proposal it waits (position 0) until a manager of the parent group accepts it.
    """
    proposal = AgendaItem(group=parent, meeting=next_meeting(db, parent, utcnow()), position=0,
                          title=_shortened(title), kind="discussion", is_proposal=True,
                          proposed_by=actor.person, **referred_from)
    db.add(proposal)
    db.flush()
    record_change(db, actor.person, "agenda_item", proposal.id, "created", {"title": [None, proposal.title]})
    return proposal


def _shortened(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def lineage(db: Session, decision: Decision) -> Lineage:
    return Lineage(_origins(decision), _outcomes(db, decision))


def _origins(decision: Decision) -> list[Station]:
    """Follow the referrals back from the item the decision was taken on, to where the matter was raised."""
    stations: list[Station] = []
    item, seen = decision.agenda_item, set()
    while item is not None and item.id not in seen and len(seen) < MAX_DEPTH:
        seen.add(item.id)
        source_decision, source_item = item.referred_from_decision, item.referred_from_item
        if source_decision is not None and source_decision.group is not None:
            stations.append(Station(source_decision.group, source_decision.agenda_item, (source_decision,)))
            item = source_decision.agenda_item
        elif source_item is not None:
            stations.append(Station(source_item.group, source_item))
            item = source_item
        else:
            item = item.carried_from  # an item carried over to the next meeting is the same matter
    return stations


def _outcomes(db: Session, decision: Decision) -> list[Station]:
    """What was referred onwards from this decision (or its item), and what was decided there, level by level."""
    stations: list[Station] = []
    decision_ids, item_ids = {decision.id}, {decision.agenda_item_id} - {None}
    for _ in range(MAX_DEPTH):
        items = _referred_from(db, decision_ids, item_ids)
        if not items:
            break
        taken = decisions_on(db, [item.id for item in items])
        stations += [Station(item.group, item, tuple(taken.get(item.id, ()))) for item in items]
        item_ids = {item.id for item in items}
        decision_ids = {d.id for decisions in taken.values() for d in decisions}
    return stations


def _referred_from(db: Session, decision_ids: set[int], item_ids: set[int]) -> list[AgendaItem]:
    query = (select(AgendaItem)
             .where(or_(AgendaItem.referred_from_decision_id.in_(decision_ids),
                        AgendaItem.referred_from_item_id.in_(item_ids)))
             .options(joinedload(AgendaItem.group), joinedload(AgendaItem.meeting))
             .order_by(AgendaItem.id))
    return list(db.scalars(query))

