"""Form bodies decoded strictly, and field values checked into errors shown next to each field."""

import re
from collections.abc import Collection
from datetime import date, datetime, time
from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from governance.errors import N_, DomainError
from governance.times import from_berlin

MAX_BODY = 1_000_000
FIRST_YEAR, LAST_YEAR = 1900, 2199  # far enough for any plan, and safe from overflows near year 1 or 9999
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_LOCAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
# One decimal mark, comma or point, and no thousands separators: "1.250" would be ambiguous.
_DECIMAL = re.compile(r"-?[0-9]{1,15}([,.][0-9]{1,6})?")
# A point before exactly three digits ("1.250", "12.500.000", "1.250,5") is read as a thousands point: refused.
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?")


class Form(dict[str, str]):
    """The submitted fields, and the errors found so far, by field name."""

    def __init__(self, fields: dict[str, str] | None = None) -> None:
        super().__init__(fields or {})
        self.errors: dict[str, DomainError] = {}
        self.lists: dict[str, list[str]] = {}  # every value of a repeated field (a list of checkboxes)

    def add_error(self, error: DomainError) -> None:
        self.errors.setdefault(error.field, error)

    def getlist(self, name: str) -> list[str]:
        """Every value sent under `name`, in order (a list of checkboxes); [] when none was sent."""
        if name in self.lists:
            return list(self.lists[name])
        return [self[name]] if name in self else []

    def setlist(self, name: str, values: Collection[str]) -> None:
        """Prefill a list of checkboxes (a form showing what is stored)."""
        self.lists[name] = list(values)

    def clear(self) -> None:
        super().clear()
        self.lists.clear()

    def choices(self, name: str, choices: Collection[str]) -> list[str]:
        """The ticked values of a list of checkboxes, each once; a value not offered is an error on the field."""
        values = list(dict.fromkeys(self.getlist(name)))
        if any(value not in choices for value in values) and name not in self.errors:
            self.add_error(DomainError(name, N_("Bitte wählen Sie einen der angebotenen Werte.")))
        return [value for value in values if value in choices]

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

    def date(self, name: str, required: str | None = None) -> date | None:
        """An <input type=date> value (YYYY-MM-DD); empty gives None unless `required`."""
        value = self.text(name, 10, required)
        if not value or name in self.errors:
            return None
        day = plausible_date(value)
        if day is None:
            self.add_error(DomainError(name, N_("Bitte geben Sie ein gültiges Datum an.")))
        return day

    def instant(self, name: str, required: str | None = None) -> datetime | None:
        """An <input type=datetime-local> value read as Berlin wall time, as an aware UTC instant."""
        value = self.text(name, 19, required)
        if not value or name in self.errors:
            return None
        try:
            if not _DATETIME_LOCAL.fullmatch(value) or not _plausible_year(value):
                raise ValueError(value)
            return from_berlin(datetime.fromisoformat(value))
        except (ValueError, OverflowError):  # OverflowError: year 1 in Berlin is year 0 in UTC
            self.add_error(DomainError(name, N_("Bitte geben Sie Datum und Uhrzeit an (TT.MM.JJJJ, HH:MM).")))
            return None

    def clock(self, name: str) -> time | None:
        """An <input type=time> value (HH:MM); empty gives None."""
        value = self.text(name, 8)
        if not value or name in self.errors:
            return None
        try:
            if not _TIME.fullmatch(value):
                raise ValueError(value)
            return time.fromisoformat(value)
        except ValueError:
            self.add_error(DomainError(name, N_("Bitte geben Sie eine Uhrzeit an (HH:MM).")))
            return None

    def choice(self, name: str, choices: Collection[str], default: str | None = None) -> str:
        """One of `choices`; anything else is an error on the field (a tampered or stale form)."""
        value = self.get(name, default or "")
        if value not in choices and name not in self.errors:
            self.add_error(DomainError(name, N_("Bitte wählen Sie einen der angebotenen Werte.")))
        return value

    def integer(self, name: str) -> int | None:
        """A whole number (e.g. an id from a select); empty gives None."""
        value = self.text(name, 20)
        if not value or name in self.errors:
            return None
        # str.isdigit() also takes "²", which int() refuses; 18 digits fit every database's integers
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            self.add_error(DomainError(name, N_("Bitte geben Sie eine ganze Zahl an.")))
            return None
        return int(value)

    def decimal(self, name: str, required: str | None = None) -> float | None:
        """A number as people write it in German ("12,5"; "12.5" works too); empty gives None unless `required`."""
        value = self.text(name, 30, required)
        if not value or name in self.errors:
            return None
        if _THOUSANDS.fullmatch(value):
            self.add_error(DomainError(name, N_("Bitte schreiben Sie Tausender ohne Punkt, z. B. 1250.")))
            return None
        if not _DECIMAL.fullmatch(value):
            self.add_error(DomainError(name, N_("Bitte geben Sie eine Zahl an, z. B. 12,5.")))
            return None
        return float(value.replace(",", "."))

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
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:  # refused before reading it
        return _too_large()
    body = await request.body()
    return _too_large() if len(body) > MAX_BODY else parse_urlencoded(body)


def _too_large() -> Form:
    form = Form()
    form.add_error(DomainError("form", N_("Die Eingabe ist zu groß.")))
    return form


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
        if _CONTROL.search(form[name]):
            form[name] = _CONTROL.sub("", form[name])
            form.add_error(DomainError(name, N_("Die Eingabe enthält unzulässige Steuerzeichen.")))
        form.lists.setdefault(name, []).append(form[name])
    return form


# Control characters other than tab and line breaks (a NUL byte would even break PostgreSQL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")


def plausible_date(value: str) -> date | None:
    """A day written YYYY-MM-DD (a form field, a path, a query) in the years 1900–2199; None otherwise.

    The one rule for dates from outside: a year like 9999 would make a series expand over millennia.
    A month is `plausible_date(value + "-01")`, a year `plausible_date(value + "-01-01")`.
    """
    if not _ISO_DATE.fullmatch(value) or not _plausible_year(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None


def _plausible_year(value: str) -> bool:
    return value[:4].isdigit() and FIRST_YEAR <= int(value[:4]) <= LAST_YEAR
