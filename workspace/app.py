"""create_app(settings): the Starlette application with its routes, middleware and error pages."""

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from workspace.db import Database
from workspace.endpoints import Services, router_error
from workspace.headers import SECURITY_HEADERS, SecurityHeaders
from workspace.rendering import Renderer
from workspace.routes import (account, admin, calendar, decisions, events, fairness, feeds, groups, meetings,
                              milestone_plan, milestones, pages, programme, reminders, shifts, tasks, volunteers)
from workspace.settings import Settings

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        app.state.services.database.dispose()

    app = Starlette(
        routes=app_routes(),
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.services = Services(settings, Database(settings.database_url), Renderer(), app.router)
    return app


def app_routes() -> list:
    """Every route in order; the scheduler builds its links from the same list."""
    return [
        *pages.routes,
        *account.routes,
        *admin.routes,
        *groups.routes,
        *decisions.routes,
        *tasks.routes,
        *meetings.routes,
        *milestone_plan.routes,
        *milestones.routes,
        *programme.routes,
        *shifts.routes,
        *calendar.routes,
        *events.routes,
        *feeds.routes,
        *fairness.routes,
        *volunteers.routes,
        *reminders.routes,
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def http_error(request: Request, exc: HTTPException) -> Response:
    """Router errors (unknown path, wrong method) as German pages for the visitor who asked."""
    return router_error(request, exc.status_code if exc.status_code in (403, 404, 405) else 404)


def server_error(request: Request, exc: Exception) -> Response:
    """A plain German page that needs neither the database nor a session."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    services: Services = request.app.state.services
    html = services.renderer.render(services.settings.language, "errors/500.html", {})
    # This handler runs outside the middleware stack, so it sets the security headers itself.
    return HTMLResponse(html, status_code=500, headers=SECURITY_HEADERS)
