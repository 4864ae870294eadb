"""Europe/Berlin at the edges: instants are stored in UTC, people enter and read Berlin wall time."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def today() -> date:
    """The date in Berlin now (a UTC date would turn over at 01:00 or 02:00 local time)."""
    return datetime.now(BERLIN).date()


def from_berlin(wall_time: datetime) -> datetime:
    """A naive Berlin wall-clock time as an aware UTC instant."""
    return wall_time.replace(tzinfo=BERLIN).astimezone(timezone.utc)


def in_berlin(instant: datetime) -> datetime:
    return instant.astimezone(BERLIN)
