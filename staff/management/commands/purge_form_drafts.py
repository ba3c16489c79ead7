from django.core.management.base import BaseCommand

from staff.autosave import KEPT_FOR, remove_stale


class Command(BaseCommand):
    help = f"Delete autosaved form drafts nobody came back for within {KEPT_FOR.days} days."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"{remove_stale()} unsaved form draft(s) removed."))
