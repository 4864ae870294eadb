"""Form bodies decoded strictly, and field values checked into errors shown next to each field."""

from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from governance.errors import N_, DomainError

MAX_BODY = 1_000_000


class Form(dict[str, str]):
    """The submitted fields, and the errors found so far, by field name."""

    def __init__(self, fields: dict[str, str] | None = None) -> None:
        super().__init__(fields or {})
        self.errors: dict[str, DomainError] = {}

    def add_error(self, error: DomainError) -> None:
        self.errors.setdefault(error.field, error)

    def text(self, name: str, max_length: int, required: str | None = None) -> str:
        """The field's value with outer spaces removed; `required` is the message when it is empty."""
        value = self.get(name, "").strip()
        if name in self.errors:
            return value
        if required and not value:
            self.add_error(DomainError(name, required))
        elif len(value) > max_length:
            self.add_error(DomainError(name, N_("Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."), max=max_length))
        return value

    def secret(self, name: str, required: str) -> str:
        """A password exactly as typed (spaces count); its length is the domain's to judge."""
        value = self.get(name, "")
        if not value and name not in self.errors:
            self.add_error(DomainError(name, required))
        return value


async def read_form(request: Request) -> Form:
    """Parse a urlencoded body; a value that is not UTF-8 becomes an error on its field, not a guess."""
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return Form()
    body = await request.body()
    if len(body) > MAX_BODY:
        form = Form()
        form.add_error(DomainError("form", N_("Die Eingabe ist zu groß.")))
        return form
    return parse_urlencoded(body)


def parse_urlencoded(body: bytes) -> Form:
    form = Form()
    for pair in body.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        try:
            name = _decode(raw_name)
        except UnicodeDecodeError:
            continue  # no field of ours has such a name
        try:
            form[name] = _decode(raw_value)
        except UnicodeDecodeError:
            form[name] = ""
            form.add_error(DomainError(name, N_("Die Eingabe enthält ungültige Zeichen (kein UTF-8).")))
    return form


def _decode(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
