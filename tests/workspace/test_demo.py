"""The demo seed: the facts of Jena-Nord, usable right after `werkstadt demo`."""

import re
from datetime import datetime, time, timedelta

import pytest

from calendars.events import review_queue
from calendars.listing import CalendarFilter, calendar_dates
from calendars.models import Event
from governance.base import utcnow
from governance.permissions import Actor
from governance.times import from_berlin, in_berlin, today
from support import CHEAP_HASHER, log_in, page, text_of
from workspace.demo import DEMO_PASSWORD, load_demo


def berlin_clock(instant: datetime) -> str:
    """Weekday and wall-clock time in Berlin, e.g. 'Mi 12:00'."""
    moment = in_berlin(instant)
    return ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")[moment.weekday()] + moment.strftime(" %H:%M")


@pytest.fixture
def demo(database):
    with database.transaction() as db:
        load_demo(db, CHEAP_HASHER)


def test_demo_coordinator_sees_the_programme(client, demo):
    assert log_in(client, "koordination@example.org", DEMO_PASSWORD).status_code == 303
    soup = page(client.get("/"))
    assert text_of(soup, "#programme-heading") == "Präventionskette Jena – Gelingendes Aufwachsen für alle Kinder"


def test_demo_members_log_in(client, demo):
    for email in ("steuerung@example.org", "planung@example.org", "nord@example.org"):
        client.cookies.clear()
        assert log_in(client, email, DEMO_PASSWORD).status_code == 303


def test_demo_organisations_are_listed_with_area(client, demo):
    log_in(client, "nord@example.org", DEMO_PASSWORD)
    soup = page(client.get("/organisations"))
    names = [heading.get_text() for heading in soup.select(".directory h2")]
    assert len(names) == 24
    polaris = next(card for card in soup.select(".directory li") if "Polaris" in card.h2.get_text())
    assert text_of(polaris, ".meta") == "Jugendarbeit · Jena-Nord"


def test_demo_slugs_follow_the_project_rule(database, demo):
    from governance.organisations import list_areas, list_target_groups

    with database.session(write=False) as db:
        assert [area.slug for area in list_areas(db)] == ["jena-nord", "loebstedt", "zwaetzen"]
        slugs = {group.name: group.slug for group in list_target_groups(db)}
    assert slugs["Senior*innen"] == "seniorinnen"
    assert slugs["Kinder (0–10 Jahre) und ihre Familien"] == "kinder-0-10-jahre-und-ihre-familien"


def test_demo_shows_the_three_levels(client, demo):
    log_in(client, "koordination@example.org", DEMO_PASSWORD)
    soup = page(client.get("/groups"))
    names = [a.get_text() for a in soup.select("ul.tree a")]
    assert names == ["Steuerungsgruppe Präventionskette", "Planungsgruppe (Kernteam)", "AG Barrierearme Verwaltung",
                     "AG Übergänge Kita – Grundschule", "Netzwerk Nord für Nord (Sozialraumgruppe Jena-Nord)"]


def test_demo_kick_off_prints_its_timetable(client, demo, database):
    from governance.models import Meeting

    log_in(client, "koordination@example.org", DEMO_PASSWORD)
    with database.session(write=False) as db:
        kick_off = db.query(Meeting).filter_by(title="Kick-Off Präventionskette Jena").one()
    soup = page(client.get(f"/meetings/{kick_off.id}/invitation"))
    text = " ".join(soup.get_text().split())
    starts = ["09:00", "09:15", "09:30", "10:00", "11:00", "11:15", "12:00", "13:00", "14:30", "15:15", "15:30", "16:00"]
    positions = [text.index(start) for start in starts]
    assert positions == sorted(positions)
    assert "16:15" in text


