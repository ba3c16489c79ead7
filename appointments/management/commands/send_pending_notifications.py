from django.core.management.base import BaseCommand

from appointments.notify import send_due


class Command(BaseCommand):
    help = (
        "Send notification e-mails that are due (new, or waiting for a retry after a "
        "mail-server failure). Safe to run often, e.g. every minute from cron."
    )

    def handle(self, *args, **options):
        tried = send_due()
        self.stdout.write(f"{tried} notification(s) tried.")
