"""/calendar.ics as calendar programs see it: read by three independent parsers, its recurrences
expanded by recurring-ical-events and compared with the dates the calendar pages show, filters from
the URL, conditional GET (ETag, Last-Modified, 304), plain 400 for filter values that name nothing."""

from datetime import date, datetime, time, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import update

from calendar_world import at, make_all_day, make_event
from calendars.events import change_date
from calendars.listing import CalendarFilter, calendar_dates
from calendars.models import EventException
from calendars.recurrence import Recurrence
from feed_parsers import read_by_all
from governance.base import utcnow
from governance.organisations import create_area, create_organisation, create_target_group
from governance.permissions import Actor
from governance.times import BERLIN, from_berlin, today
from workspace.settings import Settings, SettingsError

YEAR = today().year + 1  # every date below lies ahead, so the feed window never drops it


def nth(weekday: int, n: int, month: int, year: int = YEAR) -> date:
    """The n-th `weekday` (0 = Monday) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def wall(day: date, clock: str) -> str:
    return f"{day.isoformat()} {clock}"


WEDNESDAY, TUESDAY, SATURDAY = 2, 1, 5
MOVED, CANCELLED = nth(WEDNESDAY, 2, 4), nth(WEDNESDAY, 1, 11)  # in summer time / back in winter time


@pytest.fixture
def district(database, coordinator):
    """A year of the district: weekly lunch (one date moved, one cancelled), monthly parents' café on the
    second Tuesday, St. Martin every 11 November, a two-day festival every June, Advent singing, and an
    internal network meeting."""
    with database.transaction() as db:
        by, actor = db.merge(coordinator.person), Actor(db.merge(coordinator.person))
        nord, loebstedt = create_area(db, "Jena-Nord"), create_area(db, "Löbstedt")
        children, seniors = create_target_group(db, "Kinder"), create_target_group(db, "Senior*innen")
        church = create_organisation(db, "Kirche Löbstedt", "association", loebstedt)
        daycare = create_organisation(db, "Kindergarten Weltentdecker", "daycare", nord)
        lunch = make_event(db, by, "Mittagstisch", wall(nth(WEDNESDAY, 1, 1), "12:00"),
                           wall(nth(WEDNESDAY, 1, 1), "13:30"), kind="offer", recurrence=Recurrence("weekly"),
                           area=loebstedt, organiser=church, target_groups=(seniors,), place="Gemeindehaus")
        change_date(db, actor, lunch, MOVED, at(wall(MOVED + timedelta(days=1), "14:00")),
                    at(wall(MOVED + timedelta(days=1), "15:30")))
        change_date(db, actor, lunch, CANCELLED, at(wall(CANCELLED, "12:00")), at(wall(CANCELLED, "13:30")),
                    cancelled=True)
        make_event(db, by, "Elterncafé", wall(nth(TUESDAY, 2, 1), "09:00"), wall(nth(TUESDAY, 2, 1), "11:00"),
                   kind="offer", recurrence=Recurrence("monthly", on="weekday"), area=nord, organiser=daycare,
                   target_groups=(children,))
        make_event(db, by, "Martinsumzug", f"{YEAR - 1}-11-11 17:00", f"{YEAR - 1}-11-11 18:30", kind="tradition",
                   recurrence=Recurrence("yearly"), area=nord, organiser=daycare, target_groups=(children, seniors))
        make_all_day(db, by, "Stadtteilfest", nth(SATURDAY, 1, 6), nth(SATURDAY, 1, 6) + timedelta(days=1),
                     recurrence=Recurrence("yearly"), area=nord, target_groups=(children, seniors))
        make_event(db, by, "Adventssingen", f"{YEAR}-12-05 16:00", f"{YEAR}-12-05 17:00", kind="tradition",
                   area=loebstedt, organiser=church, target_groups=(seniors,))
        make_event(db, by, "Netzwerktreffen", f"{YEAR}-02-03 10:00", f"{YEAR}-02-03 12:00", visibility="internal")


def feed(client, query: str = "", **headers):
    return client.get(f"/calendar.ics{query}", headers=headers)


def masters(entries) -> list[str]:
    return sorted({entry.title for entry in entries})


# --- content, read by three parsers -------------------------------------------------------------

def test_the_public_feed_reads_the_same_in_three_parsers_with_titles_times_and_cancellations(client, district):
    response = feed(client)
    entries = read_by_all(response.text)
    assert masters(entries) == ["Adventssingen", "Elterncafé", "Martinsumzug", "Mittagstisch", "Stadtteilfest"]
    series = {entry.title: entry for entry in entries if entry.recurrence_id is None}
    assert series["Mittagstisch"].start == at(wall(nth(WEDNESDAY, 1, 1), "12:00"))
    assert series["Mittagstisch"].location == "Gemeindehaus, Löbstedt"
    assert series["Mittagstisch"].url == "http://testserver/events/mittagstisch"
    assert series["Martinsumzug"].start == at(f"{YEAR - 1}-11-11 17:00")
    assert (series["Stadtteilfest"].start, series["Stadtteilfest"].end) == (
        nth(SATURDAY, 1, 6), nth(SATURDAY, 1, 6) + timedelta(days=2))
    assert "Veranstalter: Kirche Löbstedt" in series["Adventssingen"].description
    changed = [(e.title, e.recurrence_id, e.start, e.status) for e in entries if e.recurrence_id is not None]
    assert changed == [
        ("Mittagstisch", at(wall(MOVED, "12:00")), at(wall(MOVED + timedelta(days=1), "14:00")), "CONFIRMED"),
        ("Mittagstisch", at(wall(CANCELLED, "12:00")), at(wall(CANCELLED, "12:00")), "CANCELLED"),
    ]


@pytest.mark.parametrize(("query", "titles", "name"), [
    ("?area=loebstedt", ["Adventssingen", "Mittagstisch"], "Löbstedt"),
    ("?area=loebstedt&area=jena-nord", ["Adventssingen", "Elterncafé", "Martinsumzug", "Mittagstisch",
                                        "Stadtteilfest"], "Löbstedt · Jena-Nord"),
    ("?area=jena-nord&kind=tradition", ["Martinsumzug"], "Jena-Nord · Tradition"),
    ("?kind=offer&kind=tradition", ["Adventssingen", "Elterncafé", "Martinsumzug", "Mittagstisch"],
     "Angebot · Tradition"),
    ("?target_group=kinder", ["Elterncafé", "Martinsumzug", "Stadtteilfest"], "Kinder"),
    ("?organiser=kirche-loebstedt&target_group=seniorinnen", ["Adventssingen", "Mittagstisch"],
     "Senior*innen · Kirche Löbstedt"),
    ("?kind=festival&organiser=kirche-loebstedt", [], "Fest · Kirche Löbstedt"),
])
def test_filters_repeat_to_widen_and_combine_to_narrow(client, district, query, titles, name):
    response = feed(client, query)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.text)
    assert str(calendar["x-wr-calname"]) == f"Stadtteilkalender Jena-Nord: {name}"
    assert masters(read_by_all(response.text)) == titles


def test_the_unfiltered_feed_is_named_after_the_district(client, district):
    assert str(icalendar.Calendar.from_ical(feed(client).text)["x-wr-calname"]) == "Stadtteilkalender Jena-Nord"


@pytest.mark.parametrize(("query", "message"), [
    ("?area=xyz", "Unbekannter Filterwert: area=xyz"),
    ("?area=loebstedt&area=atlantis", "Unbekannter Filterwert: area=atlantis"),
    ("?kind=party", "Unbekannter Filterwert: kind=party"),
    ("?target_group=<script>", "Unbekannter Filterwert: target_group=<script>"),
    ("?organiser=niemand", "Unbekannter Filterwert: organiser=niemand"),
])
def test_a_filter_value_that_names_nothing_is_a_plain_400_not_an_empty_feed(client, district, query, message):
    response = feed(client, query)
    assert (response.status_code, response.headers["content-type"]) == (400, "text/plain; charset=utf-8")
    assert response.text == message


# --- recurrences as a calendar program expands them ---------------------------------------------

def test_expanded_recurrences_match_the_dates_the_calendar_pages_show(client, database, district):
    """Over a whole year (both daylight-saving changes), what recurring-ical-events expands from the
    served feed is what calendar_dates lists: weekly, monthly on a weekday, yearly, all-day, moved, and
    the cancelled date as cancelled (the pages show it "abgesagt", the feed with STATUS:CANCELLED)."""
    expanded, shown = expand(feed(client).text), listed(database)
    assert expanded == shown
    lunches = sorted(moment for title, moment, cancelled in shown if title == "Mittagstisch" and not cancelled)
    assert len(lunches) == len(_wednesdays()) - 1  # every Wednesday but the cancelled one
    assert at(wall(MOVED + timedelta(days=1), "14:00")) in lunches and at(wall(CANCELLED, "12:00")) not in lunches
    assert [(t, m) for t, m, cancelled in shown if cancelled] == [("Mittagstisch", at(wall(CANCELLED, "12:00")))]
    assert {m.astimezone(BERLIN).hour for m in lunches} == {12, 14}  # 12:00 in winter and in summer
    assert ("Martinsumzug", at(f"{YEAR}-11-11 17:00"), False) in shown
    assert ("Stadtteilfest", from_berlin(datetime.combine(nth(SATURDAY, 1, 6), time())), False) in shown
    assert len([title for title, _, _ in shown if title == "Elterncafé"]) == 12


def test_a_cancelled_date_leaves_the_expansion_31_days_after_the_cancellation(client, database, district):
    """After 30 days the feed drops the cancelled override and excludes the date from the series instead;
    the calendar pages still list it as cancelled."""
    with database.transaction() as db:
        db.execute(update(EventException).where(EventException.cancelled.is_(True))
                   .values(updated_at=utcnow() - timedelta(days=31)))
    text = feed(client).text
    cancelled = ("Mittagstisch", at(wall(CANCELLED, "12:00")))
    expanded, shown = expand(text), listed(database)
    assert (*cancelled, True) in shown and cancelled not in {(title, moment) for title, moment, _ in expanded}
    assert expanded == {entry for entry in shown if not entry[2]}
    series = [c for c in icalendar.Calendar.from_ical(text).walk("VEVENT")
              if str(c["summary"]) == "Mittagstisch" and "recurrence-id" not in c]
    assert [d.dt for d in series[0]["exdate"].dts] == [at(wall(CANCELLED, "12:00")).astimezone(BERLIN)]
    assert f"EXDATE;TZID=Europe/Berlin:{CANCELLED:%Y%m%d}T120000\r\n" in text


def expand(text: str) -> set[tuple[str, datetime, bool]]:
    """(title, start, cancelled) of every date of the year as recurring-ical-events expands the feed."""
    calendar = icalendar.Calendar.from_ical(text)
    return {(str(e["summary"]), _instant(e.decoded("dtstart")), e.get("status") == "CANCELLED")
            for e in recurring_ical_events.of(calendar).between(*_year())}


def listed(database) -> set[tuple[str, datetime, bool]]:
    """(title, start, cancelled) of every date of the year as the calendar pages list it."""
    with database.session(write=False) as db:
        return {(o.event.title, o.starts_at, o.cancelled) for o in calendar_dates(db, CalendarFilter(), *_year())}


def _year() -> tuple[datetime, datetime]:
    return (datetime.combine(date(YEAR, 1, 1), time(), BERLIN), datetime.combine(date(YEAR + 1, 1, 1), time(), BERLIN))


def _instant(value: datetime | date) -> datetime:
    """An all-day date as the instant the calendar keeps: Berlin midnight."""
    return value if isinstance(value, datetime) else from_berlin(datetime.combine(value, time()))


def _wednesdays() -> list[date]:
    first = nth(WEDNESDAY, 1, 1)
    return [first + timedelta(weeks=n) for n in range(53) if (first + timedelta(weeks=n)).year == YEAR]


# --- HTTP ---------------------------------------------------------------------------------------

def test_served_as_utf8_calendar_with_validators_and_no_cookie(client, district):
    response = feed(client)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["etag"].startswith('"') and response.headers["etag"].endswith('"')
    assert parsedate_to_datetime(response.headers["last-modified"]).tzinfo is not None
    assert response.headers["cache-control"] == "public, max-age=900"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers and not client.cookies
    assert "Elterncafé" in response.content.decode("utf-8")


def test_a_client_with_the_current_etag_gets_304(client, district):
    etag = feed(client).headers["etag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = feed(client, **{"If-None-Match": sent})
        assert (response.status_code, response.content) == (304, b"")
        assert response.headers["etag"] == etag
    assert feed(client, **{"If-None-Match": '"other"'}).status_code == 200


def test_a_client_with_a_copy_as_new_as_last_modified_gets_304(client, district):
    last_modified = parsedate_to_datetime(feed(client).headers["last-modified"])
    assert feed(client, **{"If-Modified-Since": format_datetime(last_modified, usegmt=True)}).status_code == 304
    later = format_datetime(last_modified + timedelta(hours=1), usegmt=True)
    assert feed(client, **{"If-Modified-Since": later}).status_code == 304
    earlier = format_datetime(last_modified - timedelta(seconds=1), usegmt=True)
    assert feed(client, **{"If-Modified-Since": earlier}).status_code == 200
    assert feed(client, **{"If-Modified-Since": "gestern"}).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110 13.2.2)
    assert feed(client, **{"If-None-Match": '"other"', "If-Modified-Since": later}).status_code == 200


def test_a_change_to_any_event_gives_a_new_etag(client, database, coordinator, district):
    before = feed(client).headers["etag"]
    assert feed(client).headers["etag"] == before
    with database.transaction() as db:
        make_event(db, db.merge(coordinator.person), "Flohmarkt", f"{YEAR}-05-01 10:00", f"{YEAR}-05-01 14:00")
    response = feed(client, **{"If-None-Match": before})
    assert response.status_code == 200 and response.headers["etag"] != before
    assert "Flohmarkt" in masters(read_by_all(response.text))


def test_each_filter_has_its_own_etag(client, district):
    tags = {feed(client, query).headers["etag"] for query in ("", "?area=loebstedt", "?area=jena-nord")}
    assert len(tags) == 3


# --- the window ---------------------------------------------------------------------------------

def test_the_feed_reaches_back_as_far_as_feed_past_days(client_with, database, coordinator):
    with database.transaction() as db:
        by = db.merge(coordinator.person)
        make_event(db, by, "Vor 100 Tagen", wall(today() - timedelta(days=100), "10:00"),
                   wall(today() - timedelta(days=100), "11:00"))
        make_all_day(db, by, "Vor 400 Tagen", today() - timedelta(days=400))
        make_event(db, by, "Morgen", wall(today() + timedelta(days=1), "10:00"), wall(today() + timedelta(days=1), "11:00"))
    default, short = client_with(), client_with(feed_past_days=30)
    assert masters(read_by_all(feed(default).text)) == ["Morgen", "Vor 100 Tagen"]
    assert masters(read_by_all(feed(short).text)) == ["Morgen"]


def test_feed_past_days_is_read_from_the_environment(tmp_path):
    environment = {"WERKSTADT_DATA": str(tmp_path), "SECRET_KEY": "x"}
    assert Settings.from_env(environment).feed_past_days == 365
    assert Settings.from_env({**environment, "FEED_PAST_DAYS": "90"}).feed_past_days == 90
    with pytest.raises(SettingsError, match="FEED_PAST_DAYS"):
        Settings.from_env({**environment, "FEED_PAST_DAYS": "ein Jahr"})
