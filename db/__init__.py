"""KHBC's data layer: SQLAlchemy models, the engine with its pragmas, and Alembic migrations."""
