"""Spanish date formats as the United States' Spanish speakers write them (a 12-hour
clock, "8:30 a. m.", like the clinic's opening hours), each time followed by its zone's
abbreviation, as in English (portal/formats/en/formats.py)."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a T"
SHORT_DATETIME_FORMAT = "d/m/Y g:i a T"
TIME_FORMAT = "g:i a"
