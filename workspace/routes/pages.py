"""The start page (dashboard), the directory of organisations, and the health check."""

from sqlalchemy import text
from sqlalchemy.exc import NoResultFound, SQLAlchemyError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from calendars.events import count_waiting
from calendars.fairness import headline, last_twelve_months
from calendars.reminders.calls import short_after_rounds
from governance.base import utcnow
from governance.dashboard import coordinator_dashboard, member_start_page
from governance.organisations import list_organisations
from governance.programmes import current_programme
from governance.times import today
from workspace.access import MEMBER, PUBLIC
from workspace.endpoints import Call, endpoint


@endpoint(MEMBER)
def dashboard(call: Call) -> Response:
    """The coordinator's dashboard of the whole programme; for everyone else, their groups' start page."""
    now = utcnow()
    if call.actor.is_coordinator:
        board = coordinator_dashboard(call.db, today(), now)
        return call.render("dashboard.html", board=board, today=today(), waiting_events=count_waiting(call.db),
                           fairness=headline(call.db, *last_twelve_months(today())),
                           still_short=short_after_rounds(call.db, now))
    start = member_start_page(call.db, call.actor, today(), now)
    return call.render("start.html", start=start, programme=current_programme(call.db), today=today())


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
