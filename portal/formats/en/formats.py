"""English date formats, with the time zone's abbreviation after every time: the back
office is read from Portland, Miami and anywhere staff travel, so a time says whose
it is ("Dec. 6, 2026, 9:00 a.m. PST")."""

DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
# A date in full ("December 6, 2026"), as articles show when they were reviewed.
DATE_FORMAT = "F j, Y"
