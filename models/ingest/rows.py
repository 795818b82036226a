"""Stored rows of one table as plain objects: read in one query, written back set-based.

A :class:`Rows` remembers each loaded object's values as read, so after a run changed
them in memory it writes back only the objects that differ (one executemany), inserts
the new ones (one executemany) and reads their ids back (one query). Fields marked
``NOT_A_COLUMN`` (a meeting's items, say) are left out of all three.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from civicradar.models.ingest.bulk import insert_rows, update_rows
from civicradar.models.tables import Base

NOT_A_COLUMN = {"column": False}


class Stored(Protocol):
    id: int


T = TypeVar("T", bound=Stored)


def columns_of(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.metadata.get("column", True))


@dataclass
class Rows(Generic[T]):
    """Objects of ``kind``, a dataclass whose column fields are ``model``'s columns."""

    model: type[Base]
    kind: type[T]
    loaded: list[T] = field(default_factory=list)
    new: list[T] = field(default_factory=list)
    _as_read: dict[int, tuple[Any, ...]] = field(default_factory=dict)

    def load(
        self, session: Session, *where: ColumnElement[bool], order: Sequence[Any] = ()
    ) -> list[T]:
        names = columns_of(self.kind)
        query = select(*(getattr(self.model, name) for name in names)).where(*where)
        order = order or (self.model.__table__.c.id,)
        for row in session.execute(query.order_by(*order)):
            item = self.kind(**dict(zip(names, row, strict=True)))
            self.loaded.append(item)
            self._as_read[item.id] = copy.deepcopy(tuple(row))  # JSON lists may be edited
        return self.loaded

    def values(self, item: T) -> dict[str, Any]:
        return {name: getattr(item, name) for name in columns_of(self.kind)}

    def changed(self) -> list[T]:
        names = columns_of(self.kind)
        return [
            item
            for item in self.loaded
            if tuple(getattr(item, name) for name in names) != self._as_read[item.id]
        ]

    def write(self, session: Session) -> None:
        """UPDATE the loaded objects that changed, in one executemany."""
        update_rows(session, self.model, [self.values(item) for item in self.changed()])

    def insert(
        self, session: Session, read_back: Select[Any], key: Callable[[T], tuple[Any, ...]]
    ) -> None:
        """INSERT the new objects in one executemany, then set their ids from one query:
        ``read_back`` selects (id, *key) for rows including the new ones, ``key`` is an
        object's unique key (the new rows' key must not match an older row)."""
        if not self.new:
            return
        rows = [{k: v for k, v in self.values(item).items() if k != "id"} for item in self.new]
        insert_rows(session, self.model, rows)
        ids = {tuple(found_key): found_id for found_id, *found_key in session.execute(read_back)}
        for item in self.new:
            item.id = ids[key(item)]
