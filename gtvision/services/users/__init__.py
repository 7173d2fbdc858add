"""Users of a tenant and their roles; superadmins manage tenants and belong to none."""
