"""recordings: archived segments, bookmarks and evidence locks, clip exports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:33:11.749717
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exports",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("camera_id", sa.UUID(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=8), server_default="pending", nullable=False),
        sa.Column("key", sa.String(length=300), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
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
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'ready', 'failed')",
            name=op.f("ck_exports_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["streaming.cameras.id"],
            name=op.f("fk_exports_camera_id_cameras"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_exports_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exports")),
        schema="streaming",
    )
    op.create_index(
        "ix_exports_pending",
        "exports",
        ["created_at"],
        unique=False,
        schema="streaming",
        postgresql_where="status = 'pending'",
    )
    op.create_index(
        op.f("ix_exports_tenant_id"), "exports", ["tenant_id"], unique=False, schema="streaming"
    )
    op.create_table(
        "recording_locks",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("camera_id", sa.UUID(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("protect", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
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
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_recording_locks_range_forward")),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["streaming.cameras.id"],
            name=op.f("fk_recording_locks_camera_id_cameras"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_recording_locks_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recording_locks")),
        schema="streaming",
    )
    op.create_index(
        "ix_recording_locks_camera_id_starts_at",
        "recording_locks",
        ["camera_id", "starts_at"],
        unique=False,
        schema="streaming",
    )
    op.create_index(
        op.f("ix_recording_locks_tenant_id"),
        "recording_locks",
        ["tenant_id"],
        unique=False,
        schema="streaming",
    )
    op.create_table(
        "recordings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("camera_id", sa.UUID(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("codec", sa.String(length=16), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["streaming.cameras.id"],
            name=op.f("fk_recordings_camera_id_cameras"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_recordings_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordings")),
        schema="streaming",
    )
    op.create_index(
        "ix_recordings_camera_id_started_at",
        "recordings",
        ["camera_id", "started_at"],
        unique=False,
        schema="streaming",
    )
    op.create_index(
        "ix_recordings_ended_at", "recordings", ["ended_at"], unique=False, schema="streaming"
    )
    op.add_column(
        "tenants",
        sa.Column("recording_retention_days", sa.Integer(), server_default="30", nullable=False),
        schema="admin",
    )
    op.add_column(
        "cameras",
        sa.Column("recording_mode", sa.String(length=12), server_default="off", nullable=False),
        schema="streaming",
    )
    op.add_column(
        "cameras",
        sa.Column("recording_pre_s", sa.Integer(), server_default="10", nullable=False),
        schema="streaming",
    )
    op.add_column(
        "cameras",
        sa.Column("recording_post_s", sa.Integer(), server_default="20", nullable=False),
        schema="streaming",
    )
    op.add_column(
        "cameras",
        sa.Column("recording_retention_days", sa.Integer(), nullable=True),
        schema="streaming",
    )
    op.create_check_constraint(
        op.f("ck_cameras_recording_mode_known"),
        "cameras",
        "recording_mode IN ('off', 'continuous', 'events')",
        schema="streaming",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("ck_cameras_recording_mode_known"), "cameras", type_="check", schema="streaming"
    )
    op.drop_column("cameras", "recording_retention_days", schema="streaming")
    op.drop_column("cameras", "recording_post_s", schema="streaming")
    op.drop_column("cameras", "recording_pre_s", schema="streaming")
    op.drop_column("cameras", "recording_mode", schema="streaming")
    op.drop_column("tenants", "recording_retention_days", schema="admin")
    op.drop_index("ix_recordings_ended_at", table_name="recordings", schema="streaming")
    op.drop_index("ix_recordings_camera_id_started_at", table_name="recordings", schema="streaming")
    op.drop_table("recordings", schema="streaming")
    op.drop_index(
        op.f("ix_recording_locks_tenant_id"), table_name="recording_locks", schema="streaming"
    )
    op.drop_index(
        "ix_recording_locks_camera_id_starts_at", table_name="recording_locks", schema="streaming"
    )
    op.drop_table("recording_locks", schema="streaming")
    op.drop_index(op.f("ix_exports_tenant_id"), table_name="exports", schema="streaming")
    op.drop_index(
        "ix_exports_pending",
        table_name="exports",
        schema="streaming",
        postgresql_where="status = 'pending'",
    )
    op.drop_table("exports", schema="streaming")
