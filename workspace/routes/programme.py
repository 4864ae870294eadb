"""The programme: its period, focuses and core target group, and the record of its extensions."""

from starlette.responses import Response
from starlette.routing import Route

from governance import programmes as ops
from governance.errors import N_
from governance.models import Programme
from governance.programmes import MAX_REASON, current_programme, extend_programme, extensions_of, original_end
from workspace.access import COORDINATOR, MEMBER
from workspace.endpoints import Call, endpoint
from workspace.submission import attempt


@endpoint(MEMBER)
def programme_page(call: Call) -> Response:
    """Before the coordinator has set the programme up, a hint where to do it."""
    return _render(call, current_programme(call.db))


def _render(call: Call, programme: Programme | None, status: int = 200) -> Response:
    if programme is None:
        return call.render("programme/programme.html", programme=None, actor=call.actor)
    extensions = extensions_of(call.db, programme)
    return call.render("programme/programme.html", status=status,
                       block="extension_form" if status == 422 and call.is_htmx else None,
                       programme=programme, extensions=extensions, original_end=original_end(programme, extensions),
                       actor=call.actor)


@endpoint(COORDINATOR)
def extend(call: Call) -> Response:
    programme = ops.find_programme(call.db)
    new_ends_on = call.form.date("ends_on")
    reason = call.form.text("reason", MAX_REASON)
    attempt(call, lambda: extend_programme(call.db, call.actor, programme, new_ends_on, reason))
    if call.form.errors:
        return _render(call, programme, 422)
    call.flash("programme_extended")
    return call.redirect(call.url("programme"))


# Setting the programme up and changing it (the end moves only by an extension) ----------------

@endpoint(COORDINATOR)
def edit_programme(call: Call) -> Response:
    """The form for the programme, or for a new one while there is none."""
    programme = current_programme(call.db)
    if programme is not None:
        call.form.update(_values(programme))
    return _render_form(call, programme)


@endpoint(COORDINATOR)
def update_programme(call: Call) -> Response:
    """Programme and focuses in one form; any error keeps everything unsaved (the request rolls back)."""
    existing = current_programme(call.db)
    programme = _save_programme(call, existing)
    if programme is not None and not call.form.errors:
        _save_focuses(call, programme)
    if call.form.errors:
        return _render_form(call, existing, 422)
    call.flash("programme_saved")
    return call.redirect(call.url("programme"))


def _save_programme(call: Call, programme: Programme | None) -> Programme | None:
    form = call.form
    name = form.text("name", ops.MAX_NAME, ops.NAME_REQUIRED)
    starts_on = form.date("starts_on", N_("Bitte geben Sie den Programmstart an."))
    target_group = form.text("core_target_group", ops.MAX_TARGET_GROUP)
    if programme is None:
        ends_on = form.date("ends_on", N_("Bitte geben Sie das Programmende an."))
        return attempt(call, lambda: ops.create_programme(call.db, name, starts_on, ends_on, target_group))
    return attempt(call, lambda: ops.update_programme(call.db, call.actor, programme, name, starts_on, target_group))


def _save_focuses(call: Call, programme: Programme) -> None:
    """Each focus's title as given; a new focus when a number or a title for one is entered."""
    form = call.form
    for focus in list(programme.focuses):
        title = form.get(f"focus_{focus.id}", focus.title)
        if title.strip() != focus.title:
            attempt(call, lambda: ops.rename_focus(call.db, call.actor, focus, title))
    number, title = form.integer("focus_number"), form.text("focus_title", ops.MAX_NAME)
    if form.get("focus_number", "").strip() or title:
        attempt(call, lambda: ops.add_programme_focus(call.db, call.actor, programme, number, title))


def _render_form(call: Call, programme: Programme | None, status: int = 200) -> Response:
    return call.render("programme/edit.html", status=status, programme=programme)


def _values(programme: Programme) -> dict[str, str]:
    return {"name": programme.name, "starts_on": programme.starts_on.isoformat(),
            "core_target_group": programme.core_target_group,
            **{f"focus_{focus.id}": focus.title for focus in programme.focuses}}


routes = [
    Route("/programme", programme_page, methods=["GET"], name="programme"),
    Route("/programme/edit", edit_programme, methods=["GET"], name="edit_programme"),
    Route("/programme/edit", update_programme, methods=["POST"], name="update_programme"),
    Route("/programme/extend", extend, methods=["POST"], name="extend_programme"),
]
