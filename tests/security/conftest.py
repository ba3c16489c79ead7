# The consultation fixtures (a Monday morning, a clinic with the reference hours).
from tests.appointments.conftest import location, monday  # noqa: F401
