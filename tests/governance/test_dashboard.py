"""The coordinator's dashboard figures: what is overdue, at risk, due soon, and progress per focus."""

from datetime import date, datetime, timedelta, timezone

import pytest

from governance.dashboard import coordinator_dashboard, indicator_share, member_start_page
from governance.models import Indicator, Milestone, Task
from governance.permissions import actor_for
from governance.programmes import add_focus, create_programme
from networks import add_meeting, person_in

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)


@pytest.fixture
def programme(db):
    programme = create_programme(db, "Präventionskette", date(2022, 9, 1), date(2027, 12, 31))
    add_focus(db, programme, 1, "Wirkungsorientierung")
    add_focus(db, programme, 2, "Abbau von Barrieren")
    return programme


def add_milestone(db, programme, title, due_in_days, status="planned", focus=None, group=None, depends_on=()):
    milestone = Milestone(programme=programme, title=title, due_on=TODAY + timedelta(days=due_in_days),
                          status=status, focus=focus, group=group, depends_on=list(depends_on))
    db.add(milestone)
    db.flush()
    return milestone


def test_days_left_and_milestones_sorted_by_standing(db, programme, groups):
    first, second = programme.focuses
    late = add_milestone(db, programme, "Befragung", -5, "in_progress", first)
    waiting = add_milestone(db, programme, "Auswertung", 60, "in_progress", first, depends_on=[late])
    near = add_milestone(db, programme, "Übersicht veröffentlichen", 10, "planned", second)
    add_milestone(db, programme, "Konzept", 200, "planned", second)
    add_milestone(db, programme, "Kick-off", -400, "done", first)
    board = coordinator_dashboard(db, TODAY, NOW)
    assert board.days_left == (date(2027, 12, 31) - TODAY).days
    assert board.milestones.counts == {"overdue": 1, "at_risk": 2, "due_soon": 1}
    assert board.milestones.lists == {"overdue": [late], "at_risk": [near, waiting], "due_soon": [near]}
    progress = [(p.focus.number, p.done, p.total) for p in board.milestones.by_focus]
    assert progress == [(1, 1, 3), (2, 0, 2)]


def test_indicator_progress_is_the_share_from_baseline_to_target(db, programme):
    milestone = add_milestone(db, programme, "Wer macht was?", 20, focus=programme.focuses[1])
    milestone.indicators = [Indicator(name="erfasste Angebote", baseline=0, target=80, current=51),
                            Indicator(name="übererfüllt", baseline=10, target=20, current=35),
                            Indicator(name="ohne Messung", baseline=0, target=12, current=None)]
    db.flush()
    [progress] = coordinator_dashboard(db, TODAY, NOW).milestones.by_focus
    assert progress.indicator_progress == pytest.approx((51 / 80 + 1.0) / 2)
    assert indicator_share(Indicator(name="x", baseline=10, target=10, current=5)) is None
    assert indicator_share(Indicator(name="x", baseline=0, target=10, current=15)) == 1.0


def test_overdue_tasks_are_counted_per_group(db, programme, groups):
    owner = person_in(db, groups.working, "member", "Mira")
    for due, status in ((-3, "open"), (-1, "in_progress"), (-9, "done"), (4, "open")):
        db.add(Task(title="t", owner=owner, group=groups.working, due_on=TODAY + timedelta(days=due), status=status))
    db.add(Task(title="t", owner=owner, group=groups.planning, due_on=TODAY - timedelta(days=1)))
    db.flush()
    counts = [(group.code, count) for group, count in coordinator_dashboard(db, TODAY, NOW).overdue_tasks]
    assert counts == [(groups.working.code, 2), (groups.planning.code, 1)]


def test_next_meeting_of_each_level(db, programme, groups):
    soon = add_meeting(db, groups.planning, datetime(2026, 12, 1, 9))
    add_meeting(db, groups.planning, datetime(2027, 1, 1, 9))
    add_meeting(db, groups.steering, datetime(2026, 10, 1, 9), status="held")
    levels = dict(coordinator_dashboard(db, TODAY, NOW).next_meetings)
    assert levels == {"steering": None, "planning": soon, "working": None}


def test_the_dashboard_names_ten_of_each_kind_and_counts_them_all(db, programme):
    for number in range(12):
        add_milestone(db, programme, f"M{number:02}", -1 - number)
    overview = coordinator_dashboard(db, TODAY, NOW).milestones
    assert overview.counts["overdue"] == 12
    assert [m.title for m in overview.lists["overdue"]] == [f"M{n:02}" for n in range(11, 1, -1)]


def test_a_member_sees_the_open_milestones_of_their_own_groups(db, programme, groups):
    person = person_in(db, groups.working, "member", "Mira")
    own = add_milestone(db, programme, "Stadtteilfest", 30, group=groups.working)
    add_milestone(db, programme, "Erledigt", -30, "done", group=groups.working)
    add_milestone(db, programme, "Fremd", 30, group=groups.steering)
    start = member_start_page(db, actor_for(db, person, TODAY), TODAY, NOW)
    assert start.milestones == [own]
