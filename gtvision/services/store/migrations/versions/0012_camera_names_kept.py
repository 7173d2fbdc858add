"""detections and alerts keep their camera's name as it was then: a camera removed later still
names its reads and alarms (the id alone means nothing to an operator)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable without a default: instant on the partitioned detections table. Older reads are
    # not rewritten; they are named by the camera while it exists, as before.
    op.add_column(
        "detections", sa.Column("camera_name", sa.String(length=200), nullable=True), schema="ai"
    )
    op.add_column(
        "alerts", sa.Column("camera_name", sa.String(length=200), nullable=True), schema="ai"
    )
    op.execute(
        "UPDATE ai.alerts a SET camera_name = c.name "
        "FROM streaming.cameras c WHERE c.id = a.camera_id"
    )


def downgrade() -> None:
    op.drop_column("alerts", "camera_name", schema="ai")
    op.drop_column("detections", "camera_name", schema="ai")
