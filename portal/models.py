"""The portal app has no models of its own.

This module exists so that Django sends ``post_migrate`` for the app, which makes the
database cache's table (``portal.apps.create_cache_table``).
"""
