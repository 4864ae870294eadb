"""Recurring events: a rule from plain fields, expanded by dateutil in Berlin wall time.

A weekly lunch at 12:00 stays at 12:00 across daylight saving because the rule runs over naive
Berlin times and each date is turned into an instant on its own. Monthly and yearly series repeat
either on the same day ("every 11 November") or on the same weekday of the month ("the second
Saturday in June"), both taken from the first date, so a rule always matches its first date.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil import rrule

from governance.errors import N_, DomainError
from governance.times import from_berlin, in_berlin

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_COUNT = 1000
MAX_YEARS = 30
_FREQUENCIES = {"weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY, "yearly": rrule.YEARLY}


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # weekly, monthly, yearly
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # weekly: 0 = Monday … 6 = Sunday
    on: str = "date"  # monthly and yearly: "date" or "weekday"
    until: date | None = None
    count: int | None = None

    @classmethod
    def of(cls, event) -> "Recurrence | None":
        if event.frequency is None:
            return None
        weekdays = tuple(WEEKDAY_CODES.index(code) for code in event.weekdays.split(",") if code)
        return cls(event.frequency, event.repeat_interval, weekdays, event.repeat_on,
                   event.repeat_until, event.repeat_count)


def wall_time(instant: datetime) -> datetime:
    """An instant as naive Berlin wall time, the clock the rules run on."""
    return in_berlin(instant).replace(tzinfo=None)


def weekday_position(day: date) -> int:
    """Which of its weekdays in the month `day` is: 1 … 4, or -1 for the last one (the 29th to 31st)."""
    position = (day.day - 1) // 7 + 1
    return -1 if position == 5 else position


def check(recurrence: Recurrence, first: date) -> None:
    """Refuse rules that make no sense; raise DomainError naming the field."""
    if recurrence.frequency not in _FREQUENCIES:
        raise DomainError("frequency", N_("Bitte eine Wiederholung auswählen."))
    if not 1 <= recurrence.interval <= 99:
        raise DomainError("repeat_interval", N_("Der Abstand muss zwischen 1 und 99 liegen."))
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_COUNT:
        raise DomainError("repeat_count", N_("Die Anzahl der Termine muss zwischen 1 und %(max)s liegen."),
                          max=MAX_COUNT)
    if recurrence.until is not None:
        if recurrence.until < first:
            raise DomainError("repeat_until", N_("Das Ende der Wiederholung liegt vor dem ersten Termin."))
        if recurrence.until.year > first.year + MAX_YEARS:
            raise DomainError("repeat_until", N_("Eine Wiederholung reicht höchstens %(years)s Jahre weit."),
                              years=MAX_YEARS)


def normalised(recurrence: Recurrence, first: date) -> Recurrence:
    """A weekly rule always includes the first date's weekday; at most one of until and count."""
    weekdays = recurrence.weekdays
    if recurrence.frequency == "weekly":
        weekdays = tuple(sorted(set(weekdays) | {first.weekday()}))
    else:
        weekdays = ()
    count = recurrence.count if recurrence.until is None else None
    return Recurrence(recurrence.frequency, recurrence.interval, weekdays, recurrence.on, recurrence.until, count)


def rule(recurrence: Recurrence, start: datetime) -> rrule.rrule:
    """The dateutil rule over naive Berlin wall times, starting at `start` (naive, Berlin)."""
    options: dict = {"dtstart": start, "interval": recurrence.interval}
    if recurrence.frequency == "weekly":
        options["byweekday"] = recurrence.weekdays or (start.weekday(),)
    elif recurrence.on == "weekday":
        options["byweekday"] = rrule.weekday(start.weekday(), weekday_position(start.date()))
        if recurrence.frequency == "yearly":
            options["bymonth"] = start.month
    if recurrence.until is not None:
        options["until"] = datetime.combine(recurrence.until, time(23, 59, 59))
    if recurrence.count is not None:
        options["count"] = recurrence.count
    return rrule.rrule(_FREQUENCIES[recurrence.frequency], **options)


def ical_rule(recurrence: Recurrence, start: datetime, all_day: bool) -> dict:
    """The same rule as RRULE parts (UNTIL in UTC for timed events, a date for all-day ones)."""
    parts: dict = {"FREQ": recurrence.frequency.upper()}
    if recurrence.interval != 1:
        parts["INTERVAL"] = recurrence.interval
    if recurrence.frequency == "weekly":
        parts["BYDAY"] = [WEEKDAY_CODES[day] for day in recurrence.weekdays or (start.weekday(),)]
    elif recurrence.on == "weekday":
        parts["BYDAY"] = [f"{weekday_position(start.date()):+d}{WEEKDAY_CODES[start.weekday()]}"]
        if recurrence.frequency == "yearly":
            parts["BYMONTH"] = start.month
    if recurrence.until is not None:
        parts["UNTIL"] = recurrence.until if all_day else from_berlin(
            datetime.combine(recurrence.until, time(23, 59, 59)))
    if recurrence.count is not None:
        parts["COUNT"] = recurrence.count
    return parts


def last_start(recurrence: Recurrence, start: datetime) -> datetime | None:
    """The start of the series' last date (naive, Berlin), None for a series without end.

    Raises DomainError when the rule yields no date at all.
    """
    dates = rule(recurrence, start)
    if dates.after(start, inc=True) is None:
        raise DomainError("frequency", N_("Diese Wiederholung ergibt keinen einzigen Termin."))
    if recurrence.until is None and recurrence.count is None:
        return None
    return dates[-1]


def starts_between(recurrence: Recurrence, start: datetime, after: datetime, before: datetime) -> list[datetime]:
    """Naive Berlin starts of the series within [after, before] (both naive, Berlin)."""
    return rule(recurrence, start).between(after, before, inc=True)

