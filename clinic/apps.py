from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save

        from clinic import checks, scope_check  # noqa: F401  (registers the system checks)
        from clinic.roles import sync_role_permissions
        from clinic.scoped import refuse_another_brands_row

        post_migrate.connect(sync_role_permissions, sender=self, dispatch_uid="clinic-roles")
        pre_save.connect(refuse_another_brands_row, dispatch_uid="clinic-brand-of-a-save")
        self._tell_the_page_cache()

    def _tell_the_page_cache(self):
        from django.db.models.signals import pre_save

        from clinic import domains, locations, scoping
        from clinic.models import Brand, BrandDomain, Location, OpeningHours, SpecialHours
        from portal import pagecache, retirement, signals

        signals.brand_owners_from(scoping.brand_ids_of, Brand)
        signals.content(Brand, host_map=True)
        signals.content(BrandDomain, host_map=True, hosts_of=domains.hostnames_of_a_save)
        pre_save.connect(
            domains.remember_hostname, sender=BrandDomain, dispatch_uid="pagecache-host"
        )
        for model in (Location, OpeningHours, SpecialHours):
            signals.content(model)
        retirement.brands_and_hosts_from(domains.brands_and_hosts)
        pagecache.changes_on_the_timetable_of(locations.timetable_changes)
