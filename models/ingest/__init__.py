"""Ingest: one place that writes a crawl run's records into the store and says what changed.

One module per record kind (``staff``, ``candidates``, ``agendas`` with ``documents``);
each takes a run's facts (``run.RunFacts``: source, day, health) and records, decides
identity (one person across spellings, one candidacy, one meeting and item), upserts
set-based (a constant number of statements per run, on SQLite and PostgreSQL alike) and
returns a typed diff: inserted, updated with the before values that matter, unchanged,
missing. Detectors in ``monitors/`` judge the diff; the effects they ask for are written
by ``effects.apply_effects``.
"""
