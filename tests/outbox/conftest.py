"""The consultation fixtures (a Monday morning in Miami, a clinic) for the outbox tests."""

from tests.appointments.conftest import location, monday  # noqa: F401 (fixtures)
