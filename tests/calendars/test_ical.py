"""The public feed's text against the RFC 5545 rules, checked on the text itself because parsers are
lenient: line ends and folding, the time zone, UIDs, stamps, recurrences, escaping, the window."""

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select, update

from calendar_world import at, make_all_day, make_event
from calendars import ical
from calendars.events import EventDraft, change_date, create_event, review_event, update_event
from calendars.feeds import Links, Window, naive_feed, public_feed, public_version
from calendars.listing import CalendarFilter
from calendars.models import Event, EventException
from calendars.recurrence import Recurrence
from governance.organisations import create_area
from governance.permissions import Actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # the feed's "now": these tests do not age
SITE = "https://werkstadt.example"
LINKS = Links(event=lambda slug: f"{SITE}/events/{slug}", meeting=lambda i: f"{SITE}/meetings/{i}",
              task=lambda i: f"{SITE}/tasks", milestone=lambda i: f"{SITE}/milestones/{i}", base_url=SITE)


def served(db, now: datetime = NOW, past_days: int = 365) -> str:
    chunks = public_feed(db, CalendarFilter(), Window(now, past_days), LINKS, "Stadtteilkalender Jena-Nord")
    return b"".join(chunks).decode()


def content_lines(text: str) -> list[str]:
    """The unfolded content lines (RFC 5545 3.1: CRLF followed by one space or tab continues a line)."""
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def vevents(text: str) -> list[list[str]]:
    blocks, current = [], None
    for line in content_lines(text):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def values(block: list[str], name: str) -> list[str]:
    """The lines of one property, parameters included ('DTSTART;TZID=Europe/Berlin:20270106T120000')."""
    return [line for line in block if re.match(rf"{name}[;:]", line)]


def block_of(text: str, title: str, recurrence_id: bool = False) -> list[str]:
    found = [b for b in vevents(text) if f"SUMMARY:{title}" in b and bool(values(b, "RECURRENCE-ID")) == recurrence_id]
    assert len(found) == 1, found
    return found[0]


def titles(text: str) -> list[str]:
    return [line.removeprefix("SUMMARY:") for block in vevents(text) for line in values(block, "SUMMARY")]


def lunch(db, by, **fields) -> Event:
    return make_event(db, by, "Mittagstisch", "2027-01-06 12:00", "2027-01-06 13:00", kind="offer",
                      recurrence=Recurrence("weekly"), **fields)


# --- lines --------------------------------------------------------------------------------------

def test_every_line_ends_in_crlf_and_none_is_longer_than_75_octets(db, coordinator):
    title = "Großes Straßenfest für Jung und Alt – mit Öko-Markt und Bühne und Überraschungen 🎉 " * 2
    make_event(db, coordinator, title.strip(), "2027-06-05 14:00", "2027-06-05 20:00",
               description="Ä" * 300, place="Löbstedter Straße " * 10)
    text = served(db)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    octets = text.encode().split(b"\r\n")
    assert max(len(line) for line in octets) <= 75
    for line in octets:
        line.decode()  # folded on character boundaries: each physical line is valid UTF-8 on its own
    assert f"SUMMARY:{title.strip()}" in content_lines(text)
    assert f"DESCRIPTION:{'Ä' * 300}" in content_lines(text)


def test_the_calendar_says_its_version_producer_name_and_how_often_to_refresh(db):
    lines = content_lines(served(db))
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Werkstadt//Stadtteilkalender//DE"]
    assert {"X-WR-CALNAME:Stadtteilkalender Jena-Nord", "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"} <= set(lines)


# --- time zone ----------------------------------------------------------------------------------

