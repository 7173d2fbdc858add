"""Saved wall views: per user, tenant-checked cameras, optimistic locking, audited."""

from __future__ import annotations

import pytest

from tests.conftest import TenantUsers
from tests.helpers.live import LiveService

pytestmark = pytest.mark.postgres


def test_a_user_saves_reads_changes_and_deletes_own_views(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin, tenant.client(service, "operator") as operator:
        cam = admin.post("/cameras", json={"name": "Sé"}).json()["id"]
        body = {"name": "Centro", "layout": "1+5", "cameras": [cam, None, cam], "tour_s": 20}
        created = operator.post("/views", json=body)
        assert created.status_code == 201, created.text
        view = created.json()
        assert view["cameras"] == [cam, None, cam]
        assert view["user_id"] == tenant.user_ids["operator"]
        etag = created.headers["etag"]

        assert operator.post("/views", json=body).status_code == 409  # same name, same user
        assert [v["name"] for v in operator.get("/views").json()["items"]] == ["Centro"]

        changed = operator.patch(
            f"/views/{view['id']}", json={"layout": "4x4"}, headers={"If-Match": etag}
        )
        assert changed.status_code == 200
        assert changed.json()["layout"] == "4x4"
        stale = operator.patch(
            f"/views/{view['id']}", json={"name": "x"}, headers={"If-Match": etag}
        )
        assert stale.status_code == 412

        # Another user of the same tenant neither sees nor touches it.
        assert admin.get("/views").json()["items"] == []
        assert admin.get(f"/views/{view['id']}").status_code == 404
        assert admin.delete(f"/views/{view['id']}").status_code == 404

        assert operator.delete(f"/views/{view['id']}").status_code == 204
        assert operator.get(f"/views/{view['id']}").status_code == 404
        actions = [e["action"] for e in admin.get("/audit").json()["items"]]
        assert {"view.create", "view.update", "view.delete"} <= set(actions)


def test_views_refuse_bad_layouts_and_foreign_cameras(
    service: LiveService, tenant: TenantUsers, other_tenant: TenantUsers
) -> None:
    with other_tenant.client(service) as other:
        foreign = other.post("/cameras", json={"name": "Not yours"}).json()["id"]
    with tenant.client(service, "viewer") as viewer:
        bad = viewer.post("/views", json={"name": "x", "layout": "9x9"})
        assert bad.status_code == 422
        assert (
            viewer.post("/views", json={"name": "x", "layout": "2x2", "tour_s": 1}).status_code
            == 422
        )
        sneaky = viewer.post("/views", json={"name": "x", "layout": "2x2", "cameras": [foreign]})
        assert sneaky.status_code == 422
        assert "not found" in sneaky.json()["detail"]
