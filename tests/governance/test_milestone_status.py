"""How a milestone stands today: overdue, at risk, or as stored."""

from datetime import date, timedelta

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


STATES = ("planned", "in_progress", "done", "missed", "overdue", "at_risk")


def test_the_sql_conditions_say_what_the_python_rules_say(db):
    """Every combination of status, due date and a dependency's lateness, in Python and in SQL."""
    from itertools import product

    from sqlalchemy import select

    from governance.models import Programme
    from governance.milestone_status import standing_condition

    programme = Programme(name="P", starts_on=date(2020, 1, 1), ends_on=date(2030, 1, 1))
    made = []
    for status, days, dependency in product(("planned", "in_progress", "done", "missed"), (-3, 0, 10, 60),
                                            (None, "late", "missed", "fine")):
        depends_on = []
        if dependency:
            due = TODAY.replace(year=2020) if dependency == "late" else TODAY.replace(year=2030)
            depends_on = [Milestone(programme=programme, title="d", due_on=due,
                                    status="missed" if dependency == "missed" else "planned")]
        made.append(Milestone(programme=programme, title=f"{status}{days}{dependency}", status=status,
                              due_on=TODAY + timedelta(days=days), depends_on=depends_on))
    db.add_all(made)
    db.flush()
    every = list(db.scalars(select(Milestone)))
    for state in STATES:
        in_sql = set(db.scalars(select(Milestone.id).where(standing_condition(state, TODAY))))
        in_python = {m.id for m in every if standing(m, TODAY).state == state}
        assert in_sql == in_python, state
