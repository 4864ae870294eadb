"""The calendar part of the demo seed: the district's festivals, traditions and regular offers.

Loaded through calendars.events, acting as the demo coordinator (so they are approved at once) or as
the login a submission names. Series begin two years before the load year and run without end;
single dates and the cancelled date lie ahead of the load day, so a fresh demo never looks stale.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from calendars.events import EventDraft, all_day_span, change_date, create_event
from calendars.models import Event
from calendars.occurrences import occurrences
from calendars.recurrence import WEEKDAY_CODES, Recurrence
from governance.models import Group, Person
from governance.organisations import list_areas, list_organisations, list_target_groups
from governance.permissions import Actor, actor_for
from governance.times import from_berlin, today

SINCE_YEARS = 2  # a series' first date lies in the year two before the load year


def load_calendar(db: Session, seed: dict, groups: dict[str, Group], coordinator: Person,
                  people: dict[str, Person]) -> None:
    logins = {item["email"]: people[item["person"]] for item in seed["demo_logins"]}
    names = _names(db, groups)
    for item in seed["events"]:
        actor = actor_for(db, logins.get(item.get("submitted_by"), coordinator), today())
        for first, recurrence in _schedules(item):
            event = create_event(db, actor, _draft(item, names, first, recurrence))
            if "cancel" in item:
                _cancel(db, actor, event, item["cancel"])


def _names(db: Session, groups: dict[str, Group]) -> dict[str, dict]:
    """What the seed names, by name: areas, organisations, target groups and groups."""
    return {
        "area": {area.name: area for area in list_areas(db)},
        "organisation": {organisation.name: organisation for organisation in list_organisations(db)},
        "target_group": {group.name: group for group in list_target_groups(db)},
        "group": groups,
    }


def _schedules(item: dict) -> list[tuple[date, Recurrence | None]]:
    """(first day, rule) of each event the item makes: one series, one per season, or a single date."""
    year = today().year
    if "in_days" in item:
        return [(today() + timedelta(days=item["in_days"]), None)]
    if "seasons" in item:
        return [(_day(item["first"], year + season), _rule(item["repeat"], _day(item["until"], year + season)))
                for season in item["seasons"]]
    return [(_day(item["first"], year - SINCE_YEARS), _rule(item["repeat"]))]


def _rule(repeat: dict, until: date | None = None) -> Recurrence:
    return Recurrence(repeat["frequency"], on=repeat.get("repeat_on", "date"), until=until)


def _day(facts: dict, year: int) -> date:
    """The day `facts` names in `year`: a date (month, day) or the nth weekday of a month (January by default)."""
    month = facts.get("month", 1)
    if "day" in facts:
        return date(year, month, facts["day"])
    first = date(year, month, 1)
    ahead = (WEEKDAY_CODES.index(facts["weekday"]) - first.weekday()) % 7
    return first + timedelta(days=ahead + 7 * (facts.get("nth", 1) - 1))


def _draft(item: dict, names: dict[str, dict], first: date, recurrence: Recurrence | None) -> EventDraft:
    if "days" in item:
        starts_at, ends_at = all_day_span(first, first + timedelta(days=item["days"] - 1))
    else:
        starts, ends = (time.fromisoformat(clock) for clock in item["time"])
        starts_at, ends_at = (from_berlin(datetime.combine(first, clock)) for clock in (starts, ends))
    organisations = names["organisation"]
    return EventDraft(
        item["title"], item["kind"], starts_at, ends_at, all_day="days" in item, recurrence=recurrence,
        description=item.get("description", ""), place=item.get("place", ""),
        area=names["area"].get(item.get("area")), organiser=organisations.get(item.get("organiser")),
        partners=tuple(organisations[name] for name in item.get("partners", [])),
        target_groups=tuple(names["target_group"][name] for name in item.get("target_groups", [])),
        group=names["group"].get(item.get("group")), visibility=item.get("visibility", "public"),
        help_needed=item.get("help_needed", ""),
    )


def _cancel(db: Session, actor: Actor, event: Event, facts: dict) -> None:
    """Cancel the series' first date at least `in_days` ahead, with the note subscribers read."""
    start = from_berlin(datetime.combine(today() + timedelta(days=facts["in_days"]), time()))
    found = occurrences(event, start, start + timedelta(days=400))[0]
    change_date(db, actor, event, date.fromisoformat(found.key), found.starts_at, found.ends_at,
                note=facts["note"], cancelled=True)
