"""The public calendar pages as visitors use them: upcoming dates, month, Jahreskreis, filters kept in
every link, what members see in addition, and the members' page "Wen erreichen wir?"."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from calendar_world import make_all_day, make_event
from calendars.events import change_date, find_event, review_event
from calendars.recurrence import Recurrence
from governance.models import Area, Organisation, TargetGroup
from governance.organisations import create_area, create_organisation, create_target_group
from governance.permissions import Actor
from governance.times import today
from networks import add_meeting, days_from_now, network_with
from support import as_person, berlin, count_queries, field_error, page, text_of


def wall(days: int, hour: int) -> str:
    """A Berlin wall time `days` from today, as make_event takes it."""
    return days_from_now(days, hour).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def world(database, coordinator):
    """Areas, target groups and organisers of the district, and a way to enter approved events."""
    with database.transaction() as db:
        for name in ("Jena-Nord", "Löbstedt", "Zwätzen"):
            create_area(db, name)
        for name in ("Jugendliche", "Senior*innen"):
            create_target_group(db, name)
        create_organisation(db, "Stadtteilbüro Nord", "association")
        create_organisation(db, "Kita Sonnenschein", "daycare")

    def enter(title: str, starts: str, ends: str, by=coordinator, area: str | None = None,
              target_groups: tuple[str, ...] = (), organiser: str | None = None, **fields):
        with database.transaction() as db:
            event = make_event(db, db.merge(by.person), title, starts, ends, area=named(db, Area, area),
                               organiser=named(db, Organisation, organiser),
                               target_groups=tuple(named(db, TargetGroup, name) for name in target_groups), **fields)
            return event.slug

    return enter


def named(db, model, name: str | None):
    return db.scalar(select(model).where(model.name == name)) if name else None


def titles(soup) -> list[str]:
    return [" ".join(a.get_text().split()) for a in soup.select("#calendar_results .calendar-entry__title a")]


def query_of(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


# Who may see what: anonymous / member / coordinator ---------------------------------------------------

ROLES = {"anonymous": None, "member": "mitglied@example.org", "coordinator": "koordination@example.org"}
RULES = [  # method, path, (anonymous, member, coordinator)
    ("GET", "/calendar", (200, 200, 200)),
    ("GET", "/calendar/month", (200, 200, 200)),
    ("GET", "/calendar/year", (200, 200, 200)),
    ("GET", "/calendar/reach", (303, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_calendar_pages(client, role, member, coordinator):
    if ROLES[role]:
        as_person(client, ROLES[role])
    index = list(ROLES).index(role)
    for method, path, expected in RULES:
        assert client.request(method, path).status_code == expected[index], (role, path)


# The list of upcoming dates ----------------------------------------------------------------------------

def test_the_public_sees_approved_public_dates_by_day_with_time_kind_place_and_organiser(client, world, member):
    slug = world("Erzählcafé", wall(2, 15), wall(2, 17), area="Löbstedt", organiser="Stadtteilbüro Nord",
                 place="Stadtteilzentrum", kind="offer")
    world("Fachtag (intern)", wall(2, 9), wall(2, 12), visibility="internal")
    world("Noch nicht freigegeben", wall(3, 9), wall(3, 12), by=member)

    soup = page(client.get("/calendar"))

    assert text_of(soup, "h1") == "Stadtteilkalender"
    assert titles(soup) == ["Erzählcafé"]
    day = today() + timedelta(days=2)
    assert soup.select_one("#calendar_results h3 time")["datetime"] == day.isoformat()
    entry = soup.select_one("#calendar_results .calendar-entry")
    assert text_of(entry, ".calendar-entry__time") == "15:00–17:00"
    assert text_of(entry, ".calendar-entry__kind") == "Angebot"
    assert [text_of(entry, f".calendar-entry__{part}") for part in ("place", "area", "organiser")] == [
        "Stadtteilzentrum", "Löbstedt", "von Stadtteilbüro Nord"]
    assert entry.select_one("a")["href"] == f"/events/{slug}"


def test_the_list_sends_as_many_queries_for_three_events_as_for_one(client, world, database):
    def queries() -> int:
        return count_queries(database.engine, lambda: client.get("/calendar?area=loebstedt"))

    world("Eins", wall(2, 10), wall(2, 11), area="Löbstedt", organiser="Stadtteilbüro Nord",
          target_groups=("Jugendliche",))
    one = queries()
    world("Zwei", wall(3, 10), wall(3, 11), area="Löbstedt", organiser="Kita Sonnenschein",
          recurrence=Recurrence("weekly"))
    world("Drei", wall(4, 10), wall(4, 11), area="Löbstedt", target_groups=("Senior*innen",))
    assert queries() == one == 10


def test_all_day_series_and_marks_are_shown_in_words(client, world, coordinator, database):
    world("Mittagstisch", wall(1, 12), wall(1, 13), recurrence=Recurrence("weekly"), kind="offer")
    world("Vielleicht Flohmarkt", wall(4, 10), wall(4, 14), status="tentative")
    world("Fällt aus", wall(5, 10), wall(5, 14), status="cancelled")
    choir = world("Chorprobe", wall(8, 19), wall(8, 20), recurrence=Recurrence("weekly", count=2))
    with database.transaction() as db:
        make_all_day(db, db.merge(coordinator.person), "Stadtteilfest", today() + timedelta(days=6),
                     today() + timedelta(days=7))
        change_date(db, Actor(db.merge(coordinator.person)), find_event(db, choir), today() + timedelta(days=8),
                    berlin(wall(9, 19)), berlin(wall(9, 20)))

    soup = page(client.get("/calendar"))

    lunch = soup.select("#calendar_results .calendar-entry")[0]
    first = today() + timedelta(days=1)
    assert lunch.select_one("a")["href"].endswith(f"?date={first.isoformat()}")
    assert titles(soup).count("Mittagstisch") == 9  # every week in the next 60 days
    marks = {title: [m.get_text() for m in entry.select(".calendar-mark")]
             for title, entry in zip(titles(soup), soup.select("#calendar_results .calendar-entry"))}
    assert marks["Vielleicht Flohmarkt"] == ["unter Vorbehalt"] and marks["Fällt aus"] == ["abgesagt"]
    moved = soup.select_one(f"#day-{(today() + timedelta(days=9)).isoformat()}").find_parent("section")
    assert [m.get_text() for m in moved.select(".calendar-mark")] == ["verschoben"]
    assert moved.select_one("a")["href"].endswith(f"?date={(today() + timedelta(days=8)).isoformat()}")
    fest = [entry for entry in soup.select(".calendar-entry") if "Stadtteilfest" in entry.get_text()]
    assert len(fest) == 1  # listed once, on its first day
    assert text_of(fest[0], ".calendar-entry__time").startswith("ganztägig (")


def test_filters_combine_and_stay_in_every_link(client, world):
    world("Laternenumzug", wall(3, 17), wall(3, 19), area="Löbstedt", kind="festival", organiser="Kita Sonnenschein")
    world("Spieletreff", wall(3, 15), wall(3, 16), area="Zwätzen", kind="offer")
    world("Sommerfest Nord", wall(4, 14), wall(4, 18), area="Jena-Nord", kind="festival")

    wider = page(client.get("/calendar?area=loebstedt&area=zwaetzen"))
    assert titles(wider) == ["Spieletreff", "Laternenumzug"]
    narrower = page(client.get("/calendar?area=loebstedt&area=zwaetzen&kind=festival"))
    assert titles(narrower) == ["Laternenumzug"]

    checked = [(box["name"], box["value"]) for box in narrower.select(".calendar-filters input[checked]")]
    assert checked == [("area", "loebstedt"), ("area", "zwaetzen"), ("kind", "festival")]
    legends = [legend.get_text() for legend in narrower.select(".calendar-filters fieldset legend")]
    assert legends == ["Ortsteil", "Zielgruppe", "Art", "Veranstalter"]
    organisers = [label.get_text() for label in narrower.select("fieldset:last-child label")]
    assert organisers == ["Kita Sonnenschein"]  # only organisers with an approved event are offered
    links = [a["href"] for a in narrower.select("#calendar_results .sub-nav a, #calendar_results .pager a")]
    assert len(links) == 5
    for href in links:
        assert [pair for pair in query_of(href) if pair[0] in ("area", "kind")] == [
            ("area", "loebstedt"), ("area", "zwaetzen"), ("kind", "festival")], href
    assert text_of(narrower, ".calendar-filters a") == "Filter zurücksetzen"
    assert narrower.select_one(".calendar-filters a")["href"] == "/calendar"


def test_a_month_link_keeps_the_filters_into_the_next_month(client, world):
    soup = page(client.get("/calendar/month?month=2026-11&target_group=jugendliche&organiser=kita-sonnenschein"))
    following = soup.select_one("#calendar_results .pager a[rel=next]")
    assert following.get_text() == "Dezember 2026 →"
    assert query_of(following["href"]) == [("month", "2026-12"), ("target_group", "jugendliche"),
                                           ("organiser", "kita-sonnenschein")]
    year = soup.select_one(".sub-nav a[href^='/calendar/year']")
    assert query_of(year["href"]) == [("target_group", "jugendliche"), ("organiser", "kita-sonnenschein")]


def test_the_subscribe_box_carries_the_filters_in_the_feed_url(client_with, world):
    client = client_with("https://werkstadt.example")
    soup = page(client.get("/calendar?kind=festival&area=loebstedt"))
    box = soup.select_one("#calendar_results .subscribe")
    assert box.select_one("a.button")["href"] == "webcal://werkstadt.example/calendar.ics?area=loebstedt&kind=festival"
    assert box.select_one("input")["value"] == "https://werkstadt.example/calendar.ics?area=loebstedt&kind=festival"
    plain = page(client.get("/calendar"))
    assert plain.select_one(".subscribe input")["value"] == "https://werkstadt.example/calendar.ics"


def test_the_filter_form_asks_htmx_for_the_results_only(client, world):
    world("Laternenumzug", wall(3, 17), wall(3, 19), area="Löbstedt", kind="festival")
    form = page(client.get("/calendar")).select_one("form.calendar-filters")
    assert (form["method"], form["hx-get"], form["hx-target"], form["hx-push-url"]) == (
        "get", "/calendar", "#calendar_results", "true")
    response = client.get("/calendar?area=loebstedt", headers={"HX-Request": "true"})
    soup = page(response)
    assert soup.select_one("div")["id"] == "calendar_results"
    assert soup.select_one("h1, header, form.calendar-filters") is None
    assert titles(soup) == ["Laternenumzug"]
    restored = page(client.get("/calendar?area=loebstedt",
                               headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}))
    assert text_of(restored, "h1") == "Stadtteilkalender"


def test_an_unknown_filter_is_refused_with_a_message_near_the_filters(client, world):
    for path in ("/calendar", "/calendar/month", "/calendar/year"):
        response = client.get(path + "?area=loebstedt&area=atlantis")
        assert response.status_code == 400, path
        soup = page(response)
        assert text_of(soup, ".calendar-filters #filter-problem") == (
            "Den Filterwert „atlantis“ gibt es nicht. Bitte wählen Sie die Filter aus der Liste.")
        assert soup.select_one("#f-area-loebstedt").has_attr("checked")
        assert all(query_of(a["href"]) in ([], [("area", "loebstedt")]) for a in soup.select(".sub-nav a"))
    assert client.get("/calendar?kind=<b>").status_code == 400


BAD_MONTH = "Diesen Monat gibt es nicht. Bitte geben Sie ihn als JJJJ-MM an, z. B. 2026-11."
BAD_YEAR = "Dieses Jahr gibt es nicht. Bitte geben Sie es vierstellig an, z. B. 2026."
BAD_DAY = "Dieses Datum gibt es nicht. Bitte geben Sie es als JJJJ-MM-TT an, z. B. 2026-11-23."


@pytest.mark.parametrize("path, message", [
    ("/calendar/month?month=2026-13", BAD_MONTH),
    ("/calendar/month?month=November", BAD_MONTH),
    ("/calendar/year?year=20261", BAD_YEAR),
    ("/calendar/year?year=0999", BAD_YEAR),
    ("/calendar?from=2026-02-30", BAD_DAY),
])
def test_a_bad_month_year_or_date_is_a_400_page_with_a_message(client, path, message):
    response = client.get(path)
    assert response.status_code == 400
    assert text_of(page(response), "#filter-problem") == message


@pytest.mark.parametrize("path, message", [
    ("/calendar?from=0000-01-01", BAD_DAY), ("/calendar?from=9999-12-29", BAD_DAY), ("/calendar?from=1899-12-31", BAD_DAY),
    ("/calendar/month?month=0000-01", BAD_MONTH), ("/calendar/month?month=9999-12", BAD_MONTH),
    ("/calendar/year?year=0000", BAD_YEAR), ("/calendar/year?year=9999", BAD_YEAR), ("/calendar/year?year=2200", BAD_YEAR),
])
def test_dates_beyond_plausible_years_are_refused_at_once(client, world, path, message):
    world("Mittagstisch", "2026-01-07 12:00", "2026-01-07 13:00", recurrence=Recurrence("weekly"), kind="festival")
    response = client.get(path)
    assert response.status_code == 400
    assert text_of(page(response), "#filter-problem") == message


def test_the_last_plausible_year_still_answers(client, world):
    world("Mittagstisch", "2026-01-07 12:00", "2026-01-07 13:00", recurrence=Recurrence("weekly"))
    assert titles(page(client.get("/calendar?from=2199-12-01")))[:1] == ["Mittagstisch"]
    assert client.get("/calendar/month?month=2199-12").status_code == 200
    assert client.get("/calendar/year?year=1900").status_code == 200


@pytest.mark.parametrize("query", ["from=0000-01-01&to=2026-12-31", "from=2026-01-01&to=9999-12-29"])
def test_reach_refuses_implausible_years_next_to_the_field(as_member, query):
    response = as_member.get(f"/calendar/reach?{query}")
    assert response.status_code == 422
    field = "from" if query.startswith("from=0") else "to"
    assert field_error(page(response), field) == "Bitte geben Sie ein gültiges Datum an."


def test_pages_and_feed_read_filters_by_one_rule(client, world):
    """An empty value chooses nothing and a repeated one counts once, on the pages as in the feed."""
    world("Laternenumzug", wall(3, 17), wall(3, 19), area="Löbstedt", kind="festival")
    world("Spieletreff", wall(3, 15), wall(3, 16), area="Zwätzen", kind="offer")
    for query, shown in [("area=", ["Spieletreff", "Laternenumzug"]), ("area=&kind=", ["Spieletreff", "Laternenumzug"]),
                         ("area=&area=loebstedt&area=loebstedt", ["Laternenumzug"])]:
        assert titles(page(client.get(f"/calendar?{query}"))) == shown, query
        feed = client.get(f"/calendar.ics?{query}")
        assert feed.status_code == 200, query
        assert sorted(re.findall(r"SUMMARY:(.*)\r", feed.text)) == sorted(shown), query


def test_pages_and_feed_read_at_most_a_hundred_values_of_a_filter(client, world, database):
    with database.transaction() as db:
        for number in range(97):
            create_area(db, f"Ort {number}")
    known = ["loebstedt", "zwaetzen", "jena-nord", *(f"ort-{number}" for number in range(97))]
    read = "&".join(f"area={slug}" for slug in [*known, "loebstedt", "atlantis"])  # the 101st value is not read
    unread = "&".join(f"area={slug}" for slug in ["atlantis", *known])
    for path in ("/calendar", "/calendar.ics"):
        assert (client.get(f"{path}?{read}").status_code, client.get(f"{path}?{unread}").status_code) == (200, 400), path


def test_html_in_titles_is_shown_as_text(client, world):
    world("<script>alert('x')</script> & <b>Fest</b>", wall(2, 10), wall(2, 11), kind="festival")
    response = client.get("/calendar")
    assert titles(page(response)) == ["<script>alert('x')</script> & <b>Fest</b>"]
    assert "<script>alert" not in response.text and "<b>Fest" not in response.text


# What members see in addition ---------------------------------------------------------------------------

def test_a_member_sees_internal_events_and_their_groups_meetings_but_no_others(client, world, database, member,
                                                                             coordinator, other_client):
    groups = network_with(database, ((member, "planning", "member"),))
    with database.transaction() as db:
        ours = add_meeting(db, db.merge(groups.planning), days_from_now(2, 10), title="Kernteam")
        add_meeting(db, db.merge(groups.working), days_from_now(2, 14), title="Nord für Nord")
    world("Fachtag (intern)", wall(2, 9), wall(2, 12), visibility="internal")
    world("Erzählcafé", wall(2, 15), wall(2, 17))

    public = page(client.get("/calendar"))
    assert titles(public) == ["Erzählcafé"]
    as_person(client, "mitglied@example.org")
    for path in ("/calendar", f"/calendar/month?month={(today() + timedelta(days=2)).strftime('%Y-%m')}"):
        soup = page(client.get(path))
        assert titles(soup) == ["Fachtag (intern)", "Kernteam", "Erzählcafé"], path
        meeting = soup.select_one(".calendar-entry--meeting")
        assert text_of(meeting, ".calendar-entry__kind") == "Sitzung: Planungsgruppe (Kernteam)"
        assert meeting.select_one("a")["href"] == f"/meetings/{ours.id}"
        assert [m.get_text() for m in soup.select(".calendar-entry")[0].select(".calendar-mark")] == ["intern"]
    filtered = page(client.get("/calendar?kind=event"))  # meetings have no kind, area or target group
    assert titles(filtered) == ["Fachtag (intern)", "Erzählcafé"]
    as_person(other_client, "koordination@example.org")
    assert "Nord für Nord" in titles(page(other_client.get("/calendar")))


def test_the_public_year_and_month_leave_out_internal_and_unapproved_events(client, world, member, coordinator,
                                                                         database):
    world("Interne Feier", "2026-06-20 15:00", "2026-06-20 18:00", kind="festival", visibility="internal")
    rejected = world("Abgelehntes Fest", "2026-06-21 15:00", "2026-06-21 18:00", kind="festival", by=member)
    with database.transaction() as db:
        review_event(db, Actor(db.merge(coordinator.person)), find_event(db, rejected), approve=False, reason="Nein")
    world("Öffentliches Fest", "2026-06-27 15:00", "2026-06-27 18:00", kind="festival")  # the positive control
    for path in ("/calendar/month?month=2026-06", "/calendar/year?year=2026"):
        assert titles(page(client.get(path))) == ["Öffentliches Fest"], path


# The month ---------------------------------------------------------------------------------------------

def test_month_shows_a_weekly_series_on_each_week_at_the_same_time_across_the_end_of_summer_time(client, world):
    # Summer time ends on Sunday, 25 October 2026; the Wednesday group stays at 18:00 on the 28th.
    world("Elterncafé", "2026-10-07 18:00", "2026-10-07 19:30", recurrence=Recurrence("weekly"), kind="offer")

    soup = page(client.get("/calendar/month?month=2026-10"))

    table = soup.select_one("table.month-table")
    assert text_of(table, "caption") == "Oktober 2026"
    assert [th.get_text() for th in table.select("thead th")] == ["KW", "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    assert all(th["scope"] == "row" for th in table.select("tbody th"))
    shown = {}
    for cell in table.select("td"):
        for entry in cell.select(".calendar-entry"):
            shown[cell.select_one("time")["datetime"]] = text_of(entry, ".calendar-entry__time")
    assert shown == {"2026-10-07": "18:00–19:30", "2026-10-14": "18:00–19:30", "2026-10-21": "18:00–19:30",
                     "2026-10-28": "18:00–19:30"}
    assert [cell.select_one("time")["datetime"] for cell in table.select("tr")[1].select("td")][0] == "2026-09-28"
    assert query_of(soup.select_one(".pager a[rel=prev]")["href"]) == [("month", "2026-09")]


def test_month_lists_a_multi_day_festival_on_each_of_its_days(client, world, coordinator, database):
    with database.transaction() as db:
        make_all_day(db, db.merge(coordinator.person), "Kulturtage", date(2026, 7, 30), date(2026, 8, 2))
    soup = page(client.get("/calendar/month?month=2026-08"))
    days = [cell.select_one("time")["datetime"] for cell in soup.select("td")
            if "Kulturtage" in cell.get_text()]
    assert days == ["2026-07-30", "2026-07-31", "2026-08-01", "2026-08-02"]


# The year ("Jahreskreis") ------------------------------------------------------------------------------

def test_year_lists_festivals_and_traditions_under_their_month_and_not_offers(client, world, coordinator, database):
    with database.transaction() as db:
        kim = db.merge(coordinator.person)
        make_all_day(db, kim, "Martinsfest", date(2025, 11, 11), recurrence=Recurrence("yearly"))
        make_all_day(db, kim, "Brunnenfest", date(2025, 6, 14), kind="tradition",
                     recurrence=Recurrence("yearly", on="weekday"))  # the second Saturday in June
    world("Mittagstisch", "2026-01-07 12:00", "2026-01-07 13:00", recurrence=Recurrence("weekly"), kind="offer")

    soup = page(client.get("/calendar/year?year=2026"))

    assert text_of(soup, "h1") == "Jahreskreis 2026"
    months = {text_of(section, "h2"): [text_of(li, ".calendar-entry__title") for li in section.select("li")]
              for section in soup.select(".year-month section")}
    assert list(months) == ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                            "Oktober", "November", "Dezember"]
    assert months["Juni"] == ["Brunnenfest"] and months["November"] == ["Martinsfest"]
    assert sum(months.values(), []) == ["Brunnenfest", "Martinsfest"]
    assert text_of(soup, "#month-6 + ul .calendar-entry__time") == "13. Juni"  # 2nd Saturday of June 2026
    wheel = soup.select_one("svg.wheel")
    assert wheel["role"] == "img" and wheel["aria-labelledby"] == "wheel-title wheel-desc"
    assert text_of(wheel, "title#wheel-title") == "Jahreskreis 2026"
    assert len(wheel.select("path.wheel__month")) == 12
    assert len(wheel.select(".wheel__dot")) == 2
    assert soup.select("[style]") == []
    kinds = page(client.get("/calendar/year?year=2026&kind=offer"))
    assert kinds.select(".year-month .calendar-entry") == []


# Navigation --------------------------------------------------------------------------------------------

def test_anonymous_visitors_get_a_small_public_navigation(client):
    soup = page(client.get("/calendar/year"))
    links = [(a.get_text(), a["href"], a.get("aria-current")) for a in soup.select("header nav a")]
    assert links == [("Stadtteilkalender", "/calendar", None), ("Jahreskreis", "/calendar/year", "page"),
                     ("Wo wird Hilfe gebraucht?", "/shifts", None), ("Anmelden", "/login", None)]


def test_members_reach_the_calendar_from_the_main_navigation(as_member):
    soup = page(as_member.get("/calendar/month"))
    current = soup.select_one("nav[aria-label=Hauptnavigation] a[aria-current=page]")
    assert (current.get_text(), current["href"]) == ("Stadtteilkalender", "/calendar")
    assert text_of(soup, ".sub-nav a[aria-current=page]") == "Monat"
    assert soup.select_one(".sub-nav a[href='/calendar/reach']").get_text() == "Wen erreichen wir?"


# Wen erreichen wir? ------------------------------------------------------------------------------------

def test_reach_shows_counts_per_target_group_and_area_and_who_nothing_reaches(as_member, world):
    world("Jugendtreff", "2026-03-04 16:00", "2026-03-04 18:00", recurrence=Recurrence("weekly", count=3),
          area="Zwätzen", target_groups=("Jugendliche",))
    world("Fachtag (intern)", "2026-03-10 09:00", "2026-03-10 12:00", visibility="internal", area="Löbstedt",
          target_groups=("Jugendliche",))

    soup = page(as_member.get("/calendar/reach?from=2026-03-01&to=2026-03-31"))

    assert text_of(soup, "h1") == "Wen erreichen wir?"
    assert text_of(soup, ".reach-summary") == "4 Termine vom 01.03.2026 bis 31.03.2026."
    groups = soup.select_one("#reach-target-groups")
    assert [[cell.get_text() for cell in row.select("th, td")] for row in groups.select("tbody tr")] == [
        ["Jugendliche", "4"]]
    assert [li.get_text() for li in groups.select(".reach-unreached__list li")] == ["Senior*innen"]
    areas = soup.select_one("#reach-areas")
    assert [[cell.get_text() for cell in row.select("th, td")] for row in areas.select("tbody tr")] == [
        ["Zwätzen", "3"], ["Löbstedt", "1"]]
    assert [li.get_text() for li in areas.select(".reach-unreached__list li")] == ["Jena-Nord"]


def test_reach_defaults_to_the_current_year(as_member):
    soup = page(as_member.get("/calendar/reach"))
    year = today().year
    assert soup.select_one("#f-from")["value"] == f"{year}-01-01"
    assert soup.select_one("#f-to")["value"] == f"{year}-12-31"


@pytest.mark.parametrize("query, field, message", [
    ("from=2026-02-30&to=2026-03-31", "from", "Bitte geben Sie ein gültiges Datum an."),
    ("from=2026-03-01&to=", "to", "Bitte geben Sie das Ende des Zeitraums an."),
    ("from=2026-03-01&to=2026-02-01", "to", "Das Ende des Zeitraums liegt vor seinem Anfang."),
])
def test_reach_refuses_a_bad_period_next_to_its_field(as_member, query, field, message):
    response = as_member.get(f"/calendar/reach?{query}")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, field) == message
    assert soup.select_one("#f-from")["value"] == dict(parse_qsl(query, keep_blank_values=True))["from"]
    assert soup.select_one("#reach-target-groups") is None


def test_members_find_how_to_enter_events_and_moderators_what_waits(client, world, member, other_client):
    assert page(client.get("/calendar")).select_one("a[href='/events/new']") is None
    world("Flohmarkt", wall(5, 10), wall(5, 12), by=member)  # a member's submission waits for review
    as_person(client, "mitglied@example.org")
    links = {a.get_text(" ", strip=True): a["href"] for a in page(client.get("/calendar")).select("main > .actions a")}
    assert links == {"Termin eintragen": "/events/new", "Meine eingereichten Termine": "/events/mine",
                     "Wen erreichen wir?": "/calendar/reach"}
    as_person(other_client, "koordination@example.org")
    waiting = page(other_client.get("/calendar")).select_one("main > .actions a[href='/events/review']")
    assert waiting.get_text(" ", strip=True) == "1 Termin wartet auf Freigabe"
