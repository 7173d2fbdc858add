"""alerts: sightings of the same plate at the same camera update one open alert; who
acknowledged and which list raised it, by name

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 01:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "alerts",
        sa.Column("sightings", sa.Integer(), server_default="1", nullable=False),
        schema="ai",
    )
    op.add_column(
        "alerts", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True), schema="ai"
    )
    op.add_column("alerts", sa.Column("last_detection_id", sa.UUID(), nullable=True), schema="ai")
    op.add_column(
        "alerts", sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True), schema="ai"
    )
    op.add_column(
        "alerts",
        sa.Column("acknowledged_by_name", sa.String(length=64), nullable=True),
        schema="ai",
    )
    op.execute(
        "UPDATE ai.alerts a SET acknowledged_by_name = u.username "
        "FROM admin.users u WHERE u.id = a.acknowledged_by"
    )
    op.add_column(
        "alerts", sa.Column("watchlist_name", sa.String(length=200), nullable=True), schema="ai"
    )
    op.execute(
        "UPDATE ai.alerts a SET watchlist_name = w.name "
        "FROM ai.watchlists w WHERE w.id = a.watchlist_id"
    )
    op.execute("UPDATE ai.alerts SET last_seen_at = detection_at, last_detection_id = detection_id")
    op.alter_column("alerts", "last_seen_at", nullable=False, schema="ai")
    op.alter_column("alerts", "last_detection_id", nullable=False, schema="ai")
    op.create_index(
        "ix_alerts_open_by_camera_entry",
        "alerts",
        ["tenant_id", "camera_id", "entry_id", "last_seen_at"],
        schema="ai",
        postgresql_where=sa.text("acknowledged_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_alerts_open_by_camera_entry", table_name="alerts", schema="ai")
    for column in (
        "watchlist_name",
        "acknowledged_by_name",
        "announced_at",
        "last_detection_id",
        "last_seen_at",
        "sightings",
    ):
        op.drop_column("alerts", column, schema="ai")
