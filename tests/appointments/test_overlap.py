"""No overlap beyond capacity (issue 30, item 1): a confirmed consultation holds its
seat for its whole length, enforced by the database, whatever start minutes staff type."""

import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError, connection, transaction

from appointments import booking, services
from appointments.booking import SlotFull, plan_seats, steps
from appointments.models import ConsultationRequest, OccupiedSeat, RequestStatus, SlotBooking
from appointments.slots import open_slots
from tests.appointments import test_inbox_admin
from tests.appointments.test_inbox_admin import make_request
from tests.factories import reference_location

NY = ZoneInfo("America/New_York")
HALF_HOUR = timedelta(minutes=30)
TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=NY)


@pytest.fixture(autouse=True)
def _the_monday_before():
    """The times booked here are Tuesday's: staff book them the day before (scheduling
    refuses a time in the past)."""
    import time_machine

    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=NY), tick=False):
        yield


# The steps a consultation holds (pure) ---------------------------------------------


def test_a_half_hour_on_the_step_holds_six_steps():
    held = steps(TUESDAY_9, HALF_HOUR)
    assert len(held) == 6 and held[0] == TUESDAY_9.astimezone(UTC)
    assert held[-1] == (TUESDAY_9 + timedelta(minutes=25)).astimezone(UTC)


def test_a_start_between_steps_takes_the_step_it_falls_in():
    held = steps(TUESDAY_9 + timedelta(minutes=12), HALF_HOUR)
    assert held[0] == (TUESDAY_9 + timedelta(minutes=10)).astimezone(UTC)
    assert held[-1] == (TUESDAY_9 + timedelta(minutes=40)).astimezone(UTC)  # up to 9:42


def test_0900_and_0910_share_steps_and_0930_does_not():
    first = set(steps(TUESDAY_9, HALF_HOUR))
    assert first & set(steps(TUESDAY_9 + timedelta(minutes=10), HALF_HOUR))
    assert not first & set(steps(TUESDAY_9 + HALF_HOUR, HALF_HOUR))


def test_steps_are_instants_across_the_autumn_clock_change():
    # 1 Nov 2026: 01:45 EDT and 01:10 EST are 25 minutes apart in real time.
    before = datetime(2026, 11, 1, 1, 45, tzinfo=NY, fold=0)
    after = datetime(2026, 11, 1, 1, 10, tzinfo=NY, fold=1)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(minutes=25)
    assert set(steps(before, HALF_HOUR)) & set(steps(after, HALF_HOUR))
    # 01:30 EDT and 01:30 EST are an hour apart: no shared step.
    again = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=1)
    assert not set(steps(before.replace(minute=30), HALF_HOUR)) & set(steps(again, HALF_HOUR))


def test_seats_are_planned_step_by_step():
    wanted = steps(TUESDAY_9, timedelta(minutes=10))
    assert plan_seats(wanted, {wanted[0]: {1}}, 2) == [(wanted[0], 2), (wanted[1], 1)]
    with pytest.raises(SlotFull):
        plan_seats(wanted, {wanted[1]: {1, 2}}, 2)


# Confirming through the services ----------------------------------------------------


@pytest.fixture
def place(brand_a):
    return reference_location(brand_a, slug="downtown", name="Downtown clinic")


def patients(brand, place, count):
    return [make_request(brand, place, name=f"Patient {n}") for n in range(count)]


def confirm(item, when):
    services.handle(item, status=RequestStatus.SCHEDULED, confirmed_slot=when)


def test_0910_is_refused_when_0900_fills_the_one_seat(brand_a, place):
    first, second = patients(brand_a, place, 2)
    confirm(first, TUESDAY_9)
    for minutes in (10, -10, 25, -25, 5):
        with pytest.raises(SlotFull):
            confirm(second, TUESDAY_9 + timedelta(minutes=minutes))
    second.refresh_from_db()
    assert second.status == RequestStatus.NEW and second.confirmed_slot is None
    # Back to back is fine.
    confirm(second, TUESDAY_9 + HALF_HOUR)
    confirm(patients(brand_a, place, 1)[0], TUESDAY_9 - HALF_HOUR)
    assert SlotBooking.objects.count() == 3


def test_three_seats_take_three_overlapping_patients_and_no_fourth(brand_a, place):
    place.slot_capacity = 3
    place.save()
    people = patients(brand_a, place, 5)
    for item, minutes in zip(people[:3], (0, 10, 20), strict=True):
        confirm(item, TUESDAY_9 + timedelta(minutes=minutes))
    with pytest.raises(SlotFull):
        confirm(people[3], TUESDAY_9 + timedelta(minutes=15))
    confirm(people[4], TUESDAY_9 + timedelta(minutes=30))  # the first has left by then
    # Never more than three at any step.
    counts = {}
    for at in OccupiedSeat.objects.values_list("at", flat=True):
        counts[at] = counts.get(at, 0) + 1
    assert max(counts.values()) == 3


