from django.core.management.base import BaseCommand

from portal.kept_uploads import remove_stale


class Command(BaseCommand):
    help = "Delete uploads kept for a refused form that nobody came back for within a day."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"{remove_stale()} kept upload(s) removed."))
