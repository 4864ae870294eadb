"""One date of a series as editors change it: moved, cancelled, restored, or changed with all that follow."""

from datetime import date, timedelta

from calendar_world import make_all_day
from calendars.recurrence import Recurrence
from event_pages import NEXT_YEAR, WEDNESDAY, WEEKDAYS, browser_as, dates_listed, event_form, given, groups, weekly
from support import field_error, page, post, text_of

__all__ = ["browser_as", "given", "groups"]  # fixtures
SECOND, THIRD = WEDNESDAY + timedelta(days=7), WEDNESDAY + timedelta(days=14)


def only_this(day, **fields) -> dict:
    return {"scope": "only", "start_date": day.isoformat(), "start_time": "12:00", "end_date": "",
            "end_time": "13:00", "place": "", "note": "", **fields}


def test_the_date_form_shows_the_date_as_it_stands(browser_as, given):
    event = given("submitter", "Mittagstisch", **weekly(place="Stadtteilzentrum"))
    soup = page(browser_as("submitter").get(f"/events/{event.slug}/dates/{SECOND}"))
    assert text_of(soup, "h1").startswith("Termin am Mittwoch, ")
    assert soup.select_one("#f-start_date")["value"] == SECOND.isoformat()
    assert soup.select_one("#f-start_time")["value"] == "12:00"
    assert soup.select_one("#f-end_time")["value"] == "13:00"
    assert text_of(soup, "#f-place-hint") == "Leer lassen: Stadtteilzentrum"
    assert text_of(soup, ".sub-nav a[aria-current=page]") == "Nur dieser Termin"


def test_moving_only_one_date_shows_on_the_page(browser_as, given):
    event = given("submitter", "Mittagstisch", **weekly(place="Stadtteilzentrum"))
    submitter = browser_as("submitter")
    response = post(submitter, f"/events/{event.slug}/dates/{SECOND}", **only_this(
        SECOND, start_time="15:00", end_time="16:30", place="Turnhalle", note="Wegen der Renovierung."))
    assert response.headers["location"] == f"/events/{event.slug}?date={SECOND}"
    shown = page(submitter.get(response.headers["location"]))
    assert text_of(shown, ".flash") == "Die Änderung an diesem Termin ist gespeichert."
    assert text_of(shown, ".picked-date .event-when").endswith("15:00–16:30 Uhr")
    assert text_of(shown, ".picked-date .event-note") == "Wegen der Renovierung."
    lines = dates_listed(submitter.get(f"/events/{event.slug}"))
    assert "15:00–16:30 Uhr verschoben Ort: Turnhalle – Wegen der Renovierung." in lines[1]
    assert "12:00–13:00 Uhr" in lines[0] and "verschoben" not in lines[0] + lines[2]


def test_cancelling_one_date_shows_it_cancelled_and_restoring_brings_it_back(browser_as, given):
    event = given("coordinator", "Mittagstisch", **weekly())
    coordinator = browser_as("coordinator")
    post(coordinator, f"/events/{event.slug}/dates/{THIRD}", **only_this(THIRD, cancelled="yes", note="Ferien"))
    lines = dates_listed(browser_as(None).get(f"/events/{event.slug}"))
    assert "abgesagt – Ferien" in lines[2] and "abgesagt" not in lines[1]
    shown = page(coordinator.get(f"/events/{event.slug}"))
    restore = shown.select(".event-dates li")[2].select_one("form")
    assert restore["action"] == f"/events/{event.slug}/dates/{THIRD}/restore"
    response = post(coordinator, restore["action"])
    assert response.headers["location"] == f"/events/{event.slug}?date={THIRD}"
    assert text_of(page(coordinator.get(response.headers["location"])), ".flash") == (
        "Der Termin findet wieder statt, wie die Reihe es vorsieht.")
    assert not any("abgesagt" in line for line in dates_listed(browser_as(None).get(f"/events/{event.slug}")))


def test_a_bad_change_of_one_date_is_shown_next_to_its_field(browser_as, given):
    event = given("submitter", "Mittagstisch", **weekly())
    submitter = browser_as("submitter")
    response = post(submitter, f"/events/{event.slug}/dates/{SECOND}", **only_this(SECOND, end_time="11:00",
                                                                                    note="Später"))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "ends_at") == "Das Ende liegt vor dem Beginn."
    assert soup.select_one("#f-end_time")["value"] == "11:00"
    assert soup.select_one("#f-note").get_text() == "Später"
    response = post(submitter, f"/events/{event.slug}/dates/{SECOND}", **only_this(SECOND, start_date="2027-02-30"))
    assert field_error(page(response), "start_date") == "Bitte geben Sie ein gültiges Datum an."
    response = post(submitter, f"/events/{event.slug}/dates/{SECOND}", **only_this(SECOND, note="x" * 10_001))
    assert field_error(page(response), "note") == "Die Eingabe ist zu lang (höchstens 10000 Zeichen)."