@pytest.mark.parametrize("instant", [
    "2027-01-15T12:00", "2027-07-15T12:00",  # winter, summer
    "2027-03-28T00:59", "2027-03-28T01:00",  # around the change to summer time (01:00 UTC)
    "2027-10-31T00:59", "2027-10-31T01:00",  # around the change back
    "2040-12-24T18:00", "2040-08-01T08:00",
])
def test_the_berlin_time_zone_has_the_offsets_of_zoneinfo(db, instant):
    vtimezone = icalendar.Calendar.from_ical(served(db)).walk("VTIMEZONE")
    assert [str(zone["tzid"]) for zone in vtimezone] == ["Europe/Berlin"]
    defined = vtimezone[0].to_tz(lookup_tzid=False)  # built from the VTIMEZONE's rules, not looked up
    moment = datetime.fromisoformat(instant).replace(tzinfo=timezone.utc)
    assert moment.astimezone(defined).utcoffset() == moment.astimezone(ZoneInfo("Europe/Berlin")).utcoffset()


def test_every_tzid_used_is_defined(db, coordinator):
    event = lunch(db, coordinator)
    change_date(db, Actor(coordinator), event, date(2027, 4, 7), at("2027-04-07 14:00"), at("2027-04-07 15:00"))
    make_all_day(db, coordinator, "Laternenfest", date(2027, 11, 11))
    text = served(db)
    used = set(re.findall(r";TZID=([^;:]+)", text))
    defined = set(re.findall(r"^TZID:(.+)$", text.replace("\r\n", "\n"), re.MULTILINE))
    assert used == {"Europe/Berlin"} and used <= defined


def test_timed_events_are_in_berlin_wall_time_and_all_day_ones_are_dates(db, coordinator):
    make_event(db, coordinator, "Sommerkino", "2027-07-07 21:30", "2027-07-07 23:30")
    make_all_day(db, coordinator, "Stadtteilfest", date(2027, 6, 5), date(2027, 6, 6))
    text = served(db)
    cinema, fest = block_of(text, "Sommerkino"), block_of(text, "Stadtteilfest")
    assert values(cinema, "DTSTART") == ["DTSTART;TZID=Europe/Berlin:20270707T213000"]
    assert values(cinema, "DTEND") == ["DTEND;TZID=Europe/Berlin:20270707T233000"]
    assert values(fest, "DTSTART") == ["DTSTART;VALUE=DATE:20270605"]
    assert values(fest, "DTEND") == ["DTEND;VALUE=DATE:20270607"]  # the day after the last one


# --- identity and changes -----------------------------------------------------------------------

def test_every_event_has_a_unique_uid_and_a_utc_dtstamp(db, coordinator):
    for title in ("Mittagstisch", "Mittagstisch", "Adventssingen"):
        make_event(db, coordinator, title, "2027-12-02 12:00", "2027-12-02 13:00")
    event = lunch(db, coordinator)
    change_date(db, Actor(coordinator), event, date(2027, 1, 13), at("2027-01-13 12:30"), at("2027-01-13 13:30"))
    blocks = vevents(served(db))
    masters = [values(b, "UID")[0] for b in blocks if not values(b, "RECURRENCE-ID")]
    assert len(masters) == 4 == len(set(masters))
    override = [b for b in blocks if values(b, "RECURRENCE-ID")]
    assert values(override[0], "UID") == [f"UID:{event.uid}"]
    assert all(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", values(b, "DTSTAMP")[0]) for b in blocks)


def test_an_edit_keeps_the_uid_and_advances_sequence_and_last_modified(db, coordinator):
    event = make_event(db, coordinator, "Mittagstisch", "2027-01-06 12:00", "2027-01-06 13:00")
    event.created_at = event.updated_at = NOW - timedelta(days=3)  # entered three days ago
    ical.refresh(event)
    before = block_of(served(db), "Mittagstisch")
    draft = EventDraft("Mittagstisch im Stadtteilbüro", "offer", at("2027-01-06 12:30"), at("2027-01-06 13:30"))
    update_event(db, Actor(coordinator), event, draft, event.version_id)
    after = block_of(served(db), "Mittagstisch im Stadtteilbüro")
    assert values(after, "UID") == values(before, "UID") == [f"UID:{event.uid}"]
    assert (values(before, "SEQUENCE"), values(after, "SEQUENCE")) == (["SEQUENCE:0"], ["SEQUENCE:1"])
    assert values(after, "LAST-MODIFIED")[0] > values(before, "LAST-MODIFIED")[0]
    assert values(after, "CREATED") == values(before, "CREATED")


# --- recurrence ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("recurrence", "starts", "rule"), [
    (Recurrence("weekly"), "2027-01-06 12:00", "RRULE:FREQ=WEEKLY;BYDAY=WE"),
    (Recurrence("weekly", interval=2, weekdays=(0, 2)), "2027-01-06 12:00", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"),
    (Recurrence("weekly", until=date(2027, 6, 30)), "2027-01-06 12:00",
     "RRULE:FREQ=WEEKLY;UNTIL=20270630T215959Z;BYDAY=WE"),
    (Recurrence("monthly", on="weekday"), "2027-01-12 18:00", "RRULE:FREQ=MONTHLY;BYDAY=+2TU"),
    (Recurrence("monthly"), "2027-01-15 18:00", "RRULE:FREQ=MONTHLY"),
    (Recurrence("yearly"), "2027-11-11 11:11", "RRULE:FREQ=YEARLY"),
    (Recurrence("yearly", on="weekday", count=5), "2027-06-12 10:00", "RRULE:FREQ=YEARLY;COUNT=5;BYDAY=+2SA;BYMONTH=6"),
])
def test_series_carry_their_rule(db, coordinator, recurrence, starts, rule):
    make_event(db, coordinator, "Reihe", starts, starts[:11] + "23:00", recurrence=recurrence)
    assert values(block_of(served(db), "Reihe"), "RRULE") == [rule]


