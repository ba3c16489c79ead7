from django.core.management.base import BaseCommand

from outbox import sender, sending


class Command(BaseCommand):
    help = (
        "Send the outbox's e-mails and texts: new ones within a second, failed ones "
        "again when their retry is due. Run one, kept running (systemd, a container); "
        "--once sends what is due now and stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then stop.")
        parser.add_argument(
            "--poll", type=float, default=1.0, help="Longest pause between looks (seconds)."
        )

    def handle(self, *args, once=False, poll=1.0, **options):
        if once:
            tried = 0
            while sent := sending.send_due():
                tried += sent
            self.stdout.write(f"{tried} message(s) tried.")
            return
        sender.run(poll=poll, stop=sender.stop_on_sigterm())