def test_this_and_all_following_dates_splits_the_series(browser_as, given):
    event = given("coordinator", "Mittagstisch", **weekly(place="Stadtteilzentrum"))
    coordinator = browser_as("coordinator")
    form = page(coordinator.get(f"/events/{event.slug}/dates/{THIRD}?scope=following"))
    assert text_of(form, "h1") == "Diesen und alle folgenden Termine ändern"
    assert form.select_one("#f-start_date")["value"] == THIRD.isoformat()
    assert form.select_one("#f-start_time")["value"] == "12:00"
    assert form.select_one("#f-frequency option[selected]")["value"] == "weekly"
    assert [box["value"] for box in form.select("input[name=weekdays][checked]")] == ["WE"]
    version = form.select_one("input[name=version]")["value"]

    response = post(coordinator, f"/events/{event.slug}/dates/{THIRD}", version=version, scope="following",
                    **event_form(title="Mittagstisch", kind="offer", start_date=THIRD.isoformat(), start_time="12:30",
                                 end_time="13:30", frequency="weekly", weekdays="WE", place="Neue Mensa"))
    assert response.status_code == 303
    successor = response.headers["location"]
    assert successor == "/events/mittagstisch-2"
    anonymous = browser_as(None)
    old = dates_listed(anonymous.get(f"/events/{event.slug}"))
    assert len(old) == 2 and all("12:00–13:00 Uhr" in line for line in old)
    assert text_of(page(anonymous.get(f"/events/{event.slug}")), ".event-rule").endswith(
        f"bis {THIRD - timedelta(days=1):%d.%m.%Y}")
    new = page(anonymous.get(successor))
    first = new.select_one(".event-dates li > a")
    assert first["href"] == f"{successor}?date={THIRD}"
    assert " ".join(first.get_text().split()).endswith("12:30–13:30 Uhr")
    assert text_of(page(coordinator.get(successor)), ".flash") == (
        "Die Änderung gilt ab diesem Termin; die bisherige Reihe endet davor.")


def test_a_refused_split_leaves_the_series_as_it_was(browser_as, given):
    event = given("submitter", "Mittagstisch", **weekly())
    submitter = browser_as("submitter")
    version = page(submitter.get(f"/events/{event.slug}/dates/{THIRD}?scope=following")).select_one(
        "input[name=version]")["value"]
    response = post(submitter, f"/events/{event.slug}/dates/{THIRD}", version=version, scope="following",
                    **event_form(title="Mittagstisch", start_date=THIRD.isoformat(), start_time="12:00",
                                 end_time="11:00", frequency="weekly"))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "ends_at") == "Das Ende liegt vor dem Beginn."
    assert soup.select_one("input[name=scope]")["value"] == "following"
    assert len(dates_listed(submitter.get(f"/events/{event.slug}"))) == 12


def test_a_stale_split_is_refused_with_the_stored_version(browser_as, given):
    event = given("submitter", "Mittagstisch", **weekly())
    submitter = browser_as("submitter")
    response = post(submitter, f"/events/{event.slug}/dates/{THIRD}", version="0", scope="following",
                    **event_form(title="Mittagstisch", start_date=THIRD.isoformat(), frequency="weekly"))
    assert response.status_code == 409
    assert text_of(page(response), ".conflict .conflict-title") == "Mittagstisch"


def test_one_date_of_an_all_day_series_moves_by_its_days(browser_as, given, database, coordinator):
    with database.transaction() as db:
        event = make_all_day(db, db.merge(coordinator.person), "Martinsfest", date(NEXT_YEAR, 11, 11),
                             kind="tradition", recurrence=Recurrence("yearly"))
    coordinator_client = browser_as("coordinator")
    day = date(NEXT_YEAR + 1, 11, 11)
    form = page(coordinator_client.get(f"/events/{event.slug}/dates/{day}"))
    assert form.select_one("#f-start_time") is None and form.select_one("#f-end_date")["value"] == day.isoformat()
    response = post(coordinator_client, f"/events/{event.slug}/dates/{day}", scope="only",
                    start_date=f"{NEXT_YEAR + 1}-11-12", end_date=f"{NEXT_YEAR + 1}-11-13", place="", note="")
    assert response.status_code == 303
    shown = page(coordinator_client.get(response.headers["location"]))
    assert text_of(shown, ".picked-date .event-when").endswith(
        f"12. November {NEXT_YEAR + 1} bis {WEEKDAYS[date(NEXT_YEAR + 1, 11, 13).weekday()]}, 13. November {NEXT_YEAR + 1}")
    assert text_of(shown, ".event-rule") == "jedes Jahr am 11. November"


def test_moving_one_date_into_the_hour_the_clock_change_skips_is_refused_at_the_time(browser_as, given):
    event = given("submitter", "Sonntagsfrühstück", **weekly(date(2026, 3, 22)))
    day = date(2026, 3, 29)  # summer time begins: 02:00 becomes 03:00
    response = post(browser_as("submitter"), f"/events/{event.slug}/dates/{day}",
                    **only_this(day, start_time="02:30", end_time="03:30"))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "start_time") == "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht."
    assert field_error(soup, "ends_at") is None and soup.select_one("#f-start_time")["value"] == "02:30"