def test_demo_decisions_are_numbered_and_the_need_travels_up(client, demo, database):
    from governance.models import AgendaItem, Decision

    log_in(client, "koordination@example.org", DEMO_PASSWORD)
    with database.session(write=False) as db:
        numbers = sorted(number for (number,) in db.query(Decision.number).filter(Decision.group_id.isnot(None)))
        need = db.query(Decision).filter(Decision.text.like("Bedarf eines Stadtteilbüros%")).one()
        referred = db.query(AgendaItem).filter_by(referred_from_decision_id=need.id).one()
        meeting_title = referred.meeting.title
    assert numbers == ["NN-2024-001", "PG-2023-001", "SG-2025-001"]
    assert meeting_title == "Arbeitstreffen der Planungsgruppe"
    soup = page(client.get(f"/decisions/{need.id}"))
    assert "Arbeitstreffen der Planungsgruppe" in " ".join(soup.get_text().split())


def test_demo_lists_the_city_councils_decisions(client, demo):
    log_in(client, "steuerung@example.org", DEMO_PASSWORD)
    text = " ".join(page(client.get("/decisions")).get_text().split())
    assert "23/1825-BV" in text and "Gesunde Städte-Netzwerk" in text


def test_demo_plan_runs_to_the_extended_end_with_work_ahead(client, demo):
    log_in(client, "planung@example.org", DEMO_PASSWORD)
    soup = page(client.get("/milestones"))
    assert text_of(soup, ".programme-period").endswith(
        "Laufzeit: 01.09.2022 – 31.12.2027 · ursprünglich bis 31.12.2025")
    assert text_of(soup, ".result-count") == "16 Meilensteine"
    assert [heading.get_text() for heading in soup.select(".timeline__focus")] == [
        "1. Wirkungsorientierung", "2. Abbau von Barrieren im Leistungsbezug",
        "3. Übergänge in den Lebens- und Entwicklungsphasen der Kinder", "Ohne Schwerpunkt"]
    survey = next(row for row in soup.select(".timeline__rows li") if "Familienbefragung" in row.get_text())
    assert text_of(survey, ".standing") == "◔ gefährdet"
    assert text_of(survey, ".plan-deps") == "hängt ab von: Adressat*innen-Beteiligung durchgeführt"
    ahead = page(client.get("/milestones?status=planned"))
    assert len(ahead.select(".timeline__rows li")) == 3


def test_demo_extension_is_recorded_on_the_programme_page(client, demo):
    log_in(client, "steuerung@example.org", DEMO_PASSWORD)
    soup = page(client.get("/programme"))
    cells = [" ".join(cell.get_text().split()) for cell in soup.select("table.extensions tbody tr > *")]
    assert cells[:4] == ["31.12.2025", "31.12.2027", "Verlängerung der Förderung (angenommen)",
                         "Netzwerkkoordinatorin Präventionskette"]


def test_demo_stadtteilbuero_milestone_is_served_by_the_need_and_moved_by_nord(client, demo, database):
    from governance.models import Milestone

    with database.session(write=False) as db:
        office = db.query(Milestone).filter(Milestone.title.like("Stadtteilbüro%")).one()
        indicators = sum(len(milestone.indicators) for milestone in db.query(Milestone))
    assert indicators >= 2
    log_in(client, "nord@example.org", DEMO_PASSWORD)
    soup = page(client.get(f"/milestones/{office.id}"))
    facts = {dt.get_text(): " ".join(dt.find_next("dd").get_text().split()) for dt in soup.select("dl.facts dt")}
    assert facts["Gremium"] == "Netzwerk Nord für Nord (Sozialraumgruppe Jena-Nord)"
    assert facts["Verantwortlich"] == "Ortsteilbürgermeister Jena-Nord"
    assert [a.get_text() for a in soup.select("[aria-labelledby=linked-decisions-heading] a")] == ["NN-2024-001"]
    assert text_of(soup, "[aria-labelledby=linked-tasks-heading] li").startswith(
        "Bedarf für ein Stadtteilbüro mit den Akteuren in Jena-Nord erheben")
    assert soup.select_one("#milestone_status form") is not None  # the chair of the responsible group


def test_a_member_outside_the_steering_group_reads_its_adopted_decision(client, demo):
    log_in(client, "nord@example.org", DEMO_PASSWORD)
    soup = page(client.get("/decisions"))
    text = " ".join(soup.get_text().split())
    assert "SG-2025-001" in text and "bis Ende 2027 fortgeführt" in text


