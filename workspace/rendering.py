"""Jinja environments per language; a page renders whole, or one of its blocks alone for htmx."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block

from governance.milestone_status import standing
from governance.times import BERLIN

from workspace.auth import MIN_PASSWORD
from workspace.i18n import LANGUAGE_NAMES, error_text, translations
from workspace.links import INVITATION_LIFETIME
from workspace.settings import LANGUAGES, ROOT

TEMPLATES_DIR = ROOT / "templates"
# English dates in the British way (23/11/2026, 24-hour clock), as the network is in Europe.
BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}
# Figures the texts quote, taken from where they are enforced so the two never drift apart.
LIMITS = {"password_min": MIN_PASSWORD, "invitation_days": INVITATION_LIFETIME.days}


class Renderer:
    def __init__(self, templates_dir: Path = TEMPLATES_DIR) -> None:
        self.environments = {language: _environment(templates_dir, language) for language in LANGUAGES}

    def render(self, language: str, template: str, context: dict, block: str | None = None) -> str:
        environment = self.environments[language]
        if block is None:
            return environment.get_template(template).render(context)
        return render_block(environment, template, block, context)


def _environment(templates_dir: Path, language: str) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_translations(translations(language), newstyle=True)
    environment.globals.update(language=language, language_names=LANGUAGE_NAMES, limits=LIMITS)
    environment.filters.update(
        date=lambda value, style="medium": _format_date(value, style, language),
        datetime=lambda value, style="medium": _format_datetime(value, style, language),
        error=lambda error: error_text(language, error),
        options=lambda rows, label="name": [(str(row.id), getattr(row, label)) for row in rows],
        number=lambda value: _format_number(value, language),
        csv_row=csv_row,
    )
    environment.globals["standing"] = standing
    return environment


def _format_date(value: date | None, style: str, language: str) -> str:
    """A date; for an instant, its date in Berlin (a UTC date can be a day off)."""
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    return "" if value is None else _format_day(value, style, language)


@lru_cache(maxsize=4096)
def _format_day(value: date, style: str, language: str) -> str:
    """Cached by day: Babel takes ~25 µs a date, and long lists (the milestone plan, the shifts) repeat days."""
    return format_date(value, style, locale=BABEL_LOCALES[language])


def _format_datetime(value: datetime | None, style: str, language: str) -> str:
    """Instants are shown in Europe/Berlin, whatever the server's zone."""
    if value is None:
        return ""
    if style == "HH:mm":  # the clock time lists show, the same in every language; Babel takes ~40 µs
        return f"{value.astimezone(BERLIN):%H:%M}"
    return format_datetime(value.astimezone(BERLIN), style, tzinfo=BERLIN, locale=BABEL_LOCALES[language])


@lru_cache(maxsize=4096)
def _format_number(value: float, language: str) -> str:
    return format_decimal(value, locale=BABEL_LOCALES[language])


def csv_row(values: list[object]) -> str:
    """One line of a CSV file as German Excel reads it: `;` between quoted fields, CRLF at the end.

    A field that starts like a formula (= + - @) gets a leading apostrophe, so a spreadsheet shows it
    as text instead of running it (CSV injection).
    """
    fields = []
    for value in values:
        text = "" if value is None else str(value)
        if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
            text = "'" + text
        fields.append('"' + text.replace('"', '""') + '"')
    return ";".join(fields) + "\r\n"
