"""views: users' named wall views

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "views",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("layout", sa.String(length=8), nullable=False),
        sa.Column(
            "cameras", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column("tour_s", sa.Integer(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["admin.tenants.id"], name=op.f("fk_views_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["admin.users.id"], name=op.f("fk_views_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_views")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_views_user_id_name")),
        schema="admin",
    )  # fmt: skip
    op.create_index(op.f("ix_views_tenant_id"), "views", ["tenant_id"], schema="admin")
    op.create_index(op.f("ix_views_user_id"), "views", ["user_id"], schema="admin")


def downgrade() -> None:
    op.drop_index(op.f("ix_views_user_id"), table_name="views", schema="admin")
    op.drop_index(op.f("ix_views_tenant_id"), table_name="views", schema="admin")
    op.drop_table("views", schema="admin")
