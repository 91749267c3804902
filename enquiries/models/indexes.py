"""Indexes that exist on PostgreSQL only.

GIN (full-text and trigram) indexes make search fast in production; SQLite, the laptop
default, cannot build them. On SQLite these produce a harmless no-op statement, so the model
state, the migrations and SQLite's table rebuilds stay the same on every database.
"""

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.db.backends.ddl_references import Statement


class PostgresGinIndex(GinIndex):
    def create_sql(
        self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any
    ) -> Statement:
        if schema_editor.connection.vendor != "postgresql":
            return Statement("SELECT 1 /* %(name)s: PostgreSQL only */", name=self.name)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    # django-stubs types Index.remove_sql as str, but Django returns the schema editor's
    # Statement (as create_sql does): the two ignores below are the stubs', not ours.
    def remove_sql(  # type: ignore[override]
        self, model: Any, schema_editor: Any, **kwargs: Any
    ) -> Statement:
        if schema_editor.connection.vendor != "postgresql":
            return Statement("SELECT 1 /* %(name)s: PostgreSQL only */", name=self.name)
        return super().remove_sql(model, schema_editor, **kwargs)  # type: ignore[return-value]
