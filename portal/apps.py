from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    # The project's machinery (the page cache, its retirement) imports no app: the apps
    # register what it needs in their own AppConfig.ready (portal.signals.content, ...).