def test_an_all_day_series_has_a_date_rule(db, coordinator):
    make_all_day(db, coordinator, "Stadtteilfest", date(2027, 6, 5), date(2027, 6, 6),
                 recurrence=Recurrence("yearly", until=date(2030, 6, 30)))
    fest = block_of(served(db), "Stadtteilfest")
    assert values(fest, "RRULE") == ["RRULE:FREQ=YEARLY;UNTIL=20300630"]
    assert values(fest, "DTSTART") == ["DTSTART;VALUE=DATE:20270605"]


def test_a_freshly_cancelled_date_is_an_override_shown_cancelled_and_not_excluded(db, coordinator):
    """RFC 5545: a RECURRENCE-ID names a date of the set, so an EXDATE for it would hide the cancellation."""
    event = lunch(db, coordinator)
    change_date(db, Actor(coordinator), event, date(2027, 11, 3), at("2027-11-03 12:00"), at("2027-11-03 13:00"),
                cancelled=True)
    text = served(db)
    assert values(block_of(text, "Mittagstisch"), "EXDATE") == []
    cancelled = block_of(text, "Mittagstisch", recurrence_id=True)
    assert values(cancelled, "RECURRENCE-ID") == ["RECURRENCE-ID;TZID=Europe/Berlin:20271103T120000"]
    assert values(cancelled, "STATUS") == ["STATUS:CANCELLED"]


def test_a_moved_date_replaces_its_original_at_the_new_time(db, coordinator):
    event = lunch(db, coordinator)
    change_date(db, Actor(coordinator), event, date(2027, 4, 7), at("2027-04-08 14:00"), at("2027-04-08 15:30"),
                place="Gemeindesaal", note="Diesmal am Donnerstag.")
    text = served(db)
    assert values(block_of(text, "Mittagstisch"), "EXDATE") == []
    moved = block_of(text, "Mittagstisch", recurrence_id=True)
    assert values(moved, "RECURRENCE-ID") == ["RECURRENCE-ID;TZID=Europe/Berlin:20270407T120000"]
    assert values(moved, "DTSTART") == ["DTSTART;TZID=Europe/Berlin:20270408T140000"]
    assert values(moved, "DTEND") == ["DTEND;TZID=Europe/Berlin:20270408T153000"]
    assert values(moved, "STATUS") == ["STATUS:CONFIRMED"]
    assert values(moved, "LOCATION") == ["LOCATION:Gemeindesaal"]
    assert values(moved, "DESCRIPTION") == ["DESCRIPTION:Diesmal am Donnerstag."]


