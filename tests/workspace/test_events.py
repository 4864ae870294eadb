"""Events as members submit, read, edit and moderate them: the form, the event page, review, access."""

from datetime import date, timedelta

import pytest

from event_pages import (NEXT_YEAR, WEDNESDAY, WEEKDAYS, browser_as, dates_listed, event_form, given, groups,
                         weekly)
from governance.organisations import create_area, create_organisation, create_target_group
from support import count_queries, csrf_of, field_error, page, post, text_of

__all__ = ["browser_as", "given", "groups"]  # fixtures


def facts(soup) -> dict[str, str]:
    return {" ".join(dt.get_text().split()): " ".join(dt.find_next("dd").get_text().split())
            for dt in soup.select("dl.facts dt")}


# Submitting and moderating ---------------------------------------------------------------------

def test_a_submission_is_public_only_after_the_coordinator_approves_it(browser_as, groups):
    submitter, anonymous = browser_as("submitter"), browser_as(None)
    response = post(submitter, "/events", **event_form(description="Mit Hüpfburg."))
    assert response.status_code == 303
    path = response.headers["location"]
    assert path == "/events/kinderfest-am-nordplatz"
    shown = page(submitter.get(path))
    assert text_of(shown, ".flash") == "Der Termin ist eingereicht – er wartet auf Freigabe."
    assert text_of(shown, "h1") == "Kinderfest am Nordplatz"
    assert text_of(shown, "#event_review h2") == "Freigabe: eingereicht"
    assert shown.select_one("#event_review form") is None  # the submitter does not approve their own
    assert anonymous.get(path).status_code == 404

    coordinator = browser_as("coordinator")
    assert [a.get_text() for a in page(coordinator.get("/events/review")).select(".review-queue h2 a")] == [
        "Kinderfest am Nordplatz"]
    response = post(coordinator, f"{path}/review", decision="approve", back="queue")
    assert response.headers["location"] == "/events/review"
    queue = page(coordinator.get("/events/review"))
    assert text_of(queue, ".flash") == "Der Termin ist freigegeben."
    assert text_of(queue, "main p + p") == "Zurzeit wartet kein Termin auf Freigabe."

    public = page(anonymous.get(path))
    assert text_of(public, "h1") == "Kinderfest am Nordplatz"
    weekday = WEEKDAYS[date(NEXT_YEAR, 6, 13).weekday()]
    assert text_of(public, ".event-when") == f"{weekday}, 13. Juni {NEXT_YEAR}, 14:00–18:00 Uhr"
    assert text_of(public, ".event-text p") == "Mit Hüpfburg."
    assert public.select_one("#event_review") is None


def test_the_coordinators_own_event_is_approved_at_once(browser_as):
    coordinator = browser_as("coordinator")
    response = post(coordinator, "/events", **event_form())
    shown = page(coordinator.get(response.headers["location"]))
    assert text_of(shown, ".flash") == "Der Termin ist gespeichert."
    assert text_of(shown, "#event_review h2") == "Freigabe: freigegeben"
    assert browser_as(None).get(response.headers["location"]).status_code == 200


