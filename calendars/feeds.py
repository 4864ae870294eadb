"""The iCal feeds: the public calendar (assembled from kept texts, streamed), a group's meetings,
and a person's own feed (meetings, due tasks and milestones) behind a secret, revocable token.

Cancelled events and dates stay in a feed for 30 days after the cancellation so subscribers see it
(a cancelled date of a series as an override with STATUS:CANCELLED); after that a cancelled date is
excluded from its series by an EXDATE. Past dates older than the feed window (12 months by default)
are left out. The window's edges move at Berlin midnight, so a feed changes only with its data or
the day, which is what its ETag and Last-Modified say.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import icalendar
from sqlalchemy import LargeBinary, and_, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from calendars import ical, shift_feeds
from calendars.ical import Entry
from calendars.listing import CalendarFilter, conditions, visible
from calendars.models import Event, EventException, FeedToken
from calendars.shift_board import ShiftFilter, open_shifts
from calendars.shift_feeds import ShiftLinks
from governance.agenda import timetable
from governance.base import utcnow
from governance.errors import NotFound
from governance.models import (AgendaItem, Area, ChangeRecord, Group, Meeting, Membership, Milestone, Organisation,
                               Person, Task, TargetGroup)
from governance.permissions import actor_for
from governance.times import from_berlin, in_berlin

CANCELLED_KEPT_DAYS = 30
BATCH = 500


@dataclass(frozen=True)
class Window:
    """Which dates a feed carries: from `past_days` before today on, all future ones; cancellations for
    30 days. Both edges are Berlin midnights, so what a feed carries changes once a day, not by the minute."""

    now: datetime
    past_days: int = 365

    @property
    def today(self) -> date:
        return in_berlin(self.now).date()

    @property
    def midnight(self) -> datetime:
        """When the window last moved (the newest "change" of any feed)."""
        return self._days_ago(0)

    @property
    def since(self) -> datetime:
        return self._days_ago(self.past_days)

    @property
    def cancelled_since(self) -> datetime:
        return self._days_ago(CANCELLED_KEPT_DAYS)

    def _days_ago(self, days: int) -> datetime:
        return from_berlin(datetime.combine(self.today - timedelta(days=days), time()))

    def overrides(self) -> ColumnElement[bool]:
        """The changed dates a feed carries as overrides (RECURRENCE-ID): moved ones in the window and
        cancelled ones for 30 days after the cancellation."""
        return and_(EventException.ends_at >= self.since,
                    or_(EventException.cancelled.is_(False), EventException.updated_at >= self.cancelled_since))

    def excludes(self) -> ColumnElement[bool]:
        """The cancelled dates a feed excludes with an EXDATE: every one it does not carry as an override,
        so no date is both (a RECURRENCE-ID must name a date of the set) and none is neither."""
        return and_(EventException.cancelled.is_(True),
                    or_(EventException.ends_at < self.since, EventException.updated_at < self.cancelled_since))

    def overridden(self, exception: EventException) -> bool:
        """`overrides` for a loaded date (the naive feed)."""
        return exception.ends_at >= self.since and (
            not exception.cancelled or exception.updated_at >= self.cancelled_since)


@dataclass(frozen=True)
class Links:
    """Absolute URLs back to the site, made by the web layer (the domain does not know the address)."""

    event: Callable[[str], str]
    meeting: Callable[[int], str]
    task: Callable[[int], str]
    milestone: Callable[[int], str]
    base_url: str
    shift: Callable[[int], str] | None = None  # a helper shift's page (personal feed, /shifts.ics)

    @property
    def uid_host(self) -> str:
        return urlsplit(self.base_url).hostname or "werkstadt"

    @property
    def shifts(self) -> ShiftLinks:
        return ShiftLinks(self.shift or (lambda shift_id: self.base_url), self.uid_host)


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
    # The window moves at midnight (old and long-cancelled dates drop out), so that counts as a change too.
    newest = max(moment for moment in (counted[1], counted[3], window.midnight) if moment is not None)
    key = f"{chosen.items()}|{'|'.join(map(str, counted))}|{window.today}|{window.past_days}|{links.base_url}"
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
               .where(*shown, window.overrides()).order_by(EventException.id))
    db.flush()  # Core reads skip the ORM's autoflush
    connection = db.connection().execution_options(yield_per=BATCH)
    exdates = _exdates(db, shown, window)
    for batch in connection.execute(events).partitions():
        yield ical.with_urls(batch, links.event, exdates)
    for batch in connection.execute(changed).partitions():
        yield ical.with_urls(batch, links.event)
    yield ical.FOOTER.encode()


def _exdates(db: Session, shown: list, window: Window) -> dict[str, bytes]:
    """The EXDATE line of each shown series with cancelled dates the feed no longer carries, by slug:
    one query, and few rows (long-cancelled dates are rare), so the feed stays as fast as before."""
    rows = db.execute(select(Event.slug, Event.all_day, EventException.recurrence_id)
                      .join_from(EventException, Event)
                      .where(*shown, Event.frequency.is_not(None), window.excludes())
                      .order_by(Event.id, EventException.recurrence_id))
    dates: dict[str, tuple[bool, list[datetime]]] = {}
    for slug, all_day, recurrence_id in rows:
        dates.setdefault(slug, (all_day, []))[1].append(recurrence_id)
    return {slug: ical.exdate_line(instants, all_day) for slug, (all_day, instants) in dates.items()}


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
        series = ical.event_component(event)
        excluded = [ical.local(e.recurrence_id, event.all_day) for e in event.exceptions
                    if e.cancelled and not window.overridden(e)]
        if excluded and event.is_recurring:
            series.add("exdate", excluded)
        dates = [e for e in event.exceptions if window.overridden(e)]
        for component in (series, *map(ical.exception_component, dates)):
            component.add("url", links.event(event.slug))
            calendar.add_component(component)
    return calendar.to_ical()


# --- meetings, tasks and milestones -------------------------------------------------------------

def group_feed(db: Session, group: Group, window: Window, links: Links, name: str) -> Feed:
    """A group's meetings with their agenda and timetable in the description."""
    meetings = _meetings(db, window, Meeting.group_id == group.id)
    changes = _newest_changes(db, [m.id for m in meetings], [])
    # A meeting leaves the feed only when the window moves (a cancelled one 30 days on): at midnight.
    return _calendar(name, [Entry.of(meeting_component(m, links, changes)) for m in meetings], window.midnight)


