"""The request pipeline: visitor, CSRF, access rule, one unit of work, rendering, cookies.

Every route's handler is wrapped by `endpoint(access)`: the handler gets a `Call` and returns a
response; the unit of work commits when that response is below 400 and rolls back otherwise.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Router

from governance.errors import Conflict, DomainError, NotAllowed, NotFound
from governance.permissions import Actor, actor_for
from governance.times import today
from workspace import flash, sessions
from workspace.access import MEMBER, Access
from workspace.csrf import UNSAFE_METHODS, csrf_passes, csrf_token
from workspace.db import Database
from workspace.forms import Form, read_form
from workspace.mail import deliver_mails
from workspace.models import Account, WebSession
from workspace.rendering import Renderer
from workspace.settings import LANGUAGES, Settings

LANGUAGE_COOKIE = "werkstadt_language"
URL_SAFE = ":/%#?=@[]!$&'()*+,;"  # what Starlette's RedirectResponse leaves unquoted


@dataclass(frozen=True)
class Services:
    """What the app is made of, built once by create_app and shared by every request."""

    settings: Settings
    database: Database
    renderer: Renderer
    router: Router

    def __post_init__(self) -> None:
        # Starlette tries every route in turn (~0.3 ms a call); a page asks for the same few dozen paths.
        object.__setattr__(self, "_paths", functools.lru_cache(maxsize=8192)(self._path))

    def url_path(self, name: str, **params: object) -> str:
        return self._paths(name, tuple(sorted(params.items())))

    def _path(self, name: str, params: tuple) -> str:
        return str(self.router.url_path_for(name, **dict(params)))


@dataclass
class Visitor:
    """Who is asking: the cookie's token, and the session behind it when logged in."""

    token: str
    session: WebSession | None
    language: str
    sent_token: bool = True

    @property
    def account(self) -> Account | None:
        return self.session.account if self.session else None


def find_visitor(db: Session, settings: Settings, request: Request) -> Visitor:
    token = request.cookies.get(sessions.COOKIE, "")
    session = sessions.find_session(db, settings.secret_key, token) if token else None
    if session is None and not token.startswith(sessions.ANONYMOUS_PREFIX):
        return Visitor(sessions.new_anonymous_token(), None, _language(request, None, settings), False)
    return Visitor(token, session, _language(request, session, settings))


def _language(request: Request, session: WebSession | None, settings: Settings) -> str:
    if session is not None:
        return session.account.language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else settings.language


@dataclass
class Call:
    """One call of an endpoint: the request, its database session and who makes it."""

    request: Request
    services: Services
    db: Session
    visitor: Visitor
    form: Form
    flashes: list[str] = field(default_factory=list)
    kept: list[Callable[[Session], None]] = field(default_factory=list)
    language_chosen: str | None = None

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def account(self) -> Account | None:
        return self.visitor.account

    @functools.cached_property
    def actor(self) -> Actor:
        """The logged-in person with their group roles, loaded on first use (member routes only)."""
        if self.account is None:
            raise NotAllowed("no one is logged in")
        return actor_for(self.db, self.account.person, today())

    @property
    def is_member(self) -> bool:
        """A member of the network (or a coordinator): a volunteer's light account is logged in but no member."""
        return MEMBER.allows(self.account)

    @property
    def member_actor(self) -> Actor | None:
        """The actor for what only members see (internal events, meetings); None for the public and volunteers."""
        return self.actor if self.is_member else None

    @property
    def is_htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def keep(self, change: Callable[[Session], None]) -> None:
        """Run `change` in a transaction of its own after this one, even when this one rolls back."""
        self.kept.append(change)

    def flash(self, key: str) -> None:
        self.flashes.append(key)

    def choose_language(self, language: str) -> None:
        self.language_chosen = self.visitor.language = language

    def log_in(self, account: Account) -> None:
        """Start a new session (a new token, so a token planted before login is worthless)."""
        if self.visitor.session is not None:
            sessions.end_session(self.db, self.visitor.session)
        token = sessions.start_session(self.db, self.settings.secret_key, account)
        self.visitor = Visitor(token, sessions.find_session(self.db, self.settings.secret_key, token),
                               account.language, sent_token=False)

    def log_out(self) -> None:
        if self.visitor.session is not None:
            sessions.end_session(self.db, self.visitor.session)
        self.visitor = Visitor(sessions.new_anonymous_token(), None, self.visitor.language, False)

    def url(self, name: str, **params: object) -> str:
        return self.services.url_path(name, **params)

    def redirect(self, url: str) -> Response:
        if self.is_htmx:  # a full page load, so that flash messages show
            return Response(status_code=204, headers={"HX-Redirect": quote(url, safe=URL_SAFE)})
        return RedirectResponse(url, status_code=303)

    def render(self, template: str, status: int = 200, block: str | None = None, **context) -> HTMLResponse:
        html = self.services.renderer.render(self.visitor.language, template, self.context(context), block)
        return HTMLResponse(html, status_code=status)

    def context(self, extra: dict) -> dict:
        shown = flash.read_flash(self.request.cookies.get(flash.COOKIE)) if not self.is_htmx else []
        return {
            "request": self.request,
            "account": self.account,
            "is_member": self.is_member,
            "csrf_token": csrf_token(self.settings.secret_key, self.visitor.token),
            "url": self.url,
            "flashes": shown,
            "form": self.form,
            "errors": self.form.errors,
            **extra,
        }


