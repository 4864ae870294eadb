"""The iCal feeds: the public calendar (assembled from kept texts, streamed), a group's meetings,
and a person's own feed (meetings, due tasks and milestones) behind a secret, revocable token.

Cancelled events and dates stay in a feed for 30 days after the cancellation so subscribers see it;
past dates older than the feed window (12 months by default) are left out.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit

import icalendar
from sqlalchemy import LargeBinary, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.functions import FunctionElement

from calendars import ical
from calendars.listing import CalendarFilter, conditions, visible
from calendars.models import Event, EventException, FeedToken
from governance.agenda import timetable
from governance.base import utcnow
from governance.errors import NotFound
from governance.models import (Area, ChangeRecord, Group, Meeting, Membership, Milestone, Organisation, Person, Task,
                               TargetGroup)
from governance.permissions import actor_for
from governance.times import from_berlin, in_berlin

CANCELLED_KEPT = timedelta(days=30)
BATCH = 500
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Window:
    """Which dates a feed carries: from `past_days` ago on, all future ones; cancellations for 30 days."""

    now: datetime
    past_days: int = 365

    @property
    def since(self) -> datetime:
        return self.now - timedelta(days=self.past_days)

    @property
    def cancelled_since(self) -> datetime:
        return self.now - CANCELLED_KEPT


@dataclass(frozen=True)
class Links:
    """Absolute URLs back to the site, made by the web layer (the domain does not know the address)."""

    event: Callable[[str], str]
    meeting: Callable[[int], str]
    task: Callable[[int], str]
    milestone: Callable[[int], str]
    base_url: str

    @property
    def uid_host(self) -> str:
        return urlsplit(self.base_url).hostname or "werkstadt"


@dataclass(frozen=True)
class Version:
    """What a client compares: an ETag and the time of the newest change."""

    etag: str
    last_modified: datetime


@dataclass(frozen=True)
class Feed:
    text: str
    version: Version


# --- the public calendar ------------------------------------------------------------------------

def _public(db: Session, chosen: CalendarFilter, window: Window) -> list:
    return [*visible(members=False), *conditions(db, chosen),
            or_(Event.last_ends_at.is_(None), Event.last_ends_at >= window.since),
            or_(Event.status != "cancelled", Event.updated_at >= window.cancelled_since)]


def public_version(db: Session, chosen: CalendarFilter, window: Window, links: Links) -> Version:
    """The feed's version without building it: any change to any event gives a new ETag.

    Raises UnknownFilter for a filter value that names nothing.
    """
    conditions(db, chosen)
    counted = db.execute(select(*(select(aggregate).select_from(table).scalar_subquery() for table, aggregate in (
        (Event, func.count()), (Event, func.max(Event.updated_at)),
        (EventException, func.count()), (EventException, func.max(EventException.updated_at)))))).one()
    day = in_berlin(window.now).date()
    # The window moves at midnight (old and long-cancelled dates drop out), so that counts as a change too.
    midnight = from_berlin(datetime.combine(day, time()))
    newest = max(moment for moment in (counted[1], counted[3], midnight) if moment is not None)
    key = f"{chosen.items()}|{'|'.join(map(str, counted))}|{day}|{window.past_days}|{links.base_url}"
    return Version(hashlib.sha256(key.encode()).hexdigest()[:32], newest)


def public_feed(db: Session, chosen: CalendarFilter, window: Window, links: Links, name: str) -> Iterator[bytes]:
    """The public calendar as UTF-8 chunks of BATCH events, so memory stays flat however many events.

    Rows are read as bytes through SQLAlchemy Core in the order they were entered: no ORM rows, no
    sort and no decoding and re-encoding of megabytes (ordering by start alone doubled the time).
    """
    shown = _public(db, chosen, window)
    yield ical.header(name).encode()
    events = select(Event.slug, utf8(Event.ical)).where(*shown).order_by(Event.id)
    changed = (select(Event.slug, utf8(EventException.ical)).join_from(EventException, Event)
               .where(*shown, EventException.ends_at >= window.since,
                      or_(EventException.cancelled.is_(False), EventException.updated_at >= window.cancelled_since))
               .order_by(EventException.id))
    db.flush()  # Core reads skip the ORM's autoflush
    connection = db.connection().execution_options(yield_per=BATCH)
    for query in (events, changed):
        for batch in connection.execute(query).partitions():
            yield ical.with_urls(batch, links.event)
    yield ical.FOOTER.encode()


class utf8(FunctionElement):  # lower case, like the SQL functions it stands beside
    """A text column read as its UTF-8 bytes, ready to send."""

    type = LargeBinary()
    inherit_cache = True


@compiles(utf8)
def _utf8_sqlite(element: utf8, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(utf8, "postgresql")
def _utf8_postgresql(element: utf8, compiler, **kw) -> str:
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')"


def filter_names(db: Session, chosen: CalendarFilter) -> list[str]:
    """What a filtered feed shows, in words (for its X-WR-CALNAME), in the order of the filter's items."""
    names = {("kind", kind): label for kind, label in ical.KIND_LABELS.items()}
    for parameter, model in (("area", Area), ("target_group", TargetGroup), ("organiser", Organisation)):
        if slugs := getattr(chosen, parameter):
            rows = db.execute(select(model.slug, model.name).where(model.slug.in_(slugs)))
            names |= {(parameter, slug): name for slug, name in rows}
    return [names[item] for item in chosen.items() if item in names]


