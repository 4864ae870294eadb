"""The "Jahreskreis" as an inline SVG: twelve month segments clockwise from the top, a dot per date.

The CSP forbids style= attributes, so every position is an SVG attribute computed here, in user
units of a 400 × 400 viewBox centred on (200, 200).
"""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

CENTRE = 200
OUTER, INNER = 190, 130  # the month ring
LABEL = (OUTER + INNER) / 2
DOT_RINGS = (114, 98, 82, 66)  # dots close to each other step inwards
CLOSE_DEGREES = 6


@dataclass(frozen=True)
class Segment:
    month: int
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    item: object


def point(degrees: float, radius: float) -> tuple[float, float]:
    """Clockwise from 12 o'clock."""
    radians = math.radians(degrees)
    return round(CENTRE + radius * math.sin(radians), 1), round(CENTRE - radius * math.cos(radians), 1)


def angle(day: date) -> float:
    """Where a day lies on the wheel: the middle of the day, as a share of its year."""
    days = 366 if calendar.isleap(day.year) else 365
    return 360 * (day.timetuple().tm_yday - 0.5) / days


def segments(year: int) -> list[Segment]:
    """The twelve months as ring segments, each as long as the month."""
    days = 366 if calendar.isleap(year) else 365
    found, start = [], 0.0
    for month in range(1, 13):
        end = start + 360 * calendar.monthrange(year, month)[1] / days
        (ox0, oy0), (ox1, oy1) = point(start, OUTER), point(end, OUTER)
        (ix1, iy1), (ix0, iy0) = point(end, INNER), point(start, INNER)
        path = (f"M {ox0} {oy0} A {OUTER} {OUTER} 0 0 1 {ox1} {oy1} L {ix1} {iy1} "
                f"A {INNER} {INNER} 0 0 0 {ix0} {iy0} Z")
        found.append(Segment(month, path, *point((start + end) / 2, LABEL)))
        start = end
    return found


def marks(dated: Iterable[tuple[date, object]]) -> list[Mark]:
    """A dot per (day, item); a dot close to earlier ones moves to an inner ring so both stay visible."""
    placed: list[tuple[float, int]] = []
    found = []
    for day, item in sorted(dated, key=lambda pair: pair[0]):
        degrees = angle(day)
        taken = {ring for other, ring in placed if abs(other - degrees) < CLOSE_DEGREES}
        ring = next((ring for ring in range(len(DOT_RINGS)) if ring not in taken), len(DOT_RINGS) - 1)
        placed.append((degrees, ring))
        found.append(Mark(*point(degrees, DOT_RINGS[ring]), item))
    return found


def hand(day: date) -> tuple[float, float]:
    """The end of the line from the centre to `day` (today on this year's wheel)."""
    return point(angle(day), INNER)
