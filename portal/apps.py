from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """Make the database cache's table whenever ``migrate`` runs (a no-op otherwise).

    One-machine production uses Django's database cache; this spares the operator the
    separate ``createcachetable`` step that is easy to forget.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import signals

        signals.connect()
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="portal-cache-table")
