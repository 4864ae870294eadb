"""Meetings (Sitzungen): scheduling and changing them, their status, and finding them for a page."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.errors import N_, Conflict, DomainError, NotFound
from governance.history import changed_fields, record_change
from governance.models import AgendaItem, Attendance, Decision, Group, Meeting
from governance.models.groups import MANAGING_ROLES
from governance.models.meetings import MEETING_STATES
from governance.permissions import Actor, require
from governance.times import BERLIN, in_berlin

MAX_TITLE = 200
MAX_PLACE = 300
MAX_URL = 500
MAX_LENGTH = timedelta(hours=24)
OPEN_STATES = ("planned", "invited")
EDITABLE = ("title", "starts_at", "planned_end_at", "place", "online_url")
TOO_LONG = N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen).")
MINUTES_APPROVED = N_("Das Protokoll ist genehmigt und kann nur noch berichtigt werden.")
# Only web links: anything else (javascript:, data:) must never end up in an href.
_WEB_LINK = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


@dataclass(frozen=True)
class MeetingDraft:
    """What a person enters for a meeting: the same for scheduling it and for changing it."""

    title: str
    starts_at: datetime
    place: str = ""
    online_url: str = ""
    planned_end_at: datetime | None = None


@dataclass(frozen=True)
class MeetingList:
    upcoming: list[Meeting]
    past: list[Meeting]


def schedule_meeting(db: Session, actor: Actor, group: Group, draft: MeetingDraft) -> Meeting:
    """Plan a meeting of the group; its agenda starts empty (or from a template, see agenda.py)."""
    require(actor.can_manage_group(group))
    meeting = Meeting(group=group, **_checked(draft))
    db.add(meeting)
    db.flush()
    record_change(db, actor.person, "meeting", meeting.id, "created", {"title": [None, meeting.title]})
    return meeting


def update_meeting(db: Session, actor: Actor, meeting: Meeting, draft: MeetingDraft,
                   expected_version: int | None) -> Meeting:
    """Change title, time or place; a form loaded before someone else's change gets a Conflict."""
    require(actor.can_manage_group(meeting.group))
    check_minutes_draft(meeting, N_("Das Protokoll dieser Sitzung ist genehmigt; Titel, Zeit und Ort bleiben, "
                                    "wie sie sind."))
    check_version(meeting, expected_version)
    for name, value in _checked(draft).items():
        setattr(meeting, name, value)
    changes = changed_fields(meeting, EDITABLE)
    if changes:
        db.flush()
        record_change(db, actor.person, "meeting", meeting.id, "updated", changes)
    return meeting


def set_meeting_status(db: Session, actor: Actor, meeting: Meeting, status: str) -> Meeting:
    """Invited, held or cancelled; once the minutes are approved, the meeting stays as it was held."""
    require(actor.can_manage_group(meeting.group))
    check_minutes_draft(meeting, N_("Das Protokoll dieser Sitzung ist genehmigt; ihr Status bleibt, wie er ist."))
    if status not in MEETING_STATES:
        raise DomainError("status", N_("Diesen Status gibt es nicht."))
    if status != meeting.status:
        changes = {"status": [meeting.status, status]}
        meeting.status = status
        db.flush()
        record_change(db, actor.person, "meeting", meeting.id, "status", changes)
    return meeting


def check_version(row: Meeting | AgendaItem, expected_version: int | None) -> None:
    """Someone saved this row since the form was loaded: refuse, so that nobody overwrites unseen."""
    if expected_version != row.version_id:
        raise Conflict(row)


def check_minutes_draft(meeting: Meeting, message: str = MINUTES_APPROVED) -> None:
    """Approved minutes are final: what they record (the meeting, its attendance and minutes) stays."""
    if meeting.minutes_approved_at is not None:
        raise DomainError("form", message)


def _checked(draft: MeetingDraft) -> dict:
    """The draft's values cleaned and checked before anything is changed (a refused edit leaves no trace)."""
    title = " ".join(draft.title.split())
    if not title:
        raise DomainError("title", N_("Bitte geben Sie einen Titel an."))
    _check_length("title", title, MAX_TITLE)
    _check_end(draft.starts_at, draft.planned_end_at)
    place, online_url = draft.place.strip(), draft.online_url.strip()
    _check_length("place", place, MAX_PLACE)
    _check_length("online_url", online_url, MAX_URL)
    if online_url and not _WEB_LINK.match(online_url):
        raise DomainError("online_url", N_("Bitte geben Sie einen Link an, der mit https:// beginnt."))
    return {"title": title, "starts_at": draft.starts_at, "planned_end_at": draft.planned_end_at,
            "place": place, "online_url": online_url}


def _check_length(field: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        raise DomainError(field, TOO_LONG, max=maximum)


def _check_end(starts_at: datetime, planned_end_at: datetime | None) -> None:
    if planned_end_at is None:
        return
    if planned_end_at <= starts_at:
        raise DomainError("planned_end_at", N_("Das geplante Ende muss nach dem Beginn liegen."))
    if planned_end_at - starts_at > MAX_LENGTH:
        raise DomainError("planned_end_at", N_("Eine Sitzung dauert höchstens 24 Stunden."))


def find_meeting(db: Session, meeting_id: int) -> Meeting:
    """A meeting with everything its page shows loaded at once (no query per agenda item)."""
    query = select(Meeting).where(Meeting.id == meeting_id).options(
        joinedload(Meeting.group).joinedload(Group.parent),
        joinedload(Meeting.minutes_approved_by),
        selectinload(Meeting.agenda_items).options(
            joinedload(AgendaItem.presenter), joinedload(AgendaItem.proposed_by),
            joinedload(AgendaItem.carried_from).joinedload(AgendaItem.meeting),
            joinedload(AgendaItem.referred_from_item).joinedload(AgendaItem.group),
            joinedload(AgendaItem.referred_from_decision).joinedload(Decision.group)),
        selectinload(Meeting.attendances).joinedload(Attendance.person),
    )
    meeting = db.scalar(query)
    if meeting is None:
        raise NotFound("meeting")
    return meeting


def list_meetings(db: Session, actor: Actor, now: datetime) -> MeetingList:
    """The meetings of the groups the actor reads: from today on (soonest first), then the past (latest first)."""
    query = select(Meeting).options(joinedload(Meeting.group))
    if not actor.is_coordinator:
        query = query.where(Meeting.group_id.in_(list(actor.roles)))
    today_starts = datetime.combine(in_berlin(now).date(), time(), tzinfo=BERLIN)
    upcoming = db.scalars(query.where(Meeting.starts_at >= today_starts).order_by(Meeting.starts_at, Meeting.id))
    past = db.scalars(query.where(Meeting.starts_at < today_starts).order_by(Meeting.starts_at.desc(), Meeting.id))
    return MeetingList(list(upcoming), list(past))


def groups_to_schedule(db: Session, actor: Actor) -> list[Group]:
    """The groups whose meetings the actor plans: every group for the coordinator, else the managed ones."""
    query = select(Group).order_by(Group.name)
    if not actor.is_coordinator:
        managed = [group_id for group_id, role in actor.roles.items() if role in MANAGING_ROLES]
        query = query.where(Group.id.in_(managed))
    return list(db.scalars(query))


def next_meeting(db: Session, group: Group, after: datetime) -> Meeting | None:
    """The group's next planned (or invited) meeting starting after `after`: where carried-over items go."""
    query = (select(Meeting)
             .where(Meeting.group_id == group.id, Meeting.starts_at > after, Meeting.status.in_(OPEN_STATES))
             .order_by(Meeting.starts_at, Meeting.id).limit(1))
    return db.scalar(query)
