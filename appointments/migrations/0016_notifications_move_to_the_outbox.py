"""The consultation outbox becomes the one outbox of every message (``outbox.Message``).

Every row moves, pending ones included, with its id (so its Message-ID stays the same),
its state and its attempts; a row about a staff account becomes one about that user.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def move_rows(apps, schema_editor):
    Notification = apps.get_model("appointments", "Notification")
    Message = apps.get_model("outbox", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    request_type, _ = ContentType.objects.get_or_create(
        app_label="appointments", model="consultationrequest"
    )
    user_type, _ = ContentType.objects.get_or_create(app_label="auth", model="user")
    rows = Notification.objects.select_related("request").order_by("created").iterator(2000)
    batch = []
    for row in rows:
        about_request = row.request_id is not None
        batch.append(
            Message(
                id=row.id,
                brand_id=row.request.brand_id if about_request else None,
                about_type=request_type if about_request else user_type,
                about_id=row.request_id if about_request else row.user_id,
                kind=row.kind,
                channel=row.channel,
                status=row.status,
                details={
                    "previous_slot": row.previous_slot.isoformat() if row.previous_slot else None,
                    "calendar_sequence": row.calendar_sequence,
                },
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at,
                last_error=row.last_error,
                sent_at=row.sent_at,
            )
        )
        if len(batch) == 2000:
            Message.objects.bulk_create(batch)
            batch = []
    Message.objects.bulk_create(batch)
    # auto_now_add stamped "created" now: give each row its own back, in one statement.
    Message.objects.update(
        created=Subquery(Notification.objects.filter(id=OuterRef("id")).values("created")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0015_text_messages"),
        ("outbox", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
