"""The shift part of the demo seed: helper shifts ahead, and volunteers whose past year shows the problem.

Ahead of the load day: the shifts the seed names for the next Stadtteilfest and Laternenumzug, partly
taken. Behind it: a year of shifts at the lunch table, the Spätlese and both festivals, with the
organiser's confirmation of who came, where three volunteers carried about two thirds of the hours and
many helped once or never ("auf zu wenig Schultern verteilt"). Dates are relative to the load day,
so a fresh demo never looks stale. Volunteers log in only by a one-time link (no password).
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calendars.models import Event, Shift, Signup, Volunteer
from calendars.occurrences import Occurrence, occurrences
from calendars.reminders.calls import BATCH
from calendars.reminders.leads import DEFAULT_LEADS, before
from calendars.reminders.plans import Wanted
from calendars.reminders.sync import new_reminder
from calendars.shifts import ShiftDraft, add_shift
from calendars.signups import confirm_attendance, join_waiting_list, take_place
from calendars.volunteers import update_preferences
from governance.base import utcnow
from governance.models import Area, Person, TargetGroup
from governance.organisations import list_areas, list_target_groups
from governance.people import find_person_by_email
from governance.permissions import Actor, actor_for
from governance.times import from_berlin, in_berlin, today
from workspace.auth import create_account

VOLUNTEER_EMAIL = "ehrenamt{:02d}@example.org"
NAMES = ("Renate K.", "Bernd S.", "Christa M.", "Dilara Y.", "Emil W.", "Frieda H.", "Günter B.", "Hanna L.",
         "Ibrahim A.", "Jana P.", "Klaus R.", "Lena F.", "Mehmet D.", "Nina G.", "Olaf T.", "Petra Z.",
         "Ulrike V.", "Sophie N.", "Tobias E.", "Ursula J.", "Viktor O.", "Wiebke C.", "Yusuf K.", "Zoe B.",
         "Marie S.", "Jonas W.", "Elif T.", "Lukas M.", "Greta H.", "Paul R.")

# A shift per task: kind, begin and end in hours from the date's start, places. The festivals' tasks are
# the ones the seed names; the regular offers get one shift each date.
PLANS = {
    "Aufbau": ("setup", -4, 0, 6),
    "Kuchenstand": ("catering", 0, 3, 4),
    "Kinderschminken": ("children", 0.5, 3.5, 3),
    "Abbau": ("setup", 5.5, 8, 5),
    "Ordner*innen": ("stewarding", -0.5, 2, 6),
    "Punsch ausschenken": ("catering", -0.5, 2.5, 3),
    "Essen ausgeben": ("catering", 0, 1.5, 2),
    "Kaffee und Kuchen": ("catering", -0.5, 2.5, 2),
}
REGULAR = {"Mittagstisch »Auf Rädern zum Essen«": "Essen ausgeben",
           "Spätlese – Lesung, Konzert, Spielnachmittag": "Kaffee und Kuchen"}

# Who holds a place (volunteer numbers): on last year's festivals, and on the coming ones.
PAST_FESTIVALS = {"Aufbau": (1, 2, 3, 9, 10, 11), "Kuchenstand": (4, 12, 13, 14), "Kinderschminken": (5, 15, 16),
                  "Abbau": (1, 6, 17, 18, 9), "Ordner*innen": (2, 7, 19, 20, 21, 10),
                  "Punsch ausschenken": (8, 22, 23)}
NO_SHOWS = {23}  # signed up, did not come: no hours
COMING = {"Aufbau": (1, 9), "Kuchenstand": (2,), "Kinderschminken": (), "Abbau": (1,), "Ordner*innen": (3, 7),
          "Punsch ausschenken": (2, 4, 5)}
WAITING = {"Punsch ausschenken": (26,)}
HEAVY, MIDDLE = (1, 2, 3), (4, 5, 6, 7, 8)  # the lunch table rests on the first three
CONTACTS = {"Stadtteilfest Jena-Nord": "nord@example.org"}  # the chair of the group preparing it
PAUSED = {12: 45, 18: 90, 27: 20}  # volunteer number: paused for so many days from the load day


def load_shifts(db: Session, seed: dict, coordinator: Person) -> None:
    """Volunteers first, then the shifts, added and confirmed by the coordinator as an organiser would."""
    now = utcnow()
    actor = actor_for(db, coordinator, today())
    choices = list_areas(db), list_target_groups(db)
    people = [_volunteer(db, number, choices, now) for number in range(1, len(NAMES) + 1)]
    for item in seed["events"]:
        if "shifts" in item:
            contact = find_person_by_email(db, CONTACTS[item["title"]]) if item["title"] in CONTACTS else None
            _festival(db, actor, _event(db, item["title"]), item["shifts"], people, contact, now)
    for title, task in REGULAR.items():
        _regular(db, actor, _event(db, title), task, people, now)
    _mark_activity(db, people)


# --- volunteers --------------------------------------------------------------------------------

def _volunteer(db: Session, number: int, choices: tuple[list[Area], list[TargetGroup]], now: datetime) -> Person:
    """An account without password (login by mailed link), its address confirmed, with preferences."""
    person = create_account(db, NAMES[number - 1], VOLUNTEER_EMAIL.format(number), kind="volunteer").person
    areas, groups = choices
    area_choice, kinds, most = _preferences(number)
    paused = today() + timedelta(days=PAUSED[number]) if number in PAUSED else None
    volunteer = update_preferences(
        db, person, [areas[index] for index in area_choice], [groups[(number * 3) % len(groups)]],
        kinds, most, (48, 24, 72, 48, 12)[number % 5], paused)
    joined = now - timedelta(days=400 if number <= 24 else 10 + 9 * (number - 24))
    volunteer.created_at = volunteer.email_confirmed_at = joined
    volunteer.last_asked_at = _last_asked(number, now)
    return person


def _preferences(number: int) -> tuple[tuple[int, ...], tuple[str, ...], int | None]:
    """Areas (indexes, by name), task kinds and the most hours a month: the busy three take anything."""
    if number in HEAVY:
        return (0, 1), ((), ("catering", "setup"), ("catering",))[number - 1], None
    return (((1, 2), (0,), (0, 1), (), (2,), (0,))[number % 6],
            (("catering",), ("setup", "stewarding"), ("children",), (), ("driving", "other"),
             ("catering", "children"), ("setup",))[number % 7],
            (None, 4, 8, None, 12, 2)[number % 6])


def _last_asked(number: int, now: datetime) -> datetime | None:
    """The busy few are asked all the time, the others rarely or never: the reminders' starting point."""
    if number in HEAVY:
        return now - timedelta(days=2 + number)
    if number in MIDDLE:
        return now - timedelta(days=10 + 5 * number)
    return None if number in (25, 26, 27) else now - timedelta(days=120 + 7 * number)


