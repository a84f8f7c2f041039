"""Alembic environment for KHBC: runs on the connection handed in by db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import db.models  # noqa: F401  (registers every table on the metadata)
from db.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # running the alembic command line against a URL
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as own_connection:
            _run(own_connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
