from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world (`manage.py seed_demo`): every app's demo content in one step.

    It stands on all the apps and no app imports it, so each app's own floor stays
    below (docs/architecture.md)."""

    name = "demo"
    verbose_name = "Demo"