def test_demo_calendar_has_the_districts_events_approved_with_their_schedule(database, demo):
    with database.session(write=False) as db:
        events = {event.slug: event for event in db.query(Event)}
        facts = {
            slug: (event.kind, event.review, event.frequency, event.repeat_on, event.weekdays, event.all_day,
                   event.area.name, event.organiser.name if event.organiser else None,
                   [partner.name for partner in event.partners], [group.name for group in event.target_groups])
            for slug, event in events.items() if event.visibility == "public" and event.review == "approved"
        }
        lunch = events["mittagstisch-auf-raedern-zum-essen"]
        times = (berlin_clock(lunch.starts_at), berlin_clock(lunch.ends_at), lunch.last_ends_at)
        week = events["woche-der-seelischen-gesundheit"]
        week_days = (week.ends_at - week.starts_at).days
        rikscha = events["ausfahrt-mit-der-seniorenrikscha-2"]
        season = (rikscha.help_needed, berlin_clock(rikscha.starts_at), rikscha.repeat_until.month)
    church = "Evangelisch-Lutherischer Kirchenkreis – Kirche Löbstedt"
    children = "Kinder (0–10 Jahre) und ihre Familien"
    assert facts["woche-der-seelischen-gesundheit"] == (
        "tradition", "approved", "yearly", "weekday", "", True, "Jena-Nord", None, [], [])
    assert facts["spaetlese-lesung-konzert-spielnachmittag"] == (
        "offer", "approved", "monthly", "weekday", "", False, "Löbstedt", church, [], ["Senior*innen"])
    assert facts["mittagstisch-auf-raedern-zum-essen"] == (
        "offer", "approved", "weekly", "date", "WE", False, "Löbstedt", church, [], ["Senior*innen"])
    assert facts["stadtteilfest-jena-nord"] == (
        "festival", "approved", "yearly", "weekday", "", False, "Jena-Nord", "Netzwerk »Nord für Nord«",
        ["AWO Integrativer Kindergarten »Abenteuerland«", "Drudel 11 e.V. – Jugendzentrum Polaris",
         "Kulturschlachthof e.V."], [children, "Senior*innen"])
    assert facts["laternenumzug-zu-st-martin"] == (
        "tradition", "approved", "yearly", "date", "", False, "Jena-Nord", "Kommunaler Kindergarten »Weltentdecker«",
        [], [children])
    assert facts["kinderfest-zum-weltkindertag"] == (
        "festival", "approved", "yearly", "date", "", True, "Jena-Nord", None, [], [children])
    assert facts["ausfahrt-mit-der-seniorenrikscha"][:8] == (
        "offer", "approved", "weekly", "date", "FR", False, "Jena-Nord", None)
    assert times == ("Mi 12:00", "Mi 13:30", None) and week_days == 7
    assert season == ("Schüler*innen als Fahrer*innen", "Fr 10:00", 10)


def test_demo_calendar_dates_lie_around_the_load_day(database, demo):
    start = from_berlin(datetime.combine(today(), time()))
    with database.session(write=False) as db:
        ahead = calendar_dates(db, CalendarFilter(), start, start + timedelta(days=366))
        behind = calendar_dates(db, CalendarFilter(), start - timedelta(days=366), start)
        titles = {o.event.title for o in ahead}
        cancelled = [(o.event.title, o.note, o.starts_at - start) for o in ahead if o.cancelled]
    assert {"Stadtteilfest Jena-Nord", "Laternenumzug zu St. Martin", "Kinderfest zum Weltkindertag",
            "Woche der seelischen Gesundheit", "Spätlese – Lesung, Konzert, Spielnachmittag",
            "Mittagstisch »Auf Rädern zum Essen«", "Ausfahrt mit der Seniorenrikscha"} == titles
    assert {o.event.title for o in behind} == titles
    [(title, note, distance)] = cancelled
    assert title == "Mittagstisch »Auf Rädern zum Essen«"
    assert note == "Fällt aus: Das Küchenteam ist auf Betriebsausflug."
    assert timedelta(days=10) <= distance < timedelta(days=18)


