"""Retire cached data after the saving transaction commits, once per transaction.

Saves only say *what* changed (``retire``); the retiring itself waits for the commit.
Bumping a generation inside the transaction would let a reader in that window (on
another app server, still seeing the old rows) store the old version under the new
generation, where it would stay until it expired. After the commit, a reader either
sees the new rows or reads under a generation that is about to be bumped.

One admin save touches many rows (an article, its brands, its inlines): they are
gathered and retired once when the transaction commits. A rolled-back save retires
nothing.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from portal import generations, purge
from portal.hosts import bare_hostname

logger = logging.getLogger(__name__)

# The brands that exist among some ids (None: all) and the hostnames serving them: told
# by the app that owns brands (clinic, in its AppConfig.ready), so that the project's
# machinery imports no app.
BrandsAndHosts = Callable[[set[int] | None], tuple[list[int], Iterable[str]]]
_brands_and_hosts: list[BrandsAndHosts] = []


def brands_and_hosts_from(source: BrandsAndHosts) -> None:
    _brands_and_hosts[:] = [source]


@dataclass
class _Retirement:
    brand_ids: set[int] = field(default_factory=set)
    every_brand: bool = False
    hosts: set[str] = field(default_factory=set)
    host_map: bool = False
    booking_brand_ids: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Django names an on-commit callback that fails by its __qualname__ when it
        # logs the failure (robust=True); an instance has none of its own, and without
        # one the logging itself raised, failing the save that had committed.
        self.__qualname__ = "portal.retirement (caches retired after a commit)"

    def __call__(self) -> None:
        for brand_id in self.booking_brand_ids:
            generations.bump(generations.bookings_key(brand_id))
        if not (self.every_brand or self.brand_ids or self.hosts or self.host_map):
            return  # only seats changed: no page shows them
        (source,) = _brands_and_hosts
        brand_ids, hosts = source(None if self.every_brand else self.brand_ids)
        for brand_id in brand_ids:
            generations.bump(generations.brand_key(brand_id))
        self.hosts.update(hosts)
        for host in self.hosts:
            generations.bump(generations.host_key(bare_hostname(host)))
        if self.host_map:
            generations.bump(generations.HOST_MAP)
        # Deleted brands too: their pages may still sit in the shared cache.
        purge.purge_brands(None if self.every_brand else self.brand_ids)


def _in_transaction(connection) -> bool:
    """Is a transaction open that may still roll back? (The test suite's own outer
    transaction is not one of those: tests replace this, see tests/conftest.py.)"""
    return connection.in_atomic_block


def _pending(connection) -> _Retirement:
    """Return this transaction's retirement, registering it to run on commit."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Retirement):
            return callback
    retirement = _Retirement()
    transaction.on_commit(retirement, using=connection.alias, robust=True)
    return retirement


def _in_effect(update) -> None:
    """Apply ``update`` to this transaction's retirement (now, in autocommit)."""
    connection = transaction.get_connection()
    in_transaction = _in_transaction(connection)
    retirement = _pending(connection) if in_transaction else _Retirement()
    update(retirement)
    if not in_transaction:
        retirement()  # autocommit: the save has already committed


def retire_bookings(brand_ids) -> None:
    """Seats were taken or given back in these brands' slots: the form's times change."""
    _in_effect(lambda retirement: retirement.booking_brand_ids.update(brand_ids))


def retire(brand_ids=None, *, hosts=(), host_map=False) -> None:
    """Retire what is cached of these brands (None: of every brand) after commit.

    ``hosts``: hostnames whose whole pages go too although no brand may own them any
    more (a renamed domain). ``host_map``: the hostname-to-brand answers go too.
    """

    def update(retirement: _Retirement) -> None:
        if brand_ids is None:
            retirement.every_brand = True
        else:
            retirement.brand_ids.update(brand_ids)
        retirement.hosts.update(hosts)
        retirement.host_map |= host_map

    _in_effect(update)
