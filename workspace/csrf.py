"""CSRF: a synchronizer token derived from the session cookie, plus a same-origin check."""

from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.requests import Request

from workspace.tokens import same, token_digest

FIELD = "csrf_token"
HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token(secret_key: str, session_token: str) -> str:
    """Bound to the cookie: a new session (login, logout) means a new token."""
    return token_digest(secret_key, "csrf:" + session_token)


def is_cross_site(request: Request, base_url: str) -> bool:
    """Fetch metadata and Origin say the request comes from another site (a second layer).

    The Origin may name the public address (BASE_URL, e.g. behind a proxy) or the Host asked for.
    """
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc not in (urlsplit(base_url).netloc, request.headers.get("host", ""))


def csrf_passes(request: Request, form: Mapping[str, str], secret_key: str, base_url: str,
                session_token: str | None) -> bool:
    """True when an unsafe request carries the token of its own session (header or form field)."""
    if session_token is None or is_cross_site(request, base_url):
        return False
    sent = request.headers.get(HEADER) or form.get(FIELD) or ""
    return same(sent, csrf_token(secret_key, session_token))