# --- text, place, link --------------------------------------------------------------------------

def test_text_is_escaped_per_rfc_5545_and_reads_back_exactly(db, coordinator):
    description = '<script>alert("x")</script>; eins, zwei \\ drei\nneue Zeile'
    event = make_event(db, coordinator, "Kaffee, Kuchen; Musik", "2027-03-03 15:00", "2027-03-03 17:00",
                       description=description)
    text = served(db)
    block = block_of(text, r"Kaffee\, Kuchen\; Musik")
    assert values(block, "DESCRIPTION") == [
        r'DESCRIPTION:<script>alert("x")</script>\; eins\, zwei \\ drei\nneue Zeile']
    component = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(component["description"]) == ical.description(event) == description
    assert str(component["summary"]) == "Kaffee, Kuchen; Musik"


def test_the_location_names_the_place_the_area_and_the_online_link(db, coordinator):
    make_event(db, coordinator, "Elterncafé", "2027-02-03 09:00", "2027-02-03 11:00", place="Stadtteilbüro",
               area=create_area(db, "Jena-Nord"), online_url="https://meet.example/elterncafe")
    cafe = block_of(served(db), "Elterncafé")
    assert values(cafe, "LOCATION") == [r"LOCATION:Stadtteilbüro\, Jena-Nord\, https://meet.example/elterncafe"]


def test_each_event_links_back_to_its_page(db, coordinator):
    make_event(db, coordinator, "Adventssingen", "2027-12-05 16:00", "2027-12-05 17:00")
    assert values(block_of(served(db), "Adventssingen"), "URL") == [f"URL:{SITE}/events/adventssingen"]


# --- what the public feed carries ---------------------------------------------------------------

def test_past_events_older_than_the_window_are_left_out_and_future_ones_all_in(db, coordinator):
    make_event(db, coordinator, "Vor 400 Tagen", "2025-10-19 10:00", "2025-10-19 12:00")
    make_event(db, coordinator, "Vor 300 Tagen", "2026-01-27 10:00", "2026-01-27 12:00")
    make_event(db, coordinator, "In vier Jahren", "2030-11-11 11:11", "2030-11-11 12:00")
    make_event(db, coordinator, "Seit drei Jahren wöchentlich", "2023-11-01 12:00", "2023-11-01 13:00",
               recurrence=Recurrence("weekly"))
    make_event(db, coordinator, "Reihe bis vor 400 Tagen", "2023-11-01 12:00", "2023-11-01 13:00",
               recurrence=Recurrence("weekly", until=date(2025, 10, 19)))
    assert sorted(titles(served(db))) == ["In vier Jahren", "Seit drei Jahren wöchentlich", "Vor 300 Tagen"]
    assert sorted(titles(served(db, past_days=30))) == ["In vier Jahren", "Seit drei Jahren wöchentlich"]


@pytest.mark.parametrize(("days_ago", "shown"), [(29, True), (31, False)])
def test_a_cancelled_event_stays_in_the_feed_for_30_days(db, coordinator, days_ago, shown):
    event = make_event(db, coordinator, "Hoffest", "2027-05-01 14:00", "2027-05-01 18:00", status="cancelled")
    db.execute(update(Event).where(Event.id == event.id).values(updated_at=NOW - timedelta(days=days_ago)))
    text = served(db)
    assert titles(text) == (["Hoffest"] if shown else [])
    if shown:
        assert values(block_of(text, "Hoffest"), "STATUS") == ["STATUS:CANCELLED"]


