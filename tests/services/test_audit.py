"""The LGPD trail: changes and sign-ins are recorded, readable by the tenant's admins only."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, TenantUsers
from tests.helpers.live import LiveService


def test_changes_and_logins_are_audited(
    service: LiveService, tenant: TenantUsers, other_tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "auditada"}).json()
        admin.patch(f"/cameras/{camera['id']}", json={"description": "esquina", "enabled": False})
        admin.delete(f"/cameras/{camera['id']}")
        with service.client() as anonymous:
            anonymous.post(
                "/auth/token",
                data={"username": f"viewer-{tenant.slug}", "password": "nope-nope-nope"},
            )
        entries = admin.get("/audit", params={"limit": 500}).json()["items"]

    by_action = {(e["action"], e["outcome"]): e for e in entries}
    created = by_action[("camera.create", "success")]
    assert created["target_id"] == camera["id"]
    assert created["username"] == f"admin-{tenant.slug}"
    assert created["source_ip"] == "127.0.0.1"
    assert created["tenant_id"] == tenant.tenant_id
    assert by_action[("camera.update", "success")]["detail"] == {
        "fields": ["description", "enabled"]
    }
    assert ("camera.delete", "success") in by_action
    assert ("auth.login", "failure") in by_action
    assert ("auth.login", "success") in by_action
    assert all(e["tenant_id"] == tenant.tenant_id for e in entries)
    assert "nope-nope-nope" not in str(entries)

    with other_tenant.client(service) as b_admin:
        theirs = b_admin.get("/audit", params={"action": "camera.create", "limit": 500}).json()[
            "items"
        ]
    assert camera["id"] not in str(theirs)


def test_audit_filters(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        zone = admin.post("/zones", json={"name": "filtrada"}).json()
        only = admin.get("/audit", params={"target_id": zone["id"]}).json()["items"]
        assert [e["action"] for e in only] == ["zone.create"]
        future = admin.get("/audit", params={"from": "2999-01-01T00:00:00Z"}).json()["items"]
        assert future == []
        logins = admin.get("/audit", params={"action": "auth.login"}).json()["items"]
        assert logins
        assert all(e["action"] == "auth.login" for e in logins)
    assert service.login(f"admin-{tenant.slug}", PASSWORD)


def test_audit_export_is_csv_filtered_in_order_and_itself_audited(
    service: LiveService, tenant: TenantUsers, other_tenant: TenantUsers
) -> None:
    import csv
    import io
    import json

    with tenant.client(service) as admin, other_tenant.client(service) as other:
        admin.post("/zones", json={"name": '=HYPERLINK("http://x")'})
        admin.post("/zones", json={"name": "Norte"})
        other.post("/zones", json={"name": "Outra cidade"})
        answer = admin.get("/audit/export", params={"action": "zone.create"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        assert answer.headers["x-truncated"] == "false"
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        names = [json.loads(r["detail"])["name"] for r in rows]
        assert names == ['=HYPERLINK("http://x")', "Norte"]  # in order, only this city
        assert all(r["action"] == "zone.create" for r in rows)
        assert all(r["username"] == f"admin-{tenant.slug}" for r in rows)
        exported = admin.get("/audit", params={"action": "audit.export"}).json()["items"]
        assert exported[-1]["detail"]["rows"] == 2
    with tenant.client(service, "operator") as operator:
        assert operator.get("/audit/export").status_code == 403


def test_an_export_cut_at_its_limit_says_so(
    service: LiveService, tenant: TenantUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One row past the limit is what tells a cut export from a complete one (the service runs
    in this process, so the limit can be made small). It said "not truncated" when it was."""
    from gtvision.services.audit import service as audit

    with tenant.client(service) as admin:
        for name in ("Um", "Dois", "Três"):
            admin.post("/zones", json={"name": f"{name} {tenant.slug}"})
        monkeypatch.setattr(audit, "EXPORT_MAX_ROWS", 2)
        cut = admin.get("/audit/export", params={"action": "zone.create"})
        assert cut.headers["x-truncated"] == "true"
        assert len(cut.text.strip().splitlines()) == 1 + 2
        monkeypatch.setattr(audit, "EXPORT_MAX_ROWS", 3)
        whole = admin.get("/audit/export", params={"action": "zone.create"})
        assert whole.headers["x-truncated"] == "false"  # exactly at the limit: all of it
        assert len(whole.text.strip().splitlines()) == 1 + 3
