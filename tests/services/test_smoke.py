from tests.conftest import TenantUsers
from tests.helpers.live import LiveService


def test_ready_and_login(service: LiveService, tenant: TenantUsers) -> None:
    with service.client(tenant.tokens["admin"]) as client:
        me = client.get("/auth/me")
        assert me.status_code == 200, me.text
        assert me.json()["role"] == "admin"
