"""Groups (Gremien): the three-level overview, a group's page, and (for the coordinator) setting them up."""

from starlette.responses import Response
from starlette.routing import Route

from calendars.feeds import token_of
from governance import groups as ops
from governance.errors import N_, DomainError
from governance.models import Focus, Group, Organisation, Person
from governance.models.groups import LEVELS, ROLES
from governance.organisations import list_organisations
from governance.people import MAX_NAME, create_person, list_people
from governance.permissions import require
from governance.programmes import current_programme
from governance.times import today
from workspace.access import COORDINATOR, MEMBER
from workspace.endpoints import Call, endpoint
from workspace.submission import attempt, chosen


@endpoint(MEMBER)
def overview(call: Call) -> Response:
    return call.render("groups/overview.html", tree=ops.group_tree(call.db), actor=call.actor)


@endpoint(MEMBER)
def group_page(call: Call) -> Response:
    group = ops.find_group(call.db, call.request.path_params["slug"])
    require(call.actor.can_read_group(group))
    return _render_group(call, group)


def _render_group(call: Call, group: Group, status: int = 200, block: str | None = None) -> Response:
    choices = _membership_choices(call) if call.actor.is_coordinator else {}
    return call.render("groups/group.html", status=status, block=block, group=group, actor=call.actor,
                       memberships=ops.current_members(call.db, group, today()),
                       meetings_feed=_meetings_feed_url(call, group), **choices)


def _meetings_feed_url(call: Call, group: Group) -> str | None:
    """The group's meetings feed with the reader's own token, when they have created one on /profile."""
    token = token_of(call.db, call.account.person)
    if token is None:
        return None
    return f"{call.settings.base_url}{call.url('group_meetings_feed', slug=group.slug)}?token={token.token}"


def _membership_choices(call: Call) -> dict:
    return {"people": list_people(call.db), "organisations": list_organisations(call.db), "roles": ROLES}


@endpoint(COORDINATOR)
def new_group(call: Call) -> Response:
    return _render_form(call, None)


@endpoint(COORDINATOR)
def create_group(call: Call) -> Response:
    values = _group_values(call)
    group = attempt(call, lambda: ops.create_group(call.db, **values))
    if call.form.errors:
        return _render_form(call, None, status=422)
    return call.redirect(call.url("group", slug=group.slug))


@endpoint(COORDINATOR)
def edit_group(call: Call) -> Response:
    return _render_form(call, ops.find_group(call.db, call.request.path_params["slug"]))


@endpoint(COORDINATOR)
def update_group(call: Call) -> Response:
    group = ops.find_group(call.db, call.request.path_params["slug"])
    values = _group_values(call)
    attempt(call, lambda: ops.update_group(call.db, group, **values))
    if call.form.errors:
        call.db.rollback()  # show the stored group, not the half-applied changes
        return _render_form(call, ops.find_group(call.db, group.slug), status=422)
    return call.redirect(call.url("group", slug=group.slug))


def _render_form(call: Call, group: Group | None, status: int = 200) -> Response:
    programme = current_programme(call.db)
    return call.render("groups/form.html", status=status, group=group, levels=LEVELS,
                       parents=ops.list_groups(call.db), focuses=programme.focuses if programme else [])


def _group_values(call: Call) -> dict:
    form = call.form
    return {
        "name": form.text("name", 200, N_("Bitte geben Sie einen Namen an.")),
        "code": form.text("code", ops.MAX_CODE, N_("Bitte geben Sie ein Kürzel an.")),
        "level": form.choice("level", LEVELS),
        "parent": chosen(call, Group, "parent"),
        "purpose": form.text("purpose", 2000),
        "focus": chosen(call, Focus, "focus"),
    }


@endpoint(COORDINATOR)
def add_member(call: Call) -> Response:
    group = ops.find_group(call.db, call.request.path_params["slug"])
    form = call.form
    person = chosen(call, Person, "person")
    new_name = form.text("new_person", MAX_NAME)
    role = form.choice("role", ROLES)
    organisation = chosen(call, Organisation, "organisation")
    starts_on, ends_on = form.date("starts_on"), form.date("ends_on")
    if person is None and not new_name and "person" not in form.errors:
        form.add_error(DomainError("person", N_("Bitte wählen Sie eine Person oder geben Sie einen Namen an.")))
    attempt(call, lambda: ops.add_membership(call.db, group, person or create_person(call.db, new_name), role,
                                             organisation, starts_on, ends_on))
    if form.errors:
        return _render_group(call, group, status=422, block="members" if call.is_htmx else None)
    if call.is_htmx:
        return _render_group(call, group, block="members")
    return call.redirect(call.url("group", slug=group.slug))


@endpoint(COORDINATOR)
def remove_member(call: Call) -> Response:
    group = ops.find_group(call.db, call.request.path_params["slug"])
    ops.remove_membership(call.db, ops.find_membership(call.db, group, call.request.path_params["membership_id"]))
    if call.is_htmx:
        return _render_group(call, group, block="members")
    return call.redirect(call.url("group", slug=group.slug))


routes = [
    Route("/groups", overview, methods=["GET"], name="groups"),
    Route("/groups", create_group, methods=["POST"], name="create_group"),
    Route("/groups/new", new_group, methods=["GET"], name="new_group"),
    Route("/groups/{slug}", group_page, methods=["GET"], name="group"),
    Route("/groups/{slug}/edit", edit_group, methods=["GET"], name="edit_group"),
    Route("/groups/{slug}/edit", update_group, methods=["POST"], name="update_group"),
    Route("/groups/{slug}/members", add_member, methods=["POST"], name="add_member"),
    Route("/groups/{slug}/members/{membership_id:int}/remove", remove_member, methods=["POST"],
          name="remove_member"),
]
