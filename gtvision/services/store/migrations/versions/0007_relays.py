"""relays: an outbox of events for RabbitMQ

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 13:36:50.029158
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_relays",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column(
            "since", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_relays")),
        schema="admin",
    )
    op.create_table(
        "relay_outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("relay", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relay_outbox")),
        schema="admin",
    )


def downgrade() -> None:
    op.drop_table("relay_outbox", schema="admin")
    op.drop_table("event_relays", schema="admin")
