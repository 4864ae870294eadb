"""The demo seed: the facts of Jena-Nord, usable right after `werkstadt demo`."""

import pytest

from support import CHEAP_HASHER, log_in, page, text_of
from workspace.demo import DEMO_PASSWORD, load_demo


@pytest.fixture
def demo(database):
    with database.transaction() as db:
        load_demo(db, CHEAP_HASHER)


def test_demo_coordinator_sees_the_programme(client, demo):
    assert log_in(client, "koordination@example.org", DEMO_PASSWORD).status_code == 303
    soup = page(client.get("/"))
    assert text_of(soup, "#programme-heading") == "Präventionskette Jena – Gelingendes Aufwachsen für alle Kinder"
    assert [li.get_text() for li in soup.select("ol.focuses li")] == [
        "Wirkungsorientierung", "Abbau von Barrieren im Leistungsbezug",
        "Übergänge in den Lebens- und Entwicklungsphasen der Kinder"]
    assert [li.get_text() for li in soup.select("section[aria-labelledby=areas-heading] li")] == [
        "Jena-Nord", "Löbstedt", "Zwätzen"]


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