def test_a_freed_seat_can_be_taken_by_pieces_of_two_seats(brand_a, place):
    """Seats are chosen step by step: a time free at every step fits, even when no one
    seat is free all along."""
    place.slot_capacity = 2
    place.save()
    a, b, c, d, e = patients(brand_a, place, 5)
    confirm(a, TUESDAY_9)  # seat 1, 9:00-9:30
    confirm(b, TUESDAY_9)  # seat 2, 9:00-9:30
    confirm(c, TUESDAY_9 + HALF_HOUR)  # seat 1, 9:30-10:00
    confirm(d, TUESDAY_9 + HALF_HOUR)  # seat 2
    services.set_status(b, RequestStatus.DECLINED)  # seat 2 free 9:00-9:30
    services.set_status(c, RequestStatus.DECLINED)  # seat 1 free 9:30-10:00
    confirm(e, TUESDAY_9 + timedelta(minutes=20))
    assert ConsultationRequest.objects.get(pk=e.pk).status == RequestStatus.SCHEDULED


def test_rescheduling_moves_the_whole_hold(brand_a, place):
    item, other = patients(brand_a, place, 2)
    confirm(item, TUESDAY_9)
    confirm(item, TUESDAY_9 + timedelta(hours=2))
    confirm(other, TUESDAY_9 + timedelta(minutes=10))  # the 9:00 hold is gone
    assert OccupiedSeat.objects.filter(booking__request=item).count() == 6


def test_across_the_autumn_clock_change(brand_a, place, settings):
    first, second, third = patients(brand_a, place, 3)
    # Sunday 1 Nov 2026 is not open in the reference hours: the services do not judge
    # hours (the admin form does), so the hold itself is tested here.
    booking.reserve(first, place, datetime(2026, 11, 1, 1, 45, tzinfo=NY, fold=0))
    with pytest.raises(SlotFull):
        booking.reserve(second, place, datetime(2026, 11, 1, 1, 10, tzinfo=NY, fold=1))
    booking.reserve(third, place, datetime(2026, 11, 1, 1, 15, tzinfo=NY, fold=1))


# What patients are offered, what staff are told ------------------------------------


def test_the_public_form_leaves_out_every_time_that_overlaps_a_full_hold(brand_a, place):
    item = patients(brand_a, place, 1)[0]
    confirm(item, TUESDAY_9 + timedelta(minutes=10))  # 9:10-9:40
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=NY)
    offered = {slot.starts_at for slot in open_slots([place], monday)[place.pk]}
    assert (TUESDAY_9 - HALF_HOUR).astimezone(UTC) in offered  # 8:30-9:00
    assert TUESDAY_9.astimezone(UTC) not in offered  # 9:00-9:30 overlaps
    assert (TUESDAY_9 + HALF_HOUR).astimezone(UTC) not in offered  # 9:30-10:00 overlaps
    assert (TUESDAY_9 + timedelta(hours=1)).astimezone(UTC) in offered


def test_the_admin_refuses_0910_after_0900_and_says_why(brand_a, place, front_desk_a):
    import time_machine

    first, second = patients(brand_a, place, 2)
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=NY), tick=False):
        scheduling = test_inbox_admin.TestScheduling()
        scheduling.schedule(front_desk_a, first, TUESDAY_9)
        answer = scheduling.schedule(front_desk_a, second, TUESDAY_9 + timedelta(minutes=10))
    assert "already fully booked" in answer.content.decode()
    assert not SlotBooking.objects.filter(request=second).exists()


# Two staff members at the same moment ----------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("minutes", [0, 10, 25])
def test_two_staff_confirming_overlapping_times_at_once_cannot_both_win(brand_a, minutes):
    place = reference_location(brand_a, slug="race", name="Race")
    first = make_request(brand_a, place, name="First")
    second = make_request(brand_a, place, name="Second")
    times = {first: TUESDAY_9, second: TUESDAY_9 + timedelta(minutes=minutes)}
    barrier = threading.Barrier(2)
    outcomes = []

    def take(item):
        barrier.wait(timeout=5)
        try:
            for _attempt in range(200):
                try:
                    with transaction.atomic():
                        booking.reserve(item, place, times[item])
                    outcomes.append("booked")
                    return
                except SlotFull:
                    outcomes.append("full")
                    return
                except OperationalError:
                    # SQLite's shared in-memory test database says "locked" at once
                    # instead of waiting as a file database does.
                    time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(item,)) for item in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "full"]
    assert SlotBooking.objects.count() == 1


