"""How a milestone stands today: overdue, at risk, or as stored."""

from datetime import date

import pytest

from governance.milestone_status import due_before_dependency, standing
from governance.models import Milestone

TODAY = date(2026, 11, 23)


def milestone(due: date, status: str = "planned", depends_on=()) -> Milestone:
    return Milestone(title="M", due_on=due, status=status, depends_on=list(depends_on))


@pytest.mark.parametrize(("due", "status", "expected"), [
    (date(2026, 11, 22), "planned", "overdue"),
    (date(2026, 11, 22), "in_progress", "overdue"),
    (date(2026, 11, 22), "done", "done"),
    (date(2026, 11, 22), "missed", "missed"),
    (date(2026, 12, 7), "planned", "at_risk"),       # due in 14 days, nothing started
    (date(2026, 12, 7), "in_progress", "in_progress"),
    (date(2026, 12, 8), "planned", "planned"),
    (date(2026, 11, 23), "planned", "at_risk"),      # due today is not yet overdue
])
def test_standing_from_dates(due, status, expected):
    assert standing(milestone(due, status), TODAY).state == expected


def test_a_late_dependency_puts_a_milestone_at_risk():
    late = milestone(date(2026, 10, 1), "in_progress")
    missed = milestone(date(2025, 9, 30), "missed")
    fine = milestone(date(2027, 1, 1), "done")
    result = standing(milestone(date(2027, 6, 1), "in_progress", [late, missed, fine]), TODAY)
    assert result.state == "at_risk" and result.late_dependencies == (late, missed)


def test_due_before_a_dependency_is_reported():
    later = milestone(date(2027, 3, 1))
    earlier = milestone(date(2026, 1, 1))
    assert due_before_dependency(milestone(date(2027, 1, 1), depends_on=[later, earlier])) == [later]