def _mark_activity(db: Session, people: list[Person]) -> None:
    """Last active: when they signed up for a coming shift (set then) or the end of the last one they came to."""
    came = dict(db.execute(select(Signup.person_id, func.max(Shift.ends_at)).join(Signup.shift)
                           .where(Signup.attended.is_(True)).group_by(Signup.person_id)).all())
    for person in people:
        volunteer = db.get(Volunteer, person.id)
        if volunteer.last_active_at is None:
            volunteer.last_active_at = came.get(person.id)
    db.flush()


# --- shifts --------------------------------------------------------------------------------------

def _festival(db: Session, actor: Actor, event: Event, tasks: list[str], people: list[Person],
              contact: Person | None, now: datetime) -> None:
    """Last year's date with the confirmed helpers, and the coming date partly taken."""
    for occurrence in _past(event, now)[-1:]:
        for task in tasks:
            shift = _add(db, actor, event, occurrence, task, contact)
            _held(db, actor, shift, [people[n - 1] for n in PAST_FESTIVALS[task]], now)
            _calls_made(db, shift, people, PAST_FESTIVALS[task])
    coming = _next(event)
    for task in tasks:
        shift = _add(db, actor, event, coming, task, contact)
        for number in COMING[task]:
            take_place(db, people[number - 1], shift, now)
        for number in WAITING.get(task, ()):
            join_waiting_list(db, people[number - 1], shift, now)


