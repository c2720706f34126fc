"""Alembic migrations of the qualitative store, run by :func:`leftbehind.qual.store.upgrade`."""
