"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 01:23:06.833934
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_roles")),
        schema="admin",
    )
    op.create_table(
        "tenants",
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("ibge_code", sa.String(length=7), nullable=True),
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
        sa.CheckConstraint("ibge_code ~ '^[0-9]{7}$'", name=op.f("ck_tenants_ibge_code_digits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
        schema="admin",
    )
    op.create_table(
        "users",
        sa.Column("tenant_id", sa.UUID(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint(
            "(role = 'superadmin') = (tenant_id IS NULL)",
            name=op.f("ck_users_superadmin_has_no_tenant"),
        ),
        sa.ForeignKeyConstraint(["role"], ["admin.roles.name"], name=op.f("fk_users_role_roles")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_users_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        schema="admin",
    )
    op.create_index(
        op.f("ix_users_tenant_id"), "users", ["tenant_id"], unique=False, schema="admin"
    )
    op.create_table(
        "zones",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
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
            name=op.f("fk_zones_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zones")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_zones_tenant_id_name")),
        schema="cidades",
    )
    op.create_index(
        op.f("ix_zones_tenant_id"), "zones", ["tenant_id"], unique=False, schema="cidades"
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("tenant_id", sa.UUID(), nullable=True),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("source_ip", sa.String(length=45), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column(
            "detail", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["admin.tenants.id"],
            name=op.f("fk_audit_log_tenant_id_tenants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["admin.users.id"],
            name=op.f("fk_audit_log_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        schema="admin",
    )
    op.create_index(
        op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False, schema="admin"
    )
    op.create_index(
        "ix_audit_log_tenant_id_id", "audit_log", ["tenant_id", "id"], unique=False, schema="admin"
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("family_id", sa.UUID(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["admin.users.id"],
            name=op.f("fk_refresh_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
        schema="admin",
    )
    op.create_index(
        op.f("ix_refresh_tokens_family_id"),
        "refresh_tokens",
        ["family_id"],
        unique=False,
        schema="admin",
    )
    op.create_index(
        op.f("ix_refresh_tokens_user_id"),
        "refresh_tokens",
        ["user_id"],
        unique=False,
        schema="admin",
    )
    op.create_table(
        "cameras",
        sa.Column("zone_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("onvif_url", sa.String(length=2048), nullable=True),
        sa.Column("manufacturer", sa.String(length=200), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("firmware", sa.String(length=200), nullable=True),
        sa.Column("serial_number", sa.String(length=200), nullable=True),
        sa.Column("main_profile", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("sub_profile", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("snapshot_uri", sa.String(length=2048), nullable=True),
        sa.Column("ptz_capable", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("username", sa.String(length=200), nullable=True),
        sa.Column("password_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="unknown", nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
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
            name=op.f("fk_cameras_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["cidades.zones.id"],
            name=op.f("fk_cameras_zone_id_zones"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cameras")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_cameras_tenant_id_name")),
        schema="streaming",
    )
    op.create_index(
        op.f("ix_cameras_tenant_id"), "cameras", ["tenant_id"], unique=False, schema="streaming"
    )
    op.create_index(
        op.f("ix_cameras_zone_id"), "cameras", ["zone_id"], unique=False, schema="streaming"
    )
    op.create_check_constraint(
        "status_known",
        "cameras",
        "status IN ('unknown', 'online', 'offline', 'degraded', 'unauthorized')",
        schema="streaming",
    )
    roles = sa.table(
        "roles",
        sa.column("name", sa.String),
        sa.column("rank", sa.Integer),
        sa.column("description", sa.Text),
        schema="admin",
    )
    op.bulk_insert(
        roles,
        [
            {"name": "superadmin", "rank": 100, "description": "Manages tenants; no tenant."},
            {"name": "admin", "rank": 50, "description": "Manages a tenant's users and cameras."},
            {"name": "operator", "rank": 20, "description": "Watches cameras, drives PTZ."},
            {"name": "viewer", "rank": 10, "description": "Watches cameras only."},
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cameras_zone_id"), table_name="cameras", schema="streaming")
    op.drop_index(op.f("ix_cameras_tenant_id"), table_name="cameras", schema="streaming")
    op.drop_table("cameras", schema="streaming")
    op.drop_index(op.f("ix_refresh_tokens_user_id"), table_name="refresh_tokens", schema="admin")
    op.drop_index(op.f("ix_refresh_tokens_family_id"), table_name="refresh_tokens", schema="admin")
    op.drop_table("refresh_tokens", schema="admin")
    op.drop_index("ix_audit_log_tenant_id_id", table_name="audit_log", schema="admin")
    op.drop_index(op.f("ix_audit_log_action"), table_name="audit_log", schema="admin")
    op.drop_table("audit_log", schema="admin")
    op.drop_index(op.f("ix_zones_tenant_id"), table_name="zones", schema="cidades")
    op.drop_table("zones", schema="cidades")
    op.drop_index(op.f("ix_users_tenant_id"), table_name="users", schema="admin")
    op.drop_table("users", schema="admin")
    op.drop_table("tenants", schema="admin")
    op.drop_table("roles", schema="admin")
