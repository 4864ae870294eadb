"""Decisions (Beschlüsse): recording them under a number that is never reused, changing them, the register."""

from dataclasses import dataclass
from datetime import date
from math import ceil

from sqlalchemy import ColumnElement, and_, func, insert, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from governance.errors import N_, Conflict, DomainError, NotFound
from governance.history import changed_fields, record_change
from governance.models import AgendaItem, Decision, DecisionCounter, Group, Meeting, Person
from governance.models.decisions import DECISION_STATES
from governance.permissions import PUBLIC_DECISION_STATES, Actor, require
from governance.times import in_berlin, today

MAX_TEXT = 10_000
MAX_BODY = 200
MAX_NUMBER = 40
MAX_VOTES = 100_000
PAGE_SIZE = 50
TEXT_REQUIRED = N_("Bitte geben Sie den Wortlaut des Beschlusses an.")
BODY_REQUIRED = N_("Bitte geben Sie an, wer den Beschluss gefasst hat.")
VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain")
# What update_decision may change; the number, group and year stay as first recorded.
EDITABLE = ("text", "status", "decided_on", "meeting_id", "agenda_item_id", "responsible_id", "due_on", *VOTE_FIELDS)


@dataclass(frozen=True)
class DecisionDraft:
    """What a person enters for a decision of a group: the same for recording it and for changing it."""

    text: str
    status: str = "proposed"
    decided_on: date | None = None
    meeting: Meeting | None = None
    agenda_item: AgendaItem | None = None
    responsible: Person | None = None
    due_on: date | None = None
    votes_yes: int | None = None
    votes_no: int | None = None
    votes_abstain: int | None = None

    @property
    def origin_meeting(self) -> Meeting | None:
        """An agenda item names its meeting, so choosing the item is enough."""
        return self.meeting or (self.agenda_item.meeting if self.agenda_item else None)


@dataclass(frozen=True)
class DecisionFilter:
    """The register's filters; each is optional and they combine."""

    status: str | None = None
    group: Group | None = None
    year: int | None = None
    q: str = ""


@dataclass(frozen=True)
class DecisionPage:
    decisions: list[Decision]
    number: int
    pages: int
    total: int


def record_decision(db: Session, actor: Actor, group: Group, draft: DecisionDraft) -> Decision:
    """Record a group's decision; it gets its number `<CODE>-<YEAR>-<NNN>` now, once and for good."""
    require(actor.can_manage_group(group))
    _check_draft(group, draft)
    year = _year(draft)
    sequence = _take_sequence(db, group, year)
    decision = Decision(group_id=group.id, year=year, sequence=sequence,
                        number=f"{group.code}-{year}-{sequence:03d}")
    _apply(decision, draft)
    db.add(decision)
    db.flush()
    record_change(db, actor.person, "decision", decision.id, "created", {"number": [None, decision.number]})
    return decision


def _year(draft: DecisionDraft) -> int:
    meeting = draft.origin_meeting
    if draft.decided_on:
        return draft.decided_on.year
    return in_berlin(meeting.starts_at).year if meeting else today().year


def _take_sequence(db: Session, group: Group, year: int) -> int:
    """The next number of the group's year, taken by an atomic UPDATE (never max()+1, so never reused).

    The first decision of a year inserts the counter row; should a concurrent writer insert it first
    (possible on PostgreSQL), the savepoint rolls back and the UPDATE takes the next number instead.
    """
    taken = db.execute(
        update(DecisionCounter)
        .where(DecisionCounter.group_id == group.id, DecisionCounter.year == year)
        .values(last_sequence=DecisionCounter.last_sequence + 1)
        .returning(DecisionCounter.last_sequence)
    ).scalar()
    if taken is not None:
        return taken
    try:
        with db.begin_nested():
            db.execute(insert(DecisionCounter).values(group_id=group.id, year=year, last_sequence=1))
    except IntegrityError:
        return _take_sequence(db, group, year)
    return 1


def record_external_decision(
    db: Session, actor: Actor, body: str, number: str, text: str, decided_on: date | None, status: str = "adopted",
    year: int | None = None,
) -> Decision:
    """A decision of an outside body (the city council's `23/1825-BV`), under that body's own number.

    `year` is for a decision known only by its year (the register files it there).
    """
    require(actor.is_coordinator)
    body, number = " ".join(body.split()), number.strip()
    _check_external(db, body, number)
    _check_text_and_status(text, status)
    decision = Decision(external_body=body, number=number, text=text.strip(), status=status,
                        decided_on=decided_on, year=year or (decided_on or today()).year)
    db.add(decision)
    db.flush()
    record_change(db, actor.person, "decision", decision.id, "created", {"number": [None, number or None]})
    return decision


