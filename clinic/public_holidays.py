"""A location's public holidays for a year, from the ``holidays`` package (by country
and state or province): what the "Add public holidays" admin action offers for review.

Plain logic, no database. Each holiday comes with a suggestion: closed for a national
holiday (a federal one in the United States), open as usual for one only the state
keeps (Florida's "Friday After Thanksgiving"), which staff may change before saving.
"""

from dataclasses import dataclass
from datetime import date

import holidays

# The package names the United States' holidays in English only: their Spanish names,
# written here, become a holiday's Spanish label (the hours tables on /es/ pages).
SPANISH_NAMES = {
    "New Year's Day": "Año Nuevo",
    "Martin Luther King Jr. Day": "Día de Martin Luther King Jr.",
    "Washington's Birthday": "Día de los Presidentes",
    "Susan B. Anthony Day": "Día de Susan B. Anthony",
    "Memorial Day": "Día de los Caídos",
    "Juneteenth National Independence Day": "Día de la Liberación (Juneteenth)",
    "Independence Day": "Día de la Independencia",
    "Labor Day": "Día del Trabajo",
    "Columbus Day": "Día de la Hispanidad",
    "Veterans Day": "Día de los Veteranos",
    "Thanksgiving Day": "Día de Acción de Gracias",
    "Friday After Thanksgiving": "Viernes después de Acción de Gracias",
    "Christmas Eve": "Nochebuena",
    "Christmas Day": "Navidad",
}
OBSERVED = " (observed)"


def name_in(name: str, language: str) -> str:
    """A holiday's name in ``language`` where it is known ("" otherwise)."""
    if language != "es":
        return name if language == "en" else ""
    observed = name.endswith(OBSERVED)
    known_name = SPANISH_NAMES.get(name.removesuffix(OBSERVED), "")
    return f"{known_name} (día feriado)" if known_name and observed else known_name


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    national: bool  # kept by the whole country, not only the state or province


def known(country: str) -> bool:
    """Does the package know this country's holidays?"""
    try:
        holidays.country_holidays(country.upper())
    except NotImplementedError:
        return False
    return True


def subdivision(country: str, region: str) -> str | None:
    """The package's code for a location's state or region ("FL", or "Florida")."""
    try:
        kind = holidays.country_holidays(country.upper())
    except NotImplementedError:
        return None
    wanted = region.strip()
    codes = set(kind.subdivisions)
    if wanted.upper() in codes:
        return wanted.upper()
    aliases = getattr(kind, "subdivisions_aliases", {})
    for alias, code in aliases.items():
        if alias.casefold() == wanted.casefold():
            return code
    return None


def for_year(country: str, region: str, year: int) -> list[Holiday]:
    """The public holidays of ``year`` where the location is, in date order (none for
    a country the package does not know)."""
    try:
        national = holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:
        return []
    code = subdivision(country, region)
    local = (
        holidays.country_holidays(country.upper(), subdiv=code, years=year) if code else national
    )
    return [Holiday(day, name, day in national) for day, name in sorted(local.items())]
