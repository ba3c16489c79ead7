"""A confirmed consultation holds its seat for its whole length, not only its start.

Each booking gets an end and one ``OccupiedSeat`` per five-minute step it covers,
unique per location, step and seat (appointments.booking). Bookings made before this
are given their steps here; where earlier bookings already overlapped beyond a
location's capacity (the defect this fixes), the extra patient keeps the time with a
seat number above the capacity, so nothing confirmed is lost and staff see it.
"""

from collections import defaultdict
from datetime import UTC, timedelta

import django.db.models.deletion
from django.db import migrations, models


def hold_whole_consultations(apps, schema_editor):
    SlotBooking = apps.get_model("appointments", "SlotBooking")
    OccupiedSeat = apps.get_model("appointments", "OccupiedSeat")
    step = timedelta(minutes=5)
    taken = defaultdict(set)
    seats = []
    for held in SlotBooking.objects.select_related("location").order_by("starts_at", "pk"):
        length = timedelta(minutes=held.location.consult_minutes)
        held.ends_at = held.starts_at + length
        held.save(update_fields=["ends_at"])
        at = held.starts_at.astimezone(UTC).replace(second=0, microsecond=0)
        at -= timedelta(minutes=at.minute % 5)
        while at < held.ends_at:
            seat = 1
            while seat in taken[(held.location_id, at)]:
                seat += 1
            taken[(held.location_id, at)].add(seat)
            seats.append(OccupiedSeat(booking=held, location_id=held.location_id, at=at, seat=seat))
            at += step
    OccupiedSeat.objects.bulk_create(seats, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0008_staff_notifications"),
        ("clinic", "0009_brand_reply_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="slotbooking",
            name="ends_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.CreateModel(
            name="OccupiedSeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                ("seat", models.PositiveSmallIntegerField()),
                (
                    "booking",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="seats",
                        to="appointments.slotbooking",
                    ),
                ),
                (
                    "location",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clinic.location",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("location", "at", "seat"), name="one_patient_per_seat_at_a_time"
                    )
                ],
            },
        ),
        migrations.RunPython(hold_whole_consultations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="slotbooking",
            name="ends_at",
            field=models.DateTimeField(),
        ),
        migrations.RemoveConstraint(model_name="slotbooking", name="one_patient_per_seat"),
        migrations.RemoveField(model_name="slotbooking", name="seat"),
        migrations.AddIndex(
            model_name="slotbooking",
            index=models.Index(fields=["location", "starts_at"], name="booking_location_start"),
        ),
    ]
