"""purge_consultations anonymises closed requests after the retention period."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from appointments.models import ConsultationRequest, RequestNote, RequestStatus


def aged(brand, status, days, **fields):
    item = ConsultationRequest.objects.create(
        brand=brand,
        name="Pat Example",
        email="pat@example.org",
        phone="+13055550147",
        message="Private message",
        preference_note="mornings",
        status=status,
        **fields,
    )
    RequestNote.objects.create(request=item, text="Called; discussed history.")
    ConsultationRequest.objects.filter(pk=item.pk).update(
        updated=timezone.now() - timedelta(days=days), created=timezone.now() - timedelta(days=days)
    )
    return ConsultationRequest.objects.get(pk=item.pk)


def test_closed_old_requests_are_anonymised_and_the_rest_kept(brand_a, capsys):
    old_done = aged(brand_a, RequestStatus.COMPLETED, 400)
    old_spam = aged(brand_a, RequestStatus.SPAM, 400)
    old_open = aged(brand_a, RequestStatus.CONTACTED, 400)
    recent_done = aged(brand_a, RequestStatus.DECLINED, 10)
    call_command("purge_consultations", "--older-than", "365")
    assert "2 request(s) anonymised." in capsys.readouterr().out
    for item in (old_done, old_spam):
        fresh = ConsultationRequest.objects.get(pk=item.pk)
        assert fresh.name == "[removed]" and fresh.email == "removed@invalid"
        assert str(fresh.phone) == "" and fresh.message == "" and fresh.preference_note == ""
        assert fresh.anonymised_at is not None
        # Kept for statistics:
        assert (fresh.reference, fresh.status, fresh.brand_id) == (
            item.reference,
            item.status,
            item.brand_id,
        )
        assert fresh.created == item.created and fresh.updated == item.updated
        assert list(fresh.notes.values_list("text", flat=True)) == ["[removed]"]
    for item in (old_open, recent_done):
        fresh = ConsultationRequest.objects.get(pk=item.pk)
        assert fresh.name == "Pat Example" and fresh.anonymised_at is None


def test_dry_run_says_what_would_happen_and_changes_nothing(brand_a, capsys):
    item = aged(brand_a, RequestStatus.COMPLETED, 400)
    call_command("purge_consultations", "--older-than", "365", "--dry-run")
    output = capsys.readouterr().out
    assert f"would anonymise {item.reference}" in output
    assert "1 request(s) would be anonymised (dry run)." in output
    assert ConsultationRequest.objects.get(pk=item.pk).name == "Pat Example"


def test_running_twice_changes_nothing_more(brand_a, capsys):
    aged(brand_a, RequestStatus.COMPLETED, 400)
    call_command("purge_consultations", "--older-than", "30")
    call_command("purge_consultations", "--older-than", "30")
    assert "0 request(s) anonymised." in capsys.readouterr().out


@pytest.mark.parametrize("days", ["0", "-5"])
def test_a_silly_period_is_refused(db, days):
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("purge_consultations", "--older-than", days)