def naive_feed(db: Session, chosen: CalendarFilter, window: Window, links: Links, name: str) -> bytes:
    """The same feed built from the events with icalendar on every request: the benchmark's yardstick."""
    events = db.scalars(select(Event).where(*_public(db, chosen, window)).order_by(Event.id).options(
        selectinload(Event.exceptions), selectinload(Event.area), selectinload(Event.organiser),
        selectinload(Event.partners), selectinload(Event.target_groups)))
    calendar = icalendar.Calendar.from_ical(ical.header(name) + ical.FOOTER)
    for event in events:
        dates = [e for e in event.exceptions if e.ends_at >= window.since
                 and (not e.cancelled or e.updated_at >= window.cancelled_since)]
        for component in (ical.event_component(event), *map(ical.exception_component, dates)):
            component.add("url", links.event(event.slug))
            calendar.add_component(component)
    return calendar.to_ical()


# --- meetings, tasks and milestones -------------------------------------------------------------

def group_feed(db: Session, group: Group, window: Window, links: Links, name: str) -> Feed:
    """A group's meetings with their agenda and timetable in the description."""
    meetings = db.scalars(select(Meeting).where(Meeting.group_id == group.id, *_meeting_window(window))
                          .options(selectinload(Meeting.agenda_items), selectinload(Meeting.group))
                          .order_by(Meeting.starts_at))
    return _calendar(name, [meeting_component(db, meeting, links) for meeting in meetings])


def personal_feed(db: Session, person: Person, window: Window, links: Links, name: str) -> Feed:
    """The person's meetings, their open tasks' and their milestones' due dates (all-day)."""
    groups = select(Membership.group_id).where(Membership.person_id == person.id)
    meetings = db.scalars(select(Meeting).where(Meeting.group_id.in_(groups), *_meeting_window(window))
                          .options(selectinload(Meeting.agenda_items), selectinload(Meeting.group))
                          .order_by(Meeting.starts_at))
    current = actor_for(db, person, in_berlin(window.now).date())
    components = [meeting_component(db, m, links) for m in meetings if current.can_read_group(m.group)]
    since = in_berlin(window.since).date()
    tasks = db.scalars(select(Task).where(Task.owner_id == person.id, Task.status != "done",
                                          Task.due_on.is_not(None), Task.due_on >= since).order_by(Task.due_on))
    components += [_due(f"task-{task.id}@{links.uid_host}", f"Aufgabe fällig: {task.title}", task.due_on,
                        links.task(task.id), task.updated_at, task.version_id - 1) for task in tasks]
    milestones = db.scalars(select(Milestone).where(Milestone.responsible_id == person.id,
                                                    Milestone.status.in_(("planned", "in_progress")),
                                                    Milestone.due_on >= since).order_by(Milestone.due_on))
    components += [_due(f"milestone-{m.id}@{links.uid_host}", f"Meilenstein fällig: {m.title}", m.due_on,
                        links.milestone(m.id), _changed(db, "milestone", m.id, m.created_at), m.version_id - 1)
                   for m in milestones]
    # A task marked done leaves the feed; its change still makes the feed newer for If-Modified-Since.
    last_task_change = db.scalar(select(func.max(Task.updated_at)).where(Task.owner_id == person.id))
    return _calendar(name, components, last_task_change)


