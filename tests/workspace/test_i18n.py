"""The English catalogue: complete, without leftovers, placeholders intact, used by the app.

The sources are extracted here with Babel's own API and the mapping in babel.cfg, the same way
`make messages` does; so this test goes red as soon as a German text is added, changed or removed
without the catalogue following. Fix: `make messages`, then translate the new entries in
workspace/locale/en/LC_MESSAGES/messages.po (and delete the obsolete `#~` ones).
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from workspace.i18n import LOCALE_DIR, gettext

PROJECT = Path(__file__).resolve().parents[2]
ENGLISH_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"
# A %-format conversion: named (%(max)s), positional (%s, %5.2f) or the escaped percent sign (%%).
CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_id if isinstance(message_id, tuple) else (message_id,)


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def _label(msgid: str, context: str | None) -> str:
    return repr(msgid) if context is None else f"{msgid!r} (context {context!r})"


@pytest.fixture(scope="module")
def source_msgids() -> set[tuple[str, str | None]]:
    """Every (msgid, context) the sources mark (`_()`, `N_()` …), extracted as `make messages` does."""
    with (PROJECT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file, "babel.cfg")
    return {
        (_ids(message)[0], context)
        for _filename, _lineno, message, _comments, context in extract_from_dir(
            PROJECT, method_map, options_map
        )
    }


@pytest.fixture(scope="module")
def catalogue():
    with ENGLISH_PO.open("rb") as file:
        return read_po(file, locale="en")


def test_extraction_finds_every_kind_of_source(source_msgids):
    """babel.cfg reaches the page templates, the mail templates and the N_() marks in Python."""
    assert ("Zum Inhalt springen", None) in source_msgids  # templates/base.html
    assert ("Einladung in die Werkstadt der Präventionskette", None) in source_msgids  # templates/mail/
    assert ("E-Mail-Adresse oder Passwort ist nicht richtig.", None) in source_msgids  # workspace/auth.py


def _translated(catalogue, msgid: str, context: str | None) -> bool:
    message = catalogue.get(msgid, context)
    return (
        message is not None
        and not message.fuzzy
        and all(string.strip() for string in _strings(message.string))
    )


def test_every_source_text_has_an_english_translation(source_msgids, catalogue):
    untranslated = sorted(
        (key for key in source_msgids if not _translated(catalogue, *key)), key=lambda k: (k[0], k[1] or "")
    )
    assert not untranslated, (
        f"{len(untranslated)} text(s) without an English translation (run `make messages`, "
        "then translate them in workspace/locale/en/LC_MESSAGES/messages.po):\n"
        + "\n".join(f"  {_label(*key)}" for key in untranslated)
    )


def test_catalogue_has_no_entries_the_sources_no_longer_use(source_msgids, catalogue):
    entries = [(_ids(m.id)[0], m.context) for m in catalogue if m.id]
    leftovers = [key for key in entries if key not in source_msgids]
    obsolete = [(_ids(m.id)[0], m.context) for m in catalogue.obsolete.values()]
    assert not leftovers and not obsolete, (
        "entries in workspace/locale/en/LC_MESSAGES/messages.po that no source uses any more "
        "(delete them, including the obsolete `#~` ones):\n"
        + "\n".join(f"  {_label(*key)}" for key in leftovers + obsolete)
    )


def test_catalogue_is_not_marked_fuzzy(catalogue):
    assert not catalogue.fuzzy, "remove the '#, fuzzy' flag from the header entry"
    assert [m.id for m in catalogue if m.id and m.fuzzy] == []


def test_translations_keep_the_placeholders_of_their_source(catalogue):
    mismatched = []
    for message in catalogue:
        if not message.id:
            continue
        expected = {token for msgid in _ids(message.id) for token in CONVERSION.findall(msgid)}
        for string in _strings(message.string):
            if string and set(CONVERSION.findall(string)) != expected:
                mismatched.append(f"  {_ids(message.id)[0]!r} -> {string!r}")
    assert not mismatched, "placeholders differ between msgid and msgstr:\n" + "\n".join(mismatched)


def test_translations_have_no_stray_percent_signs(catalogue):
    """Templates always %-format their texts, so a lone % would break the page (write %% instead)."""
    stray = [
        string for message in catalogue if message.id
        for string in _strings(message.string) if "%" in CONVERSION.sub("", string)
    ]
    assert stray == []


def test_gettext_translates_to_english_and_keeps_german():
    assert gettext("en", "Anmelden") == "Log in"
    assert gettext("de", "Anmelden") == "Anmelden"
