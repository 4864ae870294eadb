"""Promises that cut across the code, each failing when it drifts."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from jinja2 import nodes
from sqlalchemy import create_engine
from starlette.routing import Mount, Route

from support import csrf_of, log_in, page
from workspace.access import COORDINATOR, MEMBER, PUBLIC
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
        assert getattr(route.endpoint, "access", None) in (PUBLIC, MEMBER, COORDINATOR), route.path


# role × route × expected status; {id} is an existing account, anonymous callers go to the login.
ACCESS_MATRIX = [
    ("GET", "/", {"anonymous": 303, "member": 200, "coordinator": 200}),
    ("GET", "/organisations", {"anonymous": 303, "member": 200, "coordinator": 200}),
    ("GET", "/profile", {"anonymous": 303, "member": 200, "coordinator": 200}),
    ("GET", "/login", {"anonymous": 200, "member": 303, "coordinator": 303}),
    ("GET", "/healthz", {"anonymous": 200, "member": 200, "coordinator": 200}),
    ("GET", "/admin", {"anonymous": 303, "member": 403, "coordinator": 303}),
    ("GET", "/admin/users", {"anonymous": 303, "member": 403, "coordinator": 200}),
    ("GET", "/admin/outbox", {"anonymous": 303, "member": 403, "coordinator": 200}),
    ("POST", "/admin/users", {"anonymous": 303, "member": 403, "coordinator": 422}),
    ("POST", "/admin/users/{id}/deactivate", {"anonymous": 303, "member": 403, "coordinator": 303}),
    ("POST", "/admin/users/{id}/activate", {"anonymous": 303, "member": 403, "coordinator": 303}),
    ("POST", "/profile/password", {"anonymous": 303, "member": 422, "coordinator": 422}),
]


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator"])
def test_access_matrix(client, role, make_account):
    other = make_account("dritte@example.org", "Dora Dritte")
    if role != "anonymous":
        make_account(f"{role}@example.org", role.title(), is_coordinator=role == "coordinator")
        assert log_in(client, f"{role}@example.org").status_code == 303
    token = csrf_of(client, "/login" if role == "anonymous" else "/profile")
    for method, path, expected in ACCESS_MATRIX:
        url = path.replace("{id}", str(other.id))
        response = client.request(method, url, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == expected[role], (role, method, path)


def test_matrix_covers_every_route_but_the_forms_anybody_may_send(app):
    covered = {path for _, path, _ in ACCESS_MATRIX}
    public_forms = {"/login", "/logout", "/language", "/invitation/{token}", "/admin/outbox/{mail_id:int}"}
    paths = {route.path.replace("{account_id:int}", "{id}") for route in app.routes if isinstance(route, Route)}
    assert paths - covered - public_forms == set()


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


def test_every_block_of_every_page_renders_alone(as_coordinator, monkeypatch, make_account):
    """Crawl every page, then render each of its blocks alone with the page's own context."""
    seen: dict[str, dict] = {}
    original = Renderer.render

    def recording(self, language, template, context, block=None):
        if block is None:
            seen.setdefault(template, context)
        return original(self, language, template, context, block)

    monkeypatch.setattr(Renderer, "render", recording)
    for path in ("/", "/organisations", "/profile", "/admin/users", "/admin/outbox", "/login?x"):
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
    assert {"password_form", "invite_form", "account_row"} <= set(checked)


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