def test_demo_calendar_feed_shows_the_cancelled_lunch_but_not_the_internal_or_waiting_events(client, demo):
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    feed = response.text
    unfolded = feed.replace("\r\n ", "")
    assert "SUMMARY:Stadtteilfest Jena-Nord\r\n" in feed and "RRULE:FREQ=YEARLY;BYDAY=+2SA;BYMONTH=6\r\n" in feed
    assert "RRULE:FREQ=WEEKLY;BYDAY=WE\r\n" in feed
    # A fresh cancellation is an override with STATUS:CANCELLED, not yet an EXDATE of the series.
    assert "EXDATE" not in feed
    [cancelled] = re.findall(r"RECURRENCE-ID;TZID=Europe/Berlin:(\d{8})T120000\r\n", feed)
    day = datetime.strptime(cancelled, "%Y%m%d").date()
    assert day.weekday() == 2 and timedelta(days=10) <= day - today() < timedelta(days=17)
    replacement = unfolded[unfolded.index(f"RECURRENCE-ID;TZID=Europe/Berlin:{cancelled}T120000"):]
    replacement = replacement[:replacement.index("END:VEVENT")]
    assert "STATUS:CANCELLED" in replacement and "Fällt aus: Das Küchenteam ist auf Betriebsausflug." in replacement
    assert "Vorbereitungstreffen" not in feed and "Aufräumaktion" not in feed


def test_demo_calendar_has_an_internal_event_and_a_submission_waiting_for_review(database, demo):
    with database.session(write=False) as db:
        internal = db.query(Event).filter_by(visibility="internal").one()
        waiting = db.query(Event).filter_by(review="submitted").one()
        coordinator = db.query(Event).filter_by(slug="stadtteilfest-jena-nord").one().submitted_by
        queue = review_queue(db, Actor(coordinator))
        facts = ((internal.title, internal.review, internal.group.code),
                 (waiting.title, waiting.submitted_by.email, waiting.organiser.name), queue == [waiting])
    assert facts == (("Vorbereitungstreffen Stadtteilfest", "approved", "NN"),
                     ("Aufräumaktion im Stadtteil", "nord@example.org", "Ortsteilrat Jena-Nord"), True)


# --- volunteers and shifts (issue 7) ------------------------------------------------------------

def demo_volunteers(db) -> list:
    from workspace.models import Account

    return [account for account in db.query(Account).order_by(Account.id) if account.kind == "volunteer"]


