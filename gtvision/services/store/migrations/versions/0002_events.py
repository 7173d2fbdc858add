"""events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:05:51.233124
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("camera_id", sa.UUID(), nullable=True),
        sa.Column(
            "data", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_events_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        schema="admin",
    )
    op.create_index(
        op.f("ix_events_tenant_id"), "events", ["tenant_id"], unique=False, schema="admin"
    )
    op.create_index(
        "ix_events_tenant_id_id", "events", ["tenant_id", "id"], unique=False, schema="admin"
    )


def downgrade() -> None:
    op.drop_index("ix_events_tenant_id_id", table_name="events", schema="admin")
    op.drop_index(op.f("ix_events_tenant_id"), table_name="events", schema="admin")
    op.drop_table("events", schema="admin")
