"""crawl_runs.reading: how a crawl understood its source (columns, selectors, blocks)

Revision ID: 0002_crawl_reading
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_crawl_reading"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reading", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("reading")
