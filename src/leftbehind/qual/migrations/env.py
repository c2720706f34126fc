"""Alembic environment: runs the migrations on the engine handed over by ``store.upgrade``."""

from __future__ import annotations

from alembic import context


def run_migrations() -> None:
    """Run the pending migrations on ``config.attributes["engine"]`` in one transaction."""
    from leftbehind.qual.models import Base

    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=engine.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if getattr(context, "config", None) is not None:  # imported by Alembic, not by pytest
    run_migrations()
