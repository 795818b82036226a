"""Set-based writes every ingest module uses: a statement per batch of rows, never per row.

Updates by primary key go out as one executemany per set of columns, inserts as one
executemany, and a set of ids is written as ``IN`` or ``NOT IN`` whichever is shorter
(literal integers, so no driver's limit on bound parameters applies).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, insert, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from civicradar.models.tables import Base


def update_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE rows by their ``id``; rows with the same keys share one executemany."""
    if rows:
        session.execute(update(model), list(rows))


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows in one executemany; read the ids back with a query that names the run."""
    if rows:
        session.execute(insert(model), list(rows))


def id_in(
    column: InstrumentedAttribute[int], chosen: Collection[int], among: Collection[int]
) -> ColumnElement[bool]:
    """``column`` is one of ``chosen`` (a subset of ``among``), as the shorter list."""
    if len(chosen) * 2 <= len(among):
        return column.in_(_ids(chosen))
    return column.not_in(_ids(set(among) - set(chosen)))


def _ids(ids: Collection[int]) -> Any:
    return bindparam("ids", sorted(ids), expanding=True, literal_execute=True, unique=True)


def delete_rows(session: Session, model: type[Base], ids: Collection[int]) -> None:
    """DELETE rows by id in one statement."""
    if ids:
        table = model.__table__
        session.execute(table.delete().where(table.c.id.in_(_ids(ids))))
