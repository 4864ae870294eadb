"""What each subject wants reminded, for whom and when, as of now.

A plan lists the reminders a subject should have; calendars.reminders.sync turns it into rows. A
reminder is planned only while it can still help (the shift still ahead, the task still open), so
loading old data never sends a flood of stale mails. Recipients who stopped a kind are left out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.models import ReminderStop, Shift, Signup, Volunteer
from calendars.reminders.leads import MINUTES_AFTER, OVERDUE_AFTER, after_days, before, leads, morning_of
from calendars.shifts import takes_place
from governance.groups import current_members
from governance.models import Meeting, Milestone, Person, Task
from governance.times import in_berlin

GRACE = timedelta(days=1)  # a reminder about something past is still sent if it is at most this late
MEETING_LENGTH = timedelta(hours=2)  # assumed when a meeting has no planned end
# The kinds a plan owns: rows of other kinds (calls for help, invitations sent by hand) are left alone.
PLANNED_KINDS = {
    "shift": ("shift_upcoming", "help_round"),
    "meeting": ("meeting_invitation", "minutes_pending"),
    "task": ("task_due", "task_overdue"),
    "milestone": ("milestone_due",),
}
SUBJECTS = {"shift": Shift, "meeting": Meeting, "task": Task, "milestone": Milestone}


@dataclass(frozen=True)
class Wanted:
    kind: str
    recipient_id: int | None
    due_at: datetime
    round: int = 0

    @property
    def key(self) -> tuple[str, int | None, int]:
        return self.kind, self.recipient_id, self.round


def plan(db: Session, subject_type: str, subject, now: datetime) -> list[Wanted]:
    """The reminders `subject` should have now (none when it is gone)."""
    if subject is None:
        return []
    lead = leads(db)
    wanted = {"shift": _shift, "meeting": _meeting, "task": _task, "milestone": _milestone}[subject_type](
        db, subject, lead, now)
    stopped = _stopped(db, {w.recipient_id for w in wanted if w.recipient_id is not None})
    return [w for w in wanted if (w.recipient_id, w.kind) not in stopped]


def _shift(db: Session, shift: Shift, lead: dict, now: datetime) -> list[Wanted]:
    if shift.starts_at <= now or not takes_place(shift):
        return []
    holders = db.execute(select(Signup.person_id, Volunteer.lead_hours)
                         .outerjoin(Volunteer, Volunteer.person_id == Signup.person_id)
                         .where(Signup.shift_id == shift.id, Signup.state == "taken")).all()
    wanted = [Wanted("shift_upcoming", person_id, before(shift.starts_at, hours or lead["shift_upcoming", 0]))
              for person_id, hours in holders]
    rounds = [Wanted("help_round", None, before(shift.starts_at, lead["help_round", n]), n) for n in (1, 2)]
    # A round whose time has passed is only worth running if no later round has come due as well.
    due = [r for r in rounds if r.due_at <= now]
    return wanted + [r for r in rounds if r.due_at > now] + due[-1:]


def _meeting(db: Session, meeting: Meeting, lead: dict, now: datetime) -> list[Wanted]:
    if meeting.status == "cancelled":
        return []
    wanted = []
    members = current_members(db, meeting.group, in_berlin(meeting.starts_at).date())
    if meeting.starts_at > now and meeting.status in ("planned", "invited"):
        due = before(meeting.starts_at, lead["meeting_invitation", 0])
        wanted += [Wanted("meeting_invitation", m.person_id, due) for m in members]
    end = meeting.planned_end_at or meeting.starts_at + MEETING_LENGTH
    chase = after_days(end, MINUTES_AFTER)
    if meeting.minutes_approved_at is None and chase + GRACE > now:
        wanted += [Wanted("minutes_pending", m.person_id, chase) for m in members if m.role == "chair"]
    return wanted


def _task(db: Session, task: Task, lead: dict, now: datetime) -> list[Wanted]:
    if task.status == "done" or task.due_on is None or task.owner_id is None:
        return []
    due_day = morning_of(task.due_on)
    wanted = []
    if due_day + GRACE > now:
        wanted.append(Wanted("task_due", task.owner_id, before(due_day, lead["task_due", 0])))
    overdue = after_days(due_day, OVERDUE_AFTER)
    if overdue + GRACE > now:
        wanted.append(Wanted("task_overdue", task.owner_id, overdue))
    return wanted


def _milestone(db: Session, milestone: Milestone, lead: dict, now: datetime) -> list[Wanted]:
    due_day = morning_of(milestone.due_on)
    if milestone.status in ("done", "missed") or due_day + GRACE <= now:
        return []
    due = before(due_day, lead["milestone_due", 0])
    people = {milestone.responsible_id} | set(db.scalars(select(Person.id).where(Person.is_coordinator)))
    return [Wanted("milestone_due", person_id, due) for person_id in sorted(p for p in people if p is not None)]


def _stopped(db: Session, person_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = list(person_ids)
    if not ids:
        return set()
    return {(person_id, kind) for person_id, kind in db.execute(
        select(ReminderStop.person_id, ReminderStop.kind).where(ReminderStop.person_id.in_(ids)))}
