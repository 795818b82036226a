"""Rewrite migration 0001 from the models (only while nothing has been released).

Usage: python scripts/regenerate_initial_migration.py
"""

import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from civicradar.models.store import MIGRATIONS, alembic_config

versions = MIGRATIONS / "versions"
for old in versions.glob("0001_*.py"):
    old.unlink()
with tempfile.TemporaryDirectory() as folder:
    engine = create_engine(f"sqlite:///{Path(folder) / 'empty.db'}")
    config = alembic_config(engine)
    command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
print("wrote", next(versions.glob("0001_*.py")))
