"""Content in each of the site's languages: one column per language (``title_en``,
``title_es``) from django-translated-fields, read as ``obj.title`` in the page's language.

The main language's text is required and every other language's optional. Where a
translation is missing, the main language's text is shown (a page is never left with a
hole) and ``lang_of`` says so, so that the page marks that text ``lang="en"``: a screen
reader then reads it as English, and no English text is ever labelled Spanish.
"""

from django.conf import settings
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from translated_fields import TranslatedField, to_attribute
from translated_fields.utils import fallback_to_default

MAIN = settings.LANGUAGE_CODE


class Translated(property):
    """What ``obj.title`` is on the model: the page's language's text, else the main one's.

    A property to Django, so that ``Page(title=...)``, ``create(title=...)`` and
    ``get_or_create(defaults={"title": ...})`` fill the active language's column (the
    main one's outside a request); queries name the columns (``title_en``).
    """

    def __init__(self, field: TranslatedField):
        super().__init__(field._getter, field._setter)
        self.fields: list[str] = field.fields


class _TranslatedField(TranslatedField):
    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        setattr(cls, name, Translated(self))


def translated(field) -> TranslatedField:
    """``field`` once per language of LANGUAGES, read in the page's language.

    Only the main language's column keeps the field's rules of presence and uniqueness:
    a translation may be missing, and two missing ones are not duplicates.
    """
    others = {code: {"blank": True, "unique": False} for code, _name in settings.LANGUAGES[1:]}
    return _TranslatedField(field, others, attrgetter=fallback_to_default)


def column_names(model, *names: str) -> list[str]:
    """The columns behind ``names``: "title" becomes "title_en", "title_es"; others stay."""
    columns: list[str] = []
    for name in names:
        attribute = getattr(model, name, None)
        columns.extend(attribute.fields if isinstance(attribute, Translated) else [name])
    return columns


def lang_of(obj, name: str) -> str:
    """The language ``obj.<name>`` is shown in right now (the main one when untranslated)."""
    language = translation.get_language() or MAIN
    if language != MAIN and getattr(obj, to_attribute(name, language), None):
        return language
    return MAIN


def text_of(obj, name: str, language: str) -> str:
    """``obj.<name>`` in ``language`` exactly ("" where missing), whatever is active."""
    return getattr(obj, to_attribute(name, language), "") or ""


def translations_of(obj, name: str) -> tuple[tuple[str, str], ...]:
    """(code, text) for each language but the main one that has ``obj.<name>``."""
    others = [code for code, _name in settings.LANGUAGES if code != MAIN]
    return tuple((code, text_of(obj, name, code)) for code in others if text_of(obj, name, code))


def text_in(name: str, language: str):
    """A query expression: ``name`` in ``language``, the main language's where missing."""
    if language == MAIN:
        return F(to_attribute(name, MAIN))
    return Coalesce(NullIf(F(to_attribute(name, language)), Value("")), F(to_attribute(name, MAIN)))


def language_in(name: str, language: str):
    """A query expression: the language ``text_in(name, language)`` gives."""
    if language == MAIN:
        return Value(MAIN)
    return Case(
        When(**{to_attribute(name, language): ""}, then=Value(MAIN)),
        default=Value(language),
        output_field=CharField(),
    )
