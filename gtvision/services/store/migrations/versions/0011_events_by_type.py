"""events: an index by tenant, type and time, for dashboards replaying camera status changes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 03:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_events_tenant_id_type_at", "events", ["tenant_id", "type", "at"], schema="admin"
    )


def downgrade() -> None:
    op.drop_index("ix_events_tenant_id_type_at", table_name="events", schema="admin")
