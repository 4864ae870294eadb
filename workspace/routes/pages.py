"""The start page (dashboard), the directory of organisations, and the health check."""

from sqlalchemy import text
from sqlalchemy.exc import NoResultFound, SQLAlchemyError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from governance.organisations import list_areas, list_organisations, list_target_groups
from governance.programmes import current_programme
from workspace.access import MEMBER, PUBLIC
from workspace.endpoints import Call, endpoint


@endpoint(MEMBER)
def dashboard(call: Call) -> Response:
    return call.render(
        "dashboard.html",
        programme=current_programme(call.db),
        areas=list_areas(call.db),
        target_groups=list_target_groups(call.db),
    )


@endpoint(MEMBER)
def organisations(call: Call) -> Response:
    return call.render("organisations/list.html", organisations=list_organisations(call.db))


def healthz(request: Request) -> Response:
    """200 `ok` while the database answers, 503 otherwise; no session, no cookie, for load balancers."""
    try:
        with request.app.state.services.database.engine.connect() as connection:
            connection.execute(text("SELECT version_num FROM alembic_version")).one()
    except (SQLAlchemyError, NoResultFound):
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


healthz.access = PUBLIC

routes = [
    Route("/", dashboard, methods=["GET"], name="dashboard"),
    Route("/organisations", organisations, methods=["GET"], name="organisations"),
    Route("/healthz", healthz, methods=["GET"], name="healthz"),
]
