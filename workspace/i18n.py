"""Translations: German is the source language, English comes from the catalogue under locale/."""

from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from governance.errors import DomainError

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue for a language, compiled from its .po file in memory (no build step)."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as file:
        catalog = read_po(file, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(language: str, message: str) -> str:
    return translations(language).gettext(message)


def error_text(language: str, error: DomainError) -> str:
    """A domain error's message in the reader's language, with its parameters filled in."""
    text = gettext(language, error.message)
    return text % error.params if error.params else text
