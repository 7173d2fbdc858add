"""Tenants: the prefeituras that share one GT-Vision installation."""
