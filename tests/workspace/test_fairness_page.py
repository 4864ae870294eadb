"""The coordinator's fairness view as they use it: figures, Lorenz curve and table for a period, shifts still
short of people, volunteers nobody reached for long, the CSV export, the dashboard's headline, access."""

import csv
import io
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

import pytest

from calendar_world import at, make_event
from calendars.fairness import PAGE_SIZE, last_twelve_months
from calendars.models import Event, Shift, Signup, Volunteer
from calendars.volunteers import forget_person
from governance.models import Person
from governance.people import create_person
from governance.times import from_berlin, today
from support import as_person, count_queries, field_error, page, text_of

PERIOD = "from=2026-01-01&to=2026-06-30"
DAY = "2026-03-14 10:00"


@pytest.fixture
def fest(database, coordinator) -> int:
    with database.transaction() as db:
        return make_event(db, db.merge(coordinator.person), "Stadtteilfest", "2026-03-14 10:00", "2026-03-14 18:00").id


@pytest.fixture
def give(database, fest):
    """give("Name", 600, 120, day=…): a new person with a confirmed shift of each many minutes; their id."""

    def make(name: str, *minutes: int, day: str = DAY) -> int:
        with database.transaction() as db:
            person = create_person(db, name)
            for length in minutes:
                shift = new_shift(db, fest, at(day), length)
                db.add(Signup(shift=shift, person=person, state="taken", slot=1, attended=True, minutes=length))
            db.flush()
            return person.id

    return make


def new_shift(db, event_id: int, starts: datetime, minutes: int = 120, places: int = 1, task: str = "Aufbau") -> Shift:
    shift = Shift(event_id=event_id, occurrence_start=starts, task=task, task_kind="setup", starts_at=starts,
                  ends_at=starts + timedelta(minutes=minutes), places=places)
    db.add(shift)
    db.flush()
    return shift


@pytest.fixture
def skewed(give):
    """Ten volunteers, two of them carry 80 % of the 100 hours."""
    for number in (1, 2):
        give(f"Viel {number:02d}", 600, 600, 600, 600)
    for number in range(1, 9):
        give(f"Wenig {number:02d}", 150)


def cells(row) -> list[str]:
    return [" ".join(cell.get_text().split()) for cell in row.select("th, td")]


# The figures, the chart and the table ------------------------------------------------------------

def test_coordinator_sees_that_two_of_ten_carry_eighty_percent(as_coordinator, skewed):
    soup = page(as_coordinator.get(f"/fairness?{PERIOD}"))

    assert text_of(soup, "h1") == "Verteilung der Helferstunden"
    assert text_of(soup, ".fairness-headline") == "80 % der Stunden tragen 20 % der Helfenden."
    assert [text_of(soup, f"#fairness-{name}") for name in ("volunteers", "hours")] == ["10", "100"]
    assert text_of(soup, "#fairness-gini").startswith("0,6 ")
    rows = soup.select(".fairness-table tbody tr")
    assert [cells(row) for row in rows[:3]] == [["1", "Viel 01", "40", "4"], ["2", "Viel 02", "40", "4"],
                                                ["3", "Wenig 01", "2,5", "1"]]
    assert len(rows) == 10


def test_the_chart_is_an_svg_image_with_title_description_and_no_inline_styles(as_coordinator, skewed):
    soup = page(as_coordinator.get(f"/fairness?{PERIOD}"))

    svg = soup.select_one("svg[role=img]")
    assert svg["aria-labelledby"] == "lorenz-title lorenz-desc"
    assert svg.select_one("#lorenz-title").get_text() == "Lorenzkurve der Helferstunden"
    description = svg.select_one("#lorenz-desc").get_text()
    assert "80 % der Stunden tragen 20 % der Helfenden; Gini-Koeffizient 0,6." in description
    points = svg.select_one(".lorenz__curve")["points"].split()
    assert (len(points), points[0], points[-1]) == (11, "40.0,200.0", "300.0,10.0")
    assert soup.select("[style]") == [] and soup.select("script:not([src])") == []


def test_the_period_defaults_to_the_last_twelve_months(as_coordinator, give):
    give("Neu dabei", 90, day=f"{today() - timedelta(days=10)} 10:00")
    give("Vor langer Zeit", 90, day=f"{today() - timedelta(days=400)} 10:00")

    soup = page(as_coordinator.get("/fairness"))

    first, last = last_twelve_months(today())
    assert (soup.select_one("#f-from")["value"], soup.select_one("#f-to")["value"]) == (first.isoformat(),
                                                                                      last.isoformat())
    assert [cells(row)[1] for row in soup.select(".fairness-table tbody tr")] == ["Neu dabei"]


