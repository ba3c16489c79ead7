from django.core.management.base import BaseCommand

from articles import listing


class Command(BaseCommand):
    help = (
        "Make the article listing (where each published article is listed, per brand and "
        "topic) again from the articles, in one statement. Saves keep it current; run this "
        "after loading articles in bulk without saving them one by one."
    )

    def handle(self, *args, **options):
        rows = listing.rebuild()
        self.stdout.write(f"Listed published articles again: {rows} rows.")
