"""The milestone plan as people use it: the timeline and its table, filters, CSV and print, a milestone's
page with its status, dependencies, indicators and links in place, conflicts, the programme, access."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from governance.decisions import DecisionDraft, record_decision
from governance.indicators import IndicatorDraft, add_indicator
from governance.milestones import MilestoneDraft, create_milestone, link_decision, link_task
from governance.models import Milestone, Programme
from governance.permissions import Actor
from governance.programmes import add_focus, create_programme, extend_programme
from governance.tasks import create_task
from governance.times import today
from networks import network_with
from support import as_person, count_queries, csrf_of, field_error, log_in, page, post, text_of
from workspace.forms import Form

HTMX = {"HX-Request": "true"}
START, END = date(2022, 9, 1), date(2025, 12, 31)
EXTENDED = today() + timedelta(days=1000)


@pytest.fixture
def groups(database, make_account, coordinator, member):
    """Steering → planning (PG) → working group NN: Otto chairs NN, Mira is an NN member, Paula is in PG only."""
    chair = make_account("nord@example.org", "Otto Ortsteil")
    outsider = make_account("planung@example.org", "Paula Planung")
    return network_with(database, ((chair, "working", "chair"), (member, "working", "member"),
                                   (outsider, "planning", "chair")))


@pytest.fixture
def programme(database, coordinator, groups) -> Programme:
    """The programme as in Jena: until 2025, then extended."""
    with database.transaction() as db:
        programme = create_programme(db, "Präventionskette Jena", START, END, "Kinder von 0 bis 10 Jahren")
        add_focus(db, programme, 1, "Wirkungsorientierung")
        add_focus(db, programme, 2, "Abbau von Barrieren im Leistungsbezug")
        extend_programme(db, Actor(db.merge(coordinator.person)), programme, EXTENDED, "Förderung verlängert")
        db.flush()
        programme.focuses  # loaded while the session is open
    return programme


@pytest.fixture
def plan(database, coordinator, programme):
    """Plan a milestone through the domain operation: plan("Titel", due, focus=1, group=groups.working, …)."""

    def make(title: str, due_on: date, focus: int | None = None, group=None, depends_on=(), **fields) -> Milestone:
        with database.transaction() as db:
            actor, merged = Actor(db.merge(coordinator.person)), db.merge(programme)
            draft = MilestoneDraft(title, due_on=due_on, focus=merged.focuses[focus - 1] if focus else None,
                                   group=db.merge(group) if group else None, **fields)
            return create_milestone(db, actor, merged, draft, confirm_outside=True,
                                    depends_on=[db.merge(m) for m in depends_on])

    return make


def milestone_form(**fields) -> dict:
    return {"title": "Familienbefragung Jena-Nord", "description": "", "focus": "", "group": "", "responsible": "",
            "due_on": "2025-06-30", "status": "planned", "completed_on": "", "depends_on": "", **fields}


def timeline_rows(soup) -> list[str]:
    return [" ".join(label.get_text().split()) for label in soup.select(".timeline__rows .timeline__label")]


# The plan --------------------------------------------------------------------------------------

def test_the_plan_shows_a_timeline_grouped_by_focus_with_standing_in_words(client, groups, plan):
    survey = plan("Befragung", today() - timedelta(days=3), focus=2, group=groups.working, status="in_progress")
    plan("Kick-off", date(2023, 10, 25), status="done", completed_on=date(2023, 10, 25))
    plan("Wirkungsdialoge", today() + timedelta(days=200), focus=1, depends_on=[survey])
    as_person(client, "mitglied@example.org")
    soup = page(client.get("/milestones"))
    assert text_of(soup, "h1") == "Meilensteinplan"
    assert text_of(soup, ".programme-period") == (
        f"Präventionskette Jena · Laufzeit: 01.09.2022 – {EXTENDED:%d.%m.%Y} · ursprünglich bis 31.12.2025")
    assert [heading.get_text() for heading in soup.select(".timeline__focus")] == [
        "1. Wirkungsorientierung", "2. Abbau von Barrieren im Leistungsbezug", "Ohne Schwerpunkt"]
    assert timeline_rows(soup) == [
        f"Wirkungsdialoge ◔ gefährdet fällig {today() + timedelta(days=200):%d.%m.%Y} hängt ab von: Befragung",
        f"Befragung ⚠ überfällig fällig {today() - timedelta(days=3):%d.%m.%Y} · Netzwerk Nord für Nord",
        "Kick-off ✓ erreicht fällig 25.10.2023"]
    assert soup.select_one(".timeline__rows a[href$='/milestones/%d']" % survey.id) is not None
    assert soup.select(".timeline__original-end") and soup.select(".timeline__today") and soup.select(".timeline__end")
    assert "style=" not in client.get("/milestones").text
    assert soup.select_one("a[href='/milestones/new']") is None  # a member reads only


def test_timeline_positions_are_svg_attributes_from_start_to_the_extended_end(client, groups, plan):
    plan("Am Anfang", START)
    plan("Am Ende", EXTENDED)
    as_person(client, "mitglied@example.org")
    soup = page(client.get("/milestones"))
    markers = [marker["points"].split()[0] for marker in soup.select("polygon.timeline__marker")]
    assert markers == ["0.0,3", "1000.0,3"]
    assert soup.select_one(".timeline__original-end")["x1"] == soup.select_one(".timeline__original-end")["x2"]


def test_the_table_view_shows_the_same_milestones(client, groups, plan):
    survey = plan("Befragung", date(2025, 3, 1), focus=2, group=groups.working, status="missed")
    plan("Stadtteilbüro", date(2025, 1, 15), focus=2, depends_on=[survey])
    as_person(client, "mitglied@example.org")
    soup = page(client.get("/milestones?view=table"))
    rows = [[" ".join(cell.get_text().split()) for cell in row.select("th, td")] for row in soup.select("tbody tr")]
    assert rows == [
        ["2. Abbau von Barrieren im Leistungsbezug"],
        ["Stadtteilbüro", "⚠ überfällig", "15.01.2025", "–", "–", "–",
         "hängt ab von: Befragung ⚠ fällig vor „Befragung“, wovon er abhängt", "–"],
        ["Befragung", "✗ verpasst", "01.03.2025", "–", "Netzwerk Nord für Nord", "–", "–", "–"]]
    assert soup.select_one("th[scope=rowgroup]") is not None
    assert soup.select_one(".sub-nav a[aria-current=page]").get_text() == "Tabelle"


def test_filters_combine_stay_in_the_url_and_reach_csv_and_print(client, groups, plan):
    plan("Nord überfällig", today() - timedelta(days=10), focus=1, group=groups.working)
    plan("Nord erreicht", date(2024, 1, 1), focus=1, group=groups.working, status="done")
    plan("Kernteam", today() - timedelta(days=10), focus=1, group=groups.planning)
    plan("Ohne Schwerpunkt", today() - timedelta(days=10), group=groups.working)
    as_person(client, "mitglied@example.org")
    with_focus = page(client.get("/milestones")).select("#f-focus option")[1]["value"]
    query = f"focus={with_focus}&group=netzwerk-nord-fuer-nord&status=overdue"
    soup = page(client.get(f"/milestones?{query}"))
    assert [a.get_text() for a in soup.select(".timeline__label > a")] == ["Nord überfällig"]
    assert soup.select_one("#f-status option[selected]")["value"] == "overdue"
    assert soup.select_one("#f-group option[selected]")["value"] == "netzwerk-nord-fuer-nord"
    assert text_of(soup, ".result-count") == "1 Meilenstein"
    csv_link = soup.select_one("a[href^='/milestones.csv']")["href"]
    assert csv_link == f"/milestones.csv?{query}"
    assert [row[0] for row in csv_rows(client.get(csv_link))[1:]] == ["Nord überfällig"]
    printed = page(client.get(soup.select_one("a[href^='/milestones/print']")["href"]))
    assert [a.get_text() for a in printed.select("tbody th[scope=row] a")] == ["Nord überfällig"]
    assert text_of(printed, ".print-filters") == ("Auswahl: Themenschwerpunkt: 1. Wirkungsorientierung · "
                                                  "Gremium: Netzwerk Nord für Nord · Stand: überfällig")
    without = page(client.get("/milestones?focus=none"))
    assert [a.get_text() for a in without.select(".timeline__label > a")] == ["Ohne Schwerpunkt"]


def test_without_a_programme_the_plan_says_so(as_member):
    assert text_of(page(as_member.get("/milestones")), "main h1 + p") == "Es ist noch kein Programm angelegt."
    soup = page(as_member.get("/programme"))
    assert text_of(soup, "main h1 + p") == "Es ist noch kein Programm angelegt."
    assert soup.select("a[href='/programme/edit']") == []
    assert csv_rows(as_member.get("/milestones.csv"))[1:] == []
    assert text_of(page(as_member.get("/milestones/print")), "main h1 + p") == "Es ist noch kein Programm angelegt."


def test_unknown_filters_are_left_out(client, groups, plan):
    plan("Eins", date(2024, 1, 1))
    as_person(client, "mitglied@example.org")
    response = client.get("/milestones?focus=x&group=gibt-es-nicht&status=kaputt&view=bunt&page=²")
    assert response.status_code == 200 and len(page(response).select(".timeline__rows li")) == 1


def test_htmx_filtering_swaps_only_the_plan(client, groups, plan):
    plan("Eins", date(2024, 1, 1), status="done")
    as_person(client, "mitglied@example.org")
    response = client.get("/milestones?status=done", headers=HTMX)
    soup = page(response)
    assert soup.find(True)["id"] == "milestone_plan" and soup.select_one("main") is None
    assert response.headers["Vary"].startswith("HX-Request")


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_a_bom_semicolons_german_headers_and_dates(client, groups, plan, database, coordinator):
    survey = plan("Befragung", date(2025, 3, 1), focus=2, group=groups.working, status="done",
                  completed_on=date(2025, 2, 20))
    office = plan("=Stadtteilbüro; \"Nord\"", date(2025, 9, 30), depends_on=[survey])
    with database.transaction() as db:
        add_indicator(db, Actor(db.merge(coordinator.person)), db.merge(office),
                      IndicatorDraft("Angebote", 80.0, "Anzahl", 0.0, 12.5))
    as_person(client, "mitglied@example.org")
    response = client.get("/milestones.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="meilensteine-{today():%Y-%m-%d}.csv"'
    assert b'"Meilenstein";"Themenschwerpunkt"' in response.content and b"\r\n" in response.content
    assert csv_rows(response) == [
        ["Meilenstein", "Themenschwerpunkt", "Gremium", "Verantwortlich", "Fällig am", "Stand", "Erreicht am",
         "Hängt ab von", "Indikatoren"],
        ["Befragung", "2. Abbau von Barrieren im Leistungsbezug", "Netzwerk Nord für Nord", "", "01.03.2025",
         "erreicht", "20.02.2025", "", ""],
        ["'=Stadtteilbüro; \"Nord\"", "Ohne Schwerpunkt", "", "", "30.09.2025", "überfällig", "", "Befragung",
         "Angebote: 12,5 von 80 Anzahl"]]


def test_print_view_is_a_table_with_the_date_of_the_day(client, groups, plan):
    plan("Eins", date(2024, 1, 1), status="done")
    as_person(client, "mitglied@example.org")
    soup = page(client.get("/milestones/print"))
    assert f"Stand: {today():%d.%m.%Y}" in text_of(soup, ".print-document > p:not(.print-document__group)")
    assert [a.get_text() for a in soup.select("table.plan-table tbody th[scope=row] a")] == ["Eins"]


def test_the_plan_loads_what_it_shows_with_the_milestones(client, groups, plan, database, coordinator):
    """No query per row: the same number of queries for one milestone and for three."""
    as_person(client, "mitglied@example.org")
    first = plan("Eins", date(2024, 1, 1), focus=1, group=groups.working, responsible=None)
    one = count_queries(database.engine, lambda: client.get("/milestones"))
    table_one = count_queries(database.engine, lambda: client.get("/milestones?view=table"))
    second = plan("Zwei", date(2024, 6, 1), focus=2, group=groups.planning, depends_on=[first])
    plan("Drei", date(2025, 1, 1), depends_on=[first, second])
    with database.transaction() as db:
        add_indicator(db, Actor(db.merge(coordinator.person)), db.merge(second), IndicatorDraft("Angebote", 10.0))
    three = count_queries(database.engine, lambda: client.get("/milestones"))
    table_three = count_queries(database.engine, lambda: client.get("/milestones?view=table"))
    assert len(page(client.get("/milestones")).select(".timeline__rows li")) == 3
    assert one == three == table_one == table_three == 10


# A milestone's page ----------------------------------------------------------------------------

def test_member_reads_a_milestone_without_controls(client, groups, plan):
    survey = plan("Befragung", today() + timedelta(days=200), group=groups.working, status="missed")
    office = plan("Stadtteilbüro", today() + timedelta(days=100), focus=2, group=groups.working, depends_on=[survey],
                  description="Eine Vorlage für die Steuerungsgruppe.")
    as_person(client, "mitglied@example.org")
    soup = page(client.get(f"/milestones/{office.id}"))
    assert text_of(soup, "h1") == "Stadtteilbüro"
    assert text_of(soup, ".milestone-description") == "Eine Vorlage für die Steuerungsgruppe."
    assert soup.select("main form") == [] and soup.select_one("a[href$='/edit']") is None
    assert text_of(soup, "#milestone_dependencies .warning") == (
        "Dieser Meilenstein ist früher fällig als ein Meilenstein, von dem er abhängt: Befragung")
    assert text_of(soup, "#milestone_status .warning") == (
        "Gefährdet, weil verspätet ist, wovon er abhängt: Befragung")
    prerequisite_page = page(client.get(f"/milestones/{survey.id}"))
    dependents = prerequisite_page.select("[aria-labelledby=dependents-heading] a")
    assert [a.get_text() for a in dependents] == ["Stadtteilbüro"]


def test_chair_of_the_responsible_group_changes_the_status_in_place(client, groups, plan):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=100), group=groups.working)
    as_person(client, "nord@example.org")
    soup = page(client.get(f"/milestones/{milestone.id}"))
    assert soup.select_one("a[href$='/edit']") is None  # planning stays with the coordinator
    response = post(client, f"/milestones/{milestone.id}/status", htmx=True, status="done", completed_on="",
                    version="1")
    assert response.status_code == 200
    soup = page(response)
    assert soup.find(True)["id"] == "milestone_status" and soup.select_one("main") is None
    assert text_of(soup, "h2") == "Stand: ✓ erreicht"
    assert text_of(soup, "#milestone_status > p") == f"Erreicht am {today():%d.%m.%Y}"
    assert soup.select_one("input[name=version]")["value"] == "2"
    history = page(client.get(f"/milestones/{milestone.id}")).select(".history__list > li")
    assert [" ".join(li.get_text().split()) for li in history[0].select(".history__changes li")] == [
        "Status: geplant → erreicht", f"Erreicht am: – → {today():%d.%m.%Y}"]


def test_status_without_javascript_comes_back_to_the_page(client, groups, plan):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=100), group=groups.working)
    as_person(client, "nord@example.org")
    response = post(client, f"/milestones/{milestone.id}/status", status="in_progress", version="1")
    assert (response.status_code, response.headers["location"]) == (
        303, f"/milestones/{milestone.id}#milestone_status")
    soup = page(client.get(response.headers["location"]))
    assert text_of(soup, ".flash") == "Die Änderung am Meilenstein ist gespeichert."
    assert text_of(soup, "#milestone_status h2") == "Stand: ◑ in Arbeit"


def test_a_status_change_from_a_stale_page_shows_both_versions(client, groups, plan):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=100), group=groups.working)
    as_person(client, "nord@example.org")
    post(client, f"/milestones/{milestone.id}/status", htmx=True, status="in_progress", version="1")
    response = post(client, f"/milestones/{milestone.id}/status", htmx=True, status="missed", version="1")
    assert response.status_code == 409
    soup = page(response)
    assert text_of(soup, "[role=alert] p") == ("Jemand anderes hat den Status inzwischen geändert. "
                                               "Gespeichert ist jetzt: in Arbeit. Ihre Wahl war: verpasst.")
    assert soup.select_one("#f-status option[selected]")["value"] == "missed"
    assert soup.select_one("input[name=version]")["value"] == "2"


def test_a_future_completion_date_is_shown_next_to_the_field(client, groups, plan):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=100), group=groups.working)
    as_person(client, "nord@example.org")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = post(client, f"/milestones/{milestone.id}/status", htmx=True, status="done", completed_on=tomorrow,
                    version="1")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "completed_on") == "Das Datum liegt in der Zukunft."
    assert soup.select_one("#f-completed_on")["value"] == tomorrow


def test_coordinator_plans_a_milestone_with_a_dependency(client, groups, plan, database):
    survey = plan("Befragung", date(2025, 3, 1), focus=2)
    as_person(client, "koordination@example.org")
    form = page(client.get("/milestones/new"))
    assert [option.get_text() for option in form.select("#f-depends_on option")] == ["– keinem –", "Befragung"]
    assert text_of(form, "#f-due_on-hint") == f"Programmlaufzeit: 01.09.2022 – {EXTENDED:%d.%m.%Y}"
    response = post(client, "/milestones/new", **milestone_form(
        title="Stadtteilbüro", group=str(groups.working.id), depends_on=str(survey.id), due_on="2025-09-30"))
    assert response.status_code == 303
    soup = page(client.get(response.headers["location"]))
    assert text_of(soup, ".flash") == "Der Meilenstein ist angelegt."
    assert [a.get_text() for a in soup.select("[aria-labelledby=prerequisites-heading] a")] == ["Befragung"]


def test_a_due_date_outside_the_period_is_saved_only_when_confirmed(client, groups, programme, database):
    as_person(client, "koordination@example.org")
    response = post(client, "/milestones/new", **milestone_form(due_on="2021-12-31"))
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "confirm_outside") == ("Das Fälligkeitsdatum liegt außerhalb der Programmlaufzeit. "
                                                    "Bestätigen Sie es, wenn es trotzdem gelten soll.")
    assert soup.select_one("#f-confirm_outside").get("checked") is None
    assert soup.select_one("#f-due_on")["value"] == "2021-12-31"
    response = post(client, "/milestones/new", **milestone_form(due_on="2021-12-31", confirm_outside="yes"))
    assert response.status_code == 303
    with database.session(write=False) as db:
        assert db.scalar(select(Milestone.due_on)) == date(2021, 12, 31)


def test_bad_input_is_shown_next_to_the_fields_and_what_was_typed_stays(client, groups, programme):
    as_person(client, "koordination@example.org")
    response = post(client, "/milestones/new", htmx=True,
                    **milestone_form(title=" ", due_on="30.06.2025", status="vielleicht", group="999999"))
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == "milestone_form" and soup.select_one("main") is None
    assert field_error(soup, "title") == "Bitte geben Sie einen Titel an."
    assert field_error(soup, "due_on") == "Bitte geben Sie ein gültiges Datum an."
    assert field_error(soup, "status") == "Bitte wählen Sie einen der angebotenen Werte."
    assert field_error(soup, "group") == "Bitte wählen Sie einen der angebotenen Werte."
    assert soup.select_one("#f-due_on")["value"] == "30.06.2025"


def test_an_edit_from_a_stale_page_shows_both_versions_and_keeps_the_input(client, groups, plan, database):
    milestone = plan("Alter Titel", date(2025, 6, 30))
    as_person(client, "koordination@example.org")
    stale = page(client.get(f"/milestones/{milestone.id}/edit"))
    assert stale.select_one("#f-title")["value"] == "Alter Titel"
    post(client, f"/milestones/{milestone.id}/edit", **milestone_form(title="Fassung von nebenan", version="1"))
    response = post(client, f"/milestones/{milestone.id}/edit", **milestone_form(title="Meine Fassung", version="1"))
    assert response.status_code == 409
    soup = page(response)
    assert soup.select_one("#f-title")["value"] == "Meine Fassung"
    assert text_of(soup, ".conflict .conflict-title") == "Fassung von nebenan"
    assert soup.select_one("input[name=version]")["value"] == "2"
    with database.session(write=False) as db:
        assert db.get(Milestone, milestone.id).title == "Fassung von nebenan"
    again = post(client, f"/milestones/{milestone.id}/edit", **milestone_form(title="Meine Fassung", version="2"))
    assert again.status_code == 303
    assert text_of(page(client.get(f"/milestones/{milestone.id}")), "h1") == "Meine Fassung"


def test_a_dependency_cycle_is_refused_in_place_with_the_cycle_named(client, groups, plan):
    survey = plan("Befragung", date(2025, 3, 1))
    office = plan("Stadtteilbüro", date(2025, 9, 1), depends_on=[survey])
    as_person(client, "koordination@example.org")
    response = post(client, f"/milestones/{survey.id}/dependencies", htmx=True, depends_on=str(office.id))
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == "milestone_dependencies"
    assert field_error(soup, "depends_on") == "Abhängigkeit im Kreis: Befragung → Stadtteilbüro → Befragung"
    response = post(client, f"/milestones/{survey.id}/dependencies", htmx=True, depends_on="")
    assert field_error(page(response), "depends_on") == "Bitte wählen Sie einen Meilenstein."


def test_dependencies_are_added_and_removed_in_place(client, groups, plan):
    survey = plan("Befragung", date(2025, 9, 1))
    office = plan("Stadtteilbüro", date(2025, 3, 1))
    as_person(client, "koordination@example.org")
    soup = page(post(client, f"/milestones/{office.id}/dependencies", htmx=True, depends_on=str(survey.id)))
    assert [a.get_text() for a in soup.select("[aria-labelledby=prerequisites-heading] a")] == ["Befragung"]
    assert text_of(soup, ".warning").startswith("Dieser Meilenstein ist früher fällig als ein Meilenstein")
    assert [option.get_text() for option in soup.select("#f-depends_on option")] == ["– bitte wählen –"]
    soup = page(post(client, f"/milestones/{office.id}/dependencies/{survey.id}/remove", htmx=True))
    assert text_of(soup, "[aria-labelledby=dependents-heading], #prerequisites-heading + p") == (
        "Hängt von keinem anderen Meilenstein ab.")


def test_indicators_are_added_with_a_decimal_comma_and_updated_in_place(client, groups, plan):
    milestone = plan("Wer macht was?", today() + timedelta(days=20), group=groups.working)
    as_person(client, "nord@example.org")
    path = f"/milestones/{milestone.id}/indicators"
    response = post(client, path, htmx=True, name="erfasste Angebote", unit="Anzahl", baseline="", target="zwölf",
                    current="1.234,5", current_on="")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "target") == "Bitte geben Sie eine Zahl an, z. B. 12,5."
    assert field_error(soup, "current") == "Bitte schreiben Sie Tausender ohne Punkt, z. B. 1250."
    assert soup.select_one("#f-target")["value"] == "zwölf"
    soup = page(post(client, path, htmx=True, name="erfasste Angebote", unit="Anzahl", baseline="", target="80",
                     current="51,5", current_on=""))
    assert soup.find(True)["id"] == "milestone_indicators"
    cells = [" ".join(cell.get_text().split()) for cell in soup.select("tbody tr")[0].select("th, td")]
    assert cells[:6] == ["erfasste Angebote (Anzahl)", "0", "80", "51,5", today().strftime("%d.%m.%Y"), "64 % 64 %"]
    assert soup.select_one("progress")["value"] == "64"
    edit = soup.select_one("tbody a")["hx-get"]
    form = page(client.get(edit, headers=HTMX))
    assert form.select_one("#f-current")["value"] == "51,5"
    soup = page(post(client, edit, htmx=True, name="erfasste Angebote", unit="Anzahl", baseline="0", target="80",
                     current="60", current_on="2025-05-01"))
    assert [" ".join(c.get_text().split()) for c in soup.select("tbody tr td")][2:4] == ["60", "01.05.2025"]


def test_a_new_current_value_under_the_old_date_is_dated_today(client, groups, plan, database, coordinator):
    milestone = plan("Wer macht was?", today() + timedelta(days=20), group=groups.working)
    with database.transaction() as db:
        indicator = add_indicator(db, Actor(db.merge(coordinator.person)), db.merge(milestone),
                                  IndicatorDraft("erfasste Angebote", 80.0, "Anzahl", 0.0, 51.0, date(2025, 5, 1)))
    as_person(client, "nord@example.org")
    edit = f"/milestones/{milestone.id}/indicators/{indicator.id}/edit"
    assert page(client.get(edit)).select_one("#f-current_on")["value"] == "2025-05-01"
    soup = page(post(client, edit, htmx=True, name="erfasste Angebote", unit="Anzahl", baseline="0", target="80",
                     current="60", current_on="2025-05-01"))
    assert [" ".join(c.get_text().split()) for c in soup.select("tbody tr td")][2:4] == ["60", f"{today():%d.%m.%Y}"]
    soup = page(post(client, edit, htmx=True, name="erfasste Angebote", unit="Stück", baseline="0", target="80",
                     current="60", current_on=today().isoformat()))
    assert [" ".join(c.get_text().split()) for c in soup.select("tbody tr td")][2:4] == ["60", f"{today():%d.%m.%Y}"]


def test_decisions_and_tasks_are_linked_by_number_and_choice(client, groups, plan, database, coordinator, member):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=60), group=groups.working)
    with database.transaction() as db:
        actor = Actor(db.merge(coordinator.person))
        decision = record_decision(db, actor, db.merge(groups.working), DecisionDraft("Bedarf prüfen", "adopted",
                                                                                      date(2024, 10, 15)))
        task = create_task(db, actor, db.merge(groups.working), "Räume suchen", db.merge(member.person))
    as_person(client, "nord@example.org")
    response = post(client, f"/milestones/{milestone.id}/decisions", htmx=True, decision="NN-1999-001")
    assert field_error(page(response), "decision") == "Einen Beschluss mit dieser Nummer gibt es nicht."
    soup = page(post(client, f"/milestones/{milestone.id}/decisions", htmx=True, decision=decision.number))
    assert [a.get_text() for a in soup.select("[aria-labelledby=linked-decisions-heading] a")] == ["NN-2024-001"]
    soup = page(post(client, f"/milestones/{milestone.id}/tasks", htmx=True, task=str(task.id)))
    assert soup.find(True)["id"] == "milestone_links"
    assert text_of(soup, "[aria-labelledby=linked-tasks-heading] li").startswith("Räume suchen · Mira Mitglied")
    soup = page(post(client, f"/milestones/{milestone.id}/tasks/{task.id}/remove", htmx=True))
    assert text_of(soup, "#linked-tasks-heading + p") == "Noch keine Aufgaben verknüpft."


def test_a_reader_outside_the_group_sees_only_the_number_of_its_decision_and_none_of_its_tasks(
        client, groups, plan, database, coordinator, member):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=60), group=groups.working)
    with database.transaction() as db:
        actor, merged = Actor(db.merge(coordinator.person)), db.merge(milestone)
        decision = record_decision(db, actor, db.merge(groups.working), DecisionDraft("Vertrauliche Miete",
                                                                                      "adopted", date(2024, 10, 15)))
        link_decision(db, actor, merged, decision)
        link_task(db, actor, merged, create_task(db, actor, db.merge(groups.working), "Räume suchen",
                                                 db.merge(member.person)))
    as_person(client, "planung@example.org")
    soup = page(client.get(f"/milestones/{milestone.id}"))
    assert text_of(soup, "[aria-labelledby=linked-decisions-heading] li") == "NN-2024-001"
    assert soup.select("[aria-labelledby=linked-decisions-heading] a") == []
    assert "Vertrauliche Miete" not in text_of(soup, "#milestone_links")
    assert text_of(soup, "#linked-tasks-heading + p") == "Noch keine Aufgaben verknüpft."
    post(client, "/logout")
    as_person(client, "mitglied@example.org")
    soup = page(client.get(f"/milestones/{milestone.id}"))
    assert text_of(soup, "[aria-labelledby=linked-decisions-heading] li") == "NN-2024-001: Vertrauliche Miete"
    assert text_of(soup, "[aria-labelledby=linked-tasks-heading] li").startswith("Räume suchen · Mira Mitglied")


# The programme ---------------------------------------------------------------------------------

def test_programme_page_lists_focuses_and_extensions(client, groups, programme):
    as_person(client, "mitglied@example.org")
    soup = page(client.get("/programme"))
    assert text_of(soup, "h1") == "Präventionskette Jena"
    assert [li.get_text() for li in soup.select("ol.focuses li")] == [
        "Wirkungsorientierung", "Abbau von Barrieren im Leistungsbezug"]
    row = [" ".join(cell.get_text().split()) for cell in soup.select("table.extensions tbody tr > *")]
    assert row[:4] == ["31.12.2025", f"{EXTENDED:%d.%m.%Y}", "Förderung verlängert", "Kim Koordination"]
    assert soup.select_one("#extension_form") is None


def test_coordinator_extends_the_programme(client, groups, programme):
    as_person(client, "koordination@example.org")
    response = post(client, "/programme/extend", htmx=True, ends_on="2020-01-01", reason="")
    assert response.status_code == 422
    soup = page(response)
    assert soup.find(True)["id"] == "extension_form"
    assert field_error(soup, "ends_on") == "Das Programmende liegt vor dem Programmstart."
    later = EXTENDED + timedelta(days=365)
    response = post(client, "/programme/extend", ends_on=later.isoformat(), reason="Zweite Förderphase")
    assert (response.status_code, response.headers["location"]) == (303, "/programme")
    soup = page(client.get("/programme"))
    assert text_of(soup, ".flash") == "Die Verlängerung ist festgehalten."
    assert text_of(soup, ".programme-facts dd") == f"01.09.2022 – {later:%d.%m.%Y}"
    assert len(soup.select("table.extensions tbody tr")) == 2


def test_coordinator_sets_up_the_programme_from_the_hint_on_the_plan(client, coordinator):
    as_person(client, "koordination@example.org")
    link = page(client.get("/milestones")).select_one("main a[href='/programme/edit']")
    assert link.get_text() == "Programm anlegen"
    form = page(client.get(link["href"]))
    assert text_of(form, "h1") == "Programm anlegen"
    assert [label.get_text(" ", strip=True) for label in form.select("#programme_form label")][:3] == [
        "Name (Pflichtfeld)", "Programmstart (Pflichtfeld)", "Programmende (Pflichtfeld)"]
    response = post(client, "/programme/edit", name="Präventionskette Jena", starts_on="2022-09-01",
                    ends_on="2025-12-31", core_target_group="Kinder von 0 bis 10 Jahren",
                    focus_number="1", focus_title="Wirkungsorientierung")
    assert (response.status_code, response.headers["location"]) == (303, "/programme")
    soup = page(client.get("/programme"))
    assert text_of(soup, ".flash") == "Das Programm ist gespeichert."
    assert text_of(soup, "h1") == "Präventionskette Jena"
    assert text_of(soup, ".programme-facts dd") == "01.09.2022 – 31.12.2025"
    assert [li.get_text() for li in soup.select("ol.focuses li")] == ["Wirkungsorientierung"]
    assert text_of(soup, "main a[href='/programme/edit']") == "Programm bearbeiten"


def test_a_programme_ending_before_its_start_is_refused_next_to_the_field(client, coordinator, database):
    as_person(client, "koordination@example.org")
    response = post(client, "/programme/edit", name="Falsch herum", starts_on="2025-01-01", ends_on="2024-01-01",
                    core_target_group="", focus_number="", focus_title="")
    assert response.status_code == 422
    soup = page(response)
    assert field_error(soup, "ends_on") == "Das Programmende liegt vor dem Programmstart."
    assert soup.select_one("#f-name")["value"] == "Falsch herum"
    with database.transaction() as db:
        assert db.scalars(select(Programme)).all() == []


def test_coordinator_changes_the_programme_and_its_focuses_but_not_its_end(client, groups, programme):
    as_person(client, "koordination@example.org")
    form = page(client.get("/programme/edit"))
    assert form.select_one("#f-name")["value"] == "Präventionskette Jena"
    assert form.select_one("#f-ends_on") is None
    first, second = programme.focuses
    fields = {"name": "Präventionskette Jena-Nord", "starts_on": "2022-10-01", "ends_on": "2040-01-01",
              "core_target_group": "Kinder und Familien", f"focus_{first.id}": "Wirkung im Blick",
              f"focus_{second.id}": second.title, "focus_number": "2", "focus_title": "Doppelt"}
    response = post(client, "/programme/edit", **fields)
    assert response.status_code == 422
    assert field_error(page(response), "focus_number") == "Diese Nummer hat schon ein anderer Schwerpunkt."
    assert page(response).select_one(f"#f-focus_{first.id}")["value"] == "Wirkung im Blick"
    assert text_of(page(client.get("/programme")), "h1") == "Präventionskette Jena"
    response = post(client, "/programme/edit", **{**fields, "focus_number": "3", "focus_title": "Teilhabe"})
    assert response.status_code == 303
    soup = page(client.get("/programme"))
    assert text_of(soup, "h1") == "Präventionskette Jena-Nord"
    assert [" ".join(dd.get_text().split()) for dd in soup.select(".programme-facts dd")] == [
        f"01.10.2022 – {EXTENDED:%d.%m.%Y}", "31.12.2025", "Kinder und Familien"]
    assert [li.get_text() for li in soup.select("ol.focuses li")] == [
        "Wirkung im Blick", "Abbau von Barrieren im Leistungsbezug", "Teilhabe"]


def test_decimal_fields_read_german_numbers():
    form = Form({"a": "12,5", "b": "-3", "c": "12.5", "d": "1.250,5", "e": "12,", "f": "", "g": "1e5"})
    assert [form.decimal(name) for name in "abcdefg"] == [12.5, -3.0, 12.5, None, None, None, None]
    assert sorted(form.errors) == ["d", "e", "g"]


def test_a_point_before_three_digits_is_refused_as_a_thousands_point():
    form = Form({"a": "1.250", "b": "1.250,5", "c": "12.500.000", "d": "1.25", "e": "1250"})
    assert [form.decimal(name) for name in "abcde"] == [None, None, None, 1.25, 1250.0]
    assert {name: error.message for name, error in form.errors.items()} == {
        name: "Bitte schreiben Sie Tausender ohne Punkt, z. B. 1250." for name in "abc"}


def test_a_current_value_written_with_a_thousands_point_is_shown_next_to_the_field(client, groups, plan):
    milestone = plan("Stadtteilbüro", today() + timedelta(days=60), group=groups.working)
    as_person(client, "nord@example.org")
    response = post(client, f"/milestones/{milestone.id}/indicators", htmx=True, name="Kontakte", unit="",
                    baseline="", target="1.250", current="", current_on="")
    assert response.status_code == 422
    assert field_error(page(response), "target") == "Bitte schreiben Sie Tausender ohne Punkt, z. B. 1250."


# Who may do what: coordinator / chair of the responsible group (NN) / member of NN / chair of another
# group (PG) / anonymous.
ROLES = {"coordinator": "koordination@example.org", "chair": "nord@example.org",
         "member": "mitglied@example.org", "outsider": "planung@example.org", "anonymous": None}
RULES = [  # method, path, (coordinator, chair, member, outsider, anonymous)
    ("GET", "/milestones", (200, 200, 200, 200, 303)),
    ("GET", "/milestones.csv", (200, 200, 200, 200, 303)),
    ("GET", "/milestones/print", (200, 200, 200, 200, 303)),
    ("GET", "/milestones/new", (200, 403, 403, 403, 303)),
    ("POST", "/milestones/new", (422, 403, 403, 403, 303)),
    ("GET", "/milestones/{m}", (200, 200, 200, 200, 303)),
    ("GET", "/milestones/{m}/edit", (200, 403, 403, 403, 303)),
    ("POST", "/milestones/{m}/edit", (422, 403, 403, 403, 303)),
    ("POST", "/milestones/{m}/status", (422, 422, 403, 403, 303)),
    ("POST", "/milestones/{m}/dependencies", (422, 403, 403, 403, 303)),
    ("POST", "/milestones/{m}/indicators", (422, 422, 403, 403, 303)),
    ("GET", "/milestones/{m}/indicators/{i}/edit", (200, 200, 403, 403, 303)),
    ("POST", "/milestones/{m}/indicators/{i}/edit", (422, 422, 403, 403, 303)),
    ("POST", "/milestones/{m}/decisions", (422, 422, 403, 403, 303)),
    ("POST", "/milestones/{m}/tasks", (422, 422, 403, 403, 303)),
    # the removals last: they succeed for those allowed
    ("POST", "/milestones/{m}/dependencies/{p}/remove", (303, 403, 403, 403, 303)),
    ("POST", "/milestones/{m}/indicators/{i}/remove", (303, 303, 403, 403, 303)),
    ("POST", "/milestones/{m}/decisions/{d}/remove", (303, 303, 403, 403, 303)),
    ("POST", "/milestones/{m}/tasks/{t}/remove", (303, 303, 403, 403, 303)),
    ("GET", "/programme", (200, 200, 200, 200, 303)),
    ("POST", "/programme/extend", (422, 403, 403, 403, 303)),
    ("GET", "/programme/edit", (200, 403, 403, 403, 303)),
    ("POST", "/programme/edit", (422, 403, 403, 403, 303)),
]


@pytest.fixture
def placeholders(groups, plan, database, coordinator, member):
    survey = plan("Befragung", date(2025, 3, 1))
    milestone = plan("Stadtteilbüro", date(2025, 9, 1), group=groups.working, depends_on=[survey])
    with database.transaction() as db:
        actor, merged = Actor(db.merge(coordinator.person)), db.merge(milestone)
        indicator = add_indicator(db, actor, merged, IndicatorDraft("Angebote", 10.0))
        decision = record_decision(db, actor, db.merge(groups.working), DecisionDraft("Bedarf prüfen", "adopted"))
        task = create_task(db, actor, db.merge(groups.working), "Räume suchen", db.merge(member.person))
        link_decision(db, actor, merged, decision)
        link_task(db, actor, merged, task)
    return {"{m}": str(milestone.id), "{p}": str(survey.id), "{i}": str(indicator.id), "{d}": str(decision.id),
            "{t}": str(task.id)}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(client, role, placeholders):
    if ROLES[role]:
        as_person(client, ROLES[role])
    token = csrf_of(client, "/profile" if ROLES[role] else "/login")
    index = list(ROLES).index(role)
    for method, path, expected in RULES:
        url = path
        for placeholder, value in placeholders.items():
            url = url.replace(placeholder, value)
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[index], (role, method, path)
