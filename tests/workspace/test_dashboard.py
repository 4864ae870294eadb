"""The start page: the coordinator's dashboard and a member's view of their own groups."""

from datetime import date, timedelta

import pytest

from governance.groups import add_membership, create_group
from governance.models import Milestone, Task
from governance.programmes import add_focus, create_programme
from governance.times import today
from support import count_queries, page, text_of


@pytest.fixture
def world(database, member):
    """A programme with one focus, a working group the member belongs to, milestones in every standing."""
    with database.transaction() as db:
        programme = create_programme(db, "Präventionskette Jena", date(2022, 9, 1), today() + timedelta(days=400))
        focus = add_focus(db, programme, 1, "Wirkungsorientierung")
        group = create_group(db, "Planungsgruppe", "PG", "planning", create_group(db, "Steuerung", "SG", "steering"))
        add_membership(db, group, db.merge(member).person, "member")
        for title, days, status in (("Befragung", -5, "in_progress"), ("Übersicht", 10, "planned"),
                                    ("Konzept", 90, "planned"), ("Kick-off", -300, "done")):
            db.add(Milestone(programme=programme, title=title, due_on=today() + timedelta(days=days),
                             status=status, focus=focus, group=group))
        db.add(Task(title="Fragebogen", group=group, due_on=today() - timedelta(days=2)))


def figures(soup) -> dict[str, str]:
    return {" ".join(a.get_text().split()[1:]): a.select_one(".figure").get_text() for a in soup.select(".figures a")}


def test_coordinator_sees_the_figures_each_linking_to_its_list(as_coordinator, world):
    soup = page(as_coordinator.get("/"))
    assert text_of(soup, ".days-left").startswith("Noch 400 Tage bis zum Programmende am")
    assert figures(soup) == {"Meilensteine überfällig": "1", "Meilensteine gefährdet": "1",
                             "in den nächsten 30 Tagen fällig": "1", "Aufgaben überfällig": "1",
                             "Termine warten auf Freigabe": "0"}
    for link in soup.select(".figures a[href^='#']"):
        target = soup.select_one(link["href"])
        assert target is not None and target.name == "section"
    assert [a.get_text() for a in soup.select("#overdue li a")] == ["Befragung"]
    assert text_of(soup, "#overdue li .standing") == "⚠ überfällig"
    assert [a.get_text() for a in soup.select("#at-risk li a")] == ["Übersicht"]
    assert text_of(soup, "#overdue-tasks li") == "Planungsgruppe: 1"
    assert soup.select_one(".figures a[href='/events/review']") is not None


def test_progress_per_focus_links_to_the_plan(as_coordinator, world):
    row = page(as_coordinator.get("/")).select_one("section[aria-labelledby=focus-heading] tbody tr")
    assert text_of(row, "th") == "1. Wirkungsorientierung"
    assert text_of(row, "td a") == "1 von 4"
    assert row.select_one("td a")["href"].startswith("/milestones?focus=")


def test_due_soon_counts_only_the_current_programme_and_links_to_exactly_those_in_the_plan(
        as_coordinator, world, database):
    with database.transaction() as db:
        programme = db.query(Milestone).first().programme
        other = create_programme(db, "Ein anderes Programm", date(2023, 1, 1), today() + timedelta(days=400))
        db.add(Milestone(programme=other, title="Fremd", due_on=today() + timedelta(days=3), status="planned"))
        for number in range(11):
            db.add(Milestone(programme=programme, title=f"Bald {number:02d}", due_on=today() + timedelta(days=20),
                             status="in_progress"))
        db.add(Milestone(programme=programme, title="Später", due_on=today() + timedelta(days=31), status="planned"))
    soup = page(as_coordinator.get("/"))
    assert figures(soup)["in den nächsten 30 Tagen fällig"] == "12"
    assert "Fremd" not in text_of(soup, "#due-soon")
    link = soup.select_one("#due-soon p a")
    assert (link.get_text(), link["href"]) == ("Alle 12 im Meilensteinplan", "/milestones?status=due_soon")
    plan = page(as_coordinator.get(link["href"] + "&view=table"))
    titles = [a.get_text() for a in plan.select("table.plan-table tbody th[scope=row] a")]
    assert titles == ["Übersicht"] + [f"Bald {number:02d}" for number in range(11)]
    assert plan.select_one("#f-status option[selected]").get_text().strip() == "in den nächsten 30 Tagen fällig"


def test_member_sees_the_open_milestones_of_their_groups(as_member, world):
    soup = page(as_member.get("/"))
    assert [a.get_text() for a in soup.select("section[aria-labelledby=milestones-heading] li a")] == [
        "Befragung", "Übersicht", "Konzept"]
    assert soup.select_one(".figures") is None


def test_dashboard_queries_do_not_grow_with_the_milestones(as_coordinator, world, database):
    few = count_queries(database.engine, lambda: as_coordinator.get("/"))
    with database.transaction() as db:
        programme = db.query(Milestone).first().programme
        for number in range(30):
            db.add(Milestone(programme=programme, title=f"M{number}", due_on=today(), status="planned"))
    assert count_queries(database.engine, lambda: as_coordinator.get("/")) == few