def personal_feed(db: Session, person: Person, window: Window, links: Links, name: str) -> Feed:
    """The person's meetings, their open tasks' and their milestones' due dates (all-day), and the helper
    shifts they hold a place on (with a reminder at their lead time)."""
    groups = select(Membership.group_id).where(Membership.person_id == person.id)
    current = actor_for(db, person, window.today)
    meetings = [m for m in _meetings(db, window, Meeting.group_id.in_(groups)) if current.can_read_group(m.group)]
    since = in_berlin(window.since).date()
    tasks = list(db.scalars(select(Task).where(Task.owner_id == person.id, Task.status != "done",
                                               Task.due_on.is_not(None), Task.due_on >= since).order_by(Task.due_on)))
    milestones = list(db.scalars(select(Milestone).where(Milestone.responsible_id == person.id,
                                                         Milestone.status.in_(("planned", "in_progress")),
                                                         Milestone.due_on >= since).order_by(Milestone.due_on)))
    changes = _newest_changes(db, [m.id for m in meetings], [m.id for m in milestones])
    components = [meeting_component(m, links, changes) for m in meetings]
    components += [_due(f"task-{task.id}@{links.uid_host}", f"Aufgabe fällig: {task.title}", task.due_on,
                        links.task(task.id), task.updated_at, task.version_id - 1) for task in tasks]
    components += [_due(f"milestone-{m.id}@{links.uid_host}", f"Meilenstein fällig: {m.title}", m.due_on,
                        links.milestone(m.id), changes.get(("milestone", m.id), m.created_at), m.version_id - 1)
                   for m in milestones]
    entries = [Entry.of(c) for c in components]
    entries += shift_feeds.my_shift_entries(db, person, window.since, window.cancelled_since, links.shifts)
    departure = max(moment for moment in (_newest_departure(db, person, window),
                                          shift_feeds.left_my_feed_at(db, person)) if moment is not None)
    return _calendar(name, entries, departure)


def shifts_feed(db: Session, chosen: ShiftFilter, window: Window, links: Links, name: str) -> Feed:
    """The board "Wo wird Hilfe gebraucht?" as a feed: one entry per shift still short of people.

    Raises UnknownFilter for an area or task kind that names nothing.
    """
    found = open_shifts(db, chosen, window.now)
    contacts = {item.shift.contact_id for item in found} - {None}
    if contacts:  # in the identity map, so that each shift's contact loads without a query of its own
        list(db.scalars(select(Person).where(Person.id.in_(contacts))))
    departure = shift_feeds.board_changed_at(db, window.now) or window.midnight
    return _calendar(name, shift_feeds.open_shift_entries(found, links.shifts), max(departure, window.midnight))


def member_groups(db: Session, person: Person, day: date) -> list[Group]:
    """The groups whose meetings feed a person is offered on their profile: those they belong to now."""
    roles = actor_for(db, person, day).roles
    return list(db.scalars(select(Group).where(Group.id.in_(roles)).order_by(Group.name)))


def _meetings(db: Session, window: Window, *where: ColumnElement[bool]) -> list[Meeting]:
    """Meetings in the window (cancelled ones 30 days on) with their agenda and group, soonest first."""
    return list(db.scalars(select(Meeting)
                           .where(*where, Meeting.starts_at >= window.since,
                                  or_(Meeting.status != "cancelled", Meeting.starts_at >= window.cancelled_since))
                           .options(selectinload(Meeting.agenda_items), selectinload(Meeting.group))
                           .order_by(Meeting.starts_at)))