def test_demo_volunteers_have_light_accounts_with_preferences(database, demo):
    from calendars.models import Volunteer

    with database.session(write=False) as db:
        accounts = demo_volunteers(db)
        emails = [account.person.email for account in accounts]
        passwords = {account.password_hash for account in accounts}
        names = [account.person.name for account in accounts]
        rows = [db.get(Volunteer, account.person_id) for account in accounts]
        confirmed = all(row.email_confirmed_at is not None for row in rows)
        paused = [row for row in rows if row.paused_until is not None and row.paused_until > today()]
        kinds = {row.task_kinds for row in rows}
        limits = {row.max_hours_per_month for row in rows}
    assert emails == [f"ehrenamt{number:02d}@example.org" for number in range(1, 31)]
    assert passwords == {None} and confirmed
    assert all(re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+ [A-ZÄÖÜ]\.", name) for name in names)
    assert len(paused) >= 2 and len(kinds) >= 5 and None in limits and len(limits) >= 3


def test_every_demo_volunteer_has_a_confirmed_address_so_calls_for_help_reach_them(database, demo):
    from calendars.models import Volunteer

    with database.session(write=False) as db:
        unconfirmed = [row.person.email for row in db.query(Volunteer) if row.email_confirmed_at is None]
    assert unconfirmed == []


def test_a_demo_volunteer_cannot_log_in_with_the_demo_password_but_gets_a_link(client, database, demo):
    from workspace.models import Mail

    assert log_in(client, "ehrenamt01@example.org", DEMO_PASSWORD).status_code != 303
    token = page(client.get("/login/link")).select_one("input[name=csrf_token]")["value"]
    client.post("/login/link", data={"csrf_token": token, "email": "ehrenamt01@example.org"})
    with database.session(write=False) as db:
        [mail] = db.query(Mail).filter_by(recipient="ehrenamt01@example.org").all()
        body = mail.body_text
    assert "/login/link/" in body


def next_date(db, slug: str):
    from calendars.occurrences import occurrences

    event = db.query(Event).filter_by(slug=slug).one()
    start = from_berlin(datetime.combine(today() + timedelta(days=1), time()))
    return event, occurrences(event, start, start + timedelta(days=400))[0]


def test_demo_has_shifts_with_places_left_on_the_next_festival_dates(client, database, demo):
    from calendars.shifts import shifts_on

    with database.session(write=False) as db:
        plans = {}
        for slug in ("stadtteilfest-jena-nord", "laternenumzug-zu-st-martin"):
            event, coming = next_date(db, slug)
            plans[slug] = [(view.shift.task, view.shift.task_kind, view.taken, view.shift.places, view.waiting)
                           for view in shifts_on(db, event, coming.recurrence_id)]
    assert plans == {
        "stadtteilfest-jena-nord": [("Aufbau", "setup", 2, 6, 0), ("Kuchenstand", "catering", 1, 4, 0),
                                    ("Kinderschminken", "children", 0, 3, 0), ("Abbau", "setup", 1, 5, 0)],
        "laternenumzug-zu-st-martin": [("Ordner*innen", "stewarding", 2, 6, 0),
                                       ("Punsch ausschenken", "catering", 3, 3, 1)],
    }
    board = " ".join(page(client.get("/shifts")).get_text().split())
    assert "Stadtteilfest Jena-Nord" in board and "Laternenumzug zu St. Martin" in board


def test_demo_hours_rest_on_few_shoulders(database, demo):
    from calendars.models import Shift, Signup

    with database.session(write=False) as db:
        volunteers = {account.person_id for account in demo_volunteers(db)}
        confirmed = db.query(Signup).join(Signup.shift).filter(Signup.attended.is_(True)).all()
        durations = {(s.minutes, (s.shift.ends_at - s.shift.starts_at).total_seconds() // 60) for s in confirmed}
        earliest = min(s.shift.starts_at for s in confirmed)
        future = db.query(Signup).join(Signup.shift).filter(Shift.starts_at > utcnow(),
                                                              Signup.attended.isnot(None)).count()
    minutes = {person: 0 for person in volunteers}
    for signup in confirmed:
        minutes[signup.person_id] += signup.minutes
    ranked = sorted(minutes.values(), reverse=True)
    total = sum(ranked)
    assert all(minutes == duration for minutes, duration in durations) and future == 0
    assert today() - in_berlin(earliest).date() <= timedelta(days=366)
    assert total >= 200 * 60
    assert sum(ranked[:len(ranked) // 5]) / total > 0.7  # the busiest fifth
    assert 0.6 <= sum(ranked[:3]) / total <= 0.75
    assert ranked.count(0) >= 5 and sum(1 for value in ranked if 0 < value <= 6 * 60) >= 10


def test_werkstadt_demo_force_reloads_volunteers_and_shifts(tmp_path, monkeypatch, migrated_file, capsys):
    import shutil

    from calendars.models import Shift
    from workspace.cli import main
    from workspace.db import Database

    shutil.copy(migrated_file, tmp_path / "werkstadt.db")
    monkeypatch.setenv("WERKSTADT_DATA", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["demo"]) == 0
    assert main(["demo", "--force"]) == 0
    database = Database(f"sqlite:///{tmp_path / 'werkstadt.db'}")
    with database.session(write=False) as db:
        counts = (len(demo_volunteers(db)), db.query(Shift).filter(Shift.starts_at > utcnow()).count())
    database.dispose()
    assert counts == (30, 6)