@pytest.mark.parametrize("query, field, message", [
    ("from=2026-02-30&to=2026-03-31", "from", "Bitte geben Sie ein gültiges Datum an."),
    ("from=2026-03-01&to=", "to", "Bitte geben Sie das Ende des Zeitraums an."),
    ("from=14.03.2026&to=2026-03-31", "from", "Bitte geben Sie ein gültiges Datum an."),
    ("from=2026-03-01&to=2026-02-01", "to", "Das Ende des Zeitraums liegt vor seinem Anfang."),
])
def test_a_bad_period_is_refused_next_to_its_field_and_kept(as_coordinator, query, field, message):
    for path in ("/fairness", "/fairness.csv"):
        response = as_coordinator.get(f"{path}?{query}")
        assert response.status_code == 422, path
        soup = page(response)
        assert field_error(soup, field) == message
        assert soup.select_one("#f-from")["value"] == dict(parse_qsl(query, keep_blank_values=True))["from"]
        assert soup.select_one(".fairness-figures") is None


def test_without_confirmed_hours_the_page_says_so(as_coordinator, fest):
    soup = page(as_coordinator.get(f"/fairness?{PERIOD}"))
    assert text_of(soup, ".fairness-headline") == "Im Zeitraum sind keine Stunden bestätigt."
    assert soup.select_one("svg") is None and soup.select_one(".fairness-table") is None


def test_a_forgotten_volunteer_still_counts_without_a_name(as_coordinator, give, database):
    gone = give("Greta Geht", 240)
    give("Bleibt Da", 60)
    with database.transaction() as db:
        forget_person(db, db.get(Person, gone))

    soup = page(as_coordinator.get(f"/fairness?{PERIOD}"))

    assert [cells(row)[1:3] for row in soup.select(".fairness-table tbody tr")] == [["Gelöschte Person", "4"],
                                                                                  ["Bleibt Da", "1"]]
    assert "Greta" not in as_coordinator.get(f"/fairness.csv?{PERIOD}").text


def test_the_table_pages_through_everyone_the_figures_count_all(as_coordinator, give, database):
    for number in range(PAGE_SIZE + 10):
        give(f"Person {number:03d}", 60 + number)

    soup = page(as_coordinator.get(f"/fairness?{PERIOD}&page=2"))

    assert text_of(soup, "#fairness-volunteers") == str(PAGE_SIZE + 10)
    assert [cells(row)[0] for row in soup.select(".fairness-table tbody tr")] == [
        str(rank) for rank in range(PAGE_SIZE + 1, PAGE_SIZE + 11)]
    previous = soup.select_one(".pager a[rel=prev]")["href"]
    assert dict(parse_qsl(previous.split("?")[1])) == {"from": "2026-01-01", "to": "2026-06-30", "page": "1"}


def test_queries_do_not_grow_with_the_volunteers(as_coordinator, give, database, fest):
    for number in range(3):
        give(f"Früh {number}", 60)
    few = count_queries(database.engine, lambda: as_coordinator.get(f"/fairness?{PERIOD}"))
    with database.transaction() as db:
        volunteers = [create_person(db, f"Später {number}") for number in range(PAGE_SIZE + 20)]
        shift = new_shift(db, fest, at(DAY), 60, places=PAGE_SIZE + 20)
        for slot, person in enumerate(volunteers, start=1):
            db.add(Signup(shift=shift, person=person, state="taken", slot=slot, attended=True, minutes=60))
            db.add(Volunteer(person=person))
    assert count_queries(database.engine, lambda: as_coordinator.get(f"/fairness?{PERIOD}")) == few


# What needs doing --------------------------------------------------------------------------------

