"""token epoch: a user's access and stream tokens die with a password, role or status change

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 21:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("token_epoch", sa.Integer(), server_default="0", nullable=False),
        schema="admin",
    )


def downgrade() -> None:
    op.drop_column("users", "token_epoch", schema="admin")
