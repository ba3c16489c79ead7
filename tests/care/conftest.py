import pytest
import time_machine

from tests.appointments.conftest import MONDAY_9AM


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller
