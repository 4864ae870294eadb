"""Minutes (Protokoll) of a meeting: attendance, what was said per agenda item, approval, corrections."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from governance.base import utcnow
from governance.errors import N_, Conflict, DomainError
from governance.history import record_change
from governance.meetings import check_minutes_draft
from governance.models import AgendaItem, Attendance, Meeting, Membership, MinutesCorrection, Person
from governance.models.meetings import ATTENDANCE_STATES
from governance.permissions import Actor, require
from governance.times import in_berlin

MAX_MINUTES = 50_000
MAX_CORRECTION = 5_000


@dataclass(frozen=True)
class AttendanceRow:
    """A member of the group on the day of the meeting, and what was recorded (None: not yet)."""

    person: Person
    role: str | None
    state: str | None


def attendance_list(db: Session, meeting: Meeting) -> list[AttendanceRow]:
    """The group's members on the meeting's day, plus anyone recorded who has left the group since."""
    day = in_berlin(meeting.starts_at).date()
    query = (select(Membership).where(Membership.group_id == meeting.group_id)
             .options(joinedload(Membership.person)).order_by(Membership.id))
    members = [m for m in db.scalars(query) if m.is_current(day)]
    recorded = {attendance.person_id: attendance for attendance in meeting.attendances}
    rows = [AttendanceRow(m.person, m.role, _state(recorded.pop(m.person_id, None))) for m in members]
    rows += [AttendanceRow(a.person, None, a.state) for a in recorded.values()]
    return rows


def _state(attendance: Attendance | None) -> str | None:
    return attendance.state if attendance else None


def record_attendance(db: Session, actor: Actor, meeting: Meeting, person: Person, state: str) -> None:
    """Present, excused or absent, for one of the group's members."""
    record_attendances(db, actor, meeting, {person.id: state})


def record_attendances(db: Session, actor: Actor, meeting: Meeting, states: Mapping[int, str]) -> None:
    """Several people at once (person id → state), as the attendance form sends them."""
    require(actor.can_manage_group(meeting.group))
    check_minutes_draft(meeting)
    people = {row.person.id: row.person for row in attendance_list(db, meeting)}
    recorded = {attendance.person_id: attendance for attendance in meeting.attendances}
    changes = {}
    for person_id, state in states.items():
        if person_id not in people:
            raise DomainError("attendance", N_("Diese Person gehört der Gruppe nicht an."))
        if state not in ATTENDANCE_STATES:
            raise DomainError("attendance", N_("Bitte wählen Sie anwesend, entschuldigt oder abwesend."))
        old = _set_state(meeting, recorded.get(person_id), people[person_id], state)
        if old != state:
            changes[f"attendance: {people[person_id].name}"] = [old, state]
    db.flush()
    if changes:
        record_change(db, actor.person, "meeting", meeting.id, "updated", changes)


def _set_state(meeting: Meeting, attendance: Attendance | None, person: Person, state: str) -> str | None:
    """Record the state and return the one before (None when nothing was recorded)."""
    if attendance is None:
        meeting.attendances.append(Attendance(person=person, state=state))
        return None
    old, attendance.state = attendance.state, state
    return old


def write_minutes(db: Session, actor: Actor, item: AgendaItem, text: str, loaded_text: str | None) -> AgendaItem:
    """What was said and agreed on an item, while the minutes are a draft.

    `loaded_text` is the minutes as the form showed them: when someone else saved other minutes
    since, that is a Conflict, so nobody overwrites what they have not seen. The minutes text is
    compared rather than the item's version, so that editing the item's title is no conflict.
    """
    require(actor.can_manage_group(item.group))
    if item.meeting is None or item.is_proposal:
        raise DomainError("minutes", N_("Ein Vorschlag hat noch kein Protokoll."))
    check_minutes_draft(item.meeting)
    if loaded_text is None or _lines(loaded_text).strip() != _lines(item.minutes).strip():
        raise Conflict(item)
    text = text.strip()
    if len(text) > MAX_MINUTES:
        raise DomainError("minutes", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_MINUTES)
    if text != item.minutes:
        changes = {"minutes": [item.minutes or None, text or None]}
        item.minutes = text
        db.flush()
        record_change(db, actor.person, "agenda_item", item.id, "updated", changes)
    return item


def approve_minutes(db: Session, actor: Actor, meeting: Meeting) -> Meeting:
    """The chair (or the coordinator) approves; from then on only recorded corrections change them."""
    require(actor.can_approve_minutes(meeting.group))
    if meeting.minutes_approved_at is not None:
        raise DomainError("form", N_("Das Protokoll ist bereits genehmigt."))
    if meeting.status == "cancelled":
        raise DomainError("form", N_("Eine abgesagte Sitzung hat kein Protokoll."))
    if meeting.status != "held":
        raise DomainError("form", N_("Das Protokoll wird erst genehmigt, wenn die Sitzung stattgefunden hat "
                                     "(Status „stattgefunden“)."))
    meeting.minutes_approved_at, meeting.minutes_approved_by = utcnow(), actor.person
    db.flush()
    record_change(db, actor.person, "meeting", meeting.id, "approved")
    return meeting


def correct_minutes(db: Session, actor: Actor, meeting: Meeting, text: str,
                    item: AgendaItem | None = None) -> MinutesCorrection:
    """A correction of approved minutes, kept beside them with who and when (the text stays as approved)."""
    require(actor.can_approve_minutes(meeting.group))
    if meeting.minutes_approved_at is None:
        raise DomainError("correction", N_("Vor der Genehmigung wird das Protokoll direkt geändert."))
    text = text.strip()
    if not text:
        raise DomainError("correction", N_("Bitte beschreiben Sie die Berichtigung."))
    if len(text) > MAX_CORRECTION:
        raise DomainError("correction", N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=MAX_CORRECTION)
    if item is not None and item.meeting_id != meeting.id:
        raise DomainError("correction_item", N_("Dieser Tagesordnungspunkt gehört zu einer anderen Sitzung."))
    correction = MinutesCorrection(meeting_id=meeting.id, agenda_item_id=item.id if item else None,
                                   text=text, corrected_by=actor.person)
    db.add(correction)
    db.flush()
    record_change(db, actor.person, "meeting", meeting.id, "corrected", {"correction": [None, text]})
    return correction


def corrections_of(db: Session, meeting: Meeting) -> list[MinutesCorrection]:
    query = (select(MinutesCorrection).where(MinutesCorrection.meeting_id == meeting.id)
             .options(joinedload(MinutesCorrection.corrected_by))
             .order_by(MinutesCorrection.corrected_at, MinutesCorrection.id))
    return list(db.scalars(query))


def _lines(text: str) -> str:
    """Line breaks as one character: a browser sends CR LF for what was stored with LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
