"""Retire cached data whenever content a public page shows is saved, brand by brand.

Each app says, in its AppConfig.ready, which of its models public pages show
(``content``) and which hold the consultation form's seats (``bookings``); the app
that owns brands says how to find the brands of a row (``brand_owners_from``). The
receivers only note what changed; ``portal.retirement`` retires it after commit.
This module imports no app.
"""

from collections.abc import Callable, Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import retirement

# How to find the brands that own a row (clinic.scoping.brand_ids_of, registered), and
# the model of brands (an article's brands are a many-to-many to it).
_brand_owners: list[Callable[[object], frozenset[int]]] = []
_brand_model: list[str] = []
# Content shared by every brand (a topic): a change retires every brand's pages.
_shared: set[str] = set()
# Content that says which hostname means which brand, and the hostnames a save of it
# concerns (a renamed domain's old name too).
_host_map: dict[str, Callable[[object], Iterable[str]] | None] = {}


def brand_owners_from(source: Callable[[object], frozenset[int]], brand_model) -> None:
    _brand_owners[:] = [source]
    _brand_model[:] = [brand_model._meta.label]


def _brand_ids_of(instance) -> frozenset[int]:
    (source,) = _brand_owners
    return source(instance)


def _owners(instance) -> frozenset[int] | None:
    """Return the brands whose pages show ``instance`` (None: every brand)."""
    if instance._meta.label in _shared:
        return None
    owners = _brand_ids_of(instance) or _owners_through_parents(instance)
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


def _retire(sender, instance, **kwargs):
    label = sender._meta.label
    hosts_of = _host_map.get(label)
    hosts = set(hosts_of(instance)) - {None} if hosts_of is not None else set()
    retirement.retire(_owners(instance), hosts=hosts, host_map=label in _host_map)


def _retire_relation(sender, instance, action, pk_set=None, model=None, **kwargs):
    if not action.startswith("post_"):
        return
    owners = _owners(instance)
    if owners is not None and model is not None and model._meta.label in _brand_model:
        # Brands added to or removed from an article: their pages change too.
        owners = owners | frozenset(pk_set or ()) if pk_set is not None else None
    retirement.retire(owners)


def _retire_bookings(sender, instance, **kwargs):
    owners = _brand_ids_of(instance) or _owners_through_parents(instance)
    retirement.retire_bookings(owners)


def content(model, *, shared=False, host_map=False, hosts_of=None) -> None:
    """Public pages show ``model``: retire its brands' pages when a row of it (or one
    of its many-to-many links) changes.

    ``shared``: its rows belong to every brand. ``host_map``: its rows say which
    hostname means which brand (``hosts_of(row)``: the hostnames a save concerns).
    """
    label = model._meta.label
    if shared:
        _shared.add(label)
    if host_map:
        _host_map[label] = hosts_of
    post_save.connect(_retire, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(_retire, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            _retire_relation,
            sender=field.remote_field.through,
            dispatch_uid=f"pagecache-m2m-{label}-{field.name}",
        )


def bookings(model) -> None:
    """``model`` holds seats of the consultation form's times: its changes retire the
    form's free times."""
    for signal in (post_save, post_delete):
        signal.connect(
            _retire_bookings, sender=model, dispatch_uid=f"bookings-{model._meta.label}-{signal}"
        )
