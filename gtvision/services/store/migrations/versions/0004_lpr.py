"""lpr: plate reads (partitioned by month), watch lists, alerts, LPR leases and settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pg_trgm: fuzzy plate search; fuzzystrmatch: levenshtein() to keep one-character misses.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    op.create_table(
        "lpr_instances",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lpr_instances")),
        schema="ai",
    )
    op.create_table(
        "detections",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("camera_id", sa.UUID(), nullable=True),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("plate_key", sa.String(length=12), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("char_confidences", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("box", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("crop_key", sa.String(length=300), nullable=True),
        sa.Column("frame_key", sa.String(length=300), nullable=True),
        sa.Column("frames", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_detections_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", "at", name=op.f("pk_detections")),
        schema="ai",
        postgresql_partition_by="RANGE (at)",
    )
    op.create_index(
        "ix_detections_plate_key_trgm",
        "detections",
        ["plate_key"],
        unique=False,
        schema="ai",
        postgresql_using="gin",
        postgresql_ops={"plate_key": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_detections_tenant_id_at", "detections", ["tenant_id", "at"], unique=False, schema="ai"
    )
    op.create_index(
        "ix_detections_tenant_id_camera_id_at",
        "detections",
        ["tenant_id", "camera_id", "at"],
        unique=False,
        schema="ai",
    )
    op.create_index(
        "ix_detections_tenant_id_plate",
        "detections",
        ["tenant_id", "plate"],
        unique=False,
        schema="ai",
        postgresql_ops={"plate": "varchar_pattern_ops"},
    )
    op.create_table(
        "watchlists",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("raises_alerts", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_watchlists_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlists")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_watchlists_tenant_id_name")),
        schema="ai",
    )
    op.create_index(
        op.f("ix_watchlists_tenant_id"), "watchlists", ["tenant_id"], unique=False, schema="ai"
    )
    op.create_table(
        "watchlist_entries",
        sa.Column("watchlist_id", sa.UUID(), nullable=False),
        sa.Column("pattern", sa.String(length=16), nullable=False),
        sa.Column("like_pattern", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=500), server_default="", nullable=False),
        sa.Column("priority", sa.Integer(), server_default="2", nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_watchlist_entries_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["watchlist_id"],
            ["ai.watchlists.id"],
            name=op.f("fk_watchlist_entries_watchlist_id_watchlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entries")),
        sa.UniqueConstraint(
            "watchlist_id", "pattern", name=op.f("uq_watchlist_entries_watchlist_id_pattern")
        ),
        schema="ai",
    )
    op.create_index(
        op.f("ix_watchlist_entries_tenant_id"),
        "watchlist_entries",
        ["tenant_id"],
        unique=False,
        schema="ai",
    )
    op.create_index(
        "ix_watchlist_entries_tenant_id_pattern",
        "watchlist_entries",
        ["tenant_id", "pattern"],
        unique=False,
        schema="ai",
    )
    op.create_index(
        op.f("ix_watchlist_entries_watchlist_id"),
        "watchlist_entries",
        ["watchlist_id"],
        unique=False,
        schema="ai",
    )
    op.create_table(
        "alerts",
        sa.Column("detection_id", sa.UUID(), nullable=False),
        sa.Column("detection_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("camera_id", sa.UUID(), nullable=True),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("watchlist_id", sa.UUID(), nullable=True),
        sa.Column("entry_id", sa.UUID(), nullable=True),
        sa.Column("pattern", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("crop_key", sa.String(length=300), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.UUID(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"],
            ["admin.users.id"],
            name=op.f("fk_alerts_acknowledged_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ai.watchlist_entries.id"],
            name=op.f("fk_alerts_entry_id_watchlist_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_alerts_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["watchlist_id"],
            ["ai.watchlists.id"],
            name=op.f("fk_alerts_watchlist_id_watchlists"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint(
            "detection_id", "entry_id", name=op.f("uq_alerts_detection_id_entry_id")
        ),
        schema="ai",
    )
    op.create_index(op.f("ix_alerts_tenant_id"), "alerts", ["tenant_id"], unique=False, schema="ai")
    op.create_index(
        "ix_alerts_tenant_id_acknowledged_at",
        "alerts",
        ["tenant_id", "acknowledged_at"],
        unique=False,
        schema="ai",
    )
    op.create_table(
        "lpr_leases",
        sa.Column("camera_id", sa.UUID(), nullable=False),
        sa.Column("instance_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["streaming.cameras.id"],
            name=op.f("fk_lpr_leases_camera_id_cameras"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("camera_id", name=op.f("pk_lpr_leases")),
        schema="ai",
    )
    op.create_index(
        op.f("ix_lpr_leases_instance_id"), "lpr_leases", ["instance_id"], unique=False, schema="ai"
    )
    op.add_column(
        "tenants",
        sa.Column("detection_retention_days", sa.Integer(), server_default="90", nullable=False),
        schema="admin",
    )
    op.add_column(
        "tenants",
        sa.Column("crop_retention_days", sa.Integer(), server_default="30", nullable=False),
        schema="admin",
    )
    op.add_column(
        "cameras",
        sa.Column("lpr_enabled", sa.Boolean(), server_default="false", nullable=False),
        schema="streaming",
    )
    op.add_column(
        "cameras",
        sa.Column("lpr_fps", sa.Double(), server_default="5", nullable=False),
        schema="streaming",
    )
    op.add_column(
        "cameras",
        sa.Column("lpr_stream", sa.String(length=4), server_default="main", nullable=False),
        schema="streaming",
    )
    op.add_column(
        "cameras",
        sa.Column("lpr_roi", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        schema="streaming",
    )


def downgrade() -> None:
    for column in ("lpr_roi", "lpr_stream", "lpr_fps", "lpr_enabled"):
        op.drop_column("cameras", column, schema="streaming")
    for column in ("crop_retention_days", "detection_retention_days"):
        op.drop_column("tenants", column, schema="admin")
    for table in (
        "lpr_leases",
        "alerts",
        "watchlist_entries",
        "watchlists",
        "detections",
        "lpr_instances",
    ):
        op.drop_table(table, schema="ai")
