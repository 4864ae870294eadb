"""The personal feed token as its owner meets it on /profile (create, renew, revoke, subscribe links),
and the feeds it opens: a group's meetings with their agenda, the person's own meetings, due tasks and
milestones. Anything else (no token, a wrong, revoked or foreign one) is the same plain 404."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from calendars import feeds
from calendars.models import FeedToken
from feed_parsers import read_by_all, summary
from governance.agenda import ItemDraft, add_agenda_item, remove_agenda_item
from governance.meetings import MeetingDraft, schedule_meeting, set_meeting_status
from governance.milestones import MilestoneDraft, create_milestone, set_milestone_status, update_milestone
from governance.models import AgendaItem, ChangeRecord, Meeting, Milestone, Person, Task
from governance.permissions import actor_for
from governance.programmes import create_programme
from governance.tasks import create_task, set_task_status, update_task
from governance.times import today
from networks import network_with
from support import as_person, berlin, count_queries, csrf_of, page, post, text_of
from workspace.auth import set_active
from workspace.models import Account

YEAR = today().year + 1
NOT_FOUND = (404, "text/plain; charset=utf-8", "Nicht gefunden.")


@pytest.fixture
def outsider(make_account):
    return make_account("planung@example.org", "Paula Planung")


@pytest.fixture
def network(database, coordinator, member, outsider):
    """Mira is a member of working group NN, Paula chairs the planning group. NN meets twice (once
    cancelled), the planning group once; Mira owns an open and a done task and is responsible for a milestone."""
    groups = network_with(database, ((member, "working", "member"), (outsider, "planning", "chair")))
    with database.transaction() as db:
        actor, mira = actor_for(db, db.merge(coordinator.person), today()), db.merge(member.person)
        working, planning = db.merge(groups.working), db.merge(groups.planning)
        meeting = schedule_meeting(db, actor, working, MeetingDraft(
            "Sitzung", berlin(f"{YEAR}-02-10 17:00"), place="Stadtteilbüro", online_url="https://meet.example/nn"))
        add_agenda_item(db, actor, meeting, ItemDraft("Begrüßung", duration_minutes=10))
        add_agenda_item(db, actor, meeting, ItemDraft("Mittagstisch; Raum, Zeit", duration_minutes=30))
        cancelled = schedule_meeting(db, actor, working, MeetingDraft("Sondersitzung", berlin(f"{YEAR}-07-07 18:00")))
        set_meeting_status(db, actor, cancelled, "cancelled")
        schedule_meeting(db, actor, planning, MeetingDraft("Kernteam", berlin(f"{YEAR}-02-11 09:00")))
        create_task(db, actor, working, "Flyer drucken", mira, due_on=date(YEAR, 2, 20))
        done = create_task(db, actor, working, "Raum buchen", mira, due_on=date(YEAR, 2, 5))
        set_task_status(db, actor, done, "done")
        create_task(db, actor, planning, "Bericht schreiben", db.merge(outsider.person), due_on=date(YEAR, 3, 1))
        programme = create_programme(db, "Präventionskette", date(2022, 9, 1), date(YEAR + 5, 12, 31))
        milestone = create_milestone(db, actor, programme, MilestoneDraft(
            "Familienbefragung", responsible=mira, due_on=date(YEAR, 6, 30)), confirm_outside=True)
        return {"groups": groups, "meeting": meeting.id, "milestone": milestone.id}


def token_for(database, account) -> str:
    with database.transaction() as db:
        return feeds.renew_token(db, db.merge(account.person)).token


def assert_not_found(response) -> None:
    assert (response.status_code, response.headers["content-type"], response.text) == NOT_FOUND
    assert "set-cookie" not in response.headers


# --- /profile -----------------------------------------------------------------------------------

def test_the_profile_offers_a_personal_calendar_link_when_there_is_none(client, member):
    soup = page(as_person(client, member.person.email).get("/profile"))
    section = soup.select_one("section[aria-labelledby=feeds-heading]")
    assert text_of(section, "h2") == "Kalender abonnieren"
    assert [b.get_text(strip=True) for b in section.select("form button")] == ["Persönlichen Kalender-Link erzeugen"]
    assert section.select("a[href^='webcal://']") == []


def test_creating_the_link_shows_the_subscribe_box_and_each_groups_meetings_feed(client, database, member, network):
    as_person(client, member.person.email)
    response = post(client, "/profile/feed-token")
    assert (response.status_code, response.headers["location"]) == (303, "/profile#feeds-heading")
    token = _stored_token(database, member)
    assert len(token) >= 40
    soup = page(client.get("/profile"))
    assert "Ihr neuer Kalender-Link ist erzeugt." in text_of(soup, ".flashes")
    personal = soup.select_one("#personal-feed")
    assert personal.select_one("a.button")["href"] == f"webcal://testserver/feeds/{token}.ics"
    assert personal.select_one("input#personal-feed-url")["value"] == f"http://testserver/feeds/{token}.ics"
    assert personal.select_one("label[for=personal-feed-url]") is not None
    slug = network["groups"].working.slug
    groups = [(li.h3.get_text(strip=True), li.a["href"], li.input["value"]) for li in soup.select(".group-feed")]
    assert groups == [("Netzwerk Nord für Nord", f"webcal://testserver/groups/{slug}/meetings.ics?token={token}",
                       f"http://testserver/groups/{slug}/meetings.ics?token={token}")]
    buttons = [b.get_text(strip=True) for b in soup.select("section[aria-labelledby=feeds-heading] form button")]
    assert buttons == ["Neuen Link erzeugen", "Link widerrufen"]


def test_the_token_is_shown_to_its_owner_only(client, other_client, database, member, outsider, network):
    token = token_for(database, member)
    assert token in as_person(client, member.person.email).get("/profile").text
    assert token not in as_person(other_client, outsider.person.email).get("/profile").text
    assert token not in client.get("/").text


def test_renewing_stops_the_old_link_and_revoking_stops_every_link(client, database, member, network):
    old = token_for(database, member)
    assert client.get(f"/feeds/{old}.ics").status_code == 200
    as_person(client, member.person.email)
    assert post(client, "/profile/feed-token").status_code == 303
    new = _stored_token(database, member)
    assert new != old
    assert_not_found(client.get(f"/feeds/{old}.ics"))
    assert client.get(f"/feeds/{new}.ics").status_code == 200
    response = post(client, "/profile/feed-token/revoke")
    assert (response.status_code, response.headers["location"]) == (303, "/profile#feeds-heading")
    assert_not_found(client.get(f"/feeds/{new}.ics"))
    slug = network["groups"].working.slug
    assert_not_found(client.get(f"/groups/{slug}/meetings.ics?token={new}"))
    soup = page(client.get("/profile"))
    assert "Ihr Kalender-Link ist widerrufen." in text_of(soup, ".flashes")
    assert new not in soup.text and soup.select("#personal-feed") == []


def _stored_token(database, account) -> str:
    with database.session(write=False) as db:
        return db.scalar(select(FeedToken.token).where(FeedToken.person_id == account.person.id))


# --- the group's meetings -----------------------------------------------------------------------

def test_a_member_subscribes_to_their_groups_meetings_with_the_agenda(client, database, member, network):
    slug = network["groups"].working.slug
    response = client.get(f"/groups/{slug}/meetings.ics?token={token_for(database, member)}")
    assert (response.status_code, response.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    assert re.search(r"\r\nX-WR-CALNAME:Sitzungen: Netzwerk Nord für Nord\r\n", response.text)
    entries = read_by_all(response.text)
    assert summary(entries) == [
        ("Netzwerk Nord für Nord: Sitzung", berlin(f"{YEAR}-02-10 17:00"), "CONFIRMED"),
        ("Netzwerk Nord für Nord: Sondersitzung", berlin(f"{YEAR}-07-07 18:00"), "CANCELLED"),
    ]
    meeting = entries[0]
    assert meeting.end == berlin(f"{YEAR}-02-10 17:40")  # the end of the agenda's timetable
    assert meeting.description == ("Tagesordnung:\n17:00 TOP 1: Begrüßung (10 Min.)\n"
                                   "17:10 TOP 2: Mittagstisch; Raum, Zeit (30 Min.)")
    assert meeting.location == "Stadtteilbüro, https://meet.example/nn"
    assert meeting.url == f"http://testserver/meetings/{network['meeting']}"
    assert "TOP 2: Mittagstisch\\; Raum\\, Zeit" in re.sub(r"\r\n ", "", response.text)
    _assert_rfc_basics(response.text)


def test_the_coordinator_may_subscribe_to_any_groups_meetings(client, database, coordinator, network):
    slug = network["groups"].planning.slug
    response = client.get(f"/groups/{slug}/meetings.ics?token={token_for(database, coordinator)}")
    assert [entry.title for entry in read_by_all(response.text)] == ["Planungsgruppe (Kernteam): Kernteam"]


def test_the_group_feed_is_one_plain_404_for_everyone_else(client, database, member, outsider, network):
    working = network["groups"].working.slug
    foreign, own = token_for(database, outsider), token_for(database, member)
    for url in (f"/groups/{working}/meetings.ics?token={foreign}",  # a valid token, not a member
                f"/groups/{working}/meetings.ics", f"/groups/{working}/meetings.ics?token=",
                f"/groups/{working}/meetings.ics?token={own[:-1]}", f"/groups/{working}/meetings.ics?token={'x' * 500}",
                f"/groups/unbekannt/meetings.ics?token={own}"):
        assert_not_found(client.get(url))


def test_the_group_feed_answers_304_to_a_client_with_the_current_copy(client, database, member, network):
    url = f"/groups/{network['groups'].working.slug}/meetings.ics?token={token_for(database, member)}"
    first = client.get(url)
    assert first.headers["cache-control"] == "private, max-age=900" and first.headers["last-modified"]
    assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 304


# --- the personal feed --------------------------------------------------------------------------

def test_the_personal_feed_has_my_meetings_and_my_due_tasks_and_milestones_all_day(client, database, member, network):
    response = client.get(f"/feeds/{token_for(database, member)}.ics")
    assert (response.status_code, response.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    assert re.search(r"\r\nX-WR-CALNAME:Werkstadt: Mira Mitglied\r\n", response.text)
    entries = read_by_all(response.text)
    assert summary(entries) == [
        ("Netzwerk Nord für Nord: Sitzung", berlin(f"{YEAR}-02-10 17:00"), "CONFIRMED"),
        ("Aufgabe fällig: Flyer drucken", date(YEAR, 2, 20), ""),
        ("Meilenstein fällig: Familienbefragung", date(YEAR, 6, 30), ""),
        ("Netzwerk Nord für Nord: Sondersitzung", berlin(f"{YEAR}-07-07 18:00"), "CANCELLED"),
    ]
    task, milestone = entries[1], entries[2]
    assert (task.end, task.url) == (date(YEAR, 2, 21), "http://testserver/tasks")
    assert milestone.url == f"http://testserver/milestones/{network['milestone']}"
    text = re.sub(r"\r\n ", "", response.text)
    assert f"\r\nDTSTART;VALUE=DATE:{YEAR}0220\r\n" in text and f"\r\nDTEND;VALUE=DATE:{YEAR}0221\r\n" in text
    _assert_rfc_basics(response.text)


def test_a_revoked_or_unknown_token_is_the_same_plain_404(client, database, member, network):
    token = token_for(database, member)
    with database.transaction() as db:
        feeds.revoke_token(db, db.merge(member.person))
    for url in (f"/feeds/{token}.ics", "/feeds/unbekannt.ics", f"/feeds/{'a' * 43}.ics", "/feeds/.ics.ics"):
        assert_not_found(client.get(url))


def test_a_deactivated_persons_link_stops_working(client, database, member, coordinator, network):
    token = token_for(database, member)
    with database.transaction() as db:
        set_active(db, db.get(Account, member.id), False, db.get(Account, coordinator.id))
    assert_not_found(client.get(f"/feeds/{token}.ics"))
    assert_not_found(client.get(f"/groups/{network['groups'].working.slug}/meetings.ics?token={token}"))


def test_the_personal_feed_answers_304_and_changes_its_etag_with_a_new_task(client, database, member, coordinator,
                                                                            network):
    url = f"/feeds/{token_for(database, member)}.ics"
    etag = client.get(url).headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with database.transaction() as db:
        actor = actor_for(db, db.merge(coordinator.person), today())
        create_task(db, actor, db.merge(network["groups"].working), "Kuchen backen", db.merge(member.person),
                    due_on=date(YEAR, 4, 1))
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Aufgabe fällig: Kuchen backen" in response.text



def test_a_moved_due_date_advances_sequence_and_a_done_task_makes_the_feed_newer(client, database, member,
                                                                                coordinator, network):
    url = f"/feeds/{token_for(database, member)}.ics"
    task_of = lambda text: re.search(r"BEGIN:VEVENT\r\n(?:(?!END:VEVENT).)*?Flyer drucken.*?END:VEVENT", text, re.S)[0]
    assert "SEQUENCE:0\r\n" in task_of(client.get(url).text)
    with database.transaction() as db:
        task = db.scalar(select(Task).where(Task.title == "Flyer drucken"))
        update_task(db, actor_for(db, db.merge(coordinator.person), today()), task, task.title, task.owner,
                    date(YEAR, 2, 27))
    moved = task_of(client.get(url).text)
    assert "SEQUENCE:1\r\n" in moved and f"DTSTART;VALUE=DATE:{YEAR}0227\r\n" in moved
    a_day_passes(database)
    before = client.get(url).headers["last-modified"]
    with database.transaction() as db:
        task = db.scalar(select(Task).where(Task.title == "Flyer drucken"))
        set_task_status(db, actor_for(db, db.merge(coordinator.person), today()), task, "done")
    done = client.get(url, headers={"If-Modified-Since": before})
    assert done.status_code == 200 and "Flyer drucken" not in done.text


def test_a_new_agenda_item_makes_the_meeting_newer_and_advances_its_sequence(client, database, member, coordinator,
                                                                             network):
    token = token_for(database, member)
    urls = (f"/groups/{network['groups'].working.slug}/meetings.ics?token={token}", f"/feeds/{token}.ics")
    a_day_passes(database)
    before = [client.get(url) for url in urls]
    with database.transaction() as db:
        meeting = db.get(Meeting, network["meeting"])
        add_agenda_item(db, actor_for(db, db.merge(coordinator.person), today()), meeting,
                        ItemDraft("Kassenbericht", duration_minutes=15))
    for url, first in zip(urls, before):
        response = client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert response.status_code == 200, url
        old, new = meeting_block(first.text, "Sitzung"), meeting_block(response.text, "Sitzung")
        assert sequence_of(new) > sequence_of(old)
        assert "17:40 TOP 3: Kassenbericht (15 Min.)" in new.replace("\r\n ", "")
        assert re.search(r"LAST-MODIFIED:(\S+)", new)[1] > re.search(r"LAST-MODIFIED:(\S+)", old)[1]


def test_a_removed_agenda_item_never_takes_the_sequence_back(client, database, member, coordinator, network):
    url = f"/groups/{network['groups'].working.slug}/meetings.ics?token={token_for(database, member)}"
    a_day_passes(database)
    before = sequence_of(meeting_block(client.get(url).text, "Sitzung"))
    with database.transaction() as db:
        item = db.scalar(select(AgendaItem).where(AgendaItem.title == "Begrüßung"))
        remove_agenda_item(db, actor_for(db, db.merge(coordinator.person), today()), item)
    after = meeting_block(client.get(url).text, "Sitzung")
    assert sequence_of(after) > before and "Begrüßung" not in after


@pytest.mark.parametrize("change", ["done", "handed on"])
def test_a_milestone_marked_done_or_handed_on_makes_the_feed_newer(client, database, member, coordinator, outsider,
                                                                   network, change):
    url = f"/feeds/{token_for(database, member)}.ics"
    a_day_passes(database)
    before = client.get(url)
    assert "Familienbefragung" in before.text
    with database.transaction() as db:
        actor, milestone = actor_for(db, db.merge(coordinator.person), today()), db.get(Milestone, network["milestone"])
        if change == "done":
            set_milestone_status(db, actor, milestone, "done", milestone.version_id)
        else:
            handed_on = MilestoneDraft(milestone.title, responsible=db.merge(outsider.person), due_on=milestone.due_on)
            update_milestone(db, actor, milestone, handed_on, milestone.version_id)
    response = client.get(url, headers={"If-Modified-Since": before.headers["last-modified"]})
    assert response.status_code == 200 and "Familienbefragung" not in response.text


def test_the_personal_feed_costs_the_same_queries_however_many_meetings(client, database, member, coordinator,
                                                                        network):
    url = f"/feeds/{token_for(database, member)}.ics"
    few = count_queries(database.engine, lambda: client.get(url))
    with database.transaction() as db:
        actor, working = actor_for(db, db.merge(coordinator.person), today()), db.merge(network["groups"].working)
        for month in range(3, 9):
            draft = MeetingDraft("Sitzung", berlin(f"{YEAR}-{month:02d}-03 17:00"))
            meeting = schedule_meeting(db, actor, working, draft)
            add_agenda_item(db, actor, meeting, ItemDraft("Bericht", duration_minutes=20))
    response = client.get(url)
    assert response.text.count("BEGIN:VEVENT") == 10
    assert count_queries(database.engine, lambda: client.get(url)) == few


def a_day_passes(database) -> None:
    """Everything so far happened a day earlier (Last-Modified counts whole seconds)."""
    with database.transaction() as db:
        for task in db.scalars(select(Task)):
            task.updated_at -= timedelta(days=1)
        for record in db.scalars(select(ChangeRecord)):
            record.changed_at -= timedelta(days=1)
        for row in (*db.scalars(select(Meeting)), *db.scalars(select(Milestone))):
            row.created_at -= timedelta(days=1)


def meeting_block(text: str, title: str) -> str:
    return re.search(rf"BEGIN:VEVENT\r\n(?:(?!END:VEVENT).)*?SUMMARY:[^\r]*: {title}\r\n.*?END:VEVENT", text, re.S)[0]


def sequence_of(block: str) -> int:
    return int(re.search(r"\r\nSEQUENCE:(\d+)\r\n", block)[1])


def _assert_rfc_basics(text: str) -> None:
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line) for line in text.encode().split(b"\r\n")) <= 75
    assert set(re.findall(r";TZID=([^;:]+)", text)) <= set(re.findall(r"\r\nTZID:([^\r]+)", text))
    assert "\r\nTZID:Europe/Berlin\r\n" in text
    assert text.count("BEGIN:VEVENT") == text.count("\r\nDTSTAMP:") == len(set(re.findall(r"\r\nUID:([^\r]+)", text)))


# --- who may use which route: coordinator / member of NN / chair of the planning group / anonymous.
# Feeds ignore the login: each role asks with its own token ({token}); anonymous has none.
ROLES = {"coordinator": "koordination@example.org", "member": "mitglied@example.org",
         "outsider": "planung@example.org", "anonymous": None}
RULES = [  # method, path, (coordinator, member, outsider, anonymous)
    ("GET", "/calendar.ics", (200, 200, 200, 200)),
    ("GET", "/calendar.ics?area=atlantis", (400, 400, 400, 400)),
    ("GET", "/groups/{group}/meetings.ics", (200, 200, 404, 404)),
    ("GET", "/feeds/{token}.ics", (200, 200, 200, 404)),
    ("POST", "/profile/feed-token", (303, 303, 303, 303)),  # anonymous: to the login
    ("POST", "/profile/feed-token/revoke", (303, 303, 303, 303)),
]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_use_the_feeds(client, database, role, network):
    token = "kein-gueltiger-token-0123456789abcdefghij"
    if ROLES[role]:
        as_person(client, ROLES[role])
        with database.transaction() as db:
            person = db.scalar(select(Person).where(Person.email == ROLES[role]))
            token = feeds.renew_token(db, person).token
    csrf = csrf_of(client, "/profile" if ROLES[role] else "/login")
    index = list(ROLES).index(role)
    for method, path, expected in RULES:
        url = path.replace("{group}", network["groups"].working.slug).replace("{token}", token)
        if "{group}" in path:
            url += f"?token={token}"
        response = client.request(method, url, data={"csrf_token": csrf} if method == "POST" else None)
        assert response.status_code == expected[index], (role, method, path)
        if method == "POST" and ROLES[role]:
            assert response.headers["location"] == "/profile#feeds-heading"
