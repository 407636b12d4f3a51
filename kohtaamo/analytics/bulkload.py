"""Fast bulk writes of generated rows: COPY on PostgreSQL, large executemany batches on SQLite.

Rows arrive column-wise (field name -> list of Python values, None for NULL) so that the caller can
build them with numpy without ever holding one Python object per row.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from django.db import connections
from django.db.models import Model

# SQLite settings that are safe while one process loads a fresh database and are restored afterwards.
SQLITE_LOAD_PRAGMAS = {"synchronous": "OFF", "cache_size": "-200000", "temp_store": "MEMORY"}


class BulkWriter:
    """Writes generated rows into one database (a Django alias) inside the caller's transaction."""

    def __init__(self, database_alias: str = "default") -> None:
        self.connection = connections[database_alias]
        self.vendor = self.connection.vendor
        self.rows_written = 0

    # --- ids ------------------------------------------------------------------------------------

    def reserve_ids(self, model: type[Model], count: int) -> int:
        """The first of `count` consecutive primary keys nobody else will be given."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                if count > 1:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608 - table from _meta
            return cursor.fetchone()[0]

    # --- values ---------------------------------------------------------------------------------

    def timestamps(self, seconds: np.ndarray) -> list[str]:
        """UTC instants (epoch seconds) as the text each backend stores for an aware datetime."""
        text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
        suffix = "+00" if self.vendor == "postgresql" else ""
        return [f"{value[:10]} {value[11:]}{suffix}" for value in text.tolist()]

    # --- writing --------------------------------------------------------------------------------

    def write(self, model: type[Model], columns: dict[str, list]) -> int:
        """Insert rows given column-wise by field name; returns how many were written."""
        names = list(columns)
        db_columns = [model._meta.get_field(name).column for name in names]
        count = len(columns[names[0]]) if names else 0
        if count == 0:
            return 0
        table = model._meta.db_table
        if self.vendor == "postgresql":
            self._copy(table, db_columns, [columns[n] for n in names])
        else:
            placeholders = ", ".join("?" * len(names))
            sql = f'INSERT INTO "{table}" ({", ".join(db_columns)}) VALUES ({placeholders})'  # noqa: S608
            raw = self.connection.connection.cursor()
            raw.executemany(sql, zip(*(columns[n] for n in names), strict=True))
        self.rows_written += count
        return count

    def _copy(self, table: str, db_columns: list[str], values: list[list]) -> None:
        texts = [_copy_text(column) for column in values]
        sql = f'COPY "{table}" ({", ".join(db_columns)}) FROM STDIN'
        with self.connection.connection.cursor() as raw, raw.copy(sql) as copy:
            step = 200_000
            for start in range(0, len(texts[0]), step):
                lines = map("\t".join, zip(*(t[start : start + step] for t in texts), strict=True))
                copy.write("\n".join(lines) + "\n")

    @contextmanager
    def loading(self) -> Iterator["BulkWriter"]:
        """Load-only settings for the duration of a bulk load (SQLite pragmas), restored after."""
        if self.vendor != "sqlite":
            yield self
            return
        self.connection.ensure_connection()
        raw = self.connection.connection
        # Inside an outer transaction (a test, a caller's atomic block) the safety level stays as it is.
        names = ["cache_size"] if raw.in_transaction else list(SQLITE_LOAD_PRAGMAS)
        saved = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
        for name in names:
            raw.execute(f"PRAGMA {name}={SQLITE_LOAD_PRAGMAS[name]}")
        try:
            yield self
        finally:
            for name, value in saved.items():
                raw.execute(f"PRAGMA {name}={value}")


def _copy_text(column: list) -> list[str]:
    """COPY's text format: \\N for NULL, booleans as t/f; generated text never holds tabs or newlines."""
    return [r"\N" if v is None else ("t" if v else "f") if isinstance(v, bool) else str(v) for v in column]
