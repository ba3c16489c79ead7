from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from appointments import audit
from appointments.retention import anonymise, due_for_anonymising


class Command(BaseCommand):
    help = (
        "Anonymise closed consultation requests (completed, declined, spam) not touched "
        "for DAYS days (default: CONSULTATION_RETENTION_DAYS, the period the privacy pages "
        "state). Reference, status, brand, location, topic and dates are kept. "
        "Access record entries older than ACCESS_RECORD_RETENTION_DAYS are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.CONSULTATION_RETENTION_DAYS,
            metavar="DAYS",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        due = due_for_anonymising(older_than)
        if dry_run:
            references = list(due.order_by("created").values_list("reference", flat=True))
            for reference in references:
                self.stdout.write(f"would anonymise {reference}")
            self.stdout.write(f"{len(references)} request(s) would be anonymised (dry run).")
            cutoff = timezone.now() - timedelta(days=settings.ACCESS_RECORD_RETENTION_DAYS)
            old = audit.AccessRecord.objects.across_brands().filter(at__lt=cutoff).count()
            self.stdout.write(f"{old} access record entries would be removed (dry run).")
            return
        count = anonymise(due)
        self.stdout.write(self.style.SUCCESS(f"{count} request(s) anonymised."))
        cutoff = timezone.now() - timedelta(days=settings.ACCESS_RECORD_RETENTION_DAYS)
        removed = audit.purge_older_than(cutoff)
        self.stdout.write(
            self.style.SUCCESS(
                f"{removed} access record entr{'y' if removed == 1 else 'ies'} older than "
                f"{settings.ACCESS_RECORD_RETENTION_DAYS} days removed."
            )
        )