def endpoint(access: Access):
    """Wrap a handler `(call) -> Response` into a Starlette endpoint that enforces `access`."""

    def decorate(handler: Callable[[Call], Response]):
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            form = await read_form(request) if request.method in UNSAFE_METHODS else Form()
            return await run_in_threadpool(_handle, request, handler, access, form)

        run.access = access
        return run

    return decorate


def _handle(request: Request, handler, access: Access, form: Form) -> Response:
    services: Services = request.app.state.services
    write = request.method in UNSAFE_METHODS
    with services.database.session(write=write) as db:
        call = Call(request, services, db, find_visitor(db, services.settings, request), form)
        try:
            response = _respond(call, handler, access)
        except BaseException:
            db.rollback()
            raise
        if response.status_code < 400:
            response = _commit(call, response)
        else:
            db.rollback()
    for change in call.kept:
        with services.database.transaction() as own:
            change(own)
    return _finish(call, response)


def _commit(call: Call, response: Response) -> Response:
    """Commit; a unique or version clash with a concurrent request becomes a 409 page, not a 500."""
    try:
        call.db.commit()
    except (IntegrityError, StaleDataError):
        call.db.rollback()
        return error_response(call, 409)
    response.background = _after_commit(call.services, call.db)
    return response


def _respond(call: Call, handler, access: Access) -> Response:
    settings = call.settings
    if call.request.method in UNSAFE_METHODS and access.checks_csrf:
        token = call.visitor.token if call.visitor.sent_token else None
        if not csrf_passes(call.request, call.form, settings.secret_key, settings.base_url, token):
            if _session_expired(call):
                call.flash("session_expired")
                return _to_login(call)
            return error_response(call, 403, "csrf")
    if not access.allows(call.account):
        if call.account is None:
            return _to_login(call)
        return error_response(call, 403)
    try:
        return handler(call)
    except NotFound:
        return error_response(call, 404)
    except NotAllowed:
        return error_response(call, 403)
    except (Conflict, StaleDataError, IntegrityError):  # edit forms show both versions; this is the net
        call.db.rollback()
        return error_response(call, 409)
    except DomainError as error:
        call.form.add_error(error)
        return error_response(call, 422)


def _session_expired(call: Call) -> bool:
    """The browser still sends a session that has ended (expired, logged out elsewhere, deactivated)."""
    sent = call.request.cookies.get(sessions.COOKIE, "")
    return sent.startswith(sessions.SESSION_PREFIX) and call.visitor.session is None


def _to_login(call: Call) -> Response:
    back = call.request.url.path if call.request.method == "GET" else "/"
    target = call.url("login") + "?next=" + quote(back)
    if call.is_htmx:
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_response(call: Call, status: int, reason: str = "") -> HTMLResponse:
    return call.render(f"errors/{status}.html", status=status, reason=reason)


def router_error(request: Request, status: int) -> Response:
    """A German error page for what the router refused (unknown path, wrong method), for this visitor."""
    services: Services = request.app.state.services
    with services.database.session(write=False) as db:
        call = Call(request, services, db, find_visitor(db, services.settings, request), Form())
        return _finish(call, error_response(call, status))


def _after_commit(services: Services, db: Session) -> BackgroundTask | None:
    mail_ids = db.info.pop("queued_mail_ids", [])
    if not mail_ids or not services.settings.smtp_url:
        return None
    return BackgroundTask(deliver_mails, services.database, services.settings, mail_ids)


def _finish(call: Call, response: Response) -> Response:
    settings = call.settings
    if not call.visitor.sent_token:
        response.set_cookie(
            sessions.COOKIE, call.visitor.token, max_age=int(sessions.LIFETIME.total_seconds()),
            httponly=True, samesite="lax", secure=settings.secure_cookies, path="/",
        )
    if call.language_chosen:
        response.set_cookie(LANGUAGE_COOKIE, call.language_chosen, max_age=365 * 86400,
                            httponly=True, samesite="lax", secure=settings.secure_cookies, path="/")
    if call.flashes:
        response.set_cookie(flash.COOKIE, flash.write_flash(call.flashes), max_age=120,
                            httponly=True, samesite="lax", secure=settings.secure_cookies, path="/")
    elif flash.COOKIE in call.request.cookies and not call.is_htmx and response.status_code < 300:
        response.delete_cookie(flash.COOKIE, path="/")
    response.headers["Vary"] = "HX-Request, Cookie"
    response.headers.setdefault("Cache-Control", "no-store" if call.visitor.session else "private")
    return response
