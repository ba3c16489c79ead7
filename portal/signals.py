"""Retire cached public pages whenever content they show is saved."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import pagecache

# Everything a public page shows comes from these models.
CONTENT_MODELS = [
    "clinic.Brand",
    "clinic.BrandDomain",
    "clinic.Location",
    "clinic.OpeningHours",
    "clinic.SpecialHours",
    "articles.Topic",
    "articles.Article",
    "articles.SlugRedirect",
]


def _retire(sender, **kwargs):
    pagecache.invalidate()


def connect():
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_retire, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_retire, sender=model, dispatch_uid=f"pagecache-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _retire,
                sender=field.remote_field.through,
                dispatch_uid=f"pagecache-m2m-{label}-{field.name}",
            )
