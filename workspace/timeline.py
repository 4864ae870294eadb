"""Where a day lies on the milestone plan's timeline, in the user units of an inline SVG.

The CSP forbids style= attributes, so positions are SVG x attributes: 0 … WIDTH across the span.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

WIDTH = 1000


@dataclass(frozen=True)
class Timeline:
    starts_on: date
    ends_on: date

    @classmethod
    def spanning(cls, starts_on: date, ends_on: date, days: Iterable[date]) -> "Timeline":
        """The programme's period, widened to show milestones confirmed outside it."""
        days = [starts_on, ends_on, *days]
        return cls(min(days), max(days))

    def x(self, day: date) -> float:
        span = max((self.ends_on - self.starts_on).days, 1)
        share = (min(max(day, self.starts_on), self.ends_on) - self.starts_on).days / span
        return round(WIDTH * share, 1)

    def diamond(self, x: float) -> str:
        """The points of the marker at `x` on a track 30 units high."""
        return f"{x},3 {x + 8:.1f},15 {x},27 {x - 8:.1f},15"

    def years(self) -> list[tuple[int, float]]:
        """Each 1 January inside the span, with its x: the axis's ticks."""
        return [(year, self.x(date(year, 1, 1))) for year in range(self.starts_on.year + 1, self.ends_on.year + 1)]