def _check_external(db: Session, body: str, number: str) -> None:
    if not body:
        raise DomainError("body", BODY_REQUIRED)
    if len(body) > MAX_BODY:
        raise DomainError("body", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_BODY)
    if len(number) > MAX_NUMBER:
        raise DomainError("number", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_NUMBER)
    if number and db.scalar(select(Decision.id).where(Decision.external_body == body, Decision.number == number)):
        raise DomainError("number", N_("Ein Beschluss mit dieser Nummer ist schon erfasst."))


def update_decision(db: Session, actor: Actor, decision: Decision, draft: DecisionDraft,
                    expected_version: int | None) -> Decision:
    """Change what a decision says; a page loaded before someone else's change gets a Conflict."""
    group = _managed(actor, decision)
    _check_version(decision, expected_version)
    _check_draft(group, draft)
    _apply(decision, draft)
    changes = changed_fields(decision, EDITABLE)
    if changes:
        _flush(db, decision)
        record_change(db, actor.person, "decision", decision.id, "updated", changes)
    return decision


def set_decision_status(db: Session, actor: Actor, decision: Decision, status: str,
                        expected_version: int | None) -> Decision:
    """Adopt, reject, defer or mark implemented: the register's most frequent change."""
    if decision.group is None:
        require(actor.is_coordinator)
    else:
        _managed(actor, decision)
    _check_version(decision, expected_version)
    if status not in DECISION_STATES:
        raise DomainError("status", N_("Diesen Status gibt es nicht."))
    if status != decision.status:
        changes = {"status": [decision.status, status]}
        decision.status = status
        _flush(db, decision)
        record_change(db, actor.person, "decision", decision.id, "status", changes)
    return decision


def _managed(actor: Actor, decision: Decision) -> Group:
    """The decision's group, when the actor manages it (an outside body's decision has none to manage)."""
    if decision.group is None:
        raise DomainError("form", N_("Beschlüsse anderer Stellen werden hier nicht bearbeitet."))
    require(actor.can_manage_group(decision.group))
    return decision.group


def _check_version(decision: Decision, expected_version: int | None) -> None:
    if expected_version != decision.version_id:
        raise Conflict(decision)


def _flush(db: Session, decision: Decision) -> None:
    """Write now and let the relationships follow the changed ids on their next read."""
    db.flush()
    db.expire(decision, ["meeting", "agenda_item", "responsible"])


def _check_draft(group: Group, draft: DecisionDraft) -> None:
    _check_text_and_status(draft.text, draft.status)
    for field in VOTE_FIELDS:
        votes = getattr(draft, field)
        if votes is not None and (type(votes) is not int or not 0 <= votes <= MAX_VOTES):
            raise DomainError(field, N_("Bitte geben Sie eine ganze Zahl von 0 bis %(max)s an."), max=MAX_VOTES)
    if draft.due_on and draft.decided_on and draft.due_on < draft.decided_on:
        raise DomainError("due_on", N_("Die Frist liegt vor dem Tag des Beschlusses."))
    _check_origin(group, draft)


def _check_text_and_status(text: str, status: str) -> None:
    if not text.strip():
        raise DomainError("text", TEXT_REQUIRED)
    if len(text.strip()) > MAX_TEXT:
        raise DomainError("text", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_TEXT)
    if status not in DECISION_STATES:
        raise DomainError("status", N_("Diesen Status gibt es nicht."))


def _check_origin(group: Group, draft: DecisionDraft) -> None:
    """Meeting and agenda item must be the group's own, and the item must be on that meeting."""
    if draft.meeting and draft.meeting.group_id != group.id:
        raise DomainError("meeting", N_("Diese Sitzung gehört zu einer anderen Gruppe."))
    item = draft.agenda_item
    if item and item.group_id != group.id:
        raise DomainError("agenda_item", N_("Dieser Tagesordnungspunkt gehört zu einer anderen Gruppe."))
    if item and draft.meeting and item.meeting_id != draft.meeting.id:
        raise DomainError("agenda_item", N_("Dieser Tagesordnungspunkt gehört zu einer anderen Sitzung."))


def _apply(decision: Decision, draft: DecisionDraft) -> None:
    """Copy the draft onto the decision; ids rather than relationships, so the history sees each change."""
    meeting = draft.origin_meeting
    decision.text, decision.status = draft.text.strip(), draft.status
    decision.decided_on, decision.due_on = draft.decided_on, draft.due_on
    decision.meeting_id = meeting.id if meeting else None
    decision.agenda_item_id = draft.agenda_item.id if draft.agenda_item else None
    decision.responsible_id = draft.responsible.id if draft.responsible else None
    for field in VOTE_FIELDS:
        setattr(decision, field, getattr(draft, field))


