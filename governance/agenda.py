"""The agenda (Tagesordnung) of a meeting: its items in order, the timetable, proposals, carry-over, templates."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from governance.errors import N_, DomainError
from governance.history import changed_fields, record_change
from governance.meetings import MeetingDraft, check_version, next_meeting, schedule_meeting
from governance.models import AgendaItem, AgendaTemplate, Decision, Group, Meeting, Person, Task
from governance.models.meetings import AGENDA_KINDS, MAX_DURATION
from governance.permissions import Actor, require

MAX_TITLE = 300
MAX_NOTES = 5000
MAX_TEMPLATE_NAME = 200
DIRECTIONS = ("up", "down")
EDITABLE = ("title", "kind", "duration_minutes", "notes")
ITEM_GONE = N_("Dieser Tagesordnungspunkt wurde inzwischen entfernt.")


@dataclass(frozen=True)
class ItemDraft:
    """What a person enters for an agenda item: the same for adding, changing and proposing it."""

    title: str
    kind: str = "information"
    duration_minutes: int = 15
    presenter: Person | None = None
    notes: str = ""


@dataclass(frozen=True)
class TimetableRow:
    item: AgendaItem
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Timetable:
    """Start and end of every item, computed from the meeting's start and the durations in order."""

    rows: list[TimetableRow]
    starts_at: datetime
    ends_at: datetime
    planned_end_at: datetime | None

    @property
    def runs_over(self) -> bool:
        return self.planned_end_at is not None and self.ends_at > self.planned_end_at

    @property
    def minutes_over(self) -> int:
        return int((self.ends_at - self.planned_end_at).total_seconds() // 60) if self.runs_over else 0


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """The items on the agenda in their order; proposals wait outside it until accepted."""
    return sorted((item for item in meeting.agenda_items if not item.is_proposal),
                  key=lambda item: (item.position, item.id))


def timetable(meeting: Meeting) -> Timetable:
    rows, clock = [], meeting.starts_at
    for item in agenda_of(meeting):
        ends_at = clock + timedelta(minutes=item.duration_minutes)
        rows.append(TimetableRow(item, clock, ends_at))
        clock = ends_at
    return Timetable(rows, meeting.starts_at, clock, meeting.planned_end_at)


def add_agenda_item(db: Session, actor: Actor, meeting: Meeting, draft: ItemDraft) -> AgendaItem:
    require(actor.can_manage_group(meeting.group))
    check_agenda_open(meeting)
    values = _checked(draft)
    item = AgendaItem(group_id=meeting.group_id, meeting=meeting, position=len(agenda_of(meeting)) + 1, **values)
    db.add(item)
    db.flush()
    record_change(db, actor.person, "agenda_item", item.id, "created", {"title": [None, item.title]})
    return item


def update_agenda_item(db: Session, actor: Actor, item: AgendaItem, draft: ItemDraft,
                       expected_version: int | None) -> AgendaItem:
    """Change an item; a form loaded before someone else's change gets a Conflict (nothing is lost)."""
    require(actor.can_manage_group(item.group))
    if item.meeting is not None:
        check_agenda_open(item.meeting)
    check_version(item, expected_version)
    values = _checked(draft)
    presenter_change = _presenter_change(item.presenter, values.pop("presenter"))
    for name, value in values.items():
        setattr(item, name, value)
    changes = {**changed_fields(item, EDITABLE), **presenter_change}
    if presenter_change:
        item.presenter = draft.presenter
    if changes:
        db.flush()
        record_change(db, actor.person, "agenda_item", item.id, "updated", changes)
    return item


def _presenter_change(old: Person | None, new: Person | None) -> dict:
    """Names rather than ids, so that the history reads well."""
    if old is new:
        return {}
    return {"presenter": [old.name if old else None, new.name if new else None]}


def remove_agenda_item(db: Session, actor: Actor, item: AgendaItem) -> None:
    """Remove an item (or reject a proposal); the meeting's history keeps who removed what.

    An item that others build on (its minutes, decisions, tasks, a copy carried over or given up)
    stays: removing it would cut the links back to where they came from.
    """
    require(actor.can_manage_group(item.group))
    meeting = item.meeting
    if meeting is not None:
        check_agenda_open(meeting)
    _check_nothing_builds_on(db, item)
    if meeting is not None:
        record_change(db, actor.person, "meeting", meeting.id, "updated", {"agenda_item": [item.title, None]})
    record_change(db, actor.person, "agenda_item", item.id, "deleted", {"title": [item.title, None]})
    db.delete(item)
    db.flush()
    if meeting is not None:
        db.expire(meeting, ["agenda_items"])
        _renumber(db, agenda_of(meeting))


def _check_nothing_builds_on(db: Session, item: AgendaItem) -> None:
    if item.minutes:
        raise DomainError("form", N_("Dieser Tagesordnungspunkt kann nicht entfernt werden: Zu ihm gibt es schon "
                                     "ein Protokoll."))
    if db.scalar(select(exists().where(Decision.agenda_item_id == item.id))):
        raise DomainError("form", N_("Dieser Tagesordnungspunkt kann nicht entfernt werden: Zu ihm sind Beschlüsse "
                                     "erfasst."))
    if db.scalar(select(exists().where(Task.agenda_item_id == item.id))):
        raise DomainError("form", N_("Dieser Tagesordnungspunkt kann nicht entfernt werden: Aus ihm folgen "
                                     "Aufgaben."))
    followed = or_(AgendaItem.carried_from_id == item.id, AgendaItem.referred_from_item_id == item.id)
    if item.is_deferred or db.scalar(select(exists().where(followed))):
        raise DomainError("form", N_("Dieser Tagesordnungspunkt kann nicht entfernt werden: Er wurde vertagt oder "
                                     "weitergegeben, und der Verweis auf ihn bleibt erhalten."))


def move_agenda_item(db: Session, actor: Actor, item: AgendaItem, direction: str) -> bool:
    """Swap the item with its neighbour; at either end nothing moves (False), which is no error."""
    require(actor.can_manage_group(item.group))
    if direction not in DIRECTIONS:
        raise DomainError("form", N_("Diese Richtung gibt es nicht."))
    if item.meeting is None or item.is_proposal:
        raise DomainError("form", N_("Ein Vorschlag steht noch nicht auf der Tagesordnung."))
    check_agenda_open(item.meeting)
    items = agenda_of(item.meeting)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    old = item.position
    _renumber(db, items)
    record_change(db, actor.person, "agenda_item", item.id, "moved", {"position": [old, item.position]})
    return True


def _renumber(db: Session, items: list[AgendaItem]) -> None:
    """Number the items 1…n in this order without touching their version: reordering changes no
    content, so it must not turn an open edit form of an item (say, its minutes) into a conflict."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            db.execute(update(AgendaItem.__table__).where(AgendaItem.id == item.id).values(position=position))
            set_committed_value(item, "position", position)


def propose_agenda_item(db: Session, actor: Actor, group: Group, draft: ItemDraft,
                        meeting: Meeting | None = None) -> AgendaItem:
    """A member suggests an item for a meeting (or the group's inbox); a manager accepts it or not."""
    require(actor.can_propose(group))
    if meeting is not None:
        _check_same_group(group, meeting)
        check_agenda_open(meeting)
    item = AgendaItem(group_id=group.id, meeting=meeting, position=0, is_proposal=True,
                      proposed_by=actor.person, **_checked(draft))
    db.add(item)
    db.flush()
    record_change(db, actor.person, "agenda_item", item.id, "created", {"title": [None, item.title]})
    return item


def accept_proposal(db: Session, actor: Actor, item: AgendaItem, meeting: Meeting) -> AgendaItem:
    """Put a proposal (of this meeting or from the group's inbox) at the end of the meeting's agenda."""
    require(actor.can_manage_group(item.group))
    _check_same_group(item.group, meeting)
    check_agenda_open(meeting)
    if not item.is_proposal:
        raise DomainError("form", N_("Dieser Vorschlag steht schon auf der Tagesordnung."))
    changes = {"is_proposal": [True, False], "meeting_id": [item.meeting_id, meeting.id]}
    item.position = len(agenda_of(meeting)) + 1
    item.meeting, item.is_proposal = meeting, False
    db.flush()
    record_change(db, actor.person, "agenda_item", item.id, "updated", changes)
    return item


def proposals_for(db: Session, meeting: Meeting) -> list[AgendaItem]:
    """The proposals for this meeting and those waiting in the group's inbox (no meeting yet)."""
    query = (select(AgendaItem)
             .where(AgendaItem.group_id == meeting.group_id,
                    or_(AgendaItem.meeting_id.is_(None),
                        (AgendaItem.meeting_id == meeting.id) & AgendaItem.is_proposal))
             .options(joinedload(AgendaItem.proposed_by), joinedload(AgendaItem.presenter),
                      joinedload(AgendaItem.carried_from).joinedload(AgendaItem.meeting),
                      joinedload(AgendaItem.referred_from_item).joinedload(AgendaItem.group),
                      joinedload(AgendaItem.referred_from_decision).joinedload(Decision.group))
             .order_by(AgendaItem.created_at, AgendaItem.id))
    return list(db.scalars(query))


def defer_agenda_item(db: Session, actor: Actor, item: AgendaItem) -> AgendaItem:
    """Mark an unfinished item "vertagt" and carry a copy into the group's next planned meeting after
    this one, or into the group's inbox when none is planned; the copy links back to the original."""
    require(actor.can_manage_group(item.group))
    meeting = item.meeting
    if meeting is None or item.is_proposal:
        raise DomainError("form", N_("Ein Vorschlag steht noch nicht auf der Tagesordnung."))
    check_agenda_open(meeting)
    if item.is_deferred:
        raise DomainError("form", N_("Dieser Tagesordnungspunkt ist schon vertagt."))
    target = next_meeting(db, meeting.group, meeting.starts_at)
    item.is_deferred = True
    copy = AgendaItem(group_id=item.group_id, meeting=target, title=item.title, kind=item.kind,
                      duration_minutes=item.duration_minutes, presenter=item.presenter, notes=item.notes,
                      carried_from=item, is_proposal=target is None,
                      position=len(agenda_of(target)) + 1 if target else 0)
    db.add(copy)
    db.flush()
    record_change(db, actor.person, "agenda_item", item.id, "updated", {"is_deferred": [False, True]})
    record_change(db, actor.person, "agenda_item", copy.id, "created", {"carried_from_id": [None, item.id]})
    return copy


def find_agenda_item(db: Session, meeting: Meeting, item_id: int) -> AgendaItem:
    """An item of this meeting, or a proposal in its group's inbox; a vanished one is a clear error,
    because the person acting saw it on a page loaded before someone removed it."""
    item = db.get(AgendaItem, item_id)
    if item is None or item.group_id != meeting.group_id or item.meeting_id not in (meeting.id, None):
        raise DomainError("form", ITEM_GONE)
    return item


def check_agenda_open(meeting: Meeting) -> None:
    if meeting.minutes_approved_at is not None:
        raise DomainError("form", N_("Das Protokoll dieser Sitzung ist genehmigt; die Tagesordnung bleibt, wie sie ist."))


def _check_same_group(group: Group, meeting: Meeting) -> None:
    if meeting.group_id != group.id:
        raise DomainError("form", N_("Diese Sitzung gehört zu einer anderen Gruppe."))


def _checked(draft: ItemDraft) -> dict:
    """The draft's values cleaned and checked before anything is changed (a refused edit leaves no trace)."""
    title = " ".join(draft.title.split())
    if not title:
        raise DomainError("title", N_("Bitte geben Sie einen Titel an."))
    if len(title) > MAX_TITLE:
        raise DomainError("title", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_TITLE)
    if draft.kind not in AGENDA_KINDS:
        raise DomainError("kind", N_("Diese Art von Tagesordnungspunkt gibt es nicht."))
    _check_duration(draft.duration_minutes)
    notes = draft.notes.strip()
    if len(notes) > MAX_NOTES:
        raise DomainError("notes", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_NOTES)
    return {"title": title, "kind": draft.kind, "duration_minutes": draft.duration_minutes,
            "presenter": draft.presenter, "notes": notes}


def _check_duration(minutes: int) -> None:
    if type(minutes) is not int:
        raise DomainError("duration_minutes", N_("Bitte geben Sie die Dauer in ganzen Minuten an."))
    if minutes < 1:
        raise DomainError("duration_minutes", N_("Die Dauer muss mindestens 1 Minute betragen."))
    if minutes > MAX_DURATION:
        raise DomainError("duration_minutes",
                          N_("Die Dauer darf höchstens 24 Stunden (%(max)s Minuten) betragen."), max=MAX_DURATION)


def save_agenda_template(db: Session, actor: Actor, meeting: Meeting, name: str) -> AgendaTemplate:
    """Keep the meeting's agenda (titles, kinds, durations) for the group's regular meetings; saving
    under a name the group already uses replaces that template."""
    require(actor.can_manage_group(meeting.group))
    name = " ".join(name.split())
    if not name:
        raise DomainError("name", N_("Bitte geben Sie einen Namen für die Vorlage an."))
    if len(name) > MAX_TEMPLATE_NAME:
        raise DomainError("name", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_TEMPLATE_NAME)
    items = [{"title": item.title, "kind": item.kind, "duration_minutes": item.duration_minutes}
             for item in agenda_of(meeting)]
    if not items:
        raise DomainError("name", N_("Die Tagesordnung ist noch leer; es gibt nichts zu speichern."))
    template = db.scalar(select(AgendaTemplate).where(AgendaTemplate.group_id == meeting.group_id,
                                                       AgendaTemplate.name == name))
    if template is None:
        template = AgendaTemplate(group_id=meeting.group_id, name=name)
        db.add(template)
    template.items = items
    db.flush()
    return template


def schedule_from_template(db: Session, actor: Actor, group: Group, template: AgendaTemplate,
                           draft: MeetingDraft) -> Meeting:
    """A new meeting whose agenda starts as the template's (each item then changes on its own)."""
    if template.group_id != group.id:
        raise DomainError("template", N_("Diese Vorlage gehört zu einer anderen Gruppe."))
    meeting = schedule_meeting(db, actor, group, draft)
    for entry in template.items:
        add_agenda_item(db, actor, meeting, ItemDraft(entry["title"], entry["kind"], entry["duration_minutes"]))
    return meeting


def list_agenda_templates(db: Session, group: Group) -> list[AgendaTemplate]:
    return list(db.scalars(select(AgendaTemplate).where(AgendaTemplate.group_id == group.id)
                           .order_by(AgendaTemplate.name)))

