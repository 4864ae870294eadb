"""A reminder as a mail: German (or the recipient's language) text from templates/mail/reminders/<kind>.txt,
a stable Message-ID from the reminder's key, a link to the item, and a one-click link to stop mails of
that kind (also as List-Unsubscribe). Meeting invitations carry the meeting as .ics (METHOD:REQUEST)."""

import functools
from dataclasses import dataclass
from datetime import datetime
from email import headerregistry, policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars.feeds import Links, meeting_request
from calendars.models import Reminder, Shift
from calendars.reminders.calls import open_places
from calendars.reminders.digests import short_shifts
from governance.agenda import timetable
from governance.base import utcnow
from governance.models import Meeting, Milestone, Task
from workspace.models import Account
from workspace.rendering import Renderer
from workspace.settings import Settings
from workspace.tokens import token_digest


@dataclass(frozen=True)
class Composer:
    """What composing needs: the settings, the templates and absolute links (built once per scheduler)."""

    settings: Settings
    renderer: Renderer
    links: Links
    url_path: object  # Services.url_path

    def compose(self, db: Session, reminder: Reminder, now: datetime) -> EmailMessage:
        person = reminder.recipient
        language = _language(db, person.id) or self.settings.language
        context = {"person": person, "reminder": reminder, **self._about(db, reminder),
                   "stop_link": self.action_link(reminder, "stop")}
        template = f"mail/reminders/{reminder.kind}.txt"
        subject = self.renderer.render(language, template, context, block="subject")
        body = self.renderer.render(language, template, context, block="body")
        message = EmailMessage(policy=MAIL_POLICY)
        message["From"] = _fixed("From", self.settings.mail_from)
        message["To"] = person.email
        message["Subject"] = " ".join(subject.split())[:300]
        message.set_raw("Message-ID", reminder.message_id)  # short ASCII made here: written as it is, see _fixed
        message.set_raw("Date", format_datetime(now))
        message["List-Unsubscribe"] = f"<{context['stop_link']}>"
        message.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        message.set_raw("Auto-Submitted", "auto-generated")
        message.set_content(body.strip() + "\n")
        if reminder.kind == "meeting_invitation":
            ics = meeting_request(db, context["meeting"], self.links, parseaddr(self.settings.mail_from)[1],
                                  person.email)
            message.add_attachment(ics.encode(), maintype="text", subtype="calendar",
                                   params={"method": "REQUEST", "charset": "utf-8"}, filename="einladung.ics")
        return message

    def action_link(self, reminder: Reminder, action: str) -> str:
        token = reminder_token(self.settings.secret_key, reminder.id)
        return self.settings.base_url + self.url_path("reminder_link", reminder_id=reminder.id, token=token,
                                                      action=action)

    def _about(self, db: Session, reminder: Reminder) -> dict:
        """The kind's own context: its subject and the links the text offers."""
        links = self.links
        if reminder.subject_type == "shift":
            shift = db.get(Shift, reminder.subject_id)
            about = {"shift": shift, "event": shift.event, "link": links.shift(shift.id),
                     "mine_link": self.settings.base_url + self.url_path("my_shifts")}
            if reminder.kind == "call_for_help":  # only its text offers the places left and the answers
                about.update(places_left=open_places(db, shift), help_link=self.action_link(reminder, "help"),
                             decline_link=self.action_link(reminder, "decline"))
            return about
        if reminder.kind == "organiser_digest":
            return {"short": short_shifts(db, utcnow(), reminder.recipient_id), "shift_link": links.shift,
                    "board_link": self.settings.base_url + self.url_path("shifts")}
        if reminder.subject_type == "meeting":
            meeting = db.get(Meeting, reminder.subject_id)
            return {"meeting": meeting, "timetable": timetable(meeting), "link": links.meeting(meeting.id)}
        if reminder.subject_type == "task":
            task = db.get(Task, reminder.subject_id)
            return {"task": task, "link": links.task(task.id)}
        milestone = db.get(Milestone, reminder.subject_id)
        return {"milestone": milestone, "link": links.milestone(milestone.id)}


def reminder_token(secret_key: str, reminder_id: int) -> str:
    """The key of a reminder's links: nobody can make one for another reminder without the secret."""
    return token_digest(secret_key, f"reminder:{reminder_id}")[:40]


class _HeaderTypes(headerregistry.HeaderRegistry):
    """The standard header types, each class made once: the stock registry makes a new class for every
    header set or read, a good part of the cost of a mail's headers (and a scheduler composes thousands)."""

    def __init__(self) -> None:
        super().__init__()
        self.made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self.made:
            self.made[key] = super().__getitem__(name)
        return self.made[key]


MAIL_POLICY = policy.default.clone(header_factory=_HeaderTypes())


@functools.lru_cache(maxsize=16)
def _fixed(name: str, value: str):
    """A header that is the same in every mail, parsed once. Setting a header parses its value and sending
    folds it again; headers that are short ASCII made by the code itself are set raw instead (set_raw), which
    the generator writes unchanged — the same bytes, without either cost."""
    return MAIL_POLICY.header_factory(name, value)


def _language(db: Session, person_id: int) -> str | None:
    return db.scalar(select(Account.language).where(Account.person_id == person_id))