def find_decision(db: Session, decision_id: int) -> Decision:
    query = (select(Decision).where(Decision.id == decision_id)
             .options(joinedload(Decision.group), joinedload(Decision.meeting),
                      joinedload(Decision.agenda_item), joinedload(Decision.responsible)))
    decision = db.scalar(query)
    if decision is None:
        raise NotFound("decision")
    return decision


def readable_by(actor: Actor) -> ColumnElement[bool]:
    """The SQL twin of Actor.can_read_decision, so that the register filters in the database."""
    if actor.is_coordinator:
        return true()
    steering = select(Group.id).where(Group.level == "steering")
    return or_(
        Decision.group_id.is_(None),
        Decision.group_id.in_(list(actor.roles)),
        and_(Decision.group_id.in_(steering), Decision.status.in_(sorted(PUBLIC_DECISION_STATES))),
    )


def list_decisions(db: Session, actor: Actor, chosen: DecisionFilter, page: int = 1) -> DecisionPage:
    """One page of the decisions the actor may read, newest year first; group and person loaded with them."""
    conditions = [readable_by(actor), *_filter_conditions(chosen)]
    total = db.scalar(select(func.count(Decision.id)).where(*conditions)) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    number = min(max(page, 1), pages)
    query = (select(Decision).where(*conditions)
             .options(joinedload(Decision.group), joinedload(Decision.responsible))
             .order_by(Decision.year.desc(), Decision.id.desc())
             .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return DecisionPage(list(db.scalars(query)), number, pages, total)


def _filter_conditions(chosen: DecisionFilter) -> list[ColumnElement[bool]]:
    conditions = []
    if chosen.status:
        conditions.append(Decision.status == chosen.status)
    if chosen.group:
        conditions.append(Decision.group_id == chosen.group.id)
    if chosen.year:
        conditions.append(Decision.year == chosen.year)
    if chosen.q:
        conditions.append(or_(*(column.icontains(chosen.q, autoescape=True)
                                for column in (Decision.text, Decision.number, Decision.external_body))))
    return conditions


def register_years(db: Session, actor: Actor, group: Group | None = None) -> list[int]:
    """The years the actor's register (or one group's) has decisions in, for the year filter."""
    query = select(Decision.year).distinct().where(readable_by(actor)).order_by(Decision.year.desc())
    if group is not None:
        query = query.where(Decision.group_id == group.id)
    return list(db.scalars(query))


def register_groups(db: Session, actor: Actor) -> list[Group]:
    """The groups whose decisions the actor may read (own groups, and every steering group)."""
    query = select(Group).order_by(Group.name)
    if not actor.is_coordinator:
        query = query.where(or_(Group.id.in_(list(actor.roles)), Group.level == "steering"))
    return list(db.scalars(query))


def decisions_by_agenda_item(db: Session, meeting: Meeting) -> dict[int, list[Decision]]:
    """The decisions taken on each agenda item of a meeting, for its minutes (no retyping)."""
    return decisions_on(db, select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id))


def decisions_without_item(db: Session, meeting: Meeting) -> list[Decision]:
    """The decisions recorded on a meeting but on none of its agenda items (its minutes list them apart)."""
    query = (select(Decision).where(Decision.meeting_id == meeting.id, Decision.agenda_item_id.is_(None))
             .options(joinedload(Decision.group), joinedload(Decision.responsible)).order_by(Decision.id))
    return list(db.scalars(query))


def decisions_on(db: Session, item_ids) -> dict[int, list[Decision]]:
    """Agenda item id → the decisions taken on it, in the order they were recorded."""
    query = (select(Decision).where(Decision.agenda_item_id.in_(item_ids))
             .options(joinedload(Decision.group), joinedload(Decision.responsible)).order_by(Decision.id))
    taken: dict[int, list[Decision]] = {}
    for decision in db.scalars(query):
        taken.setdefault(decision.agenda_item_id, []).append(decision)
    return taken


def decision_choices(db: Session, group: Group) -> tuple[list[Meeting], list[AgendaItem]]:
    """The group's meetings (newest first) and their agenda items, to name where a decision was taken."""
    meetings = list(db.scalars(select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at.desc())))
    items = select(AgendaItem).where(AgendaItem.group_id == group.id, AgendaItem.meeting_id.is_not(None))
    items = items.options(joinedload(AgendaItem.meeting)).join(AgendaItem.meeting)
    return meetings, list(db.scalars(items.order_by(Meeting.starts_at.desc(), AgendaItem.position, AgendaItem.id)))
