"""Feed endpoints: public, read-only, outside the page pipeline (no cookies, no templates), with
conditional GET (ETag, Last-Modified, 304) so calendar programs that poll cost almost nothing."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from calendars.feeds import Version
from governance.errors import NotFound
from workspace.access import PUBLIC
from workspace.endpoints import Services
from workspace.settings import Settings

CALENDAR_TYPE = "text/calendar; charset=utf-8"
NOT_FOUND = "Nicht gefunden."


@dataclass(frozen=True)
class FeedCall:
    """One feed request with its read-only database session."""

    request: Request
    services: Services
    db: Session

    @property
    def settings(self) -> Settings:
        return self.services.settings


def feed_endpoint(handler: Callable[[FeedCall], Response]):
    """A public Starlette endpoint running `handler` in the threadpool on a read-only session.

    NotFound (unknown group, unknown or revoked token, no right to read) is the same plain 404.
    """

    @functools.wraps(handler)
    async def run(request: Request) -> Response:
        return await run_in_threadpool(_handle, request, handler)

    run.access = PUBLIC
    return run


def _handle(request: Request, handler: Callable[[FeedCall], Response]) -> Response:
    services: Services = request.app.state.services
    with services.database.session(write=False) as db:
        try:
            return handler(FeedCall(request, services, db))
        except NotFound:
            return PlainTextResponse(NOT_FOUND, status_code=404)


def validators(version: Version, cache_control: str) -> dict[str, str]:
    """The headers a client keeps to ask again: a strong ETag, Last-Modified (whole seconds)."""
    modified = version.last_modified.astimezone(timezone.utc).replace(microsecond=0)
    return {"ETag": f'"{version.etag}"', "Last-Modified": format_datetime(modified, usegmt=True),
            "Cache-Control": cache_control}


def is_fresh(request: Request, version: Version) -> bool:
    """True when the client's copy is current: If-None-Match decides when sent, else If-Modified-Since."""
    tags = request.headers.get("if-none-match")
    if tags is not None:
        sent = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in sent or f'"{version.etag}"' in sent
    since = _http_date(request.headers.get("if-modified-since"))
    return since is not None and since >= version.last_modified.replace(microsecond=0)


def not_modified(version: Version, cache_control: str) -> Response:
    return Response(status_code=304, headers=validators(version, cache_control))


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else None
