"""Promises that cut across the code, each failing when it drifts."""

import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from jinja2 import nodes
from sqlalchemy import create_engine
from starlette.routing import Mount, Route

from support import berlin, csrf_of, log_in, page
from workspace.access import COORDINATOR, MAIL_LINK, MEMBER, PUBLIC, VOLUNTEER
from workspace.metadata import metadata
from workspace.rendering import Renderer
from workspace.settings import ENVIRONMENT, ROOT


def test_models_and_migrations_agree(migrated_file):
    engine = create_engine(f"sqlite:///{migrated_file}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_every_route_declares_who_may_use_it(app):
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.name == "static"  # public files: css, htmx
            continue
        assert getattr(route.endpoint, "access", None) in (PUBLIC, VOLUNTEER, MEMBER, MAIL_LINK, COORDINATOR), route.path


# role × route × expected status. Roles: anonymous; outsider = logged in, in no group; member, chair =
# of the group {group}; coordinator. Placeholders: {group} a group's slug, {id} another account,
# {membership} a membership in {group}, {mail} a mail in the outbox. Anonymous callers go to the login.
ROLES = ("anonymous", "outsider", "member", "chair", "coordinator")


def expect(anonymous, outsider, member, chair, coordinator):
    return dict(zip(ROLES, (anonymous, outsider, member, chair, coordinator)))


ACCESS_MATRIX = [
    ("GET", "/", expect(303, 200, 200, 200, 200)),
    ("GET", "/organisations", expect(303, 200, 200, 200, 200)),
    ("GET", "/profile", expect(303, 200, 200, 200, 200)),
    ("POST", "/profile/password", expect(303, 422, 422, 422, 422)),
    ("GET", "/login", expect(200, 303, 303, 303, 303)),
    ("GET", "/healthz", expect(200, 200, 200, 200, 200)),
    ("GET", "/admin", expect(303, 403, 403, 403, 303)),
    ("GET", "/admin/users", expect(303, 403, 403, 403, 200)),
    ("POST", "/admin/users", expect(303, 403, 403, 403, 422)),
    ("POST", "/admin/users/{id}/deactivate", expect(303, 403, 403, 403, 303)),
    ("POST", "/admin/users/{id}/activate", expect(303, 403, 403, 403, 303)),
    ("POST", "/admin/users/{id}/invitation", expect(303, 403, 403, 403, 403)),  # {id} has a password
    ("GET", "/admin/outbox", expect(303, 403, 403, 403, 200)),
    ("GET", "/admin/outbox/{mail}", expect(303, 403, 403, 403, 200)),
    ("GET", "/groups", expect(303, 200, 200, 200, 200)),
    ("GET", "/groups/new", expect(303, 403, 403, 403, 200)),
    ("POST", "/groups", expect(303, 403, 403, 403, 422)),
    ("GET", "/groups/{group}", expect(303, 403, 200, 200, 200)),
    ("GET", "/groups/{group}/edit", expect(303, 403, 403, 403, 200)),
    ("POST", "/groups/{group}/edit", expect(303, 403, 403, 403, 422)),
    ("POST", "/groups/{group}/members", expect(303, 403, 403, 403, 422)),
    ("POST", "/groups/{group}/members/{membership}/remove", expect(303, 403, 403, 403, 303)),
]
# Forms anybody may send, each tested where it is built (login, logout, language, invitation).
OPEN_FORMS = {"/login", "/logout", "/language", "/invitation/{token}"}


@pytest.fixture
def matrix_world(database, make_account):
    """A steering group with a chair and a member, an outsider, a queued mail; returns the placeholders."""
    from governance.groups import add_membership, create_group
    from workspace.mail import queue_mail

    accounts = {role: make_account(f"{role}@example.org", role.title(), is_coordinator=role == "coordinator")
                for role in ROLES[1:]}
    other = make_account("dritte@example.org", "Dora Dritte")
    with database.transaction() as db:
        group = create_group(db, "Steuerungsgruppe", "SG", "steering")
        add_membership(db, group, accounts["chair"].person, "chair")
        add_membership(db, group, accounts["member"].person, "member")
        extra = add_membership(db, group, other.person, "guest")
        mail = queue_mail(db, Renderer(), "de", "x@example.org", "mail/invitation.txt",
                          {"person": other.person, "inviter": other.person, "link": "http://x"})
        return {"{group}": group.slug, "{id}": str(other.id), "{membership}": str(extra.id),
                "{mail}": str(mail.id)}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, role, matrix_world):
    if role != "anonymous":
        assert log_in(client, f"{role}@example.org").status_code == 303
    token = csrf_of(client, "/login" if role == "anonymous" else "/profile")
    for method, path, expected in ACCESS_MATRIX:
        url = path
        for placeholder, value in matrix_world.items():
            url = url.replace(placeholder, value)
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[role], (role, method, path)


