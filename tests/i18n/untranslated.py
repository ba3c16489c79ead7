"""Record every message looked up in Spanish that the Spanish catalog lacks.

Django's gettext returns the English text when a message has no translation, silently:
a page would read "Pedir una consulta … Opening hours". Wrapping the catalog look-ups
while pages render lists exactly what a Spanish reader would meet in English.
"""

from contextlib import contextmanager

from django.utils.translation import trans_real


@contextmanager
def untranslated_messages(language="es"):
    missing: set[str] = set()
    plain = trans_real.DjangoTranslation.gettext
    plural = trans_real.DjangoTranslation.ngettext

    def gettext(self, message):
        if self.language() == language and message not in self._catalog:
            missing.add(message)
        return plain(self, message)

    def ngettext(self, singular, many, number):
        if self.language() == language and (singular, 0) not in self._catalog:
            missing.add(singular)
        return plural(self, singular, many, number)

    trans_real.DjangoTranslation.gettext = gettext
    trans_real.DjangoTranslation.ngettext = ngettext
    try:
        yield missing
    finally:
        trans_real.DjangoTranslation.gettext = plain
        trans_real.DjangoTranslation.ngettext = plural
