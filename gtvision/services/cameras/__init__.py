"""Cameras: identity, ONVIF address, stream profiles, encrypted credentials, status."""