def _regular(db: Session, actor: Actor, event: Event, task: str, people: list[Person], now: datetime) -> None:
    """Every date of the past year: the lunch table by two of the busy three, the Spätlese by one of
    them with one of the middle group."""
    for index, occurrence in enumerate(_past(event, now)):
        shift = _add(db, actor, event, occurrence, task, None)
        if event.frequency == "weekly":
            numbers = ((1, 2), (2, 3), (1, 3))[index % 3]
        else:
            numbers = (HEAVY[index % 3], MIDDLE[index % 5])
        _held(db, actor, shift, [people[n - 1] for n in numbers], now)


def _calls_made(db: Session, shift: Shift, people: list[Person], came: tuple[int, ...]) -> None:
    """The history of calls for help on a past shift: two rounds of five, the first 14 days before, to
    volunteers beyond the busy few; those who then helped said yes, every third of the others no."""
    asked = [n for n in range(9, len(people) + 1) if n not in came][shift.id % 7:][:6] + [n for n in came if n > 8][:4]
    for index, number in enumerate(asked):
        round = 1 if index < BATCH else 2
        sent = before(shift.starts_at, DEFAULT_LEADS["help_round", round])
        call = new_reminder(Wanted("call_for_help", people[number - 1].id, sent, round), "shift", shift.id, 1)
        call.state, call.sent_at, call.attempts, call.created_at = "sent", sent, 1, sent
        if number in came or index % 3 == 0:
            call.answer, call.answered_at = ("accepted" if number in came else "declined"), sent + timedelta(hours=5)
        db.add(call)
    db.flush()


def _add(db: Session, actor: Actor, event: Event, occurrence: Occurrence, task: str,
         contact: Person | None) -> Shift:
    kind, begin, end, places = PLANS[task]
    start = in_berlin(occurrence.recurrence_id).replace(tzinfo=None)
    draft = ShiftDraft(task, kind, from_berlin(start + timedelta(hours=begin)),
                       from_berlin(start + timedelta(hours=end)), places, contact=contact)
    return add_shift(db, actor, event, date.fromisoformat(occurrence.key), draft)


def _held(db: Session, actor: Actor, shift: Shift, people: list[Person], now: datetime) -> None:
    """Places taken a week before (as rows: taking a place in the past is refused), then confirmed."""
    signed = shift.starts_at - timedelta(days=7)
    signups = [Signup(shift_id=shift.id, person_id=person.id, state="taken", slot=slot, created_at=signed)
               for slot, person in enumerate(people, start=1)]
    db.add_all(signups)
    db.flush()
    db.expire(shift, ["signups"])
    came = {signup.id for signup, person in zip(signups, people) if _number(person) not in NO_SHOWS}
    confirm_attendance(db, actor, shift, came, now)


def _number(person: Person) -> int:
    return int(person.email.removeprefix("ehrenamt").split("@")[0])


def _event(db: Session, title: str) -> Event:
    return db.scalars(select(Event).where(Event.title == title)).one()


def _past(event: Event, now: datetime) -> list[Occurrence]:
    """The dates of the year before the load day that took place."""
    end = from_berlin(datetime.combine(today(), time()))
    start = from_berlin(datetime.combine(_year_before(today()), time()))
    return [o for o in occurrences(event, start, end) if not o.cancelled and o.ends_at <= now]


def _next(event: Event) -> Occurrence:
    """The next date from tomorrow on, so even an early shift (the setup) still lies ahead."""
    start = from_berlin(datetime.combine(today() + timedelta(days=1), time()))
    return next(o for o in occurrences(event, start, start + timedelta(days=400)) if not o.cancelled)


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)
