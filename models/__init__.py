"""The store: SQLAlchemy tables, the typed records spiders emit, and shared store access."""

from civicradar.models.store import ChangeDraft, Store, open_store, record_change

__all__ = ["ChangeDraft", "Store", "open_store", "record_change"]