def test_shifts_short_of_people_soon_link_to_their_pages(as_coordinator, database, fest):
    soon = from_berlin(datetime.combine(today() + timedelta(days=3), datetime.min.time()).replace(hour=15))
    with database.transaction() as db:
        event = db.get(Event, fest)  # the fest is on that day: a shift belongs to one of its event's dates
        event.starts_at, event.ends_at = soon - timedelta(hours=5), soon + timedelta(hours=3)
        short = new_shift(db, fest, soon, places=3, task="Kuchenstand")
        new_shift(db, fest, soon + timedelta(days=40), task="Zu spät")
        short_id = short.id

    soup = page(as_coordinator.get("/fairness"))

    section = soup.select_one("#short-shifts")
    assert text_of(section, ".fairness-count") == "1 Schicht"
    link = section.select_one("li a")
    assert (link.get_text(), link["href"]) == ("Stadtteilfest: Kuchenstand", f"/shifts/{short_id}")
    assert text_of(section, "li .meta").endswith("noch 3 Plätze frei")


def test_volunteers_nobody_reached_for_half_a_year_are_named(as_coordinator, database):
    with database.transaction() as db:
        for name, active in (("Nie Dabei", None), ("Kürzlich Aktiv", today() - timedelta(days=20))):
            person = create_person(db, name)
            stamp = from_berlin(datetime.combine(active, datetime.min.time())) if active else None
            db.add(Volunteer(person=person, last_active_at=stamp))

    section = page(as_coordinator.get("/fairness")).select_one("#idle-volunteers")

    assert text_of(section, "h2") == "Lange nicht angefragt und nicht aktiv (1)"
    assert [cells(row) for row in section.select("tbody tr")] == [["Nie Dabei", "nie", "nie"]]


# The CSV export ----------------------------------------------------------------------------------

def test_the_csv_lists_hours_per_volunteer_for_a_german_spreadsheet(as_coordinator, give):
    give("Viel Beschäftigt", 600, 150)
    give("=HYPERLINK(\"http://x\")", 90)

    response = as_coordinator.get(f"/fairness.csv?{PERIOD}")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="helferstunden-2026-01-01-bis-2026-06-30.csv"')
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Rang", "Name", "Stunden", "Schichten"], ["1", "Viel Beschäftigt", "12,5", "2"],
                    ["2", "'=HYPERLINK(\"http://x\")", "1,5", "1"]]


def test_the_page_links_the_csv_of_the_same_period(as_coordinator, skewed):
    link = page(as_coordinator.get(f"/fairness?{PERIOD}")).select_one("a[download]")
    assert link["href"] == f"/fairness.csv?{PERIOD}"


# The dashboard -----------------------------------------------------------------------------------

def test_the_dashboard_shows_the_headline_of_the_last_twelve_months(as_coordinator, give):
    for name, minutes in (("Anna", 480), ("Ben", 60), ("Cem", 60), ("Dana", 60), ("Eli", 60)):
        give(name, minutes, day=f"{today() - timedelta(days=30)} 10:00")

    section = page(as_coordinator.get("/")).select_one("#fairness-headline")

    link = section.select_one(".fairness-headline a")
    assert (link.get_text(), link["href"]) == ("67 % der Stunden tragen 20 % der Helfenden", "/fairness")
    assert text_of(section, ".meta") == "Letzte 12 Monate: 12 bestätigte Stunden von 5 Helfenden"


def test_the_dashboard_says_when_no_hours_are_confirmed(as_coordinator):
    section = page(as_coordinator.get("/")).select_one("#fairness-headline")
    assert re.sub(r"\s+", " ", section.select_one("a").get_text()) == (
        "In den letzten 12 Monaten sind keine Helferstunden bestätigt.")


# Who may see it: coordinator / member / volunteer / anonymous -------------------------------------

ROLES = {"coordinator": "koordination@example.org", "member": "mitglied@example.org",
         "volunteer": "ehrenamt@example.org", "anonymous": None}
RULES = [  # method, path, (coordinator, member, volunteer, anonymous)
    ("GET", "/fairness", (200, 403, 403, 303)),
    ("GET", "/fairness.csv", (200, 403, 403, 303)),
]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_sees_the_fairness_view(client, role, coordinator, member, make_account):
    make_account("ehrenamt@example.org", "Eva Ehrenamt", kind="volunteer")
    if ROLES[role]:
        as_person(client, ROLES[role])
    index = list(ROLES).index(role)
    for method, path, expected in RULES:
        response = client.request(method, path)
        assert response.status_code == expected[index], (role, path)
        if expected[index] == 303:
            assert response.headers["location"] == f"/login?next={path}"


def test_others_never_see_the_figures(client, member, skewed):
    as_person(client, "mitglied@example.org")
    response = client.get(f"/fairness?{PERIOD}")
    assert response.status_code == 403 and "Viel 01" not in response.text