def member_groups(db: Session, person: Person, day: date) -> list[Group]:
    """The groups whose meetings feed a person is offered on their profile: those they belong to now."""
    roles = actor_for(db, person, day).roles
    return list(db.scalars(select(Group).where(Group.id.in_(roles)).order_by(Group.name)))


def _meeting_window(window: Window) -> list:
    return [Meeting.starts_at >= window.since,
            or_(Meeting.status != "cancelled", Meeting.starts_at >= window.cancelled_since)]


def _calendar(name: str, components: list[icalendar.Event], also: datetime | None = None) -> Feed:
    """A small feed built whole; its ETag is a digest of the text, Last-Modified its newest change
    (`also`: a change that took something out of the feed)."""
    text = ical.header(name) + "".join(c.to_ical().decode() for c in components) + ical.FOOTER
    changes = [c["last-modified"].dt for c in components] + ([also.replace(microsecond=0)] if also else [])
    newest = max(changes, default=EPOCH)
    return Feed(text, Version(hashlib.sha256(text.encode()).hexdigest()[:32], newest))


def meeting_component(db: Session, meeting: Meeting, links: Links) -> icalendar.Event:
    """A meeting as a VEVENT; its UID is the one invitations use too."""
    plan = timetable(meeting)
    ends_at = meeting.planned_end_at or (plan.ends_at if plan.rows else meeting.starts_at + timedelta(hours=2))
    component = icalendar.Event()
    component.add("uid", f"meeting-{meeting.id}@{links.uid_host}")
    component.add("dtstamp", _changed(db, "meeting", meeting.id, meeting.created_at))
    component.add("last-modified", _changed(db, "meeting", meeting.id, meeting.created_at))
    component.add("sequence", meeting.version_id - 1)
    component.add("dtstart", in_berlin(meeting.starts_at))
    component.add("dtend", in_berlin(max(ends_at, meeting.starts_at + timedelta(minutes=1))))
    component.add("summary", f"{meeting.group.name}: {meeting.title}")
    agenda = "\n".join(f"{in_berlin(row.starts_at):%H:%M} TOP {number}: {row.item.title} "
                       f"({row.item.duration_minutes} Min.)" for number, row in enumerate(plan.rows, 1))
    component.add("description", f"Tagesordnung:\n{agenda}" if agenda else "Tagesordnung folgt.")
    location = ", ".join(part for part in (meeting.place, meeting.online_url) if part)
    if location:
        component.add("location", location)
    component.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    component.add("url", links.meeting(meeting.id))
    return component


def _due(uid: str, summary: str, day: date, url: str, modified: datetime, sequence: int) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", modified)
    component.add("last-modified", modified)
    component.add("sequence", sequence)
    component.add("dtstart", day)
    component.add("dtend", day + timedelta(days=1))
    component.add("summary", summary)
    component.add("transp", "TRANSPARENT")
    component.add("url", url)
    return component


def _changed(db: Session, subject_type: str, subject_id: int, created: datetime) -> datetime:
    latest = db.scalar(select(func.max(ChangeRecord.changed_at))
                       .where(ChangeRecord.subject_type == subject_type, ChangeRecord.subject_id == subject_id))
    return (latest or created).replace(microsecond=0)


# --- tokens -------------------------------------------------------------------------------------

def token_of(db: Session, person: Person) -> FeedToken | None:
    return db.scalar(select(FeedToken).where(FeedToken.person_id == person.id))


def renew_token(db: Session, person: Person) -> FeedToken:
    """A new secret (the old one stops working at once)."""
    revoke_token(db, person)
    token = FeedToken(person_id=person.id, token=secrets.token_urlsafe(32), created_at=utcnow())
    db.add(token)
    db.flush()
    return token


def revoke_token(db: Session, person: Person) -> None:
    existing = token_of(db, person)
    if existing is not None:
        db.delete(existing)
        db.flush()


def person_for_token(db: Session, token: str) -> Person:
    """The owner of a token; NotFound for anything else, with no hint whether it ever existed."""
    if not 20 <= len(token) <= 64:
        raise NotFound("token")
    found = db.scalar(select(FeedToken).where(FeedToken.token == token).options(selectinload(FeedToken.person)))
    if found is None:
        raise NotFound("token")
    return found.person
