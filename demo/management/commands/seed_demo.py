from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from appointments import demo as appointments_demo
from articles import demo as articles_demo
from care import demo as care_demo
from clinic import demo as clinic_demo
from clinic import links
from pages import demo as pages_demo
from pages import demo_spanish


class Command(BaseCommand):
    help = "Create or refresh the demo brands, staff and content. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with PORTAL_ENV=production (demo logins share one password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "seed_demo creates staff logins with a published password; it refuses to "
                "run with PORTAL_ENV=production unless given --allow-production."
            )
        with transaction.atomic():
            brands = clinic_demo.seed_brands()
            logins = clinic_demo.seed_staff(brands)
            clinic_demo.seed_locations(brands, timezone.localdate())
            articles_demo.seed_articles(brands, timezone.localdate())
            articles_demo.seed_spanish_articles(brands, timezone.localdate())
            articles_demo.seed_outside_reviewers(brands)
            logins += care_demo.seed_care(brands)
            pages_demo.seed_pages(brands)
            demo_spanish.seed_spanish(brands)
            appointments_demo.seed_requests(brands)

        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write("\nSites:")
        for brand in brands.values():
            host = brand.domains.get(is_primary=True).hostname
            self.stdout.write(f"  {brand.name:<26} http://{host}:8000/")
        self.stdout.write("  Default brand              http://127.0.0.1:8000/")
        office = links.in_back_office("/admin/") if links.back_office_origin()[1] else "/admin/"
        self.stdout.write(f"  Back office                {office}")
        if settings.BACK_OFFICE_HOST:
            self.stdout.write("  (every brand's /admin/ leads there: one sign-in for all brands)")
        self.stdout.write(f"\nStaff logins (password for all: {clinic_demo.DEMO_PASSWORD}):")
        for username, what in logins:
            self.stdout.write(f"  {username:<18} {what}")
        self.stdout.write(
            "\nEvery staff login sets up two-factor sign-in at its first sign-in: scan the"
            "\ncode shown with an authenticator app (or type its key, e.g. oathtool --totp -b KEY)."
        )