# What has_free_seat and reserve tell staff and store (their mutants once survived) --


def test_a_full_time_has_no_free_seat_and_says_so_in_words(brand_a, place):
    first, second = patients(brand_a, place, 2)
    confirm(first, TUESDAY_9)
    assert booking.has_free_seat(place, TUESDAY_9 + timedelta(minutes=10), second) is False
    assert booking.has_free_seat(place, TUESDAY_9 + HALF_HOUR, second) is True
    assert str(SlotFull()) == (
        "That time is already fully booked: it overlaps consultations that fill every "
        "seat. Choose another time."
    )


def test_a_consultation_s_own_seats_do_not_stand_in_its_way(brand_a, place):
    """Moving a booked consultation by ten minutes at one seat: the seats it holds now
    are its own, so the new time is free for it (and for nobody else)."""
    item, other = patients(brand_a, place, 2)
    confirm(item, TUESDAY_9)
    later = TUESDAY_9 + timedelta(minutes=10)
    assert booking.has_free_seat(place, later, item) is True
    assert booking.has_free_seat(place, later, other) is False
    assert booking.has_free_seat(place, later) is False
    confirm(item, later)
    held = SlotBooking.objects.get(request=item)
    assert (held.starts_at, held.ends_at) == (later, later + HALF_HOUR)


def test_seats_at_another_location_or_another_time_are_not_this_one_s(brand_a, place):
    uptown = reference_location(brand_a, slug="uptown", name="Uptown clinic")
    here, there, later = (
        make_request(brand_a, place, name="Here"),
        make_request(brand_a, uptown, name="There"),
        make_request(brand_a, place, name="Later"),
    )
    confirm(there, TUESDAY_9)  # Uptown's one seat at 9:00
    confirm(later, TUESDAY_9 + timedelta(hours=2))  # Downtown's at 11:00
    assert booking.has_free_seat(place, TUESDAY_9, here) is True
    confirm(here, TUESDAY_9)
    assert SlotBooking.objects.count() == 3


def test_a_start_with_seconds_still_meets_the_consultation_it_overlaps(brand_a, place):
    """Steps begin on whole minutes: a time typed or computed with seconds (9:10:30)
    takes the same steps as 9:10, so it cannot slip past a consultation at 9:00."""
    first, second = patients(brand_a, place, 2)
    confirm(first, TUESDAY_9)
    odd = TUESDAY_9 + timedelta(minutes=10, seconds=30, microseconds=5)
    assert steps(odd, HALF_HOUR)[0] == (TUESDAY_9 + timedelta(minutes=10)).astimezone(UTC)
    assert booking.has_free_seat(place, odd, second) is False


def test_a_seat_taken_meanwhile_is_looked_for_again(brand_a, place, monkeypatch):
    """Two members of staff confirming at once: the one who finds the seat gone looks
    again and takes the other seat, instead of being told the time is full."""
    place.slot_capacity = 2
    place.save()
    first, second = patients(brand_a, place, 2)
    confirm(first, TUESDAY_9)  # seat 1
    real = booking._taken
    looks = []

    def stale_then_real(location, wanted, request=None):
        looks.append(1)
        return {} if len(looks) == 1 else real(location, wanted, request)

    monkeypatch.setattr(booking, "_taken", stale_then_real)
    held = booking.reserve(second, place, TUESDAY_9)
    assert len(looks) == 2
    assert set(held.seats.values_list("seat", flat=True)) == {2}


def test_full_steps_are_this_location_s_from_the_step_in_progress(brand_a, place):
    uptown = reference_location(brand_a, slug="uptown", name="Uptown clinic")
    early, here, there = (
        make_request(brand_a, place, name="Early"),
        make_request(brand_a, place, name="Here"),
        make_request(brand_a, uptown, name="There"),
    )
    confirm(early, TUESDAY_9 - timedelta(hours=1))  # 8:00-8:30, before ``since``
    confirm(here, TUESDAY_9)
    confirm(there, TUESDAY_9)
    since = TUESDAY_9 + timedelta(minutes=3)  # inside the 9:00 step
    full = booking.full_steps([place], since)
    assert {location for location, _at in full} == {place.pk}
    assert min(at for _location, at in full) == TUESDAY_9.astimezone(UTC)
    assert len(full) == 6  # 9:00 to 9:25; nothing of 8:00


def test_confirming_retires_the_form_s_free_times(brand_a, place):
    from portal import generations

    before = generations.current(generations.bookings_key(brand_a.pk))
    confirm(patients(brand_a, place, 1)[0], TUESDAY_9)
    assert generations.current(generations.bookings_key(brand_a.pk)) != before