@pytest.mark.parametrize(("days_ago", "shown"), [(29, True), (31, False)])
def test_a_cancelled_date_of_a_series_is_an_override_for_30_days_and_then_excluded(db, coordinator, days_ago, shown):
    event = lunch(db, coordinator)
    change_date(db, Actor(coordinator), event, date(2027, 1, 13), at("2027-01-13 12:00"), at("2027-01-13 13:00"),
                cancelled=True)
    kept = event.ical
    db.execute(update(EventException).values(updated_at=NOW - timedelta(days=days_ago)))
    text = served(db)
    overrides = [b for b in vevents(text) if values(b, "RECURRENCE-ID")]
    exdates = values(block_of(text, "Mittagstisch"), "EXDATE")
    if shown:
        assert [values(b, "STATUS") for b in overrides] == [["STATUS:CANCELLED"]] and exdates == []
    else:
        assert overrides == [] and exdates == ["EXDATE;TZID=Europe/Berlin:20270113T120000"]
    assert db.get(Event, event.id).ical == kept and "EXDATE" not in kept  # the kept text ignores the clock


def test_old_cancellations_of_a_series_share_one_exdate_line_and_all_day_ones_are_dates(db, coordinator):
    event = lunch(db, coordinator)
    fest = make_all_day(db, coordinator, "Stadtteilfest", date(2027, 6, 5), recurrence=Recurrence("yearly"))
    for series, day, starts in ((event, date(2027, 1, 20), "2027-01-20 12:00"),
                                (event, date(2027, 1, 13), "2027-01-13 12:00"),
                                (event, date(2027, 7, 14), "2027-07-14 12:00"),
                                (fest, date(2028, 6, 5), "2028-06-05 00:00")):
        change_date(db, Actor(coordinator), series, day, at(starts), at(starts) + timedelta(hours=1), cancelled=True)
    db.execute(update(EventException).values(updated_at=NOW - timedelta(days=40)))
    text = served(db)
    assert values(block_of(text, "Mittagstisch"), "EXDATE") == [
        "EXDATE;TZID=Europe/Berlin:20270113T120000,20270120T120000,20270714T120000"]  # winter and summer time
    assert values(block_of(text, "Stadtteilfest"), "EXDATE") == ["EXDATE;VALUE=DATE:20280605"]
    assert [b for b in vevents(text) if values(b, "RECURRENCE-ID")] == []


def test_a_cancelled_date_older_than_the_window_is_excluded_however_fresh_the_cancellation(db, coordinator):
    """Only dates in the window are carried as overrides; the series still reaches back, so an older
    cancelled date must be excluded or calendar programs would show it as taking place."""
    make_event(db, coordinator, "Seit Jahren", "2024-01-03 12:00", "2024-01-03 13:00", recurrence=Recurrence("weekly"))
    event = db.scalar(select(Event).where(Event.title == "Seit Jahren"))
    change_date(db, Actor(coordinator), event, date(2025, 1, 8), at("2025-01-08 12:00"), at("2025-01-08 13:00"),
                cancelled=True)
    db.execute(update(EventException).values(updated_at=NOW))
    text = served(db)
    assert values(block_of(text, "Seit Jahren"), "EXDATE") == ["EXDATE;TZID=Europe/Berlin:20250108T120000"]
    assert [b for b in vevents(text) if values(b, "RECURRENCE-ID")] == []


def test_a_folded_rule_keeps_the_exdate_after_its_last_line(db, coordinator):
    event = make_event(db, coordinator, "Jeden Tag", "2027-01-04 08:00", "2027-01-04 09:00",
                       recurrence=Recurrence("weekly", interval=99, weekdays=tuple(range(7)), until=date(2030, 6, 30)))
    change_date(db, Actor(coordinator), event, date(2027, 1, 5), at("2027-01-05 08:00"), at("2027-01-05 09:00"),
                cancelled=True)
    db.execute(update(EventException).values(updated_at=NOW - timedelta(days=40)))
    text = served(db)
    assert "\r\n " in text[text.index("RRULE:"):text.index("EXDATE")]  # the rule is folded
    assert values(block_of(text, "Jeden Tag"), "EXDATE") == ["EXDATE;TZID=Europe/Berlin:20270105T080000"]
    naive = naive_feed(db, CalendarFilter(), Window(NOW), LINKS, "Stadtteilkalender Jena-Nord").decode()
    assert sorted(vevents(text)) == sorted(vevents(naive))