def test_every_route_is_in_an_access_matrix(app):
    """Each area keeps its role × route table next to its tests; together they cover every route."""
    row = re.compile(r'\("(GET|POST)", "(/[^"]*)"')
    covered = {(method, _shape(path)) for test_file in (ROOT / "tests").rglob("test_*.py")
               for method, path in row.findall(test_file.read_text())}
    covered |= {(method, _shape(path)) for path in OPEN_FORMS for method in ("GET", "POST")}
    routes = {(method, _shape(route.path)) for route in app.routes if isinstance(route, Route)
              for method in route.methods - {"HEAD"}}
    assert routes - covered == set()


def _shape(path: str) -> str:
    """/groups/{slug}/edit and /groups/{group}/edit are the same route."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    settings_source = (ROOT / "workspace" / "settings.py").read_text()
    read = set(re.findall(r'env\.get\("([A-Z_]+)"\)', settings_source))
    assert read == set(ENVIRONMENT)
    assert [name for name in ENVIRONMENT if f"`{name}`" not in readme] == []


def test_only_settings_reads_the_environment():
    readers = [
        path.relative_to(ROOT) for package in ("workspace", "governance", "calendars")
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"os\.environ|getenv", path.read_text()) and path.name != "settings.py"
    ]
    assert readers == []


def _page_templates() -> list[str]:
    root = ROOT / "templates"
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.html")
                  if "{% extends" in path.read_text())


def _swappable_blocks(renderer: Renderer, template: str) -> list[str]:
    environment = renderer.environments["de"]
    source = environment.loader.get_source(environment, template)[0]
    names = [block.name for block in environment.parse(source).find_all(nodes.Block)]
    return [name for name in names if name not in ("title", "content")]


def test_every_block_of_every_page_renders_alone(as_coordinator, monkeypatch, database, member, coordinator):
    """Crawl every page, then render each of its blocks alone with the page's own context."""
    from calendar_world import make_event
    from calendars.recurrence import Recurrence
    from calendars.shifts import ShiftDraft, add_shift
    from governance.agenda import ItemDraft, add_agenda_item
    from governance.decisions import DecisionDraft, record_decision
    from governance.groups import add_membership, create_group
    from governance.meetings import MeetingDraft, schedule_meeting
    from governance.permissions import actor_for
    from governance.indicators import IndicatorDraft, add_indicator
    from governance.milestones import MilestoneDraft, create_milestone
    from governance.programmes import create_programme
    from governance.tasks import create_task
    from governance.times import today

    with database.transaction() as db:
        group = create_group(db, "Steuerungsgruppe", "SG", "steering", purpose="Entscheiden.")
        add_membership(db, group, db.merge(member).person, "chair")
        chair = actor_for(db, db.merge(member).person, today())
        decision = record_decision(db, chair, group, DecisionDraft("Wir entscheiden.", "adopted"))
        task = create_task(db, chair, group, "Umsetzen", db.merge(coordinator).person, decision=decision)
        meeting = schedule_meeting(db, chair, group, MeetingDraft("Sitzung", berlin("2030-01-15 10:00")))
        add_agenda_item(db, chair, meeting, ItemDraft("Begrüßung"))
        programme = create_programme(db, "Präventionskette", date(2022, 9, 1), date(2030, 12, 31))
        planner = actor_for(db, db.merge(coordinator).person, today())
        milestone = create_milestone(db, planner, programme, MilestoneDraft("Meilenstein", due_on=date(2026, 6, 30)))
        indicator = add_indicator(db, planner, milestone, IndicatorDraft("Angebote", 10.0))
        lunch = make_event(db, db.merge(coordinator).person, "Mittagstisch", "2030-01-16 12:00", "2030-01-16 13:00",
                           recurrence=Recurrence("weekly"))
        shift = add_shift(db, planner, lunch, date(2030, 1, 23),
                          ShiftDraft("Kochen", "catering", berlin("2030-01-23 10:00"), berlin("2030-01-23 12:00"), 2))
        fest = make_event(db, db.merge(coordinator).person, "Sommerfest", "2025-06-14 14:00", "2025-06-14 18:00")
        past = add_shift(db, planner, fest, date(2025, 6, 14),
                         ShiftDraft("Aufbau", "setup", berlin("2025-06-14 12:00"), berlin("2025-06-14 14:00"), 2))
    seen: dict[str, dict] = {}
    original = Renderer.render

    def recording(self, language, template, context, block=None):
        if block is None:
            seen.setdefault(template, context)
        return original(self, language, template, context, block)

    monkeypatch.setattr(Renderer, "render", recording)
    for path in ("/", "/organisations", "/profile", "/admin/users", "/admin/outbox", "/groups",
                 "/groups/new", f"/groups/{group.slug}", f"/groups/{group.slug}/edit", "/login?x",
                 "/decisions", f"/groups/{group.slug}/decisions", f"/groups/{group.slug}/decisions/new",
                 f"/decisions/{decision.id}", f"/decisions/{decision.id}/edit", "/decisions/external",
                 "/tasks", f"/groups/{group.slug}/tasks", f"/tasks/{task.id}/edit",
                 "/meetings", f"/groups/{group.slug}/meetings/new", f"/meetings/{meeting.id}",
                 f"/meetings/{meeting.id}/edit", f"/meetings/{meeting.id}/invitation", f"/meetings/{meeting.id}/minutes",
                 "/milestones", "/milestones/print", "/milestones/new", f"/milestones/{milestone.id}",
                 f"/milestones/{milestone.id}/edit", f"/milestones/{milestone.id}/indicators/{indicator.id}/edit",
                 "/programme", "/calendar", "/calendar/month", "/calendar/year", "/calendar/reach", "/events/new",
                 f"/events/{lunch.slug}?date=2030-01-23", f"/events/{lunch.slug}", f"/events/{lunch.slug}/edit",
                 f"/events/{lunch.slug}/dates/2030-01-23", "/events/mine", "/events/review", "/shifts", "/shifts/mine",
                 f"/shifts/{shift.id}", f"/shifts/{shift.id}/edit", f"/events/{lunch.slug}/dates/2030-01-23/shifts",
                 f"/shifts/{past.id}/attendance", "/fairness", "/volunteer/profile"):
        as_coordinator.get(path)
    as_coordinator.post("/logout", data={"csrf_token": page(as_coordinator.get("/profile"))
                                         .select_one("input[name=csrf_token]")["value"]})
    as_coordinator.get("/login")
    renderer = Renderer()
    checked = []
    for template in _page_templates():
        for block in _swappable_blocks(renderer, template):
            assert template in seen, f"{template} was not rendered by any page in the crawl"
            context = dict(seen[template])
            if block.endswith("_row"):  # a row block shows `item`, one of the page's list `<name>s`
                context["item"] = context[block.removesuffix("_row") + "s"][0]
            soup = BeautifulSoup(renderer.render("de", template, context, block), "html.parser")
            first = soup.find(True)
            assert first is not None and first.get("id", "").startswith(block), (template, block)
            checked.append(block)
    assert {"password_form", "invite_form", "account_row", "members"} <= set(checked)
    assert {"decision_status", "decision_tasks", "decision_form", "external_form", "task_row", "task_form"} <= set(checked)
    assert {"agenda", "attendance", "minutes_item_row"} <= set(checked)
    assert {"milestone_plan", "milestone_status", "milestone_dependencies", "milestone_indicators", "milestone_links",
            "milestone_form", "extension_form"} <= set(checked)
    assert {"calendar_results", "event_form", "event_review", "event_date_form", "shift_row"} <= set(checked)


def test_htmx_is_vendored_with_its_licence():
    folder = ROOT / "workspace" / "static" / "vendor" / "htmx"
    assert (folder / "LICENSE").read_text().startswith("Zero-Clause BSD")
    assert "htmx-2.0.11.min.js" in (ROOT / "templates" / "base.html").read_text()
    assert (folder / "htmx-2.0.11.min.js").stat().st_size > 40_000


def test_ci_runs_exactly_the_readme_test_command():
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_demo_seed_is_the_projects_own_copy():
    for path in Path(ROOT, "workspace").rglob("*.py"):
        assert "../shared" not in path.read_text(), path
