"""The group pages: the tree of three levels, a group's purpose and members, set-up by the coordinator."""

import pytest

from calendars.feeds import renew_token
from governance.groups import add_membership, create_group
from governance.models import Group, Membership
from support import csrf_of, field_error, log_in, page, text_of


@pytest.fixture
def groups(database, member):
    with database.transaction() as db:
        steering = create_group(db, "Steuerungsgruppe", "SG", "steering")
        planning = create_group(db, "Planungsgruppe", "PG", "planning", steering)
        working = create_group(db, "Netzwerk Nord für Nord", "NN", "working", planning,
                               "Angebote vernetzen, Aufgaben auf mehr Schultern verteilen.")
        add_membership(db, working, db.merge(member).person, "chair")
        return {group.code: group.slug for group in (steering, planning, working)}


def test_overview_shows_the_three_levels_as_a_tree(as_member, groups):
    soup = page(as_member.get("/groups"))
    top = soup.select("ul.tree > li")
    assert len(top) == 1
    assert text_of(top[0], ".tree__group") == "Steuerungsebene Steuerungsgruppe (SG)"
    nested = [" ".join(div.get_text().split()) for div in soup.select("ul.tree li li li .tree__group")]
    assert nested == ["Arbeitsebene Netzwerk Nord für Nord (NN) Ihre Rolle: Vorsitz"]


def test_overview_links_only_the_groups_one_may_read(as_member, groups):
    links = [a.get_text() for a in page(as_member.get("/groups")).select("ul.tree a")]
    assert links == ["Netzwerk Nord für Nord"]


def test_group_page_shows_purpose_and_members(as_member, groups):
    soup = page(as_member.get("/groups/netzwerk-nord-fuer-nord"))
    assert text_of(soup, "h1") == "Netzwerk Nord für Nord (NN)"
    assert text_of(soup, "#purpose-heading") == "Warum sitzen wir hier? Was wollen wir verändern?"
    assert text_of(soup, ".purpose p") == "Angebote vernetzen, Aufgaben auf mehr Schultern verteilen."
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in soup.select("#members tbody tr")]
    assert rows == [["Mira Mitglied", "Vorsitz", "", ""]]
    assert soup.select_one("#members form") is None  # only the coordinator manages members


def test_group_page_offers_its_meetings_feed_with_the_readers_own_token(as_member, groups, database, member):
    soup = page(as_member.get("/groups/netzwerk-nord-fuer-nord"))
    assert soup.select_one("#meetings-feed") is None
    assert soup.select_one("a[href='/profile#feeds-heading']").get_text() == "Kalender-Link im Profil erzeugen"
    with database.transaction() as db:
        token = renew_token(db, db.merge(member).person).token
    soup = page(as_member.get("/groups/netzwerk-nord-fuer-nord"))
    feed = f"http://testserver/groups/netzwerk-nord-fuer-nord/meetings.ics?token={token}"
    assert soup.select_one("#meetings-feed-url")["value"] == feed
    assert soup.select_one("#meetings-feed a.button")["href"] == feed.replace("http://", "webcal://")
    assert as_member.get(feed).status_code == 200


def test_member_of_another_group_cannot_read_it(as_member, groups):
    response = as_member.get("/groups/steuerungsgruppe")
    assert response.status_code == 403
    assert text_of(page(response), "h1") == "Kein Zugriff"


def test_coordinator_creates_a_group_under_its_parent(as_coordinator, groups, database):
    token = csrf_of(as_coordinator, "/groups/new")
    with database.session(write=False) as db:
        planning_id = db.query(Group).filter_by(code="PG").one().id
    response = as_coordinator.post("/groups", data={
        "csrf_token": token, "name": "AG Übergänge Kita – Grundschule", "code": "agu", "level": "working",
        "parent": str(planning_id), "purpose": "Übergänge gestalten.", "focus": ""})
    assert response.status_code == 303
    assert response.headers["location"] == "/groups/ag-uebergaenge-kita-grundschule"
    soup = page(as_coordinator.get(response.headers["location"]))
    assert text_of(soup, "h1") == "AG Übergänge Kita – Grundschule (AGU)"


def test_bad_group_input_is_shown_next_to_the_fields_and_kept(as_coordinator, groups):
    token = csrf_of(as_coordinator, "/groups/new")
    response = as_coordinator.post("/groups", data={
        "csrf_token": token, "name": "Neue AG", "code": "NA", "level": "working", "parent": "",
        "purpose": "Was wir wollen.", "focus": "999"})
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "focus") == "Bitte wählen Sie einen der angebotenen Werte."
    assert soup.select_one("#f-name")["value"] == "Neue AG"
    assert soup.select_one("#f-purpose").get_text() == "Was wir wollen."
    response = as_coordinator.post("/groups", data={
        "csrf_token": token, "name": "Neue AG", "code": "NA", "level": "working", "parent": ""})
    assert field_error(page(response), "parent") == "Eine Arbeitsgruppe gehört zu einer Planungsgruppe."


def test_coordinator_adds_a_new_person_as_member_in_place(as_coordinator, groups, database):
    token = csrf_of(as_coordinator, "/groups/planungsgruppe")
    response = as_coordinator.post("/groups/planungsgruppe/members", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "person": "", "new_person": "Sozialplaner", "role": "member",
        "organisation": "", "starts_on": "2024-01-01", "ends_on": ""})
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one("main") is None and soup.select_one("section#members") is not None
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")][:4]
            for row in soup.select("tbody tr")]
    assert rows == [["Sozialplaner", "Mitglied", "", "ab 01.01.2024"]]


def test_adding_a_member_without_a_person_is_refused(as_coordinator, groups):
    token = csrf_of(as_coordinator, "/groups/planungsgruppe")
    response = as_coordinator.post("/groups/planungsgruppe/members", data={
        "csrf_token": token, "person": "", "new_person": "", "role": "member", "starts_on": "31.12.2024"})
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "person") == "Bitte wählen Sie eine Person oder geben Sie einen Namen an."
    assert field_error(soup, "starts_on") == "Bitte geben Sie ein gültiges Datum an."


def test_coordinator_removes_a_member(as_coordinator, groups, database):
    with database.session(write=False) as db:
        membership_id = db.query(Membership).one().id
    token = csrf_of(as_coordinator, "/groups/netzwerk-nord-fuer-nord")
    response = as_coordinator.post(f"/groups/netzwerk-nord-fuer-nord/members/{membership_id}/remove",
                                   data={"csrf_token": token})
    assert response.status_code == 303
    soup = page(as_coordinator.get("/groups/netzwerk-nord-fuer-nord"))
    assert text_of(soup, "#members p") == "Die Gruppe hat noch keine Mitglieder."
