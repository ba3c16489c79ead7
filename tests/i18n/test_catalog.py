"""The Spanish catalog: written in full where it is used, compiled, and safe to format."""

import gettext
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\}|<[^>]+>")


@pytest.fixture(scope="module")
def catalog():
    return polib.pofile(str(PO))


def test_no_translation_is_a_guess(catalog):
    # gettext ignores fuzzy entries: the English would show with no warning.
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []


def test_each_translation_keeps_the_placeholders_and_markup_of_its_english(catalog):
    wrong = []
    for entry in catalog.translated_entries():
        if entry.msgid_plural:  # the singular's translation, then the plural's
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for english, text in pairs:
            wanted = sorted(PLACEHOLDER.findall(english))
            found = sorted(PLACEHOLDER.findall(text))
            # A tag's attributes may be reworded ("aria-label"), never the href or the
            # placeholders inside it: compare the names of tags and placeholders only.
            if _names(found) != _names(wanted):
                wrong.append((entry.msgid, text))
    assert wrong == []


def _names(parts):
    return sorted(re.sub(r"\s.*", ">", part) if part.startswith("<") else part for part in parts)


def test_the_compiled_catalog_is_the_written_one(catalog):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalog.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            got = compiled.ngettext(key, entry.msgid_plural, 1)
            if got != entry.msgstr_plural[0]:
                stale.append(entry.msgid)
        elif compiled.gettext(key) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], "run: manage.py compilemessages -l es --ignore=.venv"


def test_every_message_has_its_spanish(catalog):
    """The public site and the back office alike: staff may work in Spanish."""
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert catalog.percent_translated() == 100
