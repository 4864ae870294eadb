""""Einladung senden": a meeting's invitation to every current member of its group, now, by hand.

Each press is a new round of meeting_invitation rows (the key's round tells it from the automatic one
seven days before and from earlier presses), so nobody gets the same press twice and the record shows
every invitation sent. The scheduler sends them within a tick, with the meeting's .ics attached.
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calendars.models import Reminder
from calendars.reminders.plans import Wanted
from calendars.reminders.sync import new_reminder
from governance.errors import N_, DomainError
from governance.groups import current_members
from governance.meetings import set_meeting_status
from governance.models import Meeting
from governance.permissions import Actor, require
from governance.times import in_berlin


def send_invitation(db: Session, actor: Actor, meeting: Meeting, now: datetime) -> int:
    """Queue the invitation for every current member; a planned meeting becomes "invited". Returns how many."""
    require(actor.can_manage_group(meeting.group))
    if meeting.status == "cancelled" or meeting.starts_at <= now:
        raise DomainError("invitation", N_("Zu einer abgesagten oder vergangenen Sitzung lädt Werkstadt nicht ein."))
    members = current_members(db, meeting.group, in_berlin(meeting.starts_at).date())
    if not members:
        raise DomainError("invitation", N_("Die Gruppe hat keine Mitglieder, die eingeladen werden könnten."))
    last = db.scalar(select(func.max(Reminder.round)).where(
        Reminder.kind == "meeting_invitation", Reminder.subject_type == "meeting", Reminder.subject_id == meeting.id))
    round = (last or 0) + 1
    db.add_all(new_reminder(Wanted("meeting_invitation", member.person_id, now, round), "meeting", meeting.id,
                            meeting.version_id) for member in members)
    if meeting.status == "planned":
        set_meeting_status(db, actor, meeting, "invited")
    db.flush()
    return len(members)