def test_what_the_feed_carries_changes_at_berlin_midnight_not_by_the_minute(db, coordinator):
    """So the ETag (which knows the day) and Last-Modified (at least today's midnight) stay true all day."""
    event = make_event(db, coordinator, "Hoffest", "2027-05-01 14:00", "2027-05-01 18:00", status="cancelled")
    db.execute(update(Event).where(Event.id == event.id).values(updated_at=NOW - timedelta(days=30, hours=-2)))
    evening, next_night = NOW + timedelta(hours=9), NOW + timedelta(hours=12)  # 22:00 and 01:00 in Berlin
    assert titles(served(db)) == titles(served(db, evening)) == ["Hoffest"]
    assert titles(served(db, next_night)) == []
    version = lambda now: public_version(db, CalendarFilter(), Window(now), LINKS)
    assert version(NOW) == version(evening) != version(next_night)
    assert version(next_night).last_modified == datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)


def test_internal_submitted_and_rejected_events_are_never_in_the_public_feed(db, coordinator, member):
    make_event(db, coordinator, "Öffentlich", "2027-02-01 10:00", "2027-02-01 11:00")
    internal = make_event(db, coordinator, "Netzwerktreffen", "2027-02-02 10:00", "2027-02-02 11:00",
                          visibility="internal", recurrence=Recurrence("weekly"))
    change_date(db, Actor(coordinator), internal, date(2027, 2, 9), at("2027-02-09 12:00"), at("2027-02-09 13:00"))
    make_event(db, member, "Eingereicht", "2027-02-03 10:00", "2027-02-03 11:00")
    rejected = create_event(db, Actor(member), EventDraft("Abgelehnt", "event", at("2027-02-04 10:00"),
                                                          at("2027-02-04 11:00")))
    review_event(db, Actor(coordinator), rejected, approve=False, reason="Doppelt eingetragen.")
    assert titles(served(db)) == ["Öffentlich"]


def test_the_assembled_feed_has_exactly_the_events_icalendar_would_build_now(db, coordinator):
    """The kept texts are current: the naive feed (built from the events on the spot) has the same VEVENTs,
    line for line, with a fresh cancellation as an override and old ones as EXDATEs."""
    event = lunch(db, coordinator, description="Suppe; Brot, Salat", place="Gemeindehaus")
    change_date(db, Actor(coordinator), event, date(2027, 1, 13), at("2027-01-13 12:30"), at("2027-01-13 13:30"))
    change_date(db, Actor(coordinator), event, date(2027, 1, 20), at("2027-01-20 12:00"), at("2027-01-20 13:00"),
                cancelled=True)
    old, _ = change_date(db, Actor(coordinator), event, date(2027, 1, 27), at("2027-01-27 12:00"),
                      at("2027-01-27 13:00"), cancelled=True)
    fest = make_all_day(db, coordinator, "Laternenfest", date(2027, 11, 11), kind="tradition",
                        recurrence=Recurrence("yearly"))
    older, _ = change_date(db, Actor(coordinator), fest, date(2028, 11, 11), at("2028-11-11 00:00"),
                        at("2028-11-12 00:00"), cancelled=True)
    db.flush()
    db.execute(update(EventException).where(EventException.id.in_((old.id, older.id)))
               .values(updated_at=NOW - timedelta(days=31)))
    make_event(db, coordinator, "Netzwerktreffen", "2027-02-02 10:00", "2027-02-02 11:00", visibility="internal")
    naive = naive_feed(db, CalendarFilter(), Window(NOW), LINKS, "Stadtteilkalender Jena-Nord").decode()
    assert sorted(vevents(served(db))) == sorted(vevents(naive))
    assert len(vevents(naive)) == 4
    assert sum(1 for block in vevents(naive) if values(block, "EXDATE")) == 2