def test_rejecting_needs_a_reason_which_the_submitter_then_reads(browser_as, given):
    event = given("submitter", "Flohmarkt", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    coordinator = browser_as("coordinator")
    response = post(coordinator, f"/events/{event.slug}/review", decision="reject", reason="  ")
    assert response.status_code == 422
    assert field_error(page(response), "reason") == "Bitte geben Sie einen Grund für die Ablehnung an."
    response = post(coordinator, f"/events/{event.slug}/review", decision="reject",
                    reason="Bitte den Ort angeben.\n\nDanke!")
    assert response.status_code == 303

    mine = page(browser_as("submitter").get("/events/mine"))
    rows = [[" ".join(cell.get_text().split()) for cell in row.select("th, td")] for row in mine.select("tbody tr")]
    assert rows == [["Flohmarkt Veranstaltung", f"02.05.{NEXT_YEAR}, 10:00", "abgelehnt",
                     "Bitte den Ort angeben. Danke!"]]
    assert [p.get_text() for p in mine.select(".review-reason p")] == ["Bitte den Ort angeben.", "Danke!"]


def test_my_events_are_newest_first_with_their_review_state(browser_as, given):
    given("submitter", "Erstes", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    given("submitter", "Zweites", f"{NEXT_YEAR}-04-02 10:00", f"{NEXT_YEAR}-04-02 14:00")
    given("coordinator", "Fremdes", f"{NEXT_YEAR}-04-02 10:00", f"{NEXT_YEAR}-04-02 14:00")
    mine = page(browser_as("submitter").get("/events/mine"))
    assert [text_of(row, "th a") for row in mine.select("tbody tr")] == ["Zweites", "Erstes"]
    assert {text_of(row, ".review") for row in mine.select("tbody tr")} == {"eingereicht"}


def test_the_lists_cost_the_same_queries_for_one_or_three_events(browser_as, given, groups, database):
    coordinator, submitter = browser_as("coordinator"), browser_as("submitter")

    def counts() -> tuple[int, int]:
        return (count_queries(database.engine, lambda: coordinator.get("/events/review")),
                count_queries(database.engine, lambda: submitter.get("/events/mine")))

    given("submitter", "Eins", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00", group=groups.working)
    one = counts()
    for title in ("Zwei", "Drei"):
        given("submitter", title, f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00", group=groups.working)
    assert counts() == one == (6, 4)


def test_a_working_group_chair_moderates_their_groups_events_only(browser_as, given, groups):
    ours = given("submitter", "Nordlauf", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00", group=groups.working)
    other = given("submitter", "Stadtlauf", f"{NEXT_YEAR}-05-03 10:00", f"{NEXT_YEAR}-05-03 14:00")
    chair = browser_as("chair")
    assert [a.get_text() for a in page(chair.get("/events/review")).select(".review-queue h2 a")] == ["Nordlauf"]
    assert post(chair, f"/events/{other.slug}/review", decision="approve").status_code == 404  # hidden from them
    assert chair.get(f"/events/{other.slug}").status_code == 404

    response = post(chair, f"/events/{ours.slug}/review", htmx=True, decision="approve")
    assert response.status_code == 200
    block = page(response)
    assert block.find(True)["id"] == "event_review" and block.select_one("main") is None
    assert text_of(block, "h2") == "Freigabe: freigegeben"
    assert text_of(block, "[role=status]") == "Der Termin ist freigegeben."
    assert browser_as(None).get(f"/events/{ours.slug}").status_code == 200


def test_the_moderation_form_keeps_the_reason_and_says_what_is_missing_in_place(browser_as, given, groups):
    event = given("submitter", "Nordlauf", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00", group=groups.working)
    response = post(browser_as("chair"), f"/events/{event.slug}/review", htmx=True, decision="maybe", reason="Hm")
    assert response.status_code == 422
    block = page(response)
    assert field_error(block, "decision") == "Bitte wählen Sie einen der angebotenen Werte."
    assert block.select_one("#f-reason").get_text() == "Hm"


def test_the_submitter_edits_a_rejected_event_and_it_waits_for_review_again(browser_as, given, database):
    event = given("submitter", "Flohmarkt", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    post(browser_as("coordinator"), f"/events/{event.slug}/review", decision="reject", reason="Ort fehlt.")
    submitter = browser_as("submitter")
    form = page(submitter.get(f"/events/{event.slug}/edit"))
    assert form.select_one("#f-title")["value"] == "Flohmarkt"
    assert form.select_one("#f-start_date")["value"] == f"{NEXT_YEAR}-05-02"
    assert form.select_one("#f-end_time")["value"] == "14:00"
    version = form.select_one("input[name=version]")["value"]
    response = post(submitter, f"/events/{event.slug}/edit", version=version, **event_form(
        title="Flohmarkt", kind="event", start_date=f"{NEXT_YEAR}-05-02", start_time="10:00", end_time="14:00",
        place="Schulhof Nord"))
    assert response.status_code == 303
    shown = page(submitter.get(f"/events/{event.slug}"))
    assert text_of(shown, "#event_review h2") == "Freigabe: eingereicht"
    assert facts(shown)["Ort"] == "Schulhof Nord"


def test_a_member_cannot_edit_an_approved_event(browser_as, given):
    event = given("submitter", "Flohmarkt", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    post(browser_as("coordinator"), f"/events/{event.slug}/review", decision="approve")
    submitter = browser_as("submitter")
    assert submitter.get(f"/events/{event.slug}/edit").status_code == 403
    assert post(submitter, f"/events/{event.slug}/edit", **event_form()).status_code == 403
    assert page(submitter.get(f"/events/{event.slug}")).select_one("a[href$='/edit']") is None


def test_a_stale_edit_is_refused_with_both_versions(browser_as, given, database, coordinator):
    event = given("submitter", "Flohmarkt", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    submitter = browser_as("submitter")
    version = page(submitter.get(f"/events/{event.slug}/edit")).select_one("input[name=version]")["value"]
    coordinator_client = browser_as("coordinator")
    fresh = page(coordinator_client.get(f"/events/{event.slug}/edit")).select_one("input[name=version]")["value"]
    post(coordinator_client, f"/events/{event.slug}/edit", version=fresh, **event_form(title="Fassung von nebenan"))
    response = post(submitter, f"/events/{event.slug}/edit", version=version, **event_form(title="Meine Fassung"))
    assert response.status_code == 409
    soup = page(response)
    assert text_of(soup, ".conflict .conflict-title") == "Fassung von nebenan"
    assert soup.select_one("#f-title")["value"] == "Meine Fassung"
    newer = soup.select_one("input[name=version]")["value"]
    assert newer != version
    assert post(submitter, f"/events/{event.slug}/edit", version=newer, **event_form(title="Meine Fassung")).status_code == 303


def test_an_all_day_event_over_two_days_is_entered_and_edited_by_its_days(browser_as):
    coordinator = browser_as("coordinator")
    response = post(coordinator, "/events", **event_form(
        all_day="yes", start_date=f"{NEXT_YEAR}-06-13", end_date=f"{NEXT_YEAR}-06-14", start_time="", end_time=""))
    assert response.status_code == 303
    first, last = date(NEXT_YEAR, 6, 13), date(NEXT_YEAR, 6, 14)
    assert text_of(page(coordinator.get(response.headers["location"])), ".event-when") == (
        f"{WEEKDAYS[first.weekday()]}, 13. Juni {NEXT_YEAR} bis {WEEKDAYS[last.weekday()]}, 14. Juni {NEXT_YEAR}")
    form = page(coordinator.get(response.headers["location"] + "/edit"))
    assert form.select_one("#f-all_day").has_attr("checked")
    assert [form.select_one(f"#f-{name}")["value"] for name in ("start_date", "end_date", "start_time", "end_time")] == [
        f"{NEXT_YEAR}-06-13", f"{NEXT_YEAR}-06-14", "", ""]


def test_the_form_comes_back_in_place_for_htmx(browser_as):
    response = post(browser_as("submitter"), "/events", htmx=True, **event_form(title=""))
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == "event_form" and soup.select_one("main") is None
    assert field_error(soup, "title") == "Bitte geben Sie einen Titel an."


def test_the_new_event_form_starts_with_sensible_choices(browser_as):
    soup = page(browser_as("submitter").get("/events/new"))
    assert text_of(soup, "h1") == "Termin einreichen"
    assert soup.select_one("#f-kind option[selected]")["value"] == "event"
    assert soup.select_one("#f-visibility-public").has_attr("checked")
    assert soup.select_one("#f-repeat_on-date").has_attr("checked")
    assert not soup.select_one("details.recurrence").has_attr("open")
    assert [legend.get_text() for legend in soup.select("fieldset > legend")] == [
        "Beginn", "Ende", "Wie oft findet der Termin statt?", "An diesen Wochentagen (bei wöchentlicher Wiederholung)",
        "Bei monatlicher und jährlicher Wiederholung", "Unter Beteiligung von", "Wer wird erreicht?", "Sichtbarkeit"]


# Bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, field, message", [
    ({"end_time": "13:00"}, "ends_at", "Das Ende liegt vor dem Beginn."),
    ({"all_day": "yes", "end_date": f"{NEXT_YEAR}-06-12"}, "ends_at", "Das Ende liegt vor dem Beginn."),
    ({"title": "x" * 10_000}, "title", "Die Eingabe ist zu lang (höchstens 200 Zeichen)."),
    ({"title": "  "}, "title", "Bitte geben Sie einen Titel an."),
    ({"frequency": "weekly", "repeat_count": "0"}, "repeat_count",
     "Die Anzahl der Termine muss zwischen 1 und 1000 liegen."),
    ({"frequency": "yearly", "repeat_until": f"{NEXT_YEAR}-01-01"}, "repeat_until",
     "Das Ende der Wiederholung liegt vor dem ersten Termin."),
    ({"frequency": "monthly", "repeat_interval": "0"}, "repeat_interval", "Der Abstand muss zwischen 1 und 99 liegen."),
    ({"frequency": "weekly", "repeat_count": "3", "repeat_until": f"{NEXT_YEAR}-12-01"}, "repeat_count",
     "Bitte geben Sie nur ein Ende an: ein Datum oder eine Anzahl."),
    ({"start_date": "2027-02-30"}, "start_date", "Bitte geben Sie ein gültiges Datum an."),
    ({"start_date": "30.02.2027"}, "start_date", "Bitte geben Sie ein gültiges Datum an."),
    ({"start_time": ""}, "start_time", "Bitte geben Sie eine Uhrzeit an – oder kreuzen Sie „ganztägig“ an."),
    ({"end_time": "25:00"}, "end_time", "Bitte geben Sie eine Uhrzeit an (HH:MM)."),
    ({"online_url": "javascript:alert(1)"}, "online_url", "Bitte geben Sie eine Adresse an, die mit https:// beginnt."),
    ({"weekdays": ["WE", "XX"]}, "weekdays", "Bitte wählen Sie einen der angebotenen Werte."),
    ({"partners": ["999999"]}, "partners", "Bitte wählen Sie einen der angebotenen Werte."),
    ({"kind": "party"}, "kind", "Bitte wählen Sie einen der angebotenen Werte."),
])
def test_bad_input_is_shown_next_to_its_field_and_the_typed_values_stay(browser_as, database, fields, field, message):
    with database.transaction() as db:
        create_organisation(db, "Kita Nordlicht", "daycare")
    submitter = browser_as("submitter")
    response = post(submitter, "/events", **event_form(description="Mein Text", **fields))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, field) == message
    invalid = soup.select("[aria-invalid=true]")
    assert invalid and f"f-{field}-error" in invalid[0].get("aria-describedby", "")
    assert soup.select_one("#f-description").get_text() == "Mein Text"
    assert soup.select_one("#f-start_date")["value"] == fields.get("start_date", f"{NEXT_YEAR}-06-13")
    assert soup.select_one("#f-title")["value"] == fields.get("title", "Kinderfest am Nordplatz")


@pytest.mark.parametrize("fields, field", [
    ({"start_date": "2026-03-29", "start_time": "02:30", "end_time": "04:00"}, "start_time"),
    ({"start_date": "2026-03-28", "start_time": "22:00", "end_date": "2026-03-29", "end_time": "02:00"}, "end_time"),
])
def test_a_time_the_clock_change_skips_is_an_error_on_its_field(browser_as, fields, field):
    """On 29 March 2026 Berlin clocks jump from 02:00 to 03:00: 02:30 does not exist that day."""
    response = post(browser_as("submitter"), "/events", **event_form(**fields))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, field) == "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht."
    assert field_error(soup, "ends_at") is None
    assert soup.select_one(f"#f-{field}")["value"] == fields[field]


def test_times_around_the_clock_change_that_exist_are_kept(browser_as):
    submitter = browser_as("submitter")
    response = post(submitter, "/events", **event_form(start_date="2026-03-29", start_time="01:30", end_time="03:30"))
    assert response.status_code == 303
    when = text_of(page(submitter.get(response.headers["location"])), ".event-when")
    assert when == "Sonntag, 29. März 2026, 01:30–03:30 Uhr"


def test_a_weekly_series_without_end_lists_its_next_twelve_dates(browser_as):
    submitter = browser_as("submitter")
    response = post(submitter, "/events", **event_form(
        title="Mittagstisch", kind="offer", start_date=WEDNESDAY.isoformat(), start_time="12:00", end_time="13:00",
        frequency="weekly", weekdays=["WE", "FR"]))
    assert response.status_code == 303
    shown = page(submitter.get(response.headers["location"]))
    assert text_of(shown, ".event-rule") == "jede Woche: mittwochs, freitags"
    dates = shown.select(".event-dates li > a")
    assert len(dates) == 12
    assert dates[0]["href"] == f"/events/mittagstisch?date={WEDNESDAY}"
    assert dates[1]["href"] == f"/events/mittagstisch?date={WEDNESDAY + timedelta(days=2)}"
    assert " ".join(dates[0].get_text().split()).endswith("12:00–13:00 Uhr")


def test_the_repeat_on_choice_explains_itself_with_the_first_date(browser_as):
    response = post(browser_as("submitter"), "/events", **event_form(
        start_date=f"{NEXT_YEAR}-06-13", frequency="yearly", repeat_on="weekday", repeat_count="0"))
    labels = [" ".join(label.get_text().split()) for label in page(response).select("#f-repeat_on label")]
    position = (13 - 1) // 7 + 1
    assert labels[0] == "am selben Tag, z. B. am 13. Juni"
    assert labels[1].startswith(f"am selben Wochentag, z. B. am „{position}. ") and labels[1].endswith(" im Juni“")
    assert page(response).select_one("details.recurrence").has_attr("open")


# The event page --------------------------------------------------------------------------------

def test_html_in_the_description_is_shown_as_text(browser_as, given):
    event = given("coordinator", "Fest", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00",
                  description="<script>alert('x')</script>\n<b>fett</b>\n\nZweiter Absatz",
                  help_needed="<img src=x onerror=alert(1)>")
    response = browser_as(None).get(f"/events/{event.slug}")
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    soup = page(response)
    assert [p.get_text("|") for p in soup.select(".event-text p")] == [
        "<script>alert('x')</script>|<b>fett</b>", "Zweiter Absatz"]
    assert text_of(soup, ".help-needed p") == "<img src=x onerror=alert(1)>"


def test_the_page_names_who_takes_part_and_who_is_reached(browser_as, given, database):
    with database.transaction() as db:
        area = create_area(db, "Nord I")
        kita = create_organisation(db, "Kita Nordlicht", "daycare", area)
        school = create_organisation(db, "Grundschule Nord", "other", area)
        families = create_target_group(db, "Familien mit Kindern bis 6")
    event = given("coordinator", "Laternenfest", f"{NEXT_YEAR}-11-11 17:00", f"{NEXT_YEAR}-11-11 19:00",
                  area=area, organiser=kita, partners=(school, kita), target_groups=(families,),
                  online_url="https://example.org/fest", status="tentative", help_needed="Kuchen")
    public = page(browser_as(None).get(f"/events/{event.slug}"))
    assert facts(public) == {"Ort": "–", "Online": "https://example.org/fest", "Ortsteil": "Nord I",
                             "Veranstaltet von": "Kita Nordlicht",
                             "Unter Beteiligung von": "Grundschule Nord, Kita Nordlicht",
                             "Wer wird erreicht": "Familien mit Kindern bis 6"}
    assert text_of(public, ".event-meta") == "Veranstaltung unter Vorbehalt"
    assert text_of(public, ".help-needed h2") == "Hilfe gesucht"


def test_the_contact_person_is_named_to_members_only(browser_as, given, database, member):
    event = given("coordinator", "Fest", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00",
                  contact=member.person)
    assert "Ansprechperson" not in facts(page(browser_as(None).get(f"/events/{event.slug}")))
    assert facts(page(browser_as("outsider").get(f"/events/{event.slug}")))["Ansprechperson"] == "Mira Mitglied"


def test_internal_events_are_for_members_only(browser_as, given):
    event = given("coordinator", "Klausur", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00",
                  visibility="internal")
    assert browser_as(None).get(f"/events/{event.slug}").status_code == 404
    assert "nur im Netzwerk" in text_of(page(browser_as("outsider").get(f"/events/{event.slug}")), ".event-meta")


def test_the_page_offers_the_public_feed_to_subscribe(browser_as, given):
    event = given("coordinator", "Fest", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    soup = page(browser_as(None).get(f"/events/{event.slug}"))
    assert soup.select_one("#subscribe-url")["value"] == "http://testserver/calendar.ics"
    assert soup.select_one(".subscribe a.button")["href"] == "webcal://testserver/calendar.ics"


@pytest.mark.parametrize("query, status, message", [
    ("?date=2027-02-30", 400, "Das Datum in der Adresse ist ungültig. Bitte wählen Sie einen der Termine unten."),
    ("?date=morgen", 400, "Das Datum in der Adresse ist ungültig. Bitte wählen Sie einen der Termine unten."),
    ("?date=2020-01-01", 404, "An diesem Tag findet kein Termin statt. Bitte wählen Sie einen der Termine unten."),
])
def test_a_date_the_event_does_not_have_is_explained(browser_as, given, query, status, message):
    event = given("coordinator", "Mittagstisch", **weekly())
    response = browser_as(None).get(f"/events/{event.slug}{query}")
    assert response.status_code == status
    soup = page(response)
    assert text_of(soup, "#date-problem") == message
    assert len(soup.select(".event-dates li")) == 12


@pytest.mark.parametrize("day", ["0000-01-01", "9999-12-29", "2026-02-30", "1899-12-27", "2200-01-01", "+2026-01-01"])
def test_a_date_beyond_plausible_years_is_refused_before_the_series_is_expanded(browser_as, given, day):
    """9999-12-29 once expanded a weekly series over 8,000 years (1.6 s of CPU) before answering."""
    event = given("coordinator", "Mittagstisch", **weekly())
    coordinator = browser_as("coordinator")
    assert coordinator.get(f"/events/{event.slug}?date={day}").status_code == 400
    assert coordinator.get(f"/events/{event.slug}/dates/{day}").status_code == 404
    assert coordinator.get(f"/events/{event.slug}/dates/{day}?scope=following").status_code == 404
    assert post(coordinator, f"/events/{event.slug}/dates/{day}", **event_form()).status_code == 404
    assert post(coordinator, f"/events/{event.slug}/dates/{day}/restore").status_code == 404


def test_one_date_of_a_series_has_its_own_view(browser_as, given):
    event = given("coordinator", "Mittagstisch", **weekly())
    second = WEDNESDAY + timedelta(days=7)
    soup = page(browser_as(None).get(f"/events/{event.slug}?date={second}"))
    assert text_of(soup, ".picked-date h2").startswith("Termin am Mittwoch, ")
    assert text_of(soup, ".picked-date .event-when").endswith("12:00–13:00 Uhr")
    assert dates_listed(browser_as(None).get(f"/events/{event.slug}"))[1].startswith("Mittwoch, ")


# Who may do what: coordinator / chair of the working group the event belongs to / the member who
# submitted it / chair of the planning group (moderates nothing) / anonymous.
ROLES = ("coordinator", "chair", "submitter", "outsider", None)
RULES = [  # method, path, statuses in the order of ROLES
    ("GET", "/events/new", (200, 200, 200, 200, 303)),
    ("POST", "/events", (422, 422, 422, 422, 303)),
    ("GET", "/events/mine", (200, 200, 200, 200, 303)),
    ("GET", "/events/review", (200, 200, 403, 403, 303)),
    ("GET", "/events/{slug}", (200, 200, 200, 404, 404)),
    ("GET", "/events/{slug}/edit", (200, 200, 200, 404, 303)),
    ("POST", "/events/{slug}/edit", (422, 422, 422, 404, 303)),
    ("POST", "/events/{slug}/review", (422, 422, 403, 404, 303)),
    ("GET", "/events/{slug}/dates/{day}", (200, 200, 200, 404, 303)),
    ("POST", "/events/{slug}/dates/{day}", (422, 422, 422, 404, 303)),
    ("POST", "/events/{slug}/dates/{day}/restore", (303, 303, 303, 404, 303)),
]  # the outsider cannot see the submitted event: every route answers as if it did not exist


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(browser_as, given, groups, role):
    event = given("submitter", "Nordlauf", **weekly(group=groups.working))
    browser = browser_as(role)
    token = csrf_of(browser, "/profile" if role else "/login")
    for method, path, expected in RULES:
        url = path.replace("{slug}", event.slug).replace("{day}", WEDNESDAY.isoformat())
        response = browser.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[ROLES.index(role)], (role, method, path)


@pytest.mark.parametrize("review", ["submitted", "rejected", "internal"])
def test_an_event_hidden_from_a_member_answers_404_on_every_route_as_if_it_did_not_exist(browser_as, given, review):
    fields = {"visibility": "internal"} if review == "internal" else {}
    event = given("coordinator" if review == "internal" else "submitter", "Nordlauf", **weekly(**fields))
    if review == "rejected":
        post(browser_as("coordinator"), f"/events/{event.slug}/review", decision="reject", reason="Nein")
    outsider = browser_as("outsider")
    day = WEDNESDAY.isoformat()
    answers = {path: outsider.get(path).status_code for path in (
        f"/events/{event.slug}", f"/events/{event.slug}/edit", f"/events/{event.slug}/dates/{day}")}
    answers |= {path: post(outsider, path, decision="approve").status_code for path in (
        f"/events/{event.slug}/edit", f"/events/{event.slug}/review", f"/events/{event.slug}/dates/{day}",
        f"/events/{event.slug}/dates/{day}/restore")}
    if review == "internal":  # members see approved internal events, but may not change them
        assert answers[f"/events/{event.slug}"] == 200 and set(answers.values()) == {200, 403}
    else:
        assert set(answers.values()) == {404}, answers
        hidden = outsider.get(f"/events/{event.slug}/edit").text.replace(event.slug, "x")
        assert hidden == outsider.get("/events/unbekannt/edit").text.replace("unbekannt", "x")


def test_unknown_events_and_days_are_404(browser_as, given):
    event = given("coordinator", "Mittagstisch", **weekly())
    coordinator = browser_as("coordinator")
    assert coordinator.get("/events/gibt-es-nicht").status_code == 404
    for day in ("2027-02-30", "morgen", (WEDNESDAY + timedelta(days=1)).isoformat()):
        assert coordinator.get(f"/events/{event.slug}/dates/{day}").status_code == 404
        assert post(coordinator, f"/events/{event.slug}/dates/{day}/restore").status_code == 404
    single = given("coordinator", "Fest", f"{NEXT_YEAR}-05-02 10:00", f"{NEXT_YEAR}-05-02 14:00")
    assert coordinator.get(f"/events/{single.slug}/dates/{NEXT_YEAR}-05-02").status_code == 404
