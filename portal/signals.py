"""Retire cached data whenever content a public page shows is saved, brand by brand.

The receivers only note what changed; ``portal.retirement`` retires it after commit.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from clinic.scoping import brand_ids_of
from portal import retirement

# Everything a public page shows comes from these models. Topics are shared by every
# brand: a change to one retires every brand's pages.
CONTENT_MODELS = [
    "clinic.Brand",
    "clinic.BrandDomain",
    "clinic.Location",
    "clinic.OpeningHours",
    "clinic.SpecialHours",
    "articles.Topic",
    "articles.Article",
    "articles.SlugRedirect",
    "pages.Page",
    "pages.FaqEntry",
    "care.Treatment",
    "care.Clinician",
    "pages.HomeSection",
    "pages.Testimonial",
    "pages.MenuLink",
]
SHARED_MODELS = {"articles.Topic"}
# Which hostname means which brand.
HOST_MAP_MODELS = {"clinic.Brand", "clinic.BrandDomain"}


def _owners(instance) -> frozenset[int] | None:
    """Return the brands whose pages show ``instance`` (None: every brand)."""
    if instance._meta.label in SHARED_MODELS:
        return None
    owners = brand_ids_of(instance) or _owners_through_parents(instance)
    # A deleted article has already lost its brand links: retire everything to be safe.
    return owners or None


def _owners_through_parents(instance) -> frozenset[int]:
    """Follow ``brand_lookup`` through loaded parents (a deleted row's still are)."""
    *parents, last = type(instance).brand_lookup.split("__")
    target = instance
    for part in parents:
        target = getattr(target, part, None)
        if target is None:
            return frozenset()
    value = getattr(target, f"{last}_id", None)
    return frozenset({value}) if value is not None else frozenset()


def _remember_hostname(sender, instance, **kwargs):
    """Before a domain is saved, note the name it had: that host's pages must go too."""
    if instance.pk:
        instance._hostname_before = (
            sender._default_manager.across_brands()
            .filter(pk=instance.pk)
            .values_list("hostname", flat=True)
            .first()
        )


def _retire(sender, instance, **kwargs):
    label = sender._meta.label
    hosts = set()
    if label == "clinic.BrandDomain":
        # The host (old and new name) may no longer belong to any brand.
        hosts = {instance.hostname, getattr(instance, "_hostname_before", None)} - {None}
    retirement.retire(_owners(instance), hosts=hosts, host_map=label in HOST_MAP_MODELS)


def _retire_relation(sender, instance, action, pk_set=None, model=None, **kwargs):
    if not action.startswith("post_"):
        return
    owners = _owners(instance)
    if owners is not None and model is not None and model._meta.label == "clinic.Brand":
        # Brands added to or removed from an article: their pages change too.
        owners = owners | frozenset(pk_set or ()) if pk_set is not None else None
    retirement.retire(owners)


def _retire_bookings(sender, instance, **kwargs):
    owners = brand_ids_of(instance) or _owners_through_parents(instance)
    retirement.retire_bookings(owners)


def connect():
    booking = apps.get_model("appointments.SlotBooking")
    for signal in (post_save, post_delete):
        signal.connect(_retire_bookings, sender=booking, dispatch_uid=f"bookings-{signal}")
    pre_save.connect(
        _remember_hostname,
        sender=apps.get_model("clinic.BrandDomain"),
        dispatch_uid="pagecache-host",
    )
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_retire, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_retire, sender=model, dispatch_uid=f"pagecache-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _retire_relation,
                sender=field.remote_field.through,
                dispatch_uid=f"pagecache-m2m-{label}-{field.name}",
            )
