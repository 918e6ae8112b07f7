"""Inserting one model row in one plain statement, for the writes every public submission makes.

`Model.save()` and `bulk_create()` compile their INSERT anew on every call and send signals; a
citizen's report writes eight kinds of row, and that Python work was a large part of the web
server's CPU per submission beside the cryptography. Here the statement text is built once per model and the values are prepared
by each field as Django prepares them (defaults, `auto_now`, JSON, dates). Only for models
without save() overrides or signal receivers that matter: the instance is never `save()`d.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def _columns(fields: tuple[Field[Any, Any], ...]) -> str:
    return ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)


def _pk(model: type[Model]) -> str:
    return str(model._meta.pk.column)  # type: ignore[union-attr]


@dataclass(frozen=True)
class _Insert:
    head: str  # INSERT INTO table (columns)
    row: str  # (%s, ...) for one row
    pk: str  # the quoted primary key column
    fields: tuple[Field[Any, Any], ...]

    def sql(self, rows: int = 1) -> str:
        return f"{self.head} VALUES {', '.join([self.row] * rows)} RETURNING {self.pk}"


@functools.cache
def _insert(model: type[Model], vendor: str) -> _Insert:
    fields = tuple(field for field in model._meta.concrete_fields if not field.primary_key)
    quote = connection.ops.quote_name
    return _Insert(
        head=f"INSERT INTO {quote(model._meta.db_table)} ({_columns(fields)})",
        row=f"({', '.join(['%s'] * len(fields))})",
        pk=quote(_pk(model)),
        fields=fields,
    )


def row_values(instance: Model, fields: tuple[Field[Any, Any], ...]) -> list[Any]:
    """The instance's values as the database takes them (`auto_now(_add)` set on the instance)."""
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def _saved(instance: Model, pk: Any) -> None:
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


def row_insert(instance: M) -> M:
    """INSERT the instance (a new row; its primary key is set from the database)."""
    insert = _insert(type(instance), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(insert.sql(), row_values(instance, insert.fields))
        _saved(instance, cursor.fetchone()[0])
    return instance


def rows_insert(instances: Sequence[M]) -> list[M]:
    """INSERT new instances of one model in one statement (none: no statement); ids set, in order."""
    if not instances:
        return []
    insert = _insert(type(instances[0]), connection.vendor)
    with connection.cursor() as cursor:
        params = [value for instance in instances for value in row_values(instance, insert.fields)]
        cursor.execute(insert.sql(len(instances)), params)
        # Rows come back in the order of VALUES (Django's bulk_create relies on it too)
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            _saved(instance, pk)
    return list(instances)


def row_insert_with(instance: M, update: str, params: list[Any]) -> M:
    """INSERT the instance and run `update` (an UPDATE with no RETURNING) after it, in one
    statement on PostgreSQL (the UPDATE takes the insert as a CTE), in two elsewhere."""
    insert = _insert(type(instance), connection.vendor)
    values = row_values(instance, insert.fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH inserted AS ({insert.sql()}) {update} RETURNING (SELECT {insert.pk} FROM inserted)",
                [*values, *params],
            )
            _saved(instance, cursor.fetchone()[0])
        else:
            cursor.execute(insert.sql(), values)
            _saved(instance, cursor.fetchone()[0])
            cursor.execute(update, params)
    return instance


@functools.cache
def _insert_numbered(model: type[Model], vendor: str, number: str) -> tuple[str, tuple[Field[Any, Any], ...]]:
    """INSERT .. SELECT that draws the row's id and writes `number` (a prefix, then the id in at
    least seven digits) in the same statement."""
    fields = tuple(
        field for field in model._meta.concrete_fields if not field.primary_key and field.name != number
    )
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(_pk(model))
    if vendor == "postgresql":
        next_id = f"SELECT nextval(pg_get_serial_sequence('{model._meta.db_table}', '{_pk(model)}'))"
        padded = "CASE WHEN n.id < 10000000 THEN lpad(n.id::text, 7, '0') ELSE n.id::text END"
    else:  # SQLite, AUTOINCREMENT: the next id is one past the largest ever given (writers are serialised)
        next_id = (
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{model._meta.db_table}'), 0), "
            f"COALESCE((SELECT MAX({pk}) FROM {table}), 0)) + 1"
        )
        padded = "printf('%%07d', n.id)"
    values = ", ".join(["%s"] * len(fields))
    column = str(model._meta.get_field(number).column)  # type: ignore[union-attr]
    sql = (
        f"INSERT INTO {table} ({pk}, {quote(column)}, {_columns(fields)}) "
        f"SELECT n.id, %s || {padded}, {values} FROM ({next_id} AS id) n RETURNING {pk}"
    )
    return sql, fields


def row_insert_numbered(instance: M, *, number: str, prefix: str) -> M:
    """INSERT the instance with `number` = prefix + its id (7 digits at least), in one statement."""
    sql, fields = _insert_numbered(type(instance), connection.vendor, number)
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, *row_values(instance, fields)])
        pk = cursor.fetchone()[0]
    _saved(instance, pk)
    setattr(instance, number, f"{prefix}{pk:07d}")
    return instance