def _newest_changes(db: Session, meeting_ids: list[int], milestone_ids: list[int]) -> dict[tuple[str, int], datetime]:
    """The newest change record of each meeting (its own, or one of an item on its agenda: agenda
    operations record on the item) and of each milestone, in one grouped query whatever their number."""
    kind, subject, changed_at = ChangeRecord.subject_type, ChangeRecord.subject_id, ChangeRecord.changed_at
    own = select(kind.label("kind"), subject.label("subject"), changed_at.label("changed_at")).where(
        or_(and_(kind == "meeting", subject.in_(meeting_ids)), and_(kind == "milestone", subject.in_(milestone_ids))))
    agenda = (select(literal("meeting").label("kind"), AgendaItem.meeting_id.label("subject"), changed_at)
              .join(AgendaItem, AgendaItem.id == subject)
              .where(kind == "agenda_item", AgendaItem.meeting_id.in_(meeting_ids), AgendaItem.is_proposal.is_(False)))
    records = union_all(own, agenda).subquery()
    newest = db.execute(select(records.c.kind, records.c.subject, func.max(records.c.changed_at))
                        .group_by(records.c.kind, records.c.subject))
    return {(row_kind, subject_id): moment for row_kind, subject_id, moment in newest}


def _newest_departure(db: Session, person: Person, window: Window) -> datetime:
    """The latest moment something may have left the personal feed: a task of theirs changed (say,
    marked done), a milestone that is or was theirs changed (done, handed on), or the window moved."""
    responsible = ChangeRecord.changes[("responsible_id", 0)].as_integer()
    was_theirs = select(ChangeRecord.subject_id).where(ChangeRecord.subject_type == "milestone",
                                                       responsible == person.id)
    theirs = select(Milestone.id).where(Milestone.responsible_id == person.id)
    task = select(func.max(Task.updated_at)).where(Task.owner_id == person.id).scalar_subquery()
    milestone = (select(func.max(ChangeRecord.changed_at))
                 .where(ChangeRecord.subject_type == "milestone",
                        or_(ChangeRecord.subject_id.in_(theirs), ChangeRecord.subject_id.in_(was_theirs)))
                 .scalar_subquery())
    moments = db.execute(select(task, milestone)).one()
    return max(moment for moment in (*moments, window.midnight) if moment is not None)


def _calendar(name: str, entries: list[Entry], departure: datetime) -> Feed:
    """A small feed built whole; its ETag is a digest of the text, Last-Modified its newest change
    (`departure`: the newest change that may have taken something out of the feed)."""
    text = ical.header(name) + "".join(entry.text for entry in entries) + ical.FOOTER
    changes = [entry.modified for entry in entries] + [departure.replace(microsecond=0)]
    return Feed(text, Version(hashlib.sha256(text.encode()).hexdigest()[:32], max(changes)))


def meeting_component(meeting: Meeting, links: Links, changes: dict[tuple[str, int], datetime]) -> icalendar.Event:
    """A meeting as a VEVENT; its UID is the one invitations use too.

    LAST-MODIFIED is its newest change, agenda included (`changes` from `_newest_changes`). SEQUENCE
    is its version − 1 plus the whole seconds from CREATED to LAST-MODIFIED: both only grow, so it
    never goes back (counting change records would, when a removed agenda item takes its records
    along), and it advances with every change a client can tell by LAST-MODIFIED.
    """
    created = meeting.created_at.replace(microsecond=0)
    modified = max(changes.get(("meeting", meeting.id), created).replace(microsecond=0), created)
    plan = timetable(meeting)
    ends_at = meeting.planned_end_at or (plan.ends_at if plan.rows else meeting.starts_at + timedelta(hours=2))
    component = icalendar.Event()
    component.add("uid", f"meeting-{meeting.id}@{links.uid_host}")
    component.add("dtstamp", modified)
    component.add("last-modified", modified)
    component.add("sequence", meeting.version_id - 1 + int((modified - created).total_seconds()))
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
    component.add("dtstamp", modified.replace(microsecond=0))
    component.add("last-modified", modified.replace(microsecond=0))
    component.add("sequence", sequence)
    component.add("dtstart", day)
    component.add("dtend", day + timedelta(days=1))
    component.add("summary", summary)
    component.add("transp", "TRANSPARENT")
    component.add("url", url)
    return component


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


def meeting_request(db: Session, meeting: Meeting, links: Links, organiser: str, attendee: str) -> str:
    """One meeting as an invitation to import (METHOD:REQUEST), with the UID and SEQUENCE of the feeds,
    so calendar programs update the entry the group feed already shows instead of adding a second one."""
    component = meeting_component(meeting, links, _newest_changes(db, [meeting.id], []))
    component.add("organizer", f"mailto:{organiser}")
    component.add("attendee", f"mailto:{attendee}", parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    head = "".join(f"{line}\r\n" for line in ("BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ical.PRODID}",
                                             "CALSCALE:GREGORIAN", "METHOD:REQUEST"))
    return head + ical.VTIMEZONE + component.to_ical().decode() + ical.FOOTER
