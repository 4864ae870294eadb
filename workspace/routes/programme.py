"""The programme: its period, focuses and core target group, and the record of its extensions."""

from starlette.responses import Response
from starlette.routing import Route

from governance.models import Programme
from governance.programmes import MAX_REASON, extend_programme, extensions_of, find_programme, original_end
from workspace.access import COORDINATOR, MEMBER
from workspace.endpoints import Call, endpoint
from workspace.submission import attempt


@endpoint(MEMBER)
def programme_page(call: Call) -> Response:
    return _render(call, find_programme(call.db))


def _render(call: Call, programme: Programme, status: int = 200) -> Response:
    extensions = extensions_of(call.db, programme)
    return call.render("programme/programme.html", status=status,
                       block="extension_form" if status == 422 and call.is_htmx else None,
                       programme=programme, extensions=extensions, original_end=original_end(programme, extensions),
                       actor=call.actor)


@endpoint(COORDINATOR)
def extend(call: Call) -> Response:
    programme = find_programme(call.db)
    new_ends_on = call.form.date("ends_on")
    reason = call.form.text("reason", MAX_REASON)
    attempt(call, lambda: extend_programme(call.db, call.actor, programme, new_ends_on, reason))
    if call.form.errors:
        return _render(call, programme, 422)
    call.flash("programme_extended")
    return call.redirect(call.url("programme"))


routes = [
    Route("/programme", programme_page, methods=["GET"], name="programme"),
    Route("/programme/extend", extend, methods=["POST"], name="extend_programme"),
]
